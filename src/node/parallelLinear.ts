import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError, SolverFailedError } from '../errors/index.js';
import { loadMarginBatch, type MarginBatch, marginBatch } from '../kernels/batch.js';
import { CACHE_RESIDENT_MAX } from '../kernels/linear.js';
import { LOSS_ID } from '../kernels/marginLoss.js';
import { type LinearModel, linear } from '../models/linear.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { serveLinear } from './linearWorker.js';
import {
  BASE,
  CHUNKS,
  type ChunkViews,
  COMPLETED,
  chunkParts,
  chunkRows,
  completeChunk,
  ERROR,
  LOAD,
  LOSS,
  N,
  NEXT,
  type PassSettings,
  RUN,
  runChunk,
  type SharedBuffers,
  STREAMING,
  sharedViews,
  takeChunk,
  WORKER_TAG,
  type WorkerInit,
} from './protocol.js';
import { allIdle, command, errorReport, type Pool, startPool, stopPool } from './workerPool.js';

/** Options of {@link parallelLinear}. */
export interface ParallelLinearOptions {
  /** Append an intercept θ_d, as in `linear(d, { bias: true })` (default false). */
  bias?: boolean;
  /** Threads per pass, the calling thread included: an integer ≥ 1 (default min(os.availableParallelism(), 4)). */
  threads?: number;
  /** Use the worker threads only when n·d ≥ minWork (default 2¹⁶ = 65 536: every pass of more than one chunk). */
  minWork?: number;
}

/** The linear model of {@link parallelLinear}: a {@link LinearModel} whose fused pass can use worker threads. */
export interface ParallelLinearModel extends LinearModel {
  /** Threads per pass (the calling thread included). */
  readonly threads: number;
  /** The n·d from which a pass uses the worker threads. */
  readonly minWork: number;
  /** Stops the worker threads. The model keeps working, on the calling thread only. Idempotent. */
  close(): void;
  /** Same as {@link ParallelLinearModel.close}, for `using model = parallelLinear(d)` (TypeScript ≥ 5.2). */
  [Symbol.dispose](): void;
}

const FN = 'parallelLinear';

/**
 * Passes with fewer elements run on the calling thread. A chunk holds at least 2¹⁶ elements, so this
 * default sends every pass of more than one chunk to the workers: on the 2-core machine of
 * docs/benchmarks.md two threads were already ~1.4× faster than one at n·d = 10⁵ (n = 1000, d = 100). A
 * worker wakes in tens of µs, and as chunks are taken from a shared counter the calling thread never
 * waits for a worker that has not started.
 */
const DEFAULT_MIN_WORK = 1 << 16;

/**
 * Chunk storage for one dataset size n: partial gradients and losses (per chunk), plus, when shared with
 * the workers, the shared copies of the data.
 */
interface Plan {
  readonly n: number;
  readonly chunks: number;
  /** The per-chunk gradients and losses; with `shared`, also the shared copies of X, y, c and the margins. */
  readonly views: Pick<ChunkViews, 'losses' | 'parts'> & Partial<ChunkViews>;
  readonly shared: boolean;
  /** Per pass: 1 for the chunks this thread ran (their margins are already in place). */
  readonly mine: Uint8Array;
  /** The arrays whose rows are in the shared X and y now (identity). */
  srcX: Float64Array | null;
  srcY: Float64Array | null;
}

/** One model's settings and its mutable worker state. */
interface ModelState {
  readonly d: number;
  /** θ carries an intercept θ_d. */
  readonly bias: boolean;
  /** d, or d + 1 with the intercept. */
  readonly p: number;
  readonly rows: number;
  readonly threads: number;
  readonly minWork: number;
  pool: Pool | null;
  plan: Plan | null;
  closed: boolean;
}

function isWorkerInit(value: unknown): value is WorkerInit {
  return typeof value === 'object' && value !== null && (value as { tag?: unknown }).tag === WORKER_TAG;
}

/** This module's own file: the entry of the worker threads (dist/node.js, dist/node.cjs or the .ts source). */
function selfFile(): string {
  return fileURLToPath(import.meta.url);
}

/** Stops the pool (if any) and forgets the shared plan, whose buffers belonged to it. */
function stopWorkers(state: ModelState): void {
  const current = state.pool;
  state.pool = null;
  if (state.plan?.shared) state.plan = null;
  if (current !== null) stopPool(current);
}

/** Stops the pool and throws the first worker's error report. */
function failWorkers(state: ModelState, pool: Pool): never {
  const report = errorReport(pool);
  stopWorkers(state);
  throw new SolverFailedError(`${FN}: a worker thread failed: ${report}`);
}

/** Waits until every worker is idle; throws the report of a worker that failed. */
function barrier(state: ModelState, pool: Pool): void {
  if (!allIdle(pool)) failWorkers(state, pool);
}

function ensurePool(state: ModelState): Pool {
  if (state.pool === null) {
    const { d, bias, rows } = state;
    state.pool = startPool(FN, { file: selfFile(), count: state.threads - 1, d, bias, rows });
  }
  return state.pool;
}

/** The calling thread's own chunk storage for n rows in K chunks (kept while n stays the same). */
function localPlan(state: ModelState, n: number, K: number): Plan {
  const { plan } = state;
  if (plan !== null && !plan.shared && plan.n === n) return plan;
  const views = { losses: new Float64Array(K), parts: chunkParts(new Float64Array(K * state.p), K, state.p) };
  state.plan = { n, chunks: K, views, shared: false, mine: new Uint8Array(K), srcX: null, srcY: null };
  return state.plan;
}

/**
 * The chunk storage shared with the workers for `data` in K chunks: new shared buffers (sent to every
 * worker with LOAD) when n changes, and a fresh copy of X and y when the dataset's arrays change.
 */
function sharedPlan(
  state: ModelState,
  pool: Pool,
  data: Pick<Dataset, 'X' | 'y' | 'n'>,
  K: number,
  streaming: boolean,
): Plan {
  const { n } = data;
  const { ctl } = pool;
  const { d, p } = state;
  let next = state.plan;
  if (next === null || !next.shared || next.n !== n) {
    const buffers: SharedBuffers = {
      X: new SharedArrayBuffer(8 * n * d),
      y: new SharedArrayBuffer(8 * n),
      c: new SharedArrayBuffer(8 * n),
      margins: new SharedArrayBuffer(8 * n),
      partial: new SharedArrayBuffer(8 * K * p),
      losses: new SharedArrayBuffer(8 * K),
    };
    next = {
      n,
      chunks: K,
      views: sharedViews(buffers, p),
      shared: true,
      mine: new Uint8Array(K),
      srcX: null,
      srcY: null,
    };
    barrier(state, pool);
    ctl[N] = n;
    ctl[CHUNKS] = K;
    ctl[STREAMING] = streaming ? 1 : 0;
    for (let w = 0; w < pool.workers.length; w++) {
      pool.ports[w]!.postMessage(buffers);
      command(pool, w, LOAD);
    }
    barrier(state, pool);
    state.plan = next;
  }
  if (next.srcX !== data.X || next.srcY !== data.y) {
    // Every worker is idle between passes, so the copies can be rewritten in place.
    next.views.X!.set(data.X);
    next.views.y!.set(data.y);
    next.srcX = data.X;
    next.srcY = data.y;
  }
  return next;
}

/** grad = Σₖ partₖ and the return value Σₖ lossₖ, both in chunk order (a fixed rounding). */
function reduce(grad: Float64Array, plan: Plan, p: number): number {
  const { parts, losses } = plan.views;
  const first = parts[0]!;
  for (let j = 0; j < p; j++) grad[j] = first[j]!;
  let value = losses[0]!;
  for (let k = 1; k < plan.chunks; k++) {
    const part = parts[k]!;
    for (let j = 0; j < p; j++) grad[j]! += part[j]!;
    value += losses[k]!;
  }
  return value;
}

/**
 * A pass of K chunks shared with the workers (see protocol.ts): publish c, θ and the shift, start the
 * workers, take chunks on this thread too (on the caller's own arrays, writing margins in place), wait for
 * the workers' chunks and copy their margins, then sum the chunks in order.
 */
function parallelPass(
  state: ModelState,
  pass: PassSettings,
  K: number,
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
): number {
  const { n, c } = batch;
  const { rows } = pass;
  const pool = ensurePool(state);
  const { ctl } = pool;
  const shared = sharedPlan(state, pool, batch, K, pass.streaming);
  if (ctl[LOSS] !== pass.loss) {
    barrier(state, pool);
    ctl[LOSS] = pass.loss;
  }
  // Per pass, before BASE is published (see protocol.ts): the weights, θ and the shift. Plain loops,
  // so a pass allocates nothing.
  const sc = shared.views.c!;
  for (let i = 0; i < n; i++) sc[i] = c[i]!;
  const ts = pool.thetaShift;
  const { p } = state;
  for (let j = 0; j < p; j++) ts[j] = theta[j]!;
  ts[p] = pass.shift;
  Atomics.store(ctl, COMPLETED, 0);
  const base = Atomics.load(ctl, NEXT);
  Atomics.store(ctl, BASE, base);
  for (let w = 0; w < pool.workers.length; w++) command(pool, w, RUN);
  const { mine } = shared;
  const { parts, losses } = shared.views;
  mine.fill(0);
  for (let k = takeChunk(ctl, base, K); k >= 0; k = takeChunk(ctl, base, K)) {
    losses[k] = runChunk(parts[k]!, margins, theta, batch, pass, k);
    mine[k] = 1;
    completeChunk(ctl, K);
  }
  // Wait for the chunks the workers took (never for a worker that took none).
  for (;;) {
    const done = Atomics.load(ctl, COMPLETED);
    if (Atomics.load(ctl, ERROR) !== 0) failWorkers(state, pool);
    if (done === K) break;
    Atomics.wait(ctl, COMPLETED, done, 1000);
  }
  const sm = shared.views.margins!;
  for (let k = 0; k < K; k++) {
    if (mine[k] === 1) continue;
    const end = Math.min(n, (k + 1) * rows);
    for (let i = k * rows; i < end; i++) margins[i] = sm[i]!;
  }
  return reduce(grad, shared, p);
}

/**
 * The model's fused pass: one chunk is exactly `linear(d)`'s pass; more go through {@link parallelPass}
 * with worker threads, or run on the calling thread chunk by chunk.
 */
function passObjective(state: ModelState): LinearModel['objective'] {
  const pass: PassSettings = {
    bias: state.bias,
    loss: LOSS_ID.exponential,
    shift: 0,
    streaming: false,
    rows: state.rows,
  };
  // The kernel's view of (data, c), pointed at each call's arrays.
  const batch = marginBatch(state.d);
  return (grad, theta, data, c, loss, shift, margins) => {
    const { n } = data;
    pass.loss = loss.id;
    pass.shift = shift;
    pass.streaming = n * state.d > CACHE_RESIDENT_MAX;
    loadMarginBatch(batch, data, c);
    // One chunk: exactly linear(d)'s pass.
    if (n <= state.rows) return runChunk(grad, margins, theta, batch, pass, 0);
    const K = Math.ceil(n / state.rows);
    if (!state.closed && state.threads > 1 && n * state.d >= state.minWork) {
      return parallelPass(state, pass, K, grad, margins, theta, batch);
    }
    // The calling thread alone (closed model, one thread, or n·d < minWork).
    const local = localPlan(state, n, K);
    const { parts, losses } = local.views;
    for (let k = 0; k < K; k++) losses[k] = runChunk(parts[k]!, margins, theta, batch, pass, k);
    return reduce(grad, local, state.p);
  };
}

/**
 * The linear model of {@link linear} (same θ layout, same `init` and `predict`) whose fused pass
 * (`objective`) splits the rows between the calling thread and worker threads. Node only: import it from
 * `implicit-bias/node`. It is a drop-in `model` for `trainWeighted`, which stays synchronous: the calling
 * thread runs its share of the rows, then waits for the workers with `Atomics.wait`.
 *
 * How a pass is split: the rows go in fixed chunks of about 2¹⁶ doubles of X (the chunk size depends on d
 * only). The threads take chunks one at a time from a shared counter, so a busy core only slows the pass
 * by the chunks it holds; each chunk's gradient and loss are kept apart and summed in chunk order at the
 * end. So the result is deterministic and bit-identical whatever `threads`, `minWork` and the scheduling
 * are, and for n up to one chunk it is bit-identical to `linear(d)`; beyond that it agrees with
 * `linear(d)` to rounding (the summation is grouped differently).
 *
 * Memory and data: the first parallel pass starts the worker threads (tens of ms, once) and copies X and y
 * into shared memory (n·d + n doubles, once per dataset); the weights `c` and θ are copied on every pass
 * (n + p doubles, small next to the n·d pass). Only the last dataset is kept, so alternating between two
 * datasets copies again each time. Datasets are taken as immutable: a new `X`/`y` array is seen (by
 * identity), an in-place change of the same array is not. Passes with n·d < `minWork` run on the
 * calling thread alone.
 *
 * Workers are `unref`'d: they never keep the process alive. `close()` (or `using`) stops them; the model
 * then keeps working on the calling thread. Bundlers: the worker threads load this package's
 * `dist/node.js` (or `.cjs`) file itself, so keep `implicit-bias/node` as an external file.
 *
 * @param d - input dimension, a positive integer
 * @param options - `{ bias, threads, minWork }`, see {@link ParallelLinearOptions}
 * @example
 * import { trainWeighted } from 'implicit-bias';
 * import { parallelLinear } from 'implicit-bias/node';
 * const model = parallelLinear(100); // or, in TypeScript ≥ 5.2: `using model = parallelLinear(100);`
 * try {
 *   const result = trainWeighted({ data, model, steps: 1000 }); // data: a Dataset with d = 100
 * } finally {
 *   model.close();
 * }
 */
export function parallelLinear(d: number, options?: ParallelLinearOptions): ParallelLinearModel {
  checkNumber(FN, 'd', d, { integer: true, min: 1 });
  const opts = checkObject(FN, 'options', options);
  checkKnownKeys(FN, opts, ['bias', 'threads', 'minWork']);
  if (opts.bias !== undefined && typeof opts.bias !== 'boolean') {
    throw new InvalidInputError(FN, 'bias', `must be a boolean, got ${show(opts.bias)}`);
  }
  const threads =
    opts.threads === undefined
      ? Math.max(1, Math.min(availableParallelism(), 4))
      : checkNumber(FN, 'threads', opts.threads, { integer: true, min: 1, max: 256 });
  const minWork =
    opts.minWork === undefined ? DEFAULT_MIN_WORK : checkNumber(FN, 'minWork', opts.minWork, { min: 0 });
  const base = linear(d, { bias: opts.bias === true });
  const state: ModelState = {
    d,
    bias: base.bias,
    p: base.size,
    rows: chunkRows(d),
    threads,
    minWork,
    pool: null,
    plan: null,
    closed: false,
  };
  const close = (): void => {
    state.closed = true;
    stopWorkers(state);
    state.plan = null;
  };
  return Object.freeze({
    name: base.name,
    inputDim: base.inputDim,
    size: base.size,
    alpha: base.alpha,
    bias: base.bias,
    threads,
    minWork,
    init: base.init,
    predict: base.predict,
    objective: passObjective(state),
    close,
    [Symbol.dispose]: close,
  });
}

// A worker thread started by parallelLinear loads this very module as its entry and serves commands.
if (isWorkerInit(workerData)) serveLinear(workerData);
