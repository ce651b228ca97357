import { solveQP } from 'quadprog';
import { describe, expect, it } from 'vitest';
import { csvDataset } from '../../bench/svmData.js';
import type { Dataset } from '../../src/datasets/types.js';
import { rowSpaceBasis } from '../../src/linalg/rowSpaceBasis.js';
import { hardMarginSVM } from '../../src/svm/index.js';
import { solveSvmActiveSet } from '../../src/svm/svmActiveSet.js';
import { lcg } from '../helpers/index.js';
import { checkCertificates, dotv, normv } from '../helpers/svmCertificates.js';

// ---------------------------------------------------------------------------------------------------
// Data, from test-local generators (no library code).

function normals(seed: number): () => number {
  const r = lcg(seed);
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * "Classes touch": x ~ N(0, I), y = sign(uᵀx + b₀) with nothing pushed apart, so the margin is ~1/n and
 * (in general position) d + 1 points are support vectors with bias, d without (b₀ = 0).
 */
function touching(n: number, d: number, seed: number, b0: number): Dataset {
  const normal = normals(seed);
  const u = Array.from({ length: d }, normal);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = b0;
    for (let j = 0; j < d; j++) {
      X[i * d + j] = normal();
      t += u[j]! * X[i * d + j]!;
    }
    y[i] = t >= 0 ? 1 : -1;
  }
  return { X, y, n, d };
}

/** A bench/data CSV (UCI, CC BY 4.0; see bench/data/README.md), standardized as bench/svm.ts does. */
const realSet = csvDataset;

/** γ* without bias from quadprog on the plain primal min ½‖w‖² s.t. yᵢwᵀxᵢ ≥ 1 in ℝᵈ (all constraints). */
function quadprogGamma(data: Dataset): number {
  const { n, d } = data;
  const Dmat = [
    [0],
    ...Array.from({ length: d }, (_, i) => [0, ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]),
  ];
  const Amat = [
    [0],
    ...Array.from({ length: d }, (_, j) => [
      0,
      ...Array.from({ length: n }, (_, i) => data.y[i]! * data.X[i * d + j]!),
    ]),
  ];
  const res = solveQP(
    Dmat,
    new Array<number>(d + 1).fill(0),
    Amat,
    [0, ...new Array<number>(n).fill(1)],
    0,
    [0, 0],
  );
  if (res.message !== '') throw new Error(`reference QP failed: ${res.message}`);
  return 1 / normv(res.solution.slice(1));
}

// ---------------------------------------------------------------------------------------------------

describe('hardMarginSVM on its active-set path', () => {
  it('hardMarginSVM(data, { bias: true }) with d + 1 support vectors (classes touch, n = 2000, d = 30) is certified to 1e-12', () => {
    const data = touching(2000, 30, 11, 0.3);
    const res = hardMarginSVM(data, { bias: true });
    // More than half the dimensions active: the solver's factor went from Gram–Schmidt to the full basis.
    expect(res.support.length).toBeGreaterThan(16);
    expect(res.rank).toBe(30);
    checkCertificates(data, res, true, 1e-12);
  });

  it('hardMarginSVM(data) without bias, d support vectors (n = 400, d = 20), matches quadprog on the plain primal to 1e-12', () => {
    const data = touching(400, 20, 12, 0);
    const res = hardMarginSVM(data);
    expect(res.support.length).toBeGreaterThanOrEqual(15);
    checkCertificates(data, res, false, 1e-12);
    expect(Math.abs(res.gamma / quadprogGamma(data) - 1)).toBeLessThan(1e-12);
  });

  it('hardMarginSVM(data, { bias: true }) at n = 20 000, d = 10 (classes touch) is certified to 1e-12', () => {
    const data = touching(20_000, 10, 13, 0.3);
    const res = hardMarginSVM(data, { bias: true });
    expect(res.support.length).toBe(11);
    checkCertificates(data, res, true, 1e-12);
  });

  it('hardMarginSVM(data, { bias }) on standardized breast cancer and wine matches extended-precision references to 1e-12', () => {
    // References (rounded to double): the KKT system on the support set solved with mpmath at 40 digits
    // (0.00139984680656768137762, 0.468120346691432449270, 0.114749352456078532500), certified by
    // α > 0 and every margin ≥ 1 at that precision (computed once from these standardized data; the
    // script is the "certify" command of bench/python/svm_peer.py run at higher precision).
    const cases = [
      { data: realSet('breast_cancer.csv', (t) => t === 1), bias: true, gamma: 0.0013998468065676813 },
      { data: realSet('wine.csv', (t) => t === 0), bias: true, gamma: 0.46812034669143243 },
      { data: realSet('wine.csv', (t) => t === 0), bias: false, gamma: 0.11474935245607853 },
    ];
    for (const { data, bias, gamma } of cases) {
      const res = hardMarginSVM(data, { bias });
      expect(Math.abs(res.gamma / gamma - 1)).toBeLessThan(1e-12);
      checkCertificates(data, res, bias, 1e-11);
    }
  });

  it('hardMarginSVM(data) ignores constant columns: same γ*, and rank counts only the others', () => {
    const base = touching(300, 8, 14, 0.3);
    const { n, d } = base;
    // With bias a constant column (here 7) is 0 once centered; without bias a zero column is absent.
    for (const [bias, value] of [
      [true, 7],
      [false, 0],
    ] as const) {
      const src = bias ? base : touching(300, 8, 15, 0);
      const X = new Float64Array(n * (d + 1));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) X[i * (d + 1) + j + (j >= 4 ? 1 : 0)] = src.X[i * d + j]!;
        X[i * (d + 1) + 4] = value;
      }
      const wide = { X, y: src.y, n, d: d + 1 };
      const a = hardMarginSVM(src, { bias });
      const b = hardMarginSVM(wide, { bias });
      expect(b.rank).toBe(d);
      expect(Math.abs(b.gamma / a.gamma - 1)).toBeLessThan(1e-13);
      expect(b.theta[4]).toBe(0);
      checkCertificates(wide, b, bias, 1e-12);
    }
  });

  it('hardMarginSVM(data) on nearly rank-deficient data takes the SVD coordinates and agrees with rowSpaceBasis on the rank', () => {
    // Column 3 = column 0 + 1e-13·noise: below the rank tolerance, so the data count as rank 4 of 5;
    // labels from a planted direction through the origin on these points.
    const n = 200;
    const normal = normals(16);
    const noise = lcg(17);
    const u = [0.3, -1, 0.5, 0.3, 0.8];
    const X = new Float64Array(n * 5);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 5; j++) X[i * 5 + j] = normal();
      X[i * 5 + 3] = X[i * 5]! + 1e-13 * (noise() - 0.5);
      y[i] = dotv(u, X.subarray(i * 5, i * 5 + 5)) >= 0 ? 1 : -1;
    }
    const data = { X, y, n, d: 5 };
    const res = hardMarginSVM(data);
    expect(res.rank).toBe(rowSpaceBasis(X, data.n, data.d).rank);
    expect(res.rank).toBe(4);
    checkCertificates(data, res, false);
  });
});

describe('solveSvmActiveSet', () => {
  it('solveSvmActiveSet(data, bias, initial) reports infeasible for XOR and solves a separable set exactly', () => {
    const xor = {
      coords: Float64Array.of(1, 1, -1, -1, 1, -1, -1, 1),
      y: Float64Array.of(1, 1, -1, -1),
      n: 4,
      r: 2,
    };
    expect(solveSvmActiveSet(xor, true, [0, 1, 2, 3]).status).toBe('infeasible');
    // Two points (1, 0) and (0, 1/2) through the origin: w = (1, 2)·(2/5)… i.e. yᵢwᵀxᵢ = 1 for both,
    // w = (1, 2), γ* = 1/‖w‖ = 1/√5.
    const two = { coords: Float64Array.of(1, 0, 0, 0.5), y: Float64Array.of(1, 1), n: 2, r: 2 };
    const res = solveSvmActiveSet(two, false, [0, 1]);
    expect(res.status).toBe('ok');
    expect(res.w[0]).toBeCloseTo(1, 14);
    expect(res.w[1]).toBeCloseTo(2, 14);
    expect(Array.from(res.active).sort()).toEqual([0, 1]);
    // Multipliers: w = Σ αᵢyᵢzᵢ → α₀ = 1, α₁·0.5 = 2 → α₁ = 4.
    const alpha = [0, 0];
    res.active.forEach((i, t) => {
      alpha[i] = res.multipliers[t]!;
    });
    expect(alpha[0]).toBeCloseTo(1, 13);
    expect(alpha[1]).toBeCloseTo(4, 13);
    expect(dotv(res.w, res.w)).toBeCloseTo(5, 13);
  });
});
