import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponential, logistic, logWeightedRisk, weightedRisk } from '../../src/index.js';

const finite = fc.double({ min: -700, max: 700, noNaN: true });

describe('margin losses', () => {
  it('exponential.value(u) = e^{-u}, derivative = -e^{-u}, logValue = -u', () => {
    expect(exponential.value(0)).toBe(1);
    expect(exponential.value(2)).toBe(Math.exp(-2));
    expect(exponential.derivative(-3)).toBe(-Math.exp(3));
    expect(exponential.logValue(1e6)).toBe(-1e6);
  });

  it('logistic.value(u) matches log(1 + e^{-u}) in closed form, including the extremes', () => {
    expect(logistic.value(0)).toBe(Math.LN2);
    expect(logistic.value(-1000)).toBe(1000); // log(1 + e^1000) = 1000 + log1p(e^-1000)
    expect(logistic.value(1000)).toBe(0); // ≈ 5e-435 underflows
    expect(logistic.logValue(1000)).toBe(-1000);
    expect(logistic.derivative(0)).toBe(-0.5);
    expect(logistic.derivative(-1000)).toBe(-1);
    // σ(−u) for moderate u against the textbook formula
    for (const u of [-20, -3.5, -0.1, 0.1, 3.5, 20]) {
      expect(logistic.derivative(u)).toBeCloseTo(-1 / (1 + Math.exp(u)), 15);
      expect(logistic.value(u)).toBeCloseTo(Math.log(1 + Math.exp(-u)), 12);
    }
  });

  it('loss.derivative(u) equals a central finite difference of loss.value (property)', () => {
    for (const loss of [exponential, logistic]) {
      fc.assert(
        fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (u) => {
          const h = 1e-5 * Math.max(1, Math.abs(u));
          const fd = (loss.value(u + h) - loss.value(u - h)) / (2 * h);
          const d = loss.derivative(u);
          expect(Math.abs(fd - d)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(d)));
        }),
      );
    }
  });

  it('loss.logValue(u) = log(loss.value(u)) wherever the value is a normal float (property)', () => {
    for (const loss of [exponential, logistic]) {
      fc.assert(
        fc.property(finite, (u) => {
          const v = loss.value(u);
          fc.pre(v > 1e-300 && Number.isFinite(v));
          expect(loss.logValue(u)).toBeCloseTo(Math.log(v), 10);
        }),
      );
    }
  });

  it('logistic.logValue(u) is continuous across its branch point u = 30', () => {
    const a = logistic.logValue(30 - 1e-9);
    const b = logistic.logValue(30 + 1e-9);
    expect(Math.abs(a - b)).toBeLessThan(1e-8);
  });
});

describe('weightedRisk', () => {
  it('weightedRisk(loss, margins, weights) = (1/n) Σ wᵢ ℓ(uᵢ) by hand', () => {
    expect(weightedRisk(exponential, [0, 0], [1, 3])).toBe(2);
    expect(weightedRisk(exponential, [0, Math.log(2)], [2, 2])).toBe((2 + 1) / 2);
    expect(weightedRisk(logistic, [0, 0, 0])).toBeCloseTo(Math.LN2, 15);
  });

  it('weightedRisk drops zero-weight points exactly, even where ℓ overflows', () => {
    expect(weightedRisk(exponential, [-1e4, 0], [0, 1])).toBe(0.5);
  });

  it('logWeightedRisk stays finite where the risk underflows and agrees where it does not', () => {
    expect(logWeightedRisk(exponential, [2000, 2001], [1, 1])).toBeCloseTo(
      -2000 + Math.log((1 + Math.exp(-1)) / 2),
      10,
    );
    const u = [0.3, 1.7, -0.4];
    const w = [0.5, 2, 1];
    expect(logWeightedRisk(logistic, u, w)).toBeCloseTo(Math.log(weightedRisk(logistic, u, w)), 13);
  });

  it('weightedRisk rejects negative, non-finite, all-zero and wrong-length weights', () => {
    expect(() => weightedRisk(exponential, [0, 1], [1, -1])).toThrow(/weights\[1\] must be >= 0, got -1/);
    expect(() => weightedRisk(exponential, [0, 1], [1, Number.NaN])).toThrow(/weights\[1\] must be finite/);
    expect(() => weightedRisk(exponential, [0, 1], [0, 0])).toThrow(/must not be all zero/);
    expect(() => weightedRisk(exponential, [0, 1], [1])).toThrow(/must have length 2/);
    expect(() => weightedRisk(exponential, [Number.NaN])).toThrow(/margins\[0\] must be finite/);
  });
});
