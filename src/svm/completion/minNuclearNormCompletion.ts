import {
  checkMatrixCompletionDataset,
  type MatrixCompletionDataset,
} from '../../datasets/matrixCompletion.js';
import { sumOfOuterProducts } from '../../kernels/lowRank.js';
import { singularValues } from '../../linalg/singularValues.js';
import { thinSvd } from '../../linalg/svd.js';
import { checkKnownKeys, checkNumber, checkObject } from '../../util/validate.js';

/** Options of {@link minNuclearNormCompletion}. */
export interface MinNuclearNormCompletionOptions {
  /** Stop once the certified relative duality gap is ≤ tol (finite, > 0). Default 1e-6. */
  tol?: number;
  /** The most ADMM iterations (integer ≥ 1). Default 100 000. */
  maxIterations?: number;
}

/** What {@link minNuclearNormCompletion} returns. */
export interface MinNuclearNormCompletion {
  /** The completion, rows×cols row-major: exactly the observed values on Ω. */
  readonly Z: Float64Array;
  /** ‖Z‖_*, the sum of its singular values (an upper bound on the minimum). */
  readonly nuclearNorm: number;
  /**
   * The certified relative duality gap (‖Z‖_* − ⟨Y, M_Ω⟩)/‖Z‖_* ≥ 0 with the dual certificate Y below: the
   * minimum nuclear norm lies in [(1 − gap)‖Z‖_*, ‖Z‖_*]. 0 when every observed value is 0.
   */
  readonly gap: number;
  /** The lower bound ⟨Y, M_Ω⟩ on the minimum nuclear norm. */
  readonly lowerBound: number;
  /** The dual certificate Y, rows×cols row-major: zero off Ω, spectral norm ‖Y‖₂ ≤ 1. */
  readonly dual: Float64Array;
  /** Whether gap ≤ tol was reached within `maxIterations`. */
  readonly converged: boolean;
  /** ADMM iterations done. */
  readonly iterations: number;
}

const FN = 'minNuclearNormCompletion';
/** Iterations between two certificate evaluations (an SVD of Z and the singular values of Y each). */
const CHECK_EVERY = 10;
/** Over-relaxation of the X-update (Boyd et al. §3.4.3): about half the iterations of the plain method here. */
const RELAX = 1.6;

/**
 * The minimum-nuclear-norm completion of a partially observed matrix, the convex surrogate for the lowest-rank
 * completion (Candès & Recht 2009) and the conjectured limit of depth-2 matrix factorization trained by GD from
 * small initialization (Gunasekar et al. 2017; the slides' "Matrix factorization" section):
 *
 *   Z⋆ = argmin ‖Z‖_* subject to Z_ij = M_ij for every (i, j) ∈ Ω (exactly).
 *
 * **Method: ADMM** on min ‖X‖_* + 𝟙{Z_Ω = M_Ω} s.t. X = Z, with scaled multiplier U:
 * X ← SVT_{1/ρ}(Z − U) (singular-value soft thresholding), X ← 1.6·X + (1 − 1.6)·Z (over-relaxation),
 * Z ← X + U with Z_Ω reset to M_Ω, U ← U + X − Z (so U is exactly zero off Ω), ρ adapted by residual
 * balancing (Boyd et al. 2011, §3.4.1 and §3.4.3).
 *
 * **Certificate.** Weak duality: for any Y supported on Ω with spectral norm ‖Y‖₂ ≤ 1 and any feasible Z,
 * ‖Z‖_* ≥ ⟨Y, Z⟩ = ⟨Y, M_Ω⟩ (the nuclear and spectral norms are dual). Every `CHECK_EVERY` iterations the
 * feasible Z gives the upper bound ‖Z‖_* and the multiplier Y = −ρU, scaled by 1/max(1, ‖Y‖₂), the lower
 * bound; the returned gap is (best upper − best lower)/best upper, certified whatever the iterate's accuracy.
 * At the optimum the gap is 0: Y is then a subgradient of ‖·‖_* at Z⋆ (the dual optimum).
 *
 * Cost: one thin SVD of a rows×cols matrix per iteration (ml-matrix, through `src/linalg`), plus the singular
 * values of Z and of Y per check (every 10 iterations, when ρ may also change). The gap falls roughly tenfold
 * per doubling of the iterations: on fifteen 12×12 and 20×20 rank-1/2 problems (`datasets.matrixCompletion`,
 * 30–50 % observed) at most 300 iterations reached 10⁻⁴, 3300 reached 10⁻⁶ (the default; the completion is then
 * within ~10⁻⁴ relative of the optimum) and 11 000 reached 10⁻⁸.
 *
 * @param data - a {@link MatrixCompletionDataset} (`datasets.matrixCompletion(...)`, or any object of that
 *   shape: rows, cols, the sorted distinct flat indices `observed` = i·cols + j and their `values`).
 * @param options - `{ tol?, maxIterations? }`, see {@link MinNuclearNormCompletionOptions}.
 * @returns `{ Z, nuclearNorm, gap, lowerBound, dual, converged, iterations }`, see
 *   {@link MinNuclearNormCompletion}. Not reaching `tol` is reported by `converged: false`, not thrown: the gap
 *   is certified either way.
 * @throws InvalidInputError (`INVALID_INPUT`) for a malformed data set or option.
 *
 * @example
 * ```ts
 * import { datasets, minNuclearNormCompletion } from 'implicit-bias';
 * // [[1, 2], [3, ?]]: ‖[[1, 2], [3, x]]‖_* = √(14 + x² + 2|x − 6|) is smallest at x = 1 (value 5), not at
 * // the rank-1 completion x = 6 (√50): minimizing the nuclear norm need not give the lowest rank.
 * const r = minNuclearNormCompletion({
 *   rows: 2, cols: 2, observed: Int32Array.of(0, 1, 2), values: Float64Array.of(1, 2, 3),
 * });
 * r.Z; // ≈ [1, 2, 3, 1]; r.nuclearNorm ≈ 5; r.gap ≤ 1e-6
 * ```
 *
 * References: E. J. Candès and B. Recht, "Exact matrix completion via convex optimization", 2009;
 * S. Boyd et al., "Distributed optimization and statistical learning via ADMM", 2011; S. Gunasekar et al.,
 * "Implicit regularization in matrix factorization", NeurIPS 2017.
 */
export function minNuclearNormCompletion(
  data: MatrixCompletionDataset,
  options?: MinNuclearNormCompletionOptions,
): MinNuclearNormCompletion {
  const d = checkMatrixCompletionDataset(FN, 'data', data);
  const o = checkObject(FN, 'options', options);
  checkKnownKeys(FN, o, ['tol', 'maxIterations']);
  const tol = o.tol === undefined ? 1e-6 : checkNumber(FN, 'tol', o.tol, { min: 0, exclusiveMin: true });
  const maxIterations =
    o.maxIterations === undefined
      ? 100_000
      : checkNumber(FN, 'maxIterations', o.maxIterations, { integer: true, min: 1 });
  const { rows, cols, observed, values } = d;
  const size = rows * cols;
  const m = observed.length;

  // Z starts as the zero-filled observations, X and U at 0.
  const Z = new Float64Array(size);
  for (let s = 0; s < m; s++) Z[observed[s]!] = values[s]!;
  let normM = 0;
  for (let s = 0; s < m; s++) normM = Math.hypot(normM, values[s]!);
  if (normM === 0) {
    return {
      Z,
      nuclearNorm: 0,
      gap: 0,
      lowerBound: 0,
      dual: new Float64Array(size),
      converged: true,
      iterations: 0,
    };
  }
  const X = new Float64Array(size);
  const U = new Float64Array(size);
  const A = new Float64Array(size);
  const Zold = new Float64Array(size);
  const Y = new Float64Array(size);
  // ρ of the order of 1/‖M_Ω‖₂ makes the first threshold comparable to the data's singular values.
  const rho0 = 1 / Math.max(singularValues(Z, rows, cols)[0]!, 1e-300);
  let rho = rho0;

  let bestUpper = Number.POSITIVE_INFINITY;
  let bestZ = Z.slice();
  let bestLower = Number.NEGATIVE_INFINITY;
  let bestY = new Float64Array(size);
  let iterations = 0;
  let gap = Number.POSITIVE_INFINITY;

  const certify = (): void => {
    const upper = sumOf(singularValues(Z, rows, cols));
    if (upper < bestUpper) {
      bestUpper = upper;
      bestZ = Z.slice();
    }
    let lower = 0;
    for (let s = 0; s < m; s++) Y[observed[s]!] = -rho * U[observed[s]!]!;
    const spectral = singularValues(Y, rows, cols)[0]!;
    const shrink = 1 / Math.max(1, spectral);
    for (let s = 0; s < m; s++) lower += shrink * Y[observed[s]!]! * values[s]!;
    if (lower > bestLower) {
      bestLower = lower;
      bestY = Y.slice();
      for (let s = 0; s < m; s++) bestY[observed[s]!] = bestY[observed[s]!]! * shrink;
    }
    gap = Math.max(0, (bestUpper - bestLower) / bestUpper);
  };

  certify();
  while (gap > tol && iterations < maxIterations) {
    iterations++;
    // X ← SVT_{1/ρ}(Z − U)
    for (let k = 0; k < size; k++) A[k] = Z[k]! - U[k]!;
    softThreshold(X, A, rows, cols, 1 / rho);
    // Z ← X + U off Ω, M on Ω; U ← U + X − Z (zero off Ω)
    Zold.set(Z);
    for (let k = 0; k < size; k++) X[k] = RELAX * X[k]! + (1 - RELAX) * Zold[k]!;
    for (let k = 0; k < size; k++) Z[k] = X[k]! + U[k]!;
    for (let s = 0; s < m; s++) Z[observed[s]!] = values[s]!;
    let r2 = 0;
    let s2 = 0;
    for (let k = 0; k < size; k++) {
      const diff = X[k]! - Z[k]!;
      U[k] = U[k]! + diff;
      r2 += diff * diff;
      const dz = Z[k]! - Zold[k]!;
      s2 += dz * dz;
    }
    if (iterations % CHECK_EVERY !== 0) continue;
    // Every CHECK_EVERY iterations: the certificate, and residual balancing of the primal ‖X − Z‖ against the
    // dual ρ‖Z − Z_old‖ (changing ρ every iteration makes the iterates cycle), ρ kept within 10⁶ of its start
    // (with every entry observed Z never moves, the dual residual is 0, and ρ must not run away).
    certify();
    const r = Math.sqrt(r2);
    const sdual = rho * Math.sqrt(s2);
    if (r > 10 * sdual && rho < rho0 * 1e6) {
      rho *= 2;
      for (let k = 0; k < size; k++) U[k] = U[k]! / 2;
    } else if (sdual > 10 * r && rho > rho0 * 1e-6) {
      rho /= 2;
      for (let k = 0; k < size; k++) U[k] = U[k]! * 2;
    }
  }
  if (iterations % CHECK_EVERY !== 0) certify();
  return {
    Z: bestZ,
    nuclearNorm: bestUpper,
    gap,
    lowerBound: bestLower,
    dual: bestY,
    converged: gap <= tol,
    iterations,
  };
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]!;
  return s;
}

/** out = U diag(max(σ − τ, 0)) Vᵀ for the thin SVD A = U diag(σ) Vᵀ of the rows×cols row-major A. */
function softThreshold(out: Float64Array, A: Float64Array, rows: number, cols: number, tau: number): void {
  const { k, values, U, V } = thinSvd(A, rows, cols);
  for (let r = 0; r < k; r++) values[r] = values[r]! - tau;
  sumOfOuterProducts(out, U, values, V, rows, cols, k);
}
