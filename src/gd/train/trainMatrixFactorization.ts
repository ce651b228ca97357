import {
  checkMatrixCompletionDataset,
  type MatrixCompletionDataset,
} from '../../datasets/matrixCompletion.js';
import { InvalidInputError } from '../../errors/index.js';
import { gatherValues } from '../../kernels/batch.js';
import {
  createFactorizationScratch,
  factorizationForward,
  factorizationObjective,
} from '../../kernels/factorization.js';
import { recoveryRecorder, spectrumRecorder } from '../../metrics/matrixMetrics.js';
import type { MetricGroup } from '../../metrics/recorder.js';
import { copyRecorder } from '../../metrics/recorders.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import { hashVector } from '../../util/json.js';
import { checkNumber, show, toFiniteVector } from '../../util/validate.js';
import { gd } from '../optimizers/gd.js';
import { type PreparedRun, type Problem, runTraining, runTrainingAsync } from './driver.js';
import { readCommonOptions, readTrainOptions } from './options.js';
import type { RecordSchedule } from './recordSteps.js';
import { describe, describeData } from './state.js';
import type { CommonTrainOptions, TrainRunResult } from './types.js';

/** Metrics that `trainMatrixFactorization` can record. `loss` is always recorded. */
export type FactorizationMetricName =
  | 'loss'
  | 'singularValues'
  | 'nuclearNorm'
  | 'effectiveRank'
  | 'recoveryError'
  | 'unobservedError'
  | 'endMatrix';

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

/** Options of {@link trainMatrixFactorization} (and {@link trainMatrixFactorizationAsync}). */
export interface TrainMatrixFactorizationOptions extends CommonTrainOptions {
  /** The observations: `datasets.matrixCompletion(...)` or any {@link MatrixCompletionDataset}. */
  data: MatrixCompletionDataset;
  /** Number of factors N (an integer ≥ 1); depth 1 trains W_e directly. */
  depth: number;
  /** Hidden width (an integer ≥ 1, default max(rows, cols)); unused at depth 1. */
  width?: number;
  /** Entries of every factor start i.i.d. N(0, initScale²) (≥ 0, default 1e-3), drawn from `seed`. */
  initScale?: number;
  /** Explicit initial factors [W₁, …, W_N] (row-major); overrides `initScale`. */
  init?: readonly ArrayLike<number>[];
  /** The GD step size (> 0). */
  lr: number;
  /** Which metrics to record and where (default: all but endMatrix; recovery errors only with a truth). */
  record?: RecordSchedule & { metrics?: readonly FactorizationMetricName[] };
}

/** What {@link trainMatrixFactorization} returns. */
export interface TrainMatrixFactorizationResult extends TrainRunResult<FactorizationHistoryRow> {
  /** The end matrix W_e = W_N ⋯ W₁ after the last update (rows·cols, row-major). */
  endMatrix: Float64Array;
  /** The factors W₁ … W_N (W_k is dims[k]×dims[k−1], row-major; views of one parameter vector). */
  factors: Float64Array[];
  /** dims = [cols, width, …, width, rows]. */
  dims: number[];
}

const FN = 'trainMatrixFactorization';

const KEYS = [
  'data',
  'depth',
  'width',
  'initScale',
  'init',
  'lr',
] as const satisfies readonly (keyof TrainMatrixFactorizationOptions)[];

function prepare(
  options: TrainMatrixFactorizationOptions,
): PreparedRun<TrainMatrixFactorizationResult, FactorizationHistoryRow> {
  const opts = readTrainOptions(FN, options, KEYS);
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
  const common = readCommonOptions(FN, opts);
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
    const rng = createRng(common.seed, RNG_STREAMS.init);
    for (let q = 0; q < theta.length; q++) theta[q] = initScale * rng.normal();
  }
  const init = Float64Array.from(theta);
  const optimizer = gd({ lr });

  const grad = new Float64Array(theta.length);
  const evaluate = (): number => factorizationObjective(grad, theta, observed, values, scratch);
  let problem: Problem = { params: theta, grad, evaluate };
  if (common.batch !== null) {
    // Mini-batches of observed entries: (|Ω|/|B|) Σ_{(i,j)∈B} ([W_e]_ij − y_ij)², unbiased for L (the factor
    // is exactly 1 for |B| = |Ω|). The end matrix is still computed in full, so a step costs the products
    // W_N ⋯ W₁ whatever |B|; only the residuals are the batch's.
    const m0 = observed.length;
    const capacity = Math.min(common.batch.size, m0);
    const batchObserved = new Int32Array(capacity);
    const batchValues = new Float64Array(capacity);
    let count = m0;
    problem = {
      params: theta,
      grad,
      evaluate(): number {
        const o = count === capacity ? batchObserved : batchObserved.subarray(0, count);
        const v = count === capacity ? batchValues : batchValues.subarray(0, count);
        const value = factorizationObjective(grad, theta, o, v, scratch);
        if (count === m0) return value;
        const s = m0 / count;
        for (let j = 0; j < grad.length; j++) grad[j]! *= s;
        return value * s;
      },
      evaluateRecord: evaluate,
      rows: m0,
      selectRows(indices: Int32Array, m: number): void {
        gatherValues(batchObserved, observed, indices, m);
        gatherValues(batchValues, values, indices, m);
        count = m;
      },
    };
  }
  const endMatrix = (): Float64Array => scratch.prefix[depth - 1]!;
  const metrics: MetricGroup[] = [
    {
      names: ['singularValues', 'nuclearNorm', 'effectiveRank'],
      defaults: ['singularValues', 'nuclearNorm', 'effectiveRank'],
      make: (selected) => spectrumRecorder(endMatrix, rows, cols, selected),
    },
    {
      names: ['recoveryError', 'unobservedError'],
      defaults: ['recoveryError', 'unobservedError'],
      needs: { option: 'data.truth', given: truth !== undefined, label: 'recoveryError or unobservedError' },
      make: (selected) => recoveryRecorder(endMatrix, truth!, observed, selected),
    },
    { names: ['endMatrix'], make: () => copyRecorder('endMatrix', endMatrix) },
  ];

  return {
    spec: {
      fn: FN,
      param: 'factors',
      common,
      problem,
      optimizer,
      metrics,
      row: (step, value) => ({ step, loss: value }),
      fingerprint: {
        data: describeData(data),
        shape: describe({ depth, width }),
        init: hashVector(init),
      },
    },
    finish: (outcome) => {
      const factors: Float64Array[] = [];
      for (let k = 1; k <= depth; k++) factors.push(theta.subarray(offsets[k - 1]!, offsets[k]!));
      return {
        endMatrix: Float64Array.from(factorizationForward(scratch, theta)),
        factors,
        dims: Array.from(dims),
        ...outcome,
      };
    },
  };
}

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
 * @returns `{ endMatrix, factors, dims, history, steps, status, divergedAt, stalledAt, state }`.
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
  return runTraining(prepare(options));
}

/**
 * {@link trainMatrixFactorization} as a Promise: the same options and result bit for bit, computed in slices
 * of about 16 ms with a yield to the event loop between them, so `signal` stops it from outside (status
 * 'aborted', with a resumable `state`). See `trainWeightedAsync`.
 */
export async function trainMatrixFactorizationAsync(
  options: TrainMatrixFactorizationOptions,
): Promise<TrainMatrixFactorizationResult> {
  return runTrainingAsync(prepare(options));
}
