import { checkNumber } from '../util/validate.js';
import { nonnegativeVector } from './internal.js';

/**
 * Clamps every weight into [1/M, M], the range w ∈ [1/M, M]ⁿ assumed by the paper's Propositions 1
 * and 3: wᵢ ↦ min(max(wᵢ, 1/M), M).
 *
 * Idempotent (clamping twice changes nothing) and the identity on weights already in range. Clamping
 * does not preserve a normalization: normalize first (e.g. `normalizeWeights(w, 'mean')`, so that 1 is
 * the typical weight) and then clamp; renormalizing afterwards can leave [1/M, M] again.
 *
 * @param weights - finite numbers ≥ 0 (zeros become 1/M).
 * @param M - the bound, a finite number ≥ 1 (M = 1 gives all ones).
 * @returns a new `Float64Array` with every entry in [1/M, M].
 * @throws InvalidInputError (`INVALID_INPUT`) for an empty vector, a negative or non-finite entry, or
 *   M < 1.
 * @example
 * ```ts
 * import { clampWeights } from 'implicit-bias';
 * clampWeights([0, 0.5, 3, 10], 4); // [0.25, 0.5, 3, 4]
 * ```
 */
export function clampWeights(weights: ArrayLike<number>, M: number): Float64Array {
  const fn = 'clampWeights';
  const bound = checkNumber(fn, 'M', M, { min: 1 });
  const w = nonnegativeVector(fn, 'weights', weights);
  const lo = 1 / bound;
  for (let i = 0; i < w.length; i++) w[i] = Math.min(Math.max(w[i]!, lo), bound);
  return w;
}
