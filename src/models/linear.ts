import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { loadMarginBatch, marginBatch } from '../kernels/batch.js';
import { linearHvp } from '../kernels/hvp.js';
import { linearForward, linearObjective } from '../kernels/linear.js';
import type { MarginLoss } from '../losses/types.js';
import type { Rng } from '../rng/types.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import type { Model } from './types.js';

/** The linear predictor built by {@link linear}. */
export interface LinearModel extends Model {
  readonly name: 'linear';
  /** Whether θ carries a trailing intercept θ_d. */
  readonly bias: boolean;
}

/**
 * The linear predictor f(θ, x) = θᵀx of the paper (homogeneous of degree α = 1), or with
 * `{ bias: true }` f(θ, x) = θ[0:d]ᵀx + θ_d — still 1-homogeneous in the full θ = (w, b), so gradient
 * descent on separable data converges in direction to the max-margin θ of the *augmented* points (x, 1)
 * (the intercept is part of the norm), which is not the SVM with an unpenalized bias.
 *
 * θ layout: θ[0..d−1] = weights, θ[d] = intercept (with bias). `init` draws i.i.d. N(0, 1) entries.
 * `hvp` is the closed-form Hessian-vector product Σᵢ cᵢ ℓ″(uᵢ)(x̃ᵢᵀv)x̃ᵢ (used by `sharpness`).
 *
 * `objective` is one fused pass over X (`linearObjective` in src/kernels: margins, loss and gradient
 * together) in one fixed, documented summation order, so its result is the same bits whichever backend
 * runs it — the WebAssembly SIMD kernel when the engine has it, else TypeScript — and on any number of
 * threads (in Node, passes of n·d ≥ 2¹⁶ split over worker threads by default, as long as that proves
 * faster on the machine's current load; `setKernelThreads(1)` turns them off). **Data:** the WebAssembly pass keeps the last dataset's X and y in its own memory between
 * passes (copied once, compared by identity), so a dataset's `X` and `y` are taken as immutable — pass a
 * new array rather than changing one in place between calls. The weights are read on every pass.
 *
 * @param d - input dimension, a positive integer
 * @param options.bias - append an intercept (default false)
 * @example
 * const model = linear(2);
 * model.predict(new Float64Array(1), Float64Array.of(1, -1), Float64Array.of(3, 1), 1); // [2]
 */
export function linear(d: number, options?: { bias?: boolean }): LinearModel {
  checkNumber('linear', 'd', d, { integer: true, min: 1 });
  const opts = checkObject('linear', 'options', options);
  checkKnownKeys('linear', opts, ['bias']);
  if (opts.bias !== undefined && typeof opts.bias !== 'boolean') {
    throw new InvalidInputError('linear', 'bias', `must be a boolean, got ${show(opts.bias)}`);
  }
  const bias = opts.bias === true;
  const size = bias ? d + 1 : d;
  // The kernels' view of (data, c), made once and pointed at each call's arrays (no allocation per step).
  const batch = marginBatch(d);
  return Object.freeze({
    name: 'linear' as const,
    inputDim: d,
    size,
    alpha: 1,
    bias,
    init(rng: Rng): Float64Array {
      const theta = new Float64Array(size);
      for (let j = 0; j < size; j++) theta[j] = rng.normal();
      return theta;
    },
    predict(out: Float64Array, theta: Float64Array, X: Float64Array, n: number): Float64Array {
      return linearForward(out, theta, X, n, d, bias);
    },
    objective(
      grad: Float64Array,
      theta: Float64Array,
      data: Dataset,
      c: Float64Array,
      loss: MarginLoss,
      shift: number,
      margins: Float64Array,
    ): number {
      return linearObjective(grad, margins, theta, loadMarginBatch(batch, data, c), bias, loss.id, shift);
    },
    hvp(
      out: Float64Array,
      theta: Float64Array,
      v: Float64Array,
      data: Dataset,
      c: Float64Array,
      loss: MarginLoss,
    ): Float64Array {
      return linearHvp(out, theta, v, loadMarginBatch(batch, data, c), bias, loss.id);
    },
  });
}
