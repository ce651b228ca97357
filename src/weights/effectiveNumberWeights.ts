import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { checkKnownKeys, checkNumber, checkObject, checkOneOf } from '../util/validate.js';
import { classCounts } from './internal.js';

/** Options of {@link effectiveNumberWeights}. */
export interface EffectiveNumberWeightsOptions {
  /** β ∈ [0, 1): 0 gives uniform weights, β → 1 inverse class frequency. Cui et al. use 0.9 … 0.9999. */
  beta: number;
  /**
   * How the per-class weights are scaled (default `'mean'`):
   * - `'mean'`: mean 1 over the points (Σᵢ wᵢ = n), the scale of `trainWeighted` and of the other schemes;
   * - `'classes'`: Cui et al.'s, the per-class weights sum to K (the number of classes present).
   */
  normalization?: 'mean' | 'classes';
}

/**
 * Class weights from the "effective number of samples" of Cui et al. (2019): the effective number of a
 * class of n_c points is E(n_c) = (1 − β^{n_c})/(1 − β), and each point of class c gets weight
 * proportional to 1/E(n_c) = (1 − β)/(1 − β^{n_c}).
 *
 * Normalization: see {@link EffectiveNumberWeightsOptions}. With `'mean'`, β = 0 gives all ones
 * (`uniformWeights`) and β → 1 tends to `classBalancedWeights` (1/E(n_c) → 1/n_c). With `'classes'`,
 * w_c = K·(1/E(n_c))/Σ_c′ (1/E(n_c′)) exactly as in the paper's code. 1 − β^{n_c} is computed as
 * −expm1(n_c log β), accurate for β close to 1.
 *
 * @param data - the training set (labels ±1).
 * @param options - `{ beta, normalization? }`.
 * @returns a new `Float64Array` of n weights, all > 0.
 * @throws InvalidInputError (`INVALID_INPUT`) for a non-Dataset, β ∉ [0, 1), or a bad or unknown option.
 * @example
 * ```ts
 * import { dataset, effectiveNumberWeights } from 'implicit-bias';
 * const data = dataset([[1], [2], [3], [-1]], [1, 1, 1, -1]);
 * // 1/E(3) = 0.5/0.875 = 4/7, 1/E(1) = 1; scaled to mean 1: [16/19, 16/19, 16/19, 28/19]
 * effectiveNumberWeights(data, { beta: 0.5 });
 * effectiveNumberWeights(data, { beta: 0.5, normalization: 'classes' }); // [8/11, 8/11, 8/11, 14/11]
 * ```
 *
 * Reference: Cui, Jia, Lin, Song & Belongie, "Class-Balanced Loss Based on Effective Number of Samples",
 * CVPR 2019, Section 3 (Eq. 3 and the class-balanced term (1 − β)/(1 − β^{n_y})).
 */
export function effectiveNumberWeights(data: Dataset, options: EffectiveNumberWeightsOptions): Float64Array {
  const fn = 'effectiveNumberWeights';
  const { y, n } = checkDataset(fn, 'data', data);
  const o = checkObject(fn, 'options', options, false);
  checkKnownKeys(fn, o, ['beta', 'normalization']);
  const beta = checkNumber(fn, 'beta', o.beta, { min: 0, max: 1, exclusiveMax: true });
  const norm =
    o.normalization === undefined
      ? 'mean'
      : checkOneOf(fn, 'normalization', o.normalization, ['mean', 'classes'] as const);
  const { nNeg, nPos } = classCounts(y);
  const inv = (nc: number): number =>
    nc === 0 ? 0 : beta === 0 ? 1 : (1 - beta) / -Math.expm1(nc * Math.log(beta));
  let rNeg = inv(nNeg);
  let rPos = inv(nPos);
  if (norm === 'mean') {
    const f = n / (nNeg * rNeg + nPos * rPos);
    rNeg *= f;
    rPos *= f;
  } else {
    const K = (nNeg > 0 ? 1 : 0) + (nPos > 0 ? 1 : 0);
    const f = K / (rNeg + rPos);
    rNeg *= f;
    rPos *= f;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = y[i] === 1 ? rPos : rNeg;
  return out;
}
