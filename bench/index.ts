/**
 * `npm run bench`: prints the machine, then runs every bench file's exported `run()` in sequence (linear, mlp,
 * mlpGrid, geometry, svm, partition). `npm run bench -- mlpGrid` runs the named ones only; `--figures` writes
 * the ratio heatmap and the time-vs-n figure of the grid rows (bench/figures.ts) into docs/figures/.
 * Peers (numpy, scikit-learn, …) are measured inside each bench file, in the same run, so compare ratios,
 * not absolute times across runs: other processes on the machine move the absolute numbers.
 */
import { availableParallelism, cpus, loadavg, platform, release } from 'node:os';
import type { BenchRow } from './common.js';
import { writeBenchFigures } from './figures.js';
import { run as geometry } from './geometry.js';
import { run as linear } from './linear.js';
import { run as mlp } from './mlp.js';
import { run as mlpGrid } from './mlpGrid.js';
import { run as partition } from './partition.js';
import { run as svm } from './svm.js';

// ── The bench files, run in this order. Each exports `run()` (sync or async). ───────────────────────
const BENCHES: Array<[name: string, run: () => unknown]> = [
  ['linear', linear],
  ['mlp', mlp],
  ['mlpGrid', mlpGrid],
  ['geometry', geometry],
  ['svm', svm],
  ['partition', partition],
];

const cpu = cpus();
console.log('# implicit-bias benchmarks\n');
console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} logical cores`);
console.log(
  `availableParallelism: ${availableParallelism()}, load average (1/5/15 min): ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}`,
);
console.log(`node ${process.version} (V8 ${process.versions.v8}), ${platform()} ${release()}\n`);

// `npm run bench -- mlpGrid svm` runs only those; `--figures` writes the summary SVGs into docs/figures.
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const rows: BenchRow[] = [];
for (const [name, run] of BENCHES) {
  if (only.length > 0 && !only.includes(name)) continue;
  const result = await run();
  if (Array.isArray(result))
    rows.push(...(result as BenchRow[]).filter((r) => r && typeof r === 'object' && 'oursMs' in r));
  console.log('');
}
if (args.includes('--figures') && rows.length > 0) {
  for (const file of await writeBenchFigures(rows)) console.log(`wrote ${file}`);
}
