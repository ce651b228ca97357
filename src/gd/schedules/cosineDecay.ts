import { checkNumber, readOptions } from '../../util/validate.js';
import { describeSchedule } from './describeSchedule.js';

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** Value at step 0, a finite number > 0. */
  lr: number;
  /** Number of steps T over which to decay, an integer ≥ 1. */
  steps: number;
  /** Final value as a fraction of `lr`, in [0, 1]; default 0. */
  alpha?: number;
}

/**
 * The cosine-decay learning-rate schedule (optax `cosine_decay_schedule`; PyTorch `CosineAnnealingLR`
 * with `T_max = steps`, `eta_min = alpha·lr`, in closed form):
 *
 *     ηₜ = lr · ((1 − α) · ½ (1 + cos(π · min(t, T) / T)) + α)
 *
 * at the 0-based step t. With α = 0 the value is > 0 for t = 0 … T − 1, i.e. for a run of exactly
 * `steps` updates, and 0 from t = T on, which the optimizers reject with `INVALID_INPUT` naming the
 * step; give α > 0 to continue past T. Settings are validated here: bad values throw `INVALID_INPUT`.
 *
 * @param options - `{ lr, steps, alpha = 0 }`.
 * @returns The schedule.
 *
 * @example
 * ```ts
 * const schedule = cosineDecay({ lr: 1, steps: 100 });
 * schedule(0); // 1
 * schedule(50); // 0.5 (up to rounding)
 * const opt = momentum({ lr: schedule, beta: 0.9 });
 * ```
 *
 * @see I. Loshchilov, F. Hutter, "SGDR: stochastic gradient descent with warm restarts", ICLR 2017.
 */
export function cosineDecay(options: CosineDecayOptions): (step: number) => number {
  const record = readOptions('cosineDecay', options, ['lr', 'steps', 'alpha']);
  const lr = checkNumber('cosineDecay', 'lr', record.lr, { min: 0, exclusiveMin: true });
  const steps = checkNumber('cosineDecay', 'steps', record.steps, { integer: true, min: 1 });
  const alpha =
    record.alpha === undefined ? 0 : checkNumber('cosineDecay', 'alpha', record.alpha, { min: 0, max: 1 });
  const schedule = (step: number): number => {
    const t = Math.min(step, steps);
    return lr * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * t) / steps)) + alpha);
  };
  return describeSchedule(schedule, 'cosineDecay', { lr, steps, alpha });
}
