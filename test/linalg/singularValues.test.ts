/**
 * singularValues(a, rows, cols) (src/linalg/singularValues.ts) against independent references: closed forms,
 * the eigenvalues of AᵀA by cyclic Jacobi rotations written here, and — bit for bit — the ml-matrix
 * recipe that trainMatrixFactorization used privately before it moved to src/linalg.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../../src/linalg/singularValues.js';
import { minstd } from '../helpers/index.js';

/** The recipe trainMatrixFactorization used privately (ml-matrix SVD, values only, sorted decreasing). */
function previousRecipe(a: Float64Array, rows: number, cols: number): Float64Array {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]!);
  const svd = new SingularValueDecomposition(m, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return Float64Array.from(svd.diagonal).sort().reverse();
}

/** √eig(AᵀA) or √eig(AAᵀ) (the smaller Gram matrix) by cyclic Jacobi rotations, decreasing. */
function jacobiSingularValues(a: Float64Array, rows: number, cols: number): number[] {
  const k = Math.min(rows, cols);
  const G: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let p = 0; p < k; p++) {
    for (let q = 0; q < k; q++) {
      let s = 0;
      if (rows >= cols) for (let i = 0; i < rows; i++) s += a[i * cols + p]! * a[i * cols + q]!;
      else for (let j = 0; j < cols; j++) s += a[p * cols + j]! * a[q * cols + j]!;
      G[p]![q] = s;
    }
  }
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += G[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        if (G[p]![q] === 0) continue;
        const theta = (G[q]![q]! - G[p]![p]!) / (2 * G[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const gp = G[r]![p]!;
          const gq = G[r]![q]!;
          G[r]![p] = c * gp - s * gq;
          G[r]![q] = s * gp + c * gq;
        }
        for (let r = 0; r < k; r++) {
          const gp = G[p]![r]!;
          const gq = G[q]![r]!;
          G[p]![r] = c * gp - s * gq;
          G[q]![r] = s * gp + c * gq;
        }
      }
    }
  }
  return G.map((row, i) => Math.sqrt(Math.max(0, row[i]!))).sort((x, y) => y - x);
}

describe('singularValues', () => {
  it('singularValues(a, rows, cols) of a diagonal matrix are the |entries|, decreasing', () => {
    expect(Array.from(singularValues(Float64Array.of(3, 0, 0, -4), 2, 2))).toEqual([4, 3]);
    expect(Array.from(singularValues(Float64Array.of(0, 2, 0, 0, 0, 5), 2, 3))).toEqual([5, 2]);
  });

  it('singularValues(a, rows, cols) of a rank-one matrix uvᵀ is (‖u‖‖v‖, 0, …)', () => {
    const u = [1, -2, 2];
    const v = [3, 4];
    const a = new Float64Array(6);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) a[i * 2 + j] = u[i]! * v[j]!;
    const s = singularValues(a, 3, 2);
    expect(s[0]).toBeCloseTo(15, 12);
    expect(Math.abs(s[1]!)).toBeLessThan(1e-12);
  });

  it('singularValues(a, rows, cols) match √eig of the Gram matrix (Jacobi) for tall, wide and square shapes', () => {
    const rand = minstd(7);
    for (const [rows, cols] of [
      [5, 3],
      [3, 5],
      [4, 4],
      [1, 6],
      [6, 1],
      [8, 7],
    ] as const) {
      const a = new Float64Array(rows * cols).map(() => 2 * rand() - 1);
      const s = singularValues(a, rows, cols);
      const ref = jacobiSingularValues(a, rows, cols);
      expect(s.length).toBe(Math.min(rows, cols));
      for (let i = 0; i < s.length; i++) expect(Math.abs(s[i]! - ref[i]!)).toBeLessThan(1e-10 * ref[0]!);
      for (let i = 1; i < s.length; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
    }
  });

  it('singularValues(a, rows, cols) gives the bits of the private recipe trainMatrixFactorization used', () => {
    const rand = minstd(11);
    for (let trial = 0; trial < 40; trial++) {
      const rows = 1 + Math.floor(rand() * 9);
      const cols = 1 + Math.floor(rand() * 9);
      const a = new Float64Array(rows * cols).map(() => (2 * rand() - 1) * 10 ** Math.floor(rand() * 6 - 3));
      const got = singularValues(a, rows, cols);
      const want = previousRecipe(a, rows, cols);
      expect(Array.from(got, (x) => (Object.is(x, -0) ? '-0' : x))).toEqual(
        Array.from(want, (x) => (Object.is(x, -0) ? '-0' : x)),
      );
    }
  });

  it('singularValues(a, rows, cols) does not modify a and rejects a bad shape with INVALID_INPUT', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    singularValues(a, 2, 2);
    expect(Array.from(a)).toEqual([1, 2, 3, 4]);
    expect(() => singularValues(a, 3, 2)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => singularValues(a, 0, 4)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
