import { InvalidInputError } from '../errors/index.js';
import { checkNumber, isArrayOrTypedArray, show, toFiniteVector } from '../util/validate.js';
import { type DataMatrix, isFlatMatrix, toRowMajor } from './dataMatrix.js';

/**
 * A labelled k-class classification set: `X` is row-major n×d (row i is xᵢ, at offset i·d) and
 * `labels[i]` ∈ {0, …, k − 1} is the class of row i, k ≥ 2. Built and validated by
 * {@link multiclassDataset} (or `datasets.blobs`); every function that takes a `MulticlassDataset`
 * trusts these invariants.
 */
export interface MulticlassDataset {
  readonly X: Float64Array;
  readonly labels: Int32Array;
  readonly n: number;
  readonly d: number;
  /** Number of classes k ≥ 2 (some classes may have no rows). */
  readonly k: number;
}

const FN = 'multiclassDataset';

function fail(option: string, message: string): never {
  throw new InvalidInputError(FN, option, message);
}

function toClassLabels(labels: unknown, n: number, k: number | undefined): { labels: Int32Array; k: number } {
  if (isArrayOrTypedArray(labels) && labels.length !== n) {
    fail('labels', `must have length n = ${n} (one label per row of X), got length ${labels.length}`);
  }
  const v = toFiniteVector(FN, 'labels', labels, n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const c = v[i]!;
    if (!Number.isInteger(c) || c < 0) {
      const pm = v.every((u) => u === 1 || u === -1);
      const hint = pm ? '; for ±1 labels use y.map(v => (v + 1) / 2), or dataset(X, y) for binary data' : '';
      fail(`labels[${i}]`, `must be an integer class index in [0, k), got ${show(c)}${hint}`);
    }
    if (k !== undefined && c >= k) fail(`labels[${i}]`, `must be < k = ${k}, got ${c}`);
    if (c > max) max = c;
  }
  const classes = k ?? max + 1;
  if (classes < 2) {
    fail(
      'labels',
      `must name at least 2 classes (all labels are 0; pass k explicitly for k >= 2), got k = ${classes}`,
    );
  }
  return { labels: Int32Array.from(v), k: classes };
}

/**
 * Builds a validated {@link MulticlassDataset}: a fresh contiguous row-major copy of `X` and integer class
 * labels in {0, …, k − 1}, in a frozen object `{ X, labels, n, d, k }`.
 *
 * `X` is accepted in every form that `dataset()` accepts (rows `number[][]`, a flat row-major array with
 * `d`, an ml-matrix `Matrix`, a 2-D ndarray) and validated the same way (no ragged rows, finite numbers,
 * n ≥ 1, d ≥ 1). The input is never aliased.
 *
 * @param X - the n×d inputs.
 * @param labels - n class indices, each an integer in [0, k).
 * @param k - the number of classes, an integer ≥ 2 (default: the largest label + 1; pass it when the
 *   last classes have no rows, e.g. in a test split).
 * @param d - the number of columns; required for a flat `X`, checked against the shape otherwise.
 * @returns a frozen `{ X: Float64Array, labels: Int32Array, n, d, k }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for everything `dataset()` rejects in `X`, `labels.length ≠ n`,
 *   labels that are not integers in [0, k) (with a hint for ±1 labels), and k < 2.
 * @example
 * ```ts
 * const data = multiclassDataset([[1, 0], [0, 1], [-1, -1]], [0, 1, 2]);
 * data.k; // 3
 * data.labels; // Int32Array [0, 1, 2]
 * multiclassDataset([1, 0, 0, 1], [0, 1], 2, 2); // flat X: k = 2 classes, d = 2 columns
 * ```
 */
export function multiclassDataset(
  X: DataMatrix,
  labels: ArrayLike<number>,
  k?: number,
  d?: number,
): MulticlassDataset {
  if (k !== undefined) checkNumber(FN, 'k', k, { integer: true, min: 2 });
  if (d !== undefined) checkNumber(FN, 'd', d, { integer: true, min: 1 });
  if (d === undefined && isFlatMatrix(X) && (X as ArrayLike<unknown>).length > 0) {
    fail('d', 'is required when X is a flat array: multiclassDataset(X, labels, k, d), got undefined');
  }
  const m = toRowMajor(FN, X, d);
  const out = toClassLabels(labels, m.n, k);
  return Object.freeze({ X: m.X, labels: out.labels, n: m.n, d: m.d, k: out.k });
}
