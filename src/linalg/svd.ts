import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { checkShape, fromMatrix, toMatrix } from './mlMatrix.js';

/** What {@link thinSvd} returns: A = U diag(values) Vᵀ. */
export interface ThinSvd {
  /** k = min(rows, cols). */
  readonly k: number;
  /** σ₁ ≥ … ≥ σ_k ≥ 0. */
  readonly values: Float64Array;
  /** U: rows×k, row-major, orthonormal columns. */
  readonly U: Float64Array;
  /** V: cols×k, row-major, orthonormal columns. */
  readonly V: Float64Array;
}

/**
 * The thin SVD A = U Σ Vᵀ of a rows×cols row-major matrix (ml-matrix's, with `autoTranspose` for wide A).
 * Internal (not re-exported from the package root).
 *
 * @param A - rows×cols, row-major.
 * @param rows - an integer ≥ 1.
 * @param cols - an integer ≥ 1.
 * @returns `{ k, values, U, V }`, see {@link ThinSvd}.
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad shape.
 * @internal
 */
export function thinSvd(A: ArrayLike<number>, rows: number, cols: number): ThinSvd {
  checkShape('thinSvd', 'A', A, rows, cols);
  const svd = new SingularValueDecomposition(toMatrix(A, rows, cols), { autoTranspose: true });
  const values = Float64Array.from(svd.diagonal);
  const k = values.length;
  return { k, values, U: fromMatrix(svd.leftSingularVectors, k), V: fromMatrix(svd.rightSingularVectors, k) };
}

/**
 * The minimum-norm least-squares solution x = A⁺b of A x ≈ b from the SVD of A (ml-matrix's
 * `solve(A, b, true)`: singular values ≤ ε/2·max(rows, cols)·σ₁ count as zero), so it exists for singular
 * or rank-deficient A. Internal (not re-exported from the package root).
 *
 * @param A - rows×cols, row-major.
 * @param rows - an integer ≥ 1.
 * @param cols - an integer ≥ 1.
 * @param b - the right-hand side, length rows.
 * @returns a new `Float64Array` x of length cols.
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad shape.
 * @internal
 */
export function svdSolve(
  A: ArrayLike<number>,
  rows: number,
  cols: number,
  b: ArrayLike<number>,
): Float64Array {
  checkShape('svdSolve', 'A', A, rows, cols);
  checkShape('svdSolve', 'b', b, rows, 1);
  return Float64Array.from(
    solve(toMatrix(A, rows, cols), Matrix.columnVector(Array.from(b)), true).to1DArray(),
  );
}
