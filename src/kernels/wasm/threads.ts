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

/** The Node builtins the pool needs, or null outside Node. */
function nodeBuiltins(): { Worker: WorkerConstructor; cpus: number } | null {
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
