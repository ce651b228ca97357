/**
 * `npm run bench`: prints the machine, then runs every bench file's exported `run()` in sequence (linear, mlp,
 * geometry, svm, partition).
 * Peers (numpy, scikit-learn, …) are measured inside each bench file, in the same run, so compare ratios,
 * not absolute times across runs: other processes on the machine move the absolute numbers.
 */
import { availableParallelism, cpus, loadavg, platform, release } from 'node:os';
import { run as geometry } from './geometry.js';
import { run as linear } from './linear.js';
import { run as mlp } from './mlp.js';
import { run as partition } from './partition.js';
import { run as svm } from './svm.js';

// ── The bench files, run in this order. Each exports `run()` (sync or async). ───────────────────────
const BENCHES: Array<[name: string, run: () => unknown]> = [
  ['linear', linear],
  ['mlp', mlp],
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

for (const [, run] of BENCHES) {
  await run();
  console.log('');
}
