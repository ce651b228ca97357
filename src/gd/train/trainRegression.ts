import { checkRegressionDataset, type RegressionDataset } from '../../datasets/regression.js';
import { InvalidInputError } from '../../errors/index.js';
import { squaredLossObjective } from '../../kernels/squaredLoss.js';
import { norm2 } from '../../kernels/vector.js';
import { rowSpaceBasis } from '../../linalg/rowSpaceBasis.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import { checkKnownKeys, checkNumber, checkObject, show, toFiniteVector } from '../../util/validate.js';
import { gd } from '../optimizers/gd.js';
import type { Optimizer } from '../optimizers/types.js';
import { type RecordSchedule, recordSteps } from './recordSteps.js';
import { checkMetrics, runTrainingLoop } from './trainLoop.js';
import { checkOnDiverge, checkOnProgress } from './trainOptions.js';
import type { TrainProgress } from './trainWeighted.js';

/** Metrics that `trainRegression` can record. `loss` is always recorded. */
export type RegressionMetricName = 'loss' | 'residualNorm' | 'norm' | 'distance' | 'w';

const METRICS: readonly RegressionMetricName[] = ['loss', 'residualNorm', 'norm', 'distance', 'w'];

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

/** Options of {@link trainRegression}. */
export interface TrainRegressionOptions {
  /** The training set: `regressionDataset(X, y)`, `datasets.underdetermined()`, `datasets.slidesRegression()`. */
  data: RegressionDataset;
  /** Number of updates (an integer ≥ 0). */
  steps: number;
  /**
   * The gradient method. Default `gd({ lr: 1 / (2σ²) })` with σ the largest singular value of X: 1/β for
   * the smoothness β = 2σ² of L, half the largest stable constant step (1/σ²). Computing σ costs one SVD of
   * X (O(n·d·min(n, d))); pass an optimizer to skip it.
   */
  optimizer?: Optimizer<unknown>;
  /** w₀: a vector of length d, `'zeros'` (the default) or `'normal'` (i.i.d. N(0, 1) drawn from `seed`). */
  init?: ArrayLike<number> | 'zeros' | 'normal';
  /** Seed of `init: 'normal'` (default 0); drawn from `createRng(seed, RNG_STREAMS.init)`. */
  seed?: number;
  /** Which metrics to record and where (default: loss, residualNorm, norm; distance with a reference). */
  record?: RecordSchedule & { metrics?: readonly RegressionMetricName[] };
  /** A vector of length d to measure `distance` to, e.g. `minNormInterpolant(X, y, w0).w`. */
  reference?: ArrayLike<number>;
  /** Called at every recorded step (`logLoss` = log L, −Infinity at L = 0); may abort via `signal`. */
  onProgress?: (progress: TrainProgress) => void;
  /** Stops the run (status 'aborted') when aborted; checked before every update. */
  signal?: AbortSignal;
  /** On a non-finite loss or w: throw a DIVERGED error (default) or stop and report it. */
  onDiverge?: 'throw' | 'stop';
}

/** What {@link trainRegression} returns. */
export interface TrainRegressionResult {
  /** w after the last update performed. */
  w: Float64Array;
  /** The recorded rows, in step order. */
  history: RegressionHistoryRow[];
  /** Number of updates performed. */
  steps: number;
  status: 'completed' | 'aborted' | 'diverged';
  /** The step at which a non-finite value appeared (status 'diverged'), else null. */
  divergedAt: number | null;
  /**
   * The first step whose update left w bit-for-bit unchanged, else null. On realizable least squares
   * this usually means GD has converged to float64 resolution (the gradient rounds to a no-op).
   */
  stalledAt: number | null;
  /** The initial w₀. */
  init: Float64Array;
}

const KNOWN = [
  'data',
  'steps',
  'optimizer',
  'init',
  'seed',
  'record',
  'reference',
  'onProgress',
  'signal',
  'onDiverge',
];

const FN = 'trainRegression';

/**
 * The default step size 1/(2σ_max(X)²) = 1/β, β = λ_max(∇²L) = 2σ_max²; 1 when X = 0 (then ∇L = 0).
 * @internal
 */
function defaultLr(data: RegressionDataset): number {
  const sigma = rowSpaceBasis(data.X, data.n, data.d).singularValues[0] ?? 0;
  const lr = 1 / (2 * sigma * sigma);
  return Number.isFinite(lr) && lr > 0 ? lr : 1;
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
 * @returns `{ w, history, steps, status, divergedAt, stalledAt, init }`.
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
  const opts = checkObject(FN, 'options', options, false) as unknown as TrainRegressionOptions;
  checkKnownKeys(FN, opts as unknown as Record<string, unknown>, KNOWN);
  const data = checkRegressionDataset(FN, 'data', opts.data);
  const { n, d, X, y } = data;
  const steps = checkNumber(FN, 'steps', opts.steps, { integer: true, min: 0 });
  if (opts.optimizer !== undefined) {
    const o = opts.optimizer as unknown;
    if (typeof o !== 'object' || o === null || typeof (o as Optimizer).update !== 'function') {
      throw new InvalidInputError(
        FN,
        'optimizer',
        `must be an optimizer such as gd({ lr: 0.01 }), got ${show(o)}`,
      );
    }
  }
  const seed = opts.seed === undefined ? 0 : checkNumber(FN, 'seed', opts.seed, { integer: true });
  let w: Float64Array;
  if (opts.init === undefined || opts.init === 'zeros') {
    w = new Float64Array(d);
  } else if (opts.init === 'normal') {
    const rng = createRng(seed, RNG_STREAMS.init);
    w = new Float64Array(d);
    for (let j = 0; j < d; j++) w[j] = rng.normal();
  } else if (typeof opts.init === 'string') {
    throw new InvalidInputError(
      FN,
      'init',
      `must be a vector of length ${d}, 'zeros' or 'normal', got ${show(opts.init)}`,
    );
  } else {
    w = toFiniteVector(FN, 'init', opts.init, d);
  }
  const init = Float64Array.from(w);

  const rec = checkObject(FN, 'record', opts.record);
  checkKnownKeys(`${FN}: record`, rec, ['metrics', 'scale', 'points', 'at']);
  const reference = opts.reference === undefined ? null : toFiniteVector(FN, 'reference', opts.reference, d);
  const defaultMetrics: RegressionMetricName[] = ['loss', 'residualNorm', 'norm'];
  if (reference) defaultMetrics.push('distance');
  const metrics = checkMetrics(FN, rec.metrics, defaultMetrics, METRICS);
  if (metrics.has('distance') && reference === null) {
    throw new InvalidInputError(
      FN,
      'reference',
      'is required to record distance (pass e.g. minNormInterpolant(X, y, w0).w)',
    );
  }
  const at = recordSteps(steps, rec as RecordSchedule, FN);
  const onDiverge = checkOnDiverge(FN, opts.onDiverge);
  checkOnProgress(FN, opts.onProgress);
  const optimizer: Optimizer<unknown> = opts.optimizer ?? gd({ lr: defaultLr(data) });

  // Buffers, allocated once: the step loop allocates nothing but recorded rows.
  const grad = new Float64Array(d);
  const residuals = new Float64Array(n);
  const diff = reference ? new Float64Array(d) : null;
  const history: RegressionHistoryRow[] = [];

  const record = (step: number, value: number): void => {
    const row: RegressionHistoryRow = { step, loss: value };
    if (metrics.has('residualNorm')) row.residualNorm = norm2(residuals, n);
    if (metrics.has('norm')) row.norm = norm2(w, d);
    if (reference && diff && metrics.has('distance')) {
      for (let j = 0; j < d; j++) diff[j] = w[j]! - reference[j]!;
      row.distance = norm2(diff, d);
    }
    if (metrics.has('w')) row.w = Float64Array.from(w);
    history.push(row);
    opts.onProgress?.({ step, steps, loss: value, logLoss: Math.log(value) });
  };

  const outcome = runTrainingLoop({
    fn: FN,
    param: 'w',
    steps,
    at,
    theta: w,
    grad,
    optimizer,
    signal: opts.signal,
    onDiverge,
    evaluate: () => squaredLossObjective(grad, residuals, w, X, y, n, d),
    logScale: () => 0,
    record,
  });

  return {
    w,
    history,
    steps: outcome.steps,
    status: outcome.status,
    divergedAt: outcome.divergedAt,
    stalledAt: outcome.stalledAt,
    init,
  };
}
