import { checkMulticlassDataset } from '../datasets/multiclassCheck.js';
import type { MulticlassDataset } from '../datasets/multiclassDataset.js';
import { InvalidInputError } from '../errors/index.js';
import { multiclassMarginsFromLogits } from '../kernels/multiclass.js';
import { norm2 } from '../kernels/vector.js';
import type { MulticlassModel } from '../models/types.js';
import { show, toFiniteVector } from '../util/validate.js';

/** Throws INVALID_INPUT unless `model` is a multiclass model that fits `data`; returns θ as a Float64Array. @internal */
export function checkMulticlassModelTheta(
  fn: string,
  model: MulticlassModel,
  theta: unknown,
  data: MulticlassDataset,
): Float64Array {
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof model.objective !== 'function' ||
    typeof model.logits !== 'function'
  ) {
    throw new InvalidInputError(
      fn,
      'model',
      `must be a multiclass model such as linearMulticlass(d, k), got ${show(model)}`,
    );
  }
  if (model.inputDim !== data.d) {
    throw new InvalidInputError(
      fn,
      'model',
      `expects inputDim = ${model.inputDim} but data has d = ${data.d}`,
    );
  }
  if (model.outputs !== data.k) {
    throw new InvalidInputError(
      fn,
      'model',
      `has ${model.outputs} outputs but data has k = ${data.k} classes`,
    );
  }
  return toFiniteVector(fn, 'theta', theta, model.size);
}

/** Unchecked: writes (f_{yᵢ} − max_{j≠yᵢ} fⱼ)(θ, xᵢ)/‖θ‖₂^α into `out` (0 for every i at θ = 0); returns `out`. @internal */
export function multiclassMarginsInto(
  out: Float64Array,
  model: MulticlassModel,
  theta: Float64Array,
  data: MulticlassDataset,
): Float64Array {
  const z = model.logits(new Float64Array(data.n * data.k), theta, data.X, data.n);
  multiclassMarginsFromLogits(out, z, data.labels, data.n, data.k);
  const nrm = norm2(theta);
  const denom = nrm ** model.alpha;
  for (let i = 0; i < data.n; i++) out[i] = nrm === 0 ? 0 : out[i]! / denom;
  return out;
}

/**
 * The normalized multiclass margins (f_{yᵢ}(θ, xᵢ) − max_{j≠yᵢ} fⱼ(θ, xᵢ))/‖θ‖₂^α of every point, α the
 * model's homogeneity degree: scale-free, positive exactly where the point is classified correctly with
 * no tie. For k = 2 and the linear model with W = [−θ/2; θ/2] this is yᵢθᵀxᵢ/‖W‖_F = √2·yᵢθᵀxᵢ/‖θ‖.
 *
 * @example
 * const data = multiclassDataset([[1, 0], [0, 1]], [0, 1]);
 * multiclassMargins(linearMulticlass(2, 2), [1, 0, 0, 1], data); // [1/√2, 1/√2]
 */
export function multiclassMargins(
  model: MulticlassModel,
  theta: ArrayLike<number>,
  data: MulticlassDataset,
): Float64Array {
  checkMulticlassDataset('multiclassMargins', 'data', data);
  const t = checkMulticlassModelTheta('multiclassMargins', model, theta, data);
  return multiclassMarginsInto(new Float64Array(data.n), model, t, data);
}

/**
 * The normalized multiclass margin minᵢ (f_{yᵢ} − max_{j≠yᵢ} fⱼ)(θ, xᵢ)/‖θ‖₂^α: positive iff θ classifies
 * every point correctly; for the linear model its maximum over θ is the multiclass hard-margin SVM's γ⋆.
 *
 * @example
 * const data = multiclassDataset([[1, 0], [0, 1], [-1, -1]], [0, 1, 2]);
 * multiclassMargin(linearMulticlass(2, 3), [1, 0, 0, 1, -1, -1], data); // 0.5 (margins 1, 1, 3 over ‖W‖_F = 2)
 */
export function multiclassMargin(
  model: MulticlassModel,
  theta: ArrayLike<number>,
  data: MulticlassDataset,
): number {
  checkMulticlassDataset('multiclassMargin', 'data', data);
  const t = checkMulticlassModelTheta('multiclassMargin', model, theta, data);
  const m = multiclassMarginsInto(new Float64Array(data.n), model, t, data);
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < m.length; i++) if (m[i]! < min) min = m[i]!;
  return min;
}
