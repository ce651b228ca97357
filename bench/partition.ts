/**
 * `separablePartition` (issue 4, "Benchmark"): n ∈ {200, 2000, 20000}, d ∈ {2, 10}, on two workloads:
 *
 * - `partitioned`: `datasets.partitioned({ nSep: n/2, nNonSep: n/2, d })`, a separable core plus a
 *   block of points only a zero margin satisfies (dim S = d − 1);
 * - `blobs`: `datasets.nonSeparable({ n, d })` (Figure 1b), overlapping Gaussian blobs, where typically
 *   every point is non-separable.
 *
 * Reported: the median ms per call (the solver is loaded first; each call builds and solves one LP of
 * d rows × 2n columns — the dual of the partition LP — then verifies and builds the bases), simplex iterations, |D_sep|, and the
 * growth exponent log(t₂/t₁)/log(n₂/n₁) between consecutive sizes. Target: n = 2000, d = 10 under
 * 0.5 s, growth no worse than about n^1.5. BENCH_ROUNDS (default 5) sets the repetitions per row
 * (fewer at n = 20000).
 */
import { datasets } from '../src/datasets/datasets.js';
import type { Dataset } from '../src/datasets/types.js';
import { ready } from '../src/svm/lp/ready.js';
import { separablePartitionSync } from '../src/svm/partition/separablePartition.js';
import { median } from './common.js';

const SIZES = [200, 2000, 20000];
const DIMS = [2, 10];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Row {
  workload: string;
  n: number;
  d: number;
  ms: number;
  iterations: number;
  sep: number;
}

function time(data: Dataset, rounds: number): { ms: number; iterations: number; sep: number } {
  separablePartitionSync(data); // warm-up (JIT, allocation)
  separablePartitionSync(data);
  const times: number[] = [];
  let iterations = 0;
  let sep = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const p = separablePartitionSync(data);
    times.push(performance.now() - t0);
    iterations = p.iterations;
    sep = p.separable.length;
  }
  return { ms: median(times), iterations, sep };
}

export async function run(): Promise<Row[]> {
  await ready();
  const rows: Row[] = [];
  for (const workload of ['partitioned', 'blobs'] as const) {
    for (const d of DIMS) {
      for (const n of SIZES) {
        const data =
          workload === 'partitioned'
            ? datasets.partitioned({ nSep: n / 2, nNonSep: n / 2, d, seed: 1 })
            : datasets.nonSeparable({ n, d, seed: 1 });
        const rounds = n >= 20000 ? Math.max(1, Math.min(ROUNDS, 3)) : ROUNDS;
        rows.push({ workload, n, d, ...time(data, rounds) });
      }
    }
  }
  console.log(`separablePartition (one LP, HiGHS simplex), median ms per call, Node ${process.version}`);
  console.log(
    '| workload | d | n | ms / call | simplex iterations | D_sep | growth exponent vs previous n |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const prev = rows[k - 1];
    const growth =
      prev !== undefined && prev.workload === r.workload && prev.d === r.d
        ? (Math.log(r.ms / prev.ms) / Math.log(r.n / prev.n)).toFixed(2)
        : '';
    console.log(
      `| ${r.workload} | ${r.d} | ${r.n} | ${r.ms.toFixed(1)} | ${r.iterations} | ${r.sep} | ${growth} |`,
    );
  }
  const target = rows.find((r) => r.workload === 'partitioned' && r.n === 2000 && r.d === 10)!;
  console.log(
    `target n = 2000, d = 10 (partitioned): ${target.ms.toFixed(1)} ms (< 500 ms: ${target.ms < 500})`,
  );
  return rows;
}
