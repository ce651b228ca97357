/**
 * Benchmark of `hardMarginSVM` (with bias) against scikit-learn's SVC and cvxopt, on a grid of random and
 * real data sets, all measured in the same run.
 *
 * Run: `npx tsx bench/svm.ts` (or `run()` from bench/index.ts). Knobs: `BENCH_SVM_ONLY=<regexp>` keeps
 * the rows whose name matches; `BENCH_SVM_ROUNDS=<k>` sets the rounds (default 5; 3 at n ≥ 10⁴).
 *
 * Data (deterministic generators, no Math.random):
 * - **few SVs** — two Gaussian clusters N(±6u, I) (labels ±1 equally likely, u a random unit vector);
 * - **many SVs** — "classes touch": x ~ N(0, I), y = sign(uᵀx + 0.3), nothing pushed apart, so the margin
 *   is ~1/n and d + 1 points are support vectors;
 * - **margin 0.05** — the former bench data (x ~ N(0, I) pushed to margin 0.05 along u), at n = 2000,
 *   d = 10 where the issue measured it;
 * - **real** — breast cancer (benign vs malignant) and wine (class 0 vs rest) from bench/data/ (UCI,
 *   CC BY 4.0), digits 3 vs 8 exported by the Python peer when scikit-learn is there; each standardized
 *   to zero mean and unit variance per column (population variance; constant columns left at 0).
 *
 * Peers (bench/python/svm_peer.py, one persistent process): `SVC(kernel='linear', C=1e10).fit` and
 * `cvxopt.solvers.qp` on the exact primal (tolerances 1e-12). Each row runs `rounds` rounds; a round
 * times one batch (≈ 150 ms or one solve, whichever is longer) of each solver, in an order rotated from
 * round to round, so that machine load hits all three alike. Reported: the median over all solves, and
 * the range of the per-round medians. A peer whose first solve takes longer than max(2 s, 3× the other
 * peer) is stopped and shown as "> limit" (it is then not the faster peer). Without Python, numpy or
 * scikit-learn the peers are skipped with a message, and without cvxopt that column is.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Dataset } from '../src/datasets/types.js';
import { hardMarginSVM } from '../src/svm/index.js';
import { fmt, median, table } from './common.js';
import { csvDataset, standardize } from './svmData.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Knuth's MMIX LCG; uniform in [0, 1) with 53 random bits. Deterministic for a given seed. */
function lcg(seed: number): () => number {
  let s = BigInt(seed) & 0xffffffffffffffffn;
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(s >> 11n) / 2 ** 53;
  };
}

/** A standard normal sampler (Box–Muller) on {@link lcg}. */
function normals(seed: number): () => number {
  const r = lcg(seed);
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function unitVector(normal: () => number, d: number): number[] {
  const u = Array.from({ length: d }, normal);
  const nu = Math.hypot(...u);
  return u.map((v) => v / nu);
}

/** Many SVs: x ~ N(0, I), y = sign(uᵀx + 0.3); the classes touch (margin ~1/n). */
export function touching(n: number, d: number, seed: number): Dataset {
  return planted(n, d, seed, 0);
}

/** x ~ N(0, I), yᵢ = sign(uᵀxᵢ + 0.3), then each point pushed along u to margin ≥ `push`. */
function planted(n: number, d: number, seed: number, push: number): Dataset {
  const normal = normals(seed);
  const u = unitVector(normal, d);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: d }, normal);
    let t = 0.3;
    for (let j = 0; j < d; j++) t += u[j]! * x[j]!;
    const yi = t >= 0 ? 1 : -1;
    const shift = yi * (Math.abs(t) + push) - t;
    for (let j = 0; j < d; j++) X[i * d + j] = x[j]! + (push > 0 ? shift * u[j]! : 0);
    y[i] = yi;
  }
  return { X, y, n, d };
}

/** Few SVs: two Gaussian clusters N(±6u, I), labels ±1 with probability ½ each. */
export function clusters(n: number, d: number, seed: number): Dataset {
  const normal = normals(seed);
  const r = lcg(seed + 1);
  const u = unitVector(normal, d);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yi = r() < 0.5 ? 1 : -1;
    for (let j = 0; j < d; j++) X[i * d + j] = normal() + 6 * yi * u[j]!;
    y[i] = yi;
  }
  return { X, y, n, d };
}

/** A file of little-endian float64 values (copied out of Node's shared Buffer pool). */
function readFloat64(path: string): Float64Array {
  const b = readFileSync(path);
  return Float64Array.from(new Float64Array(b.buffer, b.byteOffset, b.length / 8));
}

/** The persistent Python peer: one JSON request per line, one JSON reply per line. */
class Peer {
  private readonly queue: Array<(line: string) => void> = [];
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.queue.shift()?.(line));
  }
  /** Starts the peer with the first Python that imports numpy and scikit-learn, or explains why not. */
  static start(): { peer: Peer; python: string } | { reason: string } {
    for (const py of ['/usr/bin/python3', 'python3']) {
      const probe = spawnSync(py, ['-c', 'import numpy, sklearn'], { encoding: 'utf8' });
      if (probe.status !== 0) continue;
      const child = spawn(py, [join(HERE, 'python', 'svm_peer.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
      return { peer: new Peer(child), python: py };
    }
    return { reason: 'no python3 with numpy + scikit-learn (e.g. apt-get install python3-sklearn)' };
  }
  request(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.queue.push((line) => {
        const reply = JSON.parse(line) as Record<string, unknown>;
        if (typeof reply.error === 'string') reject(new Error(reply.error));
        else resolve(reply);
      });
      this.child.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }
  close(): void {
    this.child.stdin.end();
  }
}

interface Row {
  name: string;
  n: number;
  d: number;
  ours: number[];
  oursRounds: number[];
  gamma: number;
  support: number;
  kkt: number;
  /** γ* from the peer's extended-precision KKT solve on our support set, and whether it certified it. */
  reference?: { gamma: number; certified: boolean };
  peers: Record<string, { ms: number[]; rounds: number[]; gamma?: number; support?: number; limit?: number }>;
}

/** Times `solve` in a batch of about `ms` milliseconds (at least one call); returns per-call times. */
function batch(solve: () => void, ms: number, probe: number): number[] {
  const reps = Math.max(1, Math.round(ms / Math.max(probe, 1e-3)));
  const out: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    solve();
    out.push(performance.now() - t0);
  }
  return out;
}

const BATCH_MS = 150;

/** Runs the grid and prints the machine, a table and the ratios; returns the rows. */
export async function run(): Promise<Row[]> {
  const only = process.env.BENCH_SVM_ONLY === undefined ? null : new RegExp(process.env.BENCH_SVM_ONLY);
  const started = new Date();
  const load0 = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'svm-bench-'));
  const launch = Peer.start();
  const peer = 'peer' in launch ? launch.peer : null;
  let hello: Record<string, unknown> = {};
  if (peer !== null) hello = await peer.request({ cmd: 'hello' });

  const sets: Array<{ name: string; make: () => Dataset | Promise<Dataset> }> = [
    { name: 'breast cancer', make: () => csvDataset('breast_cancer.csv', (t) => t === 1) },
    { name: 'wine 0 vs rest', make: () => csvDataset('wine.csv', (t) => t === 0) },
  ];
  if (peer !== null) {
    sets.push({
      name: 'digits 3 vs 8',
      make: async () => {
        const path = join(dir, 'digits');
        const { n, d } = (await peer.request({ cmd: 'digits', path })) as { n: number; d: number };
        return { X: standardize(readFloat64(`${path}.x`), n, d), y: readFloat64(`${path}.y`), n, d };
      },
    });
  }
  sets.push({ name: 'margin 0.05', make: () => planted(2000, 10, 20211, 0.05) });
  for (const n of [500, 2000, 5000, 20000]) {
    for (const d of [10, 50, 100]) {
      sets.push({ name: 'few SVs', make: () => clusters(n, d, 1000 * n + d) });
      sets.push({ name: 'many SVs', make: () => touching(n, d, 1000 * n + d + 7) });
    }
  }
  sets.push({ name: 'many SVs', make: () => touching(10000, 50, 10_000_057) });

  const rows: Row[] = [];
  try {
    for (const set of sets) {
      const data = await set.make();
      const label = `${set.name}, n = ${data.n}, d = ${data.d}`;
      if (only !== null && !only.test(label)) continue;
      rows.push(await measure(set.name, data, peer, dir));
      process.stderr.write(`  done: ${label}\n`);
    }
  } finally {
    peer?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  report(rows, started, load0, hello, 'peer' in launch ? launch.python : launch.reason);
  return rows;
}

async function measure(name: string, data: Dataset, peer: Peer | null, dir: string): Promise<Row> {
  const { n, d } = data;
  const rounds = Number(process.env.BENCH_SVM_ROUNDS ?? (n >= 10_000 ? 3 : 5));
  // Ours: warm-up (the JIT needs a few dozen calls before the timings settle), then a probe.
  let res = hardMarginSVM(data, { bias: true });
  const warm = n <= 2000 ? 20 : n <= 5000 ? 6 : 2;
  for (let k = 0; k < warm; k++) res = hardMarginSVM(data, { bias: true });
  let t0 = performance.now();
  res = hardMarginSVM(data, { bias: true });
  const probe = performance.now() - t0;
  const row: Row = {
    name,
    n,
    d,
    ours: [],
    oursRounds: [],
    gamma: res.gamma,
    support: res.support.length,
    kkt: res.kktResidual,
    peers: {},
  };
  const solvers: string[] = ['ours'];
  const peerProbe: Record<string, number> = {};
  if (peer !== null) {
    const key = `${name}-${n}-${d}`;
    writeFileSync(join(dir, 'x.bin'), data.X);
    writeFileSync(join(dir, 'y.bin'), data.y);
    await peer.request({ cmd: 'load', key, x: join(dir, 'x.bin'), y: join(dir, 'y.bin'), n, d });
    // Probe cvxopt first (it is the more predictable of the two), then scikit-learn under a time limit.
    for (const solver of ['cvxopt', 'sklearn']) {
      const other = Object.values(peerProbe);
      const limit = Math.max(2, 3 * (other.length > 0 ? Math.min(...other) / 1e3 : 0));
      t0 = performance.now();
      const r = (await peer.request({ cmd: 'run', key, solver, reps: 1, limit })) as {
        missing?: boolean;
        limited: boolean;
        ms: number[];
        gamma: number;
        support: number;
      };
      if (r.missing) continue;
      if (r.limited) {
        row.peers[solver] = { ms: [], rounds: [], limit };
        continue;
      }
      peerProbe[solver] = r.ms[0]!;
      row.peers[solver] = { ms: [], rounds: [], gamma: r.gamma, support: r.support };
      solvers.push(solver);
    }
  }
  if (peer !== null) {
    const key = `${name}-${n}-${d}`;
    const c = (await peer.request({ cmd: 'certify', key, support: Array.from(res.support) })) as {
      gamma: number;
      certified: boolean;
    };
    row.reference = { gamma: c.gamma, certified: c.certified };
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < solvers.length; k++) {
      const solver = solvers[(k + round) % solvers.length]!;
      if (solver === 'ours') {
        const times = batch(() => hardMarginSVM(data, { bias: true }), BATCH_MS, probe);
        row.ours.push(...times);
        row.oursRounds.push(median(times));
      } else {
        const p = peerProbe[solver]!;
        const reps = Math.max(1, Math.round(BATCH_MS / p));
        const key = `${name}-${n}-${d}`;
        const r = (await peer!.request({ cmd: 'run', key, solver, reps, limit: null })) as { ms: number[] };
        row.peers[solver]!.ms.push(...r.ms);
        row.peers[solver]!.rounds.push(median(r.ms));
      }
    }
  }
  return row;
}

function report(
  rows: Row[],
  started: Date,
  load0: number[],
  hello: Record<string, unknown>,
  python: string,
): void {
  const cpu = cpus();
  console.log(
    `hardMarginSVM (bias: true) vs scikit-learn SVC(kernel='linear', C=1e10) and cvxopt.solvers.qp (exact primal), ${started.toISOString()}`,
  );
  console.log(
    `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} logical cores, ${platform()} ${release()}; node ${process.version}`,
  );
  if (hello.python === undefined) console.log(`skipped: python peers (${python})`);
  else {
    console.log(
      `peers: ${python} (Python ${hello.python}), numpy ${hello.numpy}, scikit-learn ${hello.sklearn}, cvxopt ${hello.cvxopt ?? 'missing — skipped'}, BLAS ${hello.blas}`,
    );
  }
  const load1 = loadavg();
  console.log(
    `load average (1/5/15 min) at start ${load0.map((l) => l.toFixed(2)).join(' / ')}, at end ${load1.map((l) => l.toFixed(2)).join(' / ')}`,
  );
  console.log(
    'times: median ms per solve over all rounds [range of the round medians]; ratio = ours / the faster peer (< 1: ours faster)',
  );
  console.log(
    'γ* error: relative to the reference γ* of an extended-precision KKT solve on our support set, certified when α ≥ 0 and every margin ≥ 1 (bench/python/svm_peer.py)\n',
  );
  const range = (r: number[]) => (r.length === 0 ? '' : ` [${fmt(Math.min(...r))}–${fmt(Math.max(...r))}]`);
  const cell = (p: Row['peers'][string] | undefined) => {
    if (p === undefined) return '—';
    if (p.limit !== undefined) return `> ${p.limit.toFixed(1)} s`;
    return `${fmt(median(p.ms))}${range(p.rounds)}`;
  };
  const rel = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? '—' : Math.abs(a / b - 1).toExponential(1);
  const out: string[][] = [];
  for (const r of rows) {
    const ours = median(r.ours);
    const peerMs = Object.values(r.peers)
      .filter((p) => p.limit === undefined && p.ms.length > 0)
      .map((p) => median(p.ms));
    const faster = peerMs.length > 0 ? Math.min(...peerMs) : undefined;
    out.push([
      r.name,
      String(r.n),
      String(r.d),
      `${r.support} / ${r.peers.cvxopt?.support ?? '—'} / ${r.peers.sklearn?.support ?? '—'}`,
      `${fmt(ours)}${range(r.oursRounds)}`,
      cell(r.peers.sklearn),
      cell(r.peers.cvxopt),
      faster === undefined ? '—' : (ours / faster).toFixed(2),
      rel(r.gamma, r.peers.cvxopt?.gamma),
      r.reference === undefined
        ? '—'
        : `${rel(r.gamma, r.reference.gamma)} / ${rel(r.peers.cvxopt?.gamma, r.reference.gamma)} / ${rel(r.peers.sklearn?.gamma, r.reference.gamma)}${r.reference.certified ? '' : ' (not certified)'}`,
      r.kkt.toExponential(1),
    ]);
  }
  table(
    [
      'data',
      'n',
      'd',
      'SVs ours / cvxopt / sklearn',
      'ours ms',
      'sklearn ms',
      'cvxopt ms',
      'ours / faster',
      '|γ*/γ*cvxopt − 1|',
      'γ* error: ours / cvxopt / sklearn',
      'KKT',
    ],
    out,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
