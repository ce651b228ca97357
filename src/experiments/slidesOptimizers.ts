import { datasets } from '../datasets/datasets.js';
import { adam } from '../gd/optimizers/adam.js';
import { gd } from '../gd/optimizers/gd.js';
import { momentum } from '../gd/optimizers/momentum.js';
import type { Optimizer } from '../gd/optimizers/types.js';
import { recordSteps } from '../gd/train/recordSteps.js';
import { trainWeighted } from '../gd/train/trainWeighted.js';
import { angle } from '../metrics/angle.js';
import { hardMarginSVM } from '../svm/hardMarginSVM.js';
import { maxMarginDirection } from '../svm/maxMarginDirection.js';
import { bands, DEG, resolveOptions } from './internal.js';
import type { ExperimentOptions, ExperimentResult, LineSeries } from './types.js';

export const SLIDES_OPTIMIZERS = {
  name: 'slides-optimizers',
  description: 'GD and momentum go to the ℓ2 max-margin direction, Adam to the ℓ∞ one',
  seeds: 5,
  steps: { small: 300, default: 100_000 },
} as const;

const METHODS: { label: string; make: () => Optimizer<unknown> }[] = [
  { label: 'GD (lr 0.1)', make: () => gd({ lr: 0.1 }) },
  { label: 'momentum (lr 0.1, β 0.9)', make: () => momentum({ lr: 0.1, beta: 0.9 }) },
  {
    label: 'Adam (lr 0.1/√(t+1), ε 1e-300)',
    make: () => adam({ lr: (t) => 0.1 / Math.sqrt(t + 1), eps: 1e-300 }),
  },
  { label: 'Adam (lr 0.01, ε 1e-8)', make: () => adam({ lr: 0.01 }) },
];

/**
 * The slides' "different algorithms behave differently": on separable data (exponential loss, linear
 * model, w₀ = 0) GD and GD with momentum converge in direction to the ℓ2 max-margin vector θ⋆ (the
 * hard-margin SVM), while Adam does not; measured, Adam with negligible ε goes to the ℓ∞ max-margin
 * direction (`maxMarginDirection(data, { norm: 'linf' })`), and with the default ε = 1e-8 it drifts back
 * towards θ⋆ once the loss falls below ε (docs/geometry.md). Each seed is a dataset
 * `datasets.separable({ n: 10, d: 3, seed })`; panels give the angle of wₜ to θ⋆ and to w⋆∞.
 *
 * @example
 * ```ts
 * const result = await slidesOptimizers({ seeds: 2, steps: 'small' });
 * result.panels.map((p) => p.id); // ['l2', 'linf']
 * ```
 */
export async function slidesOptimizers(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('slides-optimizers', SLIDES_OPTIMIZERS, options);
  r.total(METHODS.length * r.seeds.length);
  const at = Array.from(recordSteps(r.steps, { points: 80 })).filter((t) => t > 0);
  const problems = [];
  for (const seed of r.seeds) {
    const data = datasets.separable({ n: 10, d: 3, seed });
    problems.push({
      data,
      l2: hardMarginSVM(data).theta,
      linf: (await maxMarginDirection(data, { norm: 'linf' })).w,
    });
  }
  const l2: LineSeries[] = [];
  const linf: LineSeries[] = [];
  const summary: Record<string, number> = {};
  for (const m of METHODS) {
    const to2: number[][] = [];
    const toInf: number[][] = [];
    for (const p of problems) {
      const res = trainWeighted({
        data: p.data,
        steps: r.steps,
        optimizer: m.make(),
        init: new Float64Array(p.data.d),
        record: { at, metrics: ['theta'] },
      });
      const rows = res.history.filter((row) => row.step > 0);
      to2.push(rows.map((row) => angle(row.theta!, p.l2) * DEG));
      toInf.push(rows.map((row) => angle(row.theta!, p.linf) * DEG));
      r.tick();
    }
    const a2 = bands(at, to2);
    const aInf = bands(at, toInf);
    l2.push({ label: m.label, points: a2 });
    linf.push({ label: m.label, points: aInf });
    summary[`final angle to θ⋆ (ℓ2) (deg), ${m.label}`] = a2.at(-1)!.mean;
    summary[`final angle to w⋆∞ (deg), ${m.label}`] = aInf.at(-1)!.mean;
  }
  let apart = 0;
  for (const p of problems) apart += angle(p.l2, p.linf) * DEG;
  summary['mean angle between θ⋆ and w⋆∞ (deg)'] = apart / problems.length;
  return {
    name: 'slides-optimizers',
    title: 'GD and momentum converge to the ℓ2 max-margin direction; Adam does not (it heads for the ℓ∞ one)',
    caption:
      `Linear model, exponential loss, w₀ = 0, on datasets.separable({ n: 10, d: 3, seed }) for ${r.seeds.length} ` +
      'seeds (one dataset each); mean and min–max band of the angle of wₜ to the hard-margin SVM θ⋆ and to the ' +
      'ℓ∞ max-margin direction w⋆∞ (LP).',
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      loss: 'exponential',
      init: 'zeros',
      methods: METHODS.map((m) => m.label),
    },
    panels: [
      {
        kind: 'lines',
        id: 'l2',
        title: 'angle to θ⋆ (ℓ2 max margin)',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'angle (degrees)', scale: 'log' },
        series: l2,
      },
      {
        kind: 'lines',
        id: 'linf',
        title: 'angle to w⋆∞ (ℓ∞ max margin)',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'angle (degrees)', scale: 'log' },
        series: linf,
      },
    ],
    summary,
  };
}
