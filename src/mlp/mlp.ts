import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { loadMarginBatch, marginBatch } from '../kernels/batch.js';
import { createMlpHvpScratch, type MlpHvpScratch, mlpHvp } from '../kernels/hvp.js';
import { createMlpScratch, type MlpScratch, mlpForward, mlpObjective, mlpSigma } from '../kernels/mlp.js';
import type { MarginLoss } from '../losses/types.js';
import type { Model } from '../models/types.js';
import type { Rng } from '../rng/types.js';
import {
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkOneOf,
  isArrayOrTypedArray,
  show,
} from '../util/validate.js';

/** The activations of {@link mlp}. */
export type MlpActivation = 'relu' | 'leakyRelu' | 'quadratic' | 'reluPower' | 'identity';

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Layer widths [d, h₁, …, h_{H−1}, k]: integers ≥ 1, at least two entries; k must be 1 (binary). */
  widths: readonly number[];
  /** σ (default 'relu'). */
  activation?: MlpActivation;
  /** Negative-side slope s of 'leakyRelu', σ(z) = max(z, s·z): a number in (0, 1) (default 0.01, as PyTorch). */
  slope?: number;
  /** Exponent c of 'reluPower', σ(z) = max(0, z)^c: a number ≥ 2 (default 2). */
  power?: number;
}

/** Where W_l sits in θ: `rows` × `cols` = widths[l + 1] × widths[l], row-major from `offset`. */
export interface MlpLayer {
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

/** The network built by {@link mlp}. */
export interface MlpModel extends Model {
  readonly name: 'mlp';
  /** The layer widths [d, h₁, …, k]. */
  readonly widths: readonly number[];
  /** Output width k (1: a binary margin model). */
  readonly outputDim: number;
  /** Number of weight matrices H = widths.length − 1. */
  readonly depth: number;
  readonly activation: MlpActivation;
  /** The leakyRelu slope (undefined for other activations). */
  readonly slope: number | undefined;
  /** The reluPower exponent (undefined for other activations). */
  readonly power: number | undefined;
  /** q with σ(cz) = c^q σ(z) for c > 0: 1 (relu, leakyRelu, identity), 2 (quadratic), c (reluPower). */
  readonly activationDegree: number;
  /** The number of hidden units h₁ + … + h_{H−1} (what `dropout` acts on; 0 for H = 1). */
  readonly hiddenUnits: number;
  /** Offsets and shapes of W₁ … W_H in θ. */
  readonly layers: readonly MlpLayer[];
}

const FN = 'mlp';
const ACTIVATIONS: readonly MlpActivation[] = ['relu', 'leakyRelu', 'quadratic', 'reluPower', 'identity'];
/** Parameters above this (2 GiB of float64) are refused: θ offsets are kept in an Int32Array. */
const MAX_PARAMS = 2 ** 28;

/**
 * The homogeneity degree of an H-layer bias-free net whose activation has degree q:
 * α = 1 + q + … + q^{H−1}, by Horner's rule (exact for integer q).
 */
function homogeneityDegree(q: number, H: number): number {
  let a = 1;
  for (let l = 1; l < H; l++) a = 1 + q * a;
  return a;
}

/**
 * The bias-free multilayer perceptron of the paper (Section 4):
 *
 *   f(θ, x) = W_H σ(W_{H−1} σ(… σ(W₁x))),   θ = (W₁, …, W_H),
 *
 * with W_l of shape widths[l] × widths[l − 1] (out × in) stored row-major and the matrices concatenated
 * in order: the layout of PyTorch's `Linear.weight`, so `torch.cat([l.weight.flatten() for l in layers])`
 * is θ. `model.layers[l]` gives each matrix's offset and shape.
 *
 * Without biases and with a positively homogeneous σ (σ(cz) = c^q σ(z), c > 0) the net is homogeneous in θ
 * (condition C2 of the paper): f(cθ, x) = c^α f(θ, x) with
 *
 *   α = 1 + q + q² + … + q^{H−1}  (= H for q = 1; (q^H − 1)/(q − 1) otherwise),
 *
 * since layer l's pre-activations scale as c^{a_l} with a₁ = 1 and a_{l+1} = 1 + q·a_l.
 *
 * | activation  | σ(z)                       | q | α for H = 1, 2, 3 |
 * | ----------- | -------------------------- | - | ----------------- |
 * | `relu`      | max(0, z)                  | 1 | 1, 2, 3           |
 * | `leakyRelu` | max(z, s·z), 0 < s < 1     | 1 | 1, 2, 3           |
 * | `quadratic` | z²                         | 2 | 1, 3, 7           |
 * | `reluPower` | max(0, z)^c, c ≥ 2         | c | 1, 1 + c, 1 + c + c² |
 * | `identity`  | z                          | 1 | 1, 2, 3           |
 *
 * `identity` makes a deep linear network: f(θ, x) = W_H ⋯ W₁ x = βᵀx with the end-to-end vector
 * β = W_Hᵀ ⋯ W₁ᵀ (a linear predictor, parameterized by depth H), homogeneous of degree H in θ. Its
 * trajectory depends on the factorization, but what converges in direction on separable data is the
 * end-to-end predictor β (to the ℓ2 max-margin separator under GD with the exponential or logistic loss: Ji &
 * Telgarsky 2019, "Gradient descent aligns the layers of deep linear networks"); the factors themselves align
 * with each other rather than with any fixed θ. The same kernels (σ = z, σ′ = 1, σ″ = 0), Hessian-vector
 * products and bounds apply.
 *
 * `quadratic` and `reluPower` are the smooth homogeneous activations of the paper's Appendix A.1.2
 * (condition C3); ReLU is what the paper's experiments use. The slope of `leakyRelu` is restricted to (0, 1):
 * there σ is 1-Lipschitz and 1-positively homogeneous (Theorem 1's assumption) and differs from both `relu`
 * (s = 0) and the identity (s = 1). At z = 0 the derivatives are PyTorch's: relu′(0) = 0, leakyRelu′(0) = s.
 *
 * `init` draws i.i.d. N(0, 1) entries (the paper's "standard normal initialization") in θ order.
 * `objective` is the fused pass of the hand-written backward kernels (`src/kernels/mlp.ts`), batched over
 * all rows with buffers allocated once per data size and reused (no allocation per step).
 * `hvp` is the exact Hessian-vector product of the objective (Pearlmutter's R-operator, `src/kernels/hvp.ts`),
 * used by `sharpness`.
 *
 * @param options - `{ widths, activation?, slope?, power? }`; see {@link MlpOptions}.
 * @throws InvalidInputError (`INVALID_INPUT`) naming the option: widths not an array of ≥ 2 integers ≥ 1,
 *   an output width other than 1 (for k ≥ 2 classes use `mlpMulticlass`), an unknown activation,
 *   `slope` outside (0, 1) or given without 'leakyRelu', `power` < 2 or given without 'reluPower'.
 * @example
 * ```ts
 * const net = mlp({ widths: [2, 2, 1] });  // θ = W₁ (2×2) then W₂ (1×2), 6 numbers; net.alpha = 2
 * const theta = Float64Array.of(1, 0, 0, 1, 1, -1);
 * net.predict(new Float64Array(1), theta, Float64Array.of(3, -2), 1); // [3] = relu(3) − relu(−2)
 * ```
 */
export function mlp(options: MlpOptions): MlpModel {
  const opts = checkObject(FN, 'options', options, false);
  checkKnownKeys(FN, opts, ['widths', 'activation', 'slope', 'power']);
  const w = opts.widths;
  if (!isArrayOrTypedArray(w)) {
    throw new InvalidInputError(
      FN,
      'widths',
      `must be an array of layer widths [d, h1, ..., 1], got ${show(w)}`,
    );
  }
  const list = w as ArrayLike<unknown>;
  if (list.length < 2) {
    throw new InvalidInputError(
      FN,
      'widths',
      `must have at least 2 entries [d, ..., 1], got length ${list.length}`,
    );
  }
  const widths: number[] = [];
  for (let l = 0; l < list.length; l++) {
    widths.push(checkNumber(FN, `widths[${l}]`, list[l], { integer: true, min: 1 }));
  }
  const H = widths.length - 1;
  const k = widths[H]!;
  if (k !== 1) {
    throw new InvalidInputError(
      FN,
      `widths[${H}]`,
      `(the output width) must be 1 for a binary margin model, got ${k} (for k >= 2 classes use mlpMulticlass with trainMulticlass)`,
    );
  }
  let size = 0;
  for (let l = 0; l < H; l++) size += widths[l]! * widths[l + 1]!;
  if (size > MAX_PARAMS) {
    throw new InvalidInputError(FN, 'widths', `give ${size} parameters; at most ${MAX_PARAMS} are supported`);
  }
  const activation =
    opts.activation === undefined ? 'relu' : checkOneOf(FN, 'activation', opts.activation, ACTIVATIONS);
  if (opts.slope !== undefined && activation !== 'leakyRelu') {
    throw new InvalidInputError(
      FN,
      'slope',
      `applies only to activation 'leakyRelu', not ${show(activation)}`,
    );
  }
  if (opts.power !== undefined && activation !== 'reluPower') {
    throw new InvalidInputError(
      FN,
      'power',
      `applies only to activation 'reluPower', not ${show(activation)}`,
    );
  }
  const slope =
    activation !== 'leakyRelu'
      ? undefined
      : opts.slope === undefined
        ? 0.01
        : checkNumber(FN, 'slope', opts.slope, { min: 0, exclusiveMin: true, max: 1, exclusiveMax: true });
  const power =
    activation !== 'reluPower'
      ? undefined
      : opts.power === undefined
        ? 2
        : checkNumber(FN, 'power', opts.power, { min: 2 });
  const q = activation === 'quadratic' ? 2 : activation === 'reluPower' ? (power as number) : 1;
  let hiddenUnits = 0;
  for (let l = 1; l < H; l++) hiddenUnits += widths[l]!;
  const alpha = homogeneityDegree(q, H);
  // σ for the kernels: the activation and its one parameter (the slope of leakyRelu or the power of
  // reluPower).
  const sigma = mlpSigma(activation, { slope, power });
  const layers: MlpLayer[] = [];
  let offset = 0;
  for (let l = 0; l < H; l++) {
    layers.push(Object.freeze({ offset, rows: widths[l + 1]!, cols: widths[l]! }));
    offset += widths[l]! * widths[l + 1]!;
  }

  // Kernel buffers: grown (once per larger data size) before a pass, never inside one.
  let scratch: MlpScratch = createMlpScratch(widths, sigma, 0);
  const ensure = (n: number): MlpScratch => {
    if (n > scratch.capacity) scratch = createMlpScratch(widths, sigma, n);
    return scratch;
  };
  // The kernels' view of (data, c), made once and pointed at each call's arrays.
  const batch = marginBatch(widths[0]!);

  // Per-row buffers of the Hessian-vector product, made on first use (independent of n).
  let hvpScratch: MlpHvpScratch | undefined;

  return Object.freeze({
    name: 'mlp' as const,
    inputDim: widths[0]!,
    outputDim: k,
    size,
    alpha,
    widths: Object.freeze(widths),
    depth: H,
    activation,
    slope,
    power,
    activationDegree: q,
    hiddenUnits,
    layers: Object.freeze(layers),
    init(rng: Rng): Float64Array {
      const theta = new Float64Array(size);
      for (let j = 0; j < size; j++) theta[j] = rng.normal();
      return theta;
    },
    predict(out: Float64Array, theta: Float64Array, X: Float64Array, n: number): Float64Array {
      return mlpForward(out, theta, X, n, ensure(n));
    },
    objective(
      grad: Float64Array,
      theta: Float64Array,
      data: Dataset,
      c: Float64Array,
      loss: MarginLoss,
      shift: number,
      margins: Float64Array,
      dropoutMask?: Float64Array,
    ): number {
      loadMarginBatch(batch, data, c);
      return mlpObjective(grad, margins, theta, batch, loss.id, shift, ensure(data.n), dropoutMask);
    },
    hvp(
      out: Float64Array,
      theta: Float64Array,
      v: Float64Array,
      data: Dataset,
      c: Float64Array,
      loss: MarginLoss,
    ): Float64Array {
      // Room for the rows, for the layer-at-a-time pass (same bits as row at a time; see mlpHvp).
      if (hvpScratch === undefined || hvpScratch.capacity < data.n) {
        hvpScratch = createMlpHvpScratch(widths, sigma, data.n);
      }
      return mlpHvp(out, theta, v, loadMarginBatch(batch, data, c), loss.id, hvpScratch);
    },
  });
}
