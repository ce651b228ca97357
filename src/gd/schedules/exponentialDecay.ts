import { checkNumber, readOptions } from '../../util/validate.js';
import { describeSchedule } from './describeSchedule.js';

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** Value at step 0, a finite number > 0. */
  lr: number;
  /** Factor per step, in (0, 1] (1 gives a constant schedule). */
  rate: number;
  /** Lower bound on the value, in [0, lr]; default 0. */
  min?: number;
}

/**
 * The exponential-decay learning-rate schedule: ηₜ = max(min, lr · rateᵗ) at the 0-based step t
 * (PyTorch's `ExponentialLR` with `gamma = rate`, in closed form).
 *
 * With `min` = 0, lr·rateᵗ underflows to 0 once t exceeds about (745 + ln lr)/|ln rate| steps, and the
 * optimizers reject a learning rate of 0 with `INVALID_INPUT` naming that step; give `min` > 0 for
 * longer runs. Settings are validated here: bad values throw `INVALID_INPUT`.
 *
 * @param options - `{ lr, rate, min = 0 }`.
 * @returns The schedule `(step) => max(min, lr * rate ** step)`.
 *
 * @example
 * ```ts
 * const schedule = exponentialDecay({ lr: 1, rate: 0.5, min: 0.1 });
 * schedule(1); // 0.5
 * schedule(10); // 0.1
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): (step: number) => number {
  const record = readOptions('exponentialDecay', options, ['lr', 'rate', 'min']);
  const lr = checkNumber('exponentialDecay', 'lr', record.lr, { min: 0, exclusiveMin: true });
  const rate = checkNumber('exponentialDecay', 'rate', record.rate, { min: 0, exclusiveMin: true, max: 1 });
  const min =
    record.min === undefined ? 0 : checkNumber('exponentialDecay', 'min', record.min, { min: 0, max: lr });
  return describeSchedule((step: number): number => Math.max(min, lr * rate ** step), 'exponentialDecay', {
    lr,
    rate,
    min,
  });
}
