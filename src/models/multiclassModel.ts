import type { MulticlassDataset } from '../datasets/multiclassDataset.js';
import { InvalidInputError } from '../errors/index.js';
import { loadMulticlassBatch, multiclassBatch } from '../kernels/batch.js';
import { softmaxCrossEntropy } from '../kernels/multiclass.js';
import type { Rng } from '../rng/types.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import type { MulticlassModel } from './types.js';

/** What {@link multiclassModel} needs from a k-output model. */
export interface MulticlassModelSpec {
  /** Default 'multiclass'. */
  name?: string;
  inputDim: number;
  /** Number of outputs k ≥ 2. */
  outputs: number;
  /** Number of parameters p ≥ 1. */
  size: number;
  /** Homogeneity degree α > 0 (f(cθ, x) = c^α f(θ, x)); used to normalize margins. */
  alpha: number;
  /** Writes the n×k row-major logits of the n rows of X into `out`; returns `out`. */
  logits(out: Float64Array, theta: Float64Array, X: Float64Array, n: number): Float64Array;
  /**
   * Writes ∂/∂θ Σᵢⱼ dlogits[i·k + j] fⱼ(θ, xᵢ) into `grad` (overwriting it). Always called right after
   * `logits` with the same θ, X and n, so it may reuse activations cached by that call.
   */
  backward(
    grad: Float64Array,
    theta: Float64Array,
    X: Float64Array,
    n: number,
    dlogits: Float64Array,
  ): Float64Array;
  /** A fresh θ (default: p i.i.d. standard normal entries). */
  init?(rng: Rng): Float64Array;
}

const FN = 'multiclassModel';
const KEYS = ['name', 'inputDim', 'outputs', 'size', 'alpha', 'logits', 'backward', 'init'];

/**
 * Turns any model with a logits forward pass and a backward pass from dL/dlogits into a
 * {@link MulticlassModel} trained with softmax cross-entropy (e.g. a bias-free MLP with k outputs over the
 * `mlpForward`/`mlpBackward` kernels). The objective is three passes: `logits` into an n×k buffer, the
 * cross-entropy terms and dL/dlogits = cᵢ e^{shift}(softmax(zᵢ) − e_{yᵢ}) with the stable kernel
 * `softmaxCrossEntropy`, then `backward`. The two n×k buffers are allocated on the first call for a given
 * n and reused after that, so training allocates nothing per step.
 *
 * @param spec - see {@link MulticlassModelSpec}; validated here.
 * @example
 * // The linear model again, through the generic path: logits Wx, gradient Σᵢ gᵢ xᵢᵀ.
 * const d = 2, k = 3;
 * const model = multiclassModel({
 *   inputDim: d, outputs: k, size: k * d, alpha: 1,
 *   logits: (out, W, X, n) => {
 *     for (let i = 0; i < n; i++)
 *       for (let r = 0; r < k; r++) out[i * k + r] = W[r * d] * X[i * d] + W[r * d + 1] * X[i * d + 1];
 *     return out;
 *   },
 *   backward: (grad, W, X, n, g) => {
 *     grad.fill(0);
 *     for (let i = 0; i < n; i++)
 *       for (let r = 0; r < k; r++) for (let j = 0; j < d; j++) grad[r * d + j] += g[i * k + r] * X[i * d + j];
 *     return grad;
 *   },
 * });
 */
export function multiclassModel(spec: MulticlassModelSpec): MulticlassModel {
  const s = checkObject(FN, 'spec', spec, false);
  checkKnownKeys(FN, s, KEYS);
  const name = s.name === undefined ? 'multiclass' : s.name;
  if (typeof name !== 'string')
    throw new InvalidInputError(FN, 'name', `must be a string, got ${show(name)}`);
  const inputDim = checkNumber(FN, 'inputDim', s.inputDim, { integer: true, min: 1 });
  const k = checkNumber(FN, 'outputs', s.outputs, { integer: true, min: 2 });
  const size = checkNumber(FN, 'size', s.size, { integer: true, min: 1 });
  const alpha = checkNumber(FN, 'alpha', s.alpha, { min: 0, exclusiveMin: true });
  for (const key of ['logits', 'backward'] as const) {
    if (typeof s[key] !== 'function')
      throw new InvalidInputError(FN, key, `must be a function, got ${show(s[key])}`);
  }
  if (s.init !== undefined && typeof s.init !== 'function') {
    throw new InvalidInputError(FN, 'init', `must be a function, got ${show(s.init)}`);
  }
  const logits = spec.logits;
  const backward = spec.backward;
  const userInit = spec.init;
  let rows = -1;
  let z = new Float64Array(0);
  let dz = new Float64Array(0);
  // The kernel's view of (data, c), made once and pointed at each call's arrays.
  const batch = multiclassBatch(inputDim, k);
  return Object.freeze({
    name,
    inputDim,
    outputs: k,
    size,
    alpha,
    init(rng: Rng): Float64Array {
      if (userInit !== undefined) return userInit(rng);
      const theta = new Float64Array(size);
      for (let j = 0; j < size; j++) theta[j] = rng.normal();
      return theta;
    },
    logits(out: Float64Array, theta: Float64Array, X: Float64Array, n: number): Float64Array {
      return logits(out, theta, X, n);
    },
    objective(
      grad: Float64Array,
      theta: Float64Array,
      data: MulticlassDataset,
      c: Float64Array,
      shift: number,
      margins: Float64Array,
    ): number {
      const n = data.n;
      if (n !== rows) {
        rows = n;
        z = new Float64Array(n * k);
        dz = new Float64Array(n * k);
      }
      logits(z, theta, data.X, n);
      const loss = softmaxCrossEntropy(dz, margins, z, loadMulticlassBatch(batch, data, c), shift);
      backward(grad, theta, data.X, n, dz);
      return loss;
    },
  });
}
