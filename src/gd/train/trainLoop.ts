/**
 * The step loop shared by `trainWeighted` and `trainRegression`: evaluate, record, abort, update, detect
 * divergence and stalls. Not part of the public API (not re-exported).
 * @internal
 * @packageDocumentation
 */
import { DivergedError, InvalidInputError } from '../../errors/index.js';
import { sameValues } from '../../kernels/optimizers.js';
import { allFinite, copy } from '../../kernels/vector.js';
import { checkOneOf, show } from '../../util/validate.js';
import type { GradientInfo, Optimizer } from '../optimizers/types.js';

/** What a training loop plugs into {@link runTrainingLoop}. @internal */
export interface TrainingLoopSpec {
  /** The public function's name, for error messages. */
  fn: string;
  /** The parameter's name in messages ('θ', 'w'). */
  param: string;
  steps: number;
  /** The sorted steps at which to record (from `recordSteps`). */
  at: Int32Array;
  /** The parameters, updated in place. */
  theta: Float64Array;
  /** The gradient buffer that `evaluate` fills. */
  grad: Float64Array;
  optimizer: Optimizer<unknown>;
  signal: AbortSignal | undefined;
  onDiverge: 'throw' | 'stop';
  /** Evaluates the objective at θ: fills `grad` (scaled by e^{−logScale}) and returns the scaled loss. */
  evaluate(): number;
  /** `info.logScale` for the update that follows the last `evaluate` (0 unless the loss is rescaled). */
  logScale(): number;
  /** Records the state after `step` updates; `value` is what `evaluate` returned. */
  record(step: number, value: number): void;
  /** Called after every successful update. */
  afterUpdate?(): void;
}

/** How a run ended. @internal */
export interface TrainingLoopOutcome {
  /** Number of updates performed. */
  steps: number;
  status: 'completed' | 'aborted' | 'diverged';
  divergedAt: number | null;
  stalledAt: number | null;
}

/**
 * Runs up to `steps` updates. At every step t: evaluate (a loss that is not finite and ≥ 0 is divergence
 * at step t); record if t is scheduled; stop at t = steps; stop as 'aborted' if the signal is aborted
 * (recording t if not yet recorded); update; if θ is then non-finite, restore it and report divergence
 * at step t + 1; note the first update that left θ bit-for-bit unchanged (`stalledAt`). Divergence throws
 * `DIVERGED` (carrying the step and the last finite θ) unless `onDiverge` is 'stop'. Allocates nothing
 * per step beyond what `record` does.
 * @internal
 */
export function runTrainingLoop(spec: TrainingLoopSpec): TrainingLoopOutcome {
  const { fn, param, steps, at, theta, grad, optimizer, signal, onDiverge } = spec;
  const p = theta.length;
  const prev = new Float64Array(p);
  const state = optimizer.init(theta);
  const info: GradientInfo = { step: 0, logScale: 0, lossScaled: 0 };
  let nextRecord = 0;
  let lastRecorded = -1;
  let stalledAt: number | null = null;
  let status: TrainingLoopOutcome['status'] = 'completed';
  let divergedAt: number | null = null;

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

  let t = 0;
  for (t = 0; ; t++) {
    const value = spec.evaluate();
    if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) {
      diverge(t, `the loss became ${show(value)}`, theta);
      break;
    }
    if (t === at[nextRecord]) {
      spec.record(t, value);
      lastRecorded = t;
      nextRecord++;
    }
    if (t === steps) break;
    if (signal?.aborted) {
      status = 'aborted';
      if (lastRecorded !== t) spec.record(t, value);
      break;
    }
    info.step = t;
    info.logScale = spec.logScale();
    info.lossScaled = value;
    copy(prev, theta);
    try {
      optimizer.update(theta, grad, state, info);
    } catch (e) {
      // An optimizer may detect divergence itself (e.g. mirror descent leaving its potential's domain,
      // where θ can stay finite): route it through onDiverge like a non-finite θ.
      if (!(e instanceof DivergedError)) throw e;
      copy(theta, prev);
      diverge(t + 1, `the optimizer reported divergence (${e.message})`, prev);
      break;
    }
    if (!allFinite(theta)) {
      copy(theta, prev);
      diverge(t + 1, `${param} became non-finite`, prev);
      break;
    }
    if (stalledAt === null) {
      if (sameValues(theta, prev, p)) stalledAt = t + 1;
    }
    spec.afterUpdate?.();
  }
  return { steps: t, status, divergedAt, stalledAt };
}

/**
 * Validates `record.metrics` (default `defaults`) against the known names; returns them as a set.
 * Shared by trainWeighted and trainRegression.
 */
export function checkMetrics<M extends string>(
  fn: string,
  list: unknown,
  defaults: readonly M[],
  known: readonly M[],
): Set<M> {
  const metricList = list === undefined ? defaults : list;
  if (!Array.isArray(metricList)) {
    throw new InvalidInputError(
      fn,
      'record.metrics',
      `must be an array of metric names, got ${show(metricList)}`,
    );
  }
  return new Set<M>(metricList.map((m, k) => checkOneOf(fn, `record.metrics[${k}]`, m, known)));
}
