import { bands, DEG, FIGURE1A_SEEDS_DEFAULT, resolveOptions } from './internal.js';
import { FIGURE1A_RUNS, figure1aRuns } from './runs.js';
import type { ExperimentOptions, ExperimentResult } from './types.js';

export const FIGURE2A = {
  name: 'figure2a',
  description:
    'Angle to the max-margin direction over training, linear model on Figure 1a, several weightings',
  seeds: FIGURE1A_SEEDS_DEFAULT,
  steps: { small: 300, default: 10_000 },
  shares: 'figure1-runs',
} as const;

/**
 * Figure 2a of Xu, Ye & Ruan (ICLR 2021): the angle between the linear model's θ(t) and the hard-margin
 * SVM direction θ⋆ over gradient-descent steps on the data of Figure 1a (`datasets.figure1a({ seed: 0 })`),
 * under uniform weights, class weights ×10 on either class, the inverse-margin weighting
 * wᵢ ∝ 1/(yᵢθ⋆ᵀxᵢ) and weights matching the SVM dual, wᵢ ∝ clamp(n·p⋆ᵢ, 1/10, 10) (all scaled to mean 1). Paper settings: exponential loss, `gd({ lr: 0.1 })`, standard
 * normal initialization; the seeds vary the initialization. Proposition 1: every weighting converges to
 * θ⋆ at the 1/log t rate, with a constant KL(p⋆‖w̄) that weights matching the SVM dual p⋆ make small.
 *
 * Returns one panel of bands (mean, std, min, max over seeds) of the angle in degrees, on a log step axis.
 *
 * @example
 * ```ts
 * const result = await figure2a({ seeds: 3, steps: 'small' });
 * result.panels[0].series.map((s) => s.label); // ['uniform', 'class +1 ×10', …, 'dual p⋆ (M = 10)']
 * ```
 */
export async function figure2a(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('figure2a', FIGURE2A, options);
  r.total(FIGURE1A_RUNS * r.seeds.length);
  const { runs, svm } = figure1aRuns(r);
  const summary: Record<string, number> = { gammaStar: svm.gamma };
  const series = runs.map((run) => {
    const deg = run.traces.angle!.map((t) => t.map((a) => a * DEG));
    const points = bands(run.steps, deg);
    summary[`final angle (deg), ${run.label}`] = points.at(-1)!.mean;
    return { label: run.label, points };
  });
  return {
    name: 'figure2a',
    title: 'Importance weights do not change the limit direction θ⋆, only how fast GD gets there (Prop. 1)',
    caption:
      `Angle between θ(t) and the hard-margin SVM direction θ⋆, linear model θᵀx on Figure 1a (n = 100), ` +
      `exponential loss, GD lr 0.1, N(0, 1) init; mean and min–max band over ${r.seeds.length} seeds; ` +
      'weights scaled to mean 1.',
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
        id: 'angle',
        title: 'angle to θ⋆',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'angle (degrees)', scale: 'linear' },
        series,
      },
    ],
    summary,
  };
}
