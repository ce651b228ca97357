import { datasets } from '../datasets/datasets.js';
import { recordSteps } from '../gd/train/recordSteps.js';
import { trainMatrixFactorization } from '../gd/train/trainMatrixFactorization.js';
import { bands, resolveOptions } from './internal.js';
import type { ExperimentOptions, ExperimentResult, LineSeries } from './types.js';

export const SLIDES_FACTORIZATION = {
  name: 'slides-factorization',
  description:
    'Matrix completion by deep matrix factorization: depth lowers the effective rank and recovers the low-rank truth',
  seeds: 5,
  steps: { small: 300, default: 3000 },
} as const;

const SIZE = 12;
const RANK = 2;
const OBSERVED = 0.5;
const LR = 0.01;
const INIT = 0.01;
const DEPTHS = [1, 2, 3] as const;

/**
 * The slides' "Matrix factorization" section (Gunasekar et al. 2017; Arora et al. 2019): complete a
 * 12×12 rank-2 matrix from half of its entries (`datasets.matrixCompletion({ rows: 12, cols: 12, rank: 2,
 * observed: 0.5, seed })`) by GD on Σ_Ω([W_N⋯W₁]_ij − y_ij)² at depths N = 1, 2, 3 (width 12, factors
 * i.i.d. N(0, 0.01²), lr = 0.01, `trainMatrixFactorization`). Depth 1 only copies the observations;
 * depths 2 and 3 fill in the missing entries, depth 3 with a lower effective rank (wider gaps between the
 * singular values). Panels: relative error on the unobserved entries, and the entropy effective rank of
 * W_e, per step, mean and min–max band over seeds.
 *
 * @example
 * ```ts
 * const result = await slidesFactorization({ seeds: 2, steps: 'small' });
 * result.panels.map((p) => p.id); // ['unobservedError', 'effectiveRank']
 * ```
 */
export async function slidesFactorization(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('slides-factorization', SLIDES_FACTORIZATION, options);
  r.total(DEPTHS.length * r.seeds.length);
  const at = Array.from(recordSteps(r.steps, { points: 40 }));
  const err = DEPTHS.map(() => [] as number[][]);
  const erank = DEPTHS.map(() => [] as number[][]);
  for (const seed of r.seeds) {
    const data = datasets.matrixCompletion({ rows: SIZE, cols: SIZE, rank: RANK, observed: OBSERVED, seed });
    DEPTHS.forEach((depth, k) => {
      const res = trainMatrixFactorization({
        data,
        depth,
        initScale: INIT,
        lr: LR,
        steps: r.steps,
        seed,
        record: { at, metrics: ['unobservedError', 'effectiveRank'] },
      });
      err[k]!.push(res.history.map((row) => row.unobservedError!));
      erank[k]!.push(res.history.map((row) => row.effectiveRank!));
      r.tick();
    });
  }
  const series = (traces: number[][][]): LineSeries[] =>
    DEPTHS.map((depth, k) => ({ label: `depth ${depth}`, points: bands(at, traces[k]!) }));
  const errSeries = series(err);
  const rankSeries = series(erank);
  const summary: Record<string, number> = {};
  DEPTHS.forEach((depth, k) => {
    summary[`depth ${depth}: final unobserved error (mean)`] = errSeries[k]!.points.at(-1)!.mean;
    summary[`depth ${depth}: final effective rank (mean)`] = rankSeries[k]!.points.at(-1)!.mean;
  });
  return {
    name: 'slides-factorization',
    title: 'Deeper matrix factorizations find lower-rank completions and recover the truth',
    caption:
      `GD on Σ_Ω([W_N⋯W₁]ᵢⱼ − yᵢⱼ)², a ${SIZE}×${SIZE} rank-${RANK} matrix with ${OBSERVED * 100}% of entries ` +
      `observed, factors i.i.d. N(0, ${INIT}²), lr ${LR}, ${r.seeds.length} seeds; mean and min–max band of ` +
      '‖W_e − M‖_F/‖M‖_F over the unobserved entries and of the entropy effective rank of W_e.',
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      rows: SIZE,
      cols: SIZE,
      rank: RANK,
      observed: OBSERVED,
      lr: LR,
      initScale: INIT,
      width: SIZE,
      depths: [...DEPTHS],
    },
    panels: [
      {
        kind: 'lines',
        id: 'unobservedError',
        title: 'relative recovery error on the unobserved entries',
        x: { label: 'step t', scale: 'log' },
        y: { label: '‖(W_e − M)_Ωᶜ‖_F / ‖M_Ωᶜ‖_F', scale: 'log' },
        series: errSeries,
      },
      {
        kind: 'lines',
        id: 'effectiveRank',
        title: 'effective rank exp(H(σ/Σσ)) of the end matrix',
        x: { label: 'step t', scale: 'log' },
        y: { label: 'effective rank', scale: 'linear' },
        series: rankSeries,
      },
    ],
    summary,
  };
}
