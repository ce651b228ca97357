import { datasets } from '../datasets/datasets.js';
import { classWeights, FIGURE1A_SEEDS_DEFAULT, resolveOptions } from './internal.js';
import { moonsData, moonsRun, moonsSteps, paperMlp, regionGrid } from './moonsRuns.js';
import { meanLine, planePoints, planeWindow } from './plane.js';
import { FIGURE1A_RUNS, figure1aRuns, runLinear } from './runs.js';
import type { ExperimentOptions, ExperimentResult, PlanePanel, RegionPanel } from './types.js';

const STEPS_B = 5000;

export const FIGURE1 = {
  name: 'figure1',
  description:
    'The datasets of Figure 1: trained linear separators (a, b) and the trained MLP’s decision regions (c, d)',
  seeds: FIGURE1A_SEEDS_DEFAULT,
  steps: { small: 300, default: 10_000 },
  shares: 'figure1-runs',
} as const;

/**
 * Figure 1 of Xu, Ye & Ruan (ICLR 2021), panels a and b: the separable data of Figure 1a and the
 * non-separable data of Figure 1b (`datasets.figure1a/figure1b({ seed: 0 })`) with the separating line
 * θᵀx = 0 of the linear model trained by GD (lr 0.1, exponential loss, N(0, 1) init from each seed)
 * under several weightings, drawn at the mean unit direction over the seeds (`spreadDegrees` is the
 * largest deviation of one seed). Panel a also draws the hard-margin SVM (dashed): on separable data
 * every weighting's line approaches it; on non-separable data the weights decide where the line ends.
 * Panels c and d: the moons of Figure 1c (balanced, `datasets.moons`) and 1d (`datasets.unbalancedMoons`,
 * held-out points faint), both with a constant x₃ = 1 appended (`appendOne`: a bias-free ReLU net needs it
 * to separate moons), shaded by the decision region of the paper's MLP (widths [3, 5, 1], ReLU, no
 * biases) trained with uniform weights: each cell's shade is the fraction of seeds predicting +1 there.
 * The MLP runs take `steps` 300 (small) or 10⁴ (default) whatever the linear runs take, unless `steps`
 * is an integer; figure2c/2d reuse them through a shared `cache`.
 *
 * @example
 * ```ts
 * const result = await figure1({ seeds: 2, steps: 'small' });
 * result.panels.map((p) => p.id); // ['a', 'b', 'c', 'd']
 * ```
 */
export async function figure1(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('figure1', FIGURE1, options);
  r.total((FIGURE1A_RUNS + 5) * r.seeds.length);
  const { runs, svm, data } = figure1aRuns(r);
  const pointsA = planePoints(data);
  const a: PlanePanel = {
    kind: 'plane',
    id: 'a',
    title: '(a) linearly separable',
    points: pointsA,
    lines: [
      { label: 'max margin θ⋆', w1: svm.theta[0]!, w2: svm.theta[1]!, b: 0, reference: true },
      ...runs.map((run) => meanLine(run.label, run.thetas)),
    ],
    window: planeWindow(pointsA),
  };
  const dataB = datasets.figure1b({ seed: 0 });
  // On non-separable data GD converges to a finite minimizer, linearly: 5000 steps reach it to plotting accuracy.
  const stepsB = Math.min(r.steps, STEPS_B);
  const runsB = runLinear(
    { ...r, steps: stepsB },
    dataB,
    [
      { label: 'uniform', weights: new Float64Array(dataB.n).fill(1) },
      { label: 'class +1 ×10', weights: classWeights(dataB, 1, 10) },
      { label: 'class −1 ×10', weights: classWeights(dataB, -1, 10) },
    ],
    ['loss'],
    undefined,
    { points: 10, allowDiverge: true },
  );
  const pointsB = planePoints(dataB);
  const b: PlanePanel = {
    kind: 'plane',
    id: 'b',
    title: '(b) non-separable',
    points: pointsB,
    lines: runsB.filter((run) => run.thetas.length > 0).map((run) => meanLine(run.label, run.thetas)),
    window: planeWindow(pointsB),
  };
  const mlpSteps = moonsSteps(options, r.steps);
  const regions: RegionPanel[] = [];
  const summary: Record<string, number> = {};
  for (const which of ['c', 'd'] as const) {
    const { data, test } = moonsData(which);
    const run = moonsRun(r, which, 'uniform', mlpSteps);
    const points = [
      ...planePoints(data, test ? 'train' : undefined),
      ...(test ? planePoints(test, 'test') : []),
    ];
    const window = planeWindow(points);
    regions.push({
      kind: 'region',
      id: which,
      title: which === 'c' ? '(c) balanced moons, MLP' : '(d) unbalanced moons (test points faint), MLP',
      valueLabel: 'share of seeds saying +1',
      grid: regionGrid(paperMlp(data.d), run.thetas, window),
      points,
      window,
    });
    const errors = run.traces.trainError!.map((t) => t.at(-1)!);
    summary[`${which}: seeds with training error 0`] = errors.filter((e) => e === 0).length;
    summary[`${which}: mean final training error`] =
      errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length);
    summary[`${which}: dead seeds (f ≡ 0)`] = run.dead.length;
    summary[`${which}: diverged seeds`] = run.diverged.length;
    if (test) {
      const te = run.traces.testError!.map((t) => t.at(-1)!);
      summary[`${which}: mean final test error`] = te.reduce((a, b) => a + b, 0) / Math.max(1, te.length);
    }
  }
  for (const run of runsB) summary[`b: diverged seeds, ${run.label}`] = run.diverged.length;
  for (const panel of [a, b]) {
    for (const line of panel.lines) {
      if (line.spreadDegrees !== undefined)
        summary[`${panel.id}: seed spread (deg), ${line.label}`] = line.spreadDegrees;
    }
  }
  return {
    name: 'figure1',
    title:
      'Weights barely move the separator on separable data, but do on non-separable data; (c, d) the MLP’s decision regions',
    caption:
      `Linear model θᵀx trained ${r.steps} (panel b: ${stepsB}) GD steps (lr 0.1, exponential loss) under each weighting; line at ` +
      `the mean unit direction over ${r.seeds.length} initializations. (a) Figure 1a data with the hard-margin ` +
      'SVM dashed; (b) Figure 1b data (initializations on which GD at lr 0.1 diverges are left out and ' +
      'counted in the summary). (c, d) Moons of Figure 1c/1d with x₃ = 1 appended, MLP [3, 5, 1] ReLU without ' +
      `biases, uniform weights, ${mlpSteps} GD steps (lr 0.1, exponential loss, N(0, 1) init); shade = fraction of the ` +
      `${r.seeds.length} seeds predicting +1 (training error 0 on ${summary['c: seeds with training error 0']} (c) and ` +
      `${summary['d: seeds with training error 0']} (d) of them).`,
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      stepsB,
      mlpSteps,
      mlp: { widths: [3, 5, 1], activation: 'relu' },
      lr: 0.1,
      loss: 'exponential',
    },
    panels: [a, b, ...regions],
    summary,
  };
}
