/**
 * The training driver: the one step loop behind every training function (`trainWeighted`,
 * `trainMulticlass`, `trainRegression`, `trainLearnedWeights`, `trainMatrixFactorization` and their async
 * twins). A task supplies a {@link Problem} (its objective and gradient into the kernels), an optimizer,
 * recorders (metrics) and the first fields of a row; the driver owns the step loop, the recording schedule,
 * divergence and stall detection, progress, abort, the resumable state and the result's common fields.
 * Internal.
 *
 * At every step t: evaluate (a loss that is not finite and ≥ 0 is divergence at step t); record if t is
 * scheduled; stop at t = steps; stop as 'aborted' if the signal is aborted (recording t if not yet
 * recorded); update; if θ is then non-finite, restore it and report divergence at step t + 1; note the
 * first update that left θ bit-for-bit unchanged (`stalledAt`). Divergence throws `DIVERGED` (carrying the
 * step and the last finite θ) unless `onDiverge` is 'stop'. The step loop allocates nothing; recorded rows
 * are the only allocations between the first and the last step.
 *
 * Mini-batches and dropout (`batch`, `dropout`): then a step's objective is not the training objective, and
 * the problem provides `evaluateRecord`, the full objective for recorded rows. The order becomes: record if t
 * is scheduled (`evaluateRecord`: the full training set, no dropout; a value that is not finite and ≥ 0 is
 * divergence at step t); stop at t = steps; stop if aborted; draw the batch (the sampler, owned here, passes
 * its rows to `selectRows`); evaluate the step's objective (divergence at step t likewise); update. The
 * batch is drawn only for an update that happens, so an aborted run's state resumes on the batch it would
 * have drawn next. `evaluateRecord` leaves the run's state (θ, the tail shift, generators) as it was, so a
 * row recorded only because of an abort does not change the trajectory.
 *
 * The sync and async runs execute the same steps in the same order ({@link runTraining} in one go,
 * {@link runTrainingAsync} in chunks of about 16 ms with a yield to the event loop between them), so their
 * results are identical bit for bit; so is a run interrupted and resumed from its `state`.
 * @internal
 * @packageDocumentation
 */
import { DivergedError, InvalidInputError } from '../../errors/index.js';
import { sameValues } from '../../kernels/optimizers.js';
import { allFinite, copy } from '../../kernels/vector.js';
import { type MetricGroup, type RowFields, selectRecorders } from '../../metrics/recorder.js';
import { encodeValue, encodeVector, type JsonValue } from '../../util/json.js';
import { show } from '../../util/validate.js';
import type { GradientInfo, Optimizer } from '../optimizers/types.js';
import type { CommonOptions } from './options.js';
import { createSampler, type Sampler } from './sampler.js';
import {
  checkResume,
  describe,
  describeOptimizer,
  loadOptimizerState,
  STATE_FORMAT,
  saveOptimizerState,
} from './state.js';
import type { TrainRunResult, TrainState, TrainStatus } from './types.js';

/** A task's objective over one flat parameter vector, as the driver sees it. */
export interface Problem {
  /** All trained parameters, updated in place. */
  readonly params: Float64Array;
  /** The gradient buffer that `evaluate` fills (scaled by e^{−logScale}). */
  readonly grad: Float64Array;
  /** Evaluates the objective at `params`: fills `grad`, returns the (scaled) value. */
  evaluate(): number;
  /** `info.logScale` for the update that follows the last `evaluate` (default 0: the loss is not rescaled). */
  logScale?(): number;
  /** Called after every successful update. */
  afterUpdate?: (() => void) | undefined;
  /** The state the objective carries from step to step (e.g. a tail shift), as JSON. */
  save?(): JsonValue;
  /** Restores what `save` returned. */
  load?(saved: JsonValue): void;
  /**
   * Present when a step's objective differs from the training objective (mini-batches, dropout): the full
   * objective at `params` for a recorded row — filling whatever the recorders read (margins, residuals) —
   * returned on the same scale as `evaluate`'s (the task's `row` turns it into loss fields), without changing
   * the run's state. `grad` may be overwritten (the step's `evaluate` follows before any update).
   */
  evaluateRecord?(): number;
  /** The number of rows the `batch` sampler draws from (n data points, or |Ω| observed entries). */
  readonly rows?: number;
  /** Makes `indices[0 … count)` the rows of the next `evaluate` (called before each step's `evaluate` with `batch`). */
  selectRows?(indices: Int32Array, count: number): void;
}

/** Everything the driver needs for one run. */
export interface TrainingSpec {
  /** The public function's name, for messages and the state. */
  fn: string;
  /** The parameters' name in messages ('θ', 'w', 'factors', '(θ, ψ, b)'). */
  param: string;
  common: CommonOptions;
  problem: Problem;
  optimizer: Optimizer<unknown>;
  /** The task's metric table; `record.metrics` (or the defaults) selects from it (see `selectRecorders`). */
  metrics: readonly MetricGroup[];
  /** The first fields of the row recorded after `step` updates, from the value `evaluate` returned. */
  row(step: number, value: number): RowFields & { step: number; loss: number };
  /**
   * Fingerprints of the data and the task's options the trajectory depends on (checked on `resume`); the
   * driver adds the optimizer's and the `record` option's.
   */
  fingerprint: Readonly<Record<string, string>>;
}

/** A run's common result fields (the driver's outcome). */
export type RunOutcome = TrainRunResult<RowFields>;

/** A prepared run and how its outcome (with rows of type `Row`) becomes the public result. */
export interface PreparedRun<R, Row = RowFields> {
  spec: TrainingSpec;
  finish(outcome: TrainRunResult<Row>): R;
}

/** One run in progress: `advance(k)` performs up to k steps and returns true once the run has ended. */
interface Run {
  advance(budget: number): boolean;
  outcome(): RunOutcome;
}

/** The sampler of the `batch` option over the problem's rows (null without `batch`). */
function batchSampler(spec: TrainingSpec): Sampler | null {
  const { fn, problem, common } = spec;
  const plan = common.batch;
  if (plan === null) return null;
  const rows = problem.rows;
  if (rows === undefined || problem.selectRows === undefined || problem.evaluateRecord === undefined) {
    throw new InvalidInputError(fn, 'batch', 'is not supported by this training loop');
  }
  if (plan.size > rows) {
    throw new InvalidInputError(
      fn,
      'batch.size',
      `must be at most the number of rows the objective averages over (${rows}), got ${plan.size}`,
    );
  }
  return createSampler(fn, plan, rows);
}

function startRun(spec: TrainingSpec): Run {
  const { fn, param, problem, optimizer, common } = spec;
  const { recorders } = selectRecorders(fn, common.record.metrics, spec.metrics);
  const sampler = batchSampler(spec);
  const fingerprint: Record<string, string> = {
    ...spec.fingerprint,
    optimizer: describeOptimizer(optimizer),
    record: describe({ ...common.record, metrics: common.record.metrics ?? null }),
  };
  // Only with mini-batches, so the fingerprints (and states) of full-batch runs are as before.
  if (common.batch !== null) fingerprint.batch = describe({ ...common.batch });
  const evaluateRecord = problem.evaluateRecord;
  const { steps, at, signal, onDiverge, onProgress } = common;
  const theta = problem.params;
  const grad = problem.grad;
  const p = theta.length;
  const prev = new Float64Array(p);
  const info: GradientInfo = { step: 0, logScale: 0, lossScaled: 0 };
  let history: RowFields[] = [];
  let t = 0;
  let nextRecord = 0;
  let lastRecorded = -1;
  /** The row recorded only because the run was aborted at an unscheduled step (not part of the state). */
  let abortRow: RowFields | null = null;
  /** The recorders' states saved just before that row, else null (saved at the end). */
  let recorderStates: JsonValue[] | null = null;
  const saveRecorders = (): JsonValue[] => recorders.map((r) => (r.save ? r.save() : null));
  let stalledAt: number | null = null;
  let divergedAt: number | null = null;
  let status: TrainStatus = 'completed';
  let optState: unknown;

  if (common.resume === undefined) {
    optState = optimizer.init(theta);
  } else {
    const saved = checkResume(fn, common.resume, {
      steps,
      size: p,
      fingerprint,
      recorders: recorders.length,
    });
    theta.set(saved.theta);
    optState = loadOptimizerState(fn, optimizer, theta, saved.optimizer);
    if (problem.load) problem.load(saved.problem);
    if (sampler !== null) sampler.load(saved.sampler);
    for (const [k, r] of recorders.entries()) r.load?.(saved.recorders[k]!);
    history = saved.history;
    t = saved.step;
    stalledAt = saved.stalledAt;
    divergedAt = saved.divergedAt;
    lastRecorded = history.length > 0 ? (history[history.length - 1]!.step as number) : -1;
    // The next scheduled step still to record: not before the resumed step, not one already recorded.
    while (nextRecord < at.length && (at[nextRecord]! < t || at[nextRecord]! <= lastRecorded)) nextRecord++;
  }

  const record = (step: number, value: number): RowFields => {
    const row = spec.row(step, value);
    for (const r of recorders) r.write(row, step);
    history.push(row);
    if (onProgress) {
      const logLoss = typeof row.logLoss === 'number' ? row.logLoss : Math.log(row.loss);
      onProgress({ step, steps, loss: row.loss, logLoss });
    }
    return row;
  };

  const diverge = (step: number, what: string, lastFinite: Float64Array): void => {
    divergedAt = step;
    status = 'diverged';
    if (onDiverge === 'throw') {
      throw new DivergedError(
        `${fn}: ${what} at step ${step} (lr too large for this loss/data?); the last finite ${param} is on the error`,
        step,
        Float64Array.from(lastFinite),
      );
    }
  };

  /** Divergence at step t when a loss value is not finite and ≥ 0; returns true if so. */
  const badLoss = (value: number): boolean => {
    if (value >= 0 && value < Number.POSITIVE_INFINITY) return false;
    diverge(t, `the loss became ${show(value)}`, theta);
    return true;
  };

  /**
   * The part of step t before the update: evaluate, record, stop or abort. Returns the value of the step's
   * objective for the update, or null when the run has ended.
   */
  const beforeUpdate =
    evaluateRecord === undefined
      ? (): number | null => {
          const value = problem.evaluate();
          if (badLoss(value)) return null;
          if (t === at[nextRecord]) {
            record(t, value);
            lastRecorded = t;
            nextRecord++;
          }
          if (t === steps) return null;
          if (signal?.aborted) {
            status = 'aborted';
            if (lastRecorded !== t) {
              // The extra row is not part of the schedule: the state keeps the recorders as they were before it.
              recorderStates = saveRecorders();
              abortRow = record(t, value);
            }
            return null;
          }
          return value;
        }
      : (): number | null => {
          if (t === at[nextRecord]) {
            const full = evaluateRecord();
            if (badLoss(full)) return null;
            record(t, full);
            lastRecorded = t;
            nextRecord++;
          }
          if (t === steps) return null;
          if (signal?.aborted) {
            status = 'aborted';
            if (lastRecorded !== t) {
              recorderStates = saveRecorders();
              abortRow = record(t, evaluateRecord());
            }
            return null;
          }
          if (sampler !== null) problem.selectRows!(sampler.indices, sampler.next());
          const value = problem.evaluate();
          return badLoss(value) ? null : value;
        };

  let done = false;
  const advance = (budget: number): boolean => {
    for (let k = 0; k < budget; k++) {
      const value = beforeUpdate();
      if (value === null) return (done = true);
      info.step = t;
      info.logScale = problem.logScale ? problem.logScale() : 0;
      info.lossScaled = value;
      copy(prev, theta);
      try {
        optimizer.update(theta, grad, optState, info);
      } catch (e) {
        // An optimizer may detect divergence itself (e.g. mirror descent leaving its potential's domain,
        // where θ can stay finite): route it through onDiverge like a non-finite θ.
        if (!(e instanceof DivergedError)) throw e;
        copy(theta, prev);
        diverge(t + 1, `the optimizer reported divergence (${e.message})`, prev);
        return (done = true);
      }
      if (!allFinite(theta)) {
        copy(theta, prev);
        diverge(t + 1, `${param} became non-finite`, prev);
        return (done = true);
      }
      if (stalledAt === null && sameValues(theta, prev, p)) stalledAt = t + 1;
      problem.afterUpdate?.();
      t++;
    }
    return done;
  };

  const outcome = (): RunOutcome => {
    const state: TrainState = {
      format: STATE_FORMAT,
      version: 1,
      fn,
      step: t,
      steps,
      status,
      stalledAt,
      divergedAt,
      theta: encodeVector(theta),
      optimizer: saveOptimizerState(optimizer, optState),
      problem: problem.save ? problem.save() : null,
      sampler: sampler === null ? null : sampler.save(),
      recorders: recorderStates ?? saveRecorders(),
      history: history.filter((row) => row !== abortRow).map((row, k) => encodeValue(row, `history[${k}]`)),
      fingerprint,
    };
    return { history, steps: t, status, divergedAt, stalledAt, state };
  };

  return { advance, outcome };
}

/** Runs the whole training loop synchronously. */
export function runTraining<R, Row>(prepared: PreparedRun<R, Row>): R {
  const run = startRun(prepared.spec);
  run.advance(Number.POSITIVE_INFINITY);
  return prepared.finish(run.outcome() as TrainRunResult<unknown> as TrainRunResult<Row>);
}

/** The work between two yields to the event loop, in milliseconds. */
const SLICE_MS = 16;

/** Yields to the event loop: timers (and `AbortSignal.timeout`) fire, pages stay responsive. */
let yieldToEventLoop: (() => Promise<void>) | undefined;

function makeYield(): () => Promise<void> {
  const g = globalThis as unknown as {
    setImmediate?: (f: () => void) => unknown;
    MessageChannel?: new () => {
      port1: { onmessage: ((event: unknown) => void) | null };
      port2: { postMessage(message: unknown): void };
    };
  };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return () => new Promise((resolve) => setImmediate(resolve));
  }
  if (typeof g.MessageChannel === 'function') {
    // A message is a task: unlike setTimeout(0), it is not clamped to 4 ms after a few nested calls.
    const channel = new g.MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs the training loop in slices of about 16 ms of work, yielding to the event loop between slices, so
 * timers fire and an abort from outside (`AbortSignal.timeout`, a button) is seen before the next update.
 * The number of steps per slice adapts to the measured time per step.
 */
export async function runTrainingAsync<R, Row>(prepared: PreparedRun<R, Row>): Promise<R> {
  const run = startRun(prepared.spec);
  yieldToEventLoop ??= makeYield();
  let budget = 1;
  for (;;) {
    const start = performance.now();
    if (run.advance(budget)) break;
    const elapsed = performance.now() - start;
    // Aim at SLICE_MS per slice; grow at most 8× at once (the first steps may be unrepresentative).
    budget =
      elapsed <= 0
        ? budget * 8
        : Math.max(1, Math.min(budget * 8, Math.floor((budget * SLICE_MS) / elapsed)));
    await yieldToEventLoop();
  }
  return prepared.finish(run.outcome() as TrainRunResult<unknown> as TrainRunResult<Row>);
}
