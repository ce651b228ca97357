/**
 * The pieces of a resumable training state: canonical descriptions and fingerprints of the data and options
 * a trajectory depends on, the optimizer state as JSON and back, and the check of a `resume` state against
 * the run about to continue it. Internal.
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../../errors/index.js';
import {
  decodeValue,
  decodeVector,
  encodeNumber,
  encodeValue,
  Fingerprint,
  hashVector,
  type JsonValue,
} from '../../util/json.js';
import { checkObject, show } from '../../util/validate.js';
import type { Optimizer } from '../optimizers/types.js';
import type { TrainState, TrainStatus } from './types.js';

/** The `format` tag of a {@link TrainState}. */
export const STATE_FORMAT = 'implicit-bias/train-state';

/** Arrays longer than this are described by their fingerprint rather than listed. */
const LIST_MAX = 16;

/**
 * Model properties that choose how a model computes, not what: a model that differs only in these (e.g.
 * `parallelLinear`'s thread count, whose results are bit-identical for every count) resumes the same run.
 */
const EXECUTION_KEYS = new Set(['threads', 'minWork']);

/**
 * A canonical one-line description of an option value: numbers exactly (−0, NaN and ±Infinity included),
 * strings quoted, object keys sorted, long arrays and typed arrays by fingerprint, functions by their
 * `description` property (set by the library's schedules) or else a fingerprint of their source text.
 */
export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(encodeNumber(v));
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') {
    const d = (v as { description?: unknown }).description;
    return typeof d === 'string' ? d : `function#${new Fingerprint().string(String(v)).digest()}`;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return `#${hashVector(Float64Array.from(v as unknown as ArrayLike<number>))}`;
  }
  if (Array.isArray(v)) {
    if (v.length > LIST_MAX && v.every((x) => typeof x === 'number')) return `#${hashVector(v)}`;
    return `[${v.map(describe).join(',')}]`;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${k}:${describe(o[k])}`)
      .join(',')}}`;
  }
  return typeof v;
}

/** A dataset's fingerprint: its shape and every entry of its arrays (X and y, or X and labels, …). */
export function describeData(data: object): string {
  const f = new Fingerprint();
  const o = data as Record<string, unknown>;
  for (const key of Object.keys(o).sort()) {
    const v = o[key];
    f.string(key);
    if (typeof v === 'number') f.double(v);
    else if (v instanceof Float64Array) f.doubles(v);
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      f.doubles(Float64Array.from(v as unknown as ArrayLike<number>));
    } else if (v !== undefined && typeof v !== 'function' && typeof v !== 'object') f.string(String(v));
  }
  return f.digest();
}

/** A model's description: its name and every own property that is not a function or an execution setting. */
export function describeModel(model: object): string {
  const o = model as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    if (typeof o[key] !== 'function' && !EXECUTION_KEYS.has(key)) fields[key] = o[key];
  }
  return describe(fields);
}

/** An optimizer's description: its name and validated options. */
export function describeOptimizer(optimizer: Optimizer<unknown>): string {
  return `${String(optimizer.name)}${describe(optimizer.options)}`;
}

/** The optimizer's state as JSON, or null with a reason when it is not plain data (see {@link Optimizer.saveState}). */
export function saveOptimizerState(
  optimizer: Optimizer<unknown>,
  state: unknown,
): { name: string; state: JsonValue; error?: string } {
  const name = String(optimizer.name);
  try {
    const saved = optimizer.saveState ? optimizer.saveState(state) : encodeValue(state, 'state');
    return { name, state: saved };
  } catch (e) {
    return { name, state: null, error: (e as Error).message };
  }
}

/** Copies the plain data `saved` into `target` (typed arrays in place, numbers and booleans by assignment). */
function assignInto(fn: string, target: unknown, saved: unknown, path: string): void {
  const bad = (what: string): never => {
    throw new InvalidInputError(fn, path, what);
  };
  if (target === null && saved === null) return;
  if (typeof target !== 'object' || target === null) bad(`does not match the optimizer's state`);
  const t = target as Record<string, unknown>;
  const s = saved as Record<string, unknown>;
  if (typeof s !== 'object' || s === null) bad(`must be an object, got ${show(saved)}`);
  for (const key of Object.keys(s)) {
    const cur = t[key];
    const value = s[key];
    if (cur instanceof Float64Array) {
      if (!(value instanceof Float64Array) || value.length !== cur.length) {
        bad(`.${key} must be a vector of length ${cur.length}`);
      }
      cur.set(value as Float64Array);
    } else if (typeof cur === 'number' || typeof cur === 'boolean' || cur === null) {
      if (typeof value !== typeof cur && !(cur === null || value === null)) bad(`.${key} has the wrong type`);
      t[key] = value;
    } else if (typeof cur === 'object') {
      assignInto(fn, cur, value, `${path}.${key}`);
    } else {
      bad(`.${key} is not part of the optimizer's state`);
    }
  }
}

/** A fresh optimizer state for θ with the saved state restored into it. */
export function loadOptimizerState(
  fn: string,
  optimizer: Optimizer<unknown>,
  theta: Float64Array,
  saved: { name: string; state: JsonValue; error?: string },
): unknown {
  if (saved.error !== undefined) {
    throw new InvalidInputError(
      fn,
      'resume.optimizer',
      `holds no state: the optimizer's state could not be saved (${saved.error}); give the optimizer saveState/loadState`,
    );
  }
  if (optimizer.loadState) return optimizer.loadState(saved.state, theta);
  const state = optimizer.init(theta);
  let decoded: unknown;
  try {
    decoded = decodeValue(saved.state, 'resume.optimizer.state');
  } catch (e) {
    throw new InvalidInputError(fn, 'resume.optimizer.state', (e as Error).message);
  }
  assignInto(fn, state, decoded, 'resume.optimizer.state');
  return state;
}

/** A `resume` option checked against the run that continues it. */
export interface CheckedResume {
  step: number;
  status: TrainStatus;
  theta: Float64Array;
  stalledAt: number | null;
  divergedAt: number | null;
  optimizer: { name: string; state: JsonValue; error?: string };
  problem: JsonValue;
  /** The mini-batch sampler's state (null without `batch`). */
  sampler: JsonValue;
  recorders: readonly JsonValue[];
  history: Record<string, unknown>[];
}

const nullableStep = (v: unknown): boolean => v === null || (Number.isInteger(v) && (v as number) >= 0);

/**
 * Checks a `resume` state: its format, that it comes from `fn`, that its fingerprint equals the run's
 * (else `INVALID_INPUT` naming every component that differs), that it did not diverge, that `steps` (the
 * total) is at least its step, and the shapes of its parts.
 */
export function checkResume(
  fn: string,
  raw: unknown,
  run: { steps: number; size: number; fingerprint: Readonly<Record<string, string>>; recorders: number },
): CheckedResume {
  const s = checkObject(fn, 'resume', raw, false) as Partial<Record<keyof TrainState, unknown>>;
  if (s.format !== STATE_FORMAT || s.version !== 1) {
    throw new InvalidInputError(
      fn,
      'resume',
      `must be the state of a training run (result.state, format '${STATE_FORMAT}', version 1), got format ${show(s.format)}, version ${show(s.version)}`,
    );
  }
  if (s.fn !== fn)
    throw new InvalidInputError(fn, 'resume', `is the state of a ${show(s.fn)} run, not of ${fn}`);
  const saved = checkObject(fn, 'resume.fingerprint', s.fingerprint, false);
  const keys = [...new Set([...Object.keys(run.fingerprint), ...Object.keys(saved)])];
  const differs = keys.filter((k) => saved[k] !== run.fingerprint[k]);
  if (differs.length > 0) {
    const detail = differs
      .map((k) => {
        const a = saved[k];
        const b = run.fingerprint[k];
        const short = (x: unknown) => (typeof x === 'string' && x.length <= 80 ? x : '…');
        return `${k} (saved ${short(a)}, now ${short(b)})`;
      })
      .join('; ');
    throw new InvalidInputError(
      fn,
      'resume',
      `was saved with other data or options; what differs: ${detail}. Resume with the data and options of the run that saved it`,
    );
  }
  const step = s.step;
  if (!Number.isInteger(step) || (step as number) < 0) {
    throw new InvalidInputError(fn, 'resume.step', `must be an integer >= 0, got ${show(step)}`);
  }
  if ((step as number) > run.steps) {
    throw new InvalidInputError(
      fn,
      'steps',
      `must be at least the resumed state's step ${step} (steps is the total, not the number still to run), got ${run.steps}`,
    );
  }
  if (s.status === 'diverged') {
    throw new InvalidInputError(
      fn,
      'resume',
      `is the state of a run that diverged at step ${show(s.divergedAt)}; it cannot be resumed`,
    );
  }
  if (s.status !== 'completed' && s.status !== 'aborted') {
    throw new InvalidInputError(
      fn,
      'resume.status',
      `must be 'completed' or 'aborted', got ${show(s.status)}`,
    );
  }
  const theta = decodeVector(s.theta, run.size);
  if (theta === null) {
    throw new InvalidInputError(fn, 'resume.theta', `must be ${run.size} numbers, got ${show(s.theta)}`);
  }
  if (!nullableStep(s.stalledAt) || !nullableStep(s.divergedAt)) {
    throw new InvalidInputError(fn, 'resume', 'stalledAt and divergedAt must be null or steps');
  }
  const optimizer = checkObject(fn, 'resume.optimizer', s.optimizer, false) as CheckedResume['optimizer'];
  if (!Array.isArray(s.recorders) || s.recorders.length !== run.recorders) {
    throw new InvalidInputError(
      fn,
      'resume.recorders',
      `must be an array of ${run.recorders} entries, got ${show(s.recorders)}`,
    );
  }
  if (!Array.isArray(s.history)) {
    throw new InvalidInputError(fn, 'resume.history', `must be an array of rows, got ${show(s.history)}`);
  }
  let history: Record<string, unknown>[];
  try {
    history = s.history.map((row, k) => decodeValue(row, `resume.history[${k}]`) as Record<string, unknown>);
  } catch (e) {
    throw new InvalidInputError(fn, 'resume.history', (e as Error).message);
  }
  let last = -1;
  for (const [k, row] of history.entries()) {
    const r = row?.step;
    if (typeof r !== 'number' || !(r > last) || r > (step as number)) {
      throw new InvalidInputError(
        fn,
        `resume.history[${k}].step`,
        `must increase and be <= ${step}, got ${show(r)}`,
      );
    }
    last = r;
  }
  return {
    step: step as number,
    status: s.status,
    theta,
    stalledAt: s.stalledAt as number | null,
    divergedAt: s.divergedAt as number | null,
    optimizer,
    problem: (s.problem ?? null) as JsonValue,
    sampler: (s.sampler ?? null) as JsonValue,
    recorders: s.recorders as JsonValue[],
    history,
  };
}
