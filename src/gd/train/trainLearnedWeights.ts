import { checkDataset } from '../../datasets/checkDataset.js';
import type { Dataset } from '../../datasets/types.js';
import { InvalidInputError } from '../../errors/index.js';
import { blockGdUpdate } from '../../kernels/optimizers.js';
import { weightingForward, weightingGradient, weightingValues } from '../../kernels/weighting.js';
import { exponential } from '../../losses/exponential.js';
import type { MarginLoss } from '../../losses/types.js';
import type { MetricGroup } from '../../metrics/recorder.js';
import { directionRecorder } from '../../metrics/recorders.js';
import { weightStatsRecorder } from '../../metrics/weightStats.js';
import { linear } from '../../models/linear.js';
import type { Model } from '../../models/types.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import { hashVector } from '../../util/json.js';
import { checkKnownKeys, checkNumber, show, toFiniteVector } from '../../util/validate.js';
import type { GradientInfo, Optimizer } from '../optimizers/types.js';
import { rowBatches } from './batchRows.js';
import { type PreparedRun, type Problem, runTraining, runTrainingAsync } from './driver.js';
import { checkModelAndLoss, readCommonOptions, readTrainOptions, resolveReference } from './options.js';
import type { RecordSchedule } from './recordSteps.js';
import { describeData, describeModel } from './state.js';
import type { CommonTrainOptions, TrainProgress, TrainRunResult } from './types.js';

/** One recorded row of {@link trainLearnedWeights}: the state after `step` joint updates. */
export interface LearnedWeightsRow {
  step: number;
  /** The joint objective J(θ, ψ, b) = (1/n) Σᵢ g(ψ, xᵢ) ℓ(yᵢ f(θ, xᵢ)). May underflow to 0: see `logLoss`. */
  loss: number;
  /** log J, from the loss values (−∞ only once J itself underflows). */
  logLoss: number;
  /** ‖θ‖₂. */
  norm: number;
  /** The normalized margin minᵢ yᵢ f(θ, xᵢ)/‖θ‖^α (0 when θ = 0). */
  margin: number;
  /** Angle (radians) between θ and `reference` (only with a reference; NaN when θ = 0). */
  angle?: number;
  /** Mean of the learned weights gᵢ = g(ψ, xᵢ) ∈ (1, 2). */
  weightMean: number;
  /** Population standard deviation of the gᵢ (the spread of Figure 4's histograms). */
  weightStd: number;
  weightMin: number;
  weightMax: number;
  /** The gᵢ quantiles at `record.quantiles` (linear interpolation between order statistics, numpy's default). */
  weightQuantiles: number[];
  /**
   * Pearson correlation between the gᵢ and the normalized margins yᵢ f(θ, xᵢ)/‖θ‖^α. NaN when either is
   * constant over i (e.g. at step 0 with the zero weight-model init, where every gᵢ = 1.5).
   */
  pearson: number;
  /** Spearman rank correlation of the same pairs (ties get their average rank); NaN as for `pearson`. */
  spearman: number;
  /**
   * Population covariance of the same pairs, (1/n) Σᵢ (gᵢ − ḡ)(ūᵢ − mean ū): unlike `pearson` it scales with
   * the weights' spread, so it goes to 0 when the weights concentrate even if their shape does not change.
   */
  covariance: number;
  /** ‖ψ‖₂ of the weighting model. */
  psiNorm: number;
  /** The weighting model's intercept b. */
  bias: number;
  /** A copy of all gᵢ (opt-in: `record.weights: true`), for drawing the histograms of Figure 4. */
  weights?: Float64Array;
}

/** What `onProgress` receives (the same as every training loop's {@link TrainProgress}). */
export type LearnedWeightsProgress = TrainProgress;

/** Options of {@link trainLearnedWeights} (and {@link trainLearnedWeightsAsync}). */
export interface TrainLearnedWeightsOptions extends CommonTrainOptions {
  /** The training set (from `dataset()` or a generator in `datasets`). */
  data: Dataset;
  /** The classifier f(θ, x) (default `linear(data.d)`); any {@link Model}. */
  model?: Model;
  /** The margin loss ℓ (default `exponential`). */
  loss?: MarginLoss;
  /** Step size of θ, a finite number > 0 (default 0.1, the paper's). */
  lr?: number;
  /** Step size of the weighting model (ψ, b), a finite number ≥ 0 (default 0.1; 0 freezes the weights). */
  weightLr?: number;
  /** Initial θ (default: `model.init` from `createRng(seed, RNG_STREAMS.init)`, as `trainWeighted`). */
  init?: ArrayLike<number>;
  /**
   * Initial weighting model: `'normal'` (default) draws ψ₁ … ψ_d, b i.i.d. N(0, 1) from the same stream,
   * right after θ's draws (θ is drawn even when `init` is given, so ψ does not depend on `init`);
   * `'zero'` starts at ψ = 0, b = 0 (every gᵢ = 1.5); or give `{ psi, bias }`.
   */
  weightInit?: 'normal' | 'zero' | { psi: ArrayLike<number>; bias: number };
  /**
   * Where to record (log-spaced by default; see `recordSteps`), the weight quantiles to report
   * (default [0.05, 0.25, 0.5, 0.75, 0.95]), and whether to keep a copy of all weights per row.
   */
  record?: RecordSchedule & { quantiles?: readonly number[]; weights?: boolean };
  /** A max-margin solution for `angle`: a vector of length model.size, or `{ theta, bias? }` from `hardMarginSVM`. */
  reference?: ArrayLike<number> | { theta: ArrayLike<number>; bias?: number };
}

/** What {@link trainLearnedWeights} returns. */
export interface TrainLearnedWeightsResult extends TrainRunResult<LearnedWeightsRow> {
  /** θ after the last update performed. */
  theta: Float64Array;
  /** ψ after the last update performed. */
  psi: Float64Array;
  /** b after the last update performed. */
  bias: number;
  /** The final learned weights gᵢ = σ(ψᵀxᵢ + b) + 1. */
  weights: Float64Array;
  /** The initial θ, ψ and b. */
  init: { theta: Float64Array; psi: Float64Array; bias: number };
}

const FN = 'trainLearnedWeights';

const KEYS = [
  'data',
  'model',
  'loss',
  'lr',
  'weightLr',
  'init',
  'weightInit',
  'reference',
] as const satisfies readonly (keyof TrainLearnedWeightsOptions)[];

const DEFAULT_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

/** Fills ψ and b (params[p…p+d]) from the `weightInit` option; `rng` has just drawn θ. */
function initWeightModel(
  weightInit: unknown,
  params: Float64Array,
  p: number,
  d: number,
  rng: () => number,
): void {
  if (weightInit === 'normal') {
    for (let j = 0; j <= d; j++) params[p + j] = rng();
  } else if (weightInit !== 'zero') {
    if (typeof weightInit !== 'object' || weightInit === null || Array.isArray(weightInit)) {
      throw new InvalidInputError(
        FN,
        'weightInit',
        `must be 'normal', 'zero' or { psi, bias }, got ${show(weightInit)}`,
      );
    }
    const w = weightInit as Record<string, unknown>;
    checkKnownKeys(`${FN}: weightInit`, w, ['psi', 'bias']);
    params.set(toFiniteVector(FN, 'weightInit.psi', w.psi, d), p);
    params[p + d] = checkNumber(FN, 'weightInit.bias', w.bias);
  }
}

/** The `record.quantiles` and `record.weights` options. */
function recordOptions(rec: Record<string, unknown>): { quantiles: number[]; keepWeights: boolean } {
  let quantiles = DEFAULT_QUANTILES;
  if (rec.quantiles !== undefined) {
    if (!Array.isArray(rec.quantiles)) {
      throw new InvalidInputError(FN, 'record.quantiles', `must be an array, got ${show(rec.quantiles)}`);
    }
    quantiles = rec.quantiles.map((q, k) => checkNumber(FN, `record.quantiles[${k}]`, q, { min: 0, max: 1 }));
  }
  if (rec.weights !== undefined && typeof rec.weights !== 'boolean') {
    throw new InvalidInputError(FN, 'record.weights', `must be a boolean, got ${show(rec.weights)}`);
  }
  return { quantiles, keepWeights: rec.weights === true };
}

function prepare(
  options: TrainLearnedWeightsOptions,
): PreparedRun<TrainLearnedWeightsResult, LearnedWeightsRow> {
  const opts = readTrainOptions(FN, options, KEYS);
  const data = checkDataset(FN, 'data', opts.data);
  const { n, d } = data;
  const common = readCommonOptions(FN, opts, ['quantiles', 'weights']);
  const model = (opts.model ?? linear(d)) as Model;
  const loss = (opts.loss ?? exponential) as MarginLoss;
  checkModelAndLoss(FN, model, loss, d);
  const lr = opts.lr === undefined ? 0.1 : checkNumber(FN, 'lr', opts.lr, { min: 0, exclusiveMin: true });
  const weightLr = opts.weightLr === undefined ? 0.1 : checkNumber(FN, 'weightLr', opts.weightLr, { min: 0 });
  const p = model.size;

  // One parameter vector (θ, ψ, b) so the driver handles abort, divergence and stalls for all blocks.
  const params = new Float64Array(p + d + 1);
  const theta = params.subarray(0, p);
  const psi = params.subarray(p, p + d);
  const rng = createRng(common.seed, RNG_STREAMS.init);
  const drawn = model.init(rng);
  theta.set(opts.init === undefined ? drawn : toFiniteVector(FN, 'init', opts.init, p));
  initWeightModel(opts.weightInit ?? 'normal', params, p, d, () => rng.normal());
  const init = { theta: Float64Array.from(theta), psi: Float64Array.from(psi), bias: params[p + d]! };
  const { quantiles, keepWeights } = recordOptions(common.record);
  const reference = opts.reference === undefined ? null : resolveReference(FN, opts.reference, p);

  // Buffers, allocated once: the step loop allocates nothing but recorded rows.
  const grad = new Float64Array(p + d + 1);
  const gradTheta = grad.subarray(0, p);
  const gradPsi = grad.subarray(p, p + d);
  const c = new Float64Array(n);
  const z = new Float64Array(n);
  const margins = new Float64Array(n);
  const scale = 1 / n;
  /** J (its gradient into grad) over `rows`, with buffers cc, zz, mm for them and the mean's 1/|rows|. */
  const objective = (
    rows: Dataset,
    cc: Float64Array,
    zz: Float64Array,
    mm: Float64Array,
    s: number,
  ): number => {
    weightingForward(cc, zz, psi, params[p + d]!, rows, s);
    const value = model.objective(gradTheta, theta, rows, cc, loss, 0, mm);
    grad[p + d] = weightingGradient(gradPsi, zz, mm, rows, loss.id, s);
    return value;
  };
  const evaluate = (): number => objective(data, c, z, margins, scale);
  let problem: Problem = { params, grad, evaluate };
  if (common.batch !== null) {
    // Mini-batches: J over the batch, (1/|B|) Σ_{i∈B} g(ψ, xᵢ) ℓᵢ, both blocks' gradients from it; the
    // recorded rows (weights, margins) from the full J.
    const capacity = Math.min(common.batch.size, n);
    const gather = rowBatches(data, capacity, ['y']);
    const bc = new Float64Array(capacity);
    const bz = new Float64Array(capacity);
    const bm = new Float64Array(capacity);
    let rows: Dataset = data;
    problem = {
      params,
      grad,
      evaluate: () => objective(rows, bc, bz, bm, 1 / rows.n),
      evaluateRecord: evaluate,
      rows: n,
      selectRows(indices: Int32Array, m: number): void {
        rows = gather(indices, m);
      },
    };
  }
  // Plain GD with one step size per block, in place (θ ← θ − lr·∇θJ; (ψ, b) ← (ψ, b) − weightLr·∇J).
  const jointGd: Optimizer<null> = {
    name: 'jointGd',
    options: { lr, weightLr },
    init: () => null,
    update(P: Float64Array, G: Float64Array, _s: null, _info: GradientInfo): Float64Array {
      return blockGdUpdate(P, G, lr, p, weightLr, P.length);
    },
  };
  // No `record.metrics` here: every row has the weight statistics, and the angle with a reference.
  const metrics: MetricGroup[] = [
    {
      names: ['weights'],
      defaults: ['weights'],
      make: () =>
        weightStatsRecorder({
          theta,
          psi,
          bias: () => params[p + d]!,
          z,
          margins,
          alpha: model.alpha,
          quantiles,
          keepWeights,
        }),
    },
    {
      names: ['angle'],
      defaults: ['angle'],
      needs: { option: 'reference', given: reference !== null },
      make: (selected) => directionRecorder(theta, reference!, selected),
    },
  ];

  return {
    spec: {
      fn: FN,
      param: '(θ, ψ, b)',
      common,
      problem,
      optimizer: jointGd as Optimizer<unknown>,
      metrics,
      row: (step, value) => ({ step, loss: value, logLoss: Math.log(value) }),
      fingerprint: {
        data: describeData(data),
        model: describeModel(model),
        loss: loss.name,
        init: hashVector(params.slice()),
        reference: reference === null ? 'none' : hashVector(reference),
      },
    },
    finish: (outcome) => {
      // z matches the final parameters unless the run stopped on divergence, where params were restored.
      weightingForward(c, z, psi, params[p + d]!, data, scale);
      return {
        theta: Float64Array.from(theta),
        psi: Float64Array.from(psi),
        bias: params[p + d]!,
        weights: weightingValues(new Float64Array(n), z, n),
        ...outcome,
        init,
      };
    },
  };
}

/**
 * Trains a classifier f(θ, x) jointly with the weighting model of the paper's Eq. 4 by full-batch
 * gradient descent on
 *
 *   J(θ, ψ, b) = (1/n) Σᵢ g(ψ, xᵢ) · ℓ(yᵢ f(θ, xᵢ)),   g(ψ, x) = σ(ψᵀx + b) + 1 ∈ (1, 2),
 *
 * (Xu, Ye & Ruan, ICLR 2021, Section 5 and Figure 4; g satisfies the constraint 1/M < g < M for any
 * M ≥ 2, so no projection is needed). Each step updates both blocks from the same point:
 * θ ← θ − lr·∇θJ and (ψ, b) ← (ψ, b) − weightLr·∇(ψ,b)J, where ∇θJ comes from the model's fused pass
 * `model.objective` with coefficients cᵢ = gᵢ/n, and ∇ψJ = (1/n) Σᵢ ℓ(uᵢ) σ′(zᵢ) xᵢ,
 * ∂J/∂b = (1/n) Σᵢ ℓ(uᵢ) σ′(zᵢ) with zᵢ = ψᵀxᵢ + b. Works with any {@link Model}.
 *
 * Recorded per row: the objective, ‖θ‖, the normalized margin, the angle to `reference`, and the learned
 * weights' distribution (mean, std, min, max, quantiles, optionally all of them) with their Pearson and
 * Spearman correlation to the normalized margins — the quantities of Figure 4. Note the direction of the
 * weight update: minimizing J over ψ lowers the weight where ℓ is large, i.e. on small-margin points, so
 * the learned weights correlate *positively* with the margin early in training (docs/learned-weights.md
 * has the measurements).
 *
 * Numerics: no loss shift (unlike `trainWeighted`): when every ℓ(uᵢ) underflows the gradients vanish and
 * the run reports `stalledAt`. A non-finite objective or parameter throws `DIVERGED` (its
 * `lastFiniteTheta` is the concatenation (θ, ψ, b)) unless `onDiverge` is 'stop'. The step loop allocates
 * nothing but recorded rows. Deterministic: the same options give bit-identical results.
 *
 * @example
 * const data = datasets.separable({ n: 100, seed: 1 });
 * const run = trainLearnedWeights({ data, steps: 10_000, reference: hardMarginSVM(data) });
 * const last = run.history.at(-1);
 * // last.angle: small (θ still approaches θ⋆); last.weightStd: the spread of the learned weights
 */
export function trainLearnedWeights(options: TrainLearnedWeightsOptions): TrainLearnedWeightsResult {
  return runTraining(prepare(options));
}

/**
 * {@link trainLearnedWeights} as a Promise: the same options and result bit for bit, computed in slices of
 * about 16 ms with a yield to the event loop between them, so `signal` stops it from outside (status
 * 'aborted', with a resumable `state`). See `trainWeightedAsync`.
 */
export async function trainLearnedWeightsAsync(
  options: TrainLearnedWeightsOptions,
): Promise<TrainLearnedWeightsResult> {
  return runTrainingAsync(prepare(options));
}
