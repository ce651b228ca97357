/**
 * Worker threads for the WebAssembly kernels, in Node: each worker instantiates the same module on the same
 * shared memory, and a large product is split by rows of its output, each thread computing whole outputs in
 * the kernel's one order. So the result is the same bits for any number of threads (1 included).
 *
 * The workers are created lazily on the first large product, from code passed as a string (no file to find,
 * nothing for a bundler to follow), and are unref'd: an idle pool never keeps a process alive. Node's
 * builtins are reached through `process.getBuiltinModule` at run time, so the browser core imports nothing
 * of Node; in a browser (no shared memory without cross-origin isolation) everything stays on one thread.
 * @packageDocumentation
 */

/** Per-thread job arguments (doubles): gemmNN's c, a, b, m, n, k, panel, and one spare. */
const ARGS = 8;
/** Control words: [0] job sequence (−1 asks the workers to exit), [1] finished count, [2] error flag. */
const SEQ = 0;
const DONE = 1;
const ERROR = 2;

/** The worker's code (CommonJS, run with `eval: true`). */
const WORKER_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { module, memory, control, args, slot } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('implicit-bias: a WebAssembly kernel aborted'); } },
});
const gemmNN = instance.exports.gemmNN;
const ctrl = new Int32Array(control);
const argv = new Float64Array(args);
let seen = workerData.seq;
for (;;) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  seen = Atomics.load(ctrl, ${SEQ});
  if (seen < 0) break;
  const o = slot * ${ARGS};
  try {
    if (argv[o + 3] > 0) gemmNN(argv[o], argv[o + 1], argv[o + 2], argv[o + 3], argv[o + 4], argv[o + 5], argv[o + 6]);
  } catch (e) {
    Atomics.store(ctrl, ${ERROR}, 1);
  }
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
}
`;

interface NodeWorker {
  unref(): void;
  on(event: 'error' | 'exit', listener: (value: unknown) => void): void;
}
type WorkerConstructor = new (source: string, options: { eval: boolean; workerData: unknown }) => NodeWorker;

/** The pool: its workers' control block and arguments, and how many workers there are. */
export interface ThreadPool {
  readonly workers: number;
  readonly control: Int32Array;
  readonly args: Float64Array;
  broken: boolean;
}

/** nodeBuiltins' answer, looked up once (the lookup costs microseconds, and passes ask for it every time). */
let builtins: { Worker: WorkerConstructor; cpus: number } | null | undefined;

/** The Node builtins the pool needs, or null outside Node. */
function nodeBuiltins(): { Worker: WorkerConstructor; cpus: number } | null {
  if (builtins === undefined) builtins = lookUpBuiltins();
  return builtins;
}

function lookUpBuiltins(): { Worker: WorkerConstructor; cpus: number } | null {
  const proc = (
    globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }
  ).process;
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== 'function') return null;
  const threads = proc.getBuiltinModule('node:worker_threads') as { Worker?: WorkerConstructor } | undefined;
  const os = proc.getBuiltinModule('node:os') as { availableParallelism?: () => number } | undefined;
  if (threads?.Worker === undefined) return null;
  return { Worker: threads.Worker, cpus: os?.availableParallelism?.() ?? 1 };
}

let requested: number | 'auto' = 'auto';
let pool: ThreadPool | null = null;
let poolFor = 0;

/** The number of threads (the calling one included) large products use: `setKernelThreads`' choice, or the cores. */
export function kernelThreads(): number {
  if (requested !== 'auto') return requested;
  return Math.max(1, Math.min(8, nodeBuiltins()?.cpus ?? 1));
}

/**
 * Sets how many threads (the calling one included) the kernels may use for large products in Node: an
 * integer ≥ 1, or `'auto'` (the default: the machine's available parallelism, at most 8). Results are the
 * same bits for every count. Returns the previous setting.
 */
export function setKernelThreads(threads: number | 'auto'): number | 'auto' {
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    throw new TypeError(
      `setKernelThreads: threads must be an integer in [1, 64] or 'auto', got ${String(threads)}`,
    );
  }
  const previous = requested;
  requested = threads;
  return previous;
}

/**
 * The worker pool for `module` on `memory` with `threads − 1` workers, created on first use; null with one
 * thread, outside Node, or when the workers cannot start.
 */
export function threadPool(module: object, memory: object, threads: number): ThreadPool | null {
  if (threads <= 1) return null;
  if (pool !== null && !pool.broken && poolFor === threads) return pool;
  if (pool !== null) stopPool();
  const node = nodeBuiltins();
  if (node === null) return null;
  const workers = threads - 1;
  const control = new Int32Array(new SharedArrayBuffer(16));
  const args = new Float64Array(new SharedArrayBuffer(8 * ARGS * threads));
  const created: ThreadPool = { workers, control, args, broken: false };
  try {
    for (let slot = 1; slot <= workers; slot++) {
      const worker = new node.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: control.buffer, args: args.buffer, slot, seq: 0 },
      });
      worker.on('error', () => {
        created.broken = true;
      });
      worker.unref();
    }
  } catch {
    return null;
  }
  pool = created;
  poolFor = threads;
  return pool;
}

/** Asks the pool's workers to exit (they are unref'd, so this is only needed to change the count). */
function stopPool(): void {
  if (pool === null) return;
  Atomics.store(pool.control, SEQ, -1);
  Atomics.notify(pool.control, SEQ);
  pool = null;
}

/**
 * Runs `job(slot)` for slot 0 on the calling thread and has the workers run slots 1…workers of the same job
 * from their argument rows (already written), then waits for all of them. Returns false if a worker
 * reported an error (the caller then recomputes on one thread).
 */
export function runOnPool(p: ThreadPool, own: () => void): boolean {
  const { control } = p;
  Atomics.store(control, DONE, 0);
  Atomics.store(control, ERROR, 0);
  Atomics.add(control, SEQ, 1);
  Atomics.notify(control, SEQ);
  own();
  for (;;) {
    const done = Atomics.load(control, DONE);
    if (done >= p.workers) break;
    if (Atomics.wait(control, DONE, done, 30_000) === 'timed-out' && Atomics.load(control, DONE) === done) {
      p.broken = true;
      return false;
    }
  }
  return Atomics.load(control, ERROR) === 0;
}

/** Writes slot `slot`'s gemmNN arguments. */
export function setJob(
  p: ThreadPool,
  slot: number,
  c: number,
  a: number,
  b: number,
  m: number,
  n: number,
  k: number,
  panel: number,
): void {
  const o = slot * ARGS;
  const args = p.args;
  args[o] = c;
  args[o + 1] = a;
  args[o + 2] = b;
  args[o + 3] = m;
  args[o + 4] = n;
  args[o + 5] = k;
  args[o + 6] = panel;
}

// ── Chunk pools: a pass split into numbered chunks, taken one at a time by whichever thread is free ──────
//
// For passes whose result is a sum over fixed chunks kept apart and added in chunk order (the linear pass),
// so which thread ran which chunk never changes a bit. Protocol (control words are Int32, hot counters on
// their own cache lines; the per-chunk words live in the kernel's memory):
// - a pass is published under a seqlock: VERSION odd while the calling thread writes the pass's words
//   (BASE, COUNT, ARGS, EPOCH, …) and the memory the chunks read, even once they are consistent; then SEQ is
//   bumped to wake the workers;
// - chunk k is claimed by moving NEXT from BASE + k to BASE + k + 1 (compare-and-swap; NEXT only grows, so a
//   worker holding a stale pass never claims a chunk of the next one);
// - a worker computes its chunk into its own scratch, then commits it — `commit(args, k, scratch)` copies it
//   into place — only if it wins a compare-and-swap of the chunk's word from the epoch it read when it claimed
//   the chunk to the pass's EPOCH. When the calling thread runs out of chunks to claim it waits about one
//   chunk's time, then computes every chunk still uncommitted itself and commits it the same way: a worker
//   that was descheduled (a loaded machine) never holds up a pass, a chunk is committed exactly once, and
//   the result is the same bits whoever committed it (the computation is deterministic);
// - a worker that throws just does not commit (its chunk is then recomputed by the calling thread, which
//   reports the error if there is one); COMPLETED counts committed chunks.
// Workers sleep in Atomics.wait between passes. (Polling for the next pass for 0.2 ms instead saved the
// ~40 µs wake-up of back-to-back small passes on an idle machine, but on this 2-core machine under other
// processes' load a polling worker only took CPU time from the calling thread: passes at n = 10³ took
// 45–90 µs with it against 31–35 µs on one thread. A worker that wakes late finds its pass done, or its
// chunk recomputed.)

const C_SEQ = 0;
const C_EXIT = 1;
const C_VERSION = 16;
const C_BASE = 17;
const C_COUNT = 18;
const C_ARGS = 19;
const C_LIMIT = 20;
const C_EPOCH = 21;
const C_WORDS_AT = 22;
const C_SCRATCH = 23;
const C_SCRATCH_STRIDE = 24;
const C_TICKETS = 32;
const C_NEXT = 48;
const C_COMPLETED = 64;
/** Workers inside a pass (claiming or computing): the calling thread waits for 0 before it relays memory. */
const C_BUSY = 80;
/** Chunks committed by workers since the pool started (only counted: tests check that workers take part). */
const C_WORKER_CHUNKS = 96;
const C_WORDS = 112;

/** How long a worker keeps polling for the next pass before it sleeps (ms): not at all (see above). */
const SPIN_MS = 0;

/** How many of its own chunk times the calling thread waits for workers' chunks before recomputing them. */
let patience = 1.5;

/**
 * Sets how long (in units of the calling thread's own time per chunk) a pass waits for the chunks workers
 * hold before computing them itself; returns the previous value (default 1.5). 0 recomputes at once: the
 * tests use it to make workers and the calling thread race for the same chunks. Results are the same bits
 * for any value.
 */
export function setChunkPoolPatience(factor: number): number {
  const previous = patience;
  patience = factor;
  return previous;
}

/**
 * The chunk worker's code (CommonJS, run with `eval: true`): `run(args, k, scratch)` then, if it wins the
 * chunk, `commit(args, k, scratch)`, of the module instantiated on `memory`.
 */
const CHUNK_WORKER_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { module, memory, control, run: runName, commit: commitName, slot, spin } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort() { throw new Error('implicit-bias: a WebAssembly kernel aborted'); } },
});
const run = instance.exports[runName];
const commit = instance.exports[commitName];
const c = new Int32Array(control);
let words = new Int32Array(memory.buffer);
let seen = Atomics.load(c, ${C_SEQ});
for (;;) {
  let s = Atomics.load(c, ${C_SEQ});
  if (s === seen) {
    const until = performance.now() + spin;
    while ((s = Atomics.load(c, ${C_SEQ})) === seen && performance.now() < until) {}
    if (s === seen) {
      Atomics.wait(c, ${C_SEQ}, seen);
      s = Atomics.load(c, ${C_SEQ});
    }
  }
  if (Atomics.load(c, ${C_EXIT}) !== 0) break;
  seen = s;
  Atomics.add(c, ${C_BUSY}, 1);
  const v = Atomics.load(c, ${C_VERSION});
  const base = Atomics.load(c, ${C_BASE});
  const count = Atomics.load(c, ${C_COUNT});
  const args = Atomics.load(c, ${C_ARGS});
  const limit = Atomics.load(c, ${C_LIMIT});
  const epoch = Atomics.load(c, ${C_EPOCH});
  const at = Atomics.load(c, ${C_WORDS_AT}) >> 2;
  const scratch = Atomics.load(c, ${C_SCRATCH}) + slot * Atomics.load(c, ${C_SCRATCH_STRIDE});
  if ((v & 1) === 0 && Atomics.load(c, ${C_VERSION}) === v && Atomics.add(c, ${C_TICKETS}, 1) < limit) {
    if (words.buffer !== memory.buffer) words = new Int32Array(memory.buffer);
    for (;;) {
      const next = Atomics.load(c, ${C_NEXT});
      const k = (next - base) | 0;
      if (k < 0 || k >= count) break;
      if (Atomics.compareExchange(c, ${C_NEXT}, next, (next + 1) | 0) !== next) continue;
      const before = Atomics.load(words, at + k);
      if (before === epoch) continue;
      try {
        run(args, k, scratch);
      } catch (e) {
        continue;
      }
      if (Atomics.compareExchange(words, at + k, before, epoch) !== before) continue;
      commit(args, k, scratch);
      Atomics.add(c, ${C_WORKER_CHUNKS}, 1);
      if (Atomics.add(c, ${C_COMPLETED}, 1) + 1 === count) Atomics.notify(c, ${C_COMPLETED});
    }
  }
  Atomics.sub(c, ${C_BUSY}, 1);
}
`;

/** Worker threads that run chunks of passes of one kernel on one memory. */
export interface ChunkPool {
  /** Worker threads (the calling thread works too). */
  readonly workers: number;
  readonly control: Int32Array;
  /** The pass counter (each pass's EPOCH; chunk words hold the epoch that last committed them). */
  epoch: number;
  /** Set when the workers could not start or did not leave a pass; the pool is then not used again. */
  broken: boolean;
}

/**
 * A pool of `workers` threads running passes of `run(args, k, scratch)` / `commit(args, k, scratch)` (exports
 * of `module`, instantiated on `memory`, a shared WebAssembly.Memory), or null outside Node or when threads
 * cannot start. Worker w (1 … workers) uses the scratch at `scratch + w·stride` bytes of each pass. The
 * threads start in the background: passes run on the calling thread alone until they are up.
 */
export function chunkPool(
  module: object,
  memory: object,
  run: string,
  commit: string,
  workers: number,
): ChunkPool | null {
  if (workers < 1) return null;
  const node = nodeBuiltins();
  if (node === null) return null;
  const control = new Int32Array(new SharedArrayBuffer(4 * C_WORDS));
  const created: ChunkPool = { workers, control, epoch: 0, broken: false };
  try {
    for (let slot = 1; slot <= workers; slot++) {
      const worker = new node.Worker(CHUNK_WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: control.buffer, run, commit, slot, spin: SPIN_MS },
      });
      worker.on('error', () => {
        created.broken = true;
      });
      worker.unref();
    }
  } catch {
    stopChunkPool(created);
    return null;
  }
  return created;
}

/** How many chunks the pool's workers have committed since it started. */
export function chunkPoolWorkerChunks(p: ChunkPool): number {
  return Atomics.load(p.control, C_WORKER_CHUNKS);
}

/**
 * Waits (up to 30 s) until no worker is inside a pass, so that the memory the chunks use may be laid out
 * anew; false (and the pool marked broken) if one stays.
 */
export function chunkPoolIdle(p: ChunkPool): boolean {
  const deadline = performance.now() + 30_000;
  while (Atomics.load(p.control, C_BUSY) !== 0) {
    if (performance.now() > deadline) {
      p.broken = true;
      return false;
    }
    Atomics.wait(p.control, C_EXIT, 0, 1);
  }
  return true;
}

/** Asks a pool's workers to exit. */
export function stopChunkPool(p: ChunkPool): void {
  p.broken = true;
  Atomics.store(p.control, C_EXIT, 1);
  Atomics.add(p.control, C_SEQ, 1);
  Atomics.notify(p.control, C_SEQ);
}

/** Where a pass's chunks live, and the functions that compute and commit them on the calling thread. */
export interface ChunkPass {
  /** `run(args, k, scratch)`: chunk k into a scratch (the calling thread's is `scratch`, slot 0). */
  run(args: number, k: number, scratch: number): void;
  /** `commit(args, k, scratch)`: a computed chunk from its scratch into place. */
  commit(args: number, k: number, scratch: number): void;
  /** `direct(args, k)`: chunk k straight into place (the calling thread's own claims). */
  direct(args: number, k: number): void;
  /** Byte offset of the pass's settings. */
  args: number;
  /** Chunks in the pass. */
  count: number;
  /** Byte offset of `count` Int32 chunk words (kept between passes: they hold the epoch of the last commit). */
  words: number;
  /** Byte offset of thread scratch slot 0, and the bytes between slots. */
  scratch: number;
  stride: number;
}

/**
 * Runs the `count` chunks of a pass on this thread and up to `helpers` workers (see the protocol above) and
 * returns once every chunk is committed. Everything the chunks read must be in place before the call. An
 * error thrown by a chunk computed on this thread propagates.
 */
export function runChunks(p: ChunkPool, pass: ChunkPass, words: Int32Array, helpers: number): void {
  const c = p.control;
  const { args, count } = pass;
  const at = pass.words >> 2;
  p.epoch = (p.epoch + 1) | 0;
  const epoch = p.epoch;
  Atomics.add(c, C_VERSION, 1);
  const base = Atomics.load(c, C_NEXT);
  Atomics.store(c, C_BASE, base);
  Atomics.store(c, C_COUNT, count);
  Atomics.store(c, C_ARGS, args);
  Atomics.store(c, C_LIMIT, Math.min(helpers, p.workers));
  Atomics.store(c, C_EPOCH, epoch);
  Atomics.store(c, C_WORDS_AT, pass.words);
  Atomics.store(c, C_SCRATCH, pass.scratch);
  Atomics.store(c, C_SCRATCH_STRIDE, pass.stride);
  Atomics.store(c, C_TICKETS, 0);
  Atomics.store(c, C_COMPLETED, 0);
  Atomics.add(c, C_VERSION, 1);
  Atomics.add(c, C_SEQ, 1);
  Atomics.notify(c, C_SEQ, helpers);
  // This thread's claims go straight into place: no worker ever computes a chunk it did not claim.
  let own = 0;
  const t0 = performance.now();
  for (;;) {
    const next = Atomics.load(c, C_NEXT);
    const k = (next - base) | 0;
    if (k >= count) break;
    if (Atomics.compareExchange(c, C_NEXT, next, (next + 1) | 0) !== next) continue;
    pass.direct(args, k);
    Atomics.store(words, at + k, epoch);
    Atomics.add(c, C_COMPLETED, 1);
    own++;
  }
  if (Atomics.load(c, C_COMPLETED) >= count) return;
  // Chunks workers hold: give them about one chunk's time (this thread's own rate), then compute the ones
  // still uncommitted here and commit whichever copy wins.
  const perChunk = own > 0 ? (performance.now() - t0) / own : 0.05;
  const until = performance.now() + patience * perChunk;
  while (Atomics.load(c, C_COMPLETED) < count && performance.now() < until) {}
  for (let k = 0; k < count && Atomics.load(c, C_COMPLETED) < count; k++) {
    const before = Atomics.load(words, at + k);
    if (before === epoch) continue;
    pass.run(args, k, pass.scratch);
    if (Atomics.compareExchange(words, at + k, before, epoch) !== before) continue;
    pass.commit(args, k, pass.scratch);
    Atomics.add(c, C_COMPLETED, 1);
  }
  // Chunks a worker won while this thread recomputed them: it is copying them into place now.
  while (Atomics.load(c, C_COMPLETED) < count) {
    const done = Atomics.load(c, C_COMPLETED);
    Atomics.wait(c, C_COMPLETED, done, 1);
  }
}
