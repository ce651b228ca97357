import { datasets } from '../datasets/datasets.js';
import type { Dataset } from '../datasets/types.js';
import type { Optimizer } from '../gd/optimizers/types.js';
import { recordSteps } from '../gd/train/recordSteps.js';
import { trainWeighted } from '../gd/train/trainWeighted.js';
import { hardMarginSVM } from '../svm/hardMarginSVM.js';
import { inverseMarginWeights } from '../weights/inverseMarginWeights.js';
import { dualWeights } from '../weights/recipes.js';
import { cached, classWeights, type Resolved, range } from './internal.js';

/** A weighting of the training points, by name. */
export interface Weighting {
  label: string;
  weights: Float64Array;
}

/** Per-seed traces of one weighting (or one optimizer). */
export interface RunSet {
  label: string;
  /** The recorded steps (shared by every seed). */
  steps: number[];
  /** metric → per-seed traces, traces[s][k] at steps[k]. */
  traces: Record<string, number[][]>;
  /** The final θ of each seed that completed. */
  thetas: Float64Array[];
  /** Seeds whose run diverged (only with `allowDiverge`; they are left out of traces and thetas). */
  diverged: number[];
}

/** Trains `data` once per seed (init from the seed) under each weighting, recording `metrics` on a log grid. */
export function runLinear(
  r: Resolved,
  data: Dataset,
  weightings: readonly Weighting[],
  metrics: readonly ('loss' | 'logLoss' | 'norm' | 'margin' | 'averageMargin' | 'angle' | 'gap')[],
  reference?: { theta: Float64Array },
  options: {
    points?: number;
    optimizer?: () => Optimizer<unknown>;
    init?: 'normal' | 'zeros';
    allowDiverge?: boolean;
  } = {},
): RunSet[] {
  const at = Array.from(recordSteps(r.steps, { points: options.points ?? 80 }));
  const named = metrics.filter((m) => m !== 'logLoss' && m !== 'loss') as (
    | 'norm'
    | 'margin'
    | 'averageMargin'
    | 'angle'
    | 'gap'
  )[];
  return weightings.map(({ label, weights }) => {
    const traces: Record<string, number[][]> = {};
    for (const m of metrics) traces[m] = [];
    const thetas: Float64Array[] = [];
    const diverged: number[] = [];
    for (const seed of r.seeds) {
      const res = trainWeighted({
        data,
        steps: r.steps,
        weights,
        seed,
        ...(options.init === 'zeros' ? { init: new Float64Array(data.d) } : {}),
        ...(options.optimizer ? { optimizer: options.optimizer() } : {}),
        ...(reference ? { reference: reference.theta } : {}),
        record: { at, metrics: ['loss', ...named] },
        onDiverge: options.allowDiverge === true ? 'stop' : 'throw',
      });
      r.tick();
      if (res.status === 'diverged') {
        diverged.push(seed);
        continue;
      }
      for (const m of metrics) traces[m]!.push(res.history.map((row) => row[m] as number));
      thetas.push(res.theta);
    }
    return { label, steps: at, traces, thetas, diverged };
  });
}

/** The linear runs on Figure 1a shared by figure1 (panel a), figure2a and figure2b. */
export interface Figure1aRuns {
  data: Dataset;
  svm: ReturnType<typeof hardMarginSVM>;
  runs: RunSet[];
}

/** The weightings of Figure 2a/2b, on Figure 1a's data (seed 0). */
export function figure1aWeightings(
  data: Dataset,
  svm: { theta: Float64Array; dual: Float64Array },
): Weighting[] {
  return [
    { label: 'uniform', weights: new Float64Array(data.n).fill(1) },
    { label: 'class +1 ×10', weights: classWeights(data, 1, 10) },
    { label: 'class −1 ×10', weights: classWeights(data, -1, 10) },
    { label: 'inverse margin', weights: inverseMarginWeights(data, { theta: svm.theta }) },
    { label: 'dual p⋆ (M = 10)', weights: dualWeights(svm.dual, 10) },
  ];
}

export const FIGURE1A_RUNS = 5;

/** Trains (or fetches from the cache) the Figure 1a runs. */
export function figure1aRuns(r: Resolved): Figure1aRuns {
  const key = `figure1a-runs:${r.steps}:${r.seeds.join(',')}`;
  const hit = r.cache?.has(key) === true;
  const value = cached(r.cache, key, () => {
    const data = datasets.figure1a({ seed: 0 });
    const svm = hardMarginSVM(data);
    const runs = runLinear(
      r,
      data,
      figure1aWeightings(data, svm),
      ['loss', 'logLoss', 'norm', 'margin', 'averageMargin', 'angle'],
      svm,
    );
    return { data, svm, runs };
  });
  if (hit) for (const _ of range(FIGURE1A_RUNS * r.seeds.length)) r.tick();
  return value;
}
