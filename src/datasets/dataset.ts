import { InvalidInputError } from '../errors/index.js';
import { checkNumber, isArrayOrTypedArray, show, toFiniteVector } from '../util/validate.js';
import { type DataMatrix, toRowMajor } from './dataMatrix.js';
import type { Dataset } from './types.js';

export type { DataMatrix, MatrixLike, NdArrayLike } from './dataMatrix.js';

const FN = 'dataset';

function fail(option: string, message: string): never {
  throw new InvalidInputError(FN, option, message);
}

function toLabels(y: unknown, n: number): Float64Array {
  if (isArrayOrTypedArray(y) && y.length !== n) {
    fail('y', `must have length n = ${n} (one label per row of X), got length ${y.length}`);
  }
  const out = toFiniteVector(FN, 'y', y, n);
  for (let i = 0; i < n; i++) {
    const v = out[i]!;
    if (v !== 1 && v !== -1) {
      const zeroOne = out.every((u) => u === 0 || u === 1);
      const hint = zeroOne
        ? '; for {0,1} labels use y.map(v => 2 * v - 1)'
        : '; map your labels to -1/+1 before calling dataset';
      fail(`y[${i}]`, `must be -1 or +1, got ${show(v)}${hint}`);
    }
  }
  return out;
}

/**
 * Builds a validated {@link Dataset}: a fresh contiguous row-major copy of `X` (row i of the n×d matrix is
 * `X[i·d … i·d + d − 1]`) and the labels `y` ∈ {−1, +1}ⁿ, in a frozen object `{ X, y, n, d }`.
 *
 * `X` may be
 * - rows: `number[][]` (or an array of typed arrays), all of the same length d;
 * - flat: a row-major `number[]` or typed array of length n·d, with `d` given;
 * - an ml-matrix `Matrix` (anything with `rows`, `columns`, `get(i, j)`);
 * - a 2-D scijs `ndarray` (any strides and offset).
 *
 * The input is never aliased: later changes to `X` or `y` do not affect the dataset.
 *
 * @param X - the n×d inputs, n ≥ 1 and d ≥ 1.
 * @param y - n labels, each exactly −1 or +1 (for {0, 1} labels pass `y.map(v => 2 * v - 1)`).
 * @param d - the number of columns; required for flat `X`, and checked against the shape otherwise.
 * @returns a frozen `{ X: Float64Array, y: Float64Array, n, d }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for n = 0 or d = 0, ragged rows (naming the row and both
 *   lengths), non-numbers or NaN/±Infinity (naming the row and column), a flat length not divisible by d,
 *   a missing `d` for flat input, `y.length ≠ n`, and labels other than ±1.
 * @example
 * ```ts
 * const data = dataset([[1, 2], [-1, -3]], [1, -1]);
 * data.n; // 2
 * data.X; // Float64Array [1, 2, -1, -3]
 * dataset(new Float64Array([1, 2, -1, -3]), [1, -1], 2); // the same data, from a flat array
 * ```
 */
export function dataset(X: DataMatrix, y: ArrayLike<number>, d?: number): Dataset {
  if (d !== undefined) checkNumber(FN, 'd', d, { integer: true, min: 1 });
  const m = toRowMajor(FN, X, d);
  const labels = toLabels(y, m.n);
  return Object.freeze({ X: m.X, y: labels, n: m.n, d: m.d });
}
