import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { classCounts } from './internal.js';

/**
 * Class-balanced importance weights (inverse class frequency): every point of class c gets
 * wᵢ = n/(K·n_c), with n_c the size of its class and K the number of classes present (2, or 1 when
 * every label is the same).
 *
 * Normalization: mean 1 (Σ wᵢ = n, the scale of `trainWeighted`'s (1/n) Σ wᵢ ℓᵢ); each present class
 * then has total weight n/K, so both classes weigh the same in the risk. Balanced data gives all ones.
 * This is the β → 1 limit of `effectiveNumberWeights`.
 *
 * @param data - the training set (labels ±1).
 * @returns a new `Float64Array` of n weights, all > 0, with mean 1.
 * @throws InvalidInputError (`INVALID_INPUT`) if `data` is not a Dataset.
 * @example
 * ```ts
 * import { classBalancedWeights, dataset } from 'implicit-bias';
 * const data = dataset([[1], [2], [3], [-1]], [1, 1, 1, -1]);
 * classBalancedWeights(data); // [2/3, 2/3, 2/3, 2]: each class totals 2 = n/2
 * ```
 *
 * Reference: King & Zeng, "Logistic regression in rare events data", Political Analysis 9(2), 2001
 * (weighting by inverse class frequency); scikit-learn's `class_weight='balanced'` uses the same
 * n/(K·n_c).
 */
export function classBalancedWeights(data: Dataset): Float64Array {
  const { y, n } = checkDataset('classBalancedWeights', 'data', data);
  const { nNeg, nPos } = classCounts(y);
  const K = (nNeg > 0 ? 1 : 0) + (nPos > 0 ? 1 : 0);
  const wNeg = nNeg > 0 ? n / (K * nNeg) : 0;
  const wPos = nPos > 0 ? n / (K * nPos) : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = y[i] === 1 ? wPos : wNeg;
  return out;
}
