/**
 * Benchmark of `hardMarginSVM` (with bias) against scikit-learn's SVC and cvxopt on the same data.
 *
 * Run: `npx tsx bench/svm.ts` (or call `run()` from bench/index.ts). Data: n ∈ {100, 1000, 2000}, d = 10,
 * standard normal points labelled by a planted affine separator and pushed to a margin of 0.05, from a
 * local deterministic generator (seeded; no Math.random). Reports the median time per solve. If a
 * Python with numpy + scikit-learn is found, bench/python/svm_peer.py is run on the same data (written
 * to a temporary JSON file) and the speed ratio and the relative difference of γ* are reported;
 * otherwise a "skipped: …" line is printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Dataset } from '../src/datasets/types.js';
import { hardMarginSVM } from '../src/svm/index.js';
import { median } from './common.js';

/** Knuth's MMIX LCG; uniform in [0, 1) with 53 random bits. Deterministic for a given seed. */
function lcg(seed: number): () => number {
  let s = BigInt(seed) & 0xffffffffffffffffn;
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(s >> 11n) / 2 ** 53;
  };
}

/** Separable data with a bias: xᵢ ~ N(0, I), yᵢ = sign(uᵀxᵢ + b₀), then pushed to margin ≥ 0.05 along u. */
function separableData(n: number, d: number, seed: number): Dataset {
  const r = lcg(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const u = Array.from({ length: d }, normal);
  const nu = Math.hypot(...u);
  for (let j = 0; j < d; j++) u[j]! /= nu;
  const b0 = 0.3;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: d }, normal);
    let t = b0;
    for (let j = 0; j < d; j++) t += u[j]! * x[j]!;
    const yi = t >= 0 ? 1 : -1;
    const shift = yi * (Math.abs(t) + 0.05) - t;
    for (let j = 0; j < d; j++) X[i * d + j] = x[j]! + shift * u[j]!;
    y[i] = yi;
  }
  return { X, y, n, d };
}

interface Row {
  n: number;
  ms: number;
  gamma: number;
  support: number;
  kkt: number;
}

interface PeerRow {
  n: number;
  sklearn_ms: number;
  sklearn_gamma: number;
  cvxopt_ms: number | null;
  cvxopt_gamma: number | null;
}

/** The first Python (of /usr/bin/python3, python3) that imports numpy and scikit-learn, or null. */
function findPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

/** Runs the benchmark and prints a table; returns the rows (ours, and the peers' when measured). */
export async function run(): Promise<{ ours: Row[]; peer: PeerRow[] | null }> {
  const sizes = [100, 1000, 2000];
  const d = 10;
  const datasets = sizes.map((n, k) => separableData(n, d, 20210 + k));
  const ours: Row[] = [];
  // Warm-up on every size first: the JIT needs a few dozen calls before the first timing is meaningful.
  for (let w = 0; w < 20; w++)
    for (const data of datasets) if (w < 5 || data.n <= 100) hardMarginSVM(data, { bias: true });
  for (const data of datasets) {
    const runs = data.n <= 100 ? 50 : 15;
    const times: number[] = [];
    let res = hardMarginSVM(data, { bias: true });
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      res = hardMarginSVM(data, { bias: true });
      times.push(performance.now() - t0);
    }
    ours.push({
      n: data.n,
      ms: median(times),
      gamma: res.gamma,
      support: res.support.length,
      kkt: res.kktResidual,
    });
  }

  console.log(
    `hardMarginSVM (bias: true), d = ${d}, median of 15–50 solves after warm-up, Node ${process.version}`,
  );
  console.log('| n | ms / solve | γ* | support | KKT residual |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const r of ours) {
    console.log(
      `| ${r.n} | ${r.ms.toFixed(2)} | ${r.gamma.toPrecision(12)} | ${r.support} | ${r.kkt.toExponential(1)} |`,
    );
  }

  const py = findPython();
  if (py === null) {
    console.log(
      'skipped: python peer (no python3 with numpy + scikit-learn; e.g. apt-get install python3-sklearn)',
    );
    return { ours, peer: null };
  }
  const dir = mkdtempSync(join(tmpdir(), 'svm-bench-'));
  try {
    const file = join(dir, 'data.json');
    writeFileSync(
      file,
      JSON.stringify(datasets.map((s) => ({ n: s.n, d: s.d, X: Array.from(s.X), y: Array.from(s.y) }))),
    );
    const script = join(dirname(fileURLToPath(import.meta.url)), 'python', 'svm_peer.py');
    const r = spawnSync(py, [script, file], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) {
      console.log(
        `skipped: python peer failed (${py}): ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`,
      );
      return { ours, peer: null };
    }
    const peer = JSON.parse(r.stdout) as PeerRow[];
    console.log(
      `\npeers (${py}): scikit-learn SVC(kernel='linear', C=1e10) fit; cvxopt.solvers.qp on the primal`,
    );
    console.log(
      '| n | ours ms | sklearn ms | sklearn / ours | rel. diff γ* vs sklearn | cvxopt ms | rel. diff γ* vs cvxopt |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    peer.forEach((p, k) => {
      const o = ours[k]!;
      const cv =
        p.cvxopt_ms === null || p.cvxopt_gamma === null
          ? '— | —'
          : `${p.cvxopt_ms.toFixed(2)} | ${Math.abs(o.gamma / p.cvxopt_gamma - 1).toExponential(1)}`;
      console.log(
        `| ${p.n} | ${o.ms.toFixed(2)} | ${p.sklearn_ms.toFixed(2)} | ${(p.sklearn_ms / o.ms).toFixed(1)}× | ${Math.abs(o.gamma / p.sklearn_gamma - 1).toExponential(1)} | ${cv} |`,
      );
    });
    return { ours, peer };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
