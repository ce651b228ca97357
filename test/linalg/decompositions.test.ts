/**
 * The ml-matrix wrappers of src/linalg (thinSvd, svdSolve, qrDecomposition, symmetricEigen) and the
 * Lanczos / power eigen-solver topEigenpair, checked against their defining identities (A = UΣVᵀ,
 * A = QR, Av = λv, normal equations) and against each other.
 */
import { describe, expect, it } from 'vitest';
import { qrDecomposition } from '../../src/linalg/qrDecomposition.js';
import { svdSolve, thinSvd } from '../../src/linalg/svd.js';
import { symmetricEigen } from '../../src/linalg/symmetricEigen.js';
import { type EigenSettings, topEigenpair } from '../../src/linalg/topEigenpair.js';
import { minstd } from '../helpers/index.js';

function randomMatrix(rand: () => number, rows: number, cols: number): Float64Array {
  return new Float64Array(rows * cols).map(() => 2 * rand() - 1);
}

/** C = A B for row-major A (m×k) and B (k×n). */
function mul(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) C[i * n + j]! += A[i * k + p]! * B[p * n + j]!;
  return C;
}

function transpose(A: Float64Array, m: number, n: number): Float64Array {
  const T = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j]!;
  return T;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function identity(k: number): Float64Array {
  const I = new Float64Array(k * k);
  for (let i = 0; i < k; i++) I[i * k + i] = 1;
  return I;
}

describe('thinSvd and svdSolve', () => {
  it('thinSvd(A, rows, cols) reconstructs A = U diag(σ) Vᵀ with orthonormal U and V, tall and wide', () => {
    const rand = minstd(3);
    for (const [rows, cols] of [
      [6, 3],
      [3, 6],
      [4, 4],
    ] as const) {
      const A = randomMatrix(rand, rows, cols);
      const { k, values, U, V } = thinSvd(A, rows, cols);
      expect(k).toBe(Math.min(rows, cols));
      const US = Float64Array.from(U);
      for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) US[i * k + c]! *= values[c]!;
      expect(maxAbsDiff(mul(US, transpose(V, cols, k), rows, k, cols), A)).toBeLessThan(1e-13);
      expect(maxAbsDiff(mul(transpose(U, rows, k), U, k, rows, k), identity(k))).toBeLessThan(1e-13);
      expect(maxAbsDiff(mul(transpose(V, cols, k), V, k, cols, k), identity(k))).toBeLessThan(1e-13);
      for (let c = 1; c < k; c++) expect(values[c]!).toBeLessThanOrEqual(values[c - 1]!);
    }
  });

  it('svdSolve(A, n, n, b) solves a regular system, and gives the minimum-norm solution of a singular one', () => {
    const rand = minstd(5);
    const A = randomMatrix(rand, 5, 5);
    const x = Float64Array.of(1, -2, 0.5, 3, -1);
    expect(maxAbsDiff(svdSolve(A, 5, 5, mul(A, x, 5, 5, 1)), x)).toBeLessThan(1e-12);
    // [[1, 1], [1, 1]] x = [2, 2]: the minimum-norm solution is (1, 1).
    expect(maxAbsDiff(svdSolve(Float64Array.of(1, 1, 1, 1), 2, 2, [2, 2]), [1, 1])).toBeLessThan(1e-14);
  });
});

describe('qrDecomposition', () => {
  it('qrDecomposition(A, rows, cols) reconstructs A = QR with QᵀQ = I and R upper triangular', () => {
    const rand = minstd(9);
    const [rows, cols] = [7, 4];
    const A = randomMatrix(rand, rows, cols);
    const { R } = qrDecomposition(A, rows, cols);
    const Q = qrDecomposition(A, rows, cols).orthogonal();
    for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) expect(R[i * cols + j]).toBe(0);
    expect(maxAbsDiff(mul(Q, R, rows, cols, cols), A)).toBeLessThan(1e-13);
    expect(maxAbsDiff(mul(transpose(Q, rows, cols), Q, cols, rows, cols), identity(cols))).toBeLessThan(
      1e-13,
    );
  });

  it('qrDecomposition(A, rows, cols).solve(b) meets the normal equations AᵀA x = Aᵀb', () => {
    const rand = minstd(13);
    const [rows, cols] = [8, 3];
    const A = randomMatrix(rand, rows, cols);
    const b = randomMatrix(rand, rows, 1);
    const x = qrDecomposition(A, rows, cols).solve(b);
    const At = transpose(A, rows, cols);
    expect(
      maxAbsDiff(mul(mul(At, A, cols, rows, cols), x, cols, cols, 1), mul(At, b, cols, rows, 1)),
    ).toBeLessThan(1e-12);
  });
});

describe('symmetricEigen and topEigenpair', () => {
  /** A random symmetric n×n matrix with eigenvalues of both signs. */
  function symmetric(rand: () => number, n: number): Float64Array {
    const B = randomMatrix(rand, n, n);
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = B[i * n + j]! + B[j * n + i]!;
    return S;
  }

  it('symmetricEigen(A, n) gives A v = λ v for every column v of vectors', () => {
    const n = 6;
    const A = symmetric(minstd(17), n);
    const { values, vectors } = symmetricEigen(A, n);
    for (let k = 0; k < n; k++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = vectors[i * n + k]!;
      const Av = mul(A, v, n, n, 1);
      for (let i = 0; i < n; i++) expect(Math.abs(Av[i]! - values[k]! * v[i]!)).toBeLessThan(1e-12);
    }
  });

  it('topEigenpair(A, p, settings) finds the largest algebraic eigenvalue by Lanczos and by power iteration', () => {
    const n = 8;
    for (let seed = 1; seed <= 5; seed++) {
      const A = symmetric(minstd(seed * 101), n);
      const top = Math.max(...symmetricEigen(A, n).values);
      const op = (out: Float64Array, v: Float64Array): Float64Array => {
        out.set(mul(A, v, n, n, 1));
        return out;
      };
      const base: EigenSettings = {
        method: 'lanczos',
        iterations: 100,
        tol: 1e-10,
        seed,
        init: null,
        mix: 0,
      };
      const l = topEigenpair(op, n, base);
      expect(l.converged).toBe(true);
      expect(Math.abs(l.value - top)).toBeLessThan(1e-9 * Math.abs(top));
      const p = topEigenpair(op, n, { ...base, method: 'power', iterations: 100_000, tol: 1e-9 });
      expect(Math.abs(p.value - top)).toBeLessThan(1e-6 * Math.abs(top));
    }
  });
});
