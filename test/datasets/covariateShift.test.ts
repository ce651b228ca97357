/**
 * datasets.covariateShift: Gaussian source and target with a known density ratio. References: the two
 * Gaussian densities evaluated directly (with their normalizing constants), E_s[η] = 1 and E_t[·] = E_s[η·]
 * by Monte Carlo over the library's own draws, and gaussianChi2Divergence (tested against quadrature and
 * Monte Carlo in test/claims/theorem1.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  type CovariateShiftDataset,
  datasets,
  densityRatioWeights,
  gaussianChi2Divergence,
} from '../../src/index.js';
import { invalid } from '../helpers/index.js';

/** The N(μ, σ² I) density at x, written out. */
function gaussPdf(x: ArrayLike<number>, mean: ArrayLike<number>, std: number): number {
  let q = 0;
  for (let k = 0; k < x.length; k++) q += (x[k]! - mean[k]!) ** 2;
  return Math.exp(-q / (2 * std * std)) / (2 * Math.PI * std * std) ** (x.length / 2);
}

const row = (X: Float64Array, d: number, i: number) => X.subarray(i * d, (i + 1) * d);

describe('datasets.covariateShift', () => {
  it('datasets.covariateShift(options) has the documented defaults: n = nTest = 200, d = 2, μ_t = (1, 0), χ² = e − 1', () => {
    const s = datasets.covariateShift();
    expect(s.n).toBe(200);
    expect(s.d).toBe(2);
    expect(s.test.n).toBe(200);
    expect(s.test.d).toBe(2);
    expect(s.X.length).toBe(400);
    expect(Array.from(s.sourceMean)).toEqual([0, 0]);
    expect(Array.from(s.targetMean)).toEqual([1, 0]);
    expect(s.sourceStd).toBe(1);
    expect(s.targetStd).toBe(1);
    expect(s.chi2).toBeCloseTo(Math.E - 1, 15);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.test)).toBe(true);
    expect(s.y.every((v) => v === 1 || v === -1)).toBe(true);
  });

  it('datasets.covariateShift(options) gives η equal to p_t/p_s from the two Gaussian pdfs, at train points and anywhere', () => {
    for (const opts of [
      {},
      { d: 3, sourceMean: [0.5, -1, 0], targetMean: [1, 0, 2], std: 1.5, seed: 4 },
      { d: 2, targetMean: [0.3, 0.4], std: 1, targetStd: 0.7, seed: 5 },
    ]) {
      const s = datasets.covariateShift(opts);
      for (let i = 0; i < s.n; i++) {
        const x = row(s.X, s.d, i);
        const ref = gaussPdf(x, s.targetMean, s.targetStd) / gaussPdf(x, s.sourceMean, s.sourceStd);
        expect(s.eta[i]).toBeCloseTo(ref, 12);
        expect(Math.abs(s.eta[i]! - ref)).toBeLessThan(1e-12 * ref);
        expect(s.densityRatio(x)).toBe(s.eta[i]);
      }
      const far = new Array(s.d).fill(2.5);
      const ref = gaussPdf(far, s.targetMean, s.targetStd) / gaussPdf(far, s.sourceMean, s.sourceStd);
      expect(Math.abs(s.densityRatio(far) - ref)).toBeLessThan(1e-12 * ref);
      expect(densityRatioWeights(s, s)).toEqual(s.eta);
      expect(s.chi2).toBe(
        gaussianChi2Divergence({
          sourceMean: s.sourceMean,
          targetMean: s.targetMean,
          sourceStd: s.sourceStd,
          targetStd: s.targetStd,
        }),
      );
    }
  });

  it('datasets.covariateShift(options) draws train from the source: mean η ≈ 1 and mean η² − 1 ≈ χ² (Monte Carlo)', () => {
    // E_s[η] = 1. With N = 20 000 source draws the standard error of mean(η) is √(χ²/N) (Var_s η = χ²);
    // we allow 5 of them. Then mean(η²) − 1 (the sample χ²) within 5 sample standard errors of the closed form.
    for (const [opts, seed] of [
      [{ targetMean: [0.5, 0] }, 1],
      [{ d: 3, targetMean: [0.2, -0.3, 0.1], std: 1, targetStd: 0.8 }, 2],
    ] as const) {
      const s = datasets.covariateShift({ ...opts, n: 20_000, nTest: 1, seed });
      let m1 = 0;
      let m2 = 0;
      let m4 = 0;
      for (const e of s.eta) {
        m1 += e;
        m2 += e * e;
        m4 += e ** 4;
      }
      const N = s.n;
      m1 /= N;
      m2 /= N;
      m4 /= N;
      expect(Math.abs(m1 - 1)).toBeLessThan(5 * Math.sqrt(s.chi2 / N));
      expect(Math.abs(m2 - 1 - s.chi2)).toBeLessThan(5 * Math.sqrt((m4 - m2 * m2) / N));
    }
  });

  it('datasets.covariateShift(options) draws test from the target: the η-weighted source mean of x matches the test mean', () => {
    // E_t[x] = μ_t = E_s[η x]: both estimated from the generated sets, 5 standard errors apart at most.
    const s = datasets.covariateShift({ n: 20_000, nTest: 20_000, targetMean: [0.8, -0.5], seed: 9 });
    for (let k = 0; k < 2; k++) {
      let tw = 0;
      let sw = 0;
      let sw2 = 0;
      for (let i = 0; i < s.test.n; i++) tw += s.test.X[i * 2 + k]!;
      for (let i = 0; i < s.n; i++) {
        const v = s.eta[i]! * s.X[i * 2 + k]!;
        sw += v;
        sw2 += v * v;
      }
      tw /= s.test.n;
      sw /= s.n;
      const se = Math.sqrt(1 / s.test.n + (sw2 / s.n - sw * sw) / s.n);
      expect(Math.abs(tw - s.targetMean[k]!)).toBeLessThan(5 * Math.sqrt(1 / s.test.n));
      expect(Math.abs(sw - tw)).toBeLessThan(5 * se);
    }
  });

  it('datasets.covariateShift(options) labels by sign(uᵀx) without noise and flips about a fraction ρ with labelNoise', () => {
    const s = datasets.covariateShift({ n: 300, d: 3, seed: 2, direction: [1, 2, 2] });
    expect(Array.from(s.direction)).toEqual([1 / 3, 2 / 3, 2 / 3]);
    const check = (part: { X: Float64Array; y: Float64Array; n: number }) => {
      let agree = 0;
      for (let i = 0; i < part.n; i++) {
        const x = row(part.X, 3, i);
        const sign = x[0]! / 3 + (2 * x[1]!) / 3 + (2 * x[2]!) / 3 >= 0 ? 1 : -1;
        if (sign === part.y[i]) agree++;
      }
      return agree / part.n;
    };
    expect(check(s)).toBe(1);
    expect(check(s.test)).toBe(1);
    const noisy = datasets.covariateShift({
      n: 4000,
      nTest: 4000,
      d: 3,
      seed: 2,
      direction: [1, 2, 2],
      labelNoise: 0.2,
    });
    // The inputs do not depend on labelNoise: noise draws come after all inputs.
    const clean = datasets.covariateShift({ n: 4000, nTest: 4000, d: 3, seed: 2, direction: [1, 2, 2] });
    expect(noisy.X).toEqual(clean.X);
    expect(noisy.test.X).toEqual(clean.test.X);
    // Flip rate 0.2 ± 5 binomial standard errors (√(0.16/4000) ≈ 0.0063).
    expect(Math.abs(1 - check(noisy) - 0.2)).toBeLessThan(0.032);
    expect(Math.abs(1 - check(noisy.test) - 0.2)).toBeLessThan(0.032);
  });

  it('datasets.covariateShift(options) is deterministic in the seed', () => {
    const a = datasets.covariateShift({ seed: 7, labelNoise: 0.1 });
    const b = datasets.covariateShift({ seed: 7, labelNoise: 0.1 });
    const c = datasets.covariateShift({ seed: 8, labelNoise: 0.1 });
    expect(a.X).toEqual(b.X);
    expect(a.y).toEqual(b.y);
    expect(a.test.X).toEqual(b.test.X);
    expect(a.eta).toEqual(b.eta);
    expect(a.direction).toEqual(b.direction);
    expect(a.X).not.toEqual(c.X);
    expect(datasets.covariateShift().X).toEqual(datasets.covariateShift({ seed: 0 }).X);
  });

  it('datasets.covariateShift(options) keeps densityRatio independent of later changes to the returned means', () => {
    const s: CovariateShiftDataset = datasets.covariateShift({ seed: 1 });
    const before = s.densityRatio([0.3, 0.1]);
    s.targetMean[0] = 5;
    expect(s.densityRatio([0.3, 0.1])).toBe(before);
  });

  it('datasets.covariateShift(options) reports χ² = ∞ when 2σ_s² ≤ σ_t²', () => {
    expect(datasets.covariateShift({ std: 1, targetStd: 1.5 }).chi2).toBe(Number.POSITIVE_INFINITY);
  });

  it('datasets.covariateShift(options) rejects bad options with INVALID_INPUT', () => {
    const f = datasets.covariateShift;
    expect(() => f({ n: 1 })).toThrow(invalid('datasets.covariateShift: n must be an integer >= 2, got 1'));
    expect(() => f({ nTest: 0 })).toThrow(invalid('nTest must be an integer >= 1'));
    expect(() => f({ sourceMean: [0, 0, 0] })).toThrow(invalid('sourceMean must have length 2'));
    expect(() => f({ targetMean: [0, Number.NaN] })).toThrow(invalid('targetMean[1] must be finite'));
    expect(() => f({ std: 0 })).toThrow(invalid('std must be a finite number > 0'));
    expect(() => f({ targetStd: -1 })).toThrow(invalid('targetStd must be a finite number > 0'));
    expect(() => f({ labelNoise: 0.5 })).toThrow(
      invalid('labelNoise must be a finite number >= 0 and < 0.5'),
    );
    expect(() => f({ direction: [0, 0] })).toThrow(invalid('direction must be a non-zero vector'));
    expect(() => f({ seed: 0.5 })).toThrow(invalid('seed must be an integer'));
    expect(() => f({ shift: 1 } as never)).toThrow(invalid('shift is not a known option'));
    const s = f();
    expect(() => s.densityRatio([1])).toThrow(invalid('x must have length d = 2'));
    expect(() => s.densityRatio([1, Number.POSITIVE_INFINITY])).toThrow(invalid('x[1] must be finite'));
  });
});
