import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import {
  checkMatrixCompletionDataset,
  type MatrixCompletionDataset,
} from '../../datasets/matrixCompletion.js';
import { InvalidInputError } from '../../errors/index.js';
import {
  createFactorizationScratch,
  factorizationForward,
  factorizationObjective,
} from '../../kernels/factorization.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import { checkKnownKeys, checkNumber, checkObject, show, toFiniteVector } from '../../util/validate.js';
import { gd } from '../optimizers/gd.js';
import { type RecordSchedule, recordSteps } from './recordSteps.js';
import { checkMetrics, runTrainingLoop } from './trainLoop.js';
import { checkOnDiverge, checkOnProgress } from './trainOptions.js';
import type { TrainProgress } from './trainWeighted.js';

/** Metrics that `trainMatrixFactorization` can record. `loss` is always recorded. */
export type FactorizationMetricName =
  | 'loss'
  | 'singularValues'
  | 'nuclearNorm'
  | 'effectiveRank'
  | 'recoveryError'
  | 'unobservedError'
  | 'endMatrix';

const METRICS: readonly FactorizationMetricName[] = [
  'loss',
  'singularValues',
  'nuclearNorm',
  'effectiveRank',
  'recoveryError',
  'unobservedError',
  'endMatrix',
];

/** One recorded row of {@link trainMatrixFactorization}: the state after `step` updates. */
export interface FactorizationHistoryRow {
  step: number;
  /** L = Σ_{(i,j)∈Ω} ([W_e]_ij − y_ij)². */
  loss: number;
  /** Singular values of W_e, decreasing (min(rows, cols) of them). */
  singularValues?: Float64Array;
  /** ‖W_e‖_* = Σ σ_r. */
  nuclearNorm?: number;
  /** exp(H(p)), p_r = σ_r / Σσ (Roy & Vetterli 2007); 0 when W_e = 0. */
  effectiveRank?: number;
  /** ‖W_e − M‖_F / ‖M‖_F over all entries (needs `data.truth`). */
  recoveryError?: number;
  /** The same over the unobserved entries only; null when every entry is observed or M is 0 there. */
  unobservedError?: number | null;
  /** A copy of W_e (opt-in). */
  endMatrix?: Float64Array;
}

/** Options of {@link trainMatrixFactorization}. */
export interface TrainMatrixFactorizationOptions {
  /** The observations: `datasets.matrixCompletion(...)` or any {@link MatrixCompletionDataset}. */
  data: MatrixCompletionDataset;
  /** Number of factors N (an integer ≥ 1); depth 1 trains W_e directly. */
  depth: number;
  /** Hidden width (an integer ≥ 1, default max(rows, cols)); unused at depth 1. */
  width?: number;
  /** Entries of every factor start i.i.d. N(0, initScale²) (≥ 0, default 1e-3). */
  initScale?: number;
  /** Explicit initial factors [W₁, …, W_N] (row-major); overrides `initScale`. */
  init?: readonly ArrayLike<number>[];
  /** The GD step size (> 0). */
  lr: number;
  /** Number of updates (an integer ≥ 0). */
  steps: number;
  /** Seed of the initialization, drawn from `createRng(seed, RNG_STREAMS.init)` (default 0). */
  seed?: number;
  /** Which metrics to record and where (default: all but endMatrix; recovery errors only with a truth). */
  record?: RecordSchedule & { metrics?: readonly FactorizationMetricName[] };
  /** Called at every recorded step. */
  onProgress?: (progress: TrainProgress) => void;
  /** Stops the run (status 'aborted') when aborted; checked before every update. */
  signal?: AbortSignal;
  /** On a non-finite loss or factor: throw a DIVERGED error (default) or stop and report it. */
  onDiverge?: 'throw' | 'stop';
}

/** What {@link trainMatrixFactorization} returns. */
export interface TrainMatrixFactorizationResult {
  /** The end matrix W_e = W_N ⋯ W₁ after the last update (rows·cols, row-major). */
  endMatrix: Float64Array;
  /** The factors W₁ … W_N (W_k is dims[k]×dims[k−1], row-major; views of one parameter vector). */
  factors: Float64Array[];
  /** dims = [cols, width, …, width, rows]. */
  dims: number[];
  history: FactorizationHistoryRow[];
  steps: number;
  status: 'completed' | 'aborted' | 'diverged';
  divergedAt: number | null;
  stalledAt: number | null;
}

const KNOWN = [
  'data',
  'depth',
  'width',
  'initScale',
  'init',
  'lr',
  'steps',
  'seed',
  'record',
  'onProgress',
  'signal',
  'onDiverge',
];

const FN = 'trainMatrixFactorization';

/**
 * Deep matrix factorization by gradient descent (the slides' "Matrix factorization ↔ linear neural
 * network", Gunasekar et al. 2017; Arora et al. 2019): with W_e = W_N ⋯ W₁ (W₁ width×cols, …, W_N
 * rows×width; N = 1 means W_e = W₁), minimizes
 *
 *   L(W₁, …, W_N) = Σ_{(i,j)∈Ω} ([W_e]_ij − y_ij)²   (a sum, like `trainRegression`)
 *
 * by plain GD, W_k ← W_k − lr·∇_{W_k}L, with the gradient of `factorizationObjective` (back-propagation
 * through the product). With small initialization and step size, depth 2 tends to the minimum nuclear
 * norm completion (the conjecture of Gunasekar et al.), and deeper factorizations give W_e larger gaps
 * between singular values (Arora et al.: dσ_r/dt ∝ σ_r^{2−2/N}). At depth 1 from 0, GD converges to the
 * minimum-Frobenius completion: the observations on Ω, 0 elsewhere.
 *
 * Recorded metrics (only at recorded steps; the SVD is ml-matrix's): `singularValues`, `nuclearNorm`,
 * `effectiveRank` = exp(−Σ p_r ln p_r) with p_r = σ_r/Σσ (the entropy-based effective rank of Roy &
 * Vetterli 2007), `recoveryError` = ‖W_e − M‖_F/‖M‖_F and `unobservedError` (the same over Ωᶜ), and
 * optionally `endMatrix`. Divergence, abort and progress behave as in `trainRegression`. Deterministic;
 * no allocation in the step loop beyond recorded rows.
 *
 * @param options - see {@link TrainMatrixFactorizationOptions}.
 * @returns `{ endMatrix, factors, dims, history, steps, status, divergedAt, stalledAt }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad options; DivergedError (`DIVERGED`) when the run
 *   blows up (unless `onDiverge: 'stop'`).
 * @example
 * ```ts
 * const data = datasets.matrixCompletion({ rows: 10, cols: 10, rank: 1, observed: 0.5, seed: 0 });
 * const res = trainMatrixFactorization({ data, depth: 2, lr: 0.05, steps: 2000, seed: 0 });
 * res.history.at(-1)?.recoveryError; // ≈ 0.16 (depth 1 from 0 leaves the unobserved half at 0)
 * ```
 *
 * @see S. Arora, N. Cohen, W. Hu, Y. Luo, "Implicit regularization in deep matrix factorization",
 * NeurIPS 2019; S. Gunasekar, B. Woodworth, S. Bhojanapalli, B. Neyshabur, N. Srebro, "Implicit
 * regularization in matrix factorization", NeurIPS 2017.
 */
export function trainMatrixFactorization(
  options: TrainMatrixFactorizationOptions,
): TrainMatrixFactorizationResult {
  const opts = checkObject(FN, 'options', options, false) as unknown as TrainMatrixFactorizationOptions;
  checkKnownKeys(FN, opts as unknown as Record<string, unknown>, KNOWN);
  const data = checkMatrixCompletionDataset(FN, 'data', opts.data);
  const { rows, cols, observed, values, truth } = data;
  const depth = checkNumber(FN, 'depth', opts.depth, { integer: true, min: 1 });
  const width =
    opts.width === undefined
      ? Math.max(rows, cols)
      : checkNumber(FN, 'width', opts.width, { integer: true, min: 1 });
  const initScale =
    opts.initScale === undefined ? 1e-3 : checkNumber(FN, 'initScale', opts.initScale, { min: 0 });
  const lr = checkNumber(FN, 'lr', opts.lr, { min: 0, exclusiveMin: true });
  const steps = checkNumber(FN, 'steps', opts.steps, { integer: true, min: 0 });
  const seed = opts.seed === undefined ? 0 : checkNumber(FN, 'seed', opts.seed, { integer: true });
  const scratch = createFactorizationScratch(rows, cols, depth, width);
  const { dims, offsets } = scratch;
  const theta = new Float64Array(offsets[depth]!);
  if (opts.init !== undefined) {
    if (!Array.isArray(opts.init) || opts.init.length !== depth) {
      throw new InvalidInputError(
        FN,
        'init',
        `must be an array of ${depth} factors [W₁, …], got ${show(opts.init)}`,
      );
    }
    for (let k = 1; k <= depth; k++) {
      const size = dims[k]! * dims[k - 1]!;
      theta.set(toFiniteVector(FN, `init[${k - 1}]`, opts.init[k - 1], size), offsets[k - 1]!);
    }
  } else if (initScale > 0) {
    const rng = createRng(seed, RNG_STREAMS.init);
    for (let q = 0; q < theta.length; q++) theta[q] = initScale * rng.normal();
  }

  const rec = checkObject(FN, 'record', opts.record);
  checkKnownKeys(`${FN}: record`, rec, ['metrics', 'scale', 'points', 'at']);
  const defaults: FactorizationMetricName[] = ['loss', 'singularValues', 'nuclearNorm', 'effectiveRank'];
  if (truth) defaults.push('recoveryError', 'unobservedError');
  const metrics = checkMetrics(FN, rec.metrics, defaults, METRICS);
  if (!truth && (metrics.has('recoveryError') || metrics.has('unobservedError'))) {
    throw new InvalidInputError(FN, 'data.truth', 'is required to record recoveryError or unobservedError');
  }
  const at = recordSteps(steps, rec as RecordSchedule, FN);
  const onDiverge = checkOnDiverge(FN, opts.onDiverge);
  checkOnProgress(FN, opts.onProgress);

  const grad = new Float64Array(theta.length);
  const isObserved = new Uint8Array(rows * cols);
  for (let s = 0; s < observed.length; s++) isObserved[observed[s]!] = 1;
  let truthSq = 0;
  let truthSqUnobserved = 0;
  if (truth) {
    for (let q = 0; q < rows * cols; q++) {
      const v = truth[q]! * truth[q]!;
      truthSq += v;
      if (isObserved[q] === 0) truthSqUnobserved += v;
    }
  }
  const history: FactorizationHistoryRow[] = [];
  const needSvd = metrics.has('singularValues') || metrics.has('nuclearNorm') || metrics.has('effectiveRank');

  const record = (step: number, value: number): void => {
    const we = scratch.prefix[depth - 1]!;
    const row: FactorizationHistoryRow = { step, loss: value };
    if (needSvd) {
      const sv = singularValues(we, rows, cols);
      if (metrics.has('singularValues')) row.singularValues = sv;
      let sum = 0;
      for (const s of sv) sum += s;
      if (metrics.has('nuclearNorm')) row.nuclearNorm = sum;
      if (metrics.has('effectiveRank')) {
        let h = 0;
        for (const s of sv) {
          if (s > 0) {
            const p = s / sum;
            h -= p * Math.log(p);
          }
        }
        row.effectiveRank = sum > 0 ? Math.exp(h) : 0;
      }
    }
    if (truth) {
      let all = 0;
      let unobs = 0;
      for (let q = 0; q < rows * cols; q++) {
        const e = (we[q]! - truth[q]!) ** 2;
        all += e;
        if (isObserved[q] === 0) unobs += e;
      }
      if (metrics.has('recoveryError')) row.recoveryError = Math.sqrt(all / truthSq);
      if (metrics.has('unobservedError')) {
        row.unobservedError = truthSqUnobserved > 0 ? Math.sqrt(unobs / truthSqUnobserved) : null;
      }
    }
    if (metrics.has('endMatrix')) row.endMatrix = Float64Array.from(we);
    history.push(row);
    opts.onProgress?.({ step, steps, loss: value, logLoss: Math.log(value) });
  };

  const outcome = runTrainingLoop({
    fn: FN,
    param: 'factors',
    steps,
    at,
    theta,
    grad,
    optimizer: gd({ lr }),
    signal: opts.signal,
    onDiverge,
    evaluate: () => factorizationObjective(grad, scratch, theta, observed, values),
    logScale: () => 0,
    record,
  });

  const factors: Float64Array[] = [];
  for (let k = 1; k <= depth; k++) factors.push(theta.subarray(offsets[k - 1]!, offsets[k]!));
  return {
    endMatrix: Float64Array.from(factorizationForward(scratch, theta)),
    factors,
    dims: Array.from(dims),
    history,
    steps: outcome.steps,
    status: outcome.status,
    divergedAt: outcome.divergedAt,
    stalledAt: outcome.stalledAt,
  };
}

/** Singular values of a rows×cols row-major matrix, decreasing (ml-matrix SVD, values only). */
function singularValues(a: Float64Array, rows: number, cols: number): Float64Array {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]!);
  const svd = new SingularValueDecomposition(m, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return Float64Array.from(svd.diagonal).sort().reverse();
}
