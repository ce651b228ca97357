import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { experiments } from '../experiments/experiments.js';
import { reproduce, reproduceWorker } from './reproduce.js';
import { parseShard, sweep } from './sweep.js';
import { traceToCsv, train } from './train.js';

const USAGE = `Usage: implicit-bias <command> [options]

Commands:
  reproduce   run the paper's and slides' experiments; write <out>/<name>.svg and <out>/<name>.json
  list        list the experiments
  train       one training run from a JSON config; the trace as JSON or CSV
  sweep       a grid of training runs (a shard of it); one JSON line per run

Options of reproduce:
  --only a,b               only these experiments (default: all)
  --seeds N                seeds per experiment (default: each experiment's own)
  --steps small|default|N  run length (default: default)
  --out DIR                output directory (default: figures)
  --jobs N                 spread the experiments over N processes (default 1)

Options of train:
  --config FILE            the run (see docs/figures.md: data, model, loss, weights, optimizer, steps, …)
  --format json|csv        the trace's format (default: json)
  --out FILE               where to write it (default: standard output)

Options of sweep:
  --config FILE            { "base": <train config>, "grid": { "optimizer.lr": [0.01, 0.1], "seed": [0, 1] } }
  --shard i/N              run only the points k with k mod N = i − 1 (default 1/1: all)
  --out FILE               where to write the JSON lines (default: standard output)
`;

async function readJson(path: string | undefined, command: string): Promise<unknown> {
  if (path === undefined) throw new Error(`${command} needs --config FILE (a JSON file)`);
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${command}: ${path} is not valid JSON (${(err as Error).message})`);
  }
}

async function trainOrSweep(command: 'train' | 'sweep', rest: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...rest],
    options: {
      config: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      shard: { type: 'string' },
    },
    strict: true,
  });
  const config = await readJson(values.config, command);
  let text: string;
  if (command === 'train') {
    if (values.shard !== undefined) throw new Error('train does not take --shard (use sweep)');
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv')
      throw new Error(`--format must be json or csv, got '${format}'`);
    const trace = train(config);
    text = format === 'csv' ? traceToCsv(trace) : `${JSON.stringify(trace)}\n`;
  } else {
    if (values.format !== undefined) throw new Error('sweep writes JSON lines; it takes no --format');
    const shard = parseShard(values.shard ?? '1/1');
    const lines: string[] = [];
    const write =
      values.out === undefined ? (l: string) => process.stdout.write(l) : (l: string) => lines.push(l);
    sweep(config, shard, (line) => write(`${JSON.stringify(line)}\n`));
    text = lines.join('');
    if (values.out === undefined) return 0;
  }
  if (values.out === undefined) process.stdout.write(text);
  else await writeFile(values.out, text);
  return 0;
}

/** Parses `--steps`: 'small', 'default' or a positive integer. */
function parseSteps(value: string | undefined): 'small' | 'default' | number {
  if (value === undefined || value === 'default') return 'default';
  if (value === 'small') return 'small';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--steps must be small, default or an integer ≥ 1, got '${value}'`);
  return n;
}

/**
 * The `implicit-bias` command: runs it with `argv` (the arguments after the program name) and returns
 * the exit code. `reproduce` writes figures (see {@link reproduce}); `list` prints the experiments.
 *
 * @example
 * ```ts
 * await runCli(['reproduce', '--only', 'figure2a', '--steps', 'small', '--out', 'tmp-figures']); // 0
 * ```
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command === 'list') {
    for (const e of Object.values(experiments))
      process.stdout.write(`${e.name.padEnd(18)} ${e.description}\n`);
    return 0;
  }
  if (command === 'train' || command === 'sweep') return trainOrSweep(command, rest);
  if (command === '__reproduce-worker') {
    if (process.send === undefined)
      throw new Error('__reproduce-worker is started by reproduce --jobs, not by hand');
    reproduceWorker(); // keeps running while the parent's IPC channel is open
    return 0;
  }
  if (command !== 'reproduce') {
    process.stderr.write(`implicit-bias: unknown command '${command}'\n\n${USAGE}`);
    return 1;
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      only: { type: 'string' },
      seeds: { type: 'string' },
      steps: { type: 'string' },
      out: { type: 'string' },
      jobs: { type: 'string' },
    },
    strict: true,
  });
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`--jobs must be an integer ≥ 1, got '${values.jobs}'`);
  let seeds: number | undefined;
  if (values.seeds !== undefined) {
    seeds = Number(values.seeds);
    if (!Number.isInteger(seeds) || seeds < 1)
      throw new Error(`--seeds must be an integer ≥ 1, got '${values.seeds}'`);
  }
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const t0 = performance.now();
  const report = await reproduce({
    ...(only === undefined ? {} : { only }),
    ...(seeds === undefined ? {} : { seeds }),
    steps: parseSteps(values.steps),
    out: values.out ?? 'figures',
    jobs,
  });
  const total = (performance.now() - t0) / 1000;
  process.stderr.write(
    `${report.length} experiment${report.length === 1 ? '' : 's'} in ${total.toFixed(1)} s: ${report
      .map((r) => `${r.name} ${r.seconds.toFixed(1)} s`)
      .join(', ')}\n`,
  );
  return 0;
}
