/**
 * Shared building blocks of the optimizers in this folder: option parsing, learning-rate validation
 * and evaluation, and the e^{logScale} factor. Not part of the public API (not re-exported).
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../../errors/index.js';
import { checkNumber, show } from '../../util/validate.js';
import type { LearningRate } from './types.js';

/** Smallest positive normal float64; below it a product loses precision gradually. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Validates a learning rate at build time: a finite number > 0, or a schedule `(step) => number`
 * (whose values are checked at each step by {@link learningRateAt}).
 * @internal
 */
export function checkLearningRate(fn: string, lr: unknown, option = 'lr'): LearningRate {
  if (typeof lr === 'function') return lr as (step: number) => number;
  if (typeof lr !== 'number') {
    throw new InvalidInputError(
      fn,
      option,
      `must be a finite number > 0 or a schedule (step) => number, got ${show(lr)}`,
    );
  }
  return checkNumber(fn, option, lr, { min: 0, exclusiveMin: true });
}

/**
 * The learning rate at the 0-based `step`: the number itself, or the schedule's value, which must be a
 * finite number > 0 (else `INVALID_INPUT` naming the function, `lr`, the step and the value).
 * @internal
 */
export function learningRateAt(fn: string, lr: LearningRate, step: number): number {
  if (typeof lr === 'number') return lr;
  const value = lr(step);
  if (typeof value !== 'number' || !(value > 0) || value === Number.POSITIVE_INFINITY) {
    throw new InvalidInputError(
      fn,
      'lr',
      `schedule must return a finite number > 0, got ${show(value)} at step ${step}`,
    );
  }
  return value;
}

/**
 * c·e^{logScale} for c > 0, exactly `c` when `logScale` is 0 (no rounding is introduced on the common
 * path). Otherwise the product `c·Math.exp(logScale)` (≤ 2 ulp) when e^{logScale} is a normal number,
 * and e^{log c + logScale} when e^{logScale} alone would overflow or underflow but the product need not.
 * @internal
 */
export function timesExp(c: number, logScale: number): number {
  if (logScale === 0) return c;
  const e = Math.exp(logScale);
  if (e >= MIN_NORMAL && e < Number.POSITIVE_INFINITY) return c * e;
  return Math.exp(Math.log(c) + logScale);
}

/**
 * Throws `INVALID_INPUT` unless `grad` (and a state buffer, when given) has the length of `theta`.
 * One comparison per update; it turns a silent out-of-bounds read (NaN) into a clear message.
 * @internal
 */
export function checkLengths(
  fn: string,
  theta: Float64Array,
  grad: Float64Array,
  buffer?: Float64Array,
): void {
  if (grad.length !== theta.length) {
    throw new InvalidInputError(
      fn,
      'grad',
      `must have the length of theta (${theta.length}), got length ${grad.length}`,
    );
  }
  if (buffer !== undefined && buffer.length !== theta.length) {
    throw new InvalidInputError(
      fn,
      'state',
      `was initialized for ${buffer.length} parameters, but theta has ${theta.length}; call init(theta) again`,
    );
  }
}
