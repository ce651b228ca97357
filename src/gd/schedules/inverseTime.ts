import { checkNumber, readOptions } from '../../util/validate.js';
import { describeSchedule } from './describeSchedule.js';

/** Options of {@link inverseTime}. */
export interface InverseTimeOptions {
  /** Value at step 0, a finite number > 0. */
  lr: number;
  /** Decay rate, a finite number ≥ 0 (0 gives a constant schedule). */
  decay: number;
}

/**
 * The inverse-time learning-rate schedule: ηₜ = lr / (1 + decay · t) at the 0-based step t.
 *
 * Its steps sum to infinity while ηₜ → 0 (the classical Robbins–Monro condition for the sum, not the
 * sum of squares), so it is the usual decaying schedule for normalized steps. Settings are validated
 * here: bad values throw `INVALID_INPUT`.
 *
 * @param options - `{ lr, decay }`.
 * @returns The schedule `(step) => lr / (1 + decay * step)`.
 *
 * @example
 * ```ts
 * const schedule = inverseTime({ lr: 1, decay: 0.5 });
 * schedule(0); // 1
 * schedule(2); // 0.5
 * const opt = gd({ lr: schedule });
 * ```
 */
export function inverseTime(options: InverseTimeOptions): (step: number) => number {
  const record = readOptions('inverseTime', options, ['lr', 'decay']);
  const lr = checkNumber('inverseTime', 'lr', record.lr, { min: 0, exclusiveMin: true });
  const decay = checkNumber('inverseTime', 'decay', record.decay, { min: 0 });
  return describeSchedule((step: number): number => lr / (1 + decay * step), 'inverseTime', { lr, decay });
}
