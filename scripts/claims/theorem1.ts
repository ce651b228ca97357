/**
 * Theorem 1 (Xu, Ye & Ruan, ICLR 2021): with probability ≥ 1 − δ the target error of an H-layer network is
 * at most (I) + (II) + ε, where (I) = (1/n) Σ ηᵢ 1[mᵢ < γ] and (II) ∝ √(χ² + 1)/(γ H^((H−1)/2) √n); and the
 * discussion after it: weights w aligned with η can give a smaller bound (and better generalization).
 *
 * `datasets.covariateShift({ n: 2000, nTest: 5000, seed })`, seed 1…10 (source N(0, I), target
 * N((1, 0), I), exact χ² = e − 1), without and with 10% label noise. Models: linear (H = 1) and the
 * paper's 2-5-1 ReLU MLP (H = 2); GD lr 0.1, exponential loss, 2000 steps, init N(0, 1) from the seed.
 * Weights: uniform vs η (mean 1). Bound at the optimal γ, δ = 0.05, C = max training row norm.
 *
 *   npx tsx scripts/claims/theorem1.ts
 */
import {
  classificationError,
  datasets,
  linear,
  type Model,
  mlp,
  normalizedMargins,
  normalizeWeights,
  theorem1Bound,
  trainWeighted,
} from '../../src/index.js';

const SEEDS = Array.from({ length: 10 }, (_, k) => k + 1);
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

for (const labelNoise of [0, 0.1]) {
  for (const [name, model, depth] of [
    ['linear', linear(2), 1],
    ['MLP 2-5-1', mlp({ widths: [2, 5, 1] }), 2],
  ] as [string, Model, number][]) {
    const res: Record<string, { err: number[]; bound: number[] }> = {
      uniform: { err: [], bound: [] },
      η: { err: [], bound: [] },
    };
    let holds = 0;
    let runs = 0;
    let diverged = 0;
    for (const seed of SEEDS) {
      const shift = datasets.covariateShift({ n: 2000, nTest: 5000, seed, labelNoise });
      for (const [label, weights] of [
        ['uniform', new Float64Array(shift.n).fill(1)],
        ['η', normalizeWeights(shift.eta, 'mean')],
      ] as const) {
        const run = trainWeighted({ data: shift, model, weights, steps: 2000, seed, onDiverge: 'stop' });
        if (run.status !== 'completed') {
          diverged++;
          res[label]!.err.push(Number.NaN);
          res[label]!.bound.push(Number.NaN);
          continue;
        }
        const margins = normalizedMargins(model, run.theta, shift);
        const bound = theorem1Bound({ margins, eta: shift.eta, depth, data: shift, chi2: shift.chi2 }).total;
        const err = classificationError(model, run.theta, shift.test);
        res[label]!.err.push(err);
        res[label]!.bound.push(bound);
        runs++;
        if (err <= bound) holds++;
      }
    }
    const u = res.uniform!;
    const e = res.η!;
    const both = SEEDS.map((_, i) => i).filter(
      (i) => Number.isFinite(u.err[i]!) && Number.isFinite(e.err[i]!),
    );
    const smallerBound = both.filter((i) => e.bound[i]! < u.bound[i]!).length;
    const smallerErr = both.filter((i) => e.err[i]! < u.err[i]!).length;
    const fin = (a: number[]) => a.filter(Number.isFinite);
    console.log(
      `noise ${labelNoise}, ${name}: target error ≤ bound in ${holds}/${runs} runs (diverged ${diverged}); ` +
        `median target error uniform ${median(fin(u.err)).toFixed(4)}, η ${median(fin(e.err)).toFixed(4)}; ` +
        `median bound uniform ${median(fin(u.bound)).toFixed(3)}, η ${median(fin(e.bound)).toFixed(3)}; ` +
        `η gives the smaller bound on ${smallerBound}/${both.length}, the smaller target error on ${smallerErr}/${both.length}`,
    );
  }
}
