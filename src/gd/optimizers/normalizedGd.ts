import { gdUpdate } from '../../kernels/optimizers.js';
import { norm2 } from '../../kernels/vector.js';
import { checkOneOf, readOptions } from '../../util/validate.js';
import { checkLearningRate, checkLengths, learningRateAt } from './internal.js';
import type { GradientInfo, LearningRate, Optimizer } from './types.js';

/** Options of {@link normalizedGd}. */
export interface NormalizedGdOptions {
  /** Base step size η: a finite number > 0, or a schedule `(step) => number` at the 0-based step. */
  lr: LearningRate;
  /** Divide the gradient by the loss L(θ) (`'loss'`, default) or by its norm ‖∇L(θ)‖₂ (`'gradient'`). */
  normalize?: 'loss' | 'gradient';
}

/** The state of {@link normalizedGd}: none (an empty frozen object). */
export type NormalizedGdState = Readonly<Record<string, never>>;

/** The optimizer returned by {@link normalizedGd}. */
export interface NormalizedGdOptimizer extends Optimizer<NormalizedGdState> {
  readonly name: 'normalizedGd';
  readonly options: Readonly<{ lr: LearningRate; normalize: 'loss' | 'gradient' }>;
}

const EMPTY: NormalizedGdState = Object.freeze({});

/**
 * Normalized gradient descent: the "aggressive" step size ηₜ = η / L(θₜ) of Nacson et al. (default),
 * or the unit-length step η·∇L/‖∇L‖₂.
 *
 * Update rule, with ηₜ = `lr` or `lr(t)` at the 0-based step t:
 *
 *     θₜ₊₁ = θₜ − ηₜ · ∇L(θₜ) / L(θₜ)         (normalize: 'loss', default)
 *     θₜ₊₁ = θₜ − ηₜ · ∇L(θₜ) / ‖∇L(θₜ)‖₂     (normalize: 'gradient')
 *
 * Both are invariant to rescaling L, so they are computed from the scaled quantities the loop passes
 * (grad = e^{−logScale}·∇L, `info.lossScaled` = e^{−logScale}·L) without ever forming e^{logScale}: the
 * coefficient c = ηₜ / lossScaled (or ηₜ / ‖grad‖₂) is formed once and then `theta[j] -= c * grad[j]`,
 * the same arithmetic as PyTorch SGD with its lr set to η/L (or η/‖g‖) before each step. This never
 * underflows in the far tail, which this schedule reaches quickly: L decreases exponentially in t.
 *
 * `'loss'` needs L(θ) > 0 (true for the exponential and logistic losses of the paper; `trainWeighted`
 * guarantees a finite `lossScaled` > 0 and handles divergence itself); it does not check this, and a
 * loss that can be ≤ 0 (a quadratic without an offset) gives a meaningless step. With `'gradient'` a
 * zero gradient gives a zero step.
 *
 * `update` writes θ in place and returns it (a deliberate deviation from optax, so the step loop
 * allocates nothing); the gradient buffer is not modified. Bad options throw `INVALID_INPUT` when the
 * optimizer is built.
 *
 * @param options - `{ lr, normalize = 'loss' }`.
 * @returns An {@link Optimizer} named `'normalizedGd'` whose state is empty.
 *
 * @example
 * ```ts
 * const opt = normalizedGd({ lr: 0.5 });
 * const theta = new Float64Array([1, 0]);
 * const state = opt.init(theta);
 * // a loss of 0.25 with gradient [-0.25, 0]: the step is lr·∇L/L = [-0.5, 0]
 * opt.update(theta, new Float64Array([-0.25, 0]), state, { step: 0, logScale: 0, lossScaled: 0.25 });
 * theta; // Float64Array [1.5, 0]
 * ```
 *
 * @see M. S. Nacson, J. D. Lee, S. Gunasekar, P. H. P. Savarese, N. Srebro, D. Soudry, "Convergence of
 * gradient descent on separable data", AISTATS 2019: for linear models with the exponential loss,
 * the aggressive step size ηₜ ∝ 1/L(θₜ) improves the rate at which the margin approaches the max
 * margin from 1/log t (fixed step) to log t/√t.
 */
export function normalizedGd(options: NormalizedGdOptions): NormalizedGdOptimizer {
  const record = readOptions('normalizedGd', options, ['lr', 'normalize']);
  const lr = checkLearningRate('normalizedGd', record.lr);
  const normalize =
    record.normalize === undefined
      ? 'loss'
      : checkOneOf('normalizedGd', 'normalize', record.normalize, ['loss', 'gradient'] as const);
  const byLoss = normalize === 'loss';
  return Object.freeze({
    name: 'normalizedGd' as const,
    options: Object.freeze({ lr, normalize }),
    init(_theta: Float64Array): NormalizedGdState {
      return EMPTY;
    },
    update(
      theta: Float64Array,
      grad: Float64Array,
      _state: NormalizedGdState,
      info: GradientInfo,
    ): Float64Array {
      checkLengths('normalizedGd', theta, grad);
      const eta = learningRateAt('normalizedGd', lr, info.step);
      let c: number;
      if (byLoss) {
        c = eta / info.lossScaled;
      } else {
        const g = norm2(grad);
        if (g === 0) return theta;
        c = eta / g;
      }
      return gdUpdate(theta, grad, c, theta.length);
    },
  });
}
