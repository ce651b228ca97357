/**
 * Deep linear networks: mlp({ widths, activation: 'identity' }) is the linear predictor βᵀx with
 * β = W₁ᵀ⋯W_Hᵀ, homogeneous of degree H, and under GD on separable data its end-to-end direction β/‖β‖ heads
 * for the ℓ2 max-margin separator (Ji & Telgarsky 2019). Gradients, Hessian-vector products and the passes'
 * agreement are covered with the other activations (test/mlp/mlp.test.ts, test/metrics/sharpness.test.ts,
 * test/kernels/mlpPaths.test.ts, test/kernels/hvpByLayer.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, datasets, gd, hardMarginSVM, mlp, trainWeighted } from '../../src/index.js';

/** β = W₁ᵀ W₂ᵀ ⋯ W_Hᵀ (a column), from θ's layout, by plain nested-array products. */
function endToEnd(widths: number[], theta: Float64Array): number[] {
  // v starts as W_H (1 × h_{H−1}) and is multiplied from the right by W_{H−1}, …, W₁.
  const offsets = [0];
  for (let l = 0; l + 1 < widths.length; l++) offsets.push(offsets[l]! + widths[l]! * widths[l + 1]!);
  const H = widths.length - 1;
  let v = Array.from(theta.subarray(offsets[H - 1]!, offsets[H]!));
  for (let l = H - 2; l >= 0; l--) {
    const rows = widths[l + 1]!;
    const cols = widths[l]!;
    v = Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let o = 0; o < rows; o++) s += v[o]! * theta[offsets[l]! + o * cols + j]!;
      return s;
    });
  }
  return v;
}

describe("mlp({ activation: 'identity' })", () => {
  it('f(θ, x) = βᵀx with β = W₁ᵀ⋯W_Hᵀ, α = H, activationDegree 1 (property over depths and widths)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1e9 }),
        (hidden, seed) => {
          const widths = [3, ...hidden, 1];
          const model = mlp({ widths, activation: 'identity' });
          expect(model.alpha).toBe(widths.length - 1);
          expect(model.activationDegree).toBe(1);
          expect(model.hiddenUnits).toBe(hidden.reduce((a, b) => a + b, 0));
          const rng = createRng(seed);
          const theta = model.init(rng);
          const X = Float64Array.from({ length: 12 }, () => rng.normal());
          const f = model.predict(new Float64Array(4), theta, X, 4);
          const beta = endToEnd(widths, theta);
          for (let i = 0; i < 4; i++) {
            let s = 0;
            for (let j = 0; j < 3; j++) s += beta[j]! * X[3 * i + j]!;
            expect(Math.abs(f[i]! - s)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(s)));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('GD on separable data: the end-to-end direction β/‖β‖ approaches the hard-margin SVM’s (angle at 2·10⁴ steps below 1° and below a third of its value at step 100, two data sets)', () => {
    for (const seed of [0, 1]) {
      const data = datasets.separable({ n: 40, seed });
      const svm = hardMarginSVM(data);
      const widths = [2, 4, 4, 1];
      const model = mlp({ widths, activation: 'identity' });
      const init = model.init(createRng(seed)).map((t) => t * 0.5);
      const run = trainWeighted({
        data,
        model,
        init,
        steps: 20_000,
        optimizer: gd({ lr: 0.05 }),
        record: { at: [100, 20_000], metrics: ['theta'] },
      });
      const angle = (theta: Float64Array) => {
        const b = endToEnd(widths, theta);
        const cos = (b[0]! * svm.theta[0]! + b[1]! * svm.theta[1]!) / Math.hypot(b[0]!, b[1]!);
        return (Math.acos(Math.min(1, cos)) * 180) / Math.PI;
      };
      const [, early, late] = run.history.map((r) => angle(r.theta!));
      expect(late!).toBeLessThan(1);
      expect(late!).toBeLessThan(early! / 3);
    }
  });
});
