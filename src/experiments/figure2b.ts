import { bands, FIGURE1A_SEEDS_DEFAULT, resolveOptions } from './internal.js';
import { FIGURE1A_RUNS, figure1aRuns } from './runs.js';
import type { ExperimentOptions, ExperimentResult } from './types.js';

export const FIGURE2B = {
  name: 'figure2b',
  description: 'Average normalized margin over training, linear model on Figure 1a, several weightings',
  seeds: FIGURE1A_SEEDS_DEFAULT,
  steps: { small: 300, default: 10_000 },
  shares: 'figure1-runs',
} as const;

/**
 * Figure 2b of Xu, Ye & Ruan (ICLR 2021): the average normalized margin (1/n) Σᵢ yᵢθ(t)ᵀxᵢ/‖θ(t)‖₂ of
 * the linear model over gradient-descent steps on Figure 1a, under the weightings of {@link figure2a}
 * (the same runs: with a shared `cache` they are trained once). A dashed reference gives the average
 * margin of θ⋆, the value every weighting tends to (Proposition 1).
 *
 * @example
 * ```ts
 * const result = await figure2b({ seeds: 3, steps: 'small' });
 * result.summary['average margin of θ⋆']; // the limit the curves approach
 * ```
 */
export async function figure2b(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('figure2b', FIGURE2B, options);
  r.total(FIGURE1A_RUNS * r.seeds.length);
  const { runs, svm, data } = figure1aRuns(r);
  let starAvg = 0;
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += data.X[i * data.d + j]! * svm.theta[j]!;
    starAvg += data.y[i]! * s;
  }
  starAvg /= data.n;
  const summary: Record<string, number> = { 'average margin of θ⋆': starAvg };
  const series = runs.map((run) => {
    const points = bands(run.steps, run.traces.averageMargin!);
    summary[`final average margin, ${run.label}`] = points.at(-1)!.mean;
    return { label: run.label, points };
  });
  const steps = runs[0]!.steps;
  series.push({
    label: 'θ⋆ (max margin)',
    points: steps.map((x) => ({ x, mean: starAvg, std: 0, min: starAvg, max: starAvg })),
    reference: true,
  } as (typeof series)[number]);
  return {
    name: 'figure2b',
    title: 'The average margin moves to that of the max-margin θ⋆ under every weighting (Prop. 1)',
    caption:
      'Average normalized margin (1/n) Σ yᵢθᵀxᵢ/‖θ‖ over GD steps, linear model on Figure 1a, exponential ' +
      `loss, lr 0.1, N(0, 1) init; mean and min–max band over ${r.seeds.length} seeds; dashed: θ⋆.`,
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      lr: 0.1,
      loss: 'exponential',
      data: 'datasets.figure1a({ seed: 0 })',
    },
    panels: [
      {
        kind: 'lines',
        id: 'averageMargin',
        title: 'average margin',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'average normalized margin', scale: 'linear' },
        series,
      },
    ],
    summary,
  };
}
