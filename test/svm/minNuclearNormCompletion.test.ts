/**
 * minNuclearNormCompletion against answers known by hand (fully observed, the 2×2 completions worked out
 * below, a non-unique case), a brute-force minimization over the missing entries (the nuclear norm is convex
 * in them), exact recovery of a well-sampled rank-1 matrix, and its own certificate re-checked with an
 * independent singular-value computation (Jacobi on ZᵀZ, written here).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datasets, type MatrixCompletionDataset, minNuclearNormCompletion } from '../../src/index.js';
import { invalid, lcg } from '../helpers/index.js';

/**
 * Singular values of a rows×cols row-major matrix by one-sided Jacobi (Hestenes): rotate pairs of columns of
 * A until they are orthogonal; the singular values are then the column norms (accurate for tiny ones too,
 * unlike √eig(AᵀA)).
 */
function jacobiSingularValues(A: ArrayLike<number>, rows: number, cols: number): number[] {
  const C = Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => A[i * cols + j]!));
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          alpha += C[p]![i]! ** 2;
          beta += C[q]![i]! ** 2;
          gamma += C[p]![i]! * C[q]![i]!;
        }
        if (Math.abs(gamma) <= 1e-16 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < rows; i++) {
          const a = C[p]![i]!;
          const b = C[q]![i]!;
          C[p]![i] = c * a - s * b;
          C[q]![i] = s * a + c * b;
        }
      }
    }
    if (!rotated) break;
  }
  return C.map((col) => Math.hypot(...col)).sort((a, b) => b - a);
}

const nuclear = (A: ArrayLike<number>, rows: number, cols: number) =>
  jacobiSingularValues(A, rows, cols).reduce((a, b) => a + b, 0);

/** A completion problem from a full matrix and the flat indices observed. */
function problem(rows: number, cols: number, full: number[], observed: number[]): MatrixCompletionDataset {
  return {
    rows,
    cols,
    observed: Int32Array.from(observed),
    values: Float64Array.from(observed.map((k) => full[k]!)),
  };
}

/** The certificate's claims, re-checked: Y zero off Ω with ‖Y‖₂ ≤ 1, lowerBound = ⟨Y, M_Ω⟩, Z feasible, gap. */
function checkCertificate(
  data: MatrixCompletionDataset,
  r: ReturnType<typeof minNuclearNormCompletion>,
): void {
  const { rows, cols, observed, values } = data;
  const onOmega = new Set(observed);
  for (let k = 0; k < rows * cols; k++) if (!onOmega.has(k)) expect(r.dual[k]).toBe(0);
  observed.forEach((k, s) => {
    expect(r.Z[k]).toBe(values[s]);
  });
  expect(jacobiSingularValues(r.dual, rows, cols)[0]!).toBeLessThanOrEqual(1 + 1e-9);
  let lower = 0;
  observed.forEach((k, s) => {
    lower += r.dual[k]! * values[s]!;
  });
  expect(r.lowerBound).toBeCloseTo(lower, 10);
  const norm = nuclear(r.Z, rows, cols);
  expect(Math.abs(r.nuclearNorm - norm)).toBeLessThanOrEqual(1e-9 * Math.max(1, norm));
  expect(r.gap).toBeGreaterThanOrEqual(0);
  expect(r.gap).toBeCloseTo((r.nuclearNorm - r.lowerBound) / r.nuclearNorm, 12);
  expect(r.lowerBound).toBeLessThanOrEqual(r.nuclearNorm * (1 + 1e-12));
}

/** For a > 0: the completion x of [[a, b], [c, x]] minimizing ‖·‖_* (derivation in the test below). */
function twoByTwo(a: number, b: number, c: number): { x: number; norm: number } {
  const x = Math.min(a, Math.max(-a, (b * c) / a));
  return { x, norm: Math.sqrt(a * a + b * b + c * c + x * x + 2 * Math.abs(a * x - b * c)) };
}

describe('minNuclearNormCompletion', () => {
  it('minNuclearNormCompletion(data) of a fully observed matrix is the matrix itself', () => {
    // M = R(0.3)·diag(3, 1)·R(−1.1)ᵀ has singular values 3 and 1: ‖M‖_* = 4.
    const rot = (t: number) => [
      [Math.cos(t), -Math.sin(t)],
      [Math.sin(t), Math.cos(t)],
    ];
    const P = rot(0.3);
    const Q = rot(-1.1);
    const s = [3, 1];
    const full = [0, 1].flatMap((i) =>
      [0, 1].map((j) => P[i]![0]! * s[0]! * Q[j]![0]! + P[i]![1]! * s[1]! * Q[j]![1]!),
    );
    const data = problem(2, 2, full, [0, 1, 2, 3]);
    const r = minNuclearNormCompletion(data, { tol: 1e-9 });
    expect(Array.from(r.Z)).toEqual(full);
    expect(r.nuclearNorm).toBeCloseTo(4, 12);
    expect(r.gap).toBeLessThanOrEqual(1e-9);
    checkCertificate(data, r);
  });

  it('minNuclearNormCompletion(data) of [[a, b], [c, ?]] is x = clamp(bc/a, −a, a), proved by hand (property)', () => {
    // For 2×2 Z, (σ₁ + σ₂)² = ‖Z‖_F² + 2|det Z|, so ‖[[a, b], [c, x]]‖_*² = a² + b² + c² + x² + 2|ax − bc|.
    // With a > 0, x² + 2|ax − bc| has slope 2x − 2a left of the kink x = bc/a and 2x + 2a right of it: the
    // kink is the minimizer iff −a ≤ bc/a ≤ a (|bc| ≤ a², the rank-1 completion), else x = a (bc > a²) or
    // x = −a (bc < −a²), where the completion has rank 2.
    const r1 = minNuclearNormCompletion(problem(2, 2, [1, 2, 3, 0], [0, 1, 2]), { tol: 1e-10 });
    expect(r1.Z[3]).toBeCloseTo(1, 7); // bc = 6 > 1: x = 1, ‖Z‖_* = √25 = 5, not the rank-1 √50
    expect(r1.nuclearNorm).toBeCloseTo(5, 9);
    const r2 = minNuclearNormCompletion(problem(2, 2, [2, 1, 1, 0], [0, 1, 2]), { tol: 1e-10 });
    expect(r2.Z[3]).toBeCloseTo(0.5, 7); // bc = 1 ≤ 4: the rank-1 completion (2, 1)ᵀ(1, 0.5), ‖·‖_* = 2.5
    expect(r2.nuclearNorm).toBeCloseTo(2.5, 9);
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (a, b, c) => {
          const data = problem(2, 2, [a, b, c, 0], [0, 1, 2]);
          const r = minNuclearNormCompletion(data, { tol: 1e-9 });
          const ref = twoByTwo(a, b, c);
          expect(Math.abs(r.nuclearNorm - ref.norm)).toBeLessThanOrEqual(2e-9 * ref.norm);
          expect(r.nuclearNorm).toBeGreaterThanOrEqual(ref.norm * (1 - 1e-12));
          checkCertificate(data, r);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('minNuclearNormCompletion(data) with a non-unique minimizer: [[1, ?], [?, 1]] has minimum 2 = the trace bound', () => {
    // ‖Z‖_* ≥ tr(Z) = 2 for every completion, with equality for every PSD [[1, a], [a, 1]], |a| ≤ 1.
    const data = problem(2, 2, [1, 0, 0, 1], [0, 3]);
    const r = minNuclearNormCompletion(data, { tol: 1e-10 });
    expect(r.nuclearNorm).toBeCloseTo(2, 9);
    expect(r.lowerBound).toBeCloseTo(2, 8); // the certificate Y = I
    checkCertificate(data, r);
  });

  it('minNuclearNormCompletion(data) matches a brute-force search over two missing entries (convex in them)', () => {
    const g = lcg(11);
    for (let trial = 0; trial < 4; trial++) {
      const full = Array.from({ length: 9 }, () => 2 * g() - 1);
      const missing = [1 + trial, 7 - trial].sort((x, y) => x - y);
      const observed = Array.from({ length: 9 }, (_, k) => k).filter((k) => !missing.includes(k));
      const data = problem(3, 3, full, observed);
      const r = minNuclearNormCompletion(data, { tol: 1e-10 });
      // Nested golden-section search of the convex f(u, v) = ‖Z(u, v)‖_* on [−10, 10]².
      const Z = full.slice();
      const f = (u: number, v: number) => {
        Z[missing[0]!] = u;
        Z[missing[1]!] = v;
        return nuclear(Z, 3, 3);
      };
      const golden = (h: (t: number) => number) => {
        let lo = -10;
        let hi = 10;
        const phi = (Math.sqrt(5) - 1) / 2;
        for (let k = 0; k < 80; k++) {
          const a = hi - phi * (hi - lo);
          const b = lo + phi * (hi - lo);
          if (h(a) < h(b)) hi = b;
          else lo = a;
        }
        return (lo + hi) / 2;
      };
      const uBest = golden((u) =>
        f(
          u,
          golden((v) => f(u, v)),
        ),
      );
      const best = f(
        uBest,
        golden((v) => f(uBest, v)),
      );
      expect(Math.abs(r.nuclearNorm - best)).toBeLessThanOrEqual(1e-7 * best);
      checkCertificate(data, r);
    }
  });

  it('minNuclearNormCompletion(data) recovers a well-sampled rank-1 matrix exactly (Candès–Recht) and beats the truth elsewhere (property)', () => {
    // 10×10 rank 1, 60 % observed: the completion is the truth (w.h.p.; certified by the gap).
    const data = datasets.matrixCompletion({ rows: 10, cols: 10, rank: 1, observed: 0.6, seed: 3 });
    const r = minNuclearNormCompletion(data, { tol: 1e-9 });
    const truth = data.truth!;
    let err = 0;
    let norm = 0;
    for (let k = 0; k < 100; k++) {
      err += (r.Z[k]! - truth[k]!) ** 2;
      norm += truth[k]! ** 2;
    }
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-4);
    expect(r.nuclearNorm).toBeCloseTo(nuclear(truth, 10, 10), 6);
    checkCertificate(data, r);
    // Any instance: the truth is feasible, so the minimum is at most ‖truth‖_*.
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.2, max: 0.9, noNaN: true }),
        fc.nat(),
        (rows, cols, rank, observed, seed) => {
          const d = datasets.matrixCompletion({
            rows,
            cols,
            rank: Math.min(rank, rows, cols),
            observed,
            seed,
          });
          const res = minNuclearNormCompletion(d);
          expect(res.gap).toBeLessThanOrEqual(1e-6);
          expect(res.nuclearNorm).toBeLessThanOrEqual(nuclear(d.truth!, rows, cols) * (1 + 1e-6));
          checkCertificate(d, res);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('minNuclearNormCompletion(data, options) returns Z = 0 for all-zero observations and rejects bad input with INVALID_INPUT', () => {
    const zero = minNuclearNormCompletion(problem(2, 3, [0, 0, 0, 0, 0, 0], [0, 4]));
    expect(Array.from(zero.Z)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(zero.gap).toBe(0);
    const ok = problem(2, 2, [1, 2, 3, 4], [0, 1, 2]);
    expect(() => minNuclearNormCompletion(ok, { tol: 0 })).toThrow(
      invalid('minNuclearNormCompletion: tol must be a finite number > 0, got 0'),
    );
    expect(() => minNuclearNormCompletion(ok, { tolerance: 1 } as never)).toThrow(
      invalid('tolerance is not a known option'),
    );
    expect(() => minNuclearNormCompletion({ ...ok, observed: Int32Array.of(0, 0, 1) })).toThrow(
      invalid('minNuclearNormCompletion: data.observed[1] repeats index 0'),
    );
    expect(() => minNuclearNormCompletion({ ...ok, values: Float64Array.of(1, Number.NaN, 2) })).toThrow(
      invalid('data.values[1] must be finite'),
    );
    // Not reaching tol is data, not an error: the gap is certified anyway.
    const short = minNuclearNormCompletion(
      datasets.matrixCompletion({ rows: 12, cols: 12, rank: 2, seed: 1 }),
      { tol: 1e-12, maxIterations: 20 },
    );
    expect(short.converged).toBe(false);
    expect(short.iterations).toBe(20);
    expect(short.gap).toBeGreaterThan(1e-12);
  });
});
