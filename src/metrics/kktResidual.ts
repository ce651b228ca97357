import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { norm2 } from '../kernels/vector.js';
import { nnls } from '../linalg/nnls.js';
import { exponential } from '../losses/exponential.js';
import { checkWeights } from '../losses/weightedRisk.js';
import type { Model } from '../models/types.js';
import { checkKnownKeys, checkObject, show } from '../util/validate.js';
import { checkModelTheta } from './checks.js';

/** Options of {@link kktResidual}. */
export interface KktResidualOptions {
  /**
   * Importance weights (finite, ≥ 0, not all zero; default all 1), as in `trainWeighted`. Only which are zero
   * matters: a point with wᵢ = 0 is not part of the training objective, so it is not a constraint either
   * (its multiplier is 0 and its margin is not checked). Positive weights do not change the KKT conditions.
   */
  weights?: ArrayLike<number>;
}

/** What {@link kktResidual} returns. */
export interface KktResidualResult {
  /**
   * √(min over λ ≥ 0 of ‖θ̂ − Σᵢ λᵢ∇qᵢ(θ̂)‖² + (Σᵢ λᵢ(qᵢ(θ̂) − 1))²)/‖θ̂‖: 0 exactly at a KKT point of the
   * max-margin problem; scale-free.
   */
  residual: number;
  /** ‖θ̂ − Σᵢ λᵢ∇qᵢ(θ̂)‖/‖θ̂‖ at the minimizing λ (Lyu & Li's ε, relative). */
  stationarity: number;
  /** Σᵢ λᵢ(qᵢ(θ̂) − 1)/‖θ̂‖ ≥ 0 at the minimizing λ (Lyu & Li's δ, relative). */
  complementarity: number;
  /** The minimizing λ ≥ 0 (length n; 0 for zero-weight points). */
  multipliers: Float64Array;
  /** The factor c with θ̂ = c·θ and min over the weighted points of qᵢ(θ̂) = 1: c = (minᵢ qᵢ(θ))^(−1/α). */
  scale: number;
}

const FN = 'kktResidual';

/**
 * Buffers of {@link kktResidualInto}, allocated once for a model and data size (by `kktResidual` per call, by
 * the training recorder once per run).
 * @internal
 */
export interface KktWork {
  readonly q: Float64Array;
  readonly thetaHat: Float64Array;
  /** The stacked system, row-major (p + 1) × n: column i = (∇qᵢ(θ̂), qᵢ(θ̂) − 1). */
  readonly A: Float64Array;
  readonly b: Float64Array;
  readonly grad: Float64Array;
  readonly row: Dataset & { X: Float64Array; y: Float64Array };
  readonly c: Float64Array;
  readonly margin: Float64Array;
  readonly active: Int32Array;
}

/** Allocates the buffers of {@link kktResidualInto}. @internal */
export function kktWork(model: Model, data: Dataset): KktWork {
  const p = model.size;
  const n = data.n;
  const d = data.d;
  return {
    q: new Float64Array(n),
    thetaHat: new Float64Array(p),
    A: new Float64Array((p + 1) * n),
    b: new Float64Array(p + 1),
    grad: new Float64Array(p),
    row: { X: new Float64Array(d), y: new Float64Array(1), n: 1, d },
    c: Float64Array.of(1),
    margin: new Float64Array(1),
    active: new Int32Array(n),
  };
}

/** Whether ∇qᵢ has the closed form yᵢ·(xᵢ, 1?) of `linear` (or `parallelLinear`, which shares it). */
function isLinear(model: Model): model is Model & { bias: boolean } {
  return model.name === 'linear' && typeof (model as { bias?: unknown }).bias === 'boolean';
}

/**
 * Unchecked {@link kktResidual} into `work`: returns the result, or null when θ does not separate the points
 * with positive weight (min qᵢ ≤ 0), where the scaling is undefined. @internal
 */
export function kktResidualInto(
  work: KktWork,
  model: Model,
  theta: Float64Array,
  data: Dataset,
  weights: Float64Array,
): KktResidualResult | null {
  const { q, thetaHat, A, b, grad, row, c, margin, active } = work;
  const { n, d, X, y } = data;
  const p = model.size;
  model.predict(q, theta, X, n);
  let m = 0;
  let qmin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    q[i] = y[i]! * q[i]!;
    if (weights[i]! > 0) {
      active[m++] = i;
      if (q[i]! < qmin) qmin = q[i]!;
    }
  }
  if (!(qmin > 0) || !Number.isFinite(qmin)) return null;
  // θ̂ = cθ has qᵢ(θ̂) = c^α qᵢ(θ) = qᵢ(θ)/q_min: the smallest is exactly 1.
  const scale = qmin ** (-1 / model.alpha);
  for (let j = 0; j < p; j++) thetaHat[j] = scale * theta[j]!;
  const normHat = norm2(thetaHat);
  // Column k of the stacked (p + 1) × m system is (∇qᵢ(θ̂), qᵢ(θ̂) − 1) for the k-th weighted point i.
  const linearBias = isLinear(model) ? (model.bias ? 1 : 0) : -1;
  for (let k = 0; k < m; k++) {
    const i = active[k]!;
    const qi = q[i]! / qmin;
    if (linearBias >= 0) {
      // f = θᵀ(x, 1?): ∇qᵢ = yᵢ·(xᵢ, 1?), the same at every θ.
      for (let j = 0; j < d; j++) grad[j] = y[i]! * X[i * d + j]!;
      if (linearBias === 1) grad[d] = y[i]!;
    } else {
      // One backward pass through the model's own objective on the one-row data set {(xᵢ, yᵢ)} with c = 1 and
      // the exponential loss shifted by the margin: grad = e^{shift − u}·(−1)·yᵢ∇f = −e^{shift − u}·∇qᵢ, with
      // shift = qᵢ(θ̂) so that e^{shift − u} ≈ 1 (no underflow however large the margin); divided out exactly.
      for (let j = 0; j < d; j++) row.X[j] = X[i * d + j]!;
      row.y[0] = y[i]!;
      model.objective(grad, thetaHat, row, c, exponential, qi, margin);
      const factor = -Math.exp(qi - margin[0]!);
      for (let j = 0; j < p; j++) grad[j] = grad[j]! / factor;
    }
    for (let j = 0; j < p; j++) A[j * m + k] = grad[j]!;
    A[p * m + k] = qi - 1;
  }
  for (let j = 0; j < p; j++) b[j] = thetaHat[j]!;
  b[p] = 0;
  const sol = nnls(A.subarray(0, (p + 1) * m), p + 1, m, b);
  const multipliers = new Float64Array(n);
  let stat2 = 0;
  for (let j = 0; j < p; j++) {
    let s = thetaHat[j]!;
    for (let k = 0; k < m; k++) s -= A[j * m + k]! * sol.x[k]!;
    stat2 += s * s;
  }
  let comp = 0;
  for (let k = 0; k < m; k++) {
    multipliers[active[k]!] = sol.x[k]!;
    comp += sol.x[k]! * A[p * m + k]!;
  }
  return {
    residual: sol.residualNorm / normHat,
    stationarity: Math.sqrt(stat2) / normHat,
    complementarity: comp / normHat,
    multipliers,
    scale,
  };
}

/**
 * How far θ is from a KKT point of the max-margin problem of a homogeneous model, the limit that gradient
 * descent approaches in direction (Lyu & Li 2020, Thm 4.4; the slides' Theorem 8):
 *
 *   min ½‖θ‖² subject to qᵢ(θ) = yᵢ f(θ; xᵢ) ≥ 1 for every point (with wᵢ > 0).
 *
 * **Definition** (Lyu & Li's (ε, δ)-KKT conditions, stationarity and complementary slackness together —
 * stationarity alone would score 0 for any θ inside the cone of the gradients):
 * 1. scale θ to θ̂ = cθ with minᵢ qᵢ(θ̂) = 1 (f is α-homogeneous, so c = (minᵢ qᵢ(θ))^(−1/α));
 * 2. find λ ≥ 0 minimizing ‖θ̂ − Σᵢ λᵢ∇qᵢ(θ̂)‖² + (Σᵢ λᵢ(qᵢ(θ̂) − 1))² — one non-negative least squares
 *    ({@link nnls}) on the stacked system [∇q₁ … ∇qₙ; q₁ − 1 … qₙ − 1] λ ≈ [θ̂; 0];
 * 3. `residual` = √(that minimum)/‖θ̂‖, `stationarity` = ‖θ̂ − Σλᵢ∇qᵢ‖/‖θ̂‖, `complementarity` =
 *    Σλᵢ(qᵢ − 1)/‖θ̂‖ (so residual² = stationarity² + complementarity²).
 *
 * At an exact KKT point the residual is 0 (λ = the KKT multipliers). For `linear`, θ̂ = θ⋆/γ⋆ at the hard-margin
 * SVM's θ⋆ and the multipliers are its dual scaled, λ = p⋆/γ⋆² (`hardMarginSVM(data).dual`); by Euler's
 * identity ⟨θ, ∇qᵢ⟩ = α qᵢ, exact multipliers satisfy Σλᵢ = ‖θ̂‖²/α.
 *
 * Gradients ∇qᵢ: for `linear` (and `parallelLinear`) the closed form yᵢ·(xᵢ, 1?); for any other model one
 * backward pass per point through `model.objective` on a one-row data set (buffers allocated once per call).
 * For ReLU networks the gradient at a kink is the backward pass's (relu′(0) = 0).
 * Cost: n forward/backward passes of one row, plus an NNLS on a (p + 1) × n system.
 *
 * @param model - a homogeneous margin model (`linear`, `mlp`, or any {@link Model}).
 * @param theta - θ (length model.size, finite), separating the weighted points: minᵢ yᵢ f(θ; xᵢ) > 0.
 * @param data - the training set.
 * @param options - `{ weights? }`, see {@link KktResidualOptions}.
 * @returns `{ residual, stationarity, complementarity, multipliers, scale }`, see {@link KktResidualResult}.
 * @throws InvalidInputError (`INVALID_INPUT`) for a bad model, θ, data or weights, or a θ that does not
 *   separate the points with positive weight (the max-margin problem's scaling is then undefined);
 *   SolverFailedError (`SOLVER_FAILED`) if the NNLS fails (rounding).
 *
 * @example
 * ```ts
 * import { dataset, hardMarginSVM, kktResidual, linear } from 'implicit-bias';
 * const data = dataset([[2, 0], [0, 1], [-1, -1]], [1, 1, -1]);
 * const svm = hardMarginSVM(data);
 * kktResidual(linear(2), svm.theta, data).residual; // ~1e-16: θ⋆ is a KKT point
 * kktResidual(linear(2), [1, 1], data).residual; // √0.1 ≈ 0.316: separates, but not with the largest margin
 * ```
 *
 * Reference: K. Lyu and J. Li, "Gradient Descent Maximizes the Margin of Homogeneous Neural Networks",
 * ICLR 2020, Definitions C.3–C.4 ((ε, δ)-KKT points) and Theorem 4.4.
 */
export function kktResidual(
  model: Model,
  theta: ArrayLike<number>,
  data: Dataset,
  options?: KktResidualOptions,
): KktResidualResult {
  checkDataset(FN, 'data', data);
  const t = checkModelTheta(FN, model, theta, data);
  if (!(model.alpha > 0) || typeof model.predict !== 'function') {
    throw new InvalidInputError(
      FN,
      'model',
      `must be a homogeneous model with alpha > 0 and a predict method, got alpha ${show(model.alpha)}`,
    );
  }
  const o = checkObject(FN, 'options', options);
  checkKnownKeys(FN, o, ['weights']);
  const w = o.weights === undefined ? new Float64Array(data.n).fill(1) : checkWeights(FN, o.weights, data.n);
  const work = kktWork(model, data);
  const r = kktResidualInto(work, model, t, data, w);
  if (r === null) {
    let qmin = Number.POSITIVE_INFINITY;
    for (let i = 0; i < data.n; i++) if (w[i]! > 0 && work.q[i]! < qmin) qmin = work.q[i]!;
    throw new InvalidInputError(
      FN,
      'theta',
      `must separate the points with positive weight (the max-margin problem scales θ so that min yᵢ f(θ; xᵢ) = 1), got min yᵢ f(θ; xᵢ) = ${show(qmin)}`,
    );
  }
  return r;
}
