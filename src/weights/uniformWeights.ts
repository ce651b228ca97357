import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';

/**
 * Uniform importance weights: wᵢ = 1 for every training point (mean 1, the default of `trainWeighted`).
 *
 * @param data - the training set.
 * @returns a new `Float64Array` of n ones.
 * @throws InvalidInputError (`INVALID_INPUT`) if `data` is not a Dataset.
 * @example
 * ```ts
 * import { dataset, uniformWeights } from 'implicit-bias';
 * uniformWeights(dataset([[1], [2], [3]], [1, -1, 1])); // Float64Array [1, 1, 1]
 * ```
 */
export function uniformWeights(data: Dataset): Float64Array {
  const { n } = checkDataset('uniformWeights', 'data', data);
  return new Float64Array(n).fill(1);
}
