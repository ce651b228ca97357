/**
 * docs/bounds.md's Theorem 1 table: `datasets.covariateShift({ n, nTest: 5000, seed: 1 })` for n = 200, 2000,
 * 20000, linear model, GD lr 0.1, 2000 steps (seed 0), uniform or η weights (mean 1), exact χ² = e − 1,
 * C = the largest training row norm, optimal γ; the terms with the lemmas' constants ('proved', the
 * default of theorem1Bound) and with the statement's ('stated').
 *
 *   npx tsx scripts/claims/theorem1Table.ts
 */
import {
  classificationError,
  datasets,
  linear,
  normalizedMargins,
  normalizeWeights,
  theorem1Bound,
  trainWeighted,
} from '../../src/index.js';

console.log('| n     | weights    | target error | constants | γ     | (I)   | (II)  | ε     | total |');
console.log('| ----- | ---------- | ------------ | --------- | ----- | ----- | ----- | ----- | ----- |');
for (const n of [200, 2000, 20_000]) {
  const shift = datasets.covariateShift({ n, nTest: 5000, seed: 1 });
  for (const [label, weights] of [
    ['uniform', new Float64Array(n).fill(1)],
    ['η (mean 1)', normalizeWeights(shift.eta, 'mean')],
  ] as const) {
    const { theta } = trainWeighted({ data: shift, weights, steps: 2000, seed: 0 });
    const margins = normalizedMargins(linear(2), theta, shift);
    const err = classificationError(linear(2), theta, shift.test);
    for (const constants of ['proved', 'stated'] as const) {
      const b = theorem1Bound({
        margins,
        eta: shift.eta,
        depth: 1,
        data: shift,
        chi2: shift.chi2,
        constants,
      });
      console.log(
        `| ${String(n).padEnd(5)} | ${label.padEnd(10)} | ${err.toFixed(4).padEnd(12)} | ${constants.padEnd(9)} | ` +
          `${b.gamma.toFixed(3)} | ${b.empirical.toFixed(3)} | ${b.complexity.toFixed(3)} | ${b.epsilon.toFixed(3)} | ${b.total.toFixed(3)} |`,
      );
    }
  }
}
