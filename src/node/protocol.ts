/**
 * The shared-memory protocol between {@link parallelLinear} (main thread) and its worker threads.
 *
 * The control buffer is Int32 slots in lines of 16 (64 bytes, so that slots written by different threads
 * never share a cache line without need):
 * - line 0, the counters of the current pass: {@link NEXT}, {@link COMPLETED}, {@link ERROR};
 * - line 1, the parameters of the current pass, written by the main thread only;
 * - line w + 2, worker w's command slots.
 *
 * A pass is scheduled dynamically: every thread (the main thread included) takes the next chunk of rows
 * with a compare-and-swap on NEXT, as long as NEXT − BASE < CHUNKS, and adds 1 to COMPLETED when the chunk
 * is done. Each chunk's gradient and loss go to that chunk's own slot and are summed in chunk order at the
 * end, so which thread ran which chunk never changes the result. NEXT only grows (BASE of a pass is where
 * the previous pass left it), so a worker that wakes up late reads a BASE whose chunks are all taken and
 * does nothing; the main thread never waits for an idle worker. Everything else a pass reads (θ, the shift,
 * c) is written before BASE is published and only after every chunk of the previous pass completed; N,
 * CHUNKS, STREAMING and LOSS change only while every worker is idle (after a LOAD or a barrier).
 */

import type { MarginBatch } from '../kernels/batch.js';
import { type LinearPass, linearObjectiveRows } from '../kernels/linear.js';

/** Int32 slots per line of the control buffer. */
export const SLOTS = 16;

/** Line 0: the next chunk number (global, only grows; wraps in int32, compared by difference). */
export const NEXT = 0;
/** Line 0: chunks of the current pass completed so far (reset by the main thread before each pass). */
export const COMPLETED = 1;
/** Line 0: set to 1 by a worker that failed; the error text then waits on that worker's port. */
export const ERROR = 2;

/** Line 1: the value of NEXT at which the current pass starts. */
export const BASE = SLOTS + 0;
/** Line 1: the loss id (`LOSS_ID` of src/kernels). */
export const LOSS = SLOTS + 1;
/** Line 1: number of rows n of the dataset. */
export const N = SLOTS + 2;
/** Line 1: number of chunks K of a pass. */
export const CHUNKS = SLOTS + 3;
/** Line 1: 1 when X as a whole does not fit in cache (the kernel's `streaming` argument). */
export const STREAMING = SLOTS + 4;

/** Start of worker w's line. */
export const lineOf = (w: number): number => (w + 2) * SLOTS;
/** Worker line: command counter, bumped by the main thread for every command. */
export const SEQ = 0;
/** Worker line: the command, {@link RUN}, {@link LOAD} or {@link EXIT}. */
export const CMD = 1;
/** Worker line: the last SEQ the worker finished. */
export const DONE = 2;
/** Worker line: set to 1 by the worker once it is ready for commands. */
export const READY = 3;

/** Take and run chunks of the current pass until none is left. */
export const RUN = 1;
/** Receive new shared buffers (a {@link SharedBuffers} message on the worker's port). */
export const LOAD = 2;
/** Leave the command loop; the thread then exits. */
export const EXIT = 3;

/** Marks the `workerData` of our worker threads. */
export const WORKER_TAG = 'implicit-bias:parallelLinear';

/** What a worker thread receives at start. */
export interface WorkerInit {
  readonly tag: typeof WORKER_TAG;
  /** This worker's number w (its control line is {@link lineOf}(w)). */
  readonly index: number;
  readonly control: SharedArrayBuffer;
  /** θ (length p) followed by the shift. */
  readonly theta: SharedArrayBuffer;
  readonly port: import('node:worker_threads').MessagePort;
  readonly d: number;
  /** θ carries an intercept θ_d (θ has length d + 1). */
  readonly bias: boolean;
  /** Rows per chunk. */
  readonly rows: number;
}

/** The per-dataset buffers, sent with {@link LOAD}. */
export interface SharedBuffers {
  /** n·d, row-major: a copy of the dataset's X. */
  readonly X: SharedArrayBuffer;
  readonly y: SharedArrayBuffer;
  readonly c: SharedArrayBuffer;
  readonly margins: SharedArrayBuffer;
  /** K·p: the gradient of chunk k at offset k·p. */
  readonly partial: SharedArrayBuffer;
  /** K: the loss of chunk k. */
  readonly losses: SharedArrayBuffer;
}

/**
 * Typed views onto the per-dataset {@link SharedBuffers}, made once per dataset (one view per chunk into
 * the partial gradients) so that a pass allocates nothing. The main thread and the workers both use them.
 */
export interface ChunkViews {
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly c: Float64Array;
  readonly margins: Float64Array;
  /** K: the loss of chunk k. */
  readonly losses: Float64Array;
  /** K views of length p: the gradient of chunk k. */
  readonly parts: Float64Array[];
}

/** The K per-chunk views of length p into `partial` (chunk k at offset k·p). */
export function chunkParts(partial: Float64Array, chunks: number, p: number): Float64Array[] {
  const parts: Float64Array[] = [];
  for (let k = 0; k < chunks; k++) parts.push(partial.subarray(k * p, (k + 1) * p));
  return parts;
}

/** The {@link ChunkViews} of a LOAD message's buffers, for p parameters. */
export function sharedViews(buffers: SharedBuffers, p: number): ChunkViews {
  const losses = new Float64Array(buffers.losses);
  return {
    X: new Float64Array(buffers.X),
    y: new Float64Array(buffers.y),
    c: new Float64Array(buffers.c),
    margins: new Float64Array(buffers.margins),
    losses,
    parts: chunkParts(new Float64Array(buffers.partial), losses.length, p),
  };
}

/**
 * What every chunk of one pass shares besides the data: the kernel's {@link LinearPass} (bias, loss, shift,
 * streaming) and the rows per chunk. Each thread keeps one and rewrites it per pass (no allocation).
 */
export interface PassSettings extends LinearPass {
  /** Rows per chunk ({@link chunkRows}). */
  rows: number;
}

/**
 * Chunk k of a pass over `batch`: rows [k·rows, min(n, (k + 1)·rows)) through the fused linear kernel, the
 * chunk's gradient into `grad` and its margins into `margins` (at the rows' own offsets); returns the
 * chunk's loss.
 */
export function runChunk(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  pass: PassSettings,
  k: number,
): number {
  const start = k * pass.rows;
  return linearObjectiveRows(grad, margins, theta, batch, pass, start, Math.min(batch.n, start + pass.rows));
}

/**
 * Rows per chunk for input dimension d: about 2¹⁶ doubles (512 KiB) of X, a multiple of the kernel's
 * block of 8 rows. It depends on d only, so the split of a pass into chunks, and with it every rounding,
 * is the same whatever the number of threads.
 */
export function chunkRows(d: number): number {
  return 8 * Math.max(1, Math.ceil((1 << 16) / (8 * d)));
}

/**
 * Takes the next chunk of the pass that starts at `base` and has `chunks` chunks: its number k, or −1
 * when every chunk is taken. Compare-and-swap rather than add, so that a thread holding a stale `base`
 * never moves NEXT into a later pass.
 */
export function takeChunk(ctl: Int32Array, base: number, chunks: number): number {
  for (;;) {
    const next = Atomics.load(ctl, NEXT);
    const k = (next - base) | 0;
    if (k < 0 || k >= chunks) return -1;
    if (Atomics.compareExchange(ctl, NEXT, next, (next + 1) | 0) === next) return k;
  }
}

/** Marks one chunk of a pass of `chunks` chunks done; wakes the main thread after the last one. */
export function completeChunk(ctl: Int32Array, chunks: number): void {
  if (Atomics.add(ctl, COMPLETED, 1) + 1 === chunks) Atomics.notify(ctl, COMPLETED);
}
