import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../src/datasets/dataset.js';
import { datasets } from '../../src/datasets/datasets.js';
import type { Dataset } from '../../src/datasets/types.js';
import type { ImplicitBiasError } from '../../src/errors/index.js';
import { loadedHighs, ready } from '../../src/svm/lp/ready.js';
import { type LinearProgram, solveLP } from '../../src/svm/lp/solveLP.js';
import {
  projectNonSep,
  projectSep,
  type SeparablePartition,
  separablePartition,
  separablePartitionSync,
} from '../../src/svm/partition/index.js';

beforeAll(async () => {
  await ready();
});

/**
 * Brute-force reference (the paper's greedy construction, Appendix A): for each i a separate LP,
 * maximize yᵢxᵢᵀθ s.t. yⱼxⱼᵀθ ≥ 0 ∀j, −1 ≤ θₖ ≤ 1; i ∈ D_sep ⇔ the optimum is positive.
 */
function bruteForce(data: Dataset): { sep: number[]; non: number[] } {
  const { X, y, n, d } = data;
  let scale = 0;
  for (const v of X) scale = Math.max(scale, Math.abs(v));
  const sep: number[] = [];
  const non: number[] = [];
  if (scale === 0) return { sep, non: Array.from({ length: n }, (_, i) => i) };
  const G = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) G[i * d + j] = (y[i]! * X[i * d + j]!) / scale;
  const starts = new Int32Array(n + 1);
  const indices = new Int32Array(n * d);
  for (let i = 0; i <= n; i++) starts[i] = i * d;
  for (let k = 0; k < n * d; k++) indices[k] = k % d;
  for (let i = 0; i < n; i++) {
    const lp: LinearProgram = {
      sense: 'maximize',
      numCols: d,
      numRows: n,
      cost: G.slice(i * d, i * d + d),
      colLower: new Float64Array(d).fill(-1),
      colUpper: new Float64Array(d).fill(1),
      rowLower: new Float64Array(n),
      rowUpper: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
      starts,
      indices,
      values: G,
    };
    const sol = solveLP(loadedHighs('bruteForce'), 'bruteForce', lp);
    (sol.objective > 1e-7 ? sep : non).push(i);
  }
  return { sep, non };
}

function margins(data: Dataset, theta: Float64Array): Float64Array {
  const m = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += data.X[i * data.d + j]! * theta[j]!;
    m[i] = data.y[i]! * s;
  }
  return m;
}

function maxNorm(data: Dataset): number {
  let R = 0;
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += data.X[i * data.d + j]! ** 2;
    R = Math.max(R, Math.sqrt(s));
  }
  return R;
}

/** Every invariant of the contract, at tolerance tol. */
function checkInvariants(data: Dataset, p: SeparablePartition, tol = 1e-9): void {
  const { n, d } = data;
  expect(p.separable.length + p.nonSeparable.length).toBe(n);
  const all = [...p.separable, ...p.nonSeparable].sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  for (const a of [p.separable, p.nonSeparable])
    for (let k = 1; k < a.length; k++) expect(a[k]!).toBeGreaterThan(a[k - 1]!);
  const R = maxNorm(data);
  const m = margins(data, p.witness);
  for (let i = 0; i < n; i++) expect(m[i]!).toBeGreaterThanOrEqual(-tol * R);
  for (const i of p.separable) expect(m[i]!).toBeGreaterThan(tol * R);
  for (const i of p.nonSeparable) expect(Math.abs(m[i]!)).toBeLessThanOrEqual(tol * R);
  // Bases: orthonormal, complementary, S contains the non-separable points.
  const r = p.rank;
  expect(p.nonSepBasis.length).toBe(r * d);
  expect(p.sepBasis.length).toBe((d - r) * d);
  const B = new Float64Array(d * d);
  B.set(p.nonSepBasis, 0);
  B.set(p.sepBasis, r * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += B[a * d + j]! * B[b * d + j]!;
      expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-12);
    }
  }
  for (const i of p.nonSeparable) {
    const x = data.X.slice(i * d, i * d + d);
    const q = projectSep(new Float64Array(d), p, x);
    let e = 0;
    for (const v of q) e += v * v;
    expect(Math.sqrt(e)).toBeLessThanOrEqual(1e-12 * Math.max(1, R));
  }
  // Certificate: p ≥ 0, ≥ 1 on D_non-sep, 0 on D_sep, Σ pᵢyᵢxᵢ ≈ 0.
  for (const i of p.separable) expect(p.certificate[i]).toBe(0);
  for (const i of p.nonSeparable) expect(p.certificate[i]!).toBeGreaterThan(0);
  expect(p.certificateResidual).toBeLessThanOrEqual(tol);
}

describe('separablePartition: degenerate inputs', () => {
  it('duplicate points with opposite labels are both non-separable', async () => {
    // θ = (−2, 1) is 0 on the pair and 1 on (0, 1).
    const data = dataset(
      [
        [1, 2],
        [1, 2],
        [0, 1],
      ],
      [1, -1, 1],
    );
    const p = await separablePartition(data);
    expect([...p.separable]).toEqual([2]);
    expect([...p.nonSeparable]).toEqual([0, 1]);
    checkInvariants(data, p);
    const only = dataset(
      [
        [1, 2],
        [1, 2],
      ],
      [1, -1],
    );
    const q = await separablePartition(only);
    expect([...q.nonSeparable]).toEqual([0, 1]);
    checkInvariants(only, q);
  });

  it('a duplicate pair with opposite labels next to an orthogonal separable point', async () => {
    const data = dataset(
      [
        [1, 0],
        [1, 0],
        [0, 1],
        [0, -2],
      ],
      [1, -1, 1, -1],
    );
    const p = await separablePartition(data);
    expect([...p.separable]).toEqual([2, 3]);
    expect([...p.nonSeparable]).toEqual([0, 1]);
    expect(p.rank).toBe(1);
    expect(Math.abs(p.nonSepBasis[0]!)).toBeCloseTo(1, 14);
    checkInvariants(data, p);
  });

  it('all non-separable: D_sep = ∅, witness 0, S = span of the data', async () => {
    const data = dataset(
      [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ],
      [1, 1, 1, 1],
    );
    const p = await separablePartition(data);
    expect(p.separable.length).toBe(0);
    expect([...p.nonSeparable]).toEqual([0, 1, 2, 3]);
    expect([...p.witness]).toEqual([0, 0]);
    expect(p.rank).toBe(2);
    expect(p.sepBasis.length).toBe(0);
    checkInvariants(data, p);
  });

  it('all separable: D_non-sep = ∅, nonSepBasis empty, sepBasis the identity', async () => {
    const data = datasets.separable({ n: 40, d: 3, seed: 2 });
    const p = await separablePartition(data);
    expect(p.nonSeparable.length).toBe(0);
    expect(p.rank).toBe(0);
    expect(p.nonSepBasis.length).toBe(0);
    expect([...p.sepBasis]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    checkInvariants(data, p);
  });

  it('d = 1: same signs separate, opposite signs with one label do not', async () => {
    const a = dataset([[1], [2], [-3]], [1, 1, -1]);
    const pa = await separablePartition(a);
    expect([...pa.separable]).toEqual([0, 1, 2]);
    checkInvariants(a, pa);
    const b = dataset([[1], [-2], [0]], [1, 1, -1]);
    const pb = await separablePartition(b);
    expect([...pb.nonSeparable]).toEqual([0, 1, 2]);
    expect(pb.rank).toBe(1);
    checkInvariants(b, pb);
  });

  it('x = 0 is non-separable; all-zero X has D_sep = ∅ and rank 0', async () => {
    const a = dataset(
      [
        [0, 0],
        [1, 1],
      ],
      [1, -1],
    );
    const pa = await separablePartition(a);
    expect([...pa.separable]).toEqual([1]);
    expect([...pa.nonSeparable]).toEqual([0]);
    expect(pa.rank).toBe(0);
    checkInvariants(a, pa);
    const b = dataset(
      [
        [0, 0],
        [0, 0],
      ],
      [1, -1],
    );
    const pb = await separablePartition(b);
    expect(pb.separable.length).toBe(0);
    expect(pb.rank).toBe(0);
    expect([...pb.sepBasis]).toEqual([1, 0, 0, 1]);
  });

  it('a vertex of the boxed LP would drop a separable point; the free-θ LP does not', async () => {
    // Both points separate (θ₁ > 0, θ₂ > θ₁/δ). With a box |θ| ≤ 1 the objective s₁ + s₂ = δ is flat in
    // θ₁ ∈ [0, δ], and HiGHS 1.15.3 returns the vertex θ = (0, 1), s = (0, δ): a box would misclassify
    // point 0. With θ free the optimum is s = (1, 1).
    const both = dataset(
      [
        [1, 0],
        [-1, 1e-3],
      ],
      [1, 1],
    );
    const q = await separablePartition(both);
    expect([...q.separable]).toEqual([0, 1]);
    expect(bruteForce(both).sep).toEqual([0, 1]);
    checkInvariants(both, q);
    // Adding (0, ±1) with label +1 forces θ₂ = 0, and then θ₁ = 0: nothing separates.
    const data = dataset(
      [
        [1, 0],
        [-1, 1e-3],
        [0, 1],
        [0, -1],
      ],
      [1, 1, 1, 1],
    );
    const p = await separablePartition(data);
    expect(bruteForce(data)).toEqual({ sep: [], non: [0, 1, 2, 3] });
    expect([...p.nonSeparable]).toEqual([0, 1, 2, 3]);
    checkInvariants(data, p);
  });

  it('tol: margins below the LP resolution are non-separable; between it and tol the call throws', async () => {
    // (1, 0, 0) and (−1, ε, 0) (label +1) separate only with θ ∝ (1, 2/ε, 0)-ish: normalized margin ~ε/2.
    const make = (eps: number) =>
      dataset(
        [
          [1, 0, 0],
          [-1, eps, 0],
          [0, 0, 1],
          [0, 0, -1],
        ],
        [1, 1, 1, 1],
      );
    for (const eps of [1e-3, 1e-6, 1e-8]) {
      const p = await separablePartition(make(eps));
      expect([...p.separable]).toEqual([0, 1]);
      checkInvariants(make(eps), p);
    }
    for (const eps of [1e-12, 1e-15]) {
      const p = await separablePartition(make(eps));
      expect([...p.separable]).toEqual([]);
      checkInvariants(make(eps), p);
      const q = await separablePartition(make(eps), { tol: 1e-3 });
      expect([...q.separable]).toEqual([]);
    }
    // Margin ~5e-7, visible to the LP but below tol = 1e-5: ambiguous, so the call refuses to guess.
    await expect(separablePartition(make(1e-6), { tol: 1e-5 })).rejects.toMatchObject({
      code: 'SOLVER_FAILED',
    });
  });

  it('scale does not matter', async () => {
    const base = datasets.partitioned({ nSep: 10, nNonSep: 6, d: 3, seed: 4 });
    for (const c of [1e-150, 1e-8, 1, 1e8, 1e150]) {
      const data = dataset(
        Float64Array.from(base.X, (v) => v * c),
        base.y,
        base.d,
      );
      const p = await separablePartition(data);
      expect([...p.separable]).toEqual([...base.knownSeparable]);
      checkInvariants(data, p);
    }
  });

  it('validates input and needs ready() only for the sync form (already loaded here)', () => {
    const data = dataset([[1, 0]], [1]);
    expect(() => separablePartitionSync(data, { tol: 0 })).toThrow(/tol/);
    expect(() => separablePartitionSync(data, { tl: 1 } as never)).toThrow(/not a known option/);
    try {
      separablePartitionSync({ X: new Float64Array([1]), y: new Float64Array([2]), n: 1, d: 1 });
      expect.unreachable();
    } catch (err) {
      expect((err as ImplicitBiasError).code).toBe('INVALID_INPUT');
    }
    const p = separablePartitionSync(data);
    expect(() => projectSep(new Float64Array(3), p, new Float64Array(2))).toThrow(/out/);
    expect(() => projectNonSep(new Float64Array(2), p, new Float64Array(3))).toThrow(/theta/);
  });
});

describe('separablePartition: known partitions', () => {
  it('datasets.partitioned gives back its known partition', async () => {
    for (const [nSep, nNonSep, d, seed] of [
      [50, 50, 3, 0],
      [20, 2, 2, 1],
      [0, 30, 4, 2],
      [30, 0, 4, 3],
      [10, 1, 5, 4],
      [200, 100, 10, 5],
    ] as const) {
      const data = datasets.partitioned({ nSep, nNonSep, d, seed });
      const p = await separablePartition(data);
      expect([...p.separable]).toEqual([...data.knownSeparable]);
      expect([...p.nonSeparable]).toEqual([...data.knownNonSeparable]);
      checkInvariants(data, p);
    }
  });

  it('datasets.partitioned: deterministic, its planted witness and certificate hold, bad options rejected', () => {
    const a = datasets.partitioned({ nSep: 25, nNonSep: 9, d: 4, seed: 11 });
    const b = datasets.partitioned({ nSep: 25, nNonSep: 9, d: 4, seed: 11 });
    expect([...a.X]).toEqual([...b.X]);
    expect(a.n).toBe(34);
    const m = margins(a, a.planted);
    for (const i of a.knownSeparable) expect(m[i]!).toBeGreaterThanOrEqual(0.5);
    for (const i of a.knownNonSeparable) expect(Math.abs(m[i]!)).toBeLessThan(1e-12);
    const v = new Float64Array(a.d);
    for (let i = 0; i < a.n; i++)
      for (let j = 0; j < a.d; j++) v[j]! += a.certificate[i]! * a.y[i]! * a.X[i * a.d + j]!;
    for (const x of v) expect(Math.abs(x)).toBeLessThan(1e-12);
    expect(() => datasets.partitioned({ nSep: 3, nNonSep: 2, d: 1 })).toThrow(/at least 2/);
    expect(() => datasets.partitioned({ nSep: 0, nNonSep: 0 })).toThrow(/at least 1/);
    expect(() => datasets.partitioned({ nsep: 3 } as never)).toThrow(/not a known option/);
    expect(datasets.partitioned({ nSep: 4, nNonSep: 0, d: 1 }).knownNonSeparable.length).toBe(0);
  });

  it('matches the brute-force reference on datasets.partitioned and datasets.nonSeparable', async () => {
    for (const data of [
      datasets.partitioned({ nSep: 12, nNonSep: 7, d: 3, seed: 9 }),
      datasets.nonSeparable({ n: 30, seed: 0 }),
      datasets.nonSeparable({ n: 30, d: 5, distance: 3, std: 0.5, seed: 1 }),
    ]) {
      const p = await separablePartition(data);
      const ref = bruteForce(data);
      expect([...p.separable]).toEqual(ref.sep);
      expect([...p.nonSeparable]).toEqual(ref.non);
      checkInvariants(data, p);
    }
  });

  it('Figure 1b (datasets.nonSeparable, defaults): the partition and its certificate', async () => {
    const data = datasets.nonSeparable();
    const p = await separablePartition(data);
    const ref = bruteForce(data);
    expect([...p.separable]).toEqual(ref.sep);
    // The planted flipped pair (rows 0 and n − 1) is always non-separable.
    expect(p.nonSeparable).toContain(0);
    expect(p.nonSeparable).toContain(data.n - 1);
    checkInvariants(data, p);
  });

  it('projections sum to θ and are idempotent', async () => {
    const data = datasets.partitioned({ nSep: 15, nNonSep: 8, d: 5, seed: 3 });
    const p = await separablePartition(data);
    expect(p.rank).toBe(4);
    const theta = Float64Array.of(0.3, -1.2, 2.5, 0.7, -0.1);
    const a = projectNonSep(new Float64Array(5), p, theta);
    const b = projectSep(new Float64Array(5), p, theta);
    for (let j = 0; j < 5; j++) expect(a[j]! + b[j]!).toBeCloseTo(theta[j]!, 14);
    const aa = projectNonSep(Float64Array.from(a), p, a);
    for (let j = 0; j < 5; j++) expect(aa[j]!).toBeCloseTo(a[j]!, 14);
    let dot = 0;
    for (let j = 0; j < 5; j++) dot += a[j]! * b[j]!;
    expect(Math.abs(dot)).toBeLessThan(1e-13);
    // The witness lies in S⊥ up to rounding: it has zero margin on every point spanning S.
    const w = projectNonSep(new Float64Array(5), p, p.witness);
    for (const v of w) expect(Math.abs(v)).toBeLessThan(1e-9);
    // In place (out === theta).
    const t2 = Float64Array.from(theta);
    projectSep(t2, p, t2);
    for (let j = 0; j < 5; j++) expect(t2[j]!).toBeCloseTo(b[j]!, 14);
  });
});

describe('separablePartition: properties', () => {
  /** Small integer data with planted degeneracies: opposite-label duplicates, cancelling pairs, zeros. */
  const arbData = fc
    .record({
      d: fc.integer({ min: 1, max: 4 }),
      pts: fc.array(
        fc.tuple(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 4, maxLength: 4 }), fc.boolean()),
        {
          minLength: 1,
          maxLength: 10,
        },
      ),
      kinds: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 10, maxLength: 10 }),
    })
    .map(({ d, pts, kinds }) => {
      const rows: number[][] = [];
      const labels: number[] = [];
      pts.forEach(([x, pos], k) => {
        const v = x.slice(0, d);
        const yk = pos ? 1 : -1;
        rows.push(v);
        labels.push(yk);
        const kind = kinds[k]!;
        if (kind === 1) {
          rows.push(v.map((t) => -t)); // x, −x with one label: both non-separable
          labels.push(yk);
        } else if (kind === 2) {
          rows.push(v.slice()); // duplicate with the opposite label
          labels.push(-yk);
        }
      });
      return dataset(rows, labels);
    });

  it('matches the brute-force reference on random degenerate data', async () => {
    await fc.assert(
      fc.asyncProperty(arbData, async (data) => {
        const p = await separablePartition(data);
        const ref = bruteForce(data);
        expect([...p.separable]).toEqual(ref.sep);
        checkInvariants(data, p);
      }),
      { numRuns: 150 },
    );
  });

  it('matches datasets.partitioned over random sizes and seeds (sync form)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        (nSep, nNonSep, d, seed) => {
          fc.pre(nSep + nNonSep > 0);
          const data = datasets.partitioned({ nSep, nNonSep, d, seed });
          const p = separablePartitionSync(data);
          expect([...p.separable]).toEqual([...data.knownSeparable]);
          checkInvariants(data, p);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('separable data gives D_non-sep = ∅; a flipped duplicate of every point gives D_sep = ∅', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (d, seed) => {
        const data = datasets.separable({ n: 30, d, seed });
        const p = separablePartitionSync(data);
        expect(p.nonSeparable.length).toBe(0);
        checkInvariants(data, p);
        const flipped = dataset(
          Float64Array.from([...data.X, ...data.X]),
          Float64Array.from([...data.y, ...data.y.map((v) => -v)]),
          d,
        );
        const q = separablePartitionSync(flipped);
        expect(q.separable.length).toBe(0);
        checkInvariants(flipped, q);
      }),
      { numRuns: 40 },
    );
  });
});
