import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossEntropy, logistic } from '../../src/index.js';
import { invalid } from '../helpers/index.js';
import { fdGradient, lseCE, naiveCE } from '../helpers/multiclass.js';

describe('crossEntropy', () => {
  it('crossEntropy.value(z, y) equals the naive log Σ exp(zⱼ) − z_y for moderate logits, and is shift-invariant (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 2, maxLength: 6 }),
        fc.nat(),
        fc.double({ min: -100, max: 100, noNaN: true }),
        (z, yRaw, shift) => {
          const y = yRaw % z.length;
          const v = crossEntropy.value(z, y);
          const ref = naiveCE(z, y);
          expect(Math.abs(v - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref) + 1e-300);
          // The relative accuracy that the naive form loses when CE ≪ 1: the log1p form keeps it.
          expect(
            Math.abs(
              crossEntropy.value(
                z.map((t) => t + shift),
                y,
              ) - v,
            ),
          ).toBeLessThanOrEqual(1e-11 * Math.max(1, v));
          expect(v).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('crossEntropy.value(z, y) stays finite and exact with extreme logits (±1000), where the naive formula overflows', () => {
    const z = [1000, -1000, 0];
    expect(naiveCE(z, 1)).toBe(Number.POSITIVE_INFINITY); // log Σ exp overflows
    expect(crossEntropy.value(z, 1)).toBe(2000); // = 2000 + log1p(e^{−1000} + e^{−2000})
    expect(crossEntropy.value(z, 2)).toBe(1000);
    expect(crossEntropy.value(z, 0)).toBe(0); // e^{−1000} underflows …
    expect(crossEntropy.logValue(z, 0)).toBe(-1000); // … but its log is exact: log(e^{−1000} + e^{−2000})
    expect(crossEntropy.value([-1000, -1000], 0)).toBe(Math.LN2);
    expect(crossEntropy.value([1000, 1000, 1000], 2)).toBe(Math.log(3));
    // Large margins: CE = log1p(S) ≈ S = Σ e^{zⱼ − z_y} to full relative accuracy (lse − z_y would give 0).
    const small = [50, 10, 12];
    const S = Math.exp(-40) + Math.exp(-38);
    expect(crossEntropy.value(small, 0) / S).toBeCloseTo(1, 14);
    expect(lseCE(small, 0)).toBe(0); // the textbook form cancels
    expect(crossEntropy.logValue(small, 0)).toBeCloseTo(Math.log(S), 12);
    expect(crossEntropy.margin([2, 5, 1], 1)).toBe(3);
    expect(crossEntropy.margin([2, 5, 1], 2)).toBe(-4);
  });

  it('crossEntropy.logValue(z, y) equals log(crossEntropy.value(z, y)) wherever the value is normal (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -600, max: 600, noNaN: true }), { minLength: 2, maxLength: 5 }),
        fc.nat(),
        (z, yRaw) => {
          const y = yRaw % z.length;
          const v = crossEntropy.value(z, y);
          fc.pre(v > 1e-290);
          expect(crossEntropy.logValue(z, y)).toBeCloseTo(Math.log(v), 9);
        },
      ),
    );
  });

  it('crossEntropy.gradient(out, z, y) equals central finite differences of the value and sums to 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 5 }),
        fc.nat(),
        (z, yRaw) => {
          const y = yRaw % z.length;
          const g = crossEntropy.gradient(new Float64Array(z.length), z, y);
          const fd = fdGradient(z, (t) => naiveCE(t, y));
          g.forEach((v, j) => {
            expect(Math.abs(v - fd[j]!)).toBeLessThan(1e-7);
          });
          expect(Math.abs(g.reduce((a, b) => a + b, 0))).toBeLessThan(1e-15);
        },
      ),
    );
  });

  it('crossEntropy.value(z, y) with k = 2 is the logistic loss of the margin z_y − z_{1−y}', () => {
    for (const u of [-800, -30, -1, 0, 0.5, 3, 40, 800]) {
      const v = crossEntropy.value([0, u], 1);
      expect(Math.abs(v - logistic.value(u))).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(u)) + 1e-300);
      expect(crossEntropy.value([0, u], 1)).toBeCloseTo(crossEntropy.value([-u / 2, u / 2], 1), 12);
    }
  });

  it('crossEntropy methods reject bad logits and labels', () => {
    expect(() => crossEntropy.value([1], 0)).toThrow(
      invalid('crossEntropy.value: logits must have length k >= 2'),
    );
    expect(() => crossEntropy.value([1, 2], 2)).toThrow(
      invalid('crossEntropy.value: label must be an integer >= 0 and <= 1, got 2'),
    );
    expect(() => crossEntropy.value([1, Number.NaN], 0)).toThrow(invalid('logits[1] must be finite'));
    expect(() => crossEntropy.gradient(new Float64Array(3), [1, 2], 0)).toThrow(
      invalid('out must be a Float64Array of length k = 2'),
    );
  });
});
