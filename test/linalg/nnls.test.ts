/**
 * nnls (Lawson–Hanson) against an independent reference: the brute-force enumeration of every support set S.
 * At the NNLS optimum x*, with S = {j : x*ⱼ > 0}, x*_S is the unconstrained least-squares solution on the
 * columns S; so min over the subsets S whose least-squares solution is ≥ 0 of its residual is the NNLS
 * minimum. The subset solves use Gaussian elimination on the normal equations (not the QR of the code under
 * test), on small problems where that is accurate enough.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nnls } from '../../src/linalg/index.js';
import { invalid, lcg, normalEquations, thrown } from '../helpers/index.js';

/** Least squares on the columns S of the row-major m×n A by the normal equations; null if singular. */
function subsetLeastSquares(A: number[], m: number, n: number, b: number[], S: number[]): number[] | null {
  return normalEquations(
    S.map((j) => Array.from({ length: m }, (_, i) => A[i * n + j]!)),
    b,
  );
}

function residual(A: number[], m: number, n: number, b: number[], x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < m; i++) {
    let r = b[i]!;
    for (let j = 0; j < n; j++) r -= A[i * n + j]! * x[j]!;
    s += r * r;
  }
  return Math.sqrt(s);
}

/** The NNLS minimum by enumerating the 2ⁿ support sets. */
function bruteForce(A: number[], m: number, n: number, b: number[]): { x: number[]; res: number } {
  let best = { x: new Array<number>(n).fill(0), res: residual(A, m, n, b, new Array(n).fill(0)) };
  for (let mask = 1; mask < 1 << n; mask++) {
    const S: number[] = [];
    for (let j = 0; j < n; j++) if (mask & (1 << j)) S.push(j);
    if (S.length > m) continue;
    const z = subsetLeastSquares(A, m, n, b, S);
    if (z === null || z.some((v) => v < 0)) continue;
    const x = new Array<number>(n).fill(0);
    S.forEach((j, c) => {
      x[j] = z[c]!;
    });
    const res = residual(A, m, n, b, x);
    if (res < best.res) best = { x, res };
  }
  return best;
}

describe('nnls', () => {
  it('nnls(A, rows, cols, b) solves a small problem by hand', () => {
    // A = [[1, 1], [0, 1]] (columns (1, 0) and (1, 1)), b = (2, −1): the unconstrained solution (3, −1) is
    // infeasible; with x₂ = 0, x₁ = 2 and the residual is |−1| = 1; with x₁ = 0, x₂ = 1/2 and the residual
    // is √(1.5² + 1.5²) > 1. So x = (2, 0).
    const r = nnls([1, 1, 0, 1], 2, 2, [2, -1]);
    expect(Array.from(r.x)).toEqual([2, 0]);
    expect(r.residualNorm).toBeCloseTo(1, 15);
    // The dual w = Aᵀ(b − Ax) = Aᵀ(0, −1) = (0, −1): 0 on the passive coordinate, < 0 on the zero one.
    expect(r.dual[0]).toBeCloseTo(0, 15);
    expect(r.dual[1]).toBeCloseTo(-1, 15);
    // A feasible unconstrained solution is returned as is.
    const f = nnls([2, 0, 0, 4], 2, 2, [2, 2]);
    expect(Array.from(f.x)).toEqual([1, 0.5]);
    expect(f.residualNorm).toBe(0);
    // b in the negative cone: x = 0.
    expect(Array.from(nnls([1, 0, 0, 1], 2, 2, [-1, -3]).x)).toEqual([0, 0]);
  });

  it('nnls(A, rows, cols, b) matches the brute-force enumeration of supports and satisfies the KKT conditions (property)', () => {
    const arb = fc
      .record({ m: fc.integer({ min: 1, max: 7 }), n: fc.integer({ min: 1, max: 7 }), seed: fc.nat() })
      .map(({ m, n, seed }) => {
        const r = lcg(seed);
        return {
          m,
          n,
          A: Array.from({ length: m * n }, () => 4 * r() - 2),
          b: Array.from({ length: m }, () => 4 * r() - 2),
        };
      });
    fc.assert(
      fc.property(arb, ({ m, n, A, b }) => {
        const got = nnls(A, m, n, b);
        const ref = bruteForce(A, m, n, b);
        const scale = Math.max(1, Math.hypot(...b));
        // The minimum is unique; the minimizer too when A has full column rank (n ≤ m, almost surely).
        expect(Math.abs(got.residualNorm - ref.res)).toBeLessThanOrEqual(1e-9 * scale);
        expect(got.residualNorm).toBeCloseTo(residual(A, m, n, b, got.x), 12);
        if (n <= m) for (let j = 0; j < n; j++) expect(got.x[j]).toBeCloseTo(ref.x[j]!, 7);
        // KKT: x ≥ 0, w = Aᵀ(b − Ax) ≤ tol on x = 0, w ≈ 0 on x > 0.
        for (let j = 0; j < n; j++) {
          expect(got.x[j]).toBeGreaterThanOrEqual(0);
          expect(got.dual[j]).toBeLessThanOrEqual(1e-10 * scale);
          if (got.x[j]! > 0) expect(Math.abs(got.dual[j]!)).toBeLessThanOrEqual(1e-9 * scale);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('nnls(A, rows, cols, b) matches the enumeration on degenerate integer problems (ties, repeated and zero columns; property)', () => {
    const arb = fc.integer({ min: 1, max: 5 }).chain((m) =>
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          m: fc.constant(m),
          n: fc.constant(n),
          A: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: m * n, maxLength: m * n }),
          b: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: m, maxLength: m }),
        }),
      ),
    );
    fc.assert(
      fc.property(arb, ({ m, n, A, b }) => {
        const got = nnls(A, m, n, b);
        expect(Math.abs(got.residualNorm - bruteForce(A, m, n, b).res)).toBeLessThanOrEqual(1e-9);
        for (let j = 0; j < n; j++) expect(got.x[j]).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('nnls(A, rows, cols, b) handles duplicated and zero columns (rank-deficient A)', () => {
    // Columns: e₁, e₁ again, 0, e₂. b = (1, 2): the residual is 0 with x₁ + x₂ = 1 and x₄ = 2.
    const A = [1, 1, 0, 0, 0, 0, 0, 1];
    const r = nnls(A, 2, 4, [1, 2]);
    expect(r.residualNorm).toBeLessThan(1e-14);
    expect(r.x[0]! + r.x[1]!).toBeCloseTo(1, 14);
    expect(r.x[2]).toBe(0);
    expect(r.x[3]).toBeCloseTo(2, 14);
    // Many more columns than rows.
    const g = lcg(7);
    const wide = Array.from({ length: 3 * 40 }, () => g() - 0.5);
    const b = [0.3, -0.2, 0.1];
    const res = nnls(wide, 3, 40, b);
    expect(Math.abs(res.residualNorm - bruteForceWide(wide, 3, 40, b))).toBeLessThan(1e-10);
  });

  it('nnls(A, rows, cols, b) rejects bad input with INVALID_INPUT and reports a too-small iteration limit', () => {
    expect(() => nnls([1, 2, 3], 2, 2, [1, 1])).toThrow(
      invalid('nnls: A must have length rows·cols = 4, got 3'),
    );
    expect(() => nnls([1, 2], 1, 2, [1, 1])).toThrow(invalid('nnls: b must have length 1'));
    expect(() => nnls([1, Number.NaN], 1, 2, [1])).toThrow(invalid('nnls: A[1] must be finite'));
    expect(() => nnls([1, 1], 1, 2, [1], { tol: -1 })).toThrow(
      invalid('nnls: tol must be a finite number >= 0'),
    );
    expect(() => nnls([1, 1], 1, 2, [1], { maxIter: 3 } as never)).toThrow(
      invalid('maxIter is not a known option'),
    );
    const e = thrown('SOLVER_FAILED', () => nnls([1, 0, 0, 1], 2, 2, [1, 1], { maxIterations: 1 }));
    expect(e.message).toContain('maxIterations = 1');
  });
});

/** NNLS residual for a wide A (3 rows): every support has ≤ 3 columns, so enumerate triples, pairs, singles. */
function bruteForceWide(A: number[], m: number, n: number, b: number[]): number {
  let best = Math.hypot(...b);
  const tryS = (S: number[]) => {
    const z = subsetLeastSquares(A, m, n, b, S);
    if (z === null || z.some((v) => v < 0)) return;
    const x = new Array<number>(n).fill(0);
    S.forEach((j, c) => {
      x[j] = z[c]!;
    });
    best = Math.min(best, residual(A, m, n, b, x));
  };
  for (let i = 0; i < n; i++) {
    tryS([i]);
    for (let j = i + 1; j < n; j++) {
      tryS([i, j]);
      for (let k = j + 1; k < n; k++) tryS([i, j, k]);
    }
  }
  return best;
}
