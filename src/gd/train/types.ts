/**
 * Types shared by every training loop: the common options, the run status, the progress report and the
 * resumable state.
 * @packageDocumentation
 */
import type { JsonNumber, JsonValue } from '../../util/json.js';
import type { RecordSchedule } from './recordSteps.js';
import type { BatchOptions } from './sampler.js';

/** How a run ended. */
export type TrainStatus = 'completed' | 'aborted' | 'diverged';

/** What `onProgress` receives, at every recorded step. */
export interface TrainProgress {
  /** Updates performed. */
  step: number;
  /** The total number of updates asked for. */
  steps: number;
  /** The objective at `step`. */
  loss: number;
  /** Its logarithm, finite even where `loss` underflows to 0 (−Infinity at a zero loss). */
  logLoss: number;
}

/**
 * The resumable state of a training run (`result.state`): plain JSON — numbers, strings, arrays and objects
 * only — so `JSON.parse(JSON.stringify(state))` restores it exactly (the doubles −0, NaN and ±Infinity are
 * written as the strings '-0', 'NaN', 'Infinity', '-Infinity'). Pass it back as `resume` with the same data
 * and options and a total `steps` ≥ `step` to continue the run: the result is bit-identical to one
 * uninterrupted run (see the training loops' docs).
 */
export interface TrainState {
  /** Always 'implicit-bias/train-state'. */
  readonly format: 'implicit-bias/train-state';
  /** The state's layout version (1). */
  readonly version: 1;
  /** The training loop that wrote it ('trainWeighted', …). */
  readonly fn: string;
  /** Updates performed. */
  readonly step: number;
  /** The total `steps` of the run that wrote it (its recording schedule was laid over this total). */
  readonly steps: number;
  /** How that run ended: a 'completed' run can be extended, an 'aborted' one continued; 'diverged' ones cannot resume. */
  readonly status: TrainStatus;
  /** As on the result. */
  readonly stalledAt: number | null;
  /** As on the result. */
  readonly divergedAt: number | null;
  /** All parameters after `step` updates (for `trainLearnedWeights` (θ, ψ, b); for `trainMatrixFactorization` the factors). */
  readonly theta: readonly JsonNumber[];
  /** The optimizer's name and state (velocities, moments, step counts) as JSON. */
  readonly optimizer: { readonly name: string; readonly state: JsonValue };
  /** The objective's own state (e.g. the tail shift of the margin losses, the dropout generator), or null. */
  readonly problem: JsonValue;
  /**
   * The mini-batch sampler's state (`batch`): its generator's 128-bit state and its position in the epoch;
   * null for full-batch runs (and absent from states written before mini-batches existed).
   */
  readonly sampler?: JsonValue;
  /** The state each recorder carries between recorded steps (e.g. the sharpness warm start), or null. */
  readonly recorders: readonly JsonValue[];
  /** The history rows recorded on schedule so far (numbers as above; vectors as { f64: [...] }). */
  readonly history: readonly JsonValue[];
  /** Fingerprints of the data and of every option the trajectory depends on (not `steps`, `onProgress`, `signal`, `onDiverge`). */
  readonly fingerprint: Readonly<Record<string, string>>;
}

/** The options every training loop takes besides its data, model and optimizer. */
export interface CommonTrainOptions {
  /** The total number of updates (an integer ≥ 0); with `resume`, the total including the resumed ones. */
  steps: number;
  /** Seed of the default initialization (an integer, default 0), drawn from `createRng(seed, RNG_STREAMS.init)`. */
  seed?: number;
  /** Where to record (log-spaced by default; see `recordSteps`). */
  record?: RecordSchedule;
  /** Called at every recorded step; may call `abort()` on the controller of `signal`. */
  onProgress?: (progress: TrainProgress) => void;
  /**
   * Stops the run (status 'aborted', with a resumable `state`) when aborted; checked before every update. The
   * synchronous loops see it only when it is aborted before the call or from `onProgress`; the async twins
   * (`trainWeightedAsync`, …) yield to the event loop about every 16 ms, so timers such as
   * `AbortSignal.timeout(ms)` stop them too.
   */
  signal?: AbortSignal;
  /** On a non-finite loss or parameter: throw a DIVERGED error (default) or stop and report it. */
  onDiverge?: 'throw' | 'stop';
  /**
   * A `state` from an earlier run with the same data and options: continue from it (see {@link TrainState}).
   * Other data or options give `INVALID_INPUT` naming what differs.
   */
  resume?: TrainState;
  /**
   * Mini-batches: each step's objective is the mean over a batch B of rows instead of the whole set
   * (`trainWeighted`: (1/|B|) Σ_{i∈B} wᵢ ℓ(yᵢ f(θ, xᵢ)), an unbiased estimate of L(θ; w); the sum losses of
   * `trainRegression` and `trainMatrixFactorization` are scaled by n/|B| likewise). `size` rows (an integer in
   * [1, n]) drawn by `sampling`: `'epoch'` (default; reshuffled every epoch by Fisher–Yates, the last batch of
   * an epoch smaller when size does not divide n), `'replacement'`, or `'none'` (rows in order; with size = n
   * the same bits as full-batch steps). `seed` (default the run's `seed`) seeds the sampler's own stream.
   * Recorded metrics are always computed on the full training set. The sampler's state is part of `state`.
   */
  batch?: BatchOptions;
}

/** The fields every training result carries. */
export interface TrainRunResult<Row> {
  /** The recorded rows, in step order. */
  history: Row[];
  /** Number of updates performed (with `resume`, counted from the start of the run). */
  steps: number;
  status: TrainStatus;
  /** The step at which a non-finite value appeared (status 'diverged'), else null. */
  divergedAt: number | null;
  /** The first step whose update left the parameters bit-for-bit unchanged (below float64 resolution), else null. */
  stalledAt: number | null;
  /** The resumable state: pass it as `resume` to continue or extend the run. */
  state: TrainState;
}
