import type { MulticlassDataset } from '../datasets/multiclassDataset.js';
import { loadMulticlassBatch, multiclassBatch } from '../kernels/batch.js';
import { linearMulticlassLogits, linearMulticlassObjective } from '../kernels/multiclass.js';
import type { Rng } from '../rng/types.js';
import { checkNumber } from '../util/validate.js';
import type { MulticlassModel } from './types.js';

/** The linear multiclass predictor built by {@link linearMulticlass}. */
export interface LinearMulticlassModel extends MulticlassModel {
  readonly name: 'linearMulticlass';
}

/**
 * The linear k-class predictor f(θ, x) = Wx ∈ ℝᵏ without bias (homogeneous of degree α = 1): the
 * multiclass model of Soudry et al. (2018, Section 4), for which gradient descent on the cross-entropy of
 * separable data converges in direction to the multiclass hard-margin SVM
 * argmin ‖W‖_F s.t. (w_{yᵢ} − wⱼ)ᵀxᵢ ≥ 1 for all i and j ≠ yᵢ.
 *
 * θ layout: W row-major k×d (θ[r·d + j] = W_{rj}, row r scores class r), the PyTorch `Linear.weight`
 * layout. `init` draws i.i.d. N(0, 1) entries. The fused `objective` reads each row of X once per pass
 * (logits, cross-entropy terms and the rank-one gradient update together) and allocates nothing.
 *
 * For k = 2 and W = [−θ/2; θ/2] the cross-entropy of label 1 ↔ y = +1, 0 ↔ y = −1 is exactly the
 * logistic loss log(1 + e^{−yθᵀx}) of the binary `linear` model.
 *
 * @param d - input dimension, a positive integer
 * @param k - number of classes, an integer ≥ 2
 * @example
 * const model = linearMulticlass(2, 3);
 * model.logits(new Float64Array(3), Float64Array.of(1, 0, 0, 1, -1, -1), Float64Array.of(2, 1), 1); // [2, 1, -3]
 */
export function linearMulticlass(d: number, k: number): LinearMulticlassModel {
  checkNumber('linearMulticlass', 'd', d, { integer: true, min: 1 });
  checkNumber('linearMulticlass', 'k', k, { integer: true, min: 2 });
  const size = k * d;
  // Per-row logits and their cross-entropy coefficients, allocated once per model.
  const scratch = new Float64Array(2 * k);
  // The kernel's view of (data, c), made once and pointed at each call's arrays.
  const batch = multiclassBatch(d, k);
  return Object.freeze({
    name: 'linearMulticlass' as const,
    inputDim: d,
    outputs: k,
    size,
    alpha: 1,
    init(rng: Rng): Float64Array {
      const theta = new Float64Array(size);
      for (let j = 0; j < size; j++) theta[j] = rng.normal();
      return theta;
    },
    logits(out: Float64Array, theta: Float64Array, X: Float64Array, n: number): Float64Array {
      return linearMulticlassLogits(out, theta, X, n, d, k);
    },
    objective(
      grad: Float64Array,
      theta: Float64Array,
      data: MulticlassDataset,
      c: Float64Array,
      shift: number,
      margins: Float64Array,
    ): number {
      return linearMulticlassObjective(
        grad,
        margins,
        theta,
        loadMulticlassBatch(batch, data, c),
        shift,
        scratch,
      );
    },
  });
}
