import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dataset,
  linearMulticlass,
  logistic,
  multiclassDataset,
  multiclassModel,
  weightedRisk,
} from '../../src/index.js';
import { linearObjective } from '../../src/kernels/linear.js';
import { invalid } from '../helpers/index.js';
import { dataArb, fdGradient, gradientRef, logitsOf, objectiveRef, rowsOf } from '../helpers/multiclass.js';

describe('linearMulticlass', () => {
  it('linearMulticlass(d, k).objective(...) returns the weighted CE, its gradient (= finite differences) and the margins (property)', () => {
    fc.assert(
      fc.property(dataArb, ({ X, labels, W, w, n, d, k }) => {
        const data = multiclassDataset(X, labels, k, d);
        const model = linearMulticlass(d, k);
        const c = Float64Array.from(w, (v) => v / n);
        const grad = new Float64Array(k * d);
        const margins = new Float64Array(n);
        const L = model.objective(grad, Float64Array.from(W), data, c, 0, margins);
        const ref = objectiveRef(W, data, w);
        expect(Math.abs(L - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref));
        const fd = fdGradient(W, (t) => objectiveRef(t, data, w));
        const closed = gradientRef(W, data, w);
        grad.forEach((g, j) => {
          expect(Math.abs(g - fd[j]!)).toBeLessThan(1e-6);
          expect(Math.abs(g - closed[j]!)).toBeLessThan(1e-12);
        });
        rowsOf(data).forEach((x, i) => {
          const z = logitsOf(W, x, k);
          const y = labels[i]!;
          const other = Math.max(...z.filter((_, j) => j !== y));
          expect(Math.abs(margins[i]! - (z[y]! - other))).toBeLessThan(1e-12);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('linearMulticlass(d, k).objective(...) with a shift s returns e^{s}·L and e^{s}·∇L (property)', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        ({ X, labels, W, w, n, d, k }, s) => {
          const data = multiclassDataset(X, labels, k, d);
          const model = linearMulticlass(d, k);
          const c = Float64Array.from(w, (v) => v / n);
          const g0 = new Float64Array(k * d);
          const g1 = new Float64Array(k * d);
          const m = new Float64Array(n);
          const L0 = model.objective(g0, Float64Array.from(W), data, c, 0, m);
          const L1 = model.objective(g1, Float64Array.from(W), data, c, s, m);
          expect(Math.abs(L1 - Math.exp(s) * L0)).toBeLessThanOrEqual(1e-12 * Math.exp(s) * Math.max(1, L0));
          g0.forEach((v, j) => {
            expect(Math.abs(g1[j]! - Math.exp(s) * v)).toBeLessThan(1e-12 * Math.exp(s));
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('linearMulticlass(d, k) equals the generic multiclassModel(spec) path on the same logits/backward (second algorithm)', () => {
    fc.assert(
      fc.property(dataArb, ({ X, labels, W, w, n, d, k }) => {
        const data = multiclassDataset(X, labels, k, d);
        const generic = multiclassModel({
          inputDim: d,
          outputs: k,
          size: k * d,
          alpha: 1,
          logits: (out, th, Xs, rows) => {
            for (let i = 0; i < rows; i++)
              for (let r = 0; r < k; r++) {
                let s = 0;
                for (let j = 0; j < d; j++) s += th[r * d + j]! * Xs[i * d + j]!;
                out[i * k + r] = s;
              }
            return out;
          },
          backward: (grad, _th, Xs, rows, g) => {
            grad.fill(0);
            for (let i = 0; i < rows; i++)
              for (let r = 0; r < k; r++)
                for (let j = 0; j < d; j++) grad[r * d + j]! += g[i * k + r]! * Xs[i * d + j]!;
            return grad;
          },
        });
        const c = Float64Array.from(w, (v) => v / n);
        const ga = new Float64Array(k * d);
        const gb = new Float64Array(k * d);
        const ma = new Float64Array(n);
        const mb = new Float64Array(n);
        const La = linearMulticlass(d, k).objective(ga, Float64Array.from(W), data, c, 0, ma);
        const Lb = generic.objective(gb, Float64Array.from(W), data, c, 0, mb);
        expect(Math.abs(La - Lb)).toBeLessThanOrEqual(1e-13 * Math.max(1, La));
        ga.forEach((v, j) => {
          expect(Math.abs(v - gb[j]!)).toBeLessThan(1e-13);
        });
        ma.forEach((v, i) => {
          expect(Math.abs(v - mb[i]!)).toBeLessThan(1e-13);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('linearMulticlass(2, 2) with W = [−θ/2; θ/2] has CE = logistic loss of yθᵀx and ∇θ = (∇w₁ − ∇w₀)/2 = the binary gradient (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }),
        fc.array(fc.constantFrom(-1, 1), { minLength: 4, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (theta, X, y, w) => {
          fc.pre(w.some((v) => v > 0));
          const bin = dataset(X, y, 2);
          const multi = multiclassDataset(
            X,
            y.map((v) => (v + 1) / 2),
            2,
            2,
          );
          const W = Float64Array.of(-theta[0]! / 2, -theta[1]! / 2, theta[0]! / 2, theta[1]! / 2);
          const c = Float64Array.from(w, (v) => v / 4);
          const gW = new Float64Array(4);
          const mW = new Float64Array(4);
          const L = linearMulticlass(2, 2).objective(gW, W, multi, c, 0, mW);
          // Reference 1: the binary logistic risk of the margins yᵢθᵀxᵢ (weightedRisk, from the definition).
          const u = rowsOf(multi).map((x, i) => y[i]! * (theta[0]! * x[0]! + theta[1]! * x[1]!));
          expect(Math.abs(L - weightedRisk(logistic, u, w))).toBeLessThanOrEqual(1e-14 * Math.max(1, L));
          mW.forEach((m, i) => {
            expect(Math.abs(m - u[i]!)).toBeLessThan(1e-14);
          });
          // Reference 2: the binary fused kernel's gradient; by the chain rule ∇θ = (∇w₁ − ∇w₀)/2.
          const gb = new Float64Array(2);
          const batch = { X: bin.X, y: bin.y, c, n: 4, d: 2 };
          linearObjective(gb, new Float64Array(4), Float64Array.from(theta), batch, false, logistic.id, 0);
          for (let j = 0; j < 2; j++)
            expect(Math.abs((gW[2 + j]! - gW[j]!) / 2 - gb[j]!)).toBeLessThan(1e-14);
        },
      ),
    );
  });

  it('linearMulticlass(d, k) rejects bad sizes; logits(...) is Wx', () => {
    expect(() => linearMulticlass(2, 1)).toThrow(
      invalid('linearMulticlass: k must be an integer >= 2, got 1'),
    );
    expect(() => linearMulticlass(0, 3)).toThrow(
      invalid('linearMulticlass: d must be an integer >= 1, got 0'),
    );
    const m = linearMulticlass(2, 3);
    expect([m.size, m.alpha, m.outputs, m.inputDim]).toEqual([6, 1, 3, 2]);
    const out = m.logits(
      new Float64Array(6),
      Float64Array.of(1, 0, 0, 1, -1, -1),
      Float64Array.of(2, 1, 0, -3),
      2,
    );
    expect(Array.from(out)).toEqual([2, 1, -3, 0, -3, 3]);
  });
});
