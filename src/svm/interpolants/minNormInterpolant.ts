import type { DataMatrix } from '../../datasets/dataMatrix.js';
import { InvalidInputError, SolverFailedError } from '../../errors/index.js';
import { norm2 } from '../../kernels/vector.js';
import { thinSvd } from '../../linalg/svd.js';
import { checkKnownKeys, checkObject, show } from '../../util/validate.js';
import { readProblem, residual } from './internal.js';

/** Options of {@link minNormInterpolant}. */
export interface MinNormInterpolantOptions {
  /**
   * Relative rank tolerance of the pseudo-inverse: singular values σ ≤ rtol·σ_max count as zero. Default
   * `max(n, d)·Number.EPSILON` (NumPy's `matrix_rank`/`lstsq` default, as in `rowSpaceBasis`).
   */
  rtol?: number;
}

/** What {@link minNormInterpolant} returns. */
export interface MinNormInterpolant {
  /** w = w₀ + X⁺(y − Xw₀). */
  w: Float64Array;
  /** ‖Xw − y‖₂: at rounding level when y is realizable (y in the range of X), else the least-squares residual. */
  residual: number;
  /** The numerical rank of X used by the pseudo-inverse. */
  rank: number;
}

const FN = 'minNormInterpolant';

/**
 * The interpolant closest to w₀ in the Euclidean norm, the limit of gradient descent on under-determined
 * least squares (Proposition 1 of the slides, [GLSS18]):
 *
 *   w = argmin { ‖w − w₀‖₂ : Xw = y } = w₀ + X⁺(y − Xw₀),
 *
 * characterized by Xw = y and w − w₀ ∈ row space of X (the KKT conditions). For X of full row rank this is
 * w₀ + Xᵀ(XXᵀ)⁻¹(y − Xw₀).
 *
 * Numerics: X⁺ from ml-matrix's SVD (X = UΣVᵀ, X⁺r = V Σ⁻¹ Uᵀ r over the singular values above
 * rtol·σ_max), followed by one step of iterative refinement (w ← w + X⁺(y − Xw), which stays in
 * w₀ + row space). Cost O(n·d·min(n, d)).
 *
 * Not realizable (y outside the range of X, possible only when rank < n): no interpolant exists; the
 * result is then the least-squares solution closest to w₀, and `residual` reports ‖Xw − y‖₂ > 0 — check it
 * (a soft outcome reported as data, not an error).
 *
 * @param X - the n×d data: rows, an ml-matrix `Matrix`, a 2-D ndarray, or a flat row-major array such as
 *   `data.X` (then d = w0.length, or X.length / y.length without w0).
 * @param y - n finite targets.
 * @param w0 - the starting point w₀ (length d, default zeros).
 * @param options - `rtol`, see {@link MinNormInterpolantOptions}.
 * @returns `{ w, residual, rank }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad shapes, non-finite entries or a bad `rtol`;
 *   SolverFailedError (`SOLVER_FAILED`) if the SVD returns non-finite values.
 * @example
 * ```ts
 * const { w } = minNormInterpolant([[1, 1, 1], [1, 2, 0]], [1, 10]);
 * // w = Xᵀ(XXᵀ)⁻¹y = [1/3, 29/6, −25/6]
 * ```
 */
export function minNormInterpolant(
  X: DataMatrix,
  y: ArrayLike<number>,
  w0?: ArrayLike<number>,
  options: MinNormInterpolantOptions = {},
): MinNormInterpolant {
  const o = checkObject(FN, 'options', options);
  checkKnownKeys(FN, o, ['rtol']);
  const { X: A, y: b, w0: start, n, d } = readProblem(FN, X, y, w0);
  const rtol = o.rtol === undefined ? Math.max(n, d) * Number.EPSILON : o.rtol;
  if (typeof rtol !== 'number' || !Number.isFinite(rtol) || rtol < 0) {
    throw new InvalidInputError(FN, 'options.rtol', `must be a finite number >= 0, got ${show(rtol)}`);
  }
  const { k, values: sv, U, V } = thinSvd(A, n, d); // U n×k, V d×k
  if (!sv.every(Number.isFinite)) {
    throw new SolverFailedError(`${FN}: the SVD returned non-finite singular values (n = ${n}, d = ${d})`);
  }
  const cut = rtol * (sv[0] ?? 0);
  let rank = 0;
  while (rank < k && sv[rank]! > cut) rank++;
  const z = new Float64Array(rank);
  const r = new Float64Array(n);
  const w = Float64Array.from(start);
  // w ← w − X⁺(Xw − y), twice: the first step solves, the second refines away the rounding of the first.
  for (let pass = 0; pass < 2; pass++) {
    residual(r, A, w, b, n, d);
    for (let c = 0; c < rank; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += U[i * k + c]! * r[i]!;
      z[c] = s / sv[c]!;
    }
    for (let j = 0; j < d; j++) {
      const Vj = j * k;
      let s = 0;
      for (let c = 0; c < rank; c++) s += V[Vj + c]! * z[c]!;
      w[j]! -= s;
    }
  }
  residual(r, A, w, b, n, d);
  return { w, residual: norm2(r, n), rank };
}
