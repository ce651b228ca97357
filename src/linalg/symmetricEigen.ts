import { EigenvalueDecomposition } from 'ml-matrix';
import { checkShape, fromMatrix, toMatrix } from './mlMatrix.js';

/** What {@link symmetricEigen} returns: A = V diag(values) Vᵀ. */
export interface SymmetricEigen {
  /** The n eigenvalues (ml-matrix's order: ascending for a symmetric matrix). */
  readonly values: Float64Array;
  /** V: n×n, row-major; column k (entries k, n + k, 2n + k, …) is a unit eigenvector for values[k]. */
  readonly vectors: Float64Array;
}

/**
 * The eigen-decomposition of a symmetric n×n row-major matrix (ml-matrix's `EigenvalueDecomposition` with
 * `assumeSymmetric`: Householder tridiagonalization and the QL algorithm). Symmetry is not checked.
 * Internal (not re-exported from the package root).
 *
 * @param A - n×n, row-major, symmetric.
 * @param n - an integer ≥ 1.
 * @returns `{ values, vectors }`, see {@link SymmetricEigen}.
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad shape.
 * @internal
 */
export function symmetricEigen(A: ArrayLike<number>, n: number): SymmetricEigen {
  checkShape('symmetricEigen', 'A', A, n, n);
  const eig = new EigenvalueDecomposition(toMatrix(A, n, n), { assumeSymmetric: true });
  return { values: Float64Array.from(eig.realEigenvalues), vectors: fromMatrix(eig.eigenvectorMatrix) };
}
