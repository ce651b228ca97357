/**
 * The mini-batch sampler of the training driver (the `batch` option): which rows each step's objective
 * reads. Internal.
 *
 * - `'epoch'`: each epoch visits every row once, in an order shuffled at the start of the epoch; batches are
 *   consecutive slices of that order, the last one of an epoch holding the n mod size rows left (PyTorch's
 *   `DataLoader(shuffle=True)` without `drop_last`). The shuffle is Fisher–Yates (Durstenfeld) on the identity
 *   0 … n − 1: for i = n − 1 down to 1, swap entries i and j = rng.int(i + 1); every epoch starts again from
 *   the identity, so an epoch's order depends only on the generator's state at its start.
 * - `'replacement'`: each batch is `size` rows drawn independently and uniformly with replacement
 *   (rng.int(n) each), so a row may appear twice in a batch.
 * - `'none'`: the rows in order, epoch after epoch, without shuffling (last batch of an epoch as for
 *   `'epoch'`); with size = n every batch is the whole set in order.
 *
 * The generator is `createRng(batch.seed, RNG_STREAMS.batch)`. Its state — xoroshiro128+'s 128 bits and its
 * position in the epoch — is the sampler's resumable state (the epoch's order is rebuilt from the state
 * saved at the epoch's start, O(n) once on resume). A step costs O(size): the shuffle is O(n) once per epoch,
 * O(size) per batch on average.
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../../errors/index.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import type { RngState } from '../../rng/types.js';
import type { JsonValue } from '../../util/json.js';
import { checkKnownKeys, checkNumber, checkObject, checkOneOf, show } from '../../util/validate.js';

/** How a mini-batch is drawn. */
export type BatchSampling = 'epoch' | 'replacement' | 'none';

/** The `batch` option of every training loop. */
export interface BatchOptions {
  /** Rows per batch: an integer in [1, n]. */
  size: number;
  /** `'epoch'` (default), `'replacement'` or `'none'` (rows in order). */
  sampling?: BatchSampling;
  /** Seed of the sampler's generator (an integer; default the run's `seed`). */
  seed?: number;
}

/** The `batch` option, checked (except size ≤ n, which the driver checks against the problem's rows). */
export interface BatchPlan {
  readonly size: number;
  readonly sampling: BatchSampling;
  readonly seed: number;
}

const SAMPLINGS: readonly BatchSampling[] = ['epoch', 'replacement', 'none'];

/** Checks the `batch` option (undefined: full batch, null returned); `seed` is the run's seed (its default). */
export function checkBatch(fn: string, batch: unknown, seed: number): BatchPlan | null {
  if (batch === undefined) return null;
  const b = checkObject(fn, 'batch', batch, false);
  checkKnownKeys(`${fn}: batch`, b, ['size', 'sampling', 'seed']);
  const size = checkNumber(fn, 'batch.size', b.size, { integer: true, min: 1 });
  const sampling =
    b.sampling === undefined ? 'epoch' : checkOneOf(fn, 'batch.sampling', b.sampling, SAMPLINGS);
  const s = b.seed === undefined ? seed : checkNumber(fn, 'batch.seed', b.seed, { integer: true });
  if (!Number.isSafeInteger(s)) {
    throw new InvalidInputError(fn, 'batch.seed', `must be a safe integer, got ${show(s)}`);
  }
  return Object.freeze({ size, sampling, seed: s });
}

/** A sampler: `next()` writes the next batch's rows into `indices` and returns how many there are. */
export interface Sampler {
  /** The rows of the last batch drawn, in `indices[0 … count)`. */
  readonly indices: Int32Array;
  /** Draws the next batch; returns its row count (size, or fewer at the end of an epoch). */
  next(): number;
  /** The sampler's state as JSON. */
  save(): JsonValue;
  /** Restores what `save` returned (INVALID_INPUT naming `resume.sampler` otherwise). */
  load(saved: JsonValue): void;
}

/** The sampler of `plan` over n rows (the caller has checked 1 ≤ plan.size ≤ n). */
export function createSampler(fn: string, plan: BatchPlan, n: number): Sampler {
  const { size, sampling } = plan;
  const rng = createRng(plan.seed, RNG_STREAMS.batch);
  const indices = new Int32Array(size);
  const order = sampling === 'replacement' ? new Int32Array(0) : new Int32Array(n);
  for (let i = 0; i < order.length; i++) order[i] = i;
  /** Rows of the current epoch already used (epoch and none). */
  let pos = 0;
  /** The generator's state before the current epoch's shuffle (epoch, pos > 0). */
  let epochStart: RngState = rng.state();

  const shuffle = (): void => {
    epochStart = rng.state();
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  };

  const next = (): number => {
    if (sampling === 'replacement') {
      for (let k = 0; k < size; k++) indices[k] = rng.int(n);
      return size;
    }
    if (pos === 0 && sampling === 'epoch') shuffle();
    const m = Math.min(size, n - pos);
    for (let k = 0; k < m; k++) indices[k] = order[pos + k]!;
    pos += m;
    if (pos === n) pos = 0;
    return m;
  };

  const bad = (what: string): never => {
    throw new InvalidInputError(fn, 'resume.sampler', what);
  };

  return {
    indices,
    next,
    save(): JsonValue {
      // At an epoch boundary the next shuffle has not been drawn: the current state is the epoch's start.
      const state = sampling === 'epoch' && pos > 0 ? epochStart : rng.state();
      return { sampling, pos, rng: { words: [...state.words], spare: state.spare } };
    },
    load(saved: JsonValue): void {
      const s = saved as { sampling?: unknown; pos?: unknown; rng?: unknown } | null;
      if (typeof s !== 'object' || s === null || s.sampling !== sampling) {
        bad(`must be the state of a '${sampling}' sampler, got ${show(saved)}`);
      }
      const p = s!.pos;
      if (!Number.isInteger(p) || (p as number) < 0 || (p as number) >= Math.max(n, 1)) {
        bad(`.pos must be an integer in [0, ${n}), got ${show(p)}`);
      }
      try {
        rng.restore(s!.rng as RngState);
      } catch (e) {
        bad((e as Error).message);
      }
      pos = p as number;
      if (sampling === 'epoch' && pos > 0) shuffle();
    },
  };
}
