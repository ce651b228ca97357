/** cholesky: the factor behind steepestDescent's quadratic norm. */

import { Matrix, solve as mlSolve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { cholesky } from '../../src/linalg/index.js';
import { expectClose, expectSameBits, invalidInput, lcg, randomSpd } from '../helpers/index.js';

describe('cholesky', () => {
  it('cholesky(A, n) gives lower-triangular L with LLᵀ = A; solve matches ml-matrix', () => {
    const rand = lcg(3);
    for (const n of [1, 2, 5, 9]) {
      const A = randomSpd(n, rand);
      const flat = Float64Array.from(A.flat());
      const { L, positiveDefinite, failedAt, solve } = cholesky(flat, n);
      expect(positiveDefinite).toBe(true);
      expect(failedAt).toBe(-1);
      for (let i = 0; i < n; i++) {
        expect(L[i * n + i]).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += L[i * n + k] * L[j * n + k];
          expect(Math.abs(s - A[i][j])).toBeLessThan(1e-13 * n);
        }
      }
      const b = Array.from({ length: n }, () => rand() - 0.5);
      const ref = mlSolve(new Matrix(A), Matrix.columnVector(b)).getColumn(0);
      const x = solve(new Float64Array(n), b);
      expectClose(x, ref, 1e-10);
      // out may alias b
      const bb = Float64Array.from(b);
      expect(solve(bb, bb)).toBe(bb);
      expectSameBits(bb, x);
    }
  });

  it('cholesky(A, n) reports a matrix that is not positive definite as data; solve then throws', () => {
    const f = cholesky([1, 2, 2, 1], 2);
    expect(f.positiveDefinite).toBe(false);
    expect(f.failedAt).toBe(1);
    expect(invalidInput(() => f.solve(new Float64Array(2), [1, 1])).message).toContain(
      'not positive definite',
    );
    expect(cholesky([0], 1).failedAt).toBe(0);
    expect(invalidInput(() => cholesky([1, 0, 0], 2)).message).toBe(
      'cholesky: A must have length n² = 4, got length 3',
    );
    expect(invalidInput(() => cholesky([1, Number.NaN, 0, 1], 2)).message).toBe(
      'cholesky: A[0][1] must be finite, got NaN',
    );
    invalidInput(() => cholesky([1], 0));
  });
});
