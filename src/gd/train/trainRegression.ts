import { checkRegressionDataset, type RegressionDataset } from '../../datasets/regression.js';
import { InvalidInputError } from '../../errors/index.js';
import { squaredLossObjective } from '../../kernels/squaredLoss.js';
import { rowSpaceBasis } from '../../linalg/rowSpaceBasis.js';
import type { MetricGroup } from '../../metrics/recorder.js';
import {
  copyRecorder,
  distanceRecorder,
  normRecorder,
  residualNormRecorder,
} from '../../metrics/recorders.js';
import { hashVector } from '../../util/json.js';
import { show, toFiniteVector } from '../../util/validate.js';
import { gd } from '../optimizers/gd.js';
import type { Optimizer } from '../optimizers/types.js';
import { rowBatches } from './batchRows.js';
import { type PreparedRun, type Problem, runTraining, runTrainingAsync } from './driver.js';
import { checkOptimizer, initialParameters, readCommonOptions, readTrainOptions } from './options.js';
import type { RecordSchedule } from './recordSteps.js';
import type { BatchPlan } from './sampler.js';
import { describeData } from './state.js';
import type { CommonTrainOptions, TrainRunResult } from './types.js';

/** Metrics that `trainRegression` can record. `loss` is always recorded. */
export type RegressionMetricName = 'loss' | 'residualNorm' | 'norm' | 'distance' | 'w';

/** One recorded row of {@link trainRegression}: the state after `step` updates. */
export interface RegressionHistoryRow {
  step: number;
  /** L(w) = Σᵢ (wᵀxᵢ − yᵢ)². */
  loss: number;
  /** ‖Xw − y‖₂ (= √L, computed without overflow or underflow). */
  residualNorm?: number;
  /** ‖w‖₂. */
  norm?: number;
  /** ‖w − reference‖₂ (needs `reference`). */
  distance?: number;
  /** A copy of w (opt-in: `record.metrics` must name 'w'). */
  w?: Float64Array;
}

/** Options of {@link trainRegression} (and {@link trainRegressionAsync}). */
export interface TrainRegressionOptions extends CommonTrainOptions {
  /** The training set: `regressionDataset(X, y)`, `datasets.underdetermined()`, `datasets.slidesRegression()`. */
  data: RegressionDataset;
  /**
   * The gradient method. Default `gd({ lr: 1 / (2σ²) })` with σ the largest singular value of X: 1/β for
   * the smoothness β = 2σ² of L, half the largest stable constant step (1/σ²). Computing σ costs one SVD of
   * X (O(n·d·min(n, d))); pass an optimizer to skip it.
   */
  optimizer?: Optimizer<unknown>;
  /** w₀: a vector of length d, `'zeros'` (the default) or `'normal'` (i.i.d. N(0, 1) drawn from `seed`). */
  init?: ArrayLike<number> | 'zeros' | 'normal';
  /** Which metrics to record and where (default: loss, residualNorm, norm; distance with a reference). */
  record?: RecordSchedule & { metrics?: readonly RegressionMetricName[] };
  /** A vector of length d to measure `distance` to, e.g. `minNormInterpolant(X, y, w0).w`. */
  reference?: ArrayLike<number>;
}

/** What {@link trainRegression} returns. */
export interface TrainRegressionResult extends TrainRunResult<RegressionHistoryRow> {
  /**
   * w after the last update performed. `stalledAt` (the first update that left w bit-for-bit unchanged)
   * usually means, on realizable least squares, that GD has converged to float64 resolution.
   */
  w: Float64Array;
  /** The initial w₀. */
  init: Float64Array;
}

const FN = 'trainRegression';

const KEYS = [
  'data',
  'optimizer',
  'init',
  'reference',
] as const satisfies readonly (keyof TrainRegressionOptions)[];

/**
 * The objective as a training problem: L(w) over every row, or with mini-batches (`batch`) the unbiased
 * estimate (n/|B|) Σ_{i∈B} (wᵀxᵢ − yᵢ)² of the sum (the factor is exactly 1 for |B| = n, so size n in order
 * gives full-batch GD's bits), with L itself for the recorded rows.
 */
function batchProblem(
  data: RegressionDataset,
  batch: BatchPlan | null,
  w: Float64Array,
  grad: Float64Array,
  residuals: Float64Array,
): Problem {
  const evaluate = (): number => squaredLossObjective(grad, residuals, w, data);
  if (batch === null) return { params: w, grad, evaluate };
  const { n } = data;
  const gather = rowBatches(data, Math.min(batch.size, n), ['y']);
  const batchResiduals = new Float64Array(Math.min(batch.size, n));
  let rows = data;
  return {
    params: w,
    grad,
    evaluate(): number {
      const m = rows.n;
      const value = squaredLossObjective(grad, batchResiduals, w, rows);
      if (m === n) return value;
      const scale = n / m;
      for (let j = 0; j < grad.length; j++) grad[j]! *= scale;
      return value * scale;
    },
    evaluateRecord: evaluate,
    rows: n,
    selectRows(indices: Int32Array, m: number): void {
      rows = gather(indices, m);
    },
  };
}

/**
 * The default step size 1/(2σ_max(X)²) = 1/β, β = λ_max(∇²L) = 2σ_max²; 1 when X = 0 (then ∇L = 0).
 */
function defaultLr(data: RegressionDataset): number {
  const sigma = rowSpaceBasis(data.X, data.n, data.d).singularValues[0] ?? 0;
  const lr = 1 / (2 * sigma * sigma);
  return Number.isFinite(lr) && lr > 0 ? lr : 1;
}

function prepare(options: TrainRegressionOptions): PreparedRun<TrainRegressionResult, RegressionHistoryRow> {
  const opts = readTrainOptions(FN, options, KEYS);
  const data = checkRegressionDataset(FN, 'data', opts.data);
  const { n, d } = data;
  const common = readCommonOptions(FN, opts);
  const initOption = opts.init ?? 'zeros';
  if (typeof initOption === 'string' && initOption !== 'zeros' && initOption !== 'normal') {
    throw new InvalidInputError(
      FN,
      'init',
      `must be a vector of length ${d}, 'zeros' or 'normal', got ${show(initOption)}`,
    );
  }
  const w =
    initOption === 'zeros'
      ? new Float64Array(d)
      : initialParameters(FN, initOption === 'normal' ? undefined : initOption, d, common.seed, (rng) => {
          const v = new Float64Array(d);
          for (let j = 0; j < d; j++) v[j] = rng.normal();
          return v;
        });
  const init = Float64Array.from(w);
  const reference = opts.reference === undefined ? null : toFiniteVector(FN, 'reference', opts.reference, d);
  const optimizer = checkOptimizer(FN, opts.optimizer, () => gd({ lr: defaultLr(data) }), 'gd({ lr: 0.01 })');

  // Buffers, allocated once: the step loop allocates nothing but recorded rows.
  const grad = new Float64Array(d);
  const residuals = new Float64Array(n);
  const metrics: MetricGroup[] = [
    { names: ['residualNorm'], defaults: ['residualNorm'], make: () => residualNormRecorder(residuals) },
    { names: ['norm'], defaults: ['norm'], make: () => normRecorder(w) },
    {
      names: ['distance'],
      defaults: ['distance'],
      needs: {
        option: 'reference',
        given: reference !== null,
        hint: 'pass e.g. minNormInterpolant(X, y, w0).w',
      },
      make: () => distanceRecorder(w, reference!),
    },
    { names: ['w'], make: () => copyRecorder('w', () => w) },
  ];

  return {
    spec: {
      fn: FN,
      param: 'w',
      common,
      problem: batchProblem(data, common.batch, w, grad, residuals),
      optimizer,
      metrics,
      row: (step, value) => ({ step, loss: value }),
      fingerprint: {
        data: describeData(data),
        init: hashVector(init),
        reference: reference === null ? 'none' : hashVector(reference),
      },
    },
    finish: (outcome) => ({ w, ...outcome, init }),
  };
}

/**
 * Minimizes the squared loss of the slides ("Linear models in regression"),
 *
 *   L(w) = Σᵢ (wᵀxᵢ − yᵢ)²   (a sum, not a mean),   ∇L(w) = 2 Σᵢ (wᵀxᵢ − yᵢ) xᵢ,
 *
 * with any optimizer of this library, recording metrics along the way. With `gd({ lr })` one step is
 * exactly w ← w − lr·∇L(w). Recording, progress, abort and divergence behave as in `trainWeighted`: rows
 * at log- or linear-spaced steps (or `record.at`), `onProgress` at every recorded step, `signal` checked
 * before every update (status 'aborted'), a non-finite loss or w throws `DIVERGED` with the step and the
 * last finite w (or, with `onDiverge: 'stop'`, ends the run with status 'diverged' and `divergedAt`).
 * Constant GD diverges iff lr > 1/σ_max(X)² (on the top singular direction).
 *
 * On realizable under-determined data (n < d), GD from w₀ converges to the interpolant closest to w₀,
 * `minNormInterpolant(X, y, w₀)` (Proposition 1 of the slides, [GLSS18]); mirror descent converges to
 * `minBregmanInterpolant` (Theorem 1, [BT03]).
 *
 * Numerics: one fused pass over X per step (residuals, loss and gradient together, see
 * `squaredLossObjective`); no allocation in the step loop beyond recorded rows; deterministic (the same
 * options give bit-identical results). The optimizer sees `info.logScale = 0`, `info.lossScaled = L`.
 *
 * @param options - see {@link TrainRegressionOptions}.
 * @returns `{ w, history, steps, status, divergedAt, stalledAt, init, state }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad options (checked before the first step);
 *   DivergedError (`DIVERGED`) as above.
 * @example
 * ```ts
 * const data = datasets.underdetermined({ n: 10, d: 30, seed: 1 });
 * const w0 = new Float64Array(30).fill(1);
 * const { w } = trainRegression({ data, steps: 5000, init: w0 });
 * // w ≈ minNormInterpolant(data.X, data.y, w0).w
 * ```
 *
 * @see S. Gunasekar, J. Lee, D. Soudry, N. Srebro, "Characterizing implicit bias in terms of optimization
 * geometry", ICML 2018.
 */
export function trainRegression(options: TrainRegressionOptions): TrainRegressionResult {
  return runTraining(prepare(options));
}

/**
 * {@link trainRegression} as a Promise: the same options and result bit for bit, computed in slices of about
 * 16 ms with a yield to the event loop between them, so `signal` stops it from outside (status 'aborted',
 * with a resumable `state`). See `trainWeightedAsync`.
 */
export async function trainRegressionAsync(options: TrainRegressionOptions): Promise<TrainRegressionResult> {
  return runTrainingAsync(prepare(options));
}
