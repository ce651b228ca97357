import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError, SolverFailedError } from '../errors/index.js';
import { CACHE_RESIDENT_MAX, linearObjectiveRows } from '../kernels/linear.js';
import type { MarginLoss } from '../losses/types.js';
import { type LinearModel, linear } from '../models/linear.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { serveLinear } from './linearWorker.js';
import {
  BASE,
  CHUNKS,
  CMD,
  COMPLETED,
  chunkRows,
  completeChunk,
  DONE,
  ERROR,
  EXIT,
  LOAD,
  LOSS,
  lineOf,
  N,
  NEXT,
  READY,
  RUN,
  SEQ,
  type SharedBuffers,
  SLOTS,
  STREAMING,
  takeChunk,
  WORKER_TAG,
  type WorkerInit,
} from './protocol.js';

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

/** How long the first parallel pass waits for the worker threads to start before giving up. */
const START_TIMEOUT_MS = 30_000;

interface Pool {
  readonly workers: Worker[];
  readonly ports: MessagePort[];
  readonly ctl: Int32Array;
  /** θ followed by the shift, read by every worker. */
  readonly thetaShift: Float64Array;
}

/** Chunk storage for one dataset size n: partial gradients and losses, plus the shared copies of the data. */
interface Plan {
  readonly n: number;
  readonly chunks: number;
  readonly shared: boolean;
  readonly losses: Float64Array;
  readonly parts: Float64Array[];
  /** Per pass: 1 for the chunks this thread ran (their margins are already in place). */
  readonly mine: Uint8Array;
  /** Shared copies of the data, read by the workers; null when not shared. */
  readonly X: Float64Array | null;
  readonly y: Float64Array | null;
  readonly c: Float64Array | null;
  readonly margins: Float64Array | null;
  /** The arrays whose rows are in X and y now (identity). */
  srcX: Float64Array | null;
  srcY: Float64Array | null;
}

function isWorkerInit(value: unknown): value is WorkerInit {
  return typeof value === 'object' && value !== null && (value as { tag?: unknown }).tag === WORKER_TAG;
}

/** This module's own file: the entry of the worker threads (dist/node.js, dist/node.cjs or the .ts source). */
function selfFile(): string {
  return fileURLToPath(import.meta.url);
}

function spawn(file: string, init: WorkerInit): Worker {
  const options = { workerData: init, transferList: [init.port] };
  if (file.endsWith('.ts')) {
    // Running from source (vitest, tsx): Node cannot load TypeScript in a worker by itself, so the worker
    // registers tsx's require hook first. The built package never takes this path.
    const req = `require('node:module').createRequire(${JSON.stringify(file)})`;
    return new Worker(`const r = ${req}; r('tsx/cjs/api').register(); r(${JSON.stringify(file)});`, {
      ...options,
      eval: true,
    });
  }
  return new Worker(file, options);
}

/** Blocks until ctl[index] === value or the deadline (ms since time origin) passes; false on timeout. */
function waitUntil(ctl: Int32Array, index: number, value: number, deadline: number): boolean {
  for (;;) {
    const current = Atomics.load(ctl, index);
    if (current === value) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    // Slices of at most 1 s: a missed notify can only delay, never hang.
    Atomics.wait(ctl, index, current, Math.min(left, 1000));
  }
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
  const b = base.bias ? 1 : 0;
  const p = d + b;
  const rows = chunkRows(d);

  let pool: Pool | null = null;
  let plan: Plan | null = null;
  let closed = false;

  const stopPool = (): void => {
    const current = pool;
    pool = null;
    if (plan?.shared) plan = null;
    if (current === null) return;
    current.workers.forEach((worker, w) => {
      const line = lineOf(w);
      Atomics.store(current.ctl, line + CMD, EXIT);
      Atomics.store(current.ctl, line + SEQ, (Atomics.load(current.ctl, line + SEQ) + 1) | 0);
      Atomics.notify(current.ctl, line + SEQ);
      current.ports[w]!.close();
      worker.terminate().catch(() => {});
    });
  };

  /** Stops the pool and throws the first worker's error report. */
  const fail = (current: Pool): never => {
    let report = 'no report';
    for (const port of current.ports) {
      const msg = receiveMessageOnPort(port);
      if (msg !== undefined) {
        report = String(msg.message);
        break;
      }
    }
    stopPool();
    throw new SolverFailedError(`${FN}: a worker thread failed: ${report}`);
  };

  const startPool = (): Pool => {
    const file = selfFile();
    if (!existsSync(file)) {
      throw new SolverFailedError(`${FN}: cannot start worker threads: ${file} does not exist`);
    }
    if (file.endsWith('.ts')) {
      try {
        createRequire(file).resolve('tsx/cjs/api');
      } catch {
        throw new SolverFailedError(
          `${FN}: running from the TypeScript source, worker threads need tsx (a devDependency); or use the built package`,
        );
      }
    }
    const count = threads - 1;
    const ctl = new Int32Array(new SharedArrayBuffer(4 * SLOTS * (count + 2)));
    const thetaShift = new Float64Array(new SharedArrayBuffer(8 * (p + 1)));
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    const started: Pool = { workers, ports, ctl, thetaShift };
    pool = started;
    for (let w = 0; w < count; w++) {
      const channel = new MessageChannel();
      const init: WorkerInit = {
        tag: WORKER_TAG,
        index: w,
        control: ctl.buffer as SharedArrayBuffer,
        theta: thetaShift.buffer as SharedArrayBuffer,
        port: channel.port2,
        d,
        bias: b,
        rows,
      };
      const worker = spawn(file, init);
      // A worker that cannot start shows up as the start timeout below, a failure inside a pass as ERROR;
      // the 'error' event itself (delivered later, on the event loop) must not crash the process.
      worker.on('error', () => {});
      worker.unref();
      channel.port1.unref();
      workers.push(worker);
      ports.push(channel.port1);
    }
    const deadline = performance.now() + START_TIMEOUT_MS;
    for (let w = 0; w < count; w++) {
      if (!waitUntil(ctl, lineOf(w) + READY, 1, deadline)) {
        stopPool();
        throw new SolverFailedError(
          `${FN}: worker thread ${w + 1} did not start within ${START_TIMEOUT_MS / 1000} s (entry ${file})`,
        );
      }
    }
    return started;
  };

  const command = (current: Pool, w: number, cmd: number): void => {
    const line = lineOf(w);
    Atomics.store(current.ctl, line + CMD, cmd);
    Atomics.store(current.ctl, line + SEQ, (Atomics.load(current.ctl, line + SEQ) + 1) | 0);
    Atomics.notify(current.ctl, line + SEQ);
  };

  /** Waits until every worker has finished its last command (they are then idle, blocked on SEQ). */
  const barrier = (current: Pool): void => {
    const { ctl } = current;
    for (let w = 0; w < current.workers.length; w++) {
      const line = lineOf(w);
      waitUntil(ctl, line + DONE, Atomics.load(ctl, line + SEQ), Number.POSITIVE_INFINITY);
    }
    if (Atomics.load(ctl, ERROR) !== 0) fail(current);
  };

  const partsOf = (partial: Float64Array, K: number): Float64Array[] => {
    const parts: Float64Array[] = [];
    for (let k = 0; k < K; k++) parts.push(partial.subarray(k * p, (k + 1) * p));
    return parts;
  };

  const localPlan = (n: number, K: number): Plan => {
    if (plan !== null && !plan.shared && plan.n === n) return plan;
    plan = {
      n,
      chunks: K,
      shared: false,
      losses: new Float64Array(K),
      parts: partsOf(new Float64Array(K * p), K),
      mine: new Uint8Array(K),
      X: null,
      y: null,
      c: null,
      margins: null,
      srcX: null,
      srcY: null,
    };
    return plan;
  };

  const sharedPlan = (current: Pool, data: Dataset, K: number, streaming: boolean): Plan => {
    const { n } = data;
    const { ctl } = current;
    let next = plan;
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
        shared: true,
        losses: new Float64Array(buffers.losses),
        parts: partsOf(new Float64Array(buffers.partial), K),
        mine: new Uint8Array(K),
        X: new Float64Array(buffers.X),
        y: new Float64Array(buffers.y),
        c: new Float64Array(buffers.c),
        margins: new Float64Array(buffers.margins),
        srcX: null,
        srcY: null,
      };
      barrier(current);
      ctl[N] = n;
      ctl[CHUNKS] = K;
      ctl[STREAMING] = streaming ? 1 : 0;
      for (let w = 0; w < current.workers.length; w++) {
        current.ports[w]!.postMessage(buffers);
        command(current, w, LOAD);
      }
      barrier(current);
      plan = next;
    }
    if (next.srcX !== data.X || next.srcY !== data.y) {
      // Every worker is idle between passes, so the copies can be rewritten in place.
      next.X!.set(data.X);
      next.y!.set(data.y);
      next.srcX = data.X;
      next.srcY = data.y;
    }
    return next;
  };

  /** grad = Σₖ partₖ and the return value Σₖ lossₖ, both in chunk order (a fixed rounding). */
  const reduce = (grad: Float64Array, current: Plan): number => {
    const first = current.parts[0]!;
    for (let j = 0; j < p; j++) grad[j] = first[j]!;
    let value = current.losses[0]!;
    for (let k = 1; k < current.chunks; k++) {
      const part = current.parts[k]!;
      for (let j = 0; j < p; j++) grad[j]! += part[j]!;
      value += current.losses[k]!;
    }
    return value;
  };

  const objective = (
    grad: Float64Array,
    theta: Float64Array,
    data: Dataset,
    c: Float64Array,
    loss: MarginLoss,
    shift: number,
    margins: Float64Array,
  ): number => {
    const { n } = data;
    const lossId = loss.id;
    const streaming = n * d > CACHE_RESIDENT_MAX;
    if (n <= rows) {
      // One chunk: exactly linear(d)'s pass.
      return linearObjectiveRows(
        grad,
        theta,
        data.X,
        data.y,
        c,
        0,
        n,
        d,
        b,
        lossId,
        shift,
        margins,
        streaming,
      );
    }
    const K = Math.ceil(n / rows);
    if (closed || threads === 1 || n * d < minWork) {
      const local = localPlan(n, K);
      for (let k = 0; k < K; k++) {
        const start = k * rows;
        local.losses[k] = linearObjectiveRows(
          local.parts[k]!,
          theta,
          data.X,
          data.y,
          c,
          start,
          Math.min(n, start + rows),
          d,
          b,
          lossId,
          shift,
          margins,
          streaming,
        );
      }
      return reduce(grad, local);
    }
    const current = pool ?? startPool();
    const { ctl } = current;
    const shared = sharedPlan(current, data, K, streaming);
    if (ctl[LOSS] !== lossId) {
      barrier(current);
      ctl[LOSS] = lossId;
    }
    // Per pass, before BASE is published (see protocol.ts): the weights, θ and the shift. Plain loops,
    // so a pass allocates nothing.
    const sc = shared.c!;
    for (let i = 0; i < n; i++) sc[i] = c[i]!;
    const ts = current.thetaShift;
    for (let j = 0; j < p; j++) ts[j] = theta[j]!;
    ts[p] = shift;
    Atomics.store(ctl, COMPLETED, 0);
    const base = Atomics.load(ctl, NEXT);
    Atomics.store(ctl, BASE, base);
    for (let w = 0; w < current.workers.length; w++) command(current, w, RUN);
    // This thread takes chunks too, on the caller's own arrays, writing margins in place.
    const { mine } = shared;
    mine.fill(0);
    for (let k = takeChunk(ctl, base, K); k >= 0; k = takeChunk(ctl, base, K)) {
      const start = k * rows;
      shared.losses[k] = linearObjectiveRows(
        shared.parts[k]!,
        theta,
        data.X,
        data.y,
        c,
        start,
        Math.min(n, start + rows),
        d,
        b,
        lossId,
        shift,
        margins,
        streaming,
      );
      mine[k] = 1;
      completeChunk(ctl, K);
    }
    // Wait for the chunks the workers took (never for a worker that took none).
    for (;;) {
      const done = Atomics.load(ctl, COMPLETED);
      if (Atomics.load(ctl, ERROR) !== 0) fail(current);
      if (done === K) break;
      Atomics.wait(ctl, COMPLETED, done, 1000);
    }
    const sm = shared.margins!;
    for (let k = 0; k < K; k++) {
      if (mine[k] === 1) continue;
      const end = Math.min(n, (k + 1) * rows);
      for (let i = k * rows; i < end; i++) margins[i] = sm[i]!;
    }
    return reduce(grad, shared);
  };

  const close = (): void => {
    closed = true;
    stopPool();
    plan = null;
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
    objective,
    close,
    [Symbol.dispose]: close,
  });
}

// A worker thread started by parallelLinear loads this very module as its entry and serves commands.
if (isWorkerInit(workerData)) serveLinear(workerData);
