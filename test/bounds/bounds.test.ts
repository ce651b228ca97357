import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { klDivergence, proposition1Bound } from '../../src/bounds/index.js';
import { invalid } from '../helpers/index.js';

/**
 * Nonnegative vectors with a positive sum: entries 0 or in [1e-6, 10] (no subnormals, which a rescaling
 * could flush to 0), at least one ≥ 0.01.
 */
const weightsArb = (n: number) =>
  fc
    .array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true })), {
      minLength: n,
      maxLength: n,
    })
    .map((a) => {
      a[0] = Math.max(a[0]!, 0.01);
      return a;
    });

const pairArb = fc
  .integer({ min: 1, max: 12 })
  .chain((n) => fc.tuple(weightsArb(n), weightsArb(n)))
  .map(([p, q]) => [p, q.map((v) => v + 1e-3)] as const); // q > 0 everywhere: KL finite

describe('klDivergence', () => {
  it('klDivergence(p, q) matches hand computations (natural log, inputs normalized)', () => {
    // p = (1/2, 1/2), q = (1, 3)/4: ½ log 2 + ½ log(2/3) = ½ log(4/3).
    expect(klDivergence([0.5, 0.5], [1, 3])).toBeCloseTo(0.14384103622589045, 15);
    // KL((1, 0) ‖ (1/2, 1/2)) = log 2; zero entries of p contribute 0.
    expect(klDivergence([1, 0], [1, 1])).toBeCloseTo(Math.LN2, 15);
    expect(klDivergence([2, 0], [5, 5])).toBeCloseTo(Math.LN2, 15);
    // q = 0 where p > 0: +∞.
    expect(klDivergence([1, 1], [1, 0])).toBe(Number.POSITIVE_INFINITY);
    expect(klDivergence([1, 0], [1, 0])).toBe(0);
  });

  it('klDivergence(p, q) is zero iff the normalized vectors agree (property)', () => {
    fc.assert(
      fc.property(pairArb, fc.double({ min: 0.01, max: 100, noNaN: true }), ([p], c) => {
        expect(klDivergence(p, p)).toBeLessThan(1e-14);
        expect(
          klDivergence(
            p,
            p.map((v) => c * v),
          ),
        ).toBeLessThan(1e-13);
      }),
    );
  });

  it('klDivergence(p, q) is ≥ 0 and satisfies Pinsker KL ≥ ½‖p̄ − q̄‖₁² (property)', () => {
    fc.assert(
      fc.property(pairArb, ([p, q]) => {
        const kl = klDivergence(p, q);
        const sp = p.reduce((s, v) => s + v, 0);
        const sq = q.reduce((s, v) => s + v, 0);
        const l1 = p.reduce((s, v, i) => s + Math.abs(v / sp - q[i]! / sq), 0);
        expect(kl).toBeGreaterThanOrEqual(0);
        expect(kl).toBeGreaterThanOrEqual(0.5 * l1 * l1 - 1e-12);
      }),
    );
  });

  it('klDivergence(p, q) rejects bad inputs', () => {
    expect(() => klDivergence([1, 2], [1])).toThrow('klDivergence: q must have length 2, got length 1');
    expect(() => klDivergence([1, -1], [1, 1])).toThrow(
      'klDivergence: p[1] must be a finite number >= 0, got -1',
    );
    expect(() => klDivergence([0, 0], [1, 1])).toThrow('klDivergence: p must not be all zero');
    expect(() => klDivergence([1, 1], [1, Number.NaN])).toThrow('q[1]');
  });
});

/**
 * Proposition 1 written out from the paper, independently of the code under test: w̄ = w/Σw (the paper's
 * normalization Σw̄ᵢ = 1), KL(p*‖w̄) = Σ p*ᵢ log(p*ᵢ/w̄ᵢ) with 0·log 0 = 0, and
 * - Appendix A.2.1, last display: ‖θ(t)/‖θ(t)‖ − θ*‖² ≤ 2(log n + KL + M)/(‖θ(t)‖ γ*), so the gap is at most
 *   the square root; with ‖θ(t)‖ = log t/γ* when no norm is given;
 * - main text, Eq. 2: ‖θ(t)/‖θ(t)‖ − θ*‖ ≲ (log n + KL + M)/(log t · γ*).
 */
function appendixGapBound(p: number[], w: number[], M: number, thetaNorm: number, gammaStar: number): number {
  const sw = w.reduce((a, b) => a + b, 0);
  let kl = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) kl += p[i]! * Math.log(p[i]! / (w[i]! / sw));
  const squared = (2 * (Math.log(p.length) + kl + M)) / (thetaNorm * gammaStar);
  return Math.sqrt(squared);
}

function mainTextBound(p: number[], w: number[], M: number, t: number, gammaStar: number): number {
  const sw = w.reduce((a, b) => a + b, 0);
  let kl = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) kl += p[i]! * Math.log(p[i]! / (w[i]! / sw));
  return (Math.log(p.length) + kl + M) / (Math.log(t) * gammaStar);
}

describe('proposition1Bound', () => {
  it("proposition1Bound({ …, form: 'proved' }) is the square root of Appendix A.2.1's bound on the squared gap (hand computation)", () => {
    // n = 2, p* = (1/2, 1/2), w = (1, 3) → w̄ = (1/4, 3/4), KL = ½ log(4/3) = 0.14384103622589045;
    // the weights' own M = Σw/min w = 4; ‖θ‖ = 8, γ* = 1/2:
    // √(2(log 2 + ½ log(4/3) + 4)/(8 · 1/2)) = √(4.836988216785836/2) = 1.5551490980... .
    const args = { n: 2, dual: [0.5, 0.5], weights: [1, 3], M: 4, gammaStar: 0.5, thetaNorm: 8 };
    const expected = Math.sqrt(4.836988216785836 / 2);
    expect(proposition1Bound(args)).toBeCloseTo(expected, 14);
    expect(proposition1Bound({ ...args, form: 'proved' })).toBe(proposition1Bound(args));
    // M defaults to the weights' own scale, here 4.
    const { M: _, ...noM } = args;
    expect(proposition1Bound(noM)).toBe(proposition1Bound(args));
    // Without thetaNorm: ‖θ(t)‖ = log t/γ*, so γ* cancels: √(2(log n + KL + M)/log t).
    const { thetaNorm: __, ...noNorm } = args;
    expect(proposition1Bound({ ...noNorm, t: Math.E ** 4 })).toBeCloseTo(
      Math.sqrt(4.836988216785836 / 2),
      14,
    );
    expect(proposition1Bound({ ...noNorm, t: 1e4, gammaStar: 3 })).toBeCloseTo(
      proposition1Bound({ ...noNorm, t: 1e4, gammaStar: 0.1 }),
      14,
    );
    // thetaNorm wins over t when both are given.
    expect(proposition1Bound({ ...args, t: 10 })).toBe(proposition1Bound(args));
  });

  it("proposition1Bound({ …, form: 'stated' }) is the main text's Eq. 2 (hand computation)", () => {
    // (log 2 + ½ log(4/3) + 4) / (2 · 1/2) with log t = 2, γ* = 1/2.
    const args = { n: 2, dual: [0.5, 0.5], weights: [1, 3], M: 4, t: Math.E ** 2, gammaStar: 0.5 };
    expect(proposition1Bound({ ...args, form: 'stated' })).toBeCloseTo(4.836988216785836, 13);
    // 'stated' ignores thetaNorm.
    expect(proposition1Bound({ ...args, thetaNorm: 3, form: 'stated' })).toBe(
      proposition1Bound({ ...args, form: 'stated' }),
    );
    // Weights proportional to p*: the KL term vanishes (w = (1, 4), own M = 5).
    const b0 = proposition1Bound({
      n: 2,
      dual: [0.2, 0.8],
      weights: [1, 4],
      t: 1e4,
      gammaStar: 2 / Math.sqrt(5),
      form: 'stated',
    });
    expect(b0).toBeCloseTo((Math.LN2 + 5) / (Math.log(1e4) * (2 / Math.sqrt(5))), 14);
  });

  it('proposition1Bound(args) equals the appendix and main-text formulas written out in the test (property)', () => {
    const arb = fc.integer({ min: 1, max: 10 }).chain((n) =>
      fc.record({
        p: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1, noNaN: true })), {
          minLength: n,
          maxLength: n,
        }),
        w: fc.array(fc.double({ min: 0.05, max: 20, noNaN: true }), { minLength: n, maxLength: n }),
        extraM: fc.double({ min: 1, max: 3, noNaN: true }),
        thetaNorm: fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        gammaStar: fc.double({ min: 1e-3, max: 10, noNaN: true }),
        t: fc.double({ min: 1.5, max: 1e9, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ p, w, extraM, thetaNorm, gammaStar, t }) => {
        p[0] = Math.max(p[0]!, 0.01);
        const sp = p.reduce((a, b) => a + b, 0);
        const dual = p.map((v) => v / sp);
        const M = (extraM * w.reduce((a, b) => a + b, 0)) / Math.min(...w);
        const n = p.length;
        const base = { n, dual, weights: w, M, gammaStar };
        const ratio = (a: number, b: number) => expect(a / b).toBeCloseTo(1, 12);
        ratio(proposition1Bound({ ...base, thetaNorm }), appendixGapBound(dual, w, M, thetaNorm, gammaStar));
        const proved = proposition1Bound({ ...base, t });
        ratio(proved, appendixGapBound(dual, w, M, Math.log(t) / gammaStar, gammaStar));
        const stated = proposition1Bound({ ...base, t, form: 'stated' });
        ratio(stated, mainTextBound(dual, w, M, t, gammaStar));
        // At ‖θ(t)‖ = log t/γ*, the proved bound squared is 2γ* times the stated one: a 1/√log t rate
        // against 1/log t.
        ratio(proved ** 2, 2 * gammaStar * stated);
      }),
    );
  });

  it("proposition1Bound(args) checks M against the weights' own scale Σw/min w (the paper's Σw̄ᵢ = 1, w̄ ∈ [1/M, M])", () => {
    const ok = { n: 4, dual: [0.25, 0.25, 0.25, 0.25], weights: [1, 1, 1, 1], t: 100, gammaStar: 1 };
    // Uniform weights: w̄ᵢ = 1/4, so the smallest M is n = 4 — the normalization forces M ≥ n.
    expect(() => proposition1Bound({ ...ok, M: 3.9 })).toThrow(
      invalid('proposition1Bound: M must be >= Σw/min(w) = 4'),
    );
    expect(proposition1Bound({ ...ok, M: 4 })).toBe(proposition1Bound(ok));
    // The scale of w does not matter, only w̄: w = (2, 2, 2, 8) → w̄ = (1/7, 1/7, 1/7, 4/7), M ≥ 7.
    const w = { ...ok, weights: [2, 2, 2, 8] };
    expect(() => proposition1Bound({ ...w, M: 6.5 })).toThrow(invalid('= 7'));
    expect(proposition1Bound({ ...w, M: 7 })).toBe(proposition1Bound({ ...w, weights: [1, 1, 1, 4] }));
    // A zero weight lies in no [1/M, M].
    expect(() => proposition1Bound({ ...ok, weights: [1, 0, 1, 1] })).toThrow(
      invalid('proposition1Bound: weights[1] must be > 0'),
    );
    expect(() => proposition1Bound({ ...ok, weights: [1, 0, 1, 1], form: 'stated' })).toThrow(
      invalid('weights[1] must be > 0'),
    );
  });

  it('proposition1Bound(args) decreases in t, thetaNorm and γ* and accepts a dual summing to 1 within 1e-8', () => {
    const base = { n: 2, dual: [0.5, 0.5 + 5e-9], weights: [1, 1], t: 100, gammaStar: 1 };
    expect(proposition1Bound({ ...base, form: 'stated' })).toBeCloseTo((Math.LN2 + 2) / Math.log(100), 8);
    for (const form of ['proved', 'stated'] as const) {
      expect(proposition1Bound({ ...base, form, t: 1000 })).toBeLessThan(
        proposition1Bound({ ...base, form }),
      );
    }
    expect(proposition1Bound({ ...base, gammaStar: 2, form: 'stated' })).toBeLessThan(
      proposition1Bound({ ...base, form: 'stated' }),
    );
    expect(proposition1Bound({ ...base, thetaNorm: 20, gammaStar: 2 })).toBeLessThan(
      proposition1Bound({ ...base, thetaNorm: 20 }),
    );
    expect(proposition1Bound({ ...base, thetaNorm: 40 })).toBeLessThan(
      proposition1Bound({ ...base, thetaNorm: 20 }),
    );
  });

  it('proposition1Bound(args) rejects invalid arguments', () => {
    const ok = { n: 2, dual: [0.5, 0.5], weights: [1, 1], M: 2, t: 10, gammaStar: 1 };
    expect(() => proposition1Bound({ ...ok, t: 1 })).toThrow(
      'proposition1Bound: t must be a finite number > 1, got 1',
    );
    const { t: _, ...noT } = ok;
    expect(() => proposition1Bound(noT)).toThrow(
      invalid('proposition1Bound: t is required for form "proved" without thetaNorm, got undefined'),
    );
    expect(() => proposition1Bound({ ...noT, thetaNorm: 2, form: 'stated' })).toThrow(
      invalid('t is required for form "stated"'),
    );
    expect(() => proposition1Bound({ ...ok, thetaNorm: 0 })).toThrow(
      invalid('proposition1Bound: thetaNorm must be a finite number > 0, got 0'),
    );
    expect(() => proposition1Bound({ ...ok, form: 'asymptotic' } as never)).toThrow(
      invalid('proposition1Bound: form must be one of "proved", "stated", got "asymptotic"'),
    );
    expect(() => proposition1Bound({ ...ok, gammaStar: 0 })).toThrow('gammaStar must be a finite number > 0');
    expect(() => proposition1Bound({ ...ok, M: 0.5 })).toThrow('M must be a finite number >= 1');
    expect(() => proposition1Bound({ ...ok, n: 3 })).toThrow('dual must have length 3, got length 2');
    expect(() => proposition1Bound({ ...ok, dual: [0.5, 0.6] })).toThrow(
      'dual must sum to 1 (within 1e-8), got sum 1.1',
    );
    expect(() => proposition1Bound({ ...ok, dual: [1.5, -0.5] })).toThrow(
      'dual[1] must be a finite number >= 0',
    );
    expect(() => proposition1Bound({ ...ok, weights: [0, 0] })).toThrow('weights must not be all zero');
    expect(() => proposition1Bound({ ...ok, weights: [1, Number.POSITIVE_INFINITY] })).toThrow('weights[1]');
    expect(() => proposition1Bound({ ...ok, tee: 3 } as never)).toThrow('tee is not a known option');
    expect(() => proposition1Bound(undefined as never)).toThrow('proposition1Bound: args must be an object');
  });
});
