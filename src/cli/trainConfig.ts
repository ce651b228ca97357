import { dataset } from '../datasets/dataset.js';
import { datasets } from '../datasets/datasets.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { adam } from '../gd/optimizers/adam.js';
import { gd } from '../gd/optimizers/gd.js';
import { mirrorDescent } from '../gd/optimizers/mirrorDescent.js';
import { momentum } from '../gd/optimizers/momentum.js';
import { normalizedGd } from '../gd/optimizers/normalizedGd.js';
import { steepestDescent } from '../gd/optimizers/steepestDescent.js';
import type { Optimizer } from '../gd/optimizers/types.js';
import type { TrainWeightedOptions } from '../gd/train/trainWeighted.js';
import { exponential } from '../losses/exponential.js';
import { logistic } from '../losses/logistic.js';
import { type MlpOptions, mlp } from '../mlp/mlp.js';
import { linear } from '../models/linear.js';
import type { Model } from '../models/types.js';
import { hardMarginSVM } from '../svm/hardMarginSVM.js';
import { checkKnownKeys, checkNumber, checkObject, checkOneOf, show } from '../util/validate.js';
import { clampedInverseMarginWeights, dualWeights, meanOne } from '../weights/recipes.js';

/**
 * A training run as JSON (the `train` command's `--config` and the base of a `sweep`):
 *
 * ```json
 * {
 *   "data": { "generator": "figure1a", "options": { "seed": 0 } },
 *   "model": { "name": "linear", "bias": false },
 *   "loss": "exponential",
 *   "weights": { "class": { "1": 10 } },
 *   "optimizer": { "name": "gd", "lr": 0.1 },
 *   "steps": 10000,
 *   "seed": 0,
 *   "record": { "scale": "log", "points": 100, "metrics": ["loss", "norm", "angle"] },
 *   "reference": "svm"
 * }
 * ```
 *
 * - `data`: `{ generator, options? }` with a generator of `datasets` (`separable`, `nonSeparable`, `moons`,
 *   `unbalancedMoons`, `figure1a` … `figure1d`, `partitioned`), or `{ X: number[][], y: number[] }`. A
 *   generator's held-out `test` part is passed on as `test`.
 * - `weights`: `"uniform"` (default), an array of n numbers, `{ "class": { "-1": a, "1": b } }` (scaled to
 *   mean 1), `"inverseMargin"` (wᵢ ∝ 1/(yᵢθ⋆ᵀxᵢ)) or `{ "dual": M }` (wᵢ ∝ clamp(n·p⋆ᵢ, 1/M, M)).
 * - `optimizer`: `{ name, ...options }` for `gd`, `momentum`, `adam`, `normalizedGd`, `steepestDescent`,
 *   `mirrorDescent` (constant learning rates; the optimizer validates its own options); `name` defaults
 *   to `gd`. Default (no `optimizer`): gd lr 0.1.
 * - `model`: `{ "name": "linear", "bias"? }` (the default; `name` may be left out) or
 *   `{ "name": "mlp", "widths": [d, …, 1], "activation"?, "slope"?, "power"? }` (see `mlp`).
 * - `regularization`: `{ "lambda": λ, "r": r }` adds λ‖θ‖₂^r (Eq. 3).
 * - `reference: "svm"`: the hard-margin SVM, for the `angle` and `gap` metrics (linear model without bias
 *   only).
 */
export interface TrainConfig {
  data: { generator: string; options?: Record<string, unknown> } | { X: number[][]; y: number[] };
  model?:
    | { name?: 'linear'; bias?: boolean }
    | { name: 'mlp'; widths: number[]; activation?: string; slope?: number; power?: number };
  regularization?: { lambda: number; r: number };
  loss?: 'exponential' | 'logistic';
  weights?: 'uniform' | 'inverseMargin' | number[] | { class: Record<string, number> } | { dual: number };
  optimizer?: { name: string; [option: string]: unknown };
  steps: number;
  seed?: number;
  record?: { scale?: 'log' | 'linear'; points?: number; metrics?: string[] };
  reference?: 'svm';
}

const FN = 'train config';
const GENERATORS = [
  'separable',
  'nonSeparable',
  'moons',
  'unbalancedMoons',
  'figure1a',
  'figure1b',
  'figure1c',
  'figure1d',
  'partitioned',
] as const;
const OPTIMIZERS: Record<string, (o: never) => Optimizer<unknown>> = {
  gd,
  momentum,
  adam,
  normalizedGd,
  steepestDescent,
  mirrorDescent,
};

function readData(value: unknown): { data: Dataset; test?: Dataset } {
  const o = checkObject(FN, 'data', value, false);
  if ('generator' in o) {
    checkKnownKeys(`${FN}: data`, o, ['generator', 'options']);
    const name = checkOneOf(FN, 'data.generator', o.generator, GENERATORS);
    const options = checkObject(FN, 'data.options', o.options);
    const made = (datasets[name] as (opts: unknown) => Dataset & { test?: Dataset })(options);
    return made.test === undefined ? { data: made } : { data: made, test: made.test };
  }
  checkKnownKeys(`${FN}: data`, o, ['X', 'y']);
  return { data: dataset(o.X as number[][], o.y as number[]) };
}

function readWeights(value: unknown, data: Dataset): Float64Array | undefined {
  if (value === undefined || value === 'uniform') return undefined;
  if (Array.isArray(value)) return Float64Array.from(value as number[]);
  if (value === 'inverseMargin') return clampedInverseMarginWeights(data, hardMarginSVM(data).theta);
  if (typeof value === 'object' && value !== null && 'class' in value) {
    const classes = checkObject(FN, 'weights.class', (value as { class: unknown }).class, false);
    checkKnownKeys(`${FN}: weights.class`, classes, ['-1', '1', '+1']);
    const factor = (key: string): number =>
      classes[key] === undefined ? 1 : checkNumber(FN, `weights.class.${key}`, classes[key], { min: 0 });
    const pos = classes['1'] === undefined ? factor('+1') : factor('1');
    const neg = factor('-1');
    const w = new Float64Array(data.n);
    for (let i = 0; i < data.n; i++) w[i] = data.y[i]! > 0 ? pos : neg;
    return meanOne(w);
  }
  if (typeof value === 'object' && value !== null && 'dual' in value) {
    const M = checkNumber(FN, 'weights.dual', (value as { dual: unknown }).dual, { min: 1 });
    return dualWeights(hardMarginSVM(data).dual, M);
  }
  throw new InvalidInputError(
    FN,
    'weights',
    `must be "uniform", "inverseMargin", an array, { class: { "-1": a, "1": b } } or { dual: M }, got ${show(value)}`,
  );
}

function readOptimizer(value: unknown): Optimizer<unknown> | undefined {
  if (value === undefined) return undefined;
  const o = checkObject(FN, 'optimizer', value, false);
  const name =
    o.name === undefined ? 'gd' : checkOneOf(FN, 'optimizer.name', o.name, Object.keys(OPTIMIZERS));
  const { name: _, ...rest } = o;
  return OPTIMIZERS[name]!(rest as never);
}

/**
 * Turns a {@link TrainConfig} (parsed JSON) into `trainWeighted` options. Validates as it goes: every bad
 * field throws `INVALID_INPUT` naming it (`train config: optimizer.name must be one of …`).
 *
 * @example
 * ```ts
 * const options = trainOptions({ data: { generator: 'figure1a' }, steps: 100, optimizer: { lr: 0.05 } });
 * trainWeighted(options).history.at(-1)?.loss;
 * ```
 */
export function trainOptions(config: unknown): TrainWeightedOptions {
  const c = checkObject(FN, 'config', config, false);
  checkKnownKeys(FN, c, [
    'data',
    'model',
    'loss',
    'weights',
    'optimizer',
    'regularization',
    'steps',
    'seed',
    'record',
    'reference',
  ]);
  const { data, test } = readData(c.data);
  const modelOpts = checkObject(FN, 'model', c.model);
  const modelName =
    modelOpts.name === undefined ? 'linear' : checkOneOf(FN, 'model.name', modelOpts.name, ['linear', 'mlp']);
  let model: Model;
  let bias = false;
  if (modelName === 'linear') {
    checkKnownKeys(`${FN}: model`, modelOpts, ['name', 'bias']);
    bias = modelOpts.bias === true;
    model = linear(data.d, { bias });
  } else {
    checkKnownKeys(`${FN}: model`, modelOpts, ['name', 'widths', 'activation', 'slope', 'power']);
    const { name: _, ...mlpOpts } = modelOpts;
    model = mlp(mlpOpts as unknown as MlpOptions);
  }
  const loss =
    c.loss === undefined ? exponential : checkOneOf(FN, 'loss', c.loss, ['exponential', 'logistic']);
  const steps = checkNumber(FN, 'steps', c.steps, { integer: true, min: 0 });
  const options: TrainWeightedOptions = {
    data,
    steps,
    model,
    loss: loss === 'logistic' ? logistic : exponential,
  };
  const weights = readWeights(c.weights, data);
  if (weights !== undefined) options.weights = weights;
  const optimizer = readOptimizer(c.optimizer);
  if (optimizer !== undefined) options.optimizer = optimizer;
  if (c.seed !== undefined) options.seed = checkNumber(FN, 'seed', c.seed, { integer: true });
  if (test !== undefined) options.test = test;
  if (c.regularization !== undefined) {
    options.regularization = c.regularization as TrainWeightedOptions['regularization'];
  }
  if (c.reference !== undefined) {
    checkOneOf(FN, 'reference', c.reference, ['svm']);
    if (bias || modelName !== 'linear') {
      throw new InvalidInputError(FN, 'reference', 'is only available for the linear model without bias');
    }
    options.reference = hardMarginSVM(data);
  }
  if (c.record !== undefined)
    options.record = checkObject(FN, 'record', c.record) as TrainWeightedOptions['record'];
  options.onDiverge = 'stop';
  return options;
}
