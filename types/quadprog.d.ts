/**
 * Minimal ambient types for `quadprog` 1.6.1 (Goldfarb–Idnani dual active-set QP solver, a port of the
 * Fortran `quadprog` of Turlach & Weingessel; the package ships no types).
 *
 * `solveQP(Dmat, dvec, Amat, bvec, meq, factorized)` minimizes `−dvecᵀx + ½ xᵀ Dmat x` subject to
 * `Amatᵀ x ≥ bvec`, the first `meq` constraints being equalities.
 *
 * Quirks (see shared TOOLCHAIN.md):
 * - every array is **1-based** (index 0 is ignored); `Amat[j][i]` is entry j of constraint i (column i
 *   of Amat is constraint i), `Dmat[i][j]` is row i, column j;
 * - `Dmat` and `dvec` are **overwritten** (and `Amat`/`bvec` for equality constraints);
 * - `Dmat` must be positive definite; `factorized` must be an array: `[0, 0]` means Dmat is D,
 *   `[0, 1]` means Dmat already holds R⁻¹ with D = RᵀR (R upper triangular);
 * - on return `factorized[1]` is the error flag: 1 = constraints inconsistent, 2 = D not positive definite.
 */
declare module 'quadprog' {
  /** What {@link solveQP} returns; every array is 1-based. */
  export interface QuadprogResult {
    /** The minimizer x (1-based, length n + 1). */
    solution: number[];
    /** Lagrange multipliers, one per constraint (1-based, length q + 1); ≥ 0 for inequalities. */
    Lagrangian: number[];
    /** `value[1]` is the optimal objective. */
    value: number[];
    /** The unconstrained minimizer D⁻¹d (1-based). */
    unconstrained_solution: number[];
    /** `iterations[1]`: iterations; `iterations[2]`: constraints dropped from the active set. */
    iterations: number[];
    /** 1-based indices of the constraints active at the solution (0-terminated). */
    iact: number[];
    /** Empty on success, otherwise e.g. `"constraints are inconsistent, no solution!"`. */
    message: string;
  }

  /** Solves min −dᵀx + ½xᵀDx s.t. Aᵀx ≥ b0 (first `meq` as equalities); see the module comment. */
  export function solveQP(
    Dmat: number[][],
    dvec: number[],
    Amat: number[][],
    bvec: number[],
    meq?: number,
    factorized?: number[],
  ): QuadprogResult;
}
