import { checkNumber, readOptions } from '../../util/validate.js';
import { describeSchedule } from './describeSchedule.js';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** Value at step 0, a finite number > 0. */
  lr: number;
  /** Number of steps between decays, an integer ≥ 1. */
  every: number;
  /** Factor applied every `every` steps, in (0, 1]. */
  factor: number;
}

/**
 * The piecewise-constant step-decay learning-rate schedule: ηₜ = lr · factor^⌊t / every⌋ at the 0-based
 * step t (PyTorch's `StepLR` with `step_size = every`, `gamma = factor`, in closed form).
 *
 * Settings are validated here: bad values throw `INVALID_INPUT`.
 *
 * @param options - `{ lr, every, factor }`.
 * @returns The schedule.
 *
 * @example
 * ```ts
 * const schedule = stepDecay({ lr: 1, every: 100, factor: 0.1 });
 * schedule(99); // 1
 * schedule(100); // 0.1
 * ```
 */
export function stepDecay(options: StepDecayOptions): (step: number) => number {
  const record = readOptions('stepDecay', options, ['lr', 'every', 'factor']);
  const lr = checkNumber('stepDecay', 'lr', record.lr, { min: 0, exclusiveMin: true });
  const every = checkNumber('stepDecay', 'every', record.every, { integer: true, min: 1 });
  const factor = checkNumber('stepDecay', 'factor', record.factor, { min: 0, exclusiveMin: true, max: 1 });
  return describeSchedule((step: number): number => lr * factor ** Math.floor(step / every), 'stepDecay', {
    lr,
    every,
    factor,
  });
}
