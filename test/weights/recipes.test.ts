/** The weight recipes of the experiments and the CLI (src/weights/recipes.ts), against the public schemes. */
import { describe, expect, it } from 'vitest';
import { datasets, hardMarginSVM, inverseMarginWeights } from '../../src/index.js';
import { clampedInverseMarginWeights, dualWeights, meanOne } from '../../src/weights/recipes.js';

const mean = (w: ArrayLike<number>): number => Array.from(w).reduce((a, b) => a + b, 0) / w.length;

describe('weight recipes', () => {
  it('meanOne(w) scales w in place to mean 1 and keeps the ratios', () => {
    const w = Float64Array.of(1, 3, 0, 4);
    expect(meanOne(w)).toBe(w);
    expect(Array.from(w)).toEqual([0.5, 1.5, 0, 2]);
  });

  it('dualWeights(p, M) is n·p clamped to [1/M, M], then scaled to mean 1', () => {
    const p = [0.5, 0.5, 0, 0];
    const w = dualWeights(p, 10);
    // n·p = [2, 2, 0, 0] → clamp [2, 2, 0.1, 0.1] → mean 1
    const raw = [2, 2, 0.1, 0.1];
    const s = raw.reduce((a, b) => a + b, 0);
    for (let i = 0; i < raw.length; i++) expect(w[i]).toBeCloseTo((4 * raw[i]!) / s, 14);
    expect(mean(w)).toBeCloseTo(1, 14);
  });

  it('clampedInverseMarginWeights(data, θ*) equals inverseMarginWeights(data, { theta: θ* }) when the clamp is inactive', () => {
    for (let seed = 0; seed < 5; seed++) {
      const data = datasets.separable({ seed });
      const { theta } = hardMarginSVM(data);
      const a = clampedInverseMarginWeights(data, theta, 1e6);
      const b = inverseMarginWeights(data, { theta });
      for (let i = 0; i < data.n; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-12 * b[i]!);
      expect(mean(a)).toBeCloseTo(1, 12);
    }
  });

  it('clampedInverseMarginWeights(data, θ*, M) keeps the largest-to-smallest ratio ≤ M²', () => {
    const data = datasets.separable({ seed: 3 });
    const { theta } = hardMarginSVM(data);
    const w = clampedInverseMarginWeights(data, theta, 1.5);
    const ratio = Math.max(...w) / Math.min(...w);
    expect(ratio).toBeLessThanOrEqual(1.5 * 1.5 * (1 + 1e-12));
    expect(mean(w)).toBeCloseTo(1, 12);
  });
});
