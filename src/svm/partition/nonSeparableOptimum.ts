import { checkDataset } from '../../datasets/checkDataset.js';
import { dataset } from '../../datasets/dataset.js';
import type { Dataset } from '../../datasets/types.js';
import { ImplicitBiasError, InvalidInputError, SolverFailedError } from '../../errors/index.js';
import { LOSS_ID } from '../../kernels/marginLoss.js';
import { cholesky } from '../../linalg/cholesky.js';
import { checkPartition, type PartitionSubspaces } from '../../linalg/partitionSubspaces.js';
import { exponential } from '../../losses/exponential.js';
import type { MarginLoss } from '../../losses/types.js';
import { checkWeights } from '../../losses/weightedRisk.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../../util/validate.js';
import { hardMarginSVM } from '../hardMarginSVM.js';

export type { PartitionSubspaces };

const FN = 'nonSeparableOptimum';

/** Options of {@link nonSeparableOptimum}. */
export interface NonSeparableOptimumOptions {
  /** Importance weights wᵢ (length n; finite, ≥ 0, not all zero; default all 1). Must be > 0 on D_non-sep. */
  weights?: ArrayLike<number>;
  /** The margin loss (default `exponential`). */
  loss?: MarginLoss;
  /**
   * Newton stops when ‖∇L_non-sep‖₂ ≤ tol·s, with s = (1/n) Σ_{i∈D_non-sep} wᵢ‖xᵢ‖₂ the gradient's
   * scale at θ = 0 for ℓ′(0) = −1 (default 1e-10).
   */
  tol?: number;
  /** Maximum Newton iterations (default 100). */
  maxIterations?: number;
}

/** What {@link nonSeparableOptimum} returns. */
export interface NonSeparableOptimum {
  /** θ̃(w) = argmin_{θ∈S} L_non-sep(θ; w), as a vector of ℝᵈ (in S). The zero vector when D_non-sep = ∅. */
  theta: Float64Array;
  /** Newton iterations taken. */
  iterations: number;
  /** ‖∇L_non-sep(θ̃(w); w)‖₂ restricted to S (the gradient has no S⊥ part anyway). */
  gradientNorm: number;
  /** L_non-sep(θ̃(w); w) = (1/n) Σ_{i∈D_non-sep} wᵢ ℓ(yᵢθ̃ᵀxᵢ), with the full n. */
  risk: number;
  /**
   * γ_sep: the max margin of D_sep's points projected onto S⊥ (hard-margin SVM through the origin, in the
   * coordinates of `sepBasis`); null when D_sep = ∅. Independent of the weights.
   */
  gammaSep: number | null;
  /** The unit max-margin direction of D_sep in S⊥, as a vector of ℝᵈ; null when D_sep = ∅. */
  sepDirection: Float64Array | null;
}

/** ℓ″(u), stable for every finite u. */
function secondDerivative(loss: MarginLoss, u: number): number {
  if (loss.id === LOSS_ID.exponential) return Math.exp(-u);
  // logistic: ℓ(u) = log(1 + e^{−u}), ℓ″ = σ(u)σ(−u) = e^{−|u|}/(1 + e^{−|u|})²
  const e = Math.exp(-Math.abs(u));
  return e / ((1 + e) * (1 + e));
}

/** The validated options of {@link nonSeparableOptimum}. */
interface Settings {
  w: Float64Array;
  loss: MarginLoss;
  tol: number;
  maxIterations: number;
}

/** Reads `weights` (default all 1), `loss` (exponential or logistic), `tol` and `maxIterations`. */
function readSettings(options: unknown, n: number): Settings {
  const opts = checkObject(FN, 'options', options);
  checkKnownKeys(FN, opts, ['weights', 'loss', 'tol', 'maxIterations']);
  const w = opts.weights === undefined ? new Float64Array(n).fill(1) : checkWeights(FN, opts.weights, n);
  const loss = (opts.loss ?? exponential) as MarginLoss;
  if (
    loss !== exponential &&
    (typeof loss !== 'object' ||
      loss === null ||
      (loss.id !== LOSS_ID.exponential && loss.id !== LOSS_ID.logistic))
  ) {
    throw new InvalidInputError(FN, 'loss', `must be exponential or logistic, got ${show(loss)}`);
  }
  const tol = checkNumber(FN, 'tol', opts.tol ?? 1e-10, { min: 0, exclusiveMin: true });
  const maxIterations = checkNumber(FN, 'maxIterations', opts.maxIterations ?? 100, {
    integer: true,
    min: 1,
  });
  return { w, loss, tol, maxIterations };
}

/** Rejects a zero weight on D_non-sep and a rank that does not vanish exactly with D_non-sep. */
function checkNonSeparablePart(part: PartitionSubspaces, w: Float64Array): void {
  const idx = part.nonSeparable;
  const m = idx.length;
  for (let k = 0; k < m; k++) {
    if (w[idx[k]!]! === 0) {
      throw new InvalidInputError(
        FN,
        `weights[${idx[k]}]`,
        'must be > 0 on D_non-sep (a zero weight drops the point; recompute the partition without it)',
      );
    }
  }
  const r = part.rank;
  if ((m === 0) !== (r === 0)) {
    throw new InvalidInputError(
      FN,
      'partition.rank',
      `must be 0 exactly when D_non-sep is empty (rank ${r}, |D_non-sep| = ${m})`,
    );
  }
}

/**
 * L_non-sep in the coordinates z of S (θ = Bᵀz): the points pᵢ = yᵢBxᵢ of D_non-sep (rows of P, m×r),
 * their weights wᵢ/n, and the gradient's scale s = (1/n) Σ wᵢ‖xᵢ‖₂ at θ = 0.
 */
interface NonSepRisk {
  readonly m: number;
  readonly r: number;
  readonly P: Float64Array;
  readonly wk: Float64Array;
  readonly scale: number;
  readonly loss: MarginLoss;
  /** The gradient and (lower triangle of the) Hessian of the last `gradHess`. */
  readonly g: Float64Array;
  readonly H: Float64Array;
}

function nonSepRisk(
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  part: PartitionSubspaces,
  w: Float64Array,
  loss: MarginLoss,
): NonSepRisk {
  const r = part.rank;
  const B = part.nonSepBasis;
  const idx = part.nonSeparable;
  const m = idx.length;
  // yᵢ·pᵢ = yᵢ·Bxᵢ, m×r
  const P = new Float64Array(m * r);
  const wk = new Float64Array(m);
  let scale = 0;
  for (let k = 0; k < m; k++) {
    const i = idx[k]!;
    const xi = X.subarray(i * d, i * d + d);
    let nx = 0;
    for (let j = 0; j < d; j++) nx += xi[j]! * xi[j]!;
    scale += w[i]! * Math.sqrt(nx);
    wk[k] = w[i]! / n;
    for (let a = 0; a < r; a++) {
      let s = 0;
      const ba = a * d;
      for (let j = 0; j < d; j++) s += B[ba + j]! * xi[j]!;
      P[k * r + a] = y[i]! * s;
    }
  }
  scale /= n;
  return { m, r, P, wk, scale, loss, g: new Float64Array(r), H: new Float64Array(r * r) };
}

/** zᵀpₖ, the margin of point k of D_non-sep. */
function marginOf(f: NonSepRisk, z: Float64Array, k: number): number {
  let s = 0;
  for (let a = 0; a < f.r; a++) s += z[a]! * f.P[k * f.r + a]!;
  return s;
}

/** L_non-sep at z. */
function riskAt(f: NonSepRisk, z: Float64Array): number {
  let s = 0;
  for (let k = 0; k < f.m; k++) s += f.wk[k]! * f.loss.value(marginOf(f, z, k));
  return s;
}

/** The gradient at z into f.g (and, `withHessian`, the Hessian's lower triangle into f.H); returns ‖∇‖₂. */
function gradHess(f: NonSepRisk, z: Float64Array, withHessian: boolean): number {
  const { g, H, P, wk, r, m, loss } = f;
  g.fill(0);
  if (withHessian) H.fill(0);
  for (let k = 0; k < m; k++) {
    const u = marginOf(f, z, k);
    const c1 = wk[k]! * loss.derivative(u);
    const c2 = withHessian ? wk[k]! * secondDerivative(loss, u) : 0;
    const pk = k * r;
    for (let a = 0; a < r; a++) {
      g[a] = g[a]! + c1 * P[pk + a]!;
      if (withHessian)
        for (let b = 0; b <= a; b++) H[a * r + b] = H[a * r + b]! + c2 * P[pk + a]! * P[pk + b]!;
    }
  }
  let s = 0;
  for (let a = 0; a < r; a++) s += g[a]! * g[a]!;
  return Math.sqrt(s);
}

/** The Newton step −H⁻¹g at z into `step` (after gradHess with the Hessian); null if H is not PD. */
function newtonStep(f: NonSepRisk, step: Float64Array): { failedAt: number } | null {
  const chol = cholesky(f.H, f.r);
  if (!chol.positiveDefinite) return { failedAt: chol.failedAt };
  for (let a = 0; a < f.r; a++) step[a] = -f.g[a]!;
  chol.solve(step, step);
  return null;
}

/**
 * Newton's method from z = 0 on L_non-sep (strongly convex on S): Cholesky steps, Armijo backtracking
 * (c = 1e-4, halving, 60 at most) — or the full step when the predicted decrease is below the rounding
 * level of L, judged by ‖∇L‖ — until ‖∇L‖ ≤ tol·s; then {@link polishingStep}. Updates z; returns the
 * iterations, ‖∇L‖ and L.
 */
function minimizeRisk(
  f: NonSepRisk,
  z: Float64Array,
  tol: number,
  maxIterations: number,
): { iterations: number; gnorm: number; L: number } {
  const { r, m, g } = f;
  const step = new Float64Array(r);
  const trial = new Float64Array(r);
  let iterations = 0;
  let gnorm = m === 0 ? 0 : gradHess(f, z, false);
  let L = m === 0 ? 0 : riskAt(f, z);
  const target = tol * f.scale;
  while (m > 0 && gnorm > target) {
    if (iterations >= maxIterations) {
      throw new SolverFailedError(
        `${FN}: Newton did not converge in ${maxIterations} iterations (‖∇L‖ = ${gnorm}, target ${target})`,
      );
    }
    iterations++;
    gradHess(f, z, true);
    const notPD = newtonStep(f, step);
    if (notPD !== null) {
      throw new SolverFailedError(
        `${FN}: the Hessian of L_non-sep on S is not positive definite (pivot ${notPD.failedAt}); is S spanned by D_non-sep?`,
      );
    }
    let slope = 0;
    for (let a = 0; a < r; a++) slope += g[a]! * step[a]!;
    if (-slope <= 64 * Number.EPSILON * L) {
      // the predicted decrease ½|gᵀΔ| is below the resolution of L, so an Armijo test on L compares
      // rounding noise: we are in Newton's quadratic region, take the full step and judge it by ‖∇L‖
      const zOld = Float64Array.from(z);
      for (let a = 0; a < r; a++) z[a] = z[a]! + step[a]!;
      const gNew = gradHess(f, z, false);
      if (!(gNew < gnorm)) {
        z.set(zOld);
        gradHess(f, z, false);
        throw new SolverFailedError(
          `${FN}: Newton stalled at iteration ${iterations} at the rounding level of L (‖∇L‖ = ${gnorm}, target ${target}); loosen tol`,
        );
      }
      L = riskAt(f, z);
    } else {
      const Lt = armijo(f, z, step, trial, L, slope);
      if (Lt === null) {
        throw new SolverFailedError(
          `${FN}: line search failed at iteration ${iterations} (‖∇L‖ = ${gnorm}, target ${target})`,
        );
      }
      L = Lt;
    }
    gnorm = gradHess(f, z, false);
  }
  if (m > 0 && gnorm > 0) {
    const polished = polishingStep(f, z, step, gnorm);
    if (polished !== null) {
      gnorm = polished.gnorm;
      L = polished.L;
      iterations++;
    }
  }
  return { iterations, gnorm, L };
}

/**
 * One polishing full Newton step once the tolerance is met (quadratic convergence takes θ̃ to about
 * machine precision), kept only if it does not increase the gradient norm `gnorm`: returns the new ‖∇L‖
 * and L, or null with z (and f.g) as they were.
 */
function polishingStep(
  f: NonSepRisk,
  z: Float64Array,
  step: Float64Array,
  gnorm: number,
): { gnorm: number; L: number } | null {
  gradHess(f, z, true);
  if (newtonStep(f, step) !== null) return null;
  const zOld = Float64Array.from(z);
  for (let a = 0; a < f.r; a++) z[a] = z[a]! + step[a]!;
  const gNew = gradHess(f, z, false);
  if (gNew <= gnorm) return { gnorm: gNew, L: riskAt(f, z) };
  z.set(zOld);
  gradHess(f, z, false);
  return null;
}

/**
 * Armijo backtracking along `step` from z with risk L and slope gᵀΔ: t = 1, ½, … (60 at most) until
 * L(z + tΔ) ≤ L + 1e-4·t·slope; moves z there and returns the new risk, or null (z unchanged).
 */
function armijo(
  f: NonSepRisk,
  z: Float64Array,
  step: Float64Array,
  trial: Float64Array,
  L: number,
  slope: number,
): number | null {
  let t = 1;
  for (let ls = 0; ls < 60; ls++) {
    for (let a = 0; a < f.r; a++) trial[a] = z[a]! + t * step[a]!;
    const Lt = riskAt(f, trial);
    if (Lt <= L + 1e-4 * t * slope) {
      z.set(trial);
      return Lt;
    }
    t /= 2;
  }
  return null;
}

/**
 * γ_sep and the unit max-margin direction of D_sep in S⊥: the points of D_sep in S⊥ coordinates qᵢ = Cxᵢ
 * (C = `sepBasis`), `hardMarginSVM` without bias, the direction mapped back as Cᵀθ* and normalized. Both
 * null when D_sep = ∅; INVALID_INPUT when D_sep is not separable in S⊥ (an inconsistent partition).
 */
function separableMargin(
  X: Float64Array,
  y: Float64Array,
  d: number,
  part: PartitionSubspaces,
): { gammaSep: number | null; sepDirection: Float64Array | null } {
  const sepIdx = part.separable;
  if (sepIdx.length === 0) return { gammaSep: null, sepDirection: null };
  const q = d - part.rank;
  const C = part.sepBasis;
  const Q = new Float64Array(sepIdx.length * q);
  const ys = new Float64Array(sepIdx.length);
  for (let k = 0; k < sepIdx.length; k++) {
    const i = sepIdx[k]!;
    ys[k] = y[i]!;
    for (let a = 0; a < q; a++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += C[a * d + j]! * X[i * d + j]!;
      Q[k * q + a] = s;
    }
  }
  let svm: ReturnType<typeof hardMarginSVM>;
  try {
    svm = hardMarginSVM(dataset(Q, ys, q), { bias: false });
  } catch (e) {
    if (e instanceof ImplicitBiasError && e.code === 'NOT_SEPARABLE') {
      throw new InvalidInputError(
        FN,
        'partition',
        `is inconsistent: D_sep projected onto S⊥ is not separable through the origin (${e.message})`,
      );
    }
    throw e;
  }
  const dir = new Float64Array(d);
  for (let a = 0; a < q; a++) for (let j = 0; j < d; j++) dir[j] = dir[j]! + svm.theta[a]! * C[a * d + j]!;
  let nd = 0;
  for (let j = 0; j < d; j++) nd += dir[j]! * dir[j]!;
  nd = Math.sqrt(nd);
  for (let j = 0; j < d; j++) dir[j] = dir[j]! / nd;
  return { gammaSep: svm.gamma, sepDirection: dir };
}

/**
 * θ̃(w), the minimizer over S = span{xᵢ : i ∈ D_non-sep} of the weighted risk on the non-separable part,
 * L_non-sep(θ; w) = (1/n) Σ_{i∈D_non-sep} wᵢ ℓ(yᵢθᵀxᵢ) — the limit of Π_non-sep θ(t) in the paper's
 * Proposition 2 — and γ_sep with the D_sep max-margin direction in S⊥, the limit direction of Π_sep θ(t).
 *
 * **Normalization:** n is the FULL number of points (data.n), not |D_non-sep|, as in the paper and in
 * `trainWeighted`'s risk; the minimizer does not depend on it, `risk` does.
 *
 * **Method:** with the orthonormal rows B of `nonSepBasis`, θ = Bᵀz and pᵢ = Bxᵢ ∈ ℝʳ. L_non-sep is
 * strongly convex in z (Ji & Telgarsky 2018, Thm 2.1): Newton's method from z = 0, gradient
 * (1/n) Σ wᵢ ℓ′(uᵢ) yᵢ pᵢ and Hessian (1/n) Σ wᵢ ℓ″(uᵢ) pᵢpᵢᵀ (uᵢ = yᵢ zᵀpᵢ), Cholesky solve, Armijo
 * backtracking (c = 1e-4, halving) — or the full step when the predicted decrease is below the
 * rounding level of L, where an Armijo test would compare noise; stops on ‖∇‖ ≤ tol·s (see `tol`), then takes one polishing full
 * Newton step (kept only if it does not increase ‖∇‖), which brings θ̃ to about machine precision.
 *
 * **γ_sep:** the points of D_sep mapped to S⊥ coordinates qᵢ = Cxᵢ (C = `sepBasis`) are separable
 * through the origin when the partition is right; `hardMarginSVM` (no bias) gives γ_sep and the unit
 * direction, mapped back as Cᵀθ*. For θ ∈ S⊥, θᵀxᵢ = θᵀΠ_sep xᵢ, so this is the max margin on D_sep of
 * predictors in S⊥.
 *
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad dataset, partition (index sets that do not
 *   partition 0…n−1, wrong basis shapes, non-orthonormal bases, a D_sep that is not separable in S⊥),
 *   weights (including a zero weight on a D_non-sep point: the partition of the weighted data would
 *   differ) or options.
 * @throws SolverFailedError (`SOLVER_FAILED`) if Newton does not reach the tolerance within
 *   `maxIterations`, or the Hessian is not positive definite (S not spanned by D_non-sep).
 */
export function nonSeparableOptimum(
  data: Dataset,
  partition: PartitionSubspaces,
  options?: NonSeparableOptimumOptions,
): NonSeparableOptimum {
  const { X, y, n, d } = checkDataset(FN, 'data', data);
  const part = checkPartition(FN, partition, n, d);
  const { w, loss, tol, maxIterations } = readSettings(options, n);
  checkNonSeparablePart(part, w);
  // θ̃ = Bᵀz with z the minimizer of L_non-sep in the coordinates of S.
  const risk = nonSepRisk(X, y, n, d, part, w, loss);
  const z = new Float64Array(part.rank);
  const { iterations, gnorm, L } = minimizeRisk(risk, z, tol, maxIterations);
  const theta = new Float64Array(d);
  const B = part.nonSepBasis;
  for (let a = 0; a < part.rank; a++) {
    for (let j = 0; j < d; j++) theta[j] = theta[j]! + z[a]! * B[a * d + j]!;
  }
  const { gammaSep, sepDirection } = separableMargin(X, y, d, part);
  return { theta, iterations, gradientNorm: gnorm, risk: L, gammaSep, sepDirection };
}
