/**
 * Proposition 2 of Xu, Ye & Ruan (ICLR 2021) end to end: the partition comes from the LP
 * (`separablePartitionSync`), θ̃(w) from `nonSeparableOptimum`, and the trajectory from `trainWeighted`
 * with its `proposition2` metrics — on random non-separable data in ℝ⁴ and on the Figure 1b set.
 *
 * References that do not come from the code under test: the partition known by construction (a core
 * separated by a direction of S⊥, contradicting pairs (a·v, ℓ), (b·v, −ℓ) spanning S), a central finite
 * difference of `weightedRisk`, and a long GD run.
 *
 * Then `trainWeighted`'s `proposition2` option itself: the recorded Proposition 2 metrics equal
 * `proposition2Metrics` and `proposition2Rate` evaluated on the recorded `theta` rows (a second reference
 * for the distance: `projectNonSep`, a different projection routine), and bad options fail with INVALID_INPUT.
 */

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../src/datasets/dataset.js';
import { datasets } from '../../src/datasets/index.js';
import type { Dataset } from '../../src/datasets/types.js';
import { gd } from '../../src/gd/optimizers/gd.js';
import { trainWeighted } from '../../src/gd/train/trainWeighted.js';
import { exponential } from '../../src/losses/exponential.js';
import { weightedRisk } from '../../src/losses/weightedRisk.js';
import { angle } from '../../src/metrics/angle.js';
import { proposition2Metrics, proposition2Rate } from '../../src/metrics/proposition2.js';
import { linear } from '../../src/models/linear.js';
import { ready } from '../../src/svm/lp/index.js';
import {
  nonSeparableOptimum,
  type PartitionSubspaces,
  projectNonSep,
  projectSep,
  type SeparablePartition,
  separablePartition,
  separablePartitionSync,
} from '../../src/svm/partition/index.js';

beforeAll(async () => {
  await ready();
});

const M = 3;
const at = [100, 1000, 10_000, 100_000];

/** Householder reflection Q = I − 2vvᵀ/‖v‖² applied to a row vector x. */
function reflect(v: readonly number[], x: readonly number[]): number[] {
  const vv = v.reduce((s, a) => s + a * a, 0);
  const vx = v.reduce((s, a, j) => s + a * x[j]!, 0);
  return x.map((a, j) => a - (2 * vx * v[j]!) / vv);
}

/** The weighted risk (1/n) Σ wᵢ e^{−yᵢθᵀxᵢ} over all points, straight from `weightedRisk`. */
function risk(data: Dataset, w: ArrayLike<number>, theta: ArrayLike<number>): number {
  const u = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += theta[j]! * data.X[i * data.d + j]!;
    u[i] = data.y[i]! * s;
  }
  return weightedRisk(exponential, u, w);
}

function run(data: Dataset, weights: ArrayLike<number>, partition: SeparablePartition, steps = 100_000) {
  const optimum = nonSeparableOptimum(data, partition, { weights });
  const result = trainWeighted({
    data,
    steps,
    weights,
    optimizer: gd({ lr: 0.1 }),
    init: new Float64Array(data.d),
    proposition2: { partition, optimum },
    record: {
      at: at.filter((t) => t <= steps),
      metrics: ['theta', 'nonSepDistance', 'sepAngle', 'sepNorm', 'proposition2Rate'],
    },
  });
  return { optimum, rows: result.history.filter((r) => r.step > 0), theta: result.theta };
}

describe('Proposition 2 through the LP partition, random data in ℝ⁴', () => {
  /**
   * In the frame (e₁, e₂ | e₃, e₄), reflected by a random Householder Q so nothing is axis-aligned:
   * a core with yᵢxᵢ = (u₁, u₂, s₃, s₄), u₁ ≥ 0.2 (so e₁ separates it inside S⊥ = span{e₁, e₂}, and the
   * max-margin direction in that plane is a genuine 2-D question), arbitrary S components; and the
   * non-separable part: contradicting pairs (a·v, ℓ), (b·v, −ℓ) — the same direction with opposite labels,
   * as in Figure 3 — along v = e₃ and, when r = 2, along v = (0, 0, cos φ, sin φ), φ ∈ [π/4, 3π/4].
   * ‖x‖ ≤ 2 and w ∈ [1/3, 3] keep lr = 0.1 below 2/β at θ = 0.
   */
  const arb = fc.record({
    core: fc.array(
      fc.record({
        u1: fc.double({ min: 0.2, max: 1, noNaN: true }),
        u2: fc.double({ min: -1, max: 1, noNaN: true }),
        s3: fc.double({ min: -1, max: 1, noNaN: true }),
        s4: fc.double({ min: -1, max: 1, noNaN: true }),
        y: fc.constantFrom(-1, 1),
      }),
      { minLength: 2, maxLength: 5 },
    ),
    pairs: fc.array(
      fc.record({
        a: fc.double({ min: 0.3, max: 1, noNaN: true }),
        b: fc.double({ min: 0.3, max: 1, noNaN: true }),
        l: fc.constantFrom(-1, 1),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    phi: fc.double({ min: Math.PI / 4, max: (3 * Math.PI) / 4, noNaN: true }),
    v: fc.tuple(
      fc.double({ min: 0.5, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
    ),
    logW: fc.array(fc.double({ min: -Math.log(M), max: Math.log(M), noNaN: true }), {
      minLength: 9,
      maxLength: 9,
    }),
    k: fc.double({ min: 1.5, max: M, noNaN: true }),
  });

  type Case = typeof arb extends fc.Arbitrary<infer T> ? T : never;

  function build(c: Case) {
    const X: number[][] = [];
    const y: number[] = [];
    for (const p of c.core) {
      X.push(reflect(c.v, [p.y * p.u1, p.y * p.u2, p.y * p.s3, p.y * p.s4]));
      y.push(p.y);
    }
    const r = c.pairs.length;
    c.pairs.forEach((p, k) => {
      const dir = k === 0 ? [0, 0, 1, 0] : [0, 0, Math.cos(c.phi), Math.sin(c.phi)];
      X.push(
        reflect(
          c.v,
          dir.map((t) => p.a * t),
        ),
      );
      X.push(
        reflect(
          c.v,
          dir.map((t) => p.b * t),
        ),
      );
      y.push(p.l, -p.l);
    });
    const data = dataset(X, y);
    const w = c.logW.slice(0, data.n).map(Math.exp);
    // class reweighting: the +1 class's weights times k
    const wk = w.map((wi, i) => (data.y[i]! > 0 ? wi * c.k : wi));
    return { data, nSep: c.core.length, r, w, wk };
  }

  it('separablePartitionSync(data) finds the planted partition; GD under any w ∈ [1/3, 3]: Π_non-sep θ(t) → θ̃(w) from nonSeparableOptimum, Π_sep θ(t) turns toward the w-independent D_sep direction, and class weights move θ̃(w)', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const { data, nSep, r, w, wk } = build(c);
        const partition = separablePartitionSync(data);
        // the LP finds the construction's partition: the core, and the pairs spanning S (rank r)
        expect(Array.from(partition.separable)).toEqual(Array.from({ length: nSep }, (_, i) => i));
        expect(partition.rank).toBe(r);

        const a = run(data, w, partition);
        const b = run(data, wk, partition);
        for (const { optimum, rows } of [a, b]) {
          const dist = rows.map((row) => row.nonSepDistance!);
          // Π_non-sep θ(t) → θ̃(w): the distance shrinks across decades. Not monotonically: the decaying
          // transient and the D_sep points' push (opposite signs) can cancel once, making one intermediate
          // value small (e.g. 2.6e-5 at 10⁴, then 1.5e-5 at 10⁵ on a sample of this arbitrary), so compare with the larger of
          // the two previous decades. (+1e-12: without S components in the core the distance reaches rounding.)
          expect(dist[3]!).toBeLessThanOrEqual(Math.max(dist[1]!, dist[2]!) / 3 + 1e-12);
          expect(dist[3]!).toBeLessThanOrEqual(dist[0]! / 10 + 1e-12);
          // "ends small" relative to the recorded rate, the proved log t/(γ_sep √t): an absolute bound does not
          // hold (dist(10⁵) = 0.114 with γ_sep = 0.2 and a core point with S component 0.84, FC_SEED=2); the
          // constant is data-dependent (docs/nonseparable.md); against the stated (log² t/γ_sep)/t too
          expect(dist[3]! / rows[3]!.proposition2Rate!).toBeLessThan(5);
          expect(
            dist[3]! / proposition2Rate(rows[3]!.step, optimum.gammaSep!, { form: 'stated' }),
          ).toBeLessThan(50);
          // the S⊥ part points toward the D_sep max-margin direction (O(1/log t), not monotone)
          expect(rows[3]!.sepAngle!).toBeLessThan(0.6);
          // the recorded θ agrees with the recorded metrics through projectNonSep/projectSep
          const pn = projectNonSep(new Float64Array(4), partition, rows[3]!.theta!);
          const ps = projectSep(new Float64Array(4), partition, rows[3]!.theta!);
          expect(Math.hypot(...pn.map((t, j) => t - optimum.theta[j]!))).toBeCloseTo(dist[3]!, 12);
          expect(angle(ps, optimum.sepDirection!)).toBeCloseTo(rows[3]!.sepAngle!, 8);
        }
        // the limit direction is the same for both weightings (the SVM of D_sep in S⊥ ignores w) …
        for (let j = 0; j < 4; j++)
          expect(a.optimum.sepDirection![j]).toBeCloseTo(b.optimum.sepDirection![j]!, 10);
        expect(a.optimum.gammaSep).toBeCloseTo(b.optimum.gammaSep!, 10);
        // … and GD's two S⊥ parts point nearly the same way (closer to each other than to the limit, or both close)
        const psA = projectSep(new Float64Array(4), partition, a.theta);
        const psB = projectSep(new Float64Array(4), partition, b.theta);
        const between = angle(psA, psB);
        expect(between).toBeLessThan(0.6);
        // θ̃ moves with the class weights (both classes occur in every pair), and GD follows it: the two
        // runs' S parts are further apart than each is from its own θ̃
        const shift = Math.hypot(...a.optimum.theta.map((t, j) => t - b.optimum.theta[j]!));
        expect(shift).toBeGreaterThan(0.1);
        const pnA = projectNonSep(new Float64Array(4), partition, a.theta);
        const pnB = projectNonSep(new Float64Array(4), partition, b.theta);
        const gdShift = Math.hypot(...pnA.map((t, j) => t - pnB[j]!));
        expect(Math.abs(gdShift - shift)).toBeLessThan(
          a.rows[3]!.nonSepDistance! + b.rows[3]!.nonSepDistance! + 1e-12,
        );
      }),
      { numRuns: 10 },
    );
  }, 60_000);

  it('nonSeparableOptimum(data, partition, { weights }): scaling one class leaves θ̃ unchanged when D_non-sep has one label', () => {
    // the pairs written with one label: (a·v, ℓ), (−b·v, ℓ) — the same signed points as above, so the same
    // D_sep, S and θ̃(w); scaling every weight of class ℓ scales L_non-sep, and θ̃ does not move
    fc.assert(
      fc.property(arb, (c) => {
        const { data, w } = build(c);
        const X: number[][] = [];
        const y: number[] = [];
        for (let i = 0; i < data.n; i++) {
          const row = Array.from(data.X.subarray(i * 4, i * 4 + 4));
          const flip = i >= c.core.length && data.y[i] !== c.pairs[0]!.l;
          X.push(flip ? row.map((t) => -t) : row);
          y.push(flip ? -data.y[i]! : data.y[i]!);
        }
        const same = dataset(X, y);
        const partition = separablePartitionSync(same);
        const l = c.pairs[0]!.l;
        const scaled = w.map((wi, i) => (same.y[i] === l ? wi * c.k : wi));
        const o1 = nonSeparableOptimum(same, partition, { weights: w });
        const o2 = nonSeparableOptimum(same, partition, { weights: scaled });
        const o0 = nonSeparableOptimum(data, separablePartitionSync(data), { weights: w });
        for (let j = 0; j < 4; j++) {
          expect(o2.theta[j]).toBeCloseTo(o1.theta[j]!, 9);
          expect(o1.theta[j]).toBeCloseTo(o0.theta[j]!, 9);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('Figure 1b (datasets.nonSeparable): D_sep = ∅, so θ̃(w) is the weighted ERM minimizer', () => {
  it('nonSeparableOptimum(figure1b, separablePartitionSync(figure1b), { weights }) has a zero finite-difference gradient of the full weighted risk, and GD converges to it', () => {
    const data = datasets.nonSeparable({ seed: 0 });
    const partition = separablePartitionSync(data);
    expect(partition.separable.length).toBe(0);
    expect(partition.rank).toBe(2);
    for (const w of [
      Array.from({ length: data.n }, () => 1),
      Array.from(data.y, (yi) => (yi > 0 ? 3 : 1 / 3)),
    ]) {
      const optimum = nonSeparableOptimum(data, partition, { weights: w });
      expect(optimum.gammaSep).toBeNull();
      expect(optimum.sepDirection).toBeNull();
      // the risk on D_non-sep is the whole risk here
      expect(optimum.risk).toBeCloseTo(risk(data, w, optimum.theta), 14);
      // ∇L(θ̃) = 0 by central differences of weightedRisk, and θ̃ is a minimum along each axis
      const h = 1e-5;
      const L0 = risk(data, w, optimum.theta);
      for (let j = 0; j < 2; j++) {
        const p = Float64Array.from(optimum.theta);
        const m = Float64Array.from(optimum.theta);
        p[j] = p[j]! + h;
        m[j] = m[j]! - h;
        const Lp = risk(data, w, p);
        const Lm = risk(data, w, m);
        expect(Math.abs((Lp - Lm) / (2 * h))).toBeLessThan(1e-9);
        expect(Lp).toBeGreaterThan(L0);
        expect(Lm).toBeGreaterThan(L0);
      }
      // a long GD run lands on θ̃ (strongly convex: linear convergence), recorded by the proposition2 metrics
      const { rows, theta } = run(data, w, partition, 5000);
      const dist = rows.map((r) => r.nonSepDistance!);
      expect(dist[1]!).toBeLessThan(dist[0]! / 10);
      expect(dist.at(-1)!).toBeLessThan(1e-10);
      expect(Math.hypot(theta[0]! - optimum.theta[0]!, theta[1]! - optimum.theta[1]!)).toBeLessThan(1e-10);
      for (const r of rows) {
        expect(r.sepNorm!).toBeLessThan(1e-12); // S⊥ = {0}
        expect(r.sepAngle).toBeNull();
        expect(r.proposition2Rate).toBeNull();
      }
    }
  });

  it('θ̃(w) on Figure 1b moves with the class weights: up-weighting +1 raises the mean +1 margin', () => {
    const data = datasets.nonSeparable({ seed: 1 });
    const partition = separablePartitionSync(data);
    const meanMargin = (theta: Float64Array, cls: number) => {
      let s = 0;
      let c = 0;
      for (let i = 0; i < data.n; i++) {
        if (data.y[i] !== cls) continue;
        s += data.y[i]! * (theta[0]! * data.X[2 * i]! + theta[1]! * data.X[2 * i + 1]!);
        c++;
      }
      return s / c;
    };
    let prev = Number.NEGATIVE_INFINITY;
    for (const k of [1 / 3, 1, 3]) {
      const w = Array.from(data.y, (yi) => (yi > 0 ? k : 1));
      const t = nonSeparableOptimum(data, partition, { weights: w }).theta;
      const m = meanMargin(t, 1);
      expect(m).toBeGreaterThan(prev);
      prev = m;
    }
  });
});

describe('trainWeighted({ proposition2 })', () => {
  it('trainWeighted({ proposition2: { partition, optimum } }) records nonSepDistance, sepAngle, sepNorm and proposition2Rate equal to proposition2Metrics on the recorded θ', async () => {
    const data = datasets.partitioned({ nSep: 12, nNonSep: 6, d: 4, seed: 3 });
    const partition = await separablePartition(data);
    expect(Array.from(partition.separable)).toEqual(Array.from(data.knownSeparable));
    const weights = Array.from({ length: data.n }, (_, i) => 0.5 + (i % 3) * 0.75);
    const optimum = nonSeparableOptimum(data, partition, { weights });
    const run = trainWeighted({
      data,
      steps: 3000,
      weights,
      optimizer: gd({ lr: 0.05 }),
      proposition2: { partition, optimum },
      record: {
        points: 12,
        metrics: ['theta', 'nonSepDistance', 'sepAngle', 'sepNorm', 'proposition2Rate'],
      },
    });
    expect(run.history.length).toBeGreaterThan(8);
    for (const row of run.history) {
      const ref = proposition2Metrics(row.theta!, partition, optimum);
      expect(row.nonSepDistance).toBe(ref.nonSepDistance);
      expect(row.sepAngle).toBe(ref.sepAngle);
      expect(row.sepNorm).toBe(ref.sepNorm);
      expect(row.proposition2Rate).toBe(
        row.step === 0 ? null : proposition2Rate(row.step, optimum.gammaSep!),
      );
      // an independent projection: ‖projectNonSep(θ) − θ̃‖
      const a = projectNonSep(new Float64Array(data.d), partition, row.theta!);
      const dist = Math.hypot(...a.map((v, j) => v - optimum.theta[j]!));
      expect(Math.abs(row.nonSepDistance! - dist)).toBeLessThan(1e-12 * (1 + dist));
    }
    expect(run.history[1]!.step).toBe(1);
    expect(run.history[1]!.proposition2Rate).toBe(0); // log 1 = 0
    // the run moves toward θ̃
    expect(run.history.at(-1)!.nonSepDistance!).toBeLessThan(run.history[0]!.nonSepDistance!);
  });

  it('trainWeighted({ proposition2 }) records the four metrics by default; sepAngle and the rate are null when D_sep = ∅', async () => {
    await ready();
    // every point non-separable: (1, 0) and (−1, 0) both +1, (0, 1) and (0, −2) both −1
    const data = dataset(
      [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -2],
      ],
      [1, 1, -1, -1],
    );
    const partition = await separablePartition(data);
    expect(partition.separable.length).toBe(0);
    const optimum = nonSeparableOptimum(data, partition);
    const run = trainWeighted({
      data,
      steps: 50,
      proposition2: { partition, optimum },
      record: { at: [10] },
    });
    for (const row of run.history) {
      expect(row.nonSepDistance).toBeGreaterThanOrEqual(0);
      expect(row.sepNorm).toBeLessThan(1e-12); // S = ℝ²
      expect(row.sepAngle).toBeNull();
      expect(row.proposition2Rate).toBeNull();
      expect(row.margin).toBeDefined(); // the usual defaults stay
    }
  });

  it('trainWeighted({ proposition2 }) rejects bad options with INVALID_INPUT naming the option', () => {
    const data = dataset(
      [
        [1, 0],
        [0.5, 1],
        [-0.3, -2],
        [0, 1],
        [0, -1],
      ],
      [1, 1, -1, 1, 1],
    );
    // S = span{e₂} (the pair (0, ±1), both +1), D_sep = {0, 1, 2}
    const partition: PartitionSubspaces = {
      separable: Int32Array.of(0, 1, 2),
      nonSeparable: Int32Array.of(3, 4),
      nonSepBasis: Float64Array.of(0, 1),
      sepBasis: Float64Array.of(1, 0),
      rank: 1,
    };
    const optimum = nonSeparableOptimum(data, partition);
    expect(optimum.theta[1]).toBeCloseTo(0, 12);
    const cases: [object, RegExp][] = [
      [{ proposition2: 1 }, /trainWeighted: proposition2 must be an object, got 1/],
      [{ proposition2: { partition, optimum, x: 1 } }, /x is not a known option/],
      [{ proposition2: { optimum } }, /proposition2.partition must be a SeparablePartition/],
      [
        { proposition2: { partition: { ...partition, separable: Int32Array.of(0, 1) }, optimum } },
        /proposition2.partition must cover all 5 points/,
      ],
      [
        { proposition2: { partition: { ...partition, sepBasis: Float64Array.of(1, 1) }, optimum } },
        /proposition2.partition bases are not orthonormal/,
      ],
      [{ proposition2: { partition } }, /proposition2.optimum must be an object/],
      [
        { proposition2: { partition, optimum: { ...optimum, theta: [0, Number.NaN] } } },
        /proposition2.optimum.theta\[1\] must be finite/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, theta: [1, 0] } } },
        /proposition2.optimum.theta must lie in S/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, sepDirection: [0, 1] } } },
        /proposition2.optimum.sepDirection must lie in S⊥/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, sepDirection: null } } },
        /proposition2.optimum.sepDirection must be/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, gammaSep: 0 } } },
        /proposition2.optimum.gammaSep must be a finite number > 0, got 0/,
      ],
      [{ record: { metrics: ['sepAngle'] } }, /proposition2 is required to record sepAngle/],
      [{ model: { ...linear(2), size: 3 }, proposition2: { partition, optimum } }, /needs a linear model/],
    ];
    for (const [extra, msg] of cases) {
      let err: { code?: string; message?: string } = {};
      try {
        trainWeighted({ data, steps: 5, ...extra } as never);
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.code, String(msg)).toBe('INVALID_INPUT');
      expect(err.message, String(msg)).toMatch(msg);
    }
    // and with D_sep = ∅ the SVM fields must be null
    const allNon = dataset(
      [
        [1, 0],
        [-1, 0],
      ],
      [1, 1],
    );
    const pAll: PartitionSubspaces = {
      separable: new Int32Array(0),
      nonSeparable: Int32Array.of(0, 1),
      nonSepBasis: Float64Array.of(1, 0),
      sepBasis: Float64Array.of(0, 1),
      rank: 1,
    };
    expect(() =>
      trainWeighted({
        data: allNon,
        steps: 1,
        proposition2: {
          partition: pAll,
          optimum: { theta: Float64Array.of(0, 0), sepDirection: null, gammaSep: 1 },
        },
      }),
    ).toThrow(/proposition2.optimum.gammaSep must be null when D_sep = ∅/);
  });
});
