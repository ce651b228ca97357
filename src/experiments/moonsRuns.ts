import { datasets } from '../datasets/datasets.js';
import type { Dataset } from '../datasets/types.js';
import { recordSteps } from '../gd/train/recordSteps.js';
import { type MetricName, trainWeighted } from '../gd/train/trainWeighted.js';
import type { MlpModel } from '../mlp/mlp.js';
import { mlp } from '../mlp/mlp.js';
import { classBalancedWeights } from '../weights/classBalancedWeights.js';
import { classWeights, type Resolved } from './internal.js';
import type { RunSet, Weighting } from './runs.js';
import type { ExperimentOptions } from './types.js';

/** Default seed count of the moons MLP runs (figure1 c/d, figure2c, figure2d share them). */
export const MOONS_SEEDS_DEFAULT = 10;

/** Steps of the moons MLP runs for `'small'` and `'default'`. */
export const MOONS_STEPS = { small: 300, default: 10_000 } as const;

/** The paper's network: one hidden layer of 5 ReLU units, no biases (input d = 3: the moons with a constant 1 appended). */
export function paperMlp(d: number): MlpModel {
  return mlp({ widths: [d, 5, 1], activation: 'relu' });
}

/** The moons sets of Figure 1c (balanced) and 1d (unbalanced, with its held-out test split), with x₃ = 1 appended. */
export function moonsData(which: 'c' | 'd'): { data: Dataset; test: Dataset | undefined } {
  if (which === 'c') return { data: datasets.moons({ seed: 0, appendOne: true }), test: undefined };
  const d = datasets.unbalancedMoons({ seed: 0, appendOne: true });
  return { data: d, test: d.test };
}

/** The class weightings of the moons runs: on 1c (balanced, so class-balanced = uniform) three, on 1d four. */
export function moonsWeightings(which: 'c' | 'd', data: Dataset): Weighting[] {
  const uniform = { label: 'uniform', weights: new Float64Array(data.n).fill(1) };
  if (which === 'c') {
    return [
      uniform,
      { label: 'class +1 ×10', weights: classWeights(data, 1, 10) },
      { label: 'class −1 ×10', weights: classWeights(data, -1, 10) },
    ];
  }
  return [
    uniform,
    { label: 'class-balanced', weights: classBalancedWeights(data) },
    { label: 'minority (−1) ×10', weights: classWeights(data, -1, 10) },
    { label: 'majority (+1) ×10', weights: classWeights(data, 1, 10) },
  ];
}

/** The MLP step count for `options.steps` (`'small'`, `'default'` or an integer), independent of the experiment's own steps. */
export function moonsSteps(options: ExperimentOptions | undefined, resolved: number): number {
  const s = options?.steps;
  if (s === 'small') return MOONS_STEPS.small;
  if (s === undefined || s === 'default') return MOONS_STEPS.default;
  return resolved;
}

/** The MLP runs of one weighting: traces, final θ per completed seed, dead and diverged seeds. */
export interface MlpRunSet extends RunSet {
  /** Seeds whose network ended with f ≡ 0 on the training set (every hidden unit dead: no gradient, no learning). */
  dead: number[];
  /** The seeds of the traces and thetas, in order (every seed but the diverged ones). */
  completed: number[];
}

/**
 * Paired over seeds (same initialization): on how many seeds `a`'s value at recorded index `k` (default:
 * the last) is below `b`'s, and on how many both completed.
 */
export function pairedBelow(
  a: MlpRunSet,
  b: MlpRunSet,
  metric: string,
  k = -1,
): { below: number; pairs: number } {
  let below = 0;
  let pairs = 0;
  a.completed.forEach((seed, i) => {
    const j = b.completed.indexOf(seed);
    if (j < 0) return;
    pairs++;
    if (a.traces[metric]![i]!.at(k)! < b.traces[metric]![j]!.at(k)!) below++;
  });
  return { below, pairs };
}

/**
 * Trains the paper's MLP on moons set `which` under the weighting labelled `label` once per seed (init
 * N(0, 1) from the seed, GD lr 0.1, exponential loss), recording loss, margins, train and test error and the
 * KKT residual of the max-margin problem (`kktResidual`; NaN in the traces while a seed does not separate the
 * data) on a log grid; memoized in `r.cache` per (set, weighting, steps, seeds). Diverged seeds are counted,
 * not drawn.
 */
export function moonsRun(r: Resolved, which: 'c' | 'd', label: string, steps: number): MlpRunSet {
  const key = `moons-mlp:${which}:${label}:${steps}:${r.seeds.join(',')}`;
  const hit = r.cache?.get(key) as MlpRunSet | undefined;
  if (hit !== undefined) {
    for (const _ of r.seeds) r.tick();
    return hit;
  }
  const { data, test } = moonsData(which);
  const weighting = moonsWeightings(which, data).find((w) => w.label === label);
  if (weighting === undefined) throw new Error(`moonsRun: no weighting '${label}' on 1${which}`);
  const model = paperMlp(data.d);
  const at = Array.from(recordSteps(steps, { points: 60 }));
  const metrics: MetricName[] = ['loss', 'margin', 'averageMargin', 'trainError', 'kktResidual'];
  if (test) metrics.push('testError');
  const traces: Record<string, number[][]> = {};
  for (const m of metrics) traces[m] = [];
  const thetas: Float64Array[] = [];
  const diverged: number[] = [];
  const dead: number[] = [];
  const completed: number[] = [];
  const out = new Float64Array(data.n);
  for (const seed of r.seeds) {
    const res = trainWeighted({
      data,
      model,
      steps,
      weights: weighting.weights,
      seed,
      ...(test ? { test } : {}),
      record: { at, metrics },
      onDiverge: 'stop',
    });
    r.tick();
    if (res.status === 'diverged') {
      diverged.push(seed);
      continue;
    }
    for (const m of metrics) {
      traces[m]!.push(
        res.history.map((row) => {
          const v = (row as unknown as Record<string, number | null>)[m]!;
          return v === null ? Number.NaN : v + 0;
        }),
      );
    }
    thetas.push(res.theta);
    completed.push(seed);
    model.predict(out, res.theta, data.X, data.n);
    if (out.every((v) => v === 0)) dead.push(seed);
  }
  const value: MlpRunSet = { label, steps: at, traces, thetas, diverged, dead, completed };
  r.cache?.set(key, value);
  return value;
}

/**
 * The decision region of the runs: on an nx × ny grid over `window` (x₃ = 1 appended), the fraction of
 * seeds whose network predicts +1 (f > 0).
 */
export function regionGrid(
  model: MlpModel,
  thetas: readonly Float64Array[],
  window: readonly [number, number, number, number],
  nx = 40,
  ny = 40,
): { x1: number[]; x2: number[]; values: number[] } {
  const x1 = Array.from({ length: nx }, (_, i) => window[0] + ((i + 0.5) * (window[1] - window[0])) / nx);
  const x2 = Array.from({ length: ny }, (_, j) => window[2] + ((j + 0.5) * (window[3] - window[2])) / ny);
  const m = nx * ny;
  const X = new Float64Array(m * 3);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      X[3 * k] = x1[i]!;
      X[3 * k + 1] = x2[j]!;
      X[3 * k + 2] = 1;
    }
  }
  const counts = new Float64Array(m);
  const out = new Float64Array(m);
  for (const theta of thetas) {
    model.predict(out, theta, X, m);
    for (let k = 0; k < m; k++) if (out[k]! > 0) counts[k]! += 1;
  }
  const k = Math.max(1, thetas.length);
  return { x1, x2, values: Array.from(counts, (c) => c / k) };
}
