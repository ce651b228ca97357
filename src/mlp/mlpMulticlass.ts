import { InvalidInputError } from '../errors/index.js';
import { createMlpScratch, type MlpScratch, mlpBackward, mlpForward, mlpSigma } from '../kernels/mlp.js';
import { multiclassModel } from '../models/multiclassModel.js';
import type { MulticlassModel } from '../models/types.js';
import { checkKnownKeys, checkNumber, checkObject, checkOneOf, show } from '../util/validate.js';

/** Options of {@link mlpMulticlass}. */
export interface MlpMulticlassOptions {
  /** Layer widths [d, h₁, …, h_{H−1}, k]: input dimension, hidden widths, and k ≥ 2 outputs. */
  widths: readonly number[];
  /** σ: 'relu' (default), 'leakyRelu', 'quadratic' (z²), 'reluPower' (max(0, z)^c) or 'identity' (a deep linear net). */
  activation?: 'relu' | 'leakyRelu' | 'quadratic' | 'reluPower' | 'identity';
  /** Negative slope of 'leakyRelu', in (0, 1). Default 0.01. */
  slope?: number;
  /** Exponent c ≥ 2 (`power`, as in `mlp`) of 'reluPower'. Default 2. */
  power?: number;
}

/** The k-output MLP built by {@link mlpMulticlass}. */
export interface MlpMulticlassModel extends MulticlassModel {
  readonly name: 'mlpMulticlass';
  readonly widths: readonly number[];
  readonly activation: 'relu' | 'leakyRelu' | 'quadratic' | 'reluPower' | 'identity';
}

const FN = 'mlpMulticlass';
const ACTIVATIONS = ['relu', 'leakyRelu', 'quadratic', 'reluPower', 'identity'] as const;

/**
 * A bias-free MLP with k ≥ 2 outputs, f(θ, x) = W_H σ(… σ(W₁x)) ∈ ℝᵏ, trained with softmax cross-entropy by
 * `trainMulticlass`: the multi-class counterpart of the binary `mlp`, on the same kernels
 * (`mlpForward`/`mlpBackward` of `src/kernels/mlp.ts`) through {@link multiclassModel}.
 *
 * θ is the concatenation of W₁ … W_H, each row-major (out × in), the PyTorch `Linear.weight` layout;
 * `init` draws i.i.d. N(0, 1). Homogeneity: with σ positively homogeneous of degree a (1 for relu and
 * leakyRelu, 2 for quadratic, c for reluPower) the scale of layer l's pre-activation is e_l with e₁ = 1,
 * e_{l+1} = 1 + a·e_l, and α = e_H (α = H for relu).
 *
 * @param options - see {@link MlpMulticlassOptions}.
 * @example
 * const model = mlpMulticlass({ widths: [2, 8, 3] }); // 2 inputs, 8 hidden ReLUs, 3 classes; α = 2
 * const data = datasets.blobs({ n: 60, k: 3, seed: 0 });
 * const record = { metrics: ['loss', 'trainError'] as const };
 * trainMulticlass({ data, model, steps: 500, optimizer: gd({ lr: 0.05 }), record }).history.at(-1)?.trainError; // 0
 */
export function mlpMulticlass(options: MlpMulticlassOptions): MlpMulticlassModel {
  const o = checkObject(FN, 'options', options, false);
  checkKnownKeys(FN, o, ['widths', 'activation', 'slope', 'power']);
  if (!Array.isArray(o.widths) || o.widths.length < 2) {
    throw new InvalidInputError(
      FN,
      'widths',
      `must be an array [d, h₁, …, k] of length >= 2, got ${show(o.widths)}`,
    );
  }
  const widths = (o.widths as unknown[]).map((w, l) =>
    checkNumber(FN, `widths[${l}]`, w, { integer: true, min: 1 }),
  );
  const H = widths.length - 1;
  const k = widths[H]!;
  if (k < 2)
    throw new InvalidInputError(FN, `widths[${H}]`, `(the number of classes k) must be >= 2, got ${k}`);
  const activation =
    o.activation === undefined ? 'relu' : checkOneOf(FN, 'activation', o.activation, ACTIVATIONS);
  if (o.slope !== undefined && activation !== 'leakyRelu') {
    throw new InvalidInputError(
      FN,
      'slope',
      `only applies to activation 'leakyRelu', got activation ${show(activation)}`,
    );
  }
  if (o.power !== undefined && activation !== 'reluPower') {
    throw new InvalidInputError(
      FN,
      'power',
      `only applies to activation 'reluPower', got activation ${show(activation)}`,
    );
  }
  const slope =
    o.slope === undefined
      ? 0.01
      : checkNumber(FN, 'slope', o.slope, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true });
  const c = o.power === undefined ? 2 : checkNumber(FN, 'power', o.power, { min: 2 });
  const sigma = mlpSigma(activation, { slope, power: c });
  const a = activation === 'quadratic' ? 2 : activation === 'reluPower' ? c : 1;
  let alpha = 1;
  for (let l = 1; l < H; l++) alpha = 1 + a * alpha;
  let size = 0;
  for (let l = 0; l < H; l++) size += widths[l]! * widths[l + 1]!;
  // Activations of the last forward pass, kept for the backward pass that follows it; grown (not per
  // step) when a call has more rows than any before.
  let scratch: MlpScratch = createMlpScratch(widths, sigma, 1);
  const ensure = (n: number): MlpScratch => {
    if (n > scratch.capacity) scratch = createMlpScratch(widths, sigma, n);
    return scratch;
  };
  const base = multiclassModel({
    name: FN,
    inputDim: widths[0]!,
    outputs: k,
    size,
    alpha,
    logits: (out, theta, X, n) => mlpForward(out, theta, X, n, ensure(n)),
    backward: (grad, theta, X, n, dlogits) => mlpBackward(grad, theta, X, n, dlogits, scratch),
  });
  return Object.freeze({
    name: FN,
    inputDim: base.inputDim,
    outputs: k,
    size,
    alpha,
    widths: Object.freeze(widths.slice()),
    activation,
    init: base.init,
    logits: base.logits,
    objective: base.objective,
  });
}
