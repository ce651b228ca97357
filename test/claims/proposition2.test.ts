/**
 * Proposition 2 of Xu, Ye & Ruan (ICLR 2021), non-separable data: with D = D_sep ∪ D_non-sep (Ji &
 * Telgarsky's maximal separable subset), S = span{xᵢ : i ∈ D_non-sep}, GD with a constant step on the
 * weighted exponential risk gives
 *   Π_non-sep θ(t) → θ̃(w) = argmin_{θ∈S} L_non-sep(θ; w), at the rate ≲ C + (log² t / γ_sep)/t, and
 *   the direction of Π_sep θ(t) → the max-margin direction of D_sep in S⊥ (independent of w),
 * while θ̃(w) moves with w (Figure 3's intercept).
 *
 * References here do not come from the code under test: the closed form θ̃ = ½ log(a/b) of a contradicting
 * pair, a central finite difference of `weightedRisk`, and hand-made data whose partition is known by
 * construction (contradicting pairs span S; a core that a direction of S⊥ separates).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataset } from '../../src/datasets/dataset.js';
import type { Dataset } from '../../src/datasets/types.js';
import { gd } from '../../src/gd/optimizers/gd.js';
import { trainWeighted } from '../../src/gd/train/trainWeighted.js';
import { exponential } from '../../src/losses/exponential.js';
import { logistic } from '../../src/losses/logistic.js';
import type { MarginLoss } from '../../src/losses/types.js';
import { weightedRisk } from '../../src/losses/weightedRisk.js';
import { proposition2Metrics, proposition2Rate } from '../../src/metrics/proposition2.js';
import { ready } from '../../src/svm/lp/index.js';
import {
  nonSeparableOptimum,
  type PartitionSubspaces,
  separablePartitionSync,
} from '../../src/svm/partition/index.js';
import { invalid } from '../helpers/index.js';

/** L_non-sep(θ; w) with the full n, from weightedRisk (zero weights drop the D_sep points exactly). */
function nonSepRisk(
  data: Dataset,
  part: PartitionSubspaces,
  w: ArrayLike<number>,
  theta: ArrayLike<number>,
  loss: MarginLoss = exponential,
): number {
  const ww = new Float64Array(data.n);
  for (const i of part.nonSeparable) ww[i] = w[i]!;
  const u = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += theta[j]! * data.X[i * data.d + j]!;
    u[i] = data.y[i]! * s;
  }
  return weightedRisk(loss, u, ww);
}

/** A fixed orthogonal (Householder) matrix Q = I − 2vvᵀ, v = (1, 2, 2)/3, so that S is not axis-aligned. */
const v = [1 / 3, 2 / 3, 2 / 3];
const Q = [0, 1, 2].map((a) => [0, 1, 2].map((b) => (a === b ? 1 : 0) - 2 * v[a]! * v[b]!));
const rotate = (x: readonly number[]): number[] =>
  [0, 1, 2].map((b) => x[0]! * Q[0]![b]! + x[1]! * Q[1]![b]! + x[2]! * Q[2]![b]!);

/** Partition of 3-D data built in the frame (e₁, e₂ | e₃) and rotated by Q: S = span{Qᵀe₃}. */
function rotatedPartition(nSep: number, nNonSep: number): PartitionSubspaces {
  return {
    separable: Int32Array.from({ length: nSep }, (_, k) => k),
    nonSeparable: Int32Array.from({ length: nNonSep }, (_, k) => nSep + k),
    nonSepBasis: Float64Array.from(Q[2]!),
    sepBasis: Float64Array.from([...Q[0]!, ...Q[1]!]),
    rank: 1,
  };
}

/** The hand set of the doc section: a 3-point core in (e₁, e₂), and e₃-points that contradict each other. */
const handX = [
  [1, 0.5, 0.25],
  [0.5, 1, -0.15],
  [-0.75, -0.25, 0.35],
  [0, 0, 1],
  [0, 0, -1],
  [0, 0, 0.8],
];
const handY = [1, 1, -1, 1, 1, -1];
const handData = dataset(handX.map(rotate), handY);
const handPart = rotatedPartition(3, 3);

function runGd(data: Dataset, w: ArrayLike<number>, at: number[]) {
  const steps = at[at.length - 1]!;
  return trainWeighted({
    data,
    steps,
    weights: w,
    optimizer: gd({ lr: 0.1 }),
    init: new Float64Array(data.d),
    record: { at, metrics: ['theta'] },
  }).history.filter((row) => row.step > 0);
}

describe('nonSeparableOptimum', () => {
  it('matches the closed form ½·log(a/b) of a contradicting pair (x = e₂ and x = −e₂, both +1)', () => {
    // core: (1, 0) labelled +1 and (−2, 0) labelled −1; S = span{e₂}
    const data = dataset(
      [
        [1, 0],
        [-2, 0],
        [0, 1],
        [0, -1],
      ],
      [1, -1, 1, 1],
    );
    const part: PartitionSubspaces = {
      separable: Int32Array.of(0, 1),
      nonSeparable: Int32Array.of(2, 3),
      nonSepBasis: Float64Array.of(0, 1),
      sepBasis: Float64Array.of(1, 0),
      rank: 1,
    };
    for (const [a, b] of [
      [1, 1],
      [3, 1],
      [0.2, 5],
      [7, 0.01],
    ] as const) {
      const opt = nonSeparableOptimum(data, part, { weights: [1, 1, a, b] });
      expect(opt.theta[0]).toBe(0);
      expect(opt.theta[1]).toBeCloseTo(0.5 * Math.log(a / b), 12);
      // L(θ̃) = 2√(ab)/n with the full n = 4
      expect(opt.risk).toBeCloseTo((2 * Math.sqrt(a * b)) / 4, 14);
      expect(opt.gammaSep).toBeCloseTo(1, 12);
      expect(Array.from(opt.sepDirection!)).toEqual([1, 0]);
    }
  });

  it('Figure 3 intercept: same x, opposite labels, class weights w± → θ̃ = ½·log(w₊/w₋) on the bias feature', () => {
    // features (x₁, x₂, 1): the constant third feature is the intercept; the two points at the feature
    // origin contradict each other, so S = span{e₃} and θ̃₃ is the intercept
    const core = [
      [1, 0.4, 1],
      [0.6, 1, 1],
      [-0.8, -0.5, 1],
      [-0.3, -1, 1],
    ];
    const yCore = [1, 1, -1, -1];
    const data = dataset([...core, [0, 0, 1], [0, 0, 1]], [...yCore, 1, -1]);
    const part: PartitionSubspaces = {
      separable: Int32Array.of(0, 1, 2, 3),
      nonSeparable: Int32Array.of(4, 5),
      nonSepBasis: Float64Array.of(0, 0, 1),
      sepBasis: Float64Array.of(1, 0, 0, 0, 1, 0),
      rank: 1,
    };
    const intercepts: number[] = [];
    let dir0: Float64Array | null = null;
    for (const wPlus of [0.25, 1, 4]) {
      const w = data.y.map((yi) => (yi > 0 ? wPlus : 1));
      const opt = nonSeparableOptimum(data, part, { weights: w });
      expect(opt.theta[2]).toBeCloseTo(0.5 * Math.log(wPlus), 12);
      intercepts.push(opt.theta[2]!);
      // the S⊥ direction does not depend on the weights
      if (dir0 === null) dir0 = opt.sepDirection;
      else for (let j = 0; j < 3; j++) expect(opt.sepDirection![j]).toBeCloseTo(dir0[j]!, 12);
    }
    expect(intercepts[0]!).toBeLessThan(intercepts[1]!);
    expect(intercepts[1]!).toBeLessThan(intercepts[2]!);
  });

  it.each([
    ['exponential', exponential],
    ['logistic', logistic],
  ] as const)('θ̃ is a stationary point and minimum of L_non-sep on S (%s, finite differences)', (_, loss) => {
    const w = [1, 2, 0.5, 3, 0.7, 1.9];
    const opt = nonSeparableOptimum(handData, handPart, { weights: w, loss });
    expect(opt.gradientNorm).toBeLessThan(1e-10);
    // θ̃ ∈ S
    const b = handPart.nonSepBasis;
    let c = 0;
    for (let j = 0; j < 3; j++) c += b[j]! * opt.theta[j]!;
    for (let j = 0; j < 3; j++) expect(opt.theta[j]).toBeCloseTo(c * b[j]!, 14);
    const h = 1e-5;
    const L0 = nonSepRisk(handData, handPart, w, opt.theta, loss);
    expect(opt.risk).toBeCloseTo(L0, 14);
    const plus = opt.theta.map((t, j) => t + h * b[j]!);
    const minus = opt.theta.map((t, j) => t - h * b[j]!);
    const Lp = nonSepRisk(handData, handPart, w, plus, loss);
    const Lm = nonSepRisk(handData, handPart, w, minus, loss);
    expect(Math.abs((Lp - Lm) / (2 * h))).toBeLessThan(1e-8);
    expect(Lp).toBeGreaterThan(L0);
    expect(Lm).toBeGreaterThan(L0);
  });

  it('solves a 2-D subspace S (r = 2) to a zero finite-difference gradient', () => {
    // d = 3, S = span{e₂, e₃} from contradicting pairs, core along e₁ with S components
    const data = dataset(
      [
        [1, 0.3, -0.2],
        [-0.5, 0.1, 0.4],
        [0, 1, 0.5],
        [0, -0.6, -0.3],
        [0, 0.2, 1],
        [0, -0.4, -2],
      ],
      [1, -1, 1, 1, -1, -1],
    );
    const part: PartitionSubspaces = {
      separable: Int32Array.of(0, 1),
      nonSeparable: Int32Array.of(2, 3, 4, 5),
      nonSepBasis: Float64Array.of(0, 1, 0, 0, 0, 1),
      sepBasis: Float64Array.of(1, 0, 0),
      rank: 2,
    };
    const w = [1, 1, 0.5, 2, 1.5, 0.8];
    const opt = nonSeparableOptimum(data, part, { weights: w });
    expect(opt.theta[0]).toBe(0);
    const h = 1e-5;
    for (const e of [
      [0, 1, 0],
      [0, 0, 1],
      [0, Math.SQRT1_2, Math.SQRT1_2],
    ]) {
      const Lp = nonSepRisk(
        data,
        part,
        w,
        opt.theta.map((t, j) => t + h * e[j]!),
      );
      const Lm = nonSepRisk(
        data,
        part,
        w,
        opt.theta.map((t, j) => t - h * e[j]!),
      );
      expect(Math.abs((Lp - Lm) / (2 * h))).toBeLessThan(1e-8);
    }
    expect(opt.gammaSep).toBeCloseTo(0.5, 12);
  });

  it('handles D_non-sep = ∅ (θ̃ = 0) and D_sep = ∅ (γ_sep = null)', () => {
    const sepOnly = dataset(
      [
        [1, 0],
        [-1, 0.5],
      ],
      [1, -1],
    );
    const o1 = nonSeparableOptimum(sepOnly, {
      separable: Int32Array.of(0, 1),
      nonSeparable: new Int32Array(0),
      nonSepBasis: new Float64Array(0),
      sepBasis: Float64Array.of(1, 0, 0, 1),
      rank: 0,
    });
    expect(Array.from(o1.theta)).toEqual([0, 0]);
    expect(o1.iterations).toBe(0);
    expect(o1.gammaSep).toBeGreaterThan(0);
    const nonSepOnly = dataset([[1], [-1], [2]], [1, 1, -1]);
    const o2 = nonSeparableOptimum(nonSepOnly, {
      separable: new Int32Array(0),
      nonSeparable: Int32Array.of(0, 1, 2),
      nonSepBasis: Float64Array.of(1),
      sepBasis: new Float64Array(0),
      rank: 1,
    });
    expect(o2.gammaSep).toBeNull();
    expect(o2.sepDirection).toBeNull();
    // L(θ) = (e^{−θ} + e^{θ} + e^{2θ})/3: L′(θ̃) = 0
    const t = o2.theta[0]!;
    expect(Math.abs(-Math.exp(-t) + Math.exp(t) + 2 * Math.exp(2 * t))).toBeLessThan(1e-13);
  });

  it('regression (FC_SEED=2): Newton near θ̃ where the decrease of L is below its rounding level', () => {
    // the Armijo test compared rounding noise and Newton crept for 100 iterations at ‖∇L‖ ≈ 2.5e-10
    const data = dataset(
      [
        rotate([-0.2, 0, 0]),
        rotate([-0.2, 0, 0]),
        rotate([0, 0, 0.8191107707779031]),
        rotate([0, 0, -0.7399896092666287]),
      ],
      [-1, -1, -1, -1],
    );
    const part = rotatedPartition(2, 2);
    const w = [1, 1, 1, Math.exp(-0.000054106567368988387)];
    const opt = nonSeparableOptimum(data, part, { weights: w });
    expect(opt.iterations).toBeLessThan(10);
    // one pair labelled −1: L(z) = (w₂e^{az} + w₃e^{−bz})/n with z = Bθ̃, so z = log(b·w₃/(a·w₂))/(a + b)
    const B = part.nonSepBasis;
    const z = B[0]! * opt.theta[0]! + B[1]! * opt.theta[1]! + B[2]! * opt.theta[2]!;
    const a = 0.8191107707779031;
    const b = 0.7399896092666287;
    expect(z).toBeCloseTo(Math.log((b * w[3]!) / (a * w[2]!)) / (a + b), 12);
  });

  it('rejects bad input with INVALID_INPUT and non-convergence with SOLVER_FAILED', () => {
    const bad = (f: () => unknown, code: string) => {
      try {
        f();
      } catch (e) {
        expect((e as { code: string }).code).toBe(code);
        return;
      }
      throw new Error('did not throw');
    };
    bad(() => nonSeparableOptimum(handData, handPart, { weights: [1, 1, 1, 0, 1, 1] }), 'INVALID_INPUT');
    bad(() => nonSeparableOptimum(handData, handPart, { weights: [1, 1, 1] }), 'INVALID_INPUT');
    bad(() => nonSeparableOptimum(handData, handPart, { tol: 0 }), 'INVALID_INPUT');
    bad(() => nonSeparableOptimum(handData, handPart, { lr: 1 } as never), 'INVALID_INPUT');
    bad(
      () => nonSeparableOptimum(handData, { ...handPart, separable: Int32Array.of(0, 1) }),
      'INVALID_INPUT',
    );
    bad(
      () => nonSeparableOptimum(handData, { ...handPart, separable: Int32Array.of(0, 1, 1) }),
      'INVALID_INPUT',
    );
    bad(
      () => nonSeparableOptimum(handData, { ...handPart, sepBasis: Float64Array.of(1, 0, 0, 0, 1, 0) }),
      'INVALID_INPUT',
    );
    bad(() => nonSeparableOptimum({ X: [1], y: [1] } as never, handPart), 'INVALID_INPUT');
    // a "D_sep" that is not separable in S⊥
    bad(
      () =>
        nonSeparableOptimum(
          dataset(
            [
              [1, 0],
              [1, 0],
              [0, 1],
              [0, -1],
            ],
            [1, -1, 1, 1],
          ),
          {
            separable: Int32Array.of(0, 1),
            nonSeparable: Int32Array.of(2, 3),
            nonSepBasis: Float64Array.of(0, 1),
            sepBasis: Float64Array.of(1, 0),
            rank: 1,
          },
        ),
      'INVALID_INPUT',
    );
    bad(() => nonSeparableOptimum(handData, handPart, { maxIterations: 1, tol: 1e-14 }), 'SOLVER_FAILED');
    bad(() => proposition2Rate(0.5, 1), 'INVALID_INPUT');
    bad(() => proposition2Rate(10, 0), 'INVALID_INPUT');
    expect(() => proposition2Rate(10, 1, { form: 'main' } as never)).toThrow(
      invalid('proposition2Rate: options.form must be one of "proved", "stated", got "main"'),
    );
    expect(() => proposition2Rate(10, 1, { from: 'stated' } as never)).toThrow(
      invalid('proposition2Rate: from is not a known option'),
    );
    bad(
      () => proposition2Metrics([1, 2], handPart, nonSeparableOptimum(handData, handPart)),
      'INVALID_INPUT',
    );
  });

  it('proposition2Metrics and proposition2Rate on known values', () => {
    const opt = { theta: Float64Array.of(0, 0, 0), sepDirection: Float64Array.of(1, 0, 0) };
    const part: PartitionSubspaces = {
      separable: Int32Array.of(0),
      nonSeparable: Int32Array.of(1),
      nonSepBasis: Float64Array.of(0, 0, 1),
      sepBasis: Float64Array.of(1, 0, 0, 0, 1, 0),
      rank: 1,
    };
    const m = proposition2Metrics([2, 2, -0.5], part, opt);
    expect(m.nonSepDistance).toBeCloseTo(0.5, 15);
    expect(m.sepAngle).toBeCloseTo(Math.PI / 4, 15);
    expect(m.sepNorm).toBeCloseTo(2 * Math.SQRT2, 15);
    expect(proposition2Metrics([0, 0, 1], part, opt).sepAngle).toBeNull();
    expect(proposition2Rate(Math.E, 1, { form: 'stated' })).toBeCloseTo(1 / Math.E, 15);
    expect(proposition2Rate(1e4, 0.5, { form: 'stated' })).toBeCloseTo((2 * Math.log(1e4) ** 2) / 1e4, 15);
    // proved: log t/(γ_sep √t); at t = e², γ_sep = 1/2: 2/(e/2) = 4/e.
    expect(proposition2Rate(Math.E ** 2, 0.5)).toBeCloseTo(4 / Math.E, 14);
    expect(proposition2Rate(Math.E ** 2, 0.5, { form: 'proved' })).toBe(proposition2Rate(Math.E ** 2, 0.5));
    expect(proposition2Rate(1, 0.3)).toBe(0);
    expect(proposition2Rate(1, 0.3, { form: 'stated' })).toBe(0);
  });

  it("proposition2Rate(t, γ_sep) is the distance rate that Appendix A.3's risk bound and strong convexity give (property)", () => {
    // Appendix A.3, written out: Lemma A.5 with z = θ̃ + θ*_sep·log t/γ_sep bounds the risk gap by
    // (‖z‖²)/(2ηt) + exp(‖θ̃‖)/t, i.e. L(θ(t)) − inf L ≤ (C(‖θ̃‖) + log² t/γ_sep²)/t for a constant step; with
    // ω-strong convexity, ‖Π_non-sep θ(t) − θ̃‖² ≤ (2/ω)(L − inf L). Dropping C and 2/ω, the squared distance
    // goes like log² t/(γ_sep² t): the proved rate is its square root. The stated one is (log² t/γ_sep)/t.
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e12, noNaN: true }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        (t, g) => {
          const riskRate = (Math.log(t) * Math.log(t)) / (g * g * t);
          const proved = proposition2Rate(t, g);
          expect(Math.abs(proved * proved - riskRate)).toBeLessThanOrEqual(
            1e-12 * Math.max(riskRate, 1e-300),
          );
          const stated = proposition2Rate(t, g, { form: 'stated' });
          expect(Math.abs(stated - Math.log(t) ** 2 / g / t)).toBeLessThanOrEqual(1e-12 * stated);
          // proved/stated = √t/log t, at least e/2 (at t = e²), so the proved rate is the slower one.
          if (t > 1.5) expect(proved / stated).toBeCloseTo(Math.sqrt(t) / Math.log(t), 9);
        },
      ),
    );
  });
});

describe('Proposition 2 along gradient descent', () => {
  const M = 3;
  const at = [100, 1000, 10_000, 100_000];

  /**
   * Random non-separable data with a known partition, in the frame (e₁, e₂ | e₃) rotated by Q:
   * a core whose labelled points yᵢxᵢ have first coordinate ≥ 0.2 (e₁ separates them; arbitrary e₃
   * parts), and 1–2 contradicting pairs (s·e₃, ℓ), (−s′·e₃, ℓ). Each pair rules out any θ that
   * classifies one of its points strictly without failing the other, so D_non-sep is the pairs and
   * S = span{e₃}; the witness e₁ ∈ S⊥ puts the core in D_sep. All ‖x‖ ≤ √3, weights in [1/M, M], so
   * lr 0.1 is below 2/β at θ = 0 (β ≤ M·3).
   */
  const arb = fc.record({
    core: fc.array(
      fc.record({
        u1: fc.double({ min: 0.2, max: 1, noNaN: true }),
        u2: fc.double({ min: -1, max: 1, noNaN: true }),
        s: fc.double({ min: -1, max: 1, noNaN: true }),
        y: fc.constantFrom(-1, 1),
      }),
      { minLength: 2, maxLength: 5 },
    ),
    pairs: fc.array(
      fc.record({
        a: fc.double({ min: 0.3, max: 1, noNaN: true }),
        b: fc.double({ min: 0.3, max: 1, noNaN: true }),
        y: fc.constantFrom(-1, 1),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    logW: fc.array(fc.double({ min: -Math.log(M), max: Math.log(M), noNaN: true }), {
      minLength: 18,
      maxLength: 18,
    }),
    logW2: fc.array(fc.double({ min: -Math.log(M), max: Math.log(M), noNaN: true }), {
      minLength: 18,
      maxLength: 18,
    }),
  });

  type ArbValue = typeof arb extends fc.Arbitrary<infer T> ? T : never;

  function build(c: ArbValue) {
    const X: number[][] = [];
    const y: number[] = [];
    for (const p of c.core) {
      X.push(rotate([p.y * p.u1, p.y * p.u2, p.s]));
      y.push(p.y);
    }
    for (const p of c.pairs) {
      X.push(rotate([0, 0, p.a]), rotate([0, 0, -p.b]));
      y.push(p.y, p.y);
    }
    const data = dataset(X, y);
    const part = rotatedPartition(c.core.length, 2 * c.pairs.length);
    const w1 = c.logW.slice(0, data.n).map(Math.exp);
    const w2 = c.logW2.slice(0, data.n).map(Math.exp);
    return { data, part, w1, w2 };
  }

  it('Π_non-sep θ(t) → θ̃(w) within the proved rate log t/(γ_sep √t) and, with a larger data-dependent constant, the stated (log² t/γ_sep)/t; Π_sep θ(t) turns toward the w-independent D_sep direction', () => {
    let worstRatio = 0;
    fc.assert(
      fc.property(arb, (c) => {
        const { data, part, w1, w2 } = build(c);
        const dirs: Float64Array[] = [];
        for (const w of [w1, w2]) {
          const opt = nonSeparableOptimum(data, part, { weights: w });
          dirs.push(opt.sepDirection!);
          const rows = runGd(data, w, at);
          const m = rows.map((row) => proposition2Metrics(row.theta!, part, opt));
          const dist = m.map((x) => x.nonSepDistance);
          // convergence: in the 1/t regime the distance falls ~10× per decade; before it, D_sep points with a
          // component in S push Π_non-sep θ for a long transient (dist(10²)/dist(10⁵) was as low as 17.7),
          // so the test asks for a decay over the last decade (the distance at 10⁵ was as large as 0.069)
          expect(dist[3]!).toBeLessThan(dist[2]! / 3 + 1e-12);
          // the stated rate: dist(t)/[(log² t/γ_sep)/t] stays bounded for t ≥ 10³. The paper's constant C is
          // data-dependent; neither "≤ 1" nor "non-increasing from 10³ to 10⁵" holds in general (the ratio
          // peaks late in long transients: worst seen 23.3, FC_SEED 1–7), see docs/nonseparable.md
          const ratio = dist.map((x, k) => x / proposition2Rate(at[k]!, opt.gammaSep!, { form: 'stated' }));
          worstRatio = Math.max(worstRatio, ...ratio.slice(1));
          for (let k = 1; k < at.length; k++) expect(ratio[k]!).toBeLessThan(50);
          // the proved rate log t/(γ_sep √t) (Appendix A.3 + strong convexity): the ratio is smaller and does
          // end below its value at 10³ (worst seen 2.64 for t ≥ 10³, 0.59 at 10⁵, FC_SEED 1–7)
          const proved = dist.map((x, k) => x / proposition2Rate(at[k]!, opt.gammaSep!));
          for (let k = 1; k < at.length; k++) expect(proved[k]!).toBeLessThan(5);
          expect(proved[3]!).toBeLessThanOrEqual(proved[1]! + 1e-12);
          // the S⊥ part points near the D_sep max-margin direction (slowly: O(1/log t), not monotone)
          const ang = m.map((x) => x.sepAngle!);
          expect(ang[3]!).toBeLessThan(0.6);
        }
        // the limit direction is the same for both weight vectors
        for (let j = 0; j < 3; j++) expect(dirs[0]![j]).toBeCloseTo(dirs[1]![j]!, 10);
      }),
      { numRuns: 12 },
    );
    expect(worstRatio).toBeLessThan(50);
  }, 120_000);

  it('θ̃(w) depends on w: reweighting one class of a contradicting pair moves it (the intercept shift)', () => {
    fc.assert(
      fc.property(arb, fc.double({ min: 1.5, max: M, noNaN: true }), (c, k) => {
        const { data, part, w1 } = build(c);
        const o1 = nonSeparableOptimum(data, part, { weights: w1 });
        // scale the weight of the first pair's +e₃-side point by k: θ̃ moves toward classifying it,
        // i.e. ℓ·Bθ̃ increases (ℓ = that point's label)
        const i = part.nonSeparable[0]!;
        const w2 = w1.slice();
        w2[i] = w2[i]! * k;
        const o2 = nonSeparableOptimum(data, part, { weights: w2 });
        const B = part.nonSepBasis;
        const coord = (t: Float64Array) => B[0]! * t[0]! + B[1]! * t[1]! + B[2]! * t[2]!;
        expect(data.y[i]! * (coord(o2.theta) - coord(o1.theta))).toBeGreaterThan(1e-3);
      }),
      { numRuns: 50 },
    );
  });

  it('on the hand set, GD at 10⁵ steps lands on θ̃(w) for three weightings and the distance decays like log t/t', () => {
    for (const w of [
      [1, 1, 1, 1, 1, 1],
      [3, 1, 1, 0.5, 2, 1],
      [1, 1, 3, 1, 1, 1 / 3],
    ]) {
      const opt = nonSeparableOptimum(handData, handPart, { weights: w });
      expect(opt.gammaSep).toBeCloseTo(Math.sqrt(0.625), 10);
      const rows = runGd(handData, w, at);
      const dist = rows.map((row) => proposition2Metrics(row.theta!, handPart, opt).nonSepDistance);
      // t·dist(t)/log t stays within [0.2, 3] from 10² to 10⁵
      for (let k = 0; k < at.length; k++) {
        const s = (at[k]! * dist[k]!) / Math.log(at[k]!);
        expect(s).toBeGreaterThan(0.2);
        expect(s).toBeLessThan(3);
      }
    }
  });
});

describe('end to end with separablePartition', () => {
  it('the LP partition of the hand set gives the same θ̃(w), γ_sep and direction as the known partition', async () => {
    await ready();
    const part = separablePartitionSync(handData);
    expect(Array.from(part.separable)).toEqual([0, 1, 2]);
    expect(Array.from(part.nonSeparable)).toEqual([3, 4, 5]);
    expect(part.rank).toBe(1);
    const w = [2, 1, 0.5, 1, 3, 0.25];
    const a = nonSeparableOptimum(handData, part, { weights: w });
    const b = nonSeparableOptimum(handData, handPart, { weights: w });
    for (let j = 0; j < 3; j++) {
      expect(a.theta[j]).toBeCloseTo(b.theta[j]!, 10);
      expect(a.sepDirection![j]).toBeCloseTo(b.sepDirection![j]!, 8);
    }
    expect(a.gammaSep).toBeCloseTo(b.gammaSep!, 8);
  });
});
