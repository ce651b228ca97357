import { gdUpdate } from '../../kernels/optimizers.js';
import { readOptions } from '../../util/validate.js';
import { checkLearningRate, checkLengths, learningRateAt, timesExp } from './internal.js';
import type { GradientInfo, LearningRate, Optimizer } from './types.js';

/** Options of {@link gd}. */
export interface GdOptions {
  /** Step size η: a finite number > 0, or a schedule `(step) => number` evaluated at the 0-based step. */
  lr: LearningRate;
}

/** The state of {@link gd}: none (an empty frozen object, kept so every optimizer has init/update). */
export type GdState = Readonly<Record<string, never>>;

/** The optimizer returned by {@link gd}. */
export interface GdOptimizer extends Optimizer<GdState> {
  readonly name: 'gd';
  readonly options: Readonly<{ lr: LearningRate }>;
}

const EMPTY: GdState = Object.freeze({});

/**
 * Plain gradient descent (full-batch SGD without momentum).
 *
 * Update rule, with ηₜ = `lr` or `lr(t)` at the 0-based step t:
 *
 *     θₜ₊₁ = θₜ − ηₜ · ∇L(θₜ)
 *
 * With `info.logScale` = 0 (the usual case) each coordinate is computed as `theta[j] -= lr * grad[j]`,
 * bit-identical to numpy's `theta - lr * g` and to `torch.optim.SGD(params, lr)` up to the FMA that
 * PyTorch's vectorized CPU kernel may use. Otherwise the true gradient is e^{logScale}·grad and the
 * factor ηₜ·e^{logScale} is formed first (see {@link GradientInfo}).
 *
 * `update` writes θ in place and returns it (a deliberate deviation from optax, so the step loop
 * allocates nothing); the gradient buffer is not modified. Bad options throw `INVALID_INPUT` here,
 * when the optimizer is built; a schedule value that is not a finite number > 0 throws `INVALID_INPUT`
 * at the step where it occurs.
 *
 * @param options - `{ lr }`: a finite number > 0 or a schedule such as {@link inverseTime}.
 * @returns An {@link Optimizer} named `'gd'` whose state is empty.
 *
 * @example
 * ```ts
 * const opt = gd({ lr: 0.1 });
 * const theta = new Float64Array([1, -2]);
 * const state = opt.init(theta);
 * opt.update(theta, new Float64Array([0.5, 1]), state, { step: 0, logScale: 0, lossScaled: 1 });
 * theta; // Float64Array [0.95, -2.1]
 * ```
 *
 * @see D. Soudry, E. Hoffer, M. S. Nacson, S. Gunasekar, N. Srebro, "The implicit bias of gradient
 * descent on separable data", JMLR 19 (2018): on separable data with the exponential or logistic loss,
 * θₜ/‖θₜ‖ converges to the ℓ2 max-margin direction.
 */
export function gd(options: GdOptions): GdOptimizer {
  const record = readOptions('gd', options, ['lr']);
  const lr = checkLearningRate('gd', record.lr);
  return Object.freeze({
    name: 'gd' as const,
    options: Object.freeze({ lr }),
    init(_theta: Float64Array): GdState {
      return EMPTY;
    },
    update(theta: Float64Array, grad: Float64Array, _state: GdState, info: GradientInfo): Float64Array {
      checkLengths('gd', theta, grad);
      const c = timesExp(learningRateAt('gd', lr, info.step), info.logScale);
      return gdUpdate(theta, grad, c, theta.length);
    },
  });
}
