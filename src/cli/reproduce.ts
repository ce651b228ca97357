import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ExperimentName, experiments } from '../experiments/experiments.js';
import type { ExperimentResult } from '../experiments/types.js';
import { figureSpec } from '../plot/figureSpec.js';
import { specToSvg } from '../plot/specToSvg.js';
import { type ProgressStream, progressRenderer, type ReproduceEvent } from './progress.js';

/** Options of {@link reproduce}. */
export interface ReproduceOptions {
  /** Experiment names to run (default: all, in registry order). */
  only?: readonly string[];
  /** Seed count for every experiment (default: each experiment's own). */
  seeds?: number;
  /** `'small'`, `'default'` or a step count for every experiment (default `'default'`). */
  steps?: 'small' | 'default' | number;
  /** Output directory (created if missing; default `'figures'`). */
  out?: string;
  /** Where progress goes (default `process.stderr`); ignored with `onEvent`. */
  stream?: ProgressStream;
  /** Receives progress events instead of the default renderer on `stream`. */
  onEvent?: (event: ReproduceEvent) => void;
  /**
   * Processes to run experiments in (default 1: this process). With more, experiments are handed out to
   * that many child processes of the `implicit-bias` program (`entry`), experiments that share runs
   * staying together; each writes its own files, so the output is the same as with one.
   */
  jobs?: number;
  /** The CLI script the child processes run (default `process.argv[1]`, the running `implicit-bias`). */
  entry?: string;
}

/** One experiment's outcome in {@link reproduce}'s report. */
export interface ReproduceEntry {
  name: string;
  seconds: number;
  svg: string;
  json: string;
  summary: Record<string, number>;
}

/** What a worker process receives: the experiments of one group and the common settings. */
interface WorkerTask {
  names: string[];
  seeds?: number;
  steps?: 'small' | 'default' | number;
  out: string;
}

/** What a worker process sends back. */
type WorkerMessage =
  | { type: 'event'; event: ReproduceEvent }
  | { type: 'done'; report: ReproduceEntry[] }
  | { type: 'error'; message: string };

/** Groups names so that experiments sharing runs (`shares`) stay together; first-appearance order. */
function groups(names: readonly string[]): string[][] {
  const out: string[][] = [];
  const byKey = new Map<string, string[]>();
  for (const name of names) {
    const key = experiments[name as ExperimentName].shares;
    const existing = key === undefined ? undefined : byKey.get(key);
    if (existing !== undefined) existing.push(name);
    else {
      const g = [name];
      out.push(g);
      if (key !== undefined) byKey.set(key, g);
    }
  }
  return out;
}

async function runHere(
  names: readonly string[],
  options: ReproduceOptions,
  out: string,
  emit: (event: ReproduceEvent) => void,
): Promise<ReproduceEntry[]> {
  const cache = new Map<string, unknown>();
  const report: ReproduceEntry[] = [];
  for (const name of names) {
    const exp = experiments[name as ExperimentName];
    const t0 = performance.now();
    emit({ type: 'start', name });
    let result: ExperimentResult;
    try {
      result = await exp.run({
        ...(options.seeds === undefined ? {} : { seeds: options.seeds }),
        steps: options.steps ?? 'default',
        cache,
        onProgress: (done, total) => emit({ type: 'progress', name, done, total }),
      });
    } catch (err) {
      emit({ type: 'finish', name, message: 'failed', seconds: (performance.now() - t0) / 1000 });
      throw err;
    }
    const svg = await specToSvg(figureSpec(result));
    const svgPath = join(out, `${name}.svg`);
    const jsonPath = join(out, `${name}.json`);
    await writeFile(svgPath, svg);
    await writeFile(jsonPath, `${JSON.stringify(result, null, 1)}\n`);
    const seconds = (performance.now() - t0) / 1000;
    emit({ type: 'finish', name, message: `wrote ${svgPath}, ${jsonPath}`, seconds });
    report.push({ name, seconds, svg: svgPath, json: jsonPath, summary: result.summary });
  }
  return report;
}

function runInChildren(
  tasks: string[][],
  options: ReproduceOptions,
  out: string,
  jobs: number,
  emit: (event: ReproduceEvent) => void,
): Promise<ReproduceEntry[]> {
  const entry = options.entry ?? process.argv[1];
  if (entry === undefined) throw new Error('reproduce: jobs > 1 needs the CLI entry script (options.entry)');
  const queue = [...tasks];
  const report: ReproduceEntry[] = [];
  return new Promise((resolve, reject) => {
    const children: ReturnType<typeof fork>[] = [];
    let running = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      for (const c of children) if (c.exitCode === null) c.kill();
      reject(err);
    };
    const start = () => {
      const child = fork(entry, ['__reproduce-worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      running++;
      const next = () => {
        const names = queue.shift();
        if (names === undefined) child.disconnect();
        else {
          const task: WorkerTask = { names, out };
          if (options.seeds !== undefined) task.seeds = options.seeds;
          if (options.steps !== undefined) task.steps = options.steps;
          child.send(task);
        }
      };
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'event') emit(m.event);
        else if (m.type === 'done') {
          report.push(...m.report);
          next();
        } else fail(new Error(m.message));
      });
      child.on('error', fail);
      child.on('exit', (code) => {
        running--;
        if (code !== 0 && code !== null)
          fail(new Error(`reproduce: a worker process exited with code ${code}`));
        else if (running === 0 && !failed) resolve(report);
      });
      next();
    };
    for (let k = 0; k < Math.min(jobs, tasks.length); k++) start();
  });
}

/**
 * Runs experiments from the registry and writes `<out>/<name>.svg` (the figure) and `<out>/<name>.json`
 * (the data behind it: the experiment's result, with the settings used). Experiments that share runs
 * (figure1, figure2a, figure2b) train them once. With `jobs` > 1 the experiments are spread over child
 * processes; the files are the same either way (every experiment is deterministic in its seeds).
 *
 * @example
 * ```ts
 * await reproduce({ only: ['figure2a'], steps: 'small', out: 'tmp-figures' });
 * ```
 */
export async function reproduce(options: ReproduceOptions = {}): Promise<ReproduceEntry[]> {
  const names = options.only ?? Object.keys(experiments);
  const unknown = names.filter((n) => !(n in experiments));
  if (unknown.length > 0) {
    throw new Error(
      `reproduce: unknown experiment ${unknown.map((u) => `'${u}'`).join(', ')}; available: ${Object.keys(experiments).join(', ')}`,
    );
  }
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`reproduce: jobs must be an integer ≥ 1, got ${jobs}`);
  const out = options.out ?? 'figures';
  const emit = options.onEvent ?? progressRenderer(options.stream ?? process.stderr);
  await mkdir(out, { recursive: true });
  const tasks = groups(names);
  if (jobs === 1 || tasks.length === 1) return runHere(names, options, out, emit);
  const report = await runInChildren(tasks, options, out, jobs, emit);
  return names.map((n) => report.find((r) => r.name === n)!);
}

/**
 * The child side of a parallel {@link reproduce}: runs each task the parent sends over IPC and reports
 * events and results back; exits when the parent disconnects. Internal (the hidden command
 * `implicit-bias __reproduce-worker`).
 */
export function reproduceWorker(): void {
  const send = (m: WorkerMessage) => process.send?.(m);
  process.on('message', (task: WorkerTask) => {
    const options: ReproduceOptions = { out: task.out, onEvent: (event) => send({ type: 'event', event }) };
    if (task.seeds !== undefined) options.seeds = task.seeds;
    if (task.steps !== undefined) options.steps = task.steps;
    runHere(task.names, options, task.out, options.onEvent!).then(
      (report) => send({ type: 'done', report }),
      (err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  });
}
