import { checkDataset } from '../../datasets/checkDataset.js';
import type { Dataset } from '../../datasets/types.js';
import { InvalidInputError } from '../../errors/index.js';
import type { PartitionSubspaces } from '../../linalg/partitionSubspaces.js';
import { exponential } from '../../losses/exponential.js';
import type { MarginLoss } from '../../losses/types.js';
import { kktResidualRecorder } from '../../metrics/kktRecorder.js';
import {
  checkProposition2,
  PROPOSITION2_METRICS,
  type Proposition2Optimum,
  proposition2Recorder,
} from '../../metrics/proposition2.js';
import { supportCountRecorder, testErrorRecorder } from '../../metrics/recorders.js';
import { sharpnessRecorder } from '../../metrics/sharpnessRecorder.js';
import { SUPPORT_TOL_DEFAULT } from '../../metrics/supportCount.js';
import { linear } from '../../models/linear.js';
import type { Model } from '../../models/types.js';
import { checkNumber } from '../../util/validate.js';
import type { Optimizer } from '../optimizers/types.js';
import { type PreparedRun, runTraining, runTrainingAsync } from './driver.js';
import { prepareMarginTask } from './marginTask.js';
import {
  checkDropout,
  checkModelAndLoss,
  readCommonOptions,
  readTrainOptions,
  resolveReference,
} from './options.js';
import type { RecordSchedule } from './recordSteps.js';
import { describe } from './state.js';
import type { CommonTrainOptions, TrainRunResult } from './types.js';

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
  | 'sharpness'
  | 'kktResidual';

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
   * The rate of Proposition 2 at t = `step` (with `proposition2`), `proposition2Rate(t, γ_sep)` in its default
   * (proved) form log t/(γ_sep √t): 0 at t = 1 as the formula gives; null at t = 0, where it is undefined, and
   * when D_sep = ∅ (no γ_sep).
   */
  proposition2Rate?: number | null;
  /**
   * λ_max(∇²L(θ; w)), the largest Hessian eigenvalue of the objective (opt-in; as `sharpness`, by Lanczos
   * warm-started from the previous recorded eigenvector plus 0.1 × a fixed random unit vector, at most
   * `record.sharpnessIterations` steps).
   * Compare with 2/lr for the edge of stability.
   */
  sharpness?: number;
  /**
   * How far θ is from a KKT point of the max-margin problem min ½‖θ‖² s.t. yᵢ f(θ; xᵢ) ≥ 1 (Lyu & Li), the
   * limit of GD's direction for homogeneous models: `kktResidual(model, θ, data, { weights }).residual`, in
   * [0, 1] (opt-in; one backward pass per point and an NNLS per recorded step). Null while θ does not separate
   * the points with positive weight.
   */
  kktResidual?: number | null;
}

/** Options of {@link trainWeighted} (and {@link trainWeightedAsync}). */
export interface TrainWeightedOptions extends CommonTrainOptions {
  /** The training set (from `dataset()` or a generator in `datasets`). */
  data: Dataset;
  /** The predictor (default `linear(data.d)`). */
  model?: Model;
  /** The margin loss (default `exponential`). */
  loss?: MarginLoss;
  /** Importance weights wᵢ: finite, ≥ 0, not all zero (default all 1). A zero weight drops the point exactly. */
  weights?: ArrayLike<number>;
  /** The gradient method (default `gd({ lr: 0.1 })`, the paper's setting). */
  optimizer?: Optimizer<unknown>;
  /** Initial θ (default: i.i.d. standard normal from `seed`, a stream independent of the datasets'). */
  init?: ArrayLike<number>;
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
  /**
   * Inverted dropout on the hidden units of the model (e.g. `mlp` with a hidden layer) during training: at
   * every step each hidden unit's output on each row of the step's batch is kept and scaled by 1/(1 − p) with
   * probability 1 − p, else set to 0 (masks from `createRng(seed, RNG_STREAMS.dropout)`, part of the
   * resumable `state`). A rate p in [0, 1) (default 0; 0 is exactly no dropout). Recorded metrics and the
   * returned θ's predictions use the network without dropout. INVALID_INPUT for models without hidden units.
   */
  dropout?: number;
}

/** What {@link trainWeighted} returns. */
export interface TrainWeightedResult extends TrainRunResult<HistoryRow> {
  /** θ after the last update performed. */
  theta: Float64Array;
  /** The initial θ. */
  init: Float64Array;
  /** The validated weights. */
  weights: Float64Array;
}

const FN = 'trainWeighted';

const KEYS = [
  'data',
  'model',
  'loss',
  'weights',
  'optimizer',
  'init',
  'regularization',
  'reference',
  'test',
  'proposition2',
  'dropout',
] as const satisfies readonly (keyof TrainWeightedOptions)[];

function prepare(options: TrainWeightedOptions): PreparedRun<TrainWeightedResult, HistoryRow> {
  const opts = readTrainOptions(FN, options, KEYS);
  const data = checkDataset(FN, 'data', opts.data);
  const { n, d } = data;
  const common = readCommonOptions(FN, opts, ['metrics', 'supportTol', 'sharpnessIterations']);
  const model = (opts.model ?? linear(d)) as Model;
  const loss = (opts.loss ?? exponential) as MarginLoss;
  checkModelAndLoss(FN, model, loss, d);
  const p = model.size;
  if (opts.proposition2 !== undefined && p !== d) {
    throw new InvalidInputError(
      FN,
      'proposition2',
      `needs a linear model (θ ∈ ℝᵈ, model.size = d = ${d}), got model.size = ${p}`,
    );
  }
  const rec = common.record;
  const supportTol =
    rec.supportTol === undefined
      ? SUPPORT_TOL_DEFAULT
      : checkNumber(FN, 'record.supportTol', rec.supportTol, { min: 0 });
  const sharpnessIterations =
    rec.sharpnessIterations === undefined
      ? undefined
      : checkNumber(FN, 'record.sharpnessIterations', rec.sharpnessIterations, { integer: true, min: 1 });
  const reference = opts.reference === undefined ? null : resolveReference(FN, opts.reference, p);
  const test = opts.test === undefined ? null : checkDataset(FN, 'test', opts.test);
  if (test !== null && test.d !== d) {
    throw new InvalidInputError(FN, 'test', `has d = ${test.d} but data has d = ${d}`);
  }
  const prop2 =
    opts.proposition2 === undefined ? null : checkProposition2(FN, 'proposition2', opts.proposition2, n, d);
  const dropout = checkDropout(FN, opts.dropout, model);

  return prepareMarginTask<HistoryRow, Dataset>({
    fn: FN,
    opts,
    common,
    data,
    model,
    rowKeys: ['y'],
    objective: (grad, theta, rows, c, shift, margins, mask) =>
      mask === undefined
        ? model.objective(grad, theta, rows, c, loss, shift, margins)
        : model.objective(grad, theta, rows, c, loss, shift, margins, mask),
    dropout,
    // Both losses satisfy ℓ(u) ≤ e^{−u}, and c = w/n ≥ 0 is fixed: the shift may skip its margin scan.
    expBound: true,
    multiclass: false,
    reference,
    referenceHint: 'pass hardMarginSVM(data)',
    test,
    testError: (theta) => testErrorRecorder(model, theta, test!),
    extraMetrics: ({ theta, c, margins, lambda, r }) => [
      { names: ['supportCount'], make: () => supportCountRecorder(margins, supportTol) },
      {
        names: PROPOSITION2_METRICS,
        defaults: PROPOSITION2_METRICS,
        needs: {
          option: 'proposition2',
          given: prop2 !== null,
          hint: 'pass { partition: separablePartition(data), optimum: nonSeparableOptimum(...) }',
        },
        make: (selected) => proposition2Recorder(theta, prop2!, selected),
      },
      { names: ['kktResidual'], make: () => kktResidualRecorder({ model, theta, data, c }) },
      {
        names: ['sharpness'],
        make: () =>
          sharpnessRecorder({
            fn: FN,
            model,
            theta,
            data,
            c,
            loss,
            lambda,
            r,
            iterations: sharpnessIterations,
          }),
      },
    ],
    extraFingerprint: {
      loss: loss.name,
      proposition2: opts.proposition2 === undefined ? 'none' : describe(opts.proposition2),
    },
  });
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
 * `stalledAt` rather than passing silently. Deterministic: the same options give bit-identical results.
 *
 * Non-separable data (Proposition 2): with `proposition2: { partition, optimum }` (from
 * `separablePartition` and `nonSeparableOptimum`, same weights and loss) it records `nonSepDistance`
 * ‖Π_non-sep θ − θ̃(w)‖, `sepAngle`, `sepNorm` ‖Π_sep θ‖ and `proposition2Rate` log t/(γ_sep √t), bit-identical
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
  return runTraining(prepare(options));
}

/**
 * {@link trainWeighted} as a Promise: the same options and result, bit for bit, computed in slices of about
 * 16 ms with a yield to the event loop between them, so a page stays responsive, timers fire, and `signal`
 * (e.g. `AbortSignal.timeout(ms)`) stops the run from outside: the Promise then resolves with status
 * 'aborted' and a `state` that resumes it. Bad options reject the Promise with `INVALID_INPUT`.
 *
 * @example
 * const run = await trainWeightedAsync({ data, steps: 1e8, signal: AbortSignal.timeout(1000) });
 * run.status; // 'aborted'
 * const more = await trainWeightedAsync({ data, steps: 1e8, resume: run.state }); // continues
 */
export async function trainWeightedAsync(options: TrainWeightedOptions): Promise<TrainWeightedResult> {
  return runTrainingAsync(prepare(options));
}
