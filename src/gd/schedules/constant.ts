import { checkNumber } from '../../util/validate.js';
import { describeSchedule } from './describeSchedule.js';

/**
 * A constant learning-rate schedule: t ↦ lr.
 *
 * Equivalent to passing the number itself as `lr`; useful where a schedule function is expected.
 *
 * @param lr - The value, a finite number > 0 (else `INVALID_INPUT`, thrown here).
 * @returns The schedule `(step) => lr`.
 *
 * @example
 * ```ts
 * const opt = gd({ lr: constant(0.1) });
 * constant(0.1)(1000); // 0.1
 * ```
 */
export function constant(lr: number): (step: number) => number {
  const value = checkNumber('constant', 'lr', lr, { min: 0, exclusiveMin: true });
  return describeSchedule((_step: number): number => value, 'constant', { lr: value });
}
