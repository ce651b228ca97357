import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, datasets, trainMatrixFactorization } from '../../../src/index.js';
import {
  createFactorizationScratch,
  factorizationObjective,
  matmulOffset,
  matmulTransAOffset,
  matmulTransBOffset,
} from '../../../src/kernels/factorization.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { invalid } from '../../helpers/index.js';

/** L = Σ_Ω ([W_N⋯W₁]_ij − y_ij)² straight from the definition (naive triple loops, fresh arrays). */
function naiveLoss(theta: Float64Array, dims: number[], observed: Int32Array, values: Float64Array): number {
  const cols = dims[0]!;
  // P = identity (cols×cols), then P ← W_k P.
  let P: number[][] = Array.from({ length: cols }, (_, i) =>
    Array.from({ length: cols }, (_, j) => +(i === j)),
  );
  let off = 0;
  for (let k = 1; k < dims.length; k++) {
    const r = dims[k]!;
    const c = dims[k - 1]!;
    const next: number[][] = [];
    for (let i = 0; i < r; i++) {
      next.push([]);
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let p = 0; p < c; p++) s += theta[off + i * c + p]! * P[p]![j]!;
        next[i]!.push(s);
      }
    }
    P = next;
    off += r * c;
  }
  let loss = 0;
  observed.forEach((idx, s) => {
    loss += (P[Math.floor(idx / cols)]![idx % cols]! - values[s]!) ** 2;
  });
  return loss;
}

describe('factorizationObjective', () => {
  it('factorizationObjective(grad, θ, Ω, y, scratch): the gradient equals central finite differences for depths 1–3', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (depth, rows, cols, width, seed) => {
          const data = datasets.matrixCompletion({ rows, cols, rank: 1, observed: 0.6, seed });
          const s = createFactorizationScratch(rows, cols, depth, width);
          const dims = Array.from(s.dims);
          const rng = createRng(seed, 7);
          const theta = new Float64Array(s.offsets[depth]!);
          for (let q = 0; q < theta.length; q++) theta[q] = rng.normal();
          const grad = new Float64Array(theta.length);
          const loss = factorizationObjective(grad, theta, data.observed, data.values, s);
          expect(loss).toBeCloseTo(naiveLoss(theta, dims, data.observed, data.values), 9);
          const h = 1e-5;
          for (let q = 0; q < theta.length; q++) {
            const t = theta[q]!;
            theta[q] = t + h;
            const up = naiveLoss(theta, dims, data.observed, data.values);
            theta[q] = t - h;
            const down = naiveLoss(theta, dims, data.observed, data.values);
            theta[q] = t;
            const fd = (up - down) / (2 * h);
            expect(Math.abs(grad[q]! - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('factorization matmul kernels', () => {
  it('matmulOffset / matmulTransAOffset / matmulTransBOffset(out, …) equal linalg matmul on explicit transposes, return out, leave inputs unchanged', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, k, n, off, seed) => {
          const rng = createRng(seed, 3);
          const draw = (len: number) => Float64Array.from({ length: len }, () => rng.normal());
          const A = draw(m * k); // m×k
          const B = draw(k * n); // k×n
          const padded = new Float64Array(off + m * k);
          padded.set(A, off);
          const t = (X: Float64Array, r: number, c: number) =>
            Float64Array.from({ length: r * c }, (_, q) => X[(q % r) * c + Math.floor(q / r)]!);
          const ref = matmul(A, B, m, k, n);
          const copyA = Float64Array.from(padded);
          const copyB = Float64Array.from(B);
          const out1 = new Float64Array(m * n);
          expect(matmulOffset(out1, padded, off, B, m, k, n)).toBe(out1);
          // Aᵀ stored k×m at an offset; Bᵀ stored n×k.
          const At = t(A, m, k);
          const paddedT = new Float64Array(off + k * m);
          paddedT.set(At, off);
          const out2 = new Float64Array(m * n);
          expect(matmulTransAOffset(out2, paddedT, off, B, k, m, n)).toBe(out2);
          const out3 = new Float64Array(off + m * n);
          expect(matmulTransBOffset(out3, off, A, t(B, k, n), m, k, n)).toBe(out3);
          for (let q = 0; q < m * n; q++) {
            expect(out1[q]).toBeCloseTo(ref[q]!, 12);
            expect(out2[q]).toBeCloseTo(ref[q]!, 12);
            expect(out3[off + q]).toBeCloseTo(ref[q]!, 12);
          }
          expect(padded).toEqual(copyA);
          expect(B).toEqual(copyB);
        },
      ),
    );
  });
});

describe('datasets.matrixCompletion', () => {
  it('datasets.matrixCompletion(options) returns a rank-r truth, a sorted distinct Ω of the asked size and y = M on Ω', async () => {
    const { Matrix, SingularValueDecomposition } = await import('ml-matrix');
    const d = datasets.matrixCompletion({ rows: 7, cols: 5, rank: 2, observed: 0.4, seed: 3 });
    expect(d.observed.length).toBe(14);
    for (let s = 1; s < d.observed.length; s++) expect(d.observed[s]!).toBeGreaterThan(d.observed[s - 1]!);
    for (let s = 0; s < d.observed.length; s++) expect(d.values[s]).toBe(d.truth![d.observed[s]!]);
    const M = new Matrix(Array.from({ length: 7 }, (_, i) => Array.from(d.truth!.slice(i * 5, i * 5 + 5))));
    const sv = new SingularValueDecomposition(M).diagonal;
    expect(sv.filter((x) => x > 1e-10 * sv[0]!).length).toBe(2);
    expect(datasets.matrixCompletion({ rows: 7, cols: 5, observed: 9 }).observed.length).toBe(9);
    const noisy = datasets.matrixCompletion({
      rows: 7,
      cols: 5,
      rank: 2,
      observed: 0.4,
      seed: 3,
      noise: 0.1,
    });
    expect(noisy.truth).toEqual(d.truth);
    expect(noisy.values).not.toEqual(d.values);
  });

  it('datasets.matrixCompletion(options) rejects bad options naming them', () => {
    expect(() => datasets.matrixCompletion({ rows: 3, cols: 4, rank: 4 })).toThrow(invalid('rank'));
    expect(() => datasets.matrixCompletion({ observed: 1.5 })).toThrow(
      invalid('observed must be a fraction'),
    );
    expect(() => datasets.matrixCompletion({ observed: 0 })).toThrow(invalid('observed'));
    expect(() => datasets.matrixCompletion({ rows: 2, cols: 2, observed: 5 })).toThrow(invalid('observed'));
    expect(() => datasets.matrixCompletion({ noise: -1 })).toThrow(invalid('noise'));
    expect(() => datasets.matrixCompletion({ rank: 1, colz: 3 } as never)).toThrow(invalid('colz'));
  });
});

describe('trainMatrixFactorization', () => {
  it('trainMatrixFactorization(options): one GD step equals the hand-computed chain rule (depth 2, 1×2 target, width 1)', () => {
    // W₁ = [a, b] (1×2), W₂ = [c]: W_e = [ca, cb]; L = (ca − y₁)² + (cb − y₂)².
    const [a, b, c, y1, y2, lr] = [0.5, -1, 2, 3, 1, 0.1];
    const data = { rows: 1, cols: 2, observed: Int32Array.of(0, 1), values: Float64Array.of(y1, y2) };
    const res = trainMatrixFactorization({ data, depth: 2, width: 1, init: [[a, b], [c]], lr, steps: 1 });
    const r1 = c * a - y1;
    const r2 = c * b - y2;
    const [a1, b1] = [a - lr * 2 * c * r1, b - lr * 2 * c * r2];
    const c1 = c - lr * (2 * a * r1 + 2 * b * r2);
    expect(Array.from(res.factors[0]!)).toEqual([a1, b1]);
    expect(res.factors[1]![0]).toBeCloseTo(c1, 14);
    expect(res.history[0]!.loss).toBeCloseTo(r1 * r1 + r2 * r2, 14);
    expect(Array.from(res.endMatrix)).toEqual([res.factors[1]![0]! * a1, res.factors[1]![0]! * b1]);
    expect(res.dims).toEqual([2, 1, 1]);
  });

  it('trainMatrixFactorization(options): depth 1 from 0 converges to the minimum-Frobenius completion (y on Ω, 0 off Ω)', () => {
    const data = datasets.matrixCompletion({ rows: 9, cols: 6, rank: 2, observed: 0.5, seed: 4 });
    const res = trainMatrixFactorization({ data, depth: 1, initScale: 0, lr: 0.2, steps: 200 });
    const expected = new Float64Array(54);
    data.observed.forEach((idx, s) => {
      expected[idx] = data.values[s]!;
    });
    for (let q = 0; q < 54; q++) expect(Math.abs(res.endMatrix[q]! - expected[q]!)).toBeLessThan(1e-12);
    // Off Ω nothing is learned: the relative error there is exactly 1.
    expect(res.history.at(-1)!.unobservedError).toBe(1);
  });

  it('trainMatrixFactorization(options): depth 2–3 with small init recover a rank-1 truth far better than depth 1 (5 seeds)', () => {
    const err = { 1: [] as number[], 2: [] as number[], 3: [] as number[] };
    for (let seed = 0; seed < 5; seed++) {
      const data = datasets.matrixCompletion({ rows: 12, cols: 12, rank: 1, observed: 0.4, seed });
      for (const depth of [1, 2, 3] as const) {
        const res = trainMatrixFactorization({
          data,
          depth,
          initScale: depth === 1 ? 0 : 0.01,
          lr: 0.02,
          steps: 2000,
          seed,
          record: { at: [], metrics: ['recoveryError', 'unobservedError'] },
        });
        const last = res.history.at(-1)!;
        expect(last.loss).toBeLessThan(1e-3);
        err[depth].push(last.unobservedError!);
      }
    }
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    // Depth 1 learns nothing off Ω (error exactly 1); depth 2 cuts it several-fold, depth 3 recovers M.
    for (const e of err[1]) expect(e).toBeCloseTo(1, 12);
    expect(mean(err[2])).toBeLessThan(0.3);
    for (const e of err[3]) expect(e).toBeLessThan(0.01);
  });

  it('trainMatrixFactorization(options): deeper factorizations end with lower effective rank and wider singular-value gaps (rank 2, 5 seeds)', () => {
    for (let seed = 0; seed < 5; seed++) {
      const data = datasets.matrixCompletion({ rows: 12, cols: 12, rank: 2, observed: 0.5, seed });
      const last = [1, 2, 3].map(
        (depth) =>
          trainMatrixFactorization({
            data,
            depth,
            initScale: depth === 1 ? 0 : 0.01,
            lr: 0.01,
            steps: 3000,
            seed,
            record: { at: [], metrics: ['singularValues', 'effectiveRank'] },
          }).history.at(-1)!,
      );
      const erank = last.map((row) => row.effectiveRank!);
      expect(erank[1]!).toBeLessThan(erank[0]!);
      expect(erank[2]!).toBeLessThan(erank[1]!);
      // The gap between the truth's rank and the rest: σ₂/σ₃ grows with depth.
      const gap = last.map((row) => row.singularValues![1]! / row.singularValues![2]!);
      expect(gap[1]!).toBeGreaterThan(gap[0]!);
      expect(gap[2]!).toBeGreaterThan(10 * gap[1]!);
    }
  });

  it('trainMatrixFactorization(options) is deterministic and diverges with DIVERGED at a huge step', () => {
    const data = datasets.matrixCompletion({ rows: 5, cols: 4, rank: 1, seed: 2 });
    const run = () =>
      trainMatrixFactorization({ data, depth: 3, width: 3, initScale: 0.3, lr: 0.01, steps: 50, seed: 9 });
    expect(run()).toEqual(run());
    expect(() => trainMatrixFactorization({ data, depth: 2, initScale: 1, lr: 50, steps: 100 })).toThrow(
      expect.objectContaining({ code: 'DIVERGED' }),
    );
    const stopped = trainMatrixFactorization({
      data,
      depth: 2,
      initScale: 1,
      lr: 50,
      steps: 100,
      onDiverge: 'stop',
    });
    expect(stopped.status).toBe('diverged');
    expect(stopped.divergedAt).toBeGreaterThan(0);
  });

  it('trainMatrixFactorization(options) rejects bad options naming them', () => {
    const data = datasets.matrixCompletion({ rows: 3, cols: 3, rank: 1 });
    const base = { data, depth: 2, lr: 0.1, steps: 10 };
    expect(() => trainMatrixFactorization({ ...base, depth: 0 })).toThrow(invalid('depth'));
    expect(() => trainMatrixFactorization({ ...base, lr: 0 })).toThrow(invalid('lr'));
    expect(() => trainMatrixFactorization({ ...base, steps: 1.5 })).toThrow(invalid('steps'));
    expect(() => trainMatrixFactorization({ ...base, initScale: -1 })).toThrow(invalid('initScale'));
    expect(() => trainMatrixFactorization({ ...base, width: 0 })).toThrow(invalid('width'));
    expect(() => trainMatrixFactorization({ ...base, init: [[1]] })).toThrow(invalid('init'));
    expect(() => trainMatrixFactorization({ ...base, init: [[1], [1]] })).toThrow(invalid('init[0]'));
    expect(() => trainMatrixFactorization({ ...base, lR: 1 } as never)).toThrow(invalid('lR'));
    expect(() => trainMatrixFactorization({ ...base, record: { metrics: ['rank' as never] } })).toThrow(
      invalid('record.metrics[0]'),
    );
    const bad = { rows: 2, cols: 2, observed: Int32Array.of(0, 4), values: Float64Array.of(1, 2) };
    expect(() => trainMatrixFactorization({ ...base, data: bad })).toThrow(invalid('data.observed[1]'));
    const dup = { rows: 2, cols: 2, observed: Int32Array.of(1, 1), values: Float64Array.of(1, 2) };
    expect(() => trainMatrixFactorization({ ...base, data: dup })).toThrow(invalid('repeats'));
    const nan = { rows: 2, cols: 2, observed: Int32Array.of(1), values: Float64Array.of(Number.NaN) };
    expect(() => trainMatrixFactorization({ ...base, data: nan })).toThrow(invalid('data.values[0]'));
    const noTruth = { rows: 2, cols: 2, observed: Int32Array.of(1), values: Float64Array.of(1) };
    expect(() =>
      trainMatrixFactorization({ ...base, data: noTruth, record: { metrics: ['recoveryError'] } }),
    ).toThrow(invalid('data.truth'));
    // Without a truth, the defaults skip the recovery metrics.
    const ok = trainMatrixFactorization({ ...base, data: noTruth, steps: 2 });
    expect(ok.history[0]!.recoveryError).toBeUndefined();
  });
});
