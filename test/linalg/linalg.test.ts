import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dot, matmul, norm2, rowSpaceBasis } from '../../src/linalg/index.js';
import { lcg } from '../helpers/index.js';

/** Naive reference product (row-major), written independently of matmul's loop order. */
function naiveMatmul(A: ArrayLike<number>, B: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
      out.push(s);
    }
  }
  return out;
}

/** Random n×d matrix of rank ≤ rk, as the product of n×rk and rk×d uniform matrices. */
function lowRank(n: number, d: number, rk: number, seed: number): Float64Array {
  const r = lcg(seed);
  const A = Array.from({ length: n * rk }, () => r() - 0.5);
  const B = Array.from({ length: rk * d }, () => r() - 0.5);
  return Float64Array.from(naiveMatmul(A, B, n, rk, d));
}

describe('dot', () => {
  it('dot(a, b) equals the plain sum for every tail length', () => {
    for (let n = 0; n <= 9; n++) {
      const a = Float64Array.from({ length: n }, (_, i) => i + 1);
      const b = Float64Array.from({ length: n }, (_, i) => 2 - i);
      let ref = 0;
      for (let i = 0; i < n; i++) ref += (i + 1) * (2 - i);
      expect(dot(a, b)).toBe(ref);
    }
  });

  it('dot(a, b) rejects vectors of different lengths', () => {
    expect(() => dot([1, 2], [1])).toThrow('dot: b must have the length of a (2), got length 1');
  });
});

describe('norm2', () => {
  it('norm2(a) is 5 for (3, 4) at every scale, without overflow or underflow', () => {
    expect(norm2([3, 4])).toBe(5);
    expect(norm2([3e200, 4e200])).toBeCloseTo(5e200, -188);
    expect(norm2([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2([])).toBe(0);
    expect(norm2([0, 0])).toBe(0);
    expect(norm2([Number.NaN, 1])).toBeNaN();
    expect(norm2([Number.POSITIVE_INFINITY, 1])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('matmul', () => {
  it('matmul(A, B, m, k, n) matches a naive product and returns out', () => {
    const r = lcg(1);
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 4, 2],
      [5, 1, 7],
      [0, 3, 2],
      [2, 0, 3],
    ] as const) {
      const A = Float64Array.from({ length: m * k }, () => r() - 0.5);
      const B = Float64Array.from({ length: k * n }, () => r() - 0.5);
      const out = new Float64Array(m * n).fill(7);
      const res = matmul(A, B, m, k, n, out);
      expect(res).toBe(out);
      const ref = naiveMatmul(A, B, m, k, n);
      for (let i = 0; i < m * n; i++) expect(res[i]).toBeCloseTo(ref[i]!, 14);
    }
  });

  it('matmul(A, B, m, k, n) does not modify its inputs and rejects bad shapes', () => {
    const A = Float64Array.of(1, 2, 3, 4);
    const B = Float64Array.of(5, 6);
    expect(Array.from(matmul(A, B, 2, 2, 1))).toEqual([17, 39]);
    expect(Array.from(A)).toEqual([1, 2, 3, 4]);
    expect(Array.from(B)).toEqual([5, 6]);
    expect(() => matmul(A, B, 2, 2, 2)).toThrow('matmul: B must have length k·n = 4, got 2');
    expect(() => matmul(A, B, 2.5, 2, 1)).toThrow('matmul: m must be an integer >= 0, got 2.5');
  });
});

describe('rowSpaceBasis', () => {
  it('rowSpaceBasis(X, n, d) returns an orthonormal basis that reproduces every row, tall and wide', () => {
    const cases: [number, number, number][] = [
      [40, 6, 6],
      [40, 6, 3],
      [6, 40, 6],
      [6, 40, 2],
      [5, 5, 5],
      [1, 4, 1],
      [4, 1, 1],
    ];
    for (const [n, d, rk] of cases) {
      const X = lowRank(n, d, rk, 100 * n + d + rk);
      const { basis: Q, rank: r, singularValues } = rowSpaceBasis(X, n, d);
      expect(r).toBe(rk);
      expect(singularValues.length).toBe(Math.min(n, d));
      // QᵀQ = I
      for (let a = 0; a < r; a++) {
        for (let b = 0; b < r; b++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += Q[j * r + a]! * Q[j * r + b]!;
          expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-13);
        }
      }
      // xᵢ = QQᵀxᵢ
      for (let i = 0; i < n; i++) {
        const x = X.subarray(i * d, i * d + d);
        const z = new Float64Array(r);
        for (let c = 0; c < r; c++) for (let j = 0; j < d; j++) z[c]! += Q[j * r + c]! * x[j]!;
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let c = 0; c < r; c++) s += Q[j * r + c]! * z[c]!;
          expect(Math.abs(s - x[j]!)).toBeLessThan(1e-13);
        }
      }
    }
  });

  it('rowSpaceBasis(X, n, d) gives the singular values of a matrix with a known SVD', () => {
    // X = diag(3, 2, 0) rotated: rows (3, 0, 0), (0, 2, 0), (0, 0, 0), (0, 0, 0).
    const X = Float64Array.of(3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0);
    const { rank, singularValues, basis } = rowSpaceBasis(X, 4, 3);
    expect(rank).toBe(2);
    expect(singularValues[0]).toBeCloseTo(3, 14);
    expect(singularValues[1]).toBeCloseTo(2, 14);
    expect(singularValues[2]).toBe(0);
    expect(Math.abs(basis[0]!)).toBeCloseTo(1, 14); // first column ±e₁
    expect(Math.abs(basis[3]!)).toBeCloseTo(1, 14); // second column ±e₂ (row 1, column 1 of 3×2)
  });

  it('rowSpaceBasis(X, n, d) has rank 0 for a zero or empty matrix and honours rtol', () => {
    expect(rowSpaceBasis(new Float64Array(6), 2, 3).rank).toBe(0);
    expect(rowSpaceBasis(new Float64Array(0), 0, 3).rank).toBe(0);
    const X = Float64Array.of(1, 0, 0, 1e-6);
    expect(rowSpaceBasis(X, 2, 2).rank).toBe(2);
    expect(rowSpaceBasis(X, 2, 2, { rtol: 1e-5 }).rank).toBe(1);
  });

  it('rowSpaceBasis(X, n, d) handles subnormal entries (fast-check regression)', () => {
    // Found by a fast-check run of hardMarginSVM: an unscaled Householder vector of a column holding
    // only 5e-324 has ‖v‖² = 0, which gave NaN singular values.
    const X = new Float64Array(32);
    for (let i = 0; i < 8; i++) X[i * 4 + 2] = 0.01;
    X[28] = 5e-324;
    const { rank, singularValues, basis } = rowSpaceBasis(X, 8, 4);
    expect(rank).toBe(1);
    expect(singularValues[0]).toBeCloseTo(Math.sqrt(8) * 0.01, 15);
    expect(Math.abs(basis[2]!)).toBe(1);
  });

  it('rowSpaceBasis(X, n, d) rejects bad shapes, non-finite entries and bad rtol', () => {
    expect(() => rowSpaceBasis(new Float64Array(5), 2, 3)).toThrow(
      'rowSpaceBasis: X must have length n·d = 6, got 5',
    );
    expect(() => rowSpaceBasis(Float64Array.of(1, Number.NaN), 1, 2)).toThrow(
      'rowSpaceBasis: X[1] must be finite',
    );
    expect(() => rowSpaceBasis(new Float64Array(4), 2, 2, { rtol: -1 })).toThrow('options.rtol');
    expect(() => rowSpaceBasis(new Float64Array(4), -2, -2)).toThrow(
      'rowSpaceBasis: n must be an integer >= 0',
    );
  });

  it('rowSpaceBasis(X, n, d) finds the rank of random low-rank matrices (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (n, d, rk, seed) => {
          const X = lowRank(n, d, rk, seed);
          expect(rowSpaceBasis(X, n, d).rank).toBe(Math.min(n, d, rk));
        },
      ),
      { numRuns: 200 },
    );
  });
});
