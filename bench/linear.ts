/**
 * The linear GD step (the issue's workload): weighted exponential loss, linear model, d = 100,
 * n ∈ {10³, 10⁴, 10⁵}. Per step = one fused pass (`model.objective`) + one `gd` update.
 *
 * Measured, interleaved round by round so that every row sees the same machine load:
 *   - `linear(d).objective`           the single-thread kernel
 *   - `parallelLinear(d).objective`   the Node worker-thread model (implicit-bias/node)
 *   - `trainWeighted({ steps })`      per step, with either model (validation and setup amortized)
 *   - numpy (OpenBLAS, its default threads, and pinned to one thread), via bench/python/linear_peer.py
 *     when `python3 -c "import numpy"` works; otherwise those rows are skipped with a message.
 * Reported: the median ms per step over all samples, and the ratio ours / numpy. Rows are measured in
 * interleaved rounds (BENCH_ROUNDS, default 6, of BENCH_BATCH_MS = 250 ms per row, order rotated each
 * round), so the ratios hold even when other processes load the machine.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dataset } from '../src/datasets/index.js';
import type { Dataset } from '../src/datasets/types.js';
import { gd, trainWeighted } from '../src/gd/index.js';
import { exponential } from '../src/losses/index.js';
import { linear } from '../src/models/linear.js';
import type { Model } from '../src/models/types.js';
import { parallelLinear } from '../src/node/index.js';
import { fmt, lcg, median, table, type Variant } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const D = 100;
/** Sizes n to run (BENCH_SIZES, comma-separated, e.g. `BENCH_SIZES=100000`; default 10³, 10⁴, 10⁵). */
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
/** Interleaved rounds per size, and the time budget of one batch (one variant in one round). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 250);

/** Park–Miller: deterministic bench data without Math.random. */
interface Workload {
  data: Dataset;
  /** cᵢ = wᵢ/n with wᵢ ∈ [0.5, 1.5), as trainWeighted builds it. */
  c: Float64Array;
  weights: Float64Array;
  theta: Float64Array;
}

function workload(n: number, d: number): Workload {
  const r = lcg(12345 + n);
  const X = new Float64Array(n * d);
  for (let k = 0; k < X.length; k++) X[k] = 2 * r() - 1;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = r() < 0.5 ? -1 : 1;
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = 0.5 + r();
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = weights[i]! / n;
  const theta = new Float64Array(d);
  for (let j = 0; j < d; j++) theta[j] = 0.1 * r() - 0.05;
  return { data: dataset(X, y, d), c, weights, theta };
}

/** Keeps results alive so no pass can be skipped; printed at the end. */
let sink = 0;

function objectiveVariant(name: string, model: Model, w: Workload): Variant {
  const grad = new Float64Array(model.size);
  const margins = new Float64Array(w.data.n);
  return {
    name,
    batch(ms) {
      const out: number[] = [];
      const end = performance.now() + ms;
      while (out.length < 3 || performance.now() < end) {
        const t0 = performance.now();
        const value = model.objective(grad, w.theta, w.data, w.c, exponential, 0, margins);
        out.push(performance.now() - t0);
        sink += value + grad[0]! + margins[0]!;
      }
      return out;
    },
  };
}

function trainVariant(name: string, model: Model, w: Workload): Variant {
  // Steps per call (2000, 200, 50 for n = 10³, 10⁴, 10⁵): a call evaluates the objective steps + 1 times
  // (the last one records the final loss) after an O(n) setup, both amortized over the steps (at 20 steps
  // per call, as before 2026-11-23, they added ~5–8% to the per-step time at n = 10⁵).
  const steps = Math.max(50, Math.round(2e8 / (w.data.n * D)));
  const optimizer = gd({ lr: 1e-3 });
  return {
    name,
    batch(ms) {
      const out: number[] = [];
      const end = performance.now() + ms;
      while (out.length < 3 || performance.now() < end) {
        const t0 = performance.now();
        const result = trainWeighted({
          data: w.data,
          model,
          weights: w.weights,
          init: w.theta,
          optimizer,
          steps,
          record: { metrics: ['loss'], at: [] },
        });
        out.push((performance.now() - t0) / steps);
        sink += result.theta[0]! + result.history.at(-1)!.loss;
      }
      return out;
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

/** Runs the linear-step benchmark and prints its table. */
export async function run(): Promise<void> {
  console.log('## Linear GD step: weighted exponential loss, d = 100 (median ms per step)\n');
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
  const par = parallelLinear(D);
  const single = linear(D);
  console.log(
    `parallelLinear: ${par.threads} threads, workers used from n·d ≥ ${par.minWork}; ${ROUNDS} rounds × ${BATCH_MS} ms per row\n`,
  );
  const header = ['n', 'variant', 'ms/step', 'ours/numpy', 'ours/numpy 1 thread'];
  const rows: string[][] = [];
  try {
    for (const n of SIZES) {
      const w = workload(n, D);
      const variants = [
        objectiveVariant('objective, linear (1 thread)', single, w),
        objectiveVariant(
          `objective, parallelLinear (${n * D >= par.minWork ? par.threads : 1} thread${n * D >= par.minWork && par.threads > 1 ? 's' : ''})`,
          par,
          w,
        ),
        trainVariant('trainWeighted step, linear', single, w),
        trainVariant('trainWeighted step, parallelLinear', par, w),
      ];
      for (const v of variants) v.batch(Math.min(300, BATCH_MS)); // warm-up: JIT, worker start, shared copies
      const js: number[][] = variants.map(() => []);
      const py: number[][] = peers.map(() => []);
      // One batch of every row per round, the order rotated each round, so that a burst of load from
      // other processes does not always land on the same row.
      const batches: Array<() => Promise<void>> = [
        ...peers.map((peer, k) => async () => {
          py[k]!.push(...(await peer.batch(n, D, BATCH_MS)));
        }),
        ...variants.map((v, k) => async () => {
          js[k]!.push(...v.batch(BATCH_MS));
        }),
      ];
      for (let r = 0; r < ROUNDS; r++) {
        for (let q = 0; q < batches.length; q++) await batches[(q + r) % batches.length]!();
      }
      const ref = py.map(median);
      for (let k = 0; k < peers.length; k++) rows.push([String(n), peers[k]!.name, fmt(ref[k]!), '', '']);
      variants.forEach((v, k) => {
        const ms = median(js[k]!);
        rows.push([
          String(n),
          v.name,
          fmt(ms),
          ref[0] === undefined ? '–' : (ms / ref[0]).toFixed(2),
          ref[1] === undefined ? '–' : (ms / ref[1]).toFixed(2),
        ]);
      });
    }
  } finally {
    par.close();
    for (const peer of peers) peer.close();
  }
  table(header, rows);
  console.log(
    `\nchecksums (keep the work alive): ours ${sink.toExponential(6)}${peers.map((p) => `, ${p.name} ${p.checksum.toExponential(6)}`).join('')}\n`,
  );
}
