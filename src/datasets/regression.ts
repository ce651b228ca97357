import { InvalidInputError } from '../errors/index.js';
import { checkNumber, isArrayOrTypedArray, show, toFiniteVector } from '../util/validate.js';
import { hasDataShape } from './checkDataset.js';
import { type DataMatrix, toRowMajor } from './dataMatrix.js';

/**
 * A regression set: `X` is row-major n×d (row i is xᵢ, at offset i·d), `y[i]` is any finite real target.
 * Built and validated by {@link regressionDataset}; every function that takes a `RegressionDataset` trusts
 * these invariants. (A classification {@link Dataset} has the same shape, with y ∈ {−1, +1}ⁿ, so it is
 * also a valid regression set.)
 */
export interface RegressionDataset {
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly d: number;
}

const FN = 'regressionDataset';

/**
 * Builds a validated {@link RegressionDataset}: a fresh contiguous row-major copy of `X` and the real
 * targets `y`, in a frozen object `{ X, y, n, d }`. `X` is read exactly as {@link dataset} reads it (rows,
 * flat row-major with `d`, an ml-matrix `Matrix`, a 2-D ndarray) with the same checks; `y` may be any
 * finite reals. The input is never aliased.
 *
 * @param X - the n×d inputs, n ≥ 1 and d ≥ 1.
 * @param y - n finite targets.
 * @param d - the number of columns; required for flat `X`, and checked against the shape otherwise.
 * @returns a frozen `{ X: Float64Array, y: Float64Array, n, d }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for n = 0 or d = 0, ragged rows, non-numbers or
 *   NaN/±Infinity in X or y, a flat length not divisible by d, a missing `d` for flat input, `y.length ≠ n`.
 * @example
 * ```ts
 * const data = regressionDataset([[1, 1, 1], [1, 2, 0]], [1, 10]); // the slides' example
 * data.d; // 3
 * ```
 */
export function regressionDataset(X: DataMatrix, y: ArrayLike<number>, d?: number): RegressionDataset {
  if (d !== undefined) checkNumber(FN, 'd', d, { integer: true, min: 1 });
  const m = toRowMajor(FN, X, d);
  if (isArrayOrTypedArray(y) && y.length !== m.n) {
    throw new InvalidInputError(
      FN,
      'y',
      `must have length n = ${m.n} (one target per row of X), got length ${y.length}`,
    );
  }
  const targets = toFiniteVector(FN, 'y', y, m.n);
  return Object.freeze({ X: m.X, y: targets, n: m.n, d: m.d });
}

/**
 * Internal (not re-exported): throws `INVALID_INPUT` unless `data` has the shape of a
 * {@link RegressionDataset} (Float64Array `X` of length n·d and `y` of length n).
 * @internal
 */
export function checkRegressionDataset(fn: string, option: string, data: unknown): RegressionDataset {
  const ok = hasDataShape(data);
  if (!ok) {
    throw new InvalidInputError(
      fn,
      option,
      `must be a RegressionDataset (build one with regressionDataset(X, y)), got ${show(data)}`,
    );
  }
  return data as RegressionDataset;
}
