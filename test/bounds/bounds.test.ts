import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { klDivergence, proposition1Bound } from '../../src/bounds/index.js';

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

describe('proposition1Bound', () => {
  it('proposition1Bound({ n, dual, weights, M, t, gammaStar }) matches a hand computation', () => {
    // n = 2, p* = (1/2, 1/2), w = (1, 3) → w̄ = (1/4, 3/4), KL = ½ log(4/3); M = 3, log t = 2, γ* = 1/2:
    // (log 2 + ½ log(4/3) + 3) / (2 · 1/2) = 0.6931471805599453 + 0.14384103622589045 + 3.
    const b = proposition1Bound({
      n: 2,
      dual: [0.5, 0.5],
      weights: [1, 3],
      M: 3,
      t: Math.E ** 2,
      gammaStar: 0.5,
    });
    expect(b).toBeCloseTo(3.836988216785836, 13);
    // Weights proportional to p*: the KL term vanishes.
    const b0 = proposition1Bound({
      n: 2,
      dual: [0.2, 0.8],
      weights: [1, 4],
      M: 4,
      t: 1e4,
      gammaStar: 2 / Math.sqrt(5),
    });
    expect(b0).toBeCloseTo((Math.LN2 + 4) / (Math.log(1e4) * (2 / Math.sqrt(5))), 14);
  });

  it('proposition1Bound(args) is Infinity when a support vector has weight 0', () => {
    expect(
      proposition1Bound({ n: 3, dual: [0.5, 0.5, 0], weights: [1, 0, 1], M: 2, t: 10, gammaStar: 1 }),
    ).toBe(Number.POSITIVE_INFINITY);
    // A zero weight on a non-support point is fine.
    expect(
      Number.isFinite(
        proposition1Bound({ n: 3, dual: [0.5, 0.5, 0], weights: [1, 1, 0], M: 2, t: 10, gammaStar: 1 }),
      ),
    ).toBe(true);
  });

  it('proposition1Bound(args) accepts a dual summing to 1 within 1e-8 and decreases in t and γ*', () => {
    const base = { n: 2, dual: [0.5, 0.5 + 5e-9], weights: [1, 1], M: 1, t: 100, gammaStar: 1 };
    expect(proposition1Bound(base)).toBeCloseTo((Math.LN2 + 1) / Math.log(100), 8);
    expect(proposition1Bound({ ...base, t: 1000 })).toBeLessThan(proposition1Bound(base));
    expect(proposition1Bound({ ...base, gammaStar: 2 })).toBeLessThan(proposition1Bound(base));
  });

  it('proposition1Bound(args) rejects invalid arguments', () => {
    const ok = { n: 2, dual: [0.5, 0.5], weights: [1, 1], M: 2, t: 10, gammaStar: 1 };
    expect(() => proposition1Bound({ ...ok, t: 1 })).toThrow(
      'proposition1Bound: t must be a finite number > 1, got 1',
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
