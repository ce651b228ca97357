/**
 * The linear GD step (the issue's workload): weighted exponential loss, the default linear model,
 * n ∈ {10³, 10⁴, 10⁵} with d = 100 and n = 10⁴ with d = 1000. Per step = one fused pass (`model.objective`)
 * + one `gd` update.
 *
 * Measured, interleaved round by round so that every row sees the same machine load:
 *   - `trainWeighted step`       `trainWeighted({ steps })` with the default model, step by step: the time
 *                                 between two optimizer updates inside long calls (a call's O(n·d) setup is
 *                                 printed apart): the path a user gets
 *   - `objective`                `linear(d).objective`, the default: WebAssembly SIMD, worker threads by size
 *   - `objective, 1 thread`      the same with `setKernelThreads(1)`
 *   - `objective, TypeScript`    the same pass on the TypeScript kernels (`setKernelBackend('typescript')`),
 *                                 the fallback where WebAssembly SIMD is missing (same bits)
 *   - numpy (OpenBLAS, its default threads, and pinned to one thread), via bench/python/linear_peer.py when
 *     `python3 -c "import numpy"` works; otherwise those rows are skipped with a message.
 * Reported: the median ms per step over all samples, and the ratio ours / numpy. Rows are measured in
 * interleaved rounds (BENCH_ROUNDS, default 6, of BENCH_BATCH_MS = 250 ms per row, order rotated each
 * round), so the ratios hold even when other processes load the machine.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dataset } from '../src/datasets/index.js';
import type { Dataset } from '../src/datasets/types.js';
import { gd, trainWeighted } from '../src/gd/index.js';
import type { Optimizer } from '../src/gd/optimizers/types.js';
import { kernelBackend, setKernelBackend } from '../src/kernels/wasm/index.js';
import { kernelThreads, setKernelThreads } from '../src/kernels/wasm/threads.js';
import { exponential } from '../src/losses/index.js';
import { linear } from '../src/models/linear.js';
import type { Model } from '../src/models/types.js';
import { type BenchRow, fmt, lcg, median, table, type Variant } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Shapes n×d to run (BENCH_LINEAR_SIZES, comma-separated, e.g. `BENCH_LINEAR_SIZES=100000x100`; default the
 * issue's four). BENCH_SIZES=1000,10000 (n only, d = 100) as before still works.
 */
const SHAPES: Array<[number, number]> = (
  process.env.BENCH_LINEAR_SIZES ??
  (process.env.BENCH_SIZES !== undefined
    ? process.env.BENCH_SIZES.split(',')
        .map((n) => `${n}x100`)
        .join(',')
    : '1000x100,10000x100,100000x100,10000x1000')
)
  .split(',')
  .map((s) => s.split('x').map(Number) as [number, number]);
/** Interleaved rounds per size, and the time budget of one batch (one variant in one round). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 250);

interface Workload {
  data: Dataset;
  /** cᵢ = wᵢ/n with wᵢ ∈ [0.5, 1.5), as trainWeighted builds it. */
  c: Float64Array;
  weights: Float64Array;
  theta: Float64Array;
}

/** Park–Miller: deterministic bench data without Math.random. */
function workload(n: number, d: number): Workload {
  const r = lcg(12345 + n + d);
  const X = new Float64Array(n * d);
  for (let k = 0; k < X.length; k++) X[k] = 2 * r() - 1;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = r() < 0.5 ? -1 : 1;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = 0.5 + r();
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = weights[i]! / n;
  const theta = new Float64Array(d);
  for (let j = 0; j < d; j++) theta[j] = (0.1 * r() - 0.05) * Math.sqrt(100 / d);
  return { data: dataset(X, y, d), c, weights, theta };
}

/** Keeps results alive so no pass can be skipped; printed at the end. */
let sink = 0;

/** Runs `f` with the given backend and thread count, restoring both. */
function withSettings<T>(backend: 'auto' | 'typescript', threads: number | 'auto', f: () => T): T {
  const b = setKernelBackend(backend);
  const t = setKernelThreads(threads);
  try {
    return f();
  } finally {
    setKernelBackend(b);
    setKernelThreads(t);
  }
}

function objectiveVariant(
  name: string,
  model: Model,
  w: Workload,
  backend: 'auto' | 'typescript',
  threads: number | 'auto',
): Variant {
  const grad = new Float64Array(model.size);
  const margins = new Float64Array(w.data.n);
  return {
    name,
    batch(ms) {
      return withSettings(backend, threads, () => {
        const out: number[] = [];
        const end = performance.now() + ms;
        while (out.length < 3 || performance.now() < end) {
          const t0 = performance.now();
          const value = model.objective(grad, w.theta, w.data, w.c, exponential, 0, margins);
          out.push(performance.now() - t0);
          sink += value + grad[0]! + margins[0]!;
        }
        return out;
      });
    },
  };
}

/** Median setup time of one trainWeighted call (steps: 0) per shape, printed with the table. */
const setupMs = new Map<string, number[]>();

function trainVariant(name: string, model: Model, w: Workload): Variant {
  // A sample is one step of a trainWeighted run: the time between two consecutive optimizer updates (an
  // update, then the next step's fused pass, recording and checks), read by wrapping gd. Per step, as the
  // numpy and objective rows are, so that a step preempted by another process counts as one sample, not
  // as part of a long average. A call's own setup — O(n·d): it fingerprints the data for its resumable
  // state (~30 ms at n = 10⁴, d = 1000) — is timed by a steps: 0 call and reported apart. Steps per call:
  // 2000, 200, 50, 50 for the four shapes.
  const steps = Math.max(50, Math.round(2e8 / (w.data.n * w.data.d)));
  const inner = gd({ lr: 1e-3 });
  let last = 0;
  let samples: number[] = [];
  const optimizer: Optimizer<unknown> = {
    name: inner.name,
    options: inner.options,
    init: (theta) => inner.init(theta),
    update(theta, grad, state, info) {
      const now = performance.now();
      if (last > 0) samples.push(now - last);
      last = now;
      return inner.update(theta, grad, state as never, info);
    },
  };
  const key = `${w.data.n}x${w.data.d}`;
  const call = (count: number): number => {
    const t0 = performance.now();
    last = 0;
    const result = trainWeighted({
      data: w.data,
      model,
      weights: w.weights,
      init: w.theta,
      optimizer,
      steps: count,
      record: { metrics: ['loss'], at: [] },
    });
    sink += result.theta[0]! + result.history.at(-1)!.loss;
    return performance.now() - t0;
  };
  return {
    name,
    batch(ms) {
      samples = [];
      const setups = setupMs.get(key) ?? [];
      const end = performance.now() + ms;
      while (samples.length < 3 || performance.now() < end) {
        setups.push(call(0));
        call(steps);
      }
      setupMs.set(key, setups);
      return samples;
    },
  };
}

/** The numpy co-process (bench/python/linear_peer.py --serve): one request line, one JSON answer line. */
class Peer {
  readonly name: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  checksum = 0;
  constructor(name: string, env: NodeJS.ProcessEnv) {
    this.name = name;
    this.child = spawn('python3', [join(here, 'python/linear_peer.py'), '--serve'], {
      env: { ...process.env, ...env },
    });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  async hello(): Promise<{ numpy: string; blas: string }> {
    return JSON.parse((await this.lines.next()).value as string);
  }
  async batch(n: number, d: number, ms: number): Promise<number[]> {
    this.child.stdin.write(`${n} ${d} ${ms}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`${this.name}: the python peer exited`);
    const answer = JSON.parse(next.value as string) as { samples: number[]; checksum: number };
    this.checksum += answer.checksum;
    return answer.samples;
  }
  close(): void {
    this.child.stdin.end();
  }
}

function numpyAvailable(): string | null {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error) return `python3 not found (${probe.error.message})`;
  if (probe.status !== 0) return 'python3 has no numpy';
  return null;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/** Runs the linear-step benchmark, prints its table and returns its grid rows (trainWeighted step vs numpy). */
export async function run(): Promise<BenchRow[]> {
  console.log('## Linear GD step: weighted exponential loss, default linear model (median ms per step)\n');
  const missing = numpyAvailable();
  const peers: Peer[] = [];
  if (missing === null) {
    peers.push(new Peer('numpy', {}));
    peers.push(new Peer('numpy 1 thread', { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }));
    const info = await peers[0]!.hello();
    await peers[1]!.hello();
    console.log(
      `peer: numpy ${info.numpy} (${info.blas}), default BLAS threads and OPENBLAS_NUM_THREADS=1\n`,
    );
  } else {
    console.log(`numpy peer skipped: ${missing}\n`);
  }
  console.log(
    `kernels: ${kernelBackend().note}, ${kernelThreads()} threads for large passes; ${ROUNDS} rounds × ${BATCH_MS} ms per row; load average at start ${load()}\n`,
  );
  const header = ['n', 'd', 'variant', 'ms/step', 'ours/numpy', 'ours/numpy 1 thread'];
  const rows: string[][] = [];
  const grid: BenchRow[] = [];
  try {
    for (const [n, d] of SHAPES) {
      const w = workload(n, d);
      const model = linear(d);
      const variants = [
        trainVariant('trainWeighted step', model, w),
        objectiveVariant('objective', model, w, 'auto', 'auto'),
        objectiveVariant('objective, 1 thread', model, w, 'auto', 1),
        objectiveVariant('objective, TypeScript', model, w, 'typescript', 1),
      ];
      for (const v of variants) v.batch(Math.min(300, BATCH_MS)); // warm-up: JIT, worker start, resident X
      const js: number[][] = variants.map(() => []);
      const py: number[][] = peers.map(() => []);
      // One batch of every row per round, the order rotated each round, so that a burst of load from
      // other processes does not always land on the same row.
      const batches: Array<() => Promise<void>> = [
        ...peers.map((peer, k) => async () => {
          py[k]!.push(...(await peer.batch(n, d, BATCH_MS)));
        }),
        ...variants.map((v, k) => async () => {
          js[k]!.push(...v.batch(BATCH_MS));
        }),
      ];
      for (let r = 0; r < ROUNDS; r++) {
        for (let q = 0; q < batches.length; q++) await batches[(q + r) % batches.length]!();
      }
      const ref = py.map(median);
      for (let k = 0; k < peers.length; k++) {
        rows.push([String(n), String(d), peers[k]!.name, fmt(ref[k]!), '', '']);
      }
      variants.forEach((v, k) => {
        const ms = median(js[k]!);
        rows.push([
          String(n),
          String(d),
          v.name,
          fmt(ms),
          ref[0] === undefined ? '–' : (ms / ref[0]).toFixed(2),
          ref[1] === undefined ? '–' : (ms / ref[1]).toFixed(2),
        ]);
      });
      const step = median(js[0]!);
      for (const scaling of d === 100 ? [false, true] : [false]) {
        grid.push({
          bench: 'linear',
          workload: `trainWeighted step d=${d} n=${n}`,
          n,
          peer: peers[0]?.name ?? 'numpy',
          oursMs: step,
          peerMs: ref[0] ?? null,
          target: '≤ 1×',
          scaling,
        });
      }
    }
  } finally {
    for (const peer of peers) peer.close();
  }
  table(header, rows);
  console.log(
    `\ntrainWeighted setup per call (steps: 0; median ms): ${[...setupMs]
      .map(([k, v]) => `${k} ${fmt(median(v))}`)
      .join(', ')}`,
  );
  console.log(`load average at the end ${load()}`);
  console.log(
    `checksums (keep the work alive): ours ${sink.toExponential(6)}${peers.map((p) => `, ${p.name} ${p.checksum.toExponential(6)}`).join('')}\n`,
  );
  return grid;
}
