import { checkDataset } from '../../datasets/checkDataset.js';
import type { Dataset } from '../../datasets/types.js';
import { InvalidInputError } from '../../errors/index.js';
import { norm2 } from '../../kernels/vector.js';
import type { PartitionSubspaces } from '../../linalg/partitionSubspaces.js';
import { exponential } from '../../losses/exponential.js';
import type { MarginLoss } from '../../losses/types.js';
import { checkWeights } from '../../losses/weightedRisk.js';
import { directionGapAndAngle } from '../../metrics/angle.js';
import {
  checkProposition2,
  type Proposition2Optimum,
  proposition2Into,
  proposition2Rate,
} from '../../metrics/proposition2.js';
import { hessianOperator, sharpnessSettings, topEigenpair } from '../../metrics/sharpness.js';
import { countSupport, SUPPORT_TOL_DEFAULT } from '../../metrics/supportCount.js';
import { linear } from '../../models/linear.js';
import type { Model } from '../../models/types.js';
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

/** Metrics that `trainWeighted` can record. `loss` and `logLoss` are always recorded. */
export type MetricName =
  | 'loss'
  | 'norm'
  | 'margin'
  | 'averageMargin'
  | 'angle'
  | 'gap'
  | 'trainError'
  | 'testError'
  | 'theta'
  | 'supportCount'
  | 'nonSepDistance'
  | 'sepAngle'
  | 'sepNorm'
  | 'proposition2Rate'
  | 'sharpness';

const METRICS: readonly MetricName[] = [
  'loss',
  'norm',
  'margin',
  'averageMargin',
  'angle',
  'gap',
  'trainError',
  'testError',
  'theta',
  'supportCount',
  'nonSepDistance',
  'sepAngle',
  'sepNorm',
  'proposition2Rate',
  'sharpness',
];

const PROPOSITION2_METRICS: readonly MetricName[] = [
  'nonSepDistance',
  'sepAngle',
  'sepNorm',
  'proposition2Rate',
];

/** One recorded row: the state after `step` updates. */
export interface HistoryRow {
  step: number;
  /** L(θ; w) (with the regularizer when given). May underflow to 0 in very long runs: see `logLoss`. */
  loss: number;
  /** log L(θ; w), finite even where `loss` underflows. */
  logLoss: number;
  /** ‖θ‖₂. */
  norm?: number;
  /** The normalized margin minᵢ yᵢ f(θ, xᵢ)/‖θ‖^α (over all points, including zero-weight ones). */
  margin?: number;
  /** The average normalized margin (1/n) Σᵢ yᵢ f(θ, xᵢ)/‖θ‖^α. */
  averageMargin?: number;
  /** Angle (radians) between θ and the reference. */
  angle?: number;
  /** ‖θ/‖θ‖ − θ⋆/‖θ⋆‖‖, the left side of Proposition 1. */
  gap?: number;
  /** Fraction of training points with yᵢ f(θ, xᵢ) ≤ 0. */
  trainError?: number;
  /** The same on `test`. */
  testError?: number;
  /** A copy of θ (opt-in: `record.metrics` must name 'theta'). */
  theta?: Float64Array;
  /**
   * The number of points whose normalized margin is within the relative tolerance τ = `record.supportTol`
   * of the minimum γ̃: #{i : mᵢ ≤ γ̃ + τ|γ̃|}, over all points (opt-in; as `supportCount`).
   */
  supportCount?: number;
  /** ‖Π_non-sep θ − θ̃(w)‖₂, the left side of Proposition 2 (with the `proposition2` option). */
  nonSepDistance?: number;
  /**
   * The angle (radians) between Π_sep θ and the D_sep max-margin direction (with `proposition2`); null when
   * D_sep = ∅ or Π_sep θ = 0.
   */
  sepAngle?: number | null;
  /** ‖Π_sep θ‖₂, which grows like log t/γ_sep (with `proposition2`). */
  sepNorm?: number;
  /**
   * The rate term (log² t/γ_sep)/t of Proposition 2 at t = `step` (with `proposition2`): 0 at t = 1 as the
   * formula gives; null at t = 0, where it is undefined, and when D_sep = ∅ (no γ_sep).
   */
  proposition2Rate?: number | null;
  /**
   * λ_max(∇²L(θ; w)), the largest Hessian eigenvalue of the objective (opt-in; as `sharpness`, by Lanczos
   * warm-started from the previous recorded eigenvector plus 0.1 × a fixed random unit vector, at most
   * `record.sharpnessIterations` steps).
   * Compare with 2/lr for the edge of stability.
   */
  sharpness?: number;
}

/** What `onProgress` receives, at every recorded step. */
export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  logLoss: number;
}

/** Options of {@link trainWeighted}. */
export interface TrainWeightedOptions {
  /** The training set (from `dataset()` or a generator in `datasets`). */
  data: Dataset;
  /** Number of updates (an integer ≥ 0). */
  steps: number;
  /** The predictor (default `linear(data.d)`). */
  model?: Model;
  /** The margin loss (default `exponential`). */
  loss?: MarginLoss;
  /** Importance weights wᵢ: finite, ≥ 0, not all zero (default all 1). A zero weight drops the point exactly. */
  weights?: ArrayLike<number>;
  /** The gradient method (default `gd({ lr: 0.1 })`, the paper's setting). */
  optimizer?: Optimizer<unknown>;
  /** Initial θ (default: i.i.d. standard normal from `seed`). */
  init?: ArrayLike<number>;
  /** Seed of the initialization (default 0); drawn from `createRng(seed, RNG_STREAMS.init)`, a stream independent of the datasets'. */
  seed?: number;
  /** Adds λ‖θ‖₂^r to the objective (Eq. 3 of the paper). */
  regularization?: { lambda: number; r: number };
  /**
   * Which metrics to record and where (default: loss, norm, margin; angle and gap with a reference;
   * testError with test; nonSepDistance, sepAngle, sepNorm, proposition2Rate with `proposition2`).
   * `supportTol` is the relative tolerance of the `supportCount` metric (finite, ≥ 0, default 1e-3);
   * `sharpnessIterations` the most Lanczos steps of the `sharpness` metric (integer ≥ 1, default 100).
   */
  record?: RecordSchedule & {
    metrics?: readonly MetricName[];
    supportTol?: number;
    sharpnessIterations?: number;
  };
  /** The max-margin solution for `angle`/`gap`: a vector of length model.size, or `{ theta, bias? }` as returned by `hardMarginSVM`. */
  reference?: ArrayLike<number> | { theta: ArrayLike<number>; bias?: number };
  /** A held-out set for `testError`. */
  test?: Dataset;
  /**
   * Records the Proposition 2 metrics (non-separable data, linear model): `partition` from
   * `separablePartition(data)` and `optimum` = `nonSeparableOptimum(data, partition, { weights, loss })`
   * computed with the same weights and loss as this run (only its `theta`, `sepDirection` and `gammaSep`
   * are read). Checked: the partition as in `nonSeparableOptimum`, θ̃ ∈ S, the direction ∈ S⊥, and
   * `sepDirection`/`gammaSep` null exactly when D_sep = ∅.
   */
  proposition2?: {
    partition: PartitionSubspaces;
    optimum: Proposition2Optimum;
  };
  /** Called at every recorded step; may call `abort()` on the controller of `signal`. */
  onProgress?: (progress: TrainProgress) => void;
  /** Stops the run (status 'aborted') when aborted; checked before every update. */
  signal?: AbortSignal;
  /** On a non-finite loss or θ: throw a DIVERGED error (default) or stop and report it. */
  onDiverge?: 'throw' | 'stop';
}

/** What {@link trainWeighted} returns. */
export interface TrainWeightedResult {
  /** θ after the last update performed. */
  theta: Float64Array;
  /** The recorded rows, in step order. */
  history: HistoryRow[];
  /** Number of updates performed. */
  steps: number;
  status: 'completed' | 'aborted' | 'diverged';
  /** The step at which a non-finite value appeared (status 'diverged'), else null. */
  divergedAt: number | null;
  /** The first step whose update left θ bit-for-bit unchanged (the step fell below float64 resolution), else null. */
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
  'loss',
  'weights',
  'optimizer',
  'init',
  'seed',
  'regularization',
  'record',
  'reference',
  'test',
  'proposition2',
  'onProgress',
  'signal',
  'onDiverge',
];

const FN = 'trainWeighted';

function validateModelOrLoss(model: Model, loss: MarginLoss, data: Dataset): void {
  if (typeof model !== 'object' || model === null || typeof model.objective !== 'function') {
    throw new InvalidInputError(FN, 'model', `must be a model such as linear(d), got ${show(model)}`);
  }
  if (model.inputDim !== data.d) {
    throw new InvalidInputError(
      FN,
      'model',
      `expects inputDim = ${model.inputDim} but data has d = ${data.d}`,
    );
  }
  if (typeof loss !== 'object' || loss === null || (loss.id !== 0 && loss.id !== 1)) {
    throw new InvalidInputError(FN, 'loss', `must be exponential or logistic, got ${show(loss)}`);
  }
}

/**
 * Minimizes the weighted empirical risk of Xu, Ye & Ruan (ICLR 2021) with a gradient method:
 *
 *   L(θ; w) = (1/n) Σᵢ wᵢ ℓ(yᵢ f(θ, xᵢ)) (+ λ‖θ‖₂^r with `regularization`),
 *
 * recording metrics along the way. With `gd({ lr })` one step is exactly θ ← θ − lr·∇L(θ; w).
 *
 * Numerics: the gradient comes from one fused pass over the data per step (margins and gradient
 * together). In the far tail of long runs, where every e^{−yᵢf} underflows, the pass is shifted by the
 * smallest margin so the loss stays finite in log domain (`logLoss`) and scale-free methods such as
 * `normalizedGd` keep moving; a plain GD step that falls below float64 resolution is reported as
 * `stalledAt` rather than passing silently. Synchronous: a `signal` aborts from `onProgress` or before
 * the call. Deterministic: the same options give bit-identical results.
 *
 * Non-separable data (Proposition 2): with `proposition2: { partition, optimum }` (from
 * `separablePartition` and `nonSeparableOptimum`, same weights and loss) it records `nonSepDistance`
 * ‖Π_non-sep θ − θ̃(w)‖, `sepAngle`, `sepNorm` ‖Π_sep θ‖ and `proposition2Rate` (log² t/γ_sep)/t, bit-identical
 * to `proposition2Metrics`/`proposition2Rate` on the same θ. These, like every metric, are computed only at
 * recorded steps (O(d²) each, into buffers allocated once); the step loop is unchanged.
 *
 * @example
 * const data = datasets.separable({ n: 100, seed: 1 });
 * const svm = hardMarginSVM(data);
 * const { theta, history } = trainWeighted({ data, steps: 10_000, reference: svm });
 * history.at(-1)?.angle; // small: GD's direction approaches θ*
 */
export function trainWeighted(options: TrainWeightedOptions): TrainWeightedResult {
  const opts = checkObject(FN, 'options', options, false) as unknown as TrainWeightedOptions;
  checkKnownKeys(FN, opts as unknown as Record<string, unknown>, KNOWN);
  const data = checkDataset(FN, 'data', opts.data);
  const { n } = data;
  const steps = checkNumber(FN, 'steps', opts.steps, { integer: true, min: 0 });
  const model = opts.model ?? linear(data.d);
  const loss = opts.loss ?? exponential;
  validateModelOrLoss(model, loss, data);
  const p = model.size;
  const weights =
    opts.weights === undefined ? new Float64Array(n).fill(1) : checkWeights(FN, opts.weights, n);
  const optimizer = checkOptimizer(FN, opts.optimizer, () => gd({ lr: 0.1 }));
  const seed = opts.seed === undefined ? 0 : checkNumber(FN, 'seed', opts.seed, { integer: true });
  const theta =
    opts.init === undefined
      ? model.init(createRng(seed, RNG_STREAMS.init))
      : toFiniteVector(FN, 'init', opts.init, p);
  const init = Float64Array.from(theta);

  const { lambda, r } = checkRegularization(FN, opts.regularization);

  const rec = checkObject(FN, 'record', opts.record);
  checkKnownKeys(`${FN}: record`, rec, [
    'metrics',
    'scale',
    'points',
    'at',
    'supportTol',
    'sharpnessIterations',
  ]);
  const supportTol =
    rec.supportTol === undefined
      ? SUPPORT_TOL_DEFAULT
      : checkNumber(FN, 'record.supportTol', rec.supportTol, { min: 0 });
  const reference = opts.reference === undefined ? null : resolveReference(FN, opts.reference, p);
  const test = opts.test === undefined ? null : checkDataset(FN, 'test', opts.test);
  if (test !== null && test.d !== data.d) {
    throw new InvalidInputError(FN, 'test', `has d = ${test.d} but data has d = ${data.d}`);
  }
  let prop2: ReturnType<typeof checkProposition2> | null = null;
  if (opts.proposition2 !== undefined) {
    if (p !== data.d) {
      throw new InvalidInputError(
        FN,
        'proposition2',
        `needs a linear model (θ ∈ ℝᵈ, model.size = d = ${data.d}), got model.size = ${p}`,
      );
    }
    prop2 = checkProposition2(FN, 'proposition2', opts.proposition2, n, data.d);
  }
  const defaultMetrics: MetricName[] = ['loss', 'norm', 'margin'];
  if (reference) defaultMetrics.push('angle', 'gap');
  if (test) defaultMetrics.push('testError');
  if (prop2) defaultMetrics.push(...PROPOSITION2_METRICS);
  const metrics = checkMetrics(FN, rec.metrics, defaultMetrics, METRICS);
  if (prop2 === null) {
    for (const m of PROPOSITION2_METRICS) {
      if (metrics.has(m)) {
        throw new InvalidInputError(
          FN,
          'proposition2',
          `is required to record ${m} (pass { partition: separablePartition(data), optimum: nonSeparableOptimum(...) })`,
        );
      }
    }
  }
  if ((metrics.has('angle') || metrics.has('gap')) && reference === null) {
    throw new InvalidInputError(
      FN,
      'reference',
      'is required to record angle or gap (pass hardMarginSVM(data))',
    );
  }
  if (metrics.has('testError') && test === null) {
    throw new InvalidInputError(FN, 'test', 'is required to record testError');
  }
  const sharpSettings = sharpnessSettings(FN, '', {}, p);
  sharpSettings.mix = 0.1;
  if (rec.sharpnessIterations !== undefined) {
    sharpSettings.iterations = checkNumber(FN, 'record.sharpnessIterations', rec.sharpnessIterations, {
      integer: true,
      min: 1,
    });
  }
  const at = recordSteps(steps, rec as RecordSchedule, FN);
  const onDiverge = checkOnDiverge(FN, opts.onDiverge);
  checkOnProgress(FN, opts.onProgress);
  const signal = opts.signal;

  // Per-point coefficients cᵢ = wᵢ/n: the kernel then computes ∇L directly.
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = weights[i]! / n;

  // Buffers, allocated once: the step loop below allocates nothing but recorded rows.
  const grad = new Float64Array(p);
  const margins = new Float64Array(n);
  const testOut = test ? new Float64Array(test.n) : null;
  const pair = new Float64Array(2);
  const pn = prop2 ? new Float64Array(p) : null;
  const ps = prop2 ? new Float64Array(p) : null;
  const history: HistoryRow[] = [];
  const hessian = metrics.has('sharpness')
    ? hessianOperator(FN, model, theta, data, c, loss, lambda, r)
    : null;

  // The objective with its tail shift (and the regularizer): see shiftedObjective.
  const objective = shiftedObjective({
    objective: (shift) => model.objective(grad, theta, data, c, loss, shift, margins),
    theta,
    grad,
    c,
    margins,
    lambda,
    r,
    // Both losses satisfy ℓ(u) ≤ e^{−u}, and c = w/n ≥ 0 is fixed: afterUpdate may skip its margin scan.
    expBound: true,
  });

  const record = (step: number, value: number): void => {
    const shift = objective.shift();
    const logLoss = Math.log(value) - shift;
    const row: HistoryRow = { step, loss: shift === 0 ? value : Math.exp(logLoss), logLoss };
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
        if (u <= 0) errors++;
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
    if (test && testOut && metrics.has('testError')) {
      model.predict(testOut, theta, test.X, test.n);
      let errors = 0;
      for (let i = 0; i < test.n; i++) if (test.y[i]! * testOut[i]! <= 0) errors++;
      row.testError = errors / test.n;
    }
    if (metrics.has('supportCount')) row.supportCount = countSupport(margins, n, supportTol);
    if (prop2 && pn && ps) {
      const m = proposition2Into(theta, prop2.partition, prop2.tilde, prop2.sepDirection, pn, ps);
      if (metrics.has('nonSepDistance')) row.nonSepDistance = m.nonSepDistance;
      if (metrics.has('sepAngle')) row.sepAngle = m.sepAngle;
      if (metrics.has('sepNorm')) row.sepNorm = m.sepNorm;
      if (metrics.has('proposition2Rate')) {
        row.proposition2Rate =
          step >= 1 && prop2.gammaSep !== null ? proposition2Rate(step, prop2.gammaSep) : null;
      }
    }
    if (hessian) {
      const top = topEigenpair(hessian, p, sharpSettings);
      row.sharpness = top.value;
      // Warm start: the next recorded step begins from this eigenvector (plus a little of a fixed random
      // vector, in case another eigenvalue overtakes it in between).
      sharpSettings.init = top.vector;
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
