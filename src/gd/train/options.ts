/**
 * Option parsing shared by every training loop: the options object and its keys, the common options
 * (`steps`, `seed`, `record`, `onProgress`, `signal`, `onDiverge`, `resume`, `batch`), and the checks of options
 * several loops share (optimizer, regularization, reference, initial parameters). Internal.
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../../errors/index.js';
import { LOSS_ID } from '../../kernels/marginLoss.js';
import { norm2 } from '../../kernels/vector.js';
import type { MarginLoss } from '../../losses/types.js';
import type { Model } from '../../models/types.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import type { Rng } from '../../rng/types.js';
import {
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkOneOf,
  isArrayOrTypedArray,
  show,
  toFiniteVector,
} from '../../util/validate.js';
import type { Optimizer } from '../optimizers/types.js';
import { type RecordSchedule, recordSteps } from './recordSteps.js';
import { type BatchPlan, checkBatch } from './sampler.js';
import type { CommonTrainOptions } from './types.js';

/** The keys of {@link CommonTrainOptions}, accepted by every training loop. */
export const COMMON_KEYS = [
  'steps',
  'seed',
  'record',
  'onProgress',
  'signal',
  'onDiverge',
  'resume',
  'batch',
] as const satisfies readonly (keyof CommonTrainOptions)[];

/** The keys of `record` every loop accepts (the schedule). */
const RECORD_KEYS = ['scale', 'points', 'at'] as const;

/** The common options, checked. */
export interface CommonOptions {
  steps: number;
  seed: number;
  /** The `record` object (checked keys); its `metrics` are checked by the loop's metric table. */
  record: Record<string, unknown>;
  /** The sorted steps at which to record. */
  at: Int32Array;
  onProgress:
    | ((progress: { step: number; steps: number; loss: number; logLoss: number }) => void)
    | undefined;
  signal: AbortSignal | undefined;
  onDiverge: 'throw' | 'stop';
  /** The raw `resume` option (checked by the driver against the run's fingerprint). */
  resume: unknown;
  /** The `batch` option (mini-batches), or null for full-batch steps. */
  batch: BatchPlan | null;
}

/**
 * Checks that `options` is a plain object whose keys are the loop's own `keys` or the common ones, and
 * returns it.
 */
export function readTrainOptions(
  fn: string,
  options: unknown,
  keys: readonly string[],
): Record<string, unknown> {
  const opts = checkObject(fn, 'options', options, false);
  checkKnownKeys(fn, opts, [...keys, ...COMMON_KEYS]);
  return opts;
}

/**
 * Checks the common options; `recordKeys` are the loop's own keys of `record` besides the schedule
 * (`scale`, `points`, `at`), by default `metrics`.
 */
export function readCommonOptions(
  fn: string,
  opts: Record<string, unknown>,
  recordKeys: readonly string[] = ['metrics'],
): CommonOptions {
  const steps = checkNumber(fn, 'steps', opts.steps, { integer: true, min: 0 });
  const seed = opts.seed === undefined ? 0 : checkNumber(fn, 'seed', opts.seed, { integer: true });
  const record = checkObject(fn, 'record', opts.record);
  checkKnownKeys(`${fn}: record`, record, [...RECORD_KEYS, ...recordKeys]);
  const at = recordSteps(steps, record as RecordSchedule, fn);
  const onDiverge =
    opts.onDiverge === undefined ? 'throw' : checkOneOf(fn, 'onDiverge', opts.onDiverge, ['throw', 'stop']);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new InvalidInputError(fn, 'onProgress', `must be a function, got ${show(opts.onProgress)}`);
  }
  const signal = opts.signal;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || !('aborted' in signal))) {
    throw new InvalidInputError(fn, 'signal', `must be an AbortSignal, got ${show(signal)}`);
  }
  return {
    steps,
    seed,
    record,
    at,
    onProgress: opts.onProgress as CommonOptions['onProgress'],
    signal: signal as AbortSignal | undefined,
    onDiverge,
    resume: opts.resume,
    batch: checkBatch(fn, opts.batch, seed),
  };
}

/** The `optimizer` option: an object with `init`/`update` (default `fallback()`); `example` goes in the message. */
export function checkOptimizer(
  fn: string,
  optimizer: unknown,
  fallback: () => Optimizer<unknown>,
  example = 'gd({ lr: 0.1 })',
): Optimizer<unknown> {
  const o = optimizer === undefined ? fallback() : optimizer;
  if (typeof o !== 'object' || o === null || typeof (o as Optimizer<unknown>).update !== 'function') {
    throw new InvalidInputError(fn, 'optimizer', `must be an optimizer such as ${example}, got ${show(o)}`);
  }
  return o as Optimizer<unknown>;
}

/** The `regularization: { lambda, r }` option (λ ≥ 0, r > 0); λ = 0 without it. */
export function checkRegularization(fn: string, regularization: unknown): { lambda: number; r: number } {
  if (regularization === undefined) return { lambda: 0, r: 2 };
  const reg = checkObject(fn, 'regularization', regularization, false);
  checkKnownKeys(`${fn}: regularization`, reg, ['lambda', 'r']);
  const lambda = checkNumber(fn, 'regularization.lambda', reg.lambda, { min: 0 });
  const r = checkNumber(fn, 'regularization.r', reg.r, { min: 0, exclusiveMin: true });
  return { lambda, r };
}

/**
 * A reference direction for angle metrics: a vector of length `size`, or `{ theta, bias? }` as returned by
 * `hardMarginSVM` (with `withBias`, a theta of length size − 1 plus a finite bias is accepted: the bias is
 * appended). Must be nonzero.
 */
export function resolveReference(fn: string, ref: unknown, size: number, withBias = true): Float64Array {
  let v: Float64Array;
  if (isArrayOrTypedArray(ref)) {
    v = toFiniteVector(fn, 'reference', ref, size);
  } else if (typeof ref === 'object' && ref !== null && 'theta' in ref) {
    const { theta, bias } = ref as { theta: unknown; bias?: unknown };
    if (!withBias) {
      v = toFiniteVector(fn, 'reference.theta', theta, size);
    } else {
      const t = toFiniteVector(fn, 'reference.theta', theta);
      if (t.length === size) v = t;
      else if (t.length === size - 1 && typeof bias === 'number' && Number.isFinite(bias)) {
        v = new Float64Array(size);
        v.set(t);
        v[size - 1] = bias;
      } else {
        throw new InvalidInputError(
          fn,
          'reference.theta',
          `must have length ${size} (model.size), or ${size - 1} with a finite bias, got length ${t.length}`,
        );
      }
    }
  } else {
    const shape = withBias ? '{ theta, bias }' : '{ theta }';
    throw new InvalidInputError(fn, 'reference', `must be a vector or ${shape}, got ${show(ref)}`);
  }
  if (norm2(v) === 0) throw new InvalidInputError(fn, 'reference', 'must be nonzero');
  return v;
}

/**
 * The initial parameters of a model: `init` (a finite vector of length `size`) when given, else
 * `draw(createRng(seed, RNG_STREAMS.init))`, which must return `size` entries.
 */
export function initialParameters(
  fn: string,
  init: unknown,
  size: number,
  seed: number,
  draw: (rng: Rng) => Float64Array,
): Float64Array {
  const theta =
    init === undefined ? draw(createRng(seed, RNG_STREAMS.init)) : toFiniteVector(fn, 'init', init, size);
  if (theta.length !== size) {
    throw new InvalidInputError(
      fn,
      'model',
      `init returned length ${theta.length}, expected model.size = ${size}`,
    );
  }
  return theta;
}

/** The `model` (a `Model` with inputDim = d) and `loss` (`exponential` or `logistic`) options of a binary loop. */
export function checkModelAndLoss(fn: string, model: unknown, loss: unknown, d: number): void {
  const m = model as Model;
  if (typeof m !== 'object' || m === null || typeof m.objective !== 'function') {
    throw new InvalidInputError(fn, 'model', `must be a model such as linear(d), got ${show(model)}`);
  }
  if (m.inputDim !== d) {
    throw new InvalidInputError(fn, 'model', `expects inputDim = ${m.inputDim} but data has d = ${d}`);
  }
  const l = loss as MarginLoss;
  if (typeof l !== 'object' || l === null || (l.id !== LOSS_ID.exponential && l.id !== LOSS_ID.logistic)) {
    throw new InvalidInputError(fn, 'loss', `must be exponential or logistic, got ${show(loss)}`);
  }
}

/**
 * The `dropout` option: a rate p in [0, 1) (default 0). A positive rate needs a model with hidden units
 * (`model.hiddenUnits` > 0); returns { rate, units }, or null for no dropout (p = 0: exactly none).
 */
export function checkDropout(
  fn: string,
  dropout: unknown,
  model: { readonly name: string; readonly hiddenUnits?: number },
): { rate: number; units: number } | null {
  if (dropout === undefined) return null;
  const rate = checkNumber(fn, 'dropout', dropout, { min: 0, max: 1, exclusiveMax: true });
  if (rate === 0) return null;
  const units = model.hiddenUnits ?? 0;
  if (!(Number.isInteger(units) && units > 0)) {
    throw new InvalidInputError(
      fn,
      'dropout',
      `needs a model with hidden units (e.g. mlp({ widths: [d, h, 1] })), but ${show(model.name)} has none; got dropout ${show(dropout)}`,
    );
  }
  return { rate, units };
}
