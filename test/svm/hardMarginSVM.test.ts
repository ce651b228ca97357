import fc from 'fast-check';
import { solveQP } from 'quadprog';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/datasets/types.js';
import { hardMarginSVM } from '../../src/svm/index.js';
import { lcg, rawDataset } from '../helpers/index.js';
import { checkCertificates, dotv, margins, normv, rowsOf } from '../helpers/svmCertificates.js';

// ---------------------------------------------------------------------------------------------------
// Helpers, all independent of the code under test.

/** Gaussian elimination with partial pivoting; null when a pivot is (numerically) zero. */
function gaussSolve(A: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const M = A.map((row, i) => [...row, rhs[i]!]);
  const scale = Math.max(1e-300, ...A.flat().map(Math.abs));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (Math.abs(M[p]![c]!) < 1e-10 * scale) return null;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

/**
 * Reference 1 — brute force over support sets (n ≤ 10): for every subset S solve the equality KKT system
 * (Σ_{j∈S} yᵢyⱼxᵢᵀxⱼ αⱼ + yᵢb = 1 for i ∈ S, plus Σ αⱼyⱼ = 0 with bias), keep the solutions with α ≥ 0
 * that are primal feasible: any such point satisfies the KKT conditions, hence is optimal (convexity).
 */
function bruteForceSVM(data: Dataset, bias: boolean): { gamma: number; w: number[]; b: number } {
  const y = Array.from(data.y);
  const { n, d } = data;
  // With bias, work on centered data (translation only moves b: b_raw = b − wᵀx̄), which keeps the
  // systems well conditioned for data far from the origin.
  // Then scale to max norm 1 (w ↦ s·w, b and p unchanged) so that one absolute pivot tolerance fits all.
  const mean = new Array<number>(d).fill(0);
  if (bias) {
    for (const x of rowsOf(data)) {
      for (let j = 0; j < d; j++) mean[j]! += x[j]! / n;
    }
  }
  const centered = rowsOf(data).map((x) => x.map((v, j) => v - mean[j]!));
  const s = Math.max(...centered.map(normv));
  const X = centered.map((x) => x.map((v) => v / s));
  let best: { gamma: number; w: number[]; b: number; violation: number } | null = null;
  for (let mask = 1; mask < 1 << n; mask++) {
    const S = [...Array(n).keys()].filter((i) => mask & (1 << i));
    if (bias && (S.every((i) => y[i] === 1) || S.every((i) => y[i] === -1))) continue;
    const k = S.length;
    const A = S.map((i) => S.map((j) => y[i]! * y[j]! * dotv(X[i]!, X[j]!)));
    const rhs = S.map(() => 1);
    if (bias) {
      A.forEach((row, a) => {
        row.push(y[S[a]!]!);
      });
      A.push([...S.map((i) => y[i]!), 0]);
      rhs.push(0);
    }
    const sol = gaussSolve(A, rhs);
    if (sol === null) continue;
    const alpha = sol.slice(0, k);
    const b = bias ? sol[k]! : 0;
    if (alpha.some((a) => a < -1e-12)) continue;
    const w = new Array<number>(d).fill(0);
    S.forEach((i, a) => {
      for (let j = 0; j < d; j++) w[j]! += alpha[a]! * y[i]! * X[i]![j]!;
    });
    const m = X.map((x, i) => y[i]! * (dotv(w, x) + b));
    if (m.some((v) => v < 1 - 1e-9)) continue;
    if (S.some((i) => Math.abs(m[i]! - 1) > 1e-9)) continue;
    // Every such point satisfies the KKT conditions up to rounding; keep the least infeasible one.
    const violation = Math.max(0, ...m.map((v) => 1 - v));
    if (best === null || violation < best.violation) best = { gamma: 1 / normv(w), w, b, violation };
  }
  if (best === null) throw new Error('brute force found no KKT point');
  const w = best.w.map((v) => v / s);
  return { gamma: best.gamma * s, w, b: best.b - dotv(w, mean) };
}

/**
 * Reference 2 — quadprog on a different formulation, in ℝᵈ (no basis, no scaling, no polish): bias-free,
 * min ½‖w‖² s.t. yᵢwᵀxᵢ ≥ 1; with bias, b eliminated through all pairs: min ½‖w‖² s.t.
 * wᵀ(xᵢ − xⱼ) ≥ 2 for every yᵢ = +1, yⱼ = −1 (⇔ ∃b: yₖ(wᵀxₖ + b) ≥ 1 ∀k). Returns γ* = 1/‖w‖, or
 * null if quadprog stalls on this formulation or returns NaN (it does on subnormal entries).
 */
function quadprogReferenceGamma(data: Dataset, bias: boolean): number | null {
  const X = rowsOf(data);
  const y = Array.from(data.y);
  const { d } = data;
  const cons: { a: number[]; c: number }[] = [];
  if (!bias) {
    X.forEach((x, i) => {
      cons.push({ a: x.map((v) => y[i]! * v), c: 1 });
    });
  } else {
    X.forEach((xi, i) => {
      if (y[i] !== 1) return;
      X.forEach((xj, j) => {
        if (y[j] !== -1) return;
        cons.push({ a: xi.map((v, t) => v - xj[t]!), c: 2 });
      });
    });
  }
  const Dmat = [
    [0],
    ...Array.from({ length: d }, (_, i) => [0, ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]),
  ];
  const dvec = new Array<number>(d + 1).fill(0);
  const Amat = [[0], ...Array.from({ length: d }, (_, j) => [0, ...cons.map((k) => k.a[j]!)])];
  const bvec = [0, ...cons.map((k) => k.c)];
  // quadprog can stall on redundant constraints (the pair formulation has many): count its iterations
  // through reads of bvec[1] and give up (null) past a generous budget.
  let budget = 50 * (cons.length + d) + 500;
  const b1 = bvec[1];
  Object.defineProperty(bvec, 1, {
    get() {
      if (--budget < 0) throw new Error('reference stalled');
      return b1;
    },
  });
  try {
    const res = solveQP(Dmat, dvec, Amat, bvec, 0, [0, 0]);
    if (res.message !== '') throw new Error(`reference QP failed: ${res.message}`);
    const gamma = 1 / normv(res.solution.slice(1));
    return Number.isFinite(gamma) ? gamma : null; // raw quadprog returns NaN on subnormal data
  } catch (e) {
    if ((e as Error).message === 'reference stalled') return null;
    throw e;
  }
}

interface Planted {
  data: Dataset;
  /** The planted separator's margin min yᵢ(uᵀxᵢ + b₀), ‖u‖ = 1: a lower bound on γ*. */
  plantedMargin: number;
}

/**
 * Data separable by construction: raw points vᵢ, a unit direction u, offset b₀ (0 without bias) and a
 * margin m₀; xᵢ = vᵢ − (uᵀvᵢ)u + (yᵢ(m₀ + |uᵀvᵢ|) − b₀)u, so yᵢ(uᵀxᵢ + b₀) = m₀ + |uᵀvᵢ|. Then optional
 * rank deficiency (a duplicated column and a zero column), a global scale and (with bias) a translation.
 */
function planted(
  raw: number[][],
  dir: number[],
  labels: boolean[],
  m0: number,
  b0: number,
  scale: number,
  shift: number,
  embed: boolean,
): Planted {
  const d = dir.length;
  const nu = normv(dir);
  const u = nu > 0.1 ? dir.map((v) => v / nu) : dir.map((_, j) => (j === 0 ? 1 : 0));
  const rows: number[][] = [];
  const y: number[] = [];
  raw.forEach((v, i) => {
    const yi = labels[i] ? 1 : -1;
    const t = dotv(u, v);
    const target = yi * (m0 + Math.abs(t)) - b0;
    let x = v.map((vj, j) => vj + (target - t) * u[j]!);
    x = x.map((xj) => scale * xj + shift);
    if (embed) x = [...x, x[0]! + 2 * x[d - 1]!, 0];
    rows.push(x);
    y.push(yi);
  });
  const data = rawDataset(rows, y);
  // The planted separator, transformed: for x' = s·x + shift·1, u'ᵀx' + b' with u' = (u, 0, 0)/1 and
  // b' = s·b₀ − shift·Σu has margin s·(m₀ + |uᵀv|); normalized by ‖u'‖ = 1.
  const uu = embed ? [...u, 0, 0] : u;
  const bb = scale * b0 - shift * u.reduce((s, v) => s + v, 0);
  const plantedMargin = Math.min(...margins(data, uu, bb));
  return { data, plantedMargin };
}

const pointArb = (d: number) =>
  fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d });

const plantedArb = (bias: boolean, maxN: number) =>
  fc
    .record({ d: fc.integer({ min: 1, max: 5 }), n: fc.integer({ min: bias ? 2 : 1, max: maxN }) })
    .chain(({ d, n }) =>
      fc.record({
        raw: fc.array(pointArb(d), { minLength: n, maxLength: n }),
        dir: pointArb(d),
        labels: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        m0: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        b0: bias ? fc.double({ min: -1, max: 1, noNaN: true }) : fc.constant(0),
        scale: fc.constantFrom(1, 1e-3, 1e3),
        shift: bias ? fc.constantFrom(0, 10, -1000) : fc.constant(0),
        embed: fc.boolean(),
      }),
    )
    .map(({ raw, dir, labels, m0, b0, scale, shift, embed }) => {
      if (bias) {
        labels[0] = true; // both classes present
        labels[1] = false;
      }
      return planted(raw, dir, labels, m0, b0, scale, shift, embed);
    });

// ---------------------------------------------------------------------------------------------------

describe('hardMarginSVM', () => {
  it('hardMarginSVM(data) solves two points with support p* = (1/5, 4/5) exactly', () => {
    // max min(2θ₁, θ₂) on the unit circle: θ* = (1, 2)/√5, γ* = 2/√5; min_p ‖(2p, 1 − p)‖ at p = 1/5.
    const res = hardMarginSVM(
      rawDataset(
        [
          [2, 0],
          [0, 1],
        ],
        [1, 1],
      ),
    );
    expect(res.theta[0]).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(res.theta[1]).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(res.gamma).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(res.bias).toBe(0);
    expect(res.dual[0]).toBeCloseTo(0.2, 12);
    expect(res.dual[1]).toBeCloseTo(0.8, 12);
    expect(Array.from(res.support)).toEqual([0, 1]);
  });

  it('hardMarginSVM(data) solves a 3-support-vector case in ℝ³ exactly (θ* = (6, 3, 2)/7)', () => {
    // yᵢxᵢ = (1,0,0), (0,2,0), (0,0,3): pᵢ ∝ 1/aᵢ², p* = (36, 9, 4)/49, γ* = 6/7, θ* = (6, 3, 2)/7.
    const data = rawDataset(
      [
        [1, 0, 0],
        [0, -2, 0],
        [0, 0, 3],
        [2, 0, 3], // not a support vector: margin (12 + 6)/7
      ],
      [1, -1, 1, 1],
    );
    const res = hardMarginSVM(data);
    [6 / 7, 3 / 7, 2 / 7].forEach((v, j) => {
      expect(res.theta[j]).toBeCloseTo(v, 12);
    });
    expect(res.gamma).toBeCloseTo(6 / 7, 12);
    [36 / 49, 9 / 49, 4 / 49, 0].forEach((v, i) => {
      expect(res.dual[i]).toBeCloseTo(v, 12);
    });
    expect(Array.from(res.support)).toEqual([0, 1, 2]);
    expect(Array.from(res.active)).toEqual([0, 1, 2]);
  });

  it('hardMarginSVM(data, { bias: true }) solves a 3-support-vector case with bias exactly', () => {
    // (0,0) vs the segment (2,0)–(0,2): nearest points (0,0) and (1,1), γ* = √2/2, θ* = (1,1)/√2,
    // b* = −√2/2; canonical w = (1,1), b = −1, α = (1, ½, ½) → p* = (½, ¼, ¼).
    const data = rawDataset(
      [
        [0, 0],
        [2, 0],
        [0, 2],
        [3, 3],
        [-1, -1],
      ],
      [-1, 1, 1, 1, -1],
    );
    const res = hardMarginSVM(data, { bias: true });
    expect(res.theta[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(res.theta[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(res.bias).toBeCloseTo(-Math.SQRT1_2, 12);
    expect(res.gamma).toBeCloseTo(Math.SQRT1_2, 12);
    [0.5, 0.25, 0.25, 0, 0].forEach((v, i) => {
      expect(res.dual[i]).toBeCloseTo(v, 12);
    });
    expect(Array.from(res.support)).toEqual([0, 1, 2]);
    // Translating the data only moves the bias: b ↦ b − θᵀc.
    const c = [1000, -500];
    const shifted = rawDataset(
      rowsOf(data).map((x) => x.map((v, j) => v + c[j]!)),
      Array.from(data.y),
    );
    const res2 = hardMarginSVM(shifted, { bias: true });
    expect(res2.theta[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(res2.theta[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(res2.bias).toBeCloseTo(-Math.SQRT1_2 - Math.SQRT1_2 * (c[0]! + c[1]!), 9);
    expect(Math.abs(res2.gamma / Math.SQRT1_2 - 1)).toBeLessThan(1e-12);
  });

  it('hardMarginSVM(data, { bias: true }) solves two points: θ* = (1, 0), b* = −2, p* = (½, ½)', () => {
    const res = hardMarginSVM(
      rawDataset(
        [
          [3, 1],
          [1, 1],
        ],
        [1, -1],
      ),
      { bias: true },
    );
    expect(res.theta[0]).toBeCloseTo(1, 12);
    expect(res.theta[1]).toBeCloseTo(0, 12);
    expect(res.bias).toBeCloseTo(-2, 12);
    expect(res.gamma).toBeCloseTo(1, 12);
    expect(res.dual[0]).toBeCloseTo(0.5, 12);
    expect(res.dual[1]).toBeCloseTo(0.5, 12);
  });

  it('hardMarginSVM(data) handles degenerate support sets (more active points than dimensions)', () => {
    // yᵢxᵢ = (1, tᵢ): all five lie on θ₁ = 1, so θ* = (1, 0), γ* = 1, and p* is any p with Σpᵢtᵢ = 0.
    const ts = [-1, -0.5, 0, 0.5, 1];
    const data = rawDataset(
      ts.map((t, i) => (i % 2 === 0 ? [1, t] : [-1, -t])),
      ts.map((_, i) => (i % 2 === 0 ? 1 : -1)),
    );
    const res = hardMarginSVM(data);
    expect(res.theta[0]).toBeCloseTo(1, 12);
    expect(res.theta[1]).toBeCloseTo(0, 12);
    expect(res.gamma).toBeCloseTo(1, 12);
    expect(res.active.length).toBe(5);
    checkCertificates(data, res, false);
    // Duplicated points, and collinear points with bias.
    const dup = rawDataset(
      [
        [1, 2],
        [1, 2],
        [1, 2],
        [-1, 0],
        [-1, 0],
      ],
      [1, 1, 1, -1, -1],
    );
    const r2 = hardMarginSVM(dup, { bias: true });
    checkCertificates(dup, r2, true);
    expect(r2.gamma).toBeCloseTo(Math.sqrt(8) / 2, 12); // half the distance between (1,2) and (−1,0)
    const line = rawDataset(
      [
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      [-1, -1, 1, 1],
    );
    const r3 = hardMarginSVM(line, { bias: true });
    expect(r3.rank).toBe(1);
    expect(r3.gamma).toBeCloseTo(Math.SQRT2 / 2, 12);
    checkCertificates(line, r3, true);
  });

  it('hardMarginSVM(data) works in the span of the data when d > n (rank-deficient X)', () => {
    // Three points in ℝ⁶ spanning a 2-D subspace.
    const data = rawDataset(
      [
        [1, 1, 0, 0, 0, 0],
        [0, 0, 1, 1, 0, 0],
        [1, 1, 1, 1, 0, 0],
      ],
      [1, 1, 1],
    );
    const res = hardMarginSVM(data);
    expect(res.rank).toBe(2);
    // yᵢxᵢ = a, b, a + b with a ⊥ b, ‖a‖ = ‖b‖ = √2: θ* = (a + b)/2, γ* = 1.
    [0.5, 0.5, 0.5, 0.5, 0, 0].forEach((v, j) => {
      expect(res.theta[j]).toBeCloseTo(v, 12);
    });
    expect(res.gamma).toBeCloseTo(1, 12);
    checkCertificates(data, res, false);
  });

  it('hardMarginSVM(data) meets KKT, duality-gap and planted-margin certificates on random separable data', () => {
    fc.assert(
      fc.property(plantedArb(false, 30), ({ data, plantedMargin }) => {
        const res = hardMarginSVM(data);
        const tolEval = checkCertificates(data, res, false);
        expect(res.gamma).toBeGreaterThanOrEqual(plantedMargin * (1 - tolEval));
      }),
      { numRuns: 150 },
    );
  });

  it('hardMarginSVM(data, { bias: true }) meets KKT, duality-gap and planted-margin certificates on random separable data', () => {
    fc.assert(
      fc.property(plantedArb(true, 30), ({ data, plantedMargin }) => {
        const res = hardMarginSVM(data, { bias: true });
        // A translation by 1000 costs ~log10(1000) digits in yᵢ(θᵀxᵢ + b): 1e-9 is still met.
        const tolEval = checkCertificates(data, res, true);
        expect(res.gamma).toBeGreaterThanOrEqual(plantedMargin * (1 - tolEval));
      }),
      { numRuns: 150 },
    );
  });

  it('hardMarginSVM(data, { bias }) matches brute-force support-set enumeration to 1e-9 (n ≤ 8)', () => {
    for (const bias of [false, true]) {
      fc.assert(
        fc.property(plantedArb(bias, 8), ({ data }) => {
          const res = hardMarginSVM(data, { bias });
          const ref = bruteForceSVM(data, bias);
          expect(Math.abs(res.gamma / ref.gamma - 1)).toBeLessThan(1e-9);
          // θ* and b* are compared more loosely: with several nearly active points they are
          // ill-conditioned (γ* is flat along them) and the reference's normal-equation solves lose
          // digits there first (seen: b* off by 9e-8 in the reference, ours exact by hand).
          const wn = normv(ref.w);
          for (let j = 0; j < data.d; j++)
            expect(Math.abs(res.theta[j]! - ref.w[j]! / wn)).toBeLessThan(1e-6);
          if (bias) expect(Math.abs(res.bias - ref.b / wn)).toBeLessThan(1e-6 * (1 + Math.abs(res.bias)));
        }),
        { numRuns: 100 },
      );
    }
  });

  it('hardMarginSVM(data, { bias }) matches quadprog on an independent formulation to 1e-9 (n ≤ 40)', () => {
    for (const bias of [false, true]) {
      let compared = 0;
      fc.assert(
        fc.property(plantedArb(bias, 40), ({ data }) => {
          const res = hardMarginSVM(data, { bias });
          const ref = quadprogReferenceGamma(data, bias);
          if (ref === null) return; // the reference stalled, not the code under test
          compared++;
          expect(Math.abs(res.gamma / ref - 1)).toBeLessThan(1e-9);
        }),
        { numRuns: 100 },
      );
      expect(compared).toBeGreaterThanOrEqual(80);
    }
  });

  it('hardMarginSVM(data, { bias: true }) is exact at n = 1000 (KKT and duality gap)', () => {
    const r = lcg(2021);
    const raw = Array.from({ length: 1000 }, () => Array.from({ length: 10 }, () => 2 * r() - 1));
    const dir = Array.from({ length: 10 }, () => 2 * r() - 1);
    const labels = raw.map(() => r() < 0.3);
    labels[0] = true;
    labels[1] = false;
    const { data, plantedMargin } = planted(raw, dir, labels, 0.05, 0.3, 1, 0, false);
    const res = hardMarginSVM(data, { bias: true });
    checkCertificates(data, res, true, 1e-12);
    expect(res.gamma).toBeGreaterThanOrEqual(plantedMargin);
  });

  it('hardMarginSVM(data) does not stall on nearly dependent constraints (fast-check regression)', () => {
    // Found by fast-check: quadprog, run directly on these scaled constraints, swaps two nearly equal
    // constraints violated by ~1e-14 forever; hardMarginSVM detects the stall and rescales.
    const data = rawDataset(
      [
        [-1009.9997615814195, 0, 0, 0, 0],
        [10.000000000000009, 0, -999.999998139144, 999.9999999999952, 0],
        [-1009.9999996353861, 0, 0, 0, 0],
        [10.000000000000009, 0, 3.041076705867779e-7, 0, 0],
        [-10.000000000000009, 0.02760574715333817, 0, 0, -999.7560977925541],
        [10.000000000000009, 0, 2.4010608206597966e-7, 0, 0],
        [-10.000000000000009, 0, 0, 0, 0],
        [-1009.9999999999704, 0, 0, 0, 0],
        [-10.000000000000009, 0, 0, 0, 0],
        [-10.000000000000009, 0, 0, 0, -999.9999999999993],
        [10.000000000000009, 0, -0.021410677781146095, 0, 0],
        [-10.000000000000009, 0, 0, 0, 0],
        [10.000000000000009, -10.905429974503104, 0, 0, 0],
        [-10.000000000000009, 0, 0, 0, 0],
        [10.000000000000009, 0, -999.9999999999987, 0, 0],
        [-10.000000000000009, 0, 0, 0, 0],
        [10.000000000000009, -999.2682933807367, 41.061080346719606, 0, 0],
        [-10.000000000000009, 0, 0, 0, -999.9999999999977],
      ],
      [-1, 1, -1, 1, -1, 1, -1, -1, -1, -1, 1, -1, 1, -1, 1, -1, 1, -1],
    );
    const res = hardMarginSVM(data);
    checkCertificates(data, res, false);
    expect(Math.abs(res.gamma / 10 - 1)).toBeLessThan(1e-12); // planted margin 10 is optimal here
  });

  it('hardMarginSVM(data) does not modify its inputs', () => {
    const data = rawDataset(
      [
        [2, 0],
        [0, 1],
        [-1, -3],
      ],
      [1, 1, -1],
    );
    const X = Array.from(data.X);
    const y = Array.from(data.y);
    hardMarginSVM(data, { bias: true });
    hardMarginSVM(data);
    expect(Array.from(data.X)).toEqual(X);
    expect(Array.from(data.y)).toEqual(y);
  });

  it('hardMarginSVM(data) throws NOT_SEPARABLE on XOR data and on x, −x with the same label', () => {
    const xor = rawDataset(
      [
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
      ],
      [-1, -1, 1, 1],
    );
    for (const bias of [false, true]) {
      expect(() => hardMarginSVM(xor, { bias })).toThrow(expect.objectContaining({ code: 'NOT_SEPARABLE' }));
      expect(() => hardMarginSVM(xor, { bias })).toThrow('separablePartition');
    }
    expect(() => hardMarginSVM(xor, { bias: true })).toThrow('no affine hyperplane separates the data');
    const opposite = rawDataset(
      [
        [1, 2],
        [-2, -4],
      ],
      [1, 1],
    );
    expect(() => hardMarginSVM(opposite)).toThrow(
      expect.objectContaining({ code: 'NOT_SEPARABLE', name: 'NotSeparableError' }),
    );
    expect(() => hardMarginSVM(opposite)).toThrow('no hyperplane through the origin separates the data');
    // With a bias the same two points are fine (one class → INVALID_INPUT, see below); add a negative.
    expect(
      hardMarginSVM(
        rawDataset(
          [
            [1, 2],
            [-2, -4],
            [5, 0],
          ],
          [1, 1, -1],
        ),
        { bias: true },
      ).gamma,
    ).toBeGreaterThan(0);
  });

  it('hardMarginSVM(data) throws NOT_SEPARABLE for a zero point without bias and for coinciding points', () => {
    expect(() =>
      hardMarginSVM(
        rawDataset(
          [
            [1, 0],
            [0, 0],
          ],
          [1, 1],
        ),
      ),
    ).toThrow('x[1] = 0');
    expect(() =>
      hardMarginSVM(
        rawDataset(
          [
            [1, 1],
            [1, 1],
          ],
          [1, -1],
        ),
        { bias: true },
      ),
    ).toThrow(expect.objectContaining({ code: 'NOT_SEPARABLE' }));
    expect(() =>
      hardMarginSVM(
        rawDataset(
          [
            [1, 1],
            [1, 1],
            [2, 0],
          ],
          [1, -1, 1],
        ),
        { bias: true },
      ),
    ).toThrow(expect.objectContaining({ code: 'NOT_SEPARABLE' }));
  });

  it('hardMarginSVM(data, { bias: true }) needs both classes; bias: false accepts one class', () => {
    const one = rawDataset(
      [
        [1, 2],
        [3, 1],
      ],
      [1, 1],
    );
    expect(() => hardMarginSVM(one, { bias: true })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('both classes are needed'),
      }),
    );
    expect(hardMarginSVM(one).gamma).toBeGreaterThan(0);
  });

  it('hardMarginSVM(data, options) rejects invalid options and malformed data', () => {
    const data = rawDataset(
      [
        [1, 0],
        [-1, 0],
      ],
      [1, -1],
    );
    expect(() => hardMarginSVM(data, { bias: 'yes' as never })).toThrow(
      'hardMarginSVM: options.bias must be a boolean, got "yes"',
    );
    expect(() => hardMarginSVM(data, { tol: -1 })).toThrow(
      'hardMarginSVM: options.tol must be a finite number > 0, got -1',
    );
    expect(() => hardMarginSVM(data, { tol: Number.NaN })).toThrow('options.tol');
    expect(() => hardMarginSVM(data, { tol: 0 })).toThrow('options.tol');
    expect(() => hardMarginSVM(data, { Bias: true } as never)).toThrow('Bias is not a known option');
    expect(() => hardMarginSVM(data, 3 as never)).toThrow('options must be an object');
    expect(() => hardMarginSVM({ ...data, n: 3 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => hardMarginSVM({ ...data, y: Float64Array.of(1, 0) })).toThrow(
      'data.y[1] must be -1 or +1, got 0',
    );
    expect(() => hardMarginSVM({ ...data, X: Float64Array.of(1, 0, Number.NaN, 0) })).toThrow(
      'data.X[2] must be finite, got NaN',
    );
    expect(() => hardMarginSVM(null as never)).toThrow('hardMarginSVM: data must be a Dataset');
  });
});
