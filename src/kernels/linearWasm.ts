/**
 * The linear pass on the WebAssembly SIMD kernels (assembly/linear.ts), with the data kept in the module's
 * memory between passes and the chunks split over worker threads in Node. Same bits as the TypeScript
 * reference (`linearObjectiveRows` chunk by chunk, src/kernels/linear.ts) for any thread count: the chunks
 * are the reference's, each chunk's gradient and loss go to its own slot, and the slots are added in chunk
 * order.
 *
 * **Data residency.** The pass keeps one dataset in its own WebAssembly memory (a second instance of the
 * kernel module, so the GEMM kernels' scratch never overwrites it): X (packed, see `linearPack`) and y are
 * copied when a pass sees other arrays than the last pass (compared by identity, with n and d), and reused
 * as they are otherwise. **A dataset's X and y are taken as immutable**: changing their entries in place
 * between passes is not seen (pass new arrays instead). The weights c and θ are copied on every pass (n + p
 * doubles, small next to the n·d pass).
 * @packageDocumentation
 */
import type { MarginBatch } from './batch.js';
import type { LinearPass } from './linear.js';
import { wasmKernels } from './wasm/index.js';
import {
  type ChunkPass,
  type ChunkPool,
  chunkPool,
  chunkPoolIdle,
  chunkPoolWorkerChunks,
  runChunks,
  stopChunkPool,
} from './wasm/threads.js';

/** The exports of the kernel module this file calls (arguments are byte offsets into its memory). */
interface LinearExports {
  linearPack(X: number, n: number, d: number, scratch: number): void;
  linearChunk(args: number, k: number): void;
  linearChunkTo(args: number, k: number, scratch: number): void;
  linearCommit(args: number, k: number, scratch: number): void;
  linearChunks(args: number, k0: number, k1: number): void;
  linearReduce(args: number, out: number, chunks: number): number;
}

interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => Memory;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Doubles of the args block at the start of the memory (13 used; see assembly/linear.ts). */
const ARGS = 16;
/** The largest memory the module may use (65536 pages of 64 KiB, the wasm32 limit). */
const MAX_BYTES = 2 ** 32;

/** The pass's own instance of the kernel module, its memory, and the dataset it holds. */
interface Engine {
  readonly exports: LinearExports;
  readonly memory: Memory;
  readonly module: object;
  readonly shared: boolean;
  heap: Float64Array;
  /** The resident dataset (identity of its arrays, and its shape) and the layout of the memory for it. */
  X: Float64Array | null;
  y: Float64Array | null;
  n: number;
  d: number;
  p: number;
  rows: number;
  chunks: number;
  stride: number;
  yOff: number;
  cOff: number;
  mOff: number;
  tOff: number;
  outOff: number;
  partOff: number;
  /** The chunks' Int32 words (the epoch of each chunk's last commit, see threads.ts), in doubles. */
  wordsOff: number;
  /** Thread scratch slots (stride + rows doubles each; slot 0 is the calling thread's), in doubles. */
  scratchOff: number;
  /** Scratch slots laid out. */
  slots: number;
  margins: Float64Array;
  out: Float64Array;
  words: Int32Array;
  pool: ChunkPool | null;
  /** Set when worker threads could not start here: passes then stay on the calling thread. */
  noThreads: boolean;
  /** The pass handed to the pool (fields rewritten per pass). */
  readonly pass: ChunkPass;
}

let engine: Engine | null = null;

const even = (k: number): number => k + (k & 1);

/** A new engine: a second instance of the loaded module on a fresh memory (shared in Node). */
function createEngine(): Engine | null {
  const w = wasmKernels();
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (w === null || api === undefined) return null;
  try {
    const memory = w.shared
      ? new api.Memory({ initial: 1, maximum: 65536, shared: true })
      : new api.Memory({ initial: 1 });
    const instance = new api.Instance(w.module, {
      env: {
        memory,
        abort: () => {
          throw new Error('implicit-bias: a WebAssembly kernel aborted');
        },
      },
    });
    const none = new Float64Array(0);
    const exports = instance.exports as LinearExports;
    return {
      exports,
      memory,
      module: w.module,
      shared: w.shared,
      heap: new Float64Array(memory.buffer),
      X: null,
      y: null,
      n: 0,
      d: 0,
      p: 0,
      rows: 0,
      chunks: 0,
      stride: 0,
      yOff: 0,
      cOff: 0,
      mOff: 0,
      tOff: 0,
      outOff: 0,
      partOff: 0,
      wordsOff: 0,
      scratchOff: 0,
      slots: 0,
      margins: none,
      out: none,
      words: new Int32Array(0),
      pool: null,
      noThreads: false,
      pass: {
        run: exports.linearChunkTo,
        commit: exports.linearCommit,
        direct: exports.linearChunk,
        args: 0,
        count: 0,
        words: 0,
        scratch: 0,
        stride: 0,
      },
    };
  } catch {
    return null;
  }
}

/**
 * Lays the memory out for n rows of d features, p parameters, chunks of `rows` rows and `slots` thread
 * scratch slots, growing it when needed; false when it cannot hold them. Layout (doubles): args | X (n·d) |
 * y | c | margins (n each) | θ (p) | the reduced gradient and loss (p + 1) | K chunk slots of `stride`
 * (gradient, loss, d doubles of kernel scratch; they also serve as the packing scratch, 8·d doubles, while X
 * is packed) | K chunk words (Int32) | `slots` thread scratch slots of stride + rows. No worker may be inside
 * a pass (the caller waits for the pool first).
 */
function layout(e: Engine, n: number, d: number, p: number, rows: number, slots: number): boolean {
  const chunks = Math.ceil(n / rows);
  const stride = even(p + 1) + even(d);
  const yOff = ARGS + even(n * d);
  const cOff = yOff + even(n);
  const mOff = cOff + even(n);
  const tOff = mOff + even(n);
  const outOff = tOff + even(p);
  const partOff = outOff + even(p + 1);
  const wordsOff = partOff + Math.max(chunks * stride, 8 * d);
  const scratchOff = wordsOff + even(Math.ceil(chunks / 2));
  const total = scratchOff + slots * (stride + rows);
  if (total * 8 > MAX_BYTES) return false;
  const have = e.memory.buffer.byteLength;
  if (total * 8 > have) {
    try {
      e.memory.grow(Math.ceil((total * 8 - have) / 65536));
    } catch {
      return false;
    }
  }
  e.heap = new Float64Array(e.memory.buffer);
  e.words = new Int32Array(e.memory.buffer);
  e.words.fill(0, wordsOff * 2, scratchOff * 2);
  e.n = n;
  e.d = d;
  e.p = p;
  e.rows = rows;
  e.chunks = chunks;
  e.stride = stride;
  e.yOff = yOff;
  e.cOff = cOff;
  e.mOff = mOff;
  e.tOff = tOff;
  e.outOff = outOff;
  e.partOff = partOff;
  e.wordsOff = wordsOff;
  e.scratchOff = scratchOff;
  e.slots = slots;
  e.margins = e.heap.subarray(mOff, mOff + n);
  e.out = e.heap.subarray(outOff, outOff + p);
  e.X = null;
  e.y = null;
  resetTuner();
  return true;
}

/**
 * Makes `batch`'s X and y resident (copies and packs them unless the last pass had the same arrays), with at
 * least `slots` thread scratch slots.
 */
function resident(e: Engine, batch: MarginBatch, p: number, rows: number, slots: number): boolean {
  const { X, y, n, d } = batch;
  const shape = e.n === n && e.d === d && e.p === p && e.rows === rows && e.slots >= slots;
  if (shape && e.X === X && e.y === y) {
    if (e.heap.buffer !== e.memory.buffer) {
      e.heap = new Float64Array(e.memory.buffer);
      e.words = new Int32Array(e.memory.buffer);
    }
    return true;
  }
  // Workers still inside an earlier pass write into their scratch: let them leave before anything moves.
  if (e.pool !== null && !chunkPoolIdle(e.pool)) return false;
  if (!shape && !layout(e, n, d, p, rows, Math.max(slots, e.slots))) return false;
  const heap = e.heap;
  heap.set(X.length === n * d ? X : X.subarray(0, n * d), ARGS);
  heap.set(y.length === n ? y : y.subarray(0, n), e.yOff);
  e.exports.linearPack(ARGS * 8, n, d, e.partOff * 8);
  e.X = X;
  e.y = y;
  return true;
}

/**
 * Whether a pass may use its threads, from the time passes took with and without them on this dataset
 * (exponential moving averages, reset with the dataset): threads whenever they have been at least as fast,
 * and every 16th pass the other way, so that a change of machine load is seen. Both ways give the same bits;
 * on a machine whose cores other processes keep busy the workers only slow a pass down (measured on the
 * 2-core machine of docs/benchmarks.md), so the choice is made by measurement, not assumed.
 */
interface ThreadTuner {
  /** The average ms of a pass without and with the workers (0 until measured). */
  single: number;
  threaded: number;
  passes: number;
}

const tuner: ThreadTuner = { single: 0, threaded: 0, passes: 0 };

function resetTuner(): void {
  tuner.single = 0;
  tuner.threaded = 0;
  tuner.passes = 0;
}

/** Whether the next pass uses the workers (see {@link ThreadTuner}). */
function useThreads(): boolean {
  const t = tuner;
  t.passes++;
  if (t.threaded === 0) return true;
  if (t.single === 0) return false;
  const threaded = t.threaded <= t.single;
  return t.passes % 16 === 0 ? !threaded : threaded;
}

function recordPass(threaded: boolean, ms: number): void {
  if (threaded) tuner.threaded = tuner.threaded === 0 ? ms : 0.75 * tuner.threaded + 0.25 * ms;
  else tuner.single = tuner.single === 0 ? ms : 0.75 * tuner.single + 0.25 * ms;
}

/**
 * The linear pass over `batch` on the WebAssembly kernels, chunks of `rows` rows, on up to `threads`
 * threads (the calling one included; worker threads only in Node) — with `adaptive`, only when they have
 * proved faster here (see {@link ThreadTuner}). Returns the loss and writes grad and margins, the same bits
 * as the TypeScript reference whatever runs; null when the kernels are not available here or the data do
 * not fit in a WebAssembly memory (the caller then runs the TypeScript kernels).
 */
export function wasmLinearPass(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  pass: LinearPass,
  rows: number,
  threads: number,
  adaptive = false,
): number | null {
  // wasmKernels() is null when the TypeScript kernels are chosen (setKernelBackend) or cannot load.
  if (wasmKernels() === null) return null;
  if (engine === null) engine = createEngine();
  const e = engine;
  if (e === null) return null;
  const { n, d, c } = batch;
  const p = pass.bias ? d + 1 : d;
  const helpers = e.shared ? Math.min(threads, Math.ceil(n / rows)) - 1 : 0;
  if (!resident(e, batch, p, rows, helpers + 1)) return null;
  const heap = e.heap;
  if (c.length === n) heap.set(c, e.cOff);
  else for (let i = 0; i < n; i++) heap[e.cOff + i] = c[i]!;
  if (theta.length === p) heap.set(theta, e.tOff);
  else for (let j = 0; j < p; j++) heap[e.tOff + j] = theta[j]!;
  heap[0] = ARGS * 8;
  heap[1] = e.yOff * 8;
  heap[2] = e.cOff * 8;
  heap[3] = e.tOff * 8;
  heap[4] = e.mOff * 8;
  heap[5] = e.partOff * 8;
  heap[6] = d;
  heap[7] = p;
  heap[8] = pass.loss;
  heap[9] = pass.shift;
  heap[10] = rows;
  heap[11] = n;
  heap[12] = e.stride;
  const K = e.chunks;
  const threaded = helpers > 0 && (!adaptive || useThreads());
  const pool = threaded ? threadPool(e, helpers) : null;
  const t0 = adaptive && helpers > 0 ? performance.now() : 0;
  if (pool !== null) {
    const cp = e.pass;
    cp.count = K;
    cp.words = e.wordsOff * 8;
    cp.scratch = e.scratchOff * 8;
    cp.stride = (e.stride + rows) * 8;
    runChunks(pool, cp, e.words, helpers);
  } else {
    e.exports.linearChunks(0, 0, K);
  }
  if (t0 !== 0) recordPass(pool !== null, performance.now() - t0);
  const value = e.exports.linearReduce(0, e.outOff * 8, K);
  grad.set(e.out);
  margins.set(e.margins);
  return value;
}

/**
 * The engine's worker pool with at least `helpers` workers: started on first use, replaced by a larger one
 * when more are asked for (after the old one has left its last pass, so no two workers share a scratch
 * slot); null when threads cannot run here. A new pool starts its pass epochs afresh: the chunk words are
 * cleared.
 */
function threadPool(e: Engine, helpers: number): ChunkPool | null {
  const current = e.pool;
  if (current !== null && !current.broken && current.workers >= helpers) return current;
  if (current !== null) {
    const idle = chunkPoolIdle(current);
    stopChunkPool(current);
    e.pool = null;
    // A worker that never left its pass may still write into its scratch: give up threads on this engine.
    if (!idle || current.broken) return null;
  }
  if (e.noThreads) return null;
  e.words.fill(0, e.wordsOff * 2, e.scratchOff * 2);
  e.pool = chunkPool(e.module, e.memory, 'linearChunkTo', 'linearCommit', helpers);
  if (e.pool === null) e.noThreads = true;
  return e.pool;
}

/** The linear pass's worker threads now (0 before the first threaded pass) and the chunks they have run. */
export function linearThreadStats(): { workers: number; workerChunks: number } {
  const pool = engine?.pool ?? null;
  if (pool === null || pool.broken) return { workers: 0, workerChunks: 0 };
  return { workers: pool.workers, workerChunks: chunkPoolWorkerChunks(pool) };
}

/**
 * Drops the resident dataset, so that the next pass copies X and y again. For a caller that rewrites the
 * entries of the same X array between passes (a buffer it reuses for mini-batches, say): without this call
 * such a change is not seen, since datasets are taken as immutable and compared by identity.
 */
export function forgetLinearData(): void {
  if (engine !== null) {
    engine.X = null;
    engine.y = null;
  }
}
