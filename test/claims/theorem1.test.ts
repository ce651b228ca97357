/**
 * Theorem 1 (generalization under covariate shift), Proposition 3 (finite-step margin bound) and the χ²
 * divergence of Xu, Ye & Ruan (ICLR 2021). Reference values: hand computations (numbers worked out with
 * the formulas of the paper, independently of the code), a brute-force scan of γ, a Monte Carlo estimate
 * and a quadrature for the Gaussian χ² closed form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chi2Divergence,
  createRng,
  dataset,
  gaussianChi2Divergence,
  proposition3MarginBound,
  theorem1Bound,
} from '../../src/index.js';
import { invalid } from '../helpers/index.js';

describe('theorem1Bound', () => {
  const margins = [0.1, 0.2, 0.4, 0.5];
  const eta = [2, 0.5, 1, 0.5];

  it("theorem1Bound(args) matches a hand computation of (I), (II) and ε at a given γ (constants: 'stated')", () => {
    // n = 4, H = 2, C = 1, γ = 0.3, δ = 0.1. (I): margins 0.1, 0.2 are < 0.3, so (2 + 0.5)/4 = 0.625.
    // χ² = mean(4, 0.25, 1, 0.25) − 1 = 0.375. (II) = √1.375/(0.3·√2·√4).
    // ε = √(ln log₂(4/0.3)/4) + √(ln 10/4).
    const r = theorem1Bound({ margins, eta, depth: 2, C: 1, gamma: 0.3, delta: 0.1, constants: 'stated' });
    expect(r.gamma).toBe(0.3);
    expect(r.empirical).toBe(0.625);
    expect(r.complexity).toBeCloseTo(1.3819269959814167, 14);
    expect(r.epsilon).toBeCloseTo(1.3327941216824057, 14);
    expect(r.total).toBeCloseTo(3.339721117663822, 13);
    expect(r.total).toBe(r.empirical + r.complexity + r.epsilon);
  });

  it("theorem1Bound(args) puts the constants of Lemmas A.6–A.8 in (II) by default (constants: 'proved', derivation)", () => {
    // Appendix A.4.2, composed by hand:
    //   Lemma A.6: P_test(yf ≤ 0) ≤ (I) + 4·R_{n,η}(F)/γ + √(log log₂(4C/γ)/n) + √(log(1/δ)/(2n)).
    //   Lemma A.7: R_{n,η}(F_H) ≤ C·√(χ² + 1 + o(1/√n))·(√(2 log(2) H) + 1)·∏ₕ M_F(h)/√n
    //     (from Golowich et al.: λ = √(2 log(2) H)/(M√Σηᵢ²‖xᵢ‖²) in (1/λ) log(2^H E e^{λZ}), Eq. A.17).
    //   Lemma A.8: θ/‖θ‖ is the same network as one with every ‖W_h‖_F ≤ 1/√H, so ∏ₕ M_F(h) = H^(−H/2).
    // Hence (II) = 4·C·√(χ² + 1)·(√(2H log 2) + 1)/(γ·H^(H/2)·√n) (dropping the o(1/√n)); ε is kept as the
    // theorem states it (√(log(1/δ)/n) ≥ the lemma's √(log(1/δ)/(2n))).
    // Same numbers as above: H = 2, C = 1, χ² = 0.375, γ = 0.3, n = 4:
    //   4·√1.375·(√(4 ln 2) + 1)/(0.3·2·2) = 4·1.1726039399558574·2.6651092223153956/1.2.
    const expected = (4 * Math.sqrt(1.375) * (Math.sqrt(4 * Math.LN2) + 1)) / (0.3 * 2 * 2);
    expect(expected).toBeCloseTo(10.417, 3);
    const r = theorem1Bound({ margins, eta, depth: 2, C: 1, gamma: 0.3, delta: 0.1 });
    expect(r).toEqual(
      theorem1Bound({ margins, eta, depth: 2, C: 1, gamma: 0.3, delta: 0.1, constants: 'proved' }),
    );
    expect(r.complexity).toBeCloseTo(expected, 13);
    expect(r.empirical).toBe(0.625);
    expect(r.epsilon).toBeCloseTo(1.3327941216824057, 14);
    expect(r.total).toBe(r.empirical + r.complexity + r.epsilon);
    // The ratio proved/stated of (II) is 4(√(2H ln 2) + 1)/√H: 8.71, 7.54, 7.02 for H = 1, 2, 3.
    for (const [H, ratio] of [
      [1, 8.7096400900619],
      [2, 7.5380672148080885],
      [3, 7.019041166820402],
    ] as const) {
      const proved = theorem1Bound({ margins, eta, depth: H, C: 2, gamma: 0.4 }).complexity;
      const stated = theorem1Bound({
        margins,
        eta,
        depth: H,
        C: 2,
        gamma: 0.4,
        constants: 'stated',
      }).complexity;
      expect(proved / stated).toBeCloseTo(ratio, 12);
    }
  });

  it('theorem1Bound(args) equals Theorem A.1 with either constants, written out in the test (property)', () => {
    const arb = fc.integer({ min: 1, max: 10 }).chain((n) =>
      fc.record({
        m: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
        eta: fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
        H: fc.integer({ min: 1, max: 5 }),
        C: fc.double({ min: 0.1, max: 10, noNaN: true }),
        gamma: fc.double({ min: 1e-3, max: 5, noNaN: true }),
        delta: fc.double({ min: 1e-3, max: 0.9, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ m, eta: e, H, C, gamma, delta }) => {
        const n = m.length;
        let I = 0;
        for (let i = 0; i < n; i++) if (m[i]! < gamma) I += e[i]! / n;
        const chi2 = e.reduce((a, v) => a + v * v, 0) / n - 1;
        const stated = (C * Math.sqrt(chi2 + 1)) / (gamma * H ** ((H - 1) / 2) * Math.sqrt(n));
        const proved =
          (4 * C * Math.sqrt(chi2 + 1) * (Math.sqrt(2 * H * Math.log(2)) + 1)) /
          (gamma * H ** (H / 2) * Math.sqrt(n));
        const l2 = Math.log2((4 * C) / gamma);
        const eps =
          Math.sqrt(Math.max(0, l2 > 1 ? Math.log(l2) : 0) / n) + Math.sqrt(Math.log(1 / delta) / n);
        for (const [constants, II] of [
          ['proved', proved],
          ['stated', stated],
        ] as const) {
          const r = theorem1Bound({ margins: m, eta: e, depth: H, C, gamma, delta, constants });
          expect(r.empirical).toBeCloseTo(I, 12);
          expect(Math.abs(r.complexity - II)).toBeLessThanOrEqual(1e-12 * Math.max(1, II));
          expect(r.epsilon).toBeCloseTo(eps, 12);
        }
      }),
    );
  });

  it('theorem1Bound(args) uses a given chi2 and depth H through √(χ²+1)/H^((H−1)/2), δ = 0.05 by default', () => {
    // H = 3: H^((H−1)/2) = 3; √(3 + 1) = 2; (II) = 2/(0.4·3·2); (I) = (2 + 0.5)/4.
    const r = theorem1Bound({ margins, eta, depth: 3, C: 1, chi2: 3, gamma: 0.4, constants: 'stated' });
    expect(r.empirical).toBe(0.625);
    expect(r.complexity).toBeCloseTo(0.8333333333333333, 15);
    expect(r.epsilon).toBeCloseTo(1.4132561968213015, 14);
  });

  it('theorem1Bound(args) counts margin < γ strictly: a margin equal to γ is not in (I)', () => {
    expect(theorem1Bound({ margins, eta, depth: 1, C: 1, gamma: 0.2 }).empirical).toBe(2 / 4);
    expect(theorem1Bound({ margins, eta, depth: 1, C: 1, gamma: 0.2 + 1e-12 }).empirical).toBe(2.5 / 4);
    // Non-positive margins always count.
    expect(
      theorem1Bound({ margins: [-1, 0, 1], eta: [1, 1, 1], depth: 1, C: 1, gamma: 1e-9 }).empirical,
    ).toBe(2 / 3);
  });

  it('theorem1Bound(args) takes the first root of ε as 0 once log₂(4C/γ) ≤ 1 (γ ≥ 2C), never NaN', () => {
    const base = Math.sqrt(Math.log(20) / 4);
    for (const gamma of [2, 3, 4, 10]) {
      const r = theorem1Bound({ margins, eta, depth: 1, C: 1, gamma });
      expect(r.epsilon).toBe(base);
    }
    // Just below 2C the log-log is small and positive.
    const r = theorem1Bound({ margins, eta, depth: 1, C: 1, gamma: 1.9 });
    expect(r.epsilon).toBeCloseTo(Math.sqrt(Math.log(Math.log2(4 / 1.9)) / 4) + base, 14);
  });

  it('theorem1Bound(args) derives C from data as the largest row norm, else requires C', () => {
    const data = dataset(
      [
        [3, 4],
        [1, 0],
        [0, -2],
      ],
      [1, -1, 1],
    );
    const a = theorem1Bound({ margins: [0.1, 0.2, 0.3], eta: [1, 1, 1], depth: 1, data, gamma: 0.2 });
    const b = theorem1Bound({ margins: [0.1, 0.2, 0.3], eta: [1, 1, 1], depth: 1, C: 5, gamma: 0.2 });
    expect(a).toEqual(b);
    expect(() => theorem1Bound({ margins, eta, depth: 1 })).toThrow(invalid('theorem1Bound: C is required'));
  });

  it('theorem1Bound(args) with gamma "optimal" minimizes total over a brute-force scan of γ, with either constants (property)', () => {
    // Claim: (I) is constant on each (m₍ₖ₎, m₍ₖ₊₁₎] and (II) + ε decrease, so the minimum over
    // γ ∈ (0, max margin] is attained at a distinct positive margin.
    const marginArb = fc.oneof(
      fc.double({ min: 1e-4, max: 1, noNaN: true }),
      fc.double({ min: -0.5, max: 0, noNaN: true }),
      fc.constantFrom(0, 0.25, 0.5), // ties
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.record({
            m: fc.array(marginArb, { minLength: n, maxLength: n }),
            eta: fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: n, maxLength: n }),
            depth: fc.integer({ min: 1, max: 4 }),
            C: fc.double({ min: 0.3, max: 3, noNaN: true }),
            delta: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
            constants: fc.constantFrom('proved' as const, 'stated' as const),
          }),
        ),
        ({ m, eta: e, depth, C, delta, constants }) => {
          const positive = m.filter((v) => v > 0);
          fc.pre(positive.length > 0);
          const opt = theorem1Bound({ margins: m, eta: e, depth, C, delta, constants });
          expect(positive).toContain(opt.gamma);
          const at = (gamma: number) =>
            theorem1Bound({ margins: m, eta: e, depth, C, delta, gamma, constants }).total;
          // The optimum is exactly total at its γ, recomputed from scratch.
          expect(opt.total).toBe(at(opt.gamma));
          const top = Math.max(...positive);
          const tol = 1e-12 * Math.max(1, opt.total);
          let scanMin = Number.POSITIVE_INFINITY;
          for (let k = 1; k <= 400; k++) scanMin = Math.min(scanMin, at((top * k) / 400));
          expect(opt.total).toBeLessThanOrEqual(scanMin + tol);
          for (const g of positive) {
            expect(opt.total).toBeLessThanOrEqual(at(g) + tol);
            // Just left of a margin, inside the same interval (prev, g], total is at least its value at g.
            const prev = Math.max(0, ...m.filter((v) => v < g));
            const left = g - Math.min(1e-9 * g, (g - prev) / 2);
            if (left > prev && left < g) expect(at(left)).toBeGreaterThanOrEqual(at(g) - tol);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('theorem1Bound(args) gamma "optimal" ignores γ beyond the largest margin, where total can be lower (finding)', () => {
    // n = 2, margins 0.01 and 0.02, C = 1, stated constants: at γ = 0.02, (II) = 1/(0.02·√2) ≈ 35. At
    // γ = 10 (> 2C): (I) = 1, (II) ≈ 0.071, ε = √(ln 20/2) ≈ 1.224, total ≈ 2.29 — smaller, though vacuous.
    const args = { margins: [0.01, 0.02], eta: [1, 1], depth: 1, C: 1, constants: 'stated' as const };
    const opt = theorem1Bound(args);
    expect(opt.gamma).toBe(0.02);
    expect(opt.total).toBeGreaterThan(35);
    const far = theorem1Bound({ ...args, gamma: 10 });
    expect(far.total).toBeCloseTo(1 + 1 / (10 * Math.SQRT2) + Math.sqrt(Math.log(20) / 2), 14);
    expect(far.total).toBeLessThan(opt.total);
  });

  it('theorem1Bound(args) rejects bad arguments with INVALID_INPUT naming the option', () => {
    expect(() => theorem1Bound({ margins: [], eta: [], depth: 1, C: 1 })).toThrow(
      invalid('margins must not be empty'),
    );
    expect(() => theorem1Bound({ margins, eta: [1, 1], depth: 1, C: 1 })).toThrow(
      invalid('eta must have length 4'),
    );
    expect(() => theorem1Bound({ margins, eta: [1, -1, 1, 1], depth: 1, C: 1 })).toThrow(
      invalid('eta[1] must be >= 0, got -1'),
    );
    expect(() => theorem1Bound({ margins: [Number.NaN], eta: [1], depth: 1, C: 1 })).toThrow(
      invalid('margins[0] must be finite'),
    );
    expect(() => theorem1Bound({ margins, eta, depth: 0, C: 1 })).toThrow(
      invalid('depth must be an integer >= 1'),
    );
    expect(() => theorem1Bound({ margins, eta, depth: 1, C: 0 })).toThrow(
      invalid('C must be a finite number > 0'),
    );
    expect(() => theorem1Bound({ margins, eta, depth: 1, C: 1, gamma: 0 })).toThrow(
      invalid('gamma must be a finite number > 0'),
    );
    expect(() => theorem1Bound({ margins, eta, depth: 1, C: 1, gamma: 'best' as never })).toThrow(
      invalid('gamma must be a finite number > 0 or "optimal", got "best"'),
    );
    expect(() => theorem1Bound({ margins, eta, depth: 1, C: 1, delta: 1 })).toThrow(invalid('delta must be'));
    expect(() => theorem1Bound({ margins, eta, depth: 1, C: 1, chi2: -2 })).toThrow(invalid('chi2 must be'));
    expect(() => theorem1Bound({ margins, eta, depth: 1, C: 1, constants: 'exact' } as never)).toThrow(
      invalid('theorem1Bound: constants must be one of "proved", "stated", got "exact"'),
    );
    expect(() => theorem1Bound({ margins, eta, depth: 1, C: 1, H: 2 } as never)).toThrow(
      invalid('H is not a known option'),
    );
    expect(() => theorem1Bound({ margins: [-1, 0], eta: [1, 1], depth: 1, C: 1 })).toThrow(
      invalid('margins must contain a positive margin'),
    );
    expect(() => theorem1Bound(undefined as never)).toThrow(invalid('args must be an object'));
  });
});

describe('proposition3MarginBound', () => {
  it('proposition3MarginBound(args) is c·γ⋆/τ^(α/r) (hand values)', () => {
    expect(proposition3MarginBound({ gammaStar: 0.3, tau: 2, alpha: 2, r: 2, c: 0.9 })).toBeCloseTo(
      0.135,
      15,
    );
    // τ = 1: the optimum itself, c·γ⋆.
    expect(proposition3MarginBound({ gammaStar: 0.3, tau: 1, alpha: 3, r: 1, c: 0.5 })).toBe(0.15);
    // α = 2, r = 1, τ = 1.5: 0.1·1/2.25.
    expect(proposition3MarginBound({ gammaStar: 1, tau: 1.5, alpha: 2, r: 1, c: 0.1 })).toBeCloseTo(
      0.1 / 2.25,
      15,
    );
  });

  it('proposition3MarginBound(args) lies in (γ⋆/(10·2^(α/r)), γ⋆) and decreases in τ (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.double({ min: 1, max: 2, noNaN: true }),
        fc.double({ min: 1, max: 2, noNaN: true }),
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.double({ min: 0.5, max: 4, noNaN: true }),
        fc.double({ min: 0.1, max: 0.99, noNaN: true }),
        (gammaStar, t1, t2, alpha, r, c) => {
          const b1 = proposition3MarginBound({ gammaStar, tau: t1, alpha, r, c });
          const b2 = proposition3MarginBound({ gammaStar, tau: t2, alpha, r, c });
          expect(b1).toBeLessThan(gammaStar);
          expect(b1).toBeGreaterThanOrEqual((gammaStar / (10 * 2 ** (alpha / r))) * (1 - 1e-15));
          if (t1 < t2) expect(b1).toBeGreaterThanOrEqual(b2);
        },
      ),
    );
  });

  it('proposition3MarginBound(args) rejects out-of-range arguments with INVALID_INPUT', () => {
    const ok = { gammaStar: 0.3, tau: 1.5, alpha: 2, r: 2, c: 0.5 };
    expect(() => proposition3MarginBound({ ...ok, gammaStar: 0 })).toThrow(invalid('gammaStar must be'));
    expect(() => proposition3MarginBound({ ...ok, tau: 0.9 })).toThrow(
      invalid('tau must be a finite number >= 1 and <= 2'),
    );
    expect(() => proposition3MarginBound({ ...ok, tau: 2.5 })).toThrow(invalid('tau must be'));
    expect(() => proposition3MarginBound({ ...ok, alpha: 0 })).toThrow(invalid('alpha must be'));
    expect(() => proposition3MarginBound({ ...ok, r: -1 })).toThrow(invalid('r must be'));
    expect(() => proposition3MarginBound({ ...ok, c: 1 })).toThrow(
      invalid('c must be a finite number >= 0.1 and < 1'),
    );
    expect(() => proposition3MarginBound({ ...ok, c: 0.05 })).toThrow(invalid('c must be'));
    expect(() => proposition3MarginBound({ gammaStar: 1, tau: 1, alpha: 1, r: 1 } as never)).toThrow(
      invalid('c must be'),
    );
  });
});

/** Standard normal draws from the library's seeded generator (a fixed seed: the MC checks are deterministic). */
function gaussianSample(seed: number, N: number, mean: number[], std: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: N }, () => Float64Array.from(mean, (m) => m + std * rng.normal()));
}

describe('chi2Divergence and gaussianChi2Divergence', () => {
  it('chi2Divergence(eta) is mean(η²) − 1 (hand values)', () => {
    expect(chi2Divergence([0.5, 1.5])).toBe(0.25);
    expect(chi2Divergence([1, 1, 1])).toBe(0);
    expect(chi2Divergence(Float64Array.of(0, 2))).toBe(1);
    expect(chi2Divergence([0.5])).toBe(-0.75); // a sample estimate can be negative
    expect(() => chi2Divergence([])).toThrow(invalid('chi2Divergence: eta must not be empty'));
    expect(() => chi2Divergence([1, -1])).toThrow(invalid('eta[1] must be >= 0'));
    expect(() => chi2Divergence([1e200, 1e200])).toThrow(invalid('finite mean square'));
  });

  it('gaussianChi2Divergence(args) is exp(‖Δ‖²/σ²) − 1 for equal spreads', () => {
    expect(gaussianChi2Divergence({ sourceMean: [0, 0], targetMean: [1, 0] })).toBeCloseTo(Math.E - 1, 15);
    expect(gaussianChi2Divergence({ sourceMean: [1, 2, 3], targetMean: [1, 2, 3], sourceStd: 2 })).toBe(0);
    expect(
      gaussianChi2Divergence({ sourceMean: [1, 1], targetMean: [2, 3], sourceStd: 2, targetStd: 2 }),
    ).toBeCloseTo(Math.expm1(5 / 4), 14);
    // Tiny shifts keep relative accuracy (expm1): χ² ≈ ‖Δ‖²/σ².
    expect(gaussianChi2Divergence({ sourceMean: [0], targetMean: [1e-9] })).toBeCloseTo(1e-18, 30);
  });

  it('gaussianChi2Divergence(args) agrees with a 1-D quadrature of ∫ p_t²/p_s − 1 for unequal spreads', () => {
    // log of the N(m, s²) density; the integrand p_t²/p_s = exp(2 log p_t − log p_s) without underflow.
    const logPdf = (x: number, m: number, s: number) =>
      -((x - m) ** 2) / (2 * s * s) - Math.log(s * Math.sqrt(2 * Math.PI));
    for (const [mt, ss, st] of [
      [0.7, 1, 0.6],
      [-0.3, 1.2, 1.5],
      [1.5, 2, 1],
    ] as const) {
      // Trapezoid rule on [−40, 40]: the integrand is a Gaussian kernel, so the error is far below 1e-10.
      const h = 1e-3;
      let s = 0;
      for (let k = -40_000; k <= 40_000; k++) s += Math.exp(2 * logPdf(k * h, mt, st) - logPdf(k * h, 0, ss));
      const quad = s * h - 1;
      const closed = gaussianChi2Divergence({
        sourceMean: [0],
        targetMean: [mt],
        sourceStd: ss,
        targetStd: st,
      });
      expect(closed).toBeCloseTo(quad, 8);
      // d dimensions with the shift on one axis: the other axes multiply by the 1-D normalizing factor.
      const factor1 = ss ** 2 / (st * Math.sqrt(2 * ss ** 2 - st ** 2));
      const closed3 = gaussianChi2Divergence({
        sourceMean: [0, 0, 0],
        targetMean: [mt, 0, 0],
        sourceStd: ss,
        targetStd: st,
      });
      expect(closed3).toBeCloseTo((quad + 1) * factor1 ** 2 - 1, 8);
    }
    // 2σ_s² ≤ σ_t²: p_t²/p_s is not integrable.
    expect(
      gaussianChi2Divergence({ sourceMean: [0], targetMean: [0], sourceStd: 1, targetStd: Math.SQRT2 }),
    ).toBe(Number.POSITIVE_INFINITY);
  });

  it('gaussianChi2Divergence(args) agrees with a seeded Monte Carlo mean of η² − 1 within 5 standard errors', () => {
    // η² has finite variance when E_s[η⁴] < ∞ (4/σ_t² > 3/σ_s²): true for both settings. The tolerance
    // is 5 sample standard errors of the mean of η² (a two-sided 5σ band for an average of N = 10⁵).
    const N = 100_000;
    for (const [mt, ss, st, seed] of [
      [[0.5, 0], 1, 1, 11],
      [[0.3, -0.4, 0.2], 1, 0.8, 12],
    ] as const) {
      const d = mt.length;
      const ms = new Array(d).fill(0);
      const xs = gaussianSample(seed, N, ms, ss);
      let sum = 0;
      let sumSq = 0;
      for (const x of xs) {
        // η from the two Gaussian pdfs directly (normalizing constants cancel except (σ_s/σ_t)^d).
        let a = 0;
        let b = 0;
        for (let k = 0; k < d; k++) {
          a += x[k]! ** 2 / (2 * ss * ss);
          b += (x[k]! - mt[k]!) ** 2 / (2 * st * st);
        }
        const eta2 = ((ss / st) ** d * Math.exp(a - b)) ** 2;
        sum += eta2;
        sumSq += eta2 * eta2;
      }
      const mean = sum / N;
      const se = Math.sqrt((sumSq / N - mean * mean) / N);
      const closed = gaussianChi2Divergence({
        sourceMean: ms,
        targetMean: [...mt],
        sourceStd: ss,
        targetStd: st,
      });
      expect(Math.abs(mean - 1 - closed)).toBeLessThan(5 * se);
      expect(se).toBeLessThan(0.02); // the check has teeth
    }
  });

  it('gaussianChi2Divergence(args) rejects bad arguments with INVALID_INPUT', () => {
    expect(() => gaussianChi2Divergence({ sourceMean: [], targetMean: [] })).toThrow(
      invalid('sourceMean must not be empty'),
    );
    expect(() => gaussianChi2Divergence({ sourceMean: [0], targetMean: [0, 1] })).toThrow(
      invalid('targetMean must have length 1'),
    );
    expect(() => gaussianChi2Divergence({ sourceMean: [0], targetMean: [1], sourceStd: 0 })).toThrow(
      invalid('sourceStd must be a finite number > 0'),
    );
    expect(() => gaussianChi2Divergence({ sourceMean: [0], targetMean: [1], std: 1 } as never)).toThrow(
      invalid('std is not a known option'),
    );
  });
});
