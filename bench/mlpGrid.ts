/**
 * The MLP grid of issue 11: one full-batch GD step (`trainWeighted`, fused objective + update, steps amortized
 * over a call) against PyTorch float64 on the CPU (bench/python/mlp_grid_torch.py) at every shape of the
 * targets, and at growing n for the scaling exponent. Interleaved round by round so both sides see the same
 * machine load; medians. Peers skipped cleanly without a python3 that imports torch.
 *
 *   npx tsx -e "import('./bench/mlpGrid.ts').then(m => m.run())"
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dataset } from '../src/datasets/index.js';
import { gd, trainWeighted } from '../src/gd/index.js';
import { kernelBackend } from '../src/kernels/wasm/index.js';
import { kernelThreads } from '../src/kernels/wasm/threads.js';
import { exponential, logistic } from '../src/losses/index.js';
import { mlp } from '../src/mlp/index.js';
import { type BenchRow, fmt, lcg, median, table } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 400);

/** A grid point: the widths, n and the loss. `scaling` points feed the time-vs-n fit only. */
interface Shape {
  widths: number[];
  n: number;
  loss: 'exp' | 'logistic';
  target: string;
  scaling?: boolean;
}

export const MLP_GRID: Shape[] = [
  { widths: [2, 5, 1], n: 400, loss: 'exp', target: '≥ 10× faster' },
  { widths: [2, 64, 1], n: 400, loss: 'exp', target: '≤ 1×' },
  { widths: [2, 10, 10, 1], n: 400, loss: 'exp', target: '≤ 1×' },
  { widths: [100, 100, 100, 1], n: 4000, loss: 'logistic', target: '≤ 4×' },
  { widths: [784, 256, 1], n: 4000, loss: 'logistic', target: '≤ 4×' },
  { widths: [100, 100, 1], n: 1000, loss: 'logistic', target: 'scaling', scaling: true },
  { widths: [100, 100, 1], n: 4000, loss: 'logistic', target: 'scaling', scaling: true },
  { widths: [100, 100, 1], n: 16000, loss: 'logistic', target: 'scaling', scaling: true },
];

const key = (s: Shape): string => `${s.widths.join('x')}-${s.n}-${s.loss}`;

/** One shape's data and a closure that times `steps` trainWeighted steps (ms per step). */
function ours(s: Shape): (ms: number) => number[] {
  const r = lcg(2021);
  const d = s.widths[0]!;
  const X = new Float64Array(s.n * d);
  for (let q = 0; q < X.length; q++) X[q] = 2 * r() - 1;
  const y = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) y[i] = X[i * d]! * X[i * d + Math.min(1, d - 1)]! > 0 ? 1 : -1;
  const data = dataset(X, y, d);
  const model = mlp({ widths: s.widths });
  const init = new Float64Array(model.size);
  let q = 0;
  for (let l = 0; l + 1 < s.widths.length; l++) {
    const fan = s.widths[l]!;
    for (let k = 0; k < fan * s.widths[l + 1]!; k++) init[q++] = (2 * r() - 1) * Math.sqrt(3 / fan);
  }
  const loss = s.loss === 'exp' ? exponential : logistic;
  const work = s.n * model.size;
  const steps = Math.max(3, Math.min(2000, Math.round(4e7 / work)));
  let sink = 0;
  return (ms) => {
    const out: number[] = [];
    const end = performance.now() + ms;
    while (out.length < 2 || performance.now() < end) {
      const t0 = performance.now();
      const res = trainWeighted({
        data,
        model,
        loss,
        init,
        optimizer: gd({ lr: 0.01 }),
        steps,
        record: { at: [] },
      });
      out.push((performance.now() - t0) / steps);
      sink += res.theta[0]!;
    }
    if (sink === 42) console.log('');
    return out;
  };
}

function findTorchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return python;
  }
  return null;
}

/** The torch co-process: one request line, one JSON answer line. */
class Torch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  constructor(python: string) {
    this.child = spawn(python, [join(here, 'python/mlp_grid_torch.py'), '--serve']);
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }
  async answer(): Promise<Record<string, unknown>> {
    const next = await this.lines.next();
    if (next.done) throw new Error('the torch peer exited');
    return JSON.parse(next.value as string);
  }
  async ask(line: string): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${line}\n`);
    return this.answer();
  }
  close(): void {
    this.child.stdin.end();
  }
}

/** Runs the grid, prints its table and returns its rows (for the heatmap and the scaling figure). */
export async function run(): Promise<BenchRow[]> {
  const backend = kernelBackend();
  console.log(
    `## MLP grid: one GD step (trainWeighted, ms per step) vs PyTorch float64 CPU\n\nours: ${backend.note}, ${kernelThreads()} thread(s) for large products\n`,
  );
  const python = findTorchPython();
  const torch = python === null ? null : new Torch(python);
  const rows: BenchRow[] = [];
  try {
    let torchThreads = [0];
    if (torch === null)
      console.log('torch peer skipped: no python3 that imports torch (apt-get install python3-torch)\n');
    else {
      const hello = (await torch.answer()) as { torch: string; threads: number };
      torchThreads = hello.threads > 1 ? [0] : [0, 2];
      console.log(`peer: torch ${hello.torch} (${python}), default threads ${hello.threads}\n`);
    }
    for (const s of MLP_GRID) {
      const mine = ours(s);
      mine(100); // JIT warm-up
      if (torch !== null) await torch.ask(`setup ${key(s)} ${s.widths.join(',')} ${s.n} ${s.loss}`);
      const a: number[] = [];
      const b: number[][] = torchThreads.map(() => []);
      for (let round = 0; round < ROUNDS; round++) {
        a.push(...mine(BATCH_MS));
        if (torch !== null) {
          for (const [k, t] of torchThreads.entries()) {
            const ans = (await torch.ask(`time ${key(s)} ${t} ${BATCH_MS}`)) as { samples: number[] };
            b[k]!.push(...ans.samples);
          }
        }
      }
      const ms = median(a);
      for (const [k, t] of torchThreads.entries()) {
        const peerMs = b[k]!.length > 0 ? median(b[k]!) : null;
        rows.push({
          bench: 'mlp',
          workload: `[${s.widths.join(', ')}] n=${s.n} ${s.loss}`,
          n: s.n,
          peer: torch === null ? 'torch' : `torch ${t === 0 ? 'default' : `${t} threads`}`,
          oursMs: ms,
          peerMs,
          target: s.target,
          scaling: s.scaling === true,
        });
      }
    }
  } finally {
    torch?.close();
  }
  table(
    ['workload', 'target', 'ours ms', 'peer', 'peer ms', 'ours / peer'],
    rows.map((r) => [
      r.workload,
      r.target,
      fmt(r.oursMs),
      r.peer,
      r.peerMs === null ? '–' : fmt(r.peerMs),
      r.peerMs === null ? '–' : `${(r.oursMs / r.peerMs).toFixed(2)}`,
    ]),
  );
  console.log(`\n${ROUNDS} rounds × ${BATCH_MS} ms per side and shape, interleaved; medians\n`);
  return rows;
}
