import { SingularValueDecomposition } from 'ml-matrix';
import { checkShape, toMatrix } from './mlMatrix.js';

/**
 * The singular values of a rows×cols row-major matrix, in decreasing order (min(rows, cols) of them).
 * Internal (not re-exported from the package root).
 *
 * **Method:** ml-matrix's SVD (one-sided Golub–Kahan–Reinsch) without the singular vectors, with
 * `autoTranspose` for wide matrices; the values are then sorted decreasingly (a NaN, if any, comes first).
 * Cost O(rows·cols·min(rows, cols)).
 *
 * @param a - rows×cols, row-major (entry (i, j) at i·cols + j).
 * @param rows - an integer ≥ 1.
 * @param cols - an integer ≥ 1.
 * @returns a new `Float64Array` σ₁ ≥ σ₂ ≥ … ≥ σ_min(rows, cols) ≥ 0.
 * @throws InvalidInputError (`INVALID_INPUT`) when rows or cols is not an integer ≥ 1 or a.length ≠ rows·cols.
 * @example
 * ```ts
 * singularValues(Float64Array.of(3, 0, 0, -4), 2, 2); // Float64Array [4, 3]
 * ```
 * @internal
 */
export function singularValues(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  checkShape('singularValues', 'a', a, rows, cols);
  const svd = new SingularValueDecomposition(toMatrix(a, rows, cols), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return Float64Array.from(svd.diagonal).sort().reverse();
}
