import { checkNumber } from '../util/validate.js';
import type { Rng } from './types.js';

/**
 * Draws a vector of independent standard normal entries, zᵢ ~ N(0, 1), from `rng` (in index order, so
 * the result is deterministic in the generator's seed). Used for the paper's "standard normal
 * initialization" of θ.
 *
 * @param rng - the generator to draw from (advanced by `length` normal draws).
 * @param length - a non-negative integer.
 * @returns a new `Float64Array` of the given length.
 * @throws InvalidInputError (`INVALID_INPUT`) if `length` is not a non-negative integer.
 * @example
 * ```ts
 * const theta0 = normalVector(createRng(0), 3); // Float64Array(3) of N(0, 1) draws
 * ```
 */
export function normalVector(rng: Rng, length: number): Float64Array {
  checkNumber('normalVector', 'length', length, { integer: true, min: 0 });
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  return out;
}
