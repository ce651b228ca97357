import { checkMulticlassDataset } from '../../datasets/multiclassCheck.js';
import type { MulticlassDataset } from '../../datasets/multiclassDataset.js';
import { InvalidInputError } from '../../errors/index.js';
import { multiclassMarginsFromLogits } from '../../kernels/multiclass.js';
import { norm2 } from '../../kernels/vector.js';
import { checkWeights } from '../../losses/weightedRisk.js';
import { directionGapAndAngle } from '../../metrics/angle.js';
import { linearMulticlass } from '../../models/linearMulticlass.js';
import type { MulticlassModel } from '../../models/types.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import { checkKnownKeys, checkNumber, checkObject, show, toFiniteVector } from '../../util/validate.js';
import { gd } from '../optimizers/gd.js';
import type { Optimizer } from '../optimizers/types.js';
import { type RecordSchedule, recordSteps } from './recordSteps.js';
import { checkMetrics, runTrainingLoop } from './trainLoop.js';
import {
  checkOnDiverge,
  checkOnProgress,
  checkOptimizer,
  checkRegularization,
  resolveReference,
  shiftedObjective,
} from './trainOptions.js';

/** Metrics that `trainMulticlass` can record. `loss` and `logLoss` are always recorded. */
export type MulticlassMetricName =
  | 'loss'
  | 'norm'
  | 'margin'
  | 'averageMargin'
  | 'angle'
  | 'gap'
  | 'trainError'
  | 'testError'
  | 'theta';

const METRICS: readonly MulticlassMetricName[] = [
  'loss',
  'norm',
  'margin',
  'averageMargin',
  'angle',
  'gap',
  'trainError',
  'testError',
  'theta',
];

/** One recorded row of {@link trainMulticlass}: the state after `step` updates. */
export interface MulticlassHistoryRow {
  step: number;
  /** L(θ; w) (with the regularizer when given). Underflows to 0 once every margin passes ~745: see `logLoss`. */
  loss: number;
  /** log L(θ; w), finite even where `loss` underflows. */
  logLoss: number;
  /** ‖θ‖₂. */
  norm?: number;
  /** The normalized multiclass margin minᵢ (f_{yᵢ} − max_{j≠yᵢ} fⱼ)(θ, xᵢ)/‖θ‖^α (over all points, including zero-weight ones). */
  margin?: number;
  /** The average normalized multiclass margin. */
  averageMargin?: number;
  /** Angle (radians) between θ and the reference. */
  angle?: number;
  /** ‖θ/‖θ‖ − θ⋆/‖θ⋆‖‖. */
  gap?: number;
  /** Fraction of training points with multiclass margin ≤ 0 (a tie for the top score counts as an error). */
  trainError?: number;
  /** The same on `test`. */
  testError?: number;
  /** A copy of θ (opt-in). */
  theta?: Float64Array;
}

/** What `onProgress` receives, at every recorded step. */
export interface MulticlassProgress {
  step: number;
  steps: number;
  loss: number;
  logLoss: number;
}

/** Options of {@link trainMulticlass}. */
export interface TrainMulticlassOptions {
  /** The training set (from `multiclassDataset()` or `datasets.blobs`). */
  data: MulticlassDataset;
  /** Number of updates (an integer ≥ 0). */
  steps: number;
  /** The k-output predictor (default `linearMulticlass(data.d, data.k)`). */
  model?: MulticlassModel;
  /** Importance weights wᵢ: finite, ≥ 0, not all zero (default all 1). A zero weight drops the point exactly. */
  weights?: ArrayLike<number>;
  /** The gradient method (default `gd({ lr: 0.1 })`). */
  optimizer?: Optimizer<unknown>;
  /** Initial θ (default: i.i.d. standard normal from `seed`). */
  init?: ArrayLike<number>;
  /** Seed of the initialization (default 0), drawn from `createRng(seed, RNG_STREAMS.init)`. */
  seed?: number;
  /** Adds λ‖θ‖₂^r to the objective. */
  regularization?: { lambda: number; r: number };
  /** Which metrics to record and where (default: loss, norm, margin; angle and gap with a reference; testError with test). */
  record?: RecordSchedule & { metrics?: readonly MulticlassMetricName[] };
  /** A reference direction for `angle`/`gap` (e.g. the multiclass max-margin W⋆): a vector of length model.size, or `{ theta }`. */
  reference?: ArrayLike<number> | { theta: ArrayLike<number> };
  /** A held-out set for `testError` (same d and k). */
  test?: MulticlassDataset;
  /** Called at every recorded step; may call `abort()` on the controller of `signal`. */
  onProgress?: (progress: MulticlassProgress) => void;
  /** Stops the run (status 'aborted') when aborted; checked before every update. */
  signal?: AbortSignal;
  /** On a non-finite loss or θ: throw a DIVERGED error (default) or stop and report it. */
  onDiverge?: 'throw' | 'stop';
}

/** What {@link trainMulticlass} returns. */
export interface TrainMulticlassResult {
  /** θ after the last update performed. */
  theta: Float64Array;
  /** The recorded rows, in step order. */
  history: MulticlassHistoryRow[];
  /** Number of updates performed. */
  steps: number;
  status: 'completed' | 'aborted' | 'diverged';
  /** The step at which a non-finite value appeared (status 'diverged'), else null. */
  divergedAt: number | null;
  /** The first step whose update left θ bit-for-bit unchanged, else null. */
  stalledAt: number | null;
  /** The initial θ. */
  init: Float64Array;
  /** The validated weights. */
  weights: Float64Array;
}

const KNOWN = [
  'data',
  'steps',
  'model',
  'weights',
  'optimizer',
  'init',
  'seed',
  'regularization',
  'record',
  'reference',
  'test',
  'onProgress',
  'signal',
  'onDiverge',
];

const FN = 'trainMulticlass';

function validateModel(model: MulticlassModel, data: MulticlassDataset): void {
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof model.objective !== 'function' ||
    typeof model.logits !== 'function' ||
    typeof model.outputs !== 'number'
  ) {
    throw new InvalidInputError(
      FN,
      'model',
      `must be a multiclass model such as linearMulticlass(d, k), got ${show(model)}`,
    );
  }
  if (model.inputDim !== data.d) {
    throw new InvalidInputError(
      FN,
      'model',
      `expects inputDim = ${model.inputDim} but data has d = ${data.d}`,
    );
  }
  if (model.outputs !== data.k) {
    throw new InvalidInputError(
      FN,
      'model',
      `has ${model.outputs} outputs but data has k = ${data.k} classes`,
    );
  }
}

/**
 * Minimizes the weighted softmax cross-entropy of a k-output model with a gradient method:
 *
 *   L(θ; w) = (1/n) Σᵢ wᵢ CE(f(θ, xᵢ), yᵢ) (+ λ‖θ‖₂^r with `regularization`),
 *   CE(z, y) = log Σⱼ e^{zⱼ} − z_y,
 *
 * recording metrics on the multiclass margins mᵢ = f_{yᵢ}(θ, xᵢ) − max_{j≠yᵢ} fⱼ(θ, xᵢ) normalized by
 * ‖θ‖^α. The multi-class counterpart of `trainWeighted` (same optimizers, recording schedule, abort,
 * divergence and stall reporting); with `gd({ lr })` one step is exactly θ ← θ − lr·∇L(θ; w). On separable
 * data the linear model's direction tends to the multiclass hard-margin SVM (Soudry et al., 2018).
 *
 * Numerics: one fused pass per step for `linearMulticlass`; the cross-entropy terms use log1p/log-sum-exp
 * with the sign split (stable for any logits). CE has the exponential tail of the exp loss: once every
 * margin passes ~745 each term underflows to 0. Then, as in `trainWeighted`, the pass is shifted by the
 * smallest weighted margin s (every term scaled by e^{s}): `logLoss` = log(scaled loss) − s stays finite
 * and accurate, the optimizer gets e^{s}∇L with `info.logScale` = −s (scale-free methods such as
 * `normalizedGd` keep moving), `loss` itself is reported as e^{logLoss} (0 once it underflows), and a plain
 * GD step that no longer changes θ is reported as `stalledAt`. The shift is off with `regularization`.
 *
 * @example
 * const data = datasets.blobs({ n: 90, k: 3, seed: 1 });
 * const { theta, history } = trainMulticlass({ data, steps: 2000, optimizer: gd({ lr: 0.5 }) });
 * history.at(-1)?.margin; // > 0: every point classified, normalized margin growing toward γ⋆
 */
export function trainMulticlass(options: TrainMulticlassOptions): TrainMulticlassResult {
  const opts = checkObject(FN, 'options', options, false) as unknown as TrainMulticlassOptions;
  checkKnownKeys(FN, opts as unknown as Record<string, unknown>, KNOWN);
  const data = checkMulticlassDataset(FN, 'data', opts.data);
  const { n, k } = data;
  const steps = checkNumber(FN, 'steps', opts.steps, { integer: true, min: 0 });
  const model = opts.model ?? linearMulticlass(data.d, k);
  validateModel(model, data);
  const p = model.size;
  const weights =
    opts.weights === undefined ? new Float64Array(n).fill(1) : checkWeights(FN, opts.weights, n);
  const optimizer = checkOptimizer(FN, opts.optimizer, () => gd({ lr: 0.1 }));
  const seed = opts.seed === undefined ? 0 : checkNumber(FN, 'seed', opts.seed, { integer: true });
  const theta =
    opts.init === undefined
      ? model.init(createRng(seed, RNG_STREAMS.init))
      : toFiniteVector(FN, 'init', opts.init, p);
  if (theta.length !== p) {
    throw new InvalidInputError(
      FN,
      'model',
      `init returned length ${theta.length}, expected model.size = ${p}`,
    );
  }
  const init = Float64Array.from(theta);

  const { lambda, r } = checkRegularization(FN, opts.regularization);

  const rec = checkObject(FN, 'record', opts.record);
  checkKnownKeys(`${FN}: record`, rec, ['metrics', 'scale', 'points', 'at']);
  const reference = opts.reference === undefined ? null : resolveReference(FN, opts.reference, p, false);
  const test = opts.test === undefined ? null : checkMulticlassDataset(FN, 'test', opts.test);
  if (test !== null && (test.d !== data.d || test.k !== k)) {
    throw new InvalidInputError(
      FN,
      'test',
      `has d = ${test.d}, k = ${test.k} but data has d = ${data.d}, k = ${k}`,
    );
  }
  const defaultMetrics: MulticlassMetricName[] = ['loss', 'norm', 'margin'];
  if (reference) defaultMetrics.push('angle', 'gap');
  if (test) defaultMetrics.push('testError');
  const metrics = checkMetrics(FN, rec.metrics, defaultMetrics, METRICS);
  if ((metrics.has('angle') || metrics.has('gap')) && reference === null) {
    throw new InvalidInputError(FN, 'reference', 'is required to record angle or gap');
  }
  if (metrics.has('testError') && test === null) {
    throw new InvalidInputError(FN, 'test', 'is required to record testError');
  }
  const at = recordSteps(steps, rec as RecordSchedule, FN);
  const onDiverge = checkOnDiverge(FN, opts.onDiverge);
  checkOnProgress(FN, opts.onProgress);
  const signal = opts.signal;

  // Per-point coefficients cᵢ = wᵢ/n: the kernel then computes ∇L directly.
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = weights[i]! / n;

  // Buffers, allocated once: the step loop allocates nothing but recorded rows.
  const grad = new Float64Array(p);
  const margins = new Float64Array(n);
  const testLogits = test ? new Float64Array(test.n * k) : null;
  const testMargins = test ? new Float64Array(test.n) : null;
  const pair = new Float64Array(2);
  const history: MulticlassHistoryRow[] = [];

  // The objective with its tail shift (and the regularizer): see shiftedObjective.
  const objective = shiftedObjective({
    objective: (shift) => model.objective(grad, theta, data, c, shift, margins),
    theta,
    grad,
    c,
    margins,
    lambda,
    r,
  });

  const record = (step: number, value: number): void => {
    const shift = objective.shift();
    const logLoss = Math.log(value) - shift;
    const row: MulticlassHistoryRow = { step, loss: shift === 0 ? value : Math.exp(logLoss), logLoss };
    const nrm = norm2(theta);
    if (metrics.has('norm')) row.norm = nrm;
    if (metrics.has('margin') || metrics.has('averageMargin') || metrics.has('trainError')) {
      const denom = nrm ** model.alpha;
      let min = Number.POSITIVE_INFINITY;
      let sum = 0;
      let errors = 0;
      for (let i = 0; i < n; i++) {
        const u = margins[i]!;
        if (u < min) min = u;
        sum += u;
        if (!(u > 0)) errors++;
      }
      if (metrics.has('margin')) row.margin = nrm === 0 ? 0 : min / denom;
      if (metrics.has('averageMargin')) row.averageMargin = nrm === 0 ? 0 : sum / n / denom;
      if (metrics.has('trainError')) row.trainError = errors / n;
    }
    if (reference && (metrics.has('angle') || metrics.has('gap'))) {
      if (nrm === 0) {
        if (metrics.has('gap')) row.gap = Number.NaN;
        if (metrics.has('angle')) row.angle = Number.NaN;
      } else {
        directionGapAndAngle(pair, theta, reference);
        if (metrics.has('gap')) row.gap = pair[0]!;
        if (metrics.has('angle')) row.angle = pair[1]!;
      }
    }
    if (test && testLogits && testMargins && metrics.has('testError')) {
      model.logits(testLogits, theta, test.X, test.n);
      multiclassMarginsFromLogits(testMargins, testLogits, test.labels, test.n, k);
      let errors = 0;
      for (let i = 0; i < test.n; i++) if (!(testMargins[i]! > 0)) errors++;
      row.testError = errors / test.n;
    }
    if (metrics.has('theta')) row.theta = Float64Array.from(theta);
    history.push(row);
    opts.onProgress?.({ step, steps, loss: row.loss, logLoss });
  };

  const outcome = runTrainingLoop({
    fn: FN,
    param: 'θ',
    steps,
    at,
    theta,
    grad,
    optimizer,
    signal,
    onDiverge,
    evaluate: objective.evaluate,
    logScale: () => -objective.shift(),
    record,
    afterUpdate: objective.afterUpdate,
  });

  return {
    theta,
    history,
    steps: outcome.steps,
    status: outcome.status,
    divergedAt: outcome.divergedAt,
    stalledAt: outcome.stalledAt,
    init,
    weights,
  };
}
