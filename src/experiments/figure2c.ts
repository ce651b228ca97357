import { bands, resolveOptions } from './internal.js';
import {
  MOONS_SEEDS_DEFAULT,
  MOONS_STEPS,
  moonsData,
  moonsRun,
  moonsWeightings,
  pairedBelow,
} from './moonsRuns.js';
import type { ExperimentOptions, ExperimentResult, LineSeries } from './types.js';

export const FIGURE2C = {
  name: 'figure2c',
  description: 'Test error on the held-out part of Figure 1d over training, MLP, several class weights',
  seeds: MOONS_SEEDS_DEFAULT,
  steps: MOONS_STEPS,
  shares: 'figure1-runs',
} as const;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const k = s.length;
  return k % 2 === 1 ? s[(k - 1) / 2]! : (s[k / 2 - 1]! + s[k / 2]!) / 2;
}

/**
 * Figure 2c of Xu, Ye & Ruan (ICLR 2021): the error on the held-out points of Figure 1d (the 80% of the −1
 * class and 20% of the +1 class that `datasets.unbalancedMoons` did not keep, so the test set is
 * dominated by the training set's minority class) over gradient-descent steps, for the paper's MLP
 * (widths [3, 5, 1], ReLU, no biases, on the moons with x₃ = 1 appended) trained under uniform weights,
 * class-balanced weights (n/(2n_c)), ×10 on the minority class −1 and ×10 on the majority class +1 (all
 * mean 1). Paper settings: exponential loss, GD lr 0.1, N(0, 1) init from each seed. The paper's claim:
 * the class weights change the generalization error strongly (Section 4.2, via Theorem 1's term (I)).
 *
 * Returns two panels of bands over seeds (mean, min–max): the test error and the training error, on a
 * log step axis; the summary has the final mean and median per weighting.
 *
 * @example
 * ```ts
 * const result = await figure2c({ seeds: 2, steps: 'small' });
 * result.panels[0].series.map((s) => s.label); // ['uniform', 'class-balanced', …]
 * ```
 */
export async function figure2c(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('figure2c', FIGURE2C, options);
  const { data, test } = moonsData('d');
  const labels = moonsWeightings('d', data).map((w) => w.label);
  r.total(labels.length * r.seeds.length);
  const runs = labels.map((label) => moonsRun(r, 'd', label, r.steps));
  const summary: Record<string, number> = {};
  const testSeries: LineSeries[] = [];
  const trainSeries: LineSeries[] = [];
  for (const run of runs) {
    testSeries.push({ label: run.label, points: bands(run.steps, run.traces.testError!) });
    trainSeries.push({ label: run.label, points: bands(run.steps, run.traces.trainError!) });
    const last = run.traces.testError!.map((t) => t.at(-1)!);
    summary[`final test error, mean, ${run.label}`] = testSeries.at(-1)!.points.at(-1)!.mean;
    summary[`final test error, median, ${run.label}`] = median(last);
    summary[`final training error, mean, ${run.label}`] = trainSeries.at(-1)!.points.at(-1)!.mean;
    summary[`dead or diverged seeds, ${run.label}`] = run.dead.length + run.diverged.length;
    if (run !== runs[0]) {
      const { below, pairs } = pairedBelow(run, runs[0]!, 'testError');
      const { below: above, pairs: same } = pairedBelow(runs[0]!, run, 'testError');
      summary[`seeds with lower final test error than uniform, ${run.label}`] = below;
      summary[`seeds with higher final test error than uniform, ${run.label}`] = above;
      summary[`seeds compared with uniform, ${run.label}`] = Math.min(pairs, same);
    }
  }
  const u = summary['final test error, mean, uniform']!;
  const m = summary['final test error, mean, minority (−1) ×10']!;
  const M = summary['final test error, mean, majority (+1) ×10']!;
  return {
    name: 'figure2c',
    title: 'Class weights change the test error of the MLP strongly (Section 4.2)',
    caption:
      `Error on the ${test!.n} held-out points of Figure 1d (mostly class −1, the training minority) over GD steps; ` +
      `MLP [3, 5, 1] ReLU without biases on the ${data.n} training moons with x₃ = 1 appended, exponential loss, ` +
      `lr 0.1, N(0, 1) init; mean and min–max band over ${r.seeds.length} seeds; weights scaled to mean 1. ` +
      `Final mean test error ${u.toFixed(2)} (uniform), ${m.toFixed(2)} (minority ×10), ${M.toFixed(2)} (majority ×10); ` +
      'the seed bands are wide: with 5 hidden units some seeds never separate the training set. Same ' +
      `initialization, final test error below / above uniform: ${runs
        .slice(1)
        .map(
          (run) =>
            `${run.label} ${summary[`seeds with lower final test error than uniform, ${run.label}`]} / ` +
            `${summary[`seeds with higher final test error than uniform, ${run.label}`]}`,
        )
        .join(', ')} of ${r.seeds.length} seeds.`,
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      lr: 0.1,
      loss: 'exponential',
      mlp: { widths: [3, 5, 1], activation: 'relu' },
      data: "datasets.unbalancedMoons({ seed: 0, appendOne: true }) and its 'test' split",
    },
    panels: [
      {
        kind: 'lines',
        id: 'testError',
        title: 'test error (held-out part of 1d)',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'test error', scale: 'linear' },
        series: testSeries,
      },
      {
        kind: 'lines',
        id: 'trainError',
        title: 'training error',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'training error', scale: 'linear' },
        series: trainSeries,
      },
    ],
    summary,
  };
}
