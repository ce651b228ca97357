/**
 * The paper's MLP step (issue 5's workload): widths [2, 5, 1], ReLU, no biases, n = 400, exponential loss,
 * full-batch GD with lr 0.1, float64. Per step = one fused pass (`model.objective`) + one `gd` update.
 *
 * Measured, interleaved round by round so that every row sees the same machine load:
 *   - `mlp(...).objective`            the fused forward/backward kernel alone
 *   - `trainWeighted({ steps })`      per step (validation and setup amortized over 2000 steps)
 *   - PyTorch (float64, CPU; torch.set_num_threads at its default and at 1), via
 *     bench/python/mlp_torch.py, when some python3 on the machine imports torch; otherwise those rows are
 *     skipped with a message.
 * Reported: the median µs per step over all samples, and torch's time / ours (how many times faster).
 * Before timing, the trajectory check: 100 GD steps from the same init on the same data in both, and the
 * largest |Δθ| (float64 rounding differences only, ~1e-15 relative, if both compute the same thing).
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dataset } from '../src/datasets/index.js';
import type { Dataset } from '../src/datasets/types.js';
import { gd, trainWeighted } from '../src/gd/index.js';
import { exponential } from '../src/losses/index.js';
import { mlp } from '../src/mlp/index.js';
import type { Model } from '../src/models/types.js';
import { createRng } from '../src/rng/index.js';
import { median, table, type Variant } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const N = 400;
const WIDTHS = [2, 5, 1];
const LR = 0.1;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 250);
/** Steps per trainWeighted call in the timing rows. */
const TRAIN_STEPS = 2000;

/** X uniform in [−1, 1)², labels sign(x₀x₁) (XOR-like: a net is needed), θ standard normal. */
function workload(seed: number): { data: Dataset; theta: Float64Array; model: Model } {
  const rng = createRng(seed);
  const X = new Float64Array(N * 2);
  for (let k = 0; k < X.length; k++) X[k] = 2 * rng.uniform() - 1;
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) y[i] = X[2 * i]! * X[2 * i + 1]! > 0 ? 1 : -1;
  const model = mlp({ widths: WIDTHS });
  return { data: dataset(X, y, 2), theta: model.init(createRng(seed, 1)), model };
}

let sink = 0;

function objectiveVariant(w: ReturnType<typeof workload>): Variant {
  const grad = new Float64Array(w.model.size);
  const margins = new Float64Array(N);
  const c = new Float64Array(N).fill(1 / N);
  return {
    name: 'ours: objective (fused pass)',
    batch(ms) {
      const out: number[] = [];
      const end = performance.now() + ms;
      while (out.length < 3 || performance.now() < end) {
        const t0 = performance.now();
        for (let r = 0; r < 100; r++)
          sink += w.model.objective(grad, w.theta, w.data, c, exponential, 0, margins);
        out.push((performance.now() - t0) / 100);
        sink += grad[0]!;
      }
      return out;
    },
  };
}

function trainVariant(w: ReturnType<typeof workload>): Variant {
  const optimizer = gd({ lr: LR });
  return {
    name: 'ours: trainWeighted step',
    batch(ms) {
      const out: number[] = [];
      const end = performance.now() + ms;
      while (out.length < 3 || performance.now() < end) {
        const t0 = performance.now();
        const res = trainWeighted({
          data: w.data,
          model: w.model,
          init: w.theta,
          optimizer,
          steps: TRAIN_STEPS,
          record: { metrics: ['loss'], at: [] },
        });
        out.push((performance.now() - t0) / TRAIN_STEPS);
        sink += res.theta[0]!;
      }
      return out;
    },
  };
}

/** A python3 that imports torch: the one on PATH, else the system one (Debian's python3-torch). */
function findTorchPython(): { python: string | null; why: string } {
  const tried: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.error) tried.push(`${python}: not found`);
    else if (probe.status !== 0) tried.push(`${python}: no torch`);
    else return { python, why: '' };
  }
  return { python: null, why: tried.join('; ') };
}

/** The torch co-process (bench/python/mlp_torch.py --serve): one request, one JSON answer line. */
class TorchPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  checksum = 0;
  constructor(python: string) {
    this.child = spawn(python, [join(here, 'python/mlp_torch.py'), '--serve']);
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  private async answer(): Promise<Record<string, unknown>> {
    const next = await this.lines.next();
    if (next.done) throw new Error('the torch peer exited');
    return JSON.parse(next.value as string);
  }
  async hello(): Promise<{ torch: string; threads: number }> {
    return (await this.answer()) as { torch: string; threads: number };
  }
  async batch(threads: number, ms: number): Promise<number[]> {
    this.child.stdin.write(`time ${threads} ${ms}\n`);
    const a = (await this.answer()) as { samples: number[]; checksum: number };
    this.checksum += a.checksum;
    return a.samples;
  }
  async trajectory(steps: number, data: Dataset, theta: Float64Array): Promise<number[]> {
    const spec = { X: Array.from(data.X), y: Array.from(data.y), theta: Array.from(theta), lr: LR };
    // X goes as a flat list; the peer reshapes it to n × 2.
    this.child.stdin.write(`traj ${steps}\n${JSON.stringify({ ...spec, X: chunk(spec.X, 2) })}\n`);
    return ((await this.answer()) as { theta: number[] }).theta;
  }
  close(): void {
    this.child.stdin.end();
  }
}

function chunk(a: number[], d: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < a.length; i += d) rows.push(a.slice(i, i + d));
  return rows;
}

/** Runs the MLP benchmark and prints its table. */
export async function run(): Promise<void> {
  console.log(
    `## Paper's MLP GD step: widths [${WIDTHS.join(', ')}], ReLU, n = ${N}, exp loss, lr ${LR} (median µs per step)\n`,
  );
  const w = workload(2021);
  const found = findTorchPython();
  const peer = found.python === null ? null : new TorchPeer(found.python);
  try {
    if (peer === null) {
      console.log(`torch peer skipped: ${found.why}\n`);
    } else {
      const info = await peer.hello();
      console.log(
        `peer: torch ${info.torch} (${found.python}), float64 CPU, default threads = ${info.threads} and 1\n`,
      );
      // Trajectory check: the same 100 GD steps from the same init in both.
      const steps = 100;
      const ours = trainWeighted({
        data: w.data,
        model: w.model,
        init: w.theta,
        optimizer: gd({ lr: LR }),
        steps,
        record: { metrics: ['loss'], at: [] },
      }).theta;
      const theirs = await peer.trajectory(steps, w.data, w.theta);
      let maxDiff = 0;
      let maxAbs = 0;
      for (let j = 0; j < ours.length; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(ours[j]! - theirs[j]!));
        maxAbs = Math.max(maxAbs, Math.abs(ours[j]!));
      }
      console.log(
        `trajectory check: ${steps} GD steps from the same init, max |θ_ours − θ_torch| = ${maxDiff.toExponential(2)} (max |θ| = ${maxAbs.toFixed(3)})\n`,
      );
    }
    const variants = [objectiveVariant(w), trainVariant(w)];
    for (const v of variants) v.batch(300); // warm-up: JIT
    const js: number[][] = variants.map(() => []);
    const threads = peer === null ? [] : [0, 1];
    const py: number[][] = threads.map(() => []);
    const batches: Array<() => Promise<void>> = [
      ...threads.map((t, k) => async () => {
        py[k]!.push(...(await peer!.batch(t, BATCH_MS)));
      }),
      ...variants.map((v, k) => async () => {
        js[k]!.push(...v.batch(BATCH_MS));
      }),
    ];
    for (let r = 0; r < ROUNDS; r++) {
      for (let q = 0; q < batches.length; q++) await batches[(q + r) % batches.length]!();
    }
    const ref = py.map(median);
    const rows: string[][] = [];
    threads.forEach((t, k) => {
      rows.push([
        `torch (${t === 0 ? 'default threads' : '1 thread'}): full step`,
        (1000 * ref[k]!).toFixed(1),
        '',
        '',
      ]);
    });
    variants.forEach((v, k) => {
      const ms = median(js[k]!);
      rows.push([
        v.name,
        (1000 * ms).toFixed(2),
        ref[0] === undefined ? '–' : `${(ref[0] / ms).toFixed(1)}×`,
        ref[1] === undefined ? '–' : `${(ref[1] / ms).toFixed(1)}×`,
      ]);
    });
    const header = ['variant', 'µs/step', 'torch default / ours', 'torch 1 thread / ours'];
    table(header, rows);
    console.log(
      `\n${ROUNDS} rounds × ${BATCH_MS} ms per row; checksums (keep the work alive): ours ${sink.toExponential(6)}${peer ? `, torch ${peer.checksum.toExponential(6)}` : ''}\n`,
    );
  } finally {
    peer?.close();
  }
}
