import { datasets } from '../datasets/datasets.js';
import { recordSteps } from '../gd/train/recordSteps.js';
import { trainWeighted } from '../gd/train/trainWeighted.js';
import { hardMarginSVM } from '../svm/hardMarginSVM.js';
import { bands, DEG, resolveOptions } from './internal.js';
import type { Band, ExperimentOptions, ExperimentResult, LinePanel } from './types.js';

export const SLIDES_RATES = {
  name: 'slides-rates',
  description: 'GD on separable data: loss ~ 1/t, ‖w(t)‖ ~ log t / γ⋆, angle to the max margin ~ 1/log t',
  seeds: 5,
  steps: { small: 300, default: 100_000 },
} as const;

const reference = (
  label: string,
  xs: readonly number[],
  f: (t: number) => number,
): { label: string; points: Band[]; reference: true } => ({
  label,
  points: xs
    .filter((t) => t > 0)
    .map((t) => {
      const v = f(t);
      return { x: t, mean: v, std: 0, min: v, max: v };
    }),
  reference: true,
});

/**
 * The rates of Soudry et al. (JMLR 2018, Theorem 3 of the slides) for gradient descent on linearly
 * separable data with the exponential loss: w(t) = ŵ log t + ρ(t) with ŵ the hard-margin SVM solution
 * (margin 1, ‖ŵ‖ = 1/γ⋆) and ‖ρ(t)‖ = O(log log t), so the loss falls like 1/t, the norm grows like
 * log t / γ⋆, and the angle to ŵ shrinks like 1/log t (up to log log t). Each seed is a dataset
 * `datasets.separable({ n: 40, seed })`; linear model, `gd({ lr: 0.1 })`, w₀ = 0 (from the paper's N(0, 1)
 * init, one first step can overshoot to a loss of ~1e-15 after which GD barely moves for 10⁵ steps).
 * The norm is plotted as γ⋆‖w(t)‖ so that datasets compare. Dashed references: c/t, log t + c and
 * c/log t, each with c matched to the mean at the last step.
 *
 * @example
 * ```ts
 * const result = await slidesRates({ seeds: 2, steps: 'small' });
 * result.panels.map((p) => p.id); // ['loss', 'norm', 'angle']
 * ```
 */
export async function slidesRates(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('slides-rates', SLIDES_RATES, options);
  r.total(r.seeds.length);
  const steps = Array.from(recordSteps(r.steps, { points: 100 })).filter((t) => t > 0);
  const lossT: number[][] = [];
  const normT: number[][] = [];
  const angleT: number[][] = [];
  let invGamma = 0;
  for (const seed of r.seeds) {
    const data = datasets.separable({ n: 40, seed });
    const svm = hardMarginSVM(data);
    invGamma += 1 / svm.gamma / r.seeds.length;
    const res = trainWeighted({
      data,
      steps: r.steps,
      init: new Float64Array(data.d),
      reference: svm,
      record: { at: steps, metrics: ['loss', 'norm', 'angle'] },
    });
    const rows = res.history.filter((row) => row.step > 0);
    lossT.push(rows.map((row) => row.loss));
    normT.push(rows.map((row) => row.norm! * svm.gamma));
    angleT.push(rows.map((row) => row.angle! * DEG));
    r.tick();
  }
  const loss = bands(steps, lossT);
  const norm = bands(steps, normT);
  const ang = bands(steps, angleT);
  const T = steps.at(-1)!;
  const cLoss = loss.at(-1)!.mean * T;
  const cNorm = norm.at(-1)!.mean - Math.log(T);
  const cAngle = ang.at(-1)!.mean * Math.log(T);
  const panels: LinePanel[] = [
    {
      kind: 'lines',
      id: 'loss',
      title: 'loss L(w(t)) ~ 1/t',
      x: { label: 'step t', scale: 'log' },
      y: { label: 'loss', scale: 'log' },
      series: [{ label: 'GD', points: loss }, reference('c/t', steps, (t) => cLoss / t)],
    },
    {
      kind: 'lines',
      id: 'norm',
      title: 'γ⋆‖w(t)‖ ~ log t',
      x: { label: 'step t', scale: 'log' },
      y: { label: 'γ⋆ · ‖w(t)‖₂', scale: 'linear' },
      series: [{ label: 'GD', points: norm }, reference('log t + c', steps, (t) => Math.log(t) + cNorm)],
    },
    {
      kind: 'lines',
      id: 'angle',
      title: 'angle to ŵ ~ 1/log t',
      x: { label: 'step t', scale: 'log' },
      y: { label: 'angle (degrees)', scale: 'log' },
      series: [
        { label: 'GD', points: ang },
        reference(
          'c / log t',
          steps.filter((t) => t > 1),
          (t) => cAngle / Math.log(t),
        ),
      ],
    },
  ];
  // Log-log slope of the loss over the last decade (theory: −1).
  const k = steps.findIndex((t) => t >= T / 10);
  const slope = Math.log(loss.at(-1)!.mean / loss[k]!.mean) / Math.log(T / steps[k]!);
  const normSlope = (norm.at(-1)!.mean - norm[k]!.mean) / Math.log(T / steps[k]!);
  return {
    name: 'slides-rates',
    title:
      'GD on separable data: loss ~ 1/t, ‖w(t)‖ ~ log t, direction → max margin at rate 1/log t (Soudry et al.)',
    caption:
      `Linear model on datasets.separable({ n: 40, seed }) (one dataset per seed, ${r.seeds.length} seeds), exponential ` +
      `loss, GD lr 0.1, w₀ = 0; mean and min–max band; the norm is scaled by each dataset's γ⋆; dashed: the ` +
      `theoretical rates matched at t = ${T}.`,
    settings: { seeds: r.seeds, steps: r.steps, lr: 0.1, loss: 'exponential', init: 'zeros' },
    panels,
    summary: {
      'loss log-log slope over the last decade (theory −1)': slope,
      'd(γ⋆‖w‖)/d log t over the last decade (theory 1)': normSlope,
      'mean 1/γ⋆': invGamma,
      'final angle (deg)': ang.at(-1)!.mean,
    },
  };
}
