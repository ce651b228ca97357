import { checkMulticlassDataset } from '../../datasets/multiclassCheck.js';
import type { MulticlassDataset } from '../../datasets/multiclassDataset.js';
import { InvalidInputError } from '../../errors/index.js';
import { multiclassTestErrorRecorder } from '../../metrics/recorders.js';
import { linearMulticlass } from '../../models/linearMulticlass.js';
import type { MulticlassModel } from '../../models/types.js';
import { show } from '../../util/validate.js';
import type { Optimizer } from '../optimizers/types.js';
import { type PreparedRun, runTraining, runTrainingAsync } from './driver.js';
import { prepareMarginTask } from './marginTask.js';
import { readCommonOptions, readTrainOptions, resolveReference } from './options.js';
import type { RecordSchedule } from './recordSteps.js';
import type { CommonTrainOptions, TrainProgress, TrainRunResult } from './types.js';

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

/** What `onProgress` receives (the same as every training loop's {@link TrainProgress}). */
export type MulticlassProgress = TrainProgress;

/** Options of {@link trainMulticlass} (and {@link trainMulticlassAsync}). */
export interface TrainMulticlassOptions extends CommonTrainOptions {
  /** The training set (from `multiclassDataset()` or `datasets.blobs`). */
  data: MulticlassDataset;
  /** The k-output predictor (default `linearMulticlass(data.d, data.k)`). */
  model?: MulticlassModel;
  /** Importance weights wᵢ: finite, ≥ 0, not all zero (default all 1). A zero weight drops the point exactly. */
  weights?: ArrayLike<number>;
  /** The gradient method (default `gd({ lr: 0.1 })`). */
  optimizer?: Optimizer<unknown>;
  /** Initial θ (default: i.i.d. standard normal from `seed`). */
  init?: ArrayLike<number>;
  /** Adds λ‖θ‖₂^r to the objective. */
  regularization?: { lambda: number; r: number };
  /** Which metrics to record and where (default: loss, norm, margin; angle and gap with a reference; testError with test). */
  record?: RecordSchedule & { metrics?: readonly MulticlassMetricName[] };
  /** A reference direction for `angle`/`gap` (e.g. the multiclass max-margin W⋆): a vector of length model.size, or `{ theta }`. */
  reference?: ArrayLike<number> | { theta: ArrayLike<number> };
  /** A held-out set for `testError` (same d and k). */
  test?: MulticlassDataset;
}

/** What {@link trainMulticlass} returns. */
export interface TrainMulticlassResult extends TrainRunResult<MulticlassHistoryRow> {
  /** θ after the last update performed. */
  theta: Float64Array;
  /** The initial θ. */
  init: Float64Array;
  /** The validated weights. */
  weights: Float64Array;
}

const FN = 'trainMulticlass';

const KEYS = [
  'data',
  'model',
  'weights',
  'optimizer',
  'init',
  'regularization',
  'reference',
  'test',
] as const satisfies readonly (keyof TrainMulticlassOptions)[];

function checkModel(model: unknown, data: MulticlassDataset): MulticlassModel {
  const m = model as MulticlassModel;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.objective !== 'function' ||
    typeof m.logits !== 'function' ||
    typeof m.outputs !== 'number'
  ) {
    throw new InvalidInputError(
      FN,
      'model',
      `must be a multiclass model such as linearMulticlass(d, k), got ${show(model)}`,
    );
  }
  if (m.inputDim !== data.d) {
    throw new InvalidInputError(FN, 'model', `expects inputDim = ${m.inputDim} but data has d = ${data.d}`);
  }
  if (m.outputs !== data.k) {
    throw new InvalidInputError(FN, 'model', `has ${m.outputs} outputs but data has k = ${data.k} classes`);
  }
  return m;
}

function prepare(options: TrainMulticlassOptions): PreparedRun<TrainMulticlassResult, MulticlassHistoryRow> {
  const opts = readTrainOptions(FN, options, KEYS);
  const data = checkMulticlassDataset(FN, 'data', opts.data);
  const { k } = data;
  const common = readCommonOptions(FN, opts);
  const model = checkModel(opts.model ?? linearMulticlass(data.d, k), data);
  const reference =
    opts.reference === undefined ? null : resolveReference(FN, opts.reference, model.size, false);
  const test = opts.test === undefined ? null : checkMulticlassDataset(FN, 'test', opts.test);
  if (test !== null && (test.d !== data.d || test.k !== k)) {
    throw new InvalidInputError(
      FN,
      'test',
      `has d = ${test.d}, k = ${test.k} but data has d = ${data.d}, k = ${k}`,
    );
  }
  return prepareMarginTask<MulticlassHistoryRow, MulticlassDataset>({
    fn: FN,
    opts,
    common,
    data,
    model,
    rowKeys: ['labels'],
    objective: (grad, theta, rows, c, shift, margins) =>
      model.objective(grad, theta, rows, c, shift, margins),
    expBound: false,
    multiclass: true,
    reference,
    test,
    testError: (theta) => multiclassTestErrorRecorder(model, theta, test!),
  });
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
  return runTraining(prepare(options));
}

/**
 * {@link trainMulticlass} as a Promise: the same options and result bit for bit, computed in slices of about
 * 16 ms with a yield to the event loop between them, so `signal` stops it from outside (status 'aborted',
 * with a resumable `state`). See `trainWeightedAsync`.
 */
export async function trainMulticlassAsync(options: TrainMulticlassOptions): Promise<TrainMulticlassResult> {
  return runTrainingAsync(prepare(options));
}
