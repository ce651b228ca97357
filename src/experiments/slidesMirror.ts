import { datasets } from '../datasets/datasets.js';
import { mirrorDescent } from '../gd/optimizers/mirrorDescent.js';
import { recordSteps } from '../gd/train/recordSteps.js';
import { trainRegression } from '../gd/train/trainRegression.js';
import { rowSpaceBasis } from '../linalg/rowSpaceBasis.js';
import { minBregmanInterpolant } from '../svm/interpolants/minBregmanInterpolant.js';
import { minNormInterpolant } from '../svm/interpolants/minNormInterpolant.js';
import { bands, resolveOptions } from './internal.js';
import type { ExperimentOptions, ExperimentResult, LineSeries } from './types.js';

export const SLIDES_MIRROR = {
  name: 'slides-mirror',
  description:
    'Under-determined regression: GD ends at the min-ℓ2 interpolant, mirror descent at the min-Bregman one',
  seeds: 5,
  steps: { small: 200, default: 5000 },
} as const;

const P = 1.5;

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return Math.sqrt(s);
}

/**
 * The slides' "Linear models in regression" and "mirror descent" results (Gunasekar et al. 2018,
 * Proposition 1; Beck & Teboulle 2003, Theorem 1): on a realizable under-determined least-squares problem
 * L(w) = Σᵢ (wᵀxᵢ − yᵢ)², gradient descent from w₀ = 0 converges to the minimum-ℓ2-norm interpolant
 * (`minNormInterpolant`), and mirror descent with ψ = ½‖w‖_p² (p = 1.5) to the interpolant minimizing
 * D_ψ(w, 0) = ½‖w‖_p² (`minBregmanInterpolant`) — a different point. Each seed is a dataset
 * `datasets.underdetermined({ n: 10, d: 30, seed })`; GD uses `trainRegression`'s default step 1/(2σ²max),
 * mirror descent 0.3/σ²max. Panels: the distance of each method's iterate to each reference.
 *
 * @example
 * ```ts
 * const result = await slidesMirror({ seeds: 2, steps: 'small' });
 * result.panels.map((p) => p.id); // ['toL2', 'toLp']
 * ```
 */
export async function slidesMirror(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('slides-mirror', SLIDES_MIRROR, options);
  r.total(2 * r.seeds.length);
  const at = Array.from(recordSteps(r.steps, { points: 60 }));
  const traces = {
    gd: { l2: [] as number[][], lp: [] as number[][] },
    md: { l2: [] as number[][], lp: [] as number[][] },
  };
  let gap = 0;
  for (const seed of r.seeds) {
    const data = datasets.underdetermined({ n: 10, d: 30, seed });
    const zero = new Float64Array(data.d);
    const l2 = minNormInterpolant(data.X, data.y, zero).w;
    const lp = minBregmanInterpolant(data.X, data.y, zero, { p: P }).w;
    gap += distance(l2, lp) / r.seeds.length;
    const sigma = rowSpaceBasis(data.X, data.n, data.d).singularValues[0]!;
    for (const [key, optimizer] of [
      ['gd', undefined],
      ['md', mirrorDescent({ lr: 0.3 / (sigma * sigma), potential: { p: P } })],
    ] as const) {
      const res = trainRegression({
        data,
        steps: r.steps,
        init: 'zeros',
        ...(optimizer === undefined ? {} : { optimizer }),
        record: { at, metrics: ['w'] },
      });
      traces[key].l2.push(res.history.map((row) => distance(row.w!, l2)));
      traces[key].lp.push(res.history.map((row) => distance(row.w!, lp)));
      r.tick();
    }
  }
  const series = (which: 'l2' | 'lp'): LineSeries[] => [
    { label: 'gradient descent', points: bands(at, traces.gd[which]) },
    { label: `mirror descent, ψ = ½‖w‖²_${P}`, points: bands(at, traces.md[which]) },
  ];
  const toL2 = series('l2');
  const toLp = series('lp');
  return {
    name: 'slides-mirror',
    title:
      'Each geometry picks its own interpolant: GD the min-ℓ2-norm one, mirror descent the min-Bregman one',
    caption:
      `Squared loss on datasets.underdetermined({ n: 10, d: 30, seed }), w₀ = 0, ${r.seeds.length} seeds (one dataset ` +
      `each); mean and min–max band of ‖wₜ − w_ref‖₂ to argmin ‖w‖₂ and to argmin ‖w‖_${P} over {Xw = y}.`,
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      p: P,
      gdLr: '1/(2σ²max)',
      mirrorLr: '0.3/σ²max',
      init: 'zeros',
    },
    panels: [
      {
        kind: 'lines',
        id: 'toL2',
        title: 'distance to the min-ℓ2-norm interpolant',
        x: { label: 'step t', scale: 'log' },
        y: { label: '‖wₜ − w_ℓ2‖₂', scale: 'log' },
        series: toL2,
      },
      {
        kind: 'lines',
        id: 'toLp',
        title: `distance to the min-ℓ${P}-norm interpolant`,
        x: { label: 'step t', scale: 'log' },
        y: { label: `‖wₜ − w_ℓ${P}‖₂`, scale: 'log' },
        series: toLp,
      },
    ],
    summary: {
      'GD: final distance to min-ℓ2 (mean)': toL2[0]!.points.at(-1)!.mean,
      'GD: final distance to min-ℓp (mean)': toLp[0]!.points.at(-1)!.mean,
      'MD: final distance to min-ℓ2 (mean)': toL2[1]!.points.at(-1)!.mean,
      'MD: final distance to min-ℓp (mean)': toLp[1]!.points.at(-1)!.mean,
      'distance between the two interpolants (mean)': gap,
    },
  };
}
