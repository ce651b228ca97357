import { checkOneOf } from '../util/validate.js';
import { nonnegativeVector, scaleToTotalInPlace } from './internal.js';

/**
 * Rescales non-negative weights by one positive factor: to sum 1 (`'sum'`, the default: a distribution
 * w̄ = w/Σw, as in `proposition1Bound`'s KL term) or to mean 1 (`'mean'`: Σ wᵢ = n, the scale at which
 * `trainWeighted`'s (1/n) Σ wᵢ ℓᵢ equals the unweighted risk for uniform weights).
 *
 * The ratios wᵢ/wⱼ are kept (up to rounding); zeros stay zero. The input is divided by its largest
 * entry before summing, so huge weights do not overflow.
 *
 * @param weights - finite numbers ≥ 0, not all zero.
 * @param to - `'sum'` (Σ = 1, default) or `'mean'` (mean 1).
 * @returns a new `Float64Array`.
 * @throws InvalidInputError (`INVALID_INPUT`) for an empty vector, a negative or non-finite entry, all
 *   zeros, or an unknown `to`.
 * @example
 * ```ts
 * import { normalizeWeights } from 'implicit-bias';
 * normalizeWeights([1, 3]); // [0.25, 0.75]
 * normalizeWeights([1, 3], 'mean'); // [0.5, 1.5]
 * ```
 */
export function normalizeWeights(weights: ArrayLike<number>, to: 'sum' | 'mean' = 'sum'): Float64Array {
  const fn = 'normalizeWeights';
  const mode = checkOneOf(fn, 'to', to, ['sum', 'mean'] as const);
  const w = nonnegativeVector(fn, 'weights', weights);
  return scaleToTotalInPlace(fn, 'weights', w, mode === 'sum' ? 1 : w.length);
}
