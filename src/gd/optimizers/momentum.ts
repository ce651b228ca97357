import { InvalidInputError } from '../../errors/index.js';
import { momentumUpdate } from '../../kernels/optimizers.js';
import { checkNumber, readOptions, show } from '../../util/validate.js';
import { checkLearningRate, checkLengths, learningRateAt, timesExp } from './internal.js';
import type { GradientInfo, LearningRate, Optimizer } from './types.js';

/** Options of {@link momentum}. */
export interface MomentumOptions {
  /** Step size η: a finite number > 0, or a schedule `(step) => number` evaluated at the 0-based step. */
  lr: LearningRate;
  /** Momentum coefficient β in [0, 1); default 0.9. β = 0 is plain gradient descent. */
  beta?: number;
  /** Use Nesterov's look-ahead form; default false (heavy ball / Polyak). */
  nesterov?: boolean;
}

/** The state of {@link momentum}: the velocity buffer v (PyTorch's `momentum_buffer`), zero at init. */
export interface MomentumState {
  readonly velocity: Float64Array;
}

/** The optimizer returned by {@link momentum}. */
export interface MomentumOptimizer extends Optimizer<MomentumState> {
  readonly name: 'momentum';
  readonly options: Readonly<{ lr: LearningRate; beta: number; nesterov: boolean }>;
}

/**
 * Gradient descent with heavy-ball (Polyak) or Nesterov momentum, exactly as `torch.optim.SGD` with
 * `momentum = beta`, `dampening = 0`, `weight_decay = 0`.
 *
 * Update rule, with g = ∇L(θₜ) and ηₜ = `lr` or `lr(t)` at the 0-based step t, and v₀ = 0:
 *
 *     vₜ₊₁ = β · vₜ + g
 *     θₜ₊₁ = θₜ − ηₜ · vₜ₊₁               (Polyak, default)
 *     θₜ₊₁ = θₜ − ηₜ · (g + β · vₜ₊₁)     (nesterov: true)
 *
 * PyTorch initializes its buffer to the first gradient; starting from v = 0 gives β·0 + g = g exactly,
 * so the first step (and every later one) is the same. Per coordinate the arithmetic is PyTorch's
 * order: `v = beta * v + g`, then `theta -= lr * v` (Nesterov: `theta -= lr * (g + beta * v)`).
 *
 * The velocity accumulates true gradients, g = e^{logScale}·grad (g = grad exactly when `logScale` is
 * 0). In the far tail of a run where the loop rescales (logScale ≪ 0) g may underflow to 0; the
 * velocity then decays geometrically, as it would in float64 PyTorch.
 *
 * `update` writes θ and the velocity in place and returns θ (a deliberate deviation from optax, so the
 * step loop allocates nothing); the gradient buffer is not modified. Bad options throw `INVALID_INPUT`
 * when the optimizer is built.
 *
 * @param options - `{ lr, beta = 0.9, nesterov = false }`.
 * @returns An {@link Optimizer} named `'momentum'` whose state holds the velocity.
 *
 * @example
 * ```ts
 * const opt = momentum({ lr: 0.1, beta: 0.9 });
 * const theta = new Float64Array([1]);
 * const state = opt.init(theta);
 * const info = { step: 0, logScale: 0, lossScaled: 1 };
 * opt.update(theta, new Float64Array([1]), state, info); // v = 1,   theta = 0.9
 * opt.update(theta, new Float64Array([1]), state, { ...info, step: 1 }); // v = 1.9, theta = 0.71
 * ```
 *
 * @see B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR Comput.
 * Math. Math. Phys. 4 (1964); Y. Nesterov, "A method for solving the convex programming problem with
 * convergence rate O(1/k²)", Soviet Math. Dokl. 27 (1983); I. Sutskever, J. Martens, G. Dahl,
 * G. Hinton, "On the importance of initialization and momentum in deep learning", ICML 2013 (the form
 * PyTorch implements); S. Gunasekar, J. Lee, D. Soudry, N. Srebro, "Characterizing implicit bias in
 * terms of optimization geometry", ICML 2018 (momentum's implicit bias).
 */
export function momentum(options: MomentumOptions): MomentumOptimizer {
  const record = readOptions('momentum', options, ['lr', 'beta', 'nesterov']);
  const lr = checkLearningRate('momentum', record.lr);
  const beta =
    record.beta === undefined
      ? 0.9
      : checkNumber('momentum', 'beta', record.beta, { min: 0, max: 1, exclusiveMax: true });
  const nesterov = record.nesterov ?? false;
  if (typeof nesterov !== 'boolean') {
    throw new InvalidInputError('momentum', 'nesterov', `must be a boolean, got ${show(nesterov)}`);
  }
  return Object.freeze({
    name: 'momentum' as const,
    options: Object.freeze({ lr, beta, nesterov }),
    init(theta: Float64Array): MomentumState {
      return { velocity: new Float64Array(theta.length) };
    },
    update(theta: Float64Array, grad: Float64Array, state: MomentumState, info: GradientInfo): Float64Array {
      const v = state.velocity;
      checkLengths('momentum', theta, grad, v);
      const eta = learningRateAt('momentum', lr, info.step);
      const s = timesExp(1, info.logScale);
      return momentumUpdate(theta, v, grad, s, eta, beta, nesterov, theta.length);
    },
  });
}
