import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { createRng, RNG_STREAMS } from '../rng/createRng.js';
import { normalVector } from '../rng/normalVector.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { meanOne } from '../weights/recipes.js';
import type { Band, Experiment, ExperimentOptions } from './types.js';

/** The validated common options of an experiment. */
export interface Resolved {
  seeds: number[];
  steps: number;
  tick: () => void;
  total: (units: number) => void;
  signal: AbortSignal | undefined;
  cache: Map<string, unknown> | undefined;
}

const KEYS = ['seeds', 'steps', 'onProgress', 'signal', 'cache'];

/** Reads {@link ExperimentOptions} against an experiment's defaults. */
export function resolveOptions(
  fn: string,
  exp: Pick<Experiment, 'seeds' | 'steps'>,
  options: unknown,
): Resolved {
  const o = checkObject(fn, 'options', options) as ExperimentOptions & Record<string, unknown>;
  checkKnownKeys(fn, o, KEYS);
  let seeds: number[];
  if (o.seeds === undefined) seeds = range(exp.seeds);
  else if (typeof o.seeds === 'number')
    seeds = range(checkNumber(fn, 'seeds', o.seeds, { integer: true, min: 1 }));
  else if (Array.isArray(o.seeds) && o.seeds.length > 0) {
    seeds = o.seeds.map((s, k) => checkNumber(fn, `seeds[${k}]`, s, { integer: true }));
  } else {
    throw new InvalidInputError(
      fn,
      'seeds',
      `must be a count ≥ 1 or a non-empty array of integers, got ${show(o.seeds)}`,
    );
  }
  let steps: number;
  if (o.steps === undefined || o.steps === 'default') steps = exp.steps.default;
  else if (o.steps === 'small') steps = exp.steps.small;
  else steps = checkNumber(fn, 'steps', o.steps, { integer: true, min: 1 });
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new InvalidInputError(fn, 'onProgress', `must be a function, got ${show(o.onProgress)}`);
  }
  if (o.cache !== undefined && !(o.cache instanceof Map)) {
    throw new InvalidInputError(fn, 'cache', `must be a Map, got ${show(o.cache)}`);
  }
  let done = 0;
  let units = 1;
  const signal = o.signal;
  return {
    seeds,
    steps,
    total: (u) => {
      units = u;
    },
    tick: () => {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      done++;
      o.onProgress?.(Math.min(done, units), units);
    },
    signal,
    cache: o.cache,
  };
}

export function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/** Memoizes `make()` under `key` in `cache` (when given). */
export function cached<T>(cache: Map<string, unknown> | undefined, key: string, make: () => T): T {
  if (cache === undefined) return make();
  if (cache.has(key)) return cache.get(key) as T;
  const value = make();
  cache.set(key, value);
  return value;
}

/** Mean, population std, min and max of `values` at `x`. */
export function band(x: number, values: readonly number[]): Band {
  const k = values.length;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / k;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { x, mean, std: Math.sqrt(ss / k), min, max };
}

/** Bands at each x of `xs` from per-seed traces (`traces[s][k]` is seed s's value at xs[k]). */
export function bands(xs: ArrayLike<number>, traces: readonly (readonly number[])[]): Band[] {
  const out: Band[] = [];
  for (let k = 0; k < xs.length; k++)
    out.push(
      band(
        xs[k]!,
        traces.map((t) => t[k]!),
      ),
    );
  return out;
}

/** Class weights: `factor` on the points labelled `label`, 1 elsewhere, scaled to mean 1. */
export function classWeights(data: Dataset, label: number, factor: number): Float64Array {
  const w = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) w[i] = data.y[i] === label ? factor : 1;
  return meanOne(w);
}

export const DEG = 180 / Math.PI;

/** The weight ratio written for a legend: 10 → "×10", 0.25 → "×1/4". */
export function ratioLabel(r: number): string {
  if (r >= 1) return `×${Number(r.toPrecision(3))}`;
  return `×1/${Number((1 / r).toPrecision(3))}`;
}

/** Default seed count of the Figure 1a runs (figure1, figure2a, figure2b share them). */
export const FIGURE1A_SEEDS_DEFAULT = 10;

/** θ₀ = scale · N(0, I) from the same stream `trainWeighted` draws its default initialization from. */
export function scaledInit(seed: number, size: number, scale: number): Float64Array {
  const theta = normalVector(createRng(seed, RNG_STREAMS.init), size);
  for (let j = 0; j < size; j++) theta[j]! *= scale;
  return theta;
}

/** Standard deviation of the initialization on non-separable data (see figure3). */
export const SMALL_INIT = 0.1;
