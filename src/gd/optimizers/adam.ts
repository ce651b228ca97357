import { adamUpdate } from '../../kernels/optimizers.js';
import { checkNumber, readOptions } from '../../util/validate.js';
import { checkLearningRate, checkLengths, learningRateAt, timesExp } from './internal.js';
import type { GradientInfo, LearningRate, Optimizer } from './types.js';

/** Options of {@link adam}. */
export interface AdamOptions {
  /** Step size η: a finite number > 0 or a schedule `(step) => number`; default 1e-3. */
  lr?: LearningRate;
  /** Decay of the first-moment average, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second-moment average, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to √v̂ in the denominator, > 0; default 1e-8. */
  eps?: number;
}

/**
 * The state of {@link adam}: the moment averages and the number of updates applied with them.
 * (PyTorch's `exp_avg`, `exp_avg_sq` and `step`; optax's `mu`, `nu` and `count`.)
 */
export interface AdamState {
  /** Number of updates applied since `init` (the bias corrections use t = count + 1). */
  count: number;
  /** First-moment average m (zero at init). */
  readonly m: Float64Array;
  /** Second-moment average v (zero at init). */
  readonly v: Float64Array;
}

/** The optimizer returned by {@link adam}. */
export interface AdamOptimizer extends Optimizer<AdamState> {
  readonly name: 'adam';
  readonly options: Readonly<{ lr: LearningRate; beta1: number; beta2: number; eps: number }>;
}

/**
 * Adam, exactly as `torch.optim.Adam` (single-tensor path, `amsgrad = false`, `weight_decay = 0`).
 *
 * Update rule, with g = ∇L(θ), ηₜ = `lr` or `lr(step)`, t the number of updates including this one,
 * and m = v = 0 at init:
 *
 *     m ← β₁ · m + (1 − β₁) · g
 *     v ← β₂ · v + (1 − β₂) · g²
 *     θ ← θ − ηₜ · m̂ / (√v̂ + ε),     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
 *
 * Per coordinate the arithmetic follows PyTorch's kernels in order: m moves by `lerp(m, g, 1 − β₁)`
 * (m + (1−β₁)(g − m) when 1 − β₁ < 0.5, else g − (g − m)·β₁′ with β₁′ = 1 − (1 − β₁)), then
 * `v = v * β₂ + (1 − β₂) * g * g`, and θ ← θ − (η/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε). PyTorch before 2.1
 * updated m as β₁·m + (1 − β₁)·g; the two agree to an ulp.
 *
 * The bias-correction count t lives in the state (like PyTorch's `state['step']`), so a fresh
 * `init` restarts it; it equals `info.step + 1` when the state was created at step 0. The schedule,
 * like a PyTorch LR scheduler, is evaluated at `info.step`.
 *
 * Scale: Adam's step is invariant to rescaling g except through ε, so the moments use the true
 * gradient g = e^{logScale}·grad (exactly `grad` when `logScale` is 0). In the far tail of a run where
 * the loop rescales (logScale ≪ 0), g and especially g² may underflow to 0, as they would in float64
 * PyTorch; the step then decays with m.
 *
 * `update` writes θ and the state in place and returns θ (a deliberate deviation from optax, so the
 * step loop allocates nothing); the gradient buffer is not modified. Bad options throw `INVALID_INPUT`
 * when the optimizer is built.
 *
 * @param options - `{ lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }`.
 * @returns An {@link Optimizer} named `'adam'`.
 *
 * @example
 * ```ts
 * const opt = adam({ lr: 0.01 });
 * const theta = new Float64Array([1, 1]);
 * const state = opt.init(theta);
 * opt.update(theta, new Float64Array([4, -0.5]), state, { step: 0, logScale: 0, lossScaled: 1 });
 * // the first step is lr·g/(|g| + eps) ≈ lr·sign(g): theta ≈ [0.99, 1.01]
 * ```
 *
 * @see D. P. Kingma, J. Ba, "Adam: a method for stochastic optimization", ICLR 2015; for its implicit
 * bias, S. Gunasekar, J. Lee, D. Soudry, N. Srebro, "Characterizing implicit bias in terms of
 * optimization geometry", ICML 2018, and C. Zhang, D. Zou, Y. Cao, "The implicit bias of Adam on
 * separable data", NeurIPS 2024 (direction converges to the ℓ∞ max-margin solution).
 */
export function adam(options?: AdamOptions): AdamOptimizer {
  const record = readOptions('adam', options, ['lr', 'beta1', 'beta2', 'eps']);
  const lr = record.lr === undefined ? 1e-3 : checkLearningRate('adam', record.lr);
  const beta1 =
    record.beta1 === undefined
      ? 0.9
      : checkNumber('adam', 'beta1', record.beta1, { min: 0, max: 1, exclusiveMax: true });
  const beta2 =
    record.beta2 === undefined
      ? 0.999
      : checkNumber('adam', 'beta2', record.beta2, { min: 0, max: 1, exclusiveMax: true });
  const eps =
    record.eps === undefined ? 1e-8 : checkNumber('adam', 'eps', record.eps, { min: 0, exclusiveMin: true });
  return Object.freeze({
    name: 'adam' as const,
    options: Object.freeze({ lr, beta1, beta2, eps }),
    init(theta: Float64Array): AdamState {
      return { count: 0, m: new Float64Array(theta.length), v: new Float64Array(theta.length) };
    },
    update(theta: Float64Array, grad: Float64Array, state: AdamState, info: GradientInfo): Float64Array {
      const { m, v } = state;
      checkLengths('adam', theta, grad, m);
      checkLengths('adam', theta, grad, v);
      const eta = learningRateAt('adam', lr, info.step);
      const t = state.count + 1;
      const stepSize = eta / (1 - beta1 ** t);
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const s = timesExp(1, info.logScale);
      adamUpdate(theta, m, v, grad, s, stepSize, bc2Sqrt, beta1, beta2, eps, theta.length);
      state.count = t;
      return theta;
    },
  });
}
