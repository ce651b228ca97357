import { describe, expect, it } from 'vitest';
import {
  svmApplyHouseholder,
  svmBackSubstitute,
  svmCenteredColumns,
  svmColumnDots,
  svmColumnSums,
  svmCombineColumns,
  svmDivide,
  svmGramUpper,
  svmHouseholderQR,
  svmMargins,
  svmMarginsAt,
  svmRankOneColumns,
  svmRotateColumns,
} from '../../src/kernels/svm.js';
import { lcg } from '../helpers/index.js';

// Every kernel against a plain loop written here, on random shapes (including lengths that are not
// multiples of the unroll factors); each returns its output argument and leaves its inputs alone.

function rand(len: number, seed: number): Float64Array {
  const r = lcg(seed);
  return Float64Array.from({ length: len }, () => 2 * r() - 1);
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-13) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
};

const shapes = [
  [1, 1],
  [3, 5],
  [7, 4],
  [13, 11],
  [20, 3],
] as const;

describe('svm kernels', () => {
  it('svmMargins(out, Z, y, w, b, n, r) and svmMarginsAt give yᵢ(zᵢᵀw + b), the same bits for the same row', () => {
    for (const [n, r] of shapes) {
      const Z = rand(n * r, n + r);
      const y = Float64Array.from(rand(n, 2 * n), (v) => (v > 0 ? 1 : -1));
      const w = rand(r, 3 * r);
      const Z0 = Z.slice();
      const out = new Float64Array(n);
      expect(svmMargins(out, Z, y, w, 0.3, n, r)).toBe(out);
      const ref = Array.from({ length: n }, (_, i) => {
        let s = 0;
        for (let j = 0; j < r; j++) s += Z[i * r + j]! * w[j]!;
        return y[i]! * (s + 0.3);
      });
      close(out, ref);
      expect(Z).toEqual(Z0);
      const idx = Int32Array.from({ length: n }, (_, t) => n - 1 - t);
      const at = svmMarginsAt(new Float64Array(n), Z, y, w, 0.3, idx, n, r);
      for (let t = 0; t < n; t++) expect(at[t]).toBe(out[n - 1 - t]);
    }
  });

  it('svmGramUpper(out, X, n, d) adds XᵀX to the upper triangle and leaves the lower one alone', () => {
    for (const [n, d] of shapes) {
      const X = rand(n * d, 5 * n + d);
      const out = new Float64Array(d * d).fill(1);
      expect(svmGramUpper(out, X, n, d)).toBe(out);
      for (let j = 0; j < d; j++) {
        for (let k = 0; k < d; k++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += X[i * d + j]! * X[i * d + k]!;
          if (k >= j) expect(Math.abs(out[j * d + k]! - (1 + s))).toBeLessThan(1e-13 * (2 + Math.abs(s)));
          else expect(out[j * d + k]).toBe(1);
        }
      }
    }
  });

  it('svmColumnDots, svmCombineColumns, svmRankOneColumns and svmRotateColumns act on column ranges of a column-major J', () => {
    for (const m of [1, 2, 5, 9]) {
      const J = rand(m * m, m);
      const v = rand(m, m + 1);
      const from = Math.floor(m / 3);
      const dots = new Float64Array(m).fill(7);
      expect(svmColumnDots(dots, J, v, m, from, m)).toBe(dots);
      for (let c = 0; c < m; c++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += J[c * m + j]! * v[j]!;
        if (c >= from) expect(Math.abs(dots[c]! - s)).toBeLessThan(1e-14);
        else expect(dots[c]).toBe(7);
      }
      const comb = svmCombineColumns(new Float64Array(m), J, v, m, from, m);
      const ref = new Float64Array(m);
      for (let c = from; c < m; c++) for (let j = 0; j < m; j++) ref[j]! += v[c]! * J[c * m + j]!;
      close(comb, ref);
      const J1 = J.slice();
      const w = rand(m, 2 * m);
      expect(svmRankOneColumns(J1, w, v, 0.5, m, from, m)).toBe(J1);
      for (let c = 0; c < m; c++) {
        for (let j = 0; j < m; j++) {
          const want = c >= from ? J[c * m + j]! - 0.5 * v[c]! * w[j]! : J[c * m + j]!;
          expect(Math.abs(J1[c * m + j]! - want)).toBeLessThan(1e-15);
        }
      }
      if (m >= 2) {
        const J2 = J.slice();
        const [cs, sn] = [0.6, 0.8];
        expect(svmRotateColumns(J2, 0, 1, m, cs, sn)).toBe(J2);
        for (let j = 0; j < m; j++) {
          expect(Math.abs(J2[j]! - (cs * J[j]! + sn * J[m + j]!))).toBeLessThan(1e-15);
          expect(Math.abs(J2[m + j]! - (cs * J[m + j]! - sn * J[j]!))).toBeLessThan(1e-15);
        }
      }
    }
  });

  it('svmBackSubstitute(out, R, b, m, k) solves the upper triangle of a row-major R, also in place', () => {
    const m = 9;
    for (const k of [1, 2, 6, 9]) {
      const R = rand(m * m, k);
      for (let i = 0; i < k; i++) R[i * m + i] = 2 + i; // well conditioned
      const b = rand(k, 3 * k);
      const x = svmBackSubstitute(new Float64Array(k), R, b, m, k);
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = i; j < k; j++) s += R[i * m + j]! * x[j]!;
        expect(Math.abs(s - b[i]!)).toBeLessThan(1e-14);
      }
      const inPlace = b.slice();
      expect(svmBackSubstitute(inPlace, R, inPlace, m, k)).toBe(inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(x));
    }
  });

  it('svmHouseholderQR and svmApplyHouseholder: A = Q[R; 0] with Q orthogonal', () => {
    for (const [m, k] of [
      [1, 1],
      [4, 4],
      [7, 3],
      [12, 5],
    ] as const) {
      const A0 = rand(m * k, m * k);
      const A = A0.slice();
      const diag = new Float64Array(k);
      const beta = new Float64Array(k);
      expect(svmHouseholderQR(A, m, k, diag, beta)).toBe(A);
      for (let c = 0; c < k; c++) {
        // Column c of Q[R; 0] = Q (R_0c, …, R_cc, 0, …).
        const v = new Float64Array(m);
        for (let i = 0; i < c; i++) v[i] = A[c * m + i]!;
        v[c] = diag[c]!;
        svmApplyHouseholder(v, A, m, k, beta, false);
        close(v, A0.subarray(c * m, c * m + m), 1e-13);
      }
      // Qᵀ undoes Q.
      const u = rand(m, 99);
      const back = svmApplyHouseholder(
        svmApplyHouseholder(u.slice(), A, m, k, beta, false),
        A,
        m,
        k,
        beta,
        true,
      );
      close(back, u, 1e-14);
    }
  });

  it('svmColumnSums, svmCenteredColumns and svmDivide build centered, scaled coordinates of the kept columns', () => {
    const [n, d] = [6, 4];
    const X = rand(n * d, 8);
    for (let i = 0; i < n; i++) X[i * d + 2] = 3; // a constant column
    const y = Float64Array.of(1, -1, 1, 1, -1, -1);
    const sum = new Float64Array(d);
    const sumPos = new Float64Array(d);
    const varies = new Uint8Array(d);
    expect(svmColumnSums(sum, sumPos, varies, X, y, n, d, true)).toBe(sum);
    expect(Array.from(varies)).toEqual([1, 1, 0, 1]);
    for (let j = 0; j < d; j++) {
      let s = 0;
      let sp = 0;
      for (let i = 0; i < n; i++) {
        s += X[i * d + j]!;
        if (y[i] === 1) sp += X[i * d + j]!;
      }
      expect(Math.abs(sum[j]! - s)).toBeLessThan(1e-14);
      expect(Math.abs(sumPos[j]! - sp)).toBeLessThan(1e-14);
    }
    const zeroVaries = new Uint8Array(d);
    svmColumnSums(new Float64Array(d), new Float64Array(d), zeroVaries, X, y, n, d, false);
    expect(Array.from(zeroVaries)).toEqual([1, 1, 1, 1]);
    const center = Float64Array.from(sum, (s) => s / n);
    const keep = Int32Array.of(0, 1, 3);
    const out = new Float64Array(n * 3);
    const norms = new Float64Array(n);
    expect(svmCenteredColumns(out, norms, X, center, keep, n, d, 3)).toBe(out);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < 3; c++) {
        const v = X[i * d + keep[c]!]! - center[keep[c]!]!;
        expect(out[i * 3 + c]).toBe(v);
        s += v * v;
      }
      expect(Math.abs(norms[i]! - s)).toBeLessThan(1e-14);
    }
    const scaled = out.slice();
    expect(svmDivide(scaled, 3)).toBe(scaled);
    for (let i = 0; i < out.length; i++) expect(scaled[i]).toBe(out[i]! / 3);
  });
});
