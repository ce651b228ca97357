import { datasets } from '../datasets/datasets.js';
import type { Dataset } from '../datasets/types.js';
import { steepestDescent } from '../gd/optimizers/steepestDescent.js';
import { recordSteps } from '../gd/train/recordSteps.js';
import { trainRegression } from '../gd/train/trainRegression.js';
import { trainWeighted } from '../gd/train/trainWeighted.js';
import { hardMarginSVM } from '../svm/hardMarginSVM.js';
import { minBregmanInterpolant } from '../svm/interpolants/minBregmanInterpolant.js';
import { maxMarginDirection } from '../svm/maxMarginDirection.js';
import { band, bands, resolveOptions } from './internal.js';
import type { Band, ExperimentOptions, ExperimentResult, LineSeries } from './types.js';

export const SLIDES_STEEPEST = {
  name: 'slides-steepest',
  description:
    'Steepest descent reaches the max margin of its own norm; in regression its limit depends on the step size',
  seeds: 5,
  steps: { small: 300, default: 20_000 },
} as const;

type Kind = 'l1' | 'l2' | 'linf';
const KINDS: Kind[] = ['l1', 'l2', 'linf'];
const NAME: Record<Kind, string> = { l1: 'ℓ1', l2: 'ℓ2', linf: 'ℓ∞' };
/** The slides' ℓ4/3 example: step sizes tried. */
const LRS = [0.005, 0.01, 0.02, 0.04, 0.06];

function fold(v: ArrayLike<number>, f: (acc: number, x: number) => number): number {
  let acc = 0;
  for (let j = 0; j < v.length; j++) acc = f(acc, v[j]!);
  return acc;
}

const norms: Record<Kind, (v: ArrayLike<number>) => number> = {
  l1: (v) => fold(v, (s, x) => s + Math.abs(x)),
  l2: (v) => Math.sqrt(fold(v, (s, x) => s + x * x)),
  linf: (v) => fold(v, (s, x) => Math.max(s, Math.abs(x))),
};
const dual: Record<Kind, Kind> = { l1: 'linf', l2: 'l2', linf: 'l1' };

/** minᵢ yᵢwᵀxᵢ / ‖w‖ in the given norm. */
function margin(data: Dataset, w: ArrayLike<number>, kind: Kind): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += data.X[i * data.d + j]! * w[j]!;
    m = Math.min(m, data.y[i]! * s);
  }
  return m / norms[kind](w);
}

/**
 * The slides' steepest-descent results (Gunasekar, Lee, Soudry & Srebro 2018). (a) Classification,
 * Theorem 4: on separable data with the exponential loss, steepest descent w.r.t. ‖·‖ with the loss-scaled
 * step ηₜ = 1/(2B²L(wₜ)) (B = maxᵢ‖xᵢ‖_⋆, `normalize: 'loss'`) drives the margin measured in that norm to
 * the max margin γ⋆ of that norm (`maxMarginDirection` for ℓ1/ℓ∞, `hardMarginSVM` for ℓ2); plotted is the
 * relative gap 1 − margin/γ⋆, w₀ = 0, each seed a dataset `datasets.separable({ n: 20, d: 4, seed })`.
 * (b) Regression: on the slides' example {([1, 1, 1], 1), ([1, 2, 0], 10)} steepest descent w.r.t.
 * ℓ4/3 from w₀ = 0 interpolates, but where it ends depends on the step size, and it is not the minimum
 * ℓ4/3-norm interpolant w⋆ (plotted: limit − w⋆ per coordinate). Deterministic: no band.
 *
 * @example
 * ```ts
 * const result = await slidesSteepest({ seeds: 2, steps: 'small' });
 * result.panels.map((p) => p.id); // ['classification', 'regression']
 * ```
 */
export async function slidesSteepest(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('slides-steepest', SLIDES_STEEPEST, options);
  r.total(KINDS.length * r.seeds.length + LRS.length);
  const at = Array.from(recordSteps(r.steps, { points: 60 })).filter((t) => t > 0);
  const gaps: Record<Kind, number[][]> = { l1: [], l2: [], linf: [] };
  const cross: Record<string, number[]> = {};
  for (const seed of r.seeds) {
    const data = datasets.separable({ n: 20, d: 4, seed });
    const gamma: Record<Kind, number> = {
      l1: (await maxMarginDirection(data, { norm: 'l1' })).gamma,
      l2: hardMarginSVM(data).gamma,
      linf: (await maxMarginDirection(data, { norm: 'linf' })).gamma,
    };
    for (const kind of KINDS) {
      let B = 0;
      for (let i = 0; i < data.n; i++)
        B = Math.max(B, norms[dual[kind]](data.X.subarray(i * data.d, (i + 1) * data.d)));
      const res = trainWeighted({
        data,
        steps: r.steps,
        optimizer: steepestDescent({ lr: 0.5 / (B * B), norm: kind, normalize: 'loss' }),
        init: new Float64Array(data.d),
        record: { at, metrics: ['theta'] },
      });
      const rows = res.history.filter((row) => row.step > 0);
      gaps[kind].push(rows.map((row) => 1 - margin(data, row.theta!, kind) / gamma[kind]));
      for (const other of KINDS) {
        const key = `${NAME[kind]} steepest descent: final margin in ${NAME[other]} / γ⋆${NAME[other].slice(1)}`;
        (cross[key] ??= []).push(margin(data, res.theta, other) / gamma[other]);
      }
      r.tick();
    }
  }
  const classification: LineSeries[] = KINDS.map((kind) => ({
    label: `${NAME[kind]} steepest descent`,
    points: bands(at, gaps[kind]),
  }));

  // (b) the slides' ℓ4/3 regression example.
  const s = datasets.slidesRegression();
  const p = 4 / 3;
  const limits: Float64Array[] = LRS.map((lr) => {
    const res = trainRegression({
      data: s,
      steps: r.steps,
      init: 'zeros',
      optimizer: steepestDescent({ lr, norm: { p } }),
      record: { points: 1 },
    });
    r.tick();
    return res.w;
  });
  const minNorm = minBregmanInterpolant(s.X, s.y, new Float64Array(s.d), { p }).w;
  const regression: LineSeries[] = [];
  for (let j = 0; j < s.d; j++) {
    regression.push({
      label: `w${j + 1} − w⋆${j + 1}`,
      points: LRS.map((lr, k) => band(lr, [limits[k]![j]! - minNorm[j]!])),
    });
  }
  regression.push({
    label: 'w⋆ = argmin ‖w‖4/3 over {Xw = y}',
    points: [LRS[0]!, LRS.at(-1)!].map((x): Band => ({ x, mean: 0, std: 0, min: 0, max: 0 })),
    reference: true,
  });
  const summary: Record<string, number> = {};
  for (const kind of KINDS)
    summary[`final relative gap (mean), ${NAME[kind]}`] =
      classification[KINDS.indexOf(kind)]!.points.at(-1)!.mean;
  for (const [k, v] of Object.entries(cross))
    summary[`${k} (mean)`] = v.reduce((a, b) => a + b, 0) / v.length;
  LRS.forEach((lr, k) => {
    summary[`ℓ4/3 limit w1 at lr ${lr}`] = limits[k]![0]!;
  });
  summary['min-ℓ4/3 interpolant w1'] = minNorm[0]!;
  return {
    name: 'slides-steepest',
    title:
      'Steepest descent finds the max margin of its own norm; in regression its limit depends on the step size',
    caption:
      `(a) Exponential loss, w₀ = 0, loss-scaled steepest descent (lr 1/(2B²)) on datasets.separable({ n: 20, d: 4, seed }), ` +
      `${r.seeds.length} seeds: 1 − margin/γ⋆ in the method's own norm, mean and min–max band. (b) Squared loss on ` +
      `{([1,1,1], 1), ([1,2,0], 10)}, steepest descent w.r.t. ℓ4/3 from 0 for ${r.steps} steps at each step size: the limit minus ` +
      'the minimum-ℓ4/3-norm interpolant w⋆ (dashed: 0).',
    settings: { seeds: r.seeds, steps: r.steps, lrs: LRS, p },
    panels: [
      {
        kind: 'lines',
        id: 'classification',
        title: '(a) relative margin gap in the own norm',
        x: { label: 'step t', scale: 'log' },
        y: { label: '1 − margin / γ⋆', scale: 'log' },
        series: classification,
      },
      {
        kind: 'lines',
        id: 'regression',
        title: '(b) ℓ4/3 steepest descent: limit vs step size',
        x: { label: 'step size η', scale: 'log' },
        y: { label: 'limit minus w⋆ (per coordinate)', scale: 'linear' },
        series: regression,
      },
    ],
    summary,
  };
}
