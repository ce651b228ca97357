import { band, bands, resolveOptions } from './internal.js';
import {
  MOONS_SEEDS_DEFAULT,
  MOONS_STEPS,
  moonsData,
  moonsRun,
  moonsWeightings,
  pairedBelow,
} from './moonsRuns.js';
import type { Band, ExperimentOptions, ExperimentResult, LineSeries } from './types.js';

/** Bands over the seeds whose value is defined (finite) at each x; x with no such seed is left out. */
function definedBands(xs: readonly number[], traces: readonly (readonly number[])[]): Band[] {
  const out: Band[] = [];
  xs.forEach((x, k) => {
    const values = traces.map((t) => t[k]!).filter(Number.isFinite);
    if (values.length > 0) out.push(band(x, values));
  });
  return out;
}

export const FIGURE2D = {
  name: 'figure2d',
  description: 'Average normalized margin of the MLP on Figure 1c over training, several class weights',
  seeds: MOONS_SEEDS_DEFAULT,
  steps: MOONS_STEPS,
  shares: 'figure1-runs',
} as const;

/**
 * Figure 2d of Xu, Ye & Ruan (ICLR 2021): the average normalized margin (1/n) Σᵢ yᵢ f(θ(t), xᵢ)/‖θ(t)‖₂^α
 * (α = 2 for the two-layer ReLU net) of the paper's MLP (widths [3, 5, 1], ReLU, no biases) on the
 * balanced moons of Figure 1c (x₃ = 1 appended) over gradient-descent steps, under uniform weights and
 * ×10 on either class (mean 1; on balanced data class-balanced weights are uniform). Paper settings:
 * exponential loss, GD lr 0.1, N(0, 1) init from each seed. The paper's claim: the weights change how
 * fast the margin grows (Section 4.1), while with weak regularization the limit margins agree (Prop. 3).
 * A second panel shows the normalized (minimum) margin, which is positive once a seed separates the data, and a
 * third (when some seed separates the data) the KKT residual of the max-margin problem min ½‖θ‖² s.t.
 * yᵢf(θ; xᵢ) ≥ 1 (`kktResidual`, Lyu & Li's (ε, δ)-KKT conditions: 0 at the limit GD approaches in direction),
 * over the seeds that separate the data at each step.
 *
 * @example
 * ```ts
 * const result = await figure2d({ seeds: 2, steps: 'small' });
 * result.panels[0].series.map((s) => s.label); // ['uniform', 'class +1 ×10', 'class −1 ×10']
 * ```
 */
export async function figure2d(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('figure2d', FIGURE2D, options);
  const { data } = moonsData('c');
  const labels = moonsWeightings('c', data).map((w) => w.label);
  r.total(labels.length * r.seeds.length);
  const runs = labels.map((label) => moonsRun(r, 'c', label, r.steps));
  const summary: Record<string, number> = {};
  const avg: LineSeries[] = [];
  const min: LineSeries[] = [];
  const kkt: LineSeries[] = [];
  const mid = (steps: number[]) => {
    // The recorded step nearest to √T on a log scale: the middle of the run.
    const target = Math.sqrt(steps.at(-1)!);
    let best = 1;
    for (let k = 1; k < steps.length; k++)
      if (Math.abs(Math.log(steps[k]! / target)) < Math.abs(Math.log(steps[best]! / target))) best = k;
    return best;
  };
  for (const run of runs) {
    const points = bands(run.steps, run.traces.averageMargin!);
    avg.push({ label: run.label, points });
    min.push({ label: run.label, points: bands(run.steps, run.traces.margin!) });
    const residual = definedBands(run.steps, run.traces.kktResidual!);
    if (residual.length > 0) kkt.push({ label: run.label, points: residual });
    // Per separated seed: the residual when it first separated and at the end.
    const firstLast = run.traces.kktResidual!.flatMap((t) => {
      const defined = t.filter(Number.isFinite);
      return Number.isFinite(t.at(-1)!) && defined.length > 1 ? [[defined[0]!, t.at(-1)!] as const] : [];
    });
    summary[`seeds separated at the end with a KKT residual below its value at separation, ${run.label}`] =
      firstLast.filter(([a, b]) => b < a).length;
    if (firstLast.length > 0) {
      const end = band(
        0,
        firstLast.map(([, b]) => b),
      );
      summary[`final KKT residual of the separated seeds (min), ${run.label}`] = end.min;
      summary[`final KKT residual of the separated seeds (max), ${run.label}`] = end.max;
    }
    const k = mid(run.steps);
    summary[`average margin at t = ${run.steps[k]}, ${run.label}`] = points[k]!.mean;
    summary[`final average margin, ${run.label}`] = points.at(-1)!.mean;
    const peak = points.reduce((a, b) => (b.mean > a.mean ? b : a));
    summary[`peak mean average margin, ${run.label}`] = peak.mean;
    summary[`step of the peak mean average margin, ${run.label}`] = peak.x;
    summary[`final normalized margin, ${run.label}`] = min.at(-1)!.points.at(-1)!.mean;
    summary[`seeds separating the data at the end, ${run.label}`] = run.traces.trainError!.filter(
      (t) => t.at(-1) === 0,
    ).length;
    summary[`dead or diverged seeds, ${run.label}`] = run.dead.length + run.diverged.length;
    if (run !== runs[0]) {
      // Larger than uniform's = uniform's is below this one's, paired by seed.
      summary[`seeds with larger average margin than uniform at t = ${run.steps[k]}, ${run.label}`] =
        pairedBelow(runs[0]!, run, 'averageMargin', k).below;
      summary[`seeds with larger final average margin than uniform, ${run.label}`] = pairedBelow(
        runs[0]!,
        run,
        'averageMargin',
      ).below;
    }
  }
  const tMid = runs[0]!.steps[mid(runs[0]!.steps)]!;
  const fmt = (label: string) =>
    `${summary[`peak mean average margin, ${label}`]!.toFixed(3)} (t = ${summary[`step of the peak mean average margin, ${label}`]}) → ` +
    summary[`final average margin, ${label}`]!.toFixed(3);
  return {
    name: 'figure2d',
    title: 'Class weights change how fast the MLP’s average margin grows (Section 4.1)',
    caption:
      `Average normalized margin (1/n) Σ yᵢ f(θ, xᵢ)/‖θ‖² over GD steps, MLP [3, 5, 1] ReLU without biases on the ` +
      `${data.n} balanced moons of Figure 1c with x₃ = 1 appended, exponential loss, lr 0.1, N(0, 1) init; mean ` +
      `and min–max band over ${r.seeds.length} seeds; weights scaled to mean 1. Peak (step) and final means ` +
      labels.map((l) => `${l} ${fmt(l)}`).join(', ') +
      `. Same initialization, average margin above uniform's at t = ${tMid} / at the end: ` +
      runs
        .slice(1)
        .map(
          (run) =>
            `${run.label} ${summary[`seeds with larger average margin than uniform at t = ${tMid}, ${run.label}`]} / ` +
            `${summary[`seeds with larger final average margin than uniform, ${run.label}`]}`,
        )
        .join(', ') +
      ` of ${r.seeds.length} seeds.`,
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      lr: 0.1,
      loss: 'exponential',
      mlp: { widths: [3, 5, 1], activation: 'relu' },
      data: 'datasets.moons({ seed: 0, appendOne: true })',
    },
    panels: [
      {
        kind: 'lines',
        id: 'averageMargin',
        title: 'average normalized margin',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'average margin', scale: 'linear' },
        series: avg,
      },
      {
        kind: 'lines',
        id: 'margin',
        title: 'normalized margin (minimum over points)',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'normalized margin', scale: 'linear' },
        series: min,
      },
      // Only when some seed separates the data (none do in a short run).
      ...(kkt.length === 0
        ? []
        : [
            {
              kind: 'lines' as const,
              id: 'kktResidual',
              title: 'KKT residual of the max-margin problem (seeds that separate the data)',
              x: { label: 'step t', scale: 'log' as const },
              y: { label: 'kktResidual', scale: 'linear' as const },
              series: kkt,
            },
          ]),
    ],
    summary,
  };
}
