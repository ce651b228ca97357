import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';

/** What {@link cholesky} returns. */
export interface CholeskyFactor {
  /** The order n of A. */
  readonly n: number;
  /**
   * L: n×n row-major, lower triangular with a positive diagonal, A = LLᵀ (entries above the diagonal
   * are 0). When `positiveDefinite` is false, only the first `failedAt` columns are meaningful.
   */
  readonly L: Float64Array;
  /** True when every pivot was positive and numerically nonzero (see {@link cholesky}). */
  readonly positiveDefinite: boolean;
  /** The 0-based column at which factorization stopped, or −1 when A is positive definite. */
  readonly failedAt: number;
  /**
   * Solves A x = b by forward and back substitution with L; writes x into `out` and returns it. `out`
   * may alias `b`. Allocates nothing. Throws `INVALID_INPUT` when A is not positive definite or the
   * lengths are not n.
   */
  solve(out: Float64Array, b: ArrayLike<number>): Float64Array;
}

/**
 * The Cholesky factorization A = LLᵀ of a symmetric positive definite matrix.
 *
 * **Math:** for j = 0 … n−1, L_jj = √(A_jj − Σ_{k<j} L_jk²) and L_ij = (A_ij − Σ_{k<j} L_ik L_jk)/L_jj
 * for i > j (the Cholesky–Banachiewicz order, row-major friendly). Only the lower triangle of A is read;
 * symmetry is the caller's responsibility. A pivot A_jj − Σ L_jk² that is not > n·ε·|A_jj| (or not
 * finite) means A is not positive definite to working precision: the factorization stops there and
 * reports it as data (`positiveDefinite: false`, `failedAt`), as ml-matrix's `CholeskyDecomposition`
 * does, so the caller decides whether that is an error.
 *
 * @param A - n×n, row-major (entry (i, j) at i·n + j), finite.
 * @param n - the order, an integer ≥ 1.
 * @returns `{ n, L, positiveDefinite, failedAt, solve }`.
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad `n`, a length other than n², or a non-finite entry.
 *
 * @example
 * ```ts
 * const { L, positiveDefinite, solve } = cholesky(Float64Array.of(4, 2, 2, 3), 2);
 * // positiveDefinite === true, L = [2, 0, 1, √2]
 * solve(new Float64Array(2), [2, 1]); // x = [0.5, 0], since A·x = b
 * ```
 *
 * Reference: Golub & Van Loan, *Matrix Computations* (4th ed.), §4.2 (Algorithm 4.2.1).
 */
export function cholesky(A: ArrayLike<number>, n: number): CholeskyFactor {
  const fn = 'cholesky';
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidInputError(fn, 'n', `must be an integer >= 1, got ${show(n)}`);
  if (A.length !== n * n) {
    throw new InvalidInputError(fn, 'A', `must have length n² = ${n * n}, got length ${A.length}`);
  }
  for (let k = 0; k < n * n; k++) {
    if (!Number.isFinite(A[k])) {
      throw new InvalidInputError(
        fn,
        `A[${Math.floor(k / n)}][${k % n}]`,
        `must be finite, got ${show(A[k])}`,
      );
    }
  }
  const L = new Float64Array(n * n);
  const tol = n * Number.EPSILON;
  let failedAt = -1;
  outer: for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = A[ri + j]!;
      // both rows are walked left to right: sequential memory in the row-major store
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      if (i === j) {
        if (!(s > tol * Math.abs(A[ri + i]!)) || !Number.isFinite(s)) {
          failedAt = i;
          break outer;
        }
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j]!;
      }
    }
  }
  const positiveDefinite = failedAt === -1;
  const solve = (out: Float64Array, b: ArrayLike<number>): Float64Array => {
    if (!positiveDefinite) {
      throw new InvalidInputError(
        fn,
        'A',
        `is not positive definite (pivot ${failedAt} failed); cannot solve`,
      );
    }
    if (b.length !== n) throw new InvalidInputError(fn, 'b', `must have length ${n}, got length ${b.length}`);
    if (out.length !== n)
      throw new InvalidInputError(fn, 'out', `must have length ${n}, got length ${out.length}`);
    // L y = b (forward), then Lᵀ x = y (backward); each entry is read before it is overwritten, so
    // out may alias b.
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      let s = b[i]!;
      for (let k = 0; k < i; k++) s -= L[ri + k]! * out[k]!;
      out[i] = s / L[ri + i]!;
    }
    // Lᵀx = y column by column: column i of Lᵀ is row i of L, so the inner loop walks memory
    // sequentially (the dot-product form would stride down a column of L)
    for (let i = n - 1; i >= 0; i--) {
      const ri = i * n;
      const xi = out[i]! / L[ri + i]!;
      out[i] = xi;
      for (let k = 0; k < i; k++) out[k] = out[k]! - L[ri + k]! * xi;
    }
    return out;
  };
  return Object.freeze({ n, L, positiveDefinite, failedAt, solve });
}
