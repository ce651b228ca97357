import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { dataset } from '../../src/datasets/dataset.js';
import { datasets } from '../../src/datasets/datasets.js';
import type { Dataset } from '../../src/datasets/types.js';
import { type ImplicitBiasError, SolverFailedError } from '../../src/errors/index.js';
import {
  type MaxMarginDirectionResult,
  type MaxMarginNorm,
  maxMarginDirection,
  maxMarginDirectionSync,
  ready,
} from '../../src/svm/index.js';
import { loadedHighs } from '../../src/svm/lp/ready.js';
import { type LinearProgram, solveLP } from '../../src/svm/lp/solveLP.js';
import { rawDataset } from '../helpers/index.js';

// ---------------------------------------------------------------------------------------------------
// Helpers, all independent of the code under test.

const NORMS: MaxMarginNorm[] = ['l1', 'linf'];

function normOf(norm: MaxMarginNorm, v: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s = norm === 'l1' ? s + Math.abs(v[j]!) : Math.max(s, Math.abs(v[j]!));
  return s;
}
/** The dual norm: ℓ∞ for ℓ1, ℓ1 for ℓ∞. */
const dualNormOf = (norm: MaxMarginNorm, v: ArrayLike<number>) => normOf(norm === 'l1' ? 'linf' : 'l1', v);

/** gᵢ = yᵢxᵢ as arrays. */
function signedRows(data: Dataset): number[][] {
  return Array.from({ length: data.n }, (_, i) =>
    Array.from(data.X.subarray(i * data.d, (i + 1) * data.d), (v) => data.y[i]! * v),
  );
}

function margins(data: Dataset, w: ArrayLike<number>): number[] {
  return signedRows(data).map((g) => g.reduce((s, v, j) => s + v * w[j]!, 0));
}

/** R = maxᵢ ‖xᵢ‖_*: the scale of every margin of a unit-norm w. */
const scaleR = (data: Dataset, norm: MaxMarginNorm) =>
  Math.max(...signedRows(data).map((g) => dualNormOf(norm, g)));

/** Gaussian elimination with partial pivoting; null when a pivot is (numerically) zero. */
function solveSquare(A: number[][], b: number[]): number[] | null {
  const m = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (Math.abs(M[p]![c]!) < 1e-12) return null;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < m; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= m; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = M[r]![m]!;
    for (let k = r + 1; k < m; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

function* subsets(m: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i <= m - (k - acc.length); i++) yield* subsets(m, k, i + 1, [...acc, i]);
}

/**
 * Reference γ* by brute-force vertex enumeration (no LP solver): the polyhedron
 * {(w, γ): γ ≤ gᵢᵀw, w in the unit ball} has no line, so max γ is attained at a vertex, i.e. where d + 1
 * linearly independent constraints are tight. The ℓ∞ ball is ±wⱼ ≤ 1, the ℓ1 ball sᵀw ≤ 1 for all
 * s ∈ {±1}ᵈ. Every (d+1)-subset is solved, infeasible points dropped, the best γ kept.
 */
function vertexEnumerationGamma(data: Dataset, norm: MaxMarginNorm): { gamma: number; w: number[] } {
  const d = data.d;
  const A: number[][] = [];
  const b: number[] = [];
  for (const g of signedRows(data)) {
    A.push([...g.map((v) => -v), 1]);
    b.push(0);
  }
  if (norm === 'linf') {
    for (let j = 0; j < d; j++) {
      for (const s of [1, -1]) {
        const row = new Array<number>(d + 1).fill(0);
        row[j] = s;
        A.push(row);
        b.push(1);
      }
    }
  } else {
    for (let mask = 0; mask < 1 << d; mask++) {
      A.push([...Array.from({ length: d }, (_, j) => ((mask >> j) & 1 ? -1 : 1)), 0]);
      b.push(1);
    }
  }
  let best = { gamma: Number.NEGATIVE_INFINITY, w: [] as number[] };
  for (const S of subsets(A.length, d + 1)) {
    const z = solveSquare(
      S.map((k) => A[k]!),
      S.map((k) => b[k]!),
    );
    if (z === null) continue;
    const feasible = A.every((row, k) => row.reduce((s, v, j) => s + v * z[j]!, 0) <= b[k]! + 1e-9);
    if (feasible && z[d]! > best.gamma) best = { gamma: z[d]!, w: z.slice(0, d) };
  }
  return best;
}

/** Reference γ* for d = 2 by a fine angular scan of the normalized margin minᵢ gᵢᵀu/‖u‖. */
function angularScanGamma(data: Dataset, norm: MaxMarginNorm, steps: number): number {
  const G = signedRows(data);
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < steps; k++) {
    const t = (2 * Math.PI * k) / steps;
    const u = [Math.cos(t), Math.sin(t)];
    const nu = normOf(norm, u);
    let m = Number.POSITIVE_INFINITY;
    for (const g of G) m = Math.min(m, (g[0]! * u[0]! + g[1]! * u[1]!) / nu);
    best = Math.max(best, m);
  }
  return best;
}

/**
 * The checks every result must pass, from the definitions alone: ‖w‖ = 1; every margin ≥ γ and γ is
 * attained; support = the points at γ; p in the simplex with pᵢ > 0 only on the support; and the weak
 * duality sandwich minᵢ gᵢᵀw ≤ γ* ≤ ‖Σ pᵢgᵢ‖_* closing to rounding (certifies γ without trusting the LP).
 */
function expectCertified(
  data: Dataset,
  r: MaxMarginDirectionResult,
  norm: MaxMarginNorm,
  gapBound = 1e-12,
  tol = 1e-9,
): void {
  const R = scaleR(data, norm);
  expect(r.norm).toBe(norm);
  expect(r.w).toBeInstanceOf(Float64Array);
  expect(r.w.length).toBe(data.d);
  expect(Math.abs(normOf(norm, r.w) - 1)).toBeLessThan(1e-14);
  const m = margins(data, r.w);
  const minM = Math.min(...m);
  expect(Math.abs(minM - r.gamma)).toBeLessThanOrEqual(1e-14 * R);
  expect(r.gamma).toBeGreaterThan(0);
  const expectedSupport = m.flatMap((v, i) => (v - minM <= tol * R ? [i] : []));
  expect(Array.from(r.support)).toEqual(expectedSupport);
  expect(r.dual.length).toBe(data.n);
  expect(r.dual.every((p) => p >= 0)).toBe(true);
  expect(Math.abs(r.dual.reduce((s, p) => s + p, 0) - 1)).toBeLessThan(1e-12);
  r.dual.forEach((p, i) => {
    if (p > 1e-12) expect(expectedSupport).toContain(i);
  });
  const v = new Array<number>(data.d).fill(0);
  signedRows(data).forEach((g, i) => {
    for (let j = 0; j < data.d; j++) v[j]! += r.dual[i]! * g[j]!;
  });
  const upper = dualNormOf(norm, v);
  expect(upper - minM).toBeGreaterThanOrEqual(-1e-13 * R);
  expect(upper - minM).toBeLessThanOrEqual(gapBound * R);
  expect(Math.abs(r.dualityGap - (upper - minM))).toBeLessThanOrEqual(1e-14 * R);
}

/**
 * Separable data with a planted direction u: xᵢ = zᵢ + (yᵢtᵢ − uᵀzᵢ)u/‖u‖₂², so yᵢuᵀxᵢ = tᵢ > 0 exactly
 * (up to rounding) and u's margin in a norm is minᵢ tᵢ/‖u‖.
 */
const planted = (dMax: number, nMax: number) =>
  fc
    .record({
      d: fc.integer({ min: 2, max: dMax }),
      n: fc.integer({ min: 1, max: nMax }),
    })
    .chain(({ d, n }) =>
      fc.record({
        // u₀ is kept away from 0 so that u ≠ 0; the other coordinates may be exactly 0.
        u: fc
          .tuple(
            fc.double({ min: 0.1, max: 1, noNaN: true }),
            fc.constantFrom(-1, 1),
            fc.array(fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(0)), {
              minLength: d - 1,
              maxLength: d - 1,
            }),
          )
          .map(([a, s, rest]) => [s * a, ...rest]),
        z: fc.array(
          fc.array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.integer({ min: -2, max: 2 })), {
            minLength: d,
            maxLength: d,
          }),
          { minLength: n, maxLength: n },
        ),
        y: fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n }),
        t: fc.array(fc.double({ min: 0.05, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      }),
    )
    .map(({ u, z, y, t }) => {
      const uu = u.reduce((s, v) => s + v * v, 0);
      const rows = z.map((zi, i) => {
        const c = (y[i]! * t[i]! - zi.reduce((s, v, j) => s + v * u[j]!, 0)) / uu;
        return zi.map((v, j) => v + c * u[j]!);
      });
      return { data: rawDataset(rows, y), u, uu };
    });

// ---------------------------------------------------------------------------------------------------

describe('maxMarginDirectionSync before ready()', () => {
  // Must run first in this file: the solver is loaded once per module graph.
  it('maxMarginDirectionSync(data, options) throws SOLVER_FAILED telling the user to await ready()', () => {
    const data = rawDataset([[1, 0]], [1]);
    let err: unknown;
    try {
      maxMarginDirectionSync(data, { norm: 'l1' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SolverFailedError);
    expect((err as ImplicitBiasError).code).toBe('SOLVER_FAILED');
    expect((err as Error).message).toMatch(/^maxMarginDirectionSync: .*await ready\(\)/);
    expect((err as Error).message).toContain('maxMarginDirection)');
  });

  it('ready(options) that cannot find highs.wasm rejects with SOLVER_FAILED, and the failure is not cached', async () => {
    const silenced = vi.spyOn(console, 'error').mockImplementation(() => {}); // emscripten's own abort report
    const missing = ready({ locateFile: (file) => `/nonexistent-implicit-bias-test/${file}` });
    await expect(missing).rejects.toBeInstanceOf(SolverFailedError);
    silenced.mockRestore();
    await expect(missing).rejects.toMatchObject({
      code: 'SOLVER_FAILED',
      message: expect.stringMatching(/^ready: could not load the HiGHS LP solver/),
    });
    expect(() => maxMarginDirectionSync(rawDataset([[1, 0]], [1]), { norm: 'l1' })).toThrow(
      /await ready\(\)/,
    );
  });

  it('ready() loads once; concurrent and repeated calls share it; then the sync variant works', async () => {
    await Promise.all([ready(), ready(), ready()]);
    await ready();
    const r = maxMarginDirectionSync(rawDataset([[1, 0.5]], [1]), { norm: 'linf' });
    expect(r.gamma).toBe(1.5);
  });

  it('ready(options) rejects unknown or malformed options with INVALID_INPUT', async () => {
    await expect(ready({ wasmBinary: new Uint8Array(8) } as never)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'ready: wasmBinary is not a known option (known: locateFile)',
    });
    await expect(ready({ locateFile: '/assets/' } as never)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'ready: options.locateFile must be a function, got "/assets/"',
    });
  });
});

describe('maxMarginDirection: hand-solved cases', () => {
  it('maxMarginDirection(data, { norm }) returns a Promise; the sync variant gives the identical result', async () => {
    const data = rawDataset(
      [
        [1, 2],
        [-3, 1],
      ],
      [1, -1],
    );
    for (const norm of NORMS) {
      const p = maxMarginDirection(data, { norm });
      expect(p).toBeInstanceOf(Promise);
      expect(await p).toEqual(maxMarginDirectionSync(data, { norm }));
    }
  });

  // g₁ = (1, 2), g₂ = (3, −1). ℓ∞: on the line g₁ᵀw = g₂ᵀw (w₂ = 2w₁/3) the value 7w₁/3 is largest at
  // w₁ = 1: w* = (1, 2/3), γ* = 7/3; dual: ‖p g₁ + (1−p) g₂‖₁ = 2 + p on [1/3, 1] → p = (1/3, 2/3).
  // ℓ1: on the same line ‖w‖₁ = 5w₁/3 = 1: w* = (3/5, 2/5), γ* = 7/5; dual: ‖(3 − 2p, 3p − 1)‖∞ is
  // smallest where 3 − 2p = 3p − 1: p = (4/5, 1/5).
  it('maxMarginDirection(data, { norm }) on {((1,2), +1), ((−3,1), −1)}: closed-form w*, γ*, p*', async () => {
    const data = rawDataset(
      [
        [1, 2],
        [-3, 1],
      ],
      [1, -1],
    );
    const inf = await maxMarginDirection(data, { norm: 'linf' });
    expect(inf.gamma).toBeCloseTo(7 / 3, 14);
    expect(inf.w[0]).toBeCloseTo(1, 14);
    expect(inf.w[1]).toBeCloseTo(2 / 3, 14);
    expect(inf.dual[0]).toBeCloseTo(1 / 3, 14);
    expect(inf.dual[1]).toBeCloseTo(2 / 3, 14);
    expect(Array.from(inf.support)).toEqual([0, 1]);
    expectCertified(data, inf, 'linf');
    const one = await maxMarginDirection(data, { norm: 'l1' });
    expect(one.gamma).toBeCloseTo(7 / 5, 14);
    expect(one.w[0]).toBeCloseTo(3 / 5, 14);
    expect(one.w[1]).toBeCloseTo(2 / 5, 14);
    expect(one.dual[0]).toBeCloseTo(4 / 5, 14);
    expect(one.dual[1]).toBeCloseTo(1 / 5, 14);
    expectCertified(data, one, 'l1');
  });

  it('maxMarginDirection(data, { norm }) on {(2,0), (0,1)} (both +1): ℓ1 w* = (1/3, 2/3); ℓ∞ γ* = 1 with a non-unique w*', async () => {
    const data = rawDataset(
      [
        [2, 0],
        [0, 1],
      ],
      [1, 1],
    );
    const one = await maxMarginDirection(data, { norm: 'l1' });
    expect(one.gamma).toBeCloseTo(2 / 3, 15);
    expect(one.w[0]).toBeCloseTo(1 / 3, 15);
    expect(one.w[1]).toBeCloseTo(2 / 3, 15);
    expectCertified(data, one, 'l1');
    // ℓ∞: min(2w₁, w₂) ≤ w₂ ≤ 1, attained by every w = (a, 1) with a ∈ [1/2, 1]: check γ and optimality only.
    const inf = await maxMarginDirection(data, { norm: 'linf' });
    expect(inf.gamma).toBeCloseTo(1, 15);
    expect(inf.w[1]).toBeCloseTo(1, 15);
    expect(inf.w[0]).toBeGreaterThanOrEqual(0.5 - 1e-15);
    expect(inf.w[0]).toBeLessThanOrEqual(1 + 1e-15);
    expect(inf.support).toContain(1);
    expect(Array.from(inf.dual)).toEqual([0, 1]);
    expectCertified(data, inf, 'linf');
  });

  it('maxMarginDirection(data, { norm }) on one point x = (1, 0.5): ℓ∞ γ* = ‖x‖₁, ℓ1 γ* = ‖x‖∞ (Hölder)', async () => {
    const data = rawDataset([[1, 0.5]], [1]);
    const inf = await maxMarginDirection(data, { norm: 'linf' });
    expect(inf.gamma).toBe(1.5);
    expect(Array.from(inf.w)).toEqual([1, 1]);
    const one = await maxMarginDirection(data, { norm: 'l1' });
    expect(one.gamma).toBe(1);
    expect(Array.from(one.w)).toEqual([1, 0]);
  });

  it('maxMarginDirection(data, { norm }): the ℓ1, ℓ2 and ℓ∞ max-margin directions differ on {(1, 0.5)}', async () => {
    const data = rawDataset([[1, 0.5]], [1]);
    const one = await maxMarginDirection(data, { norm: 'l1' });
    const inf = await maxMarginDirection(data, { norm: 'linf' });
    // ℓ2: w* = x/‖x‖₂ (a different direction from both (1, 0) and (1, 1)/√2).
    const angle = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Math.acos((a[0]! * b[0]! + a[1]! * b[1]!) / (Math.hypot(a[0]!, a[1]!) * Math.hypot(b[0]!, b[1]!)));
    expect(angle(one.w, [1, 0.5])).toBeGreaterThan(0.4);
    expect(angle(inf.w, [1, 0.5])).toBeGreaterThan(0.3);
    expect(angle(one.w, inf.w)).toBeCloseTo(Math.PI / 4, 14);
  });

  it('maxMarginDirection(data, { norm }) ignores a coordinate that is zero on every point (ℓ1 puts no mass on it)', async () => {
    const data = rawDataset(
      [
        [1, 0, 2],
        [-2, 0, 1],
        [3, 0, -1],
      ],
      [1, -1, 1],
    );
    const one = await maxMarginDirection(data, { norm: 'l1' });
    expect(one.w[1]).toBe(0);
    expectCertified(data, one, 'l1');
    const ref = vertexEnumerationGamma(data, 'l1');
    expect(one.gamma).toBeCloseTo(ref.gamma, 14);
  });
});

describe('maxMarginDirection: against independent references', () => {
  it('maxMarginDirectionSync(data, { norm }) matches vertex enumeration and an angular scan on Figure 1a-style 2-D sets', async () => {
    await ready();
    let worstVertex = 0;
    let worstScan = 0;
    for (let seed = 0; seed < 12; seed++) {
      const data = datasets.separable({ n: 6 + seed, d: 2, seed, margin: 0.2 });
      for (const norm of NORMS) {
        const r = maxMarginDirectionSync(data, { norm });
        expectCertified(data, r, norm);
        const R = scaleR(data, norm);
        const vertex = vertexEnumerationGamma(data, norm).gamma;
        worstVertex = Math.max(worstVertex, Math.abs(r.gamma - vertex) / R);
        // The scan approaches γ* from below with an error O(R·step); step = 2π/200 000.
        const scan = angularScanGamma(data, norm, 200_000);
        expect(scan).toBeLessThanOrEqual(r.gamma + 1e-12 * R);
        worstScan = Math.max(worstScan, (r.gamma - scan) / R);
      }
    }
    expect(worstVertex).toBeLessThan(1e-13);
    expect(worstScan).toBeLessThan(1e-4);
  });

  it('finding: on near-duplicate points maxMarginDirection returns the exact optimum or SOLVER_FAILED, never a wrong γ', async () => {
    // Found by fast-check (seed 1223928398): four points within 2.2e−7 of each other. HiGHS's feasibility
    // tolerance (≥ 1e−10) is then too coarse for the 1e−9·R duality-gap check, and the call refuses.
    await ready();
    const data: Dataset = {
      X: Float64Array.from([
        0.5000000000000009, 2.2204384714230585e-7, 0.49999999999999994, 0, 0.5, 0, 0.5000000000000008, 0,
      ]),
      y: Float64Array.from([-1, -1, -1, -1]),
      n: 4,
      d: 2,
    };
    for (const norm of NORMS) {
      const ref = vertexEnumerationGamma(data, norm);
      try {
        const r = maxMarginDirectionSync(data, { norm });
        expect(Math.abs(r.gamma - ref.gamma)).toBeLessThanOrEqual(1e-9 * scaleR(data, norm));
      } catch (e) {
        expect((e as { code?: string }).code).toBe('SOLVER_FAILED');
      }
    }
  });

  it('for any planted separable data in d ≤ 3, γ equals the vertex-enumeration optimum', async () => {
    await ready();
    let worst = 0;
    fc.assert(
      fc.property(planted(3, 6), fc.constantFrom(...NORMS), ({ data }, norm) => {
        const r = maxMarginDirectionSync(data, { norm });
        const ref = vertexEnumerationGamma(data, norm);
        const R = scaleR(data, norm);
        // γ ≤ γ* ≤ γ + dualityGap: the reference must fall in that interval (up to its own rounding).
        expect(ref.gamma).toBeGreaterThanOrEqual(r.gamma - 1e-12 * R);
        expect(ref.gamma).toBeLessThanOrEqual(r.gamma + r.dualityGap + 1e-12 * R);
        expect(r.dualityGap).toBeLessThanOrEqual(1e-9 * R);
        worst = Math.max(worst, Math.abs(r.gamma - ref.gamma) / R);
      }),
      { numRuns: 150 },
    );
    // Typically rounding only; a few degenerate draws sit at HiGHS's feasibility tolerance (1e-10).
    expect(worst).toBeLessThan(1e-9);
  });

  it("for any planted separable data, γ ≥ the planted direction's margin in that norm, and the result is certified by duality", async () => {
    await ready();
    fc.assert(
      fc.property(planted(8, 30), fc.constantFrom(...NORMS), ({ data, u }, norm) => {
        const r = maxMarginDirectionSync(data, { norm });
        const R = scaleR(data, norm);
        const plantedMargin = Math.min(...margins(data, u)) / normOf(norm, u);
        // planted ≤ γ* ≤ γ + dualityGap (certified; the gap is rounding except on degenerate draws).
        expect(r.gamma + r.dualityGap).toBeGreaterThanOrEqual(plantedMargin - 1e-12 * R);
        expectCertified(data, r, norm, 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('for any planted separable data, γ scales with the data (cX → cγ) and ignores the order of the points', async () => {
    await ready();
    fc.assert(
      fc.property(
        planted(5, 12),
        fc.constantFrom(...NORMS),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        ({ data }, norm, c) => {
          const r = maxMarginDirectionSync(data, { norm });
          const scaled = { ...data, X: data.X.map((v) => c * v) };
          const rs = maxMarginDirectionSync(scaled, { norm });
          const slack = Math.max(r.dualityGap * c, rs.dualityGap) + 1e-12 * c * scaleR(data, norm);
          expect(Math.abs(rs.gamma - c * r.gamma)).toBeLessThanOrEqual(slack);
          const order = Array.from({ length: data.n }, (_, i) => data.n - 1 - i);
          const rev = rawDataset(
            order.map((i) => Array.from(data.X.subarray(i * data.d, (i + 1) * data.d))),
            order.map((i) => data.y[i]!),
          );
          const rr = maxMarginDirectionSync(rev, { norm });
          const slack2 = Math.max(r.dualityGap, rr.dualityGap) + 1e-12 * scaleR(data, norm);
          expect(Math.abs(rr.gamma - r.gamma)).toBeLessThanOrEqual(slack2);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('maxMarginDirection(data, { norm }) at n = 2000, d = 40 is certified (duality gap ≤ 1e-11·R)', async () => {
    const data = datasets.separable({ n: 2000, d: 40, seed: 7, margin: 0.3 });
    for (const norm of NORMS) {
      const r = await maxMarginDirection(data, { norm });
      expectCertified(data, r, norm);
      expect(r.gamma).toBeGreaterThanOrEqual(0.3 / normOf(norm, data.planted) - 1e-12);
    }
  });
});

describe('maxMarginDirection: errors', () => {
  const xor = rawDataset(
    [
      [1, 1],
      [-1, -1],
      [1, -1],
      [-1, 1],
    ],
    [1, 1, -1, -1],
  );

  it.each(NORMS)(
    'maxMarginDirection(xor, { norm: %s }) rejects with NOT_SEPARABLE pointing to separablePartition',
    async (norm) => {
      await expect(maxMarginDirection(xor, { norm })).rejects.toMatchObject({
        code: 'NOT_SEPARABLE',
        name: 'NotSeparableError',
        message: expect.stringMatching(/^maxMarginDirection: .*separablePartition\(data\)/),
      });
      await ready();
      expect(() => maxMarginDirectionSync(xor, { norm })).toThrow(/separablePartition/);
    },
  );

  it('maxMarginDirection(data, { norm }) rejects NOT_SEPARABLE for a zero point, x and −x with one label, and Figure 1b', async () => {
    const zero = rawDataset(
      [
        [1, 0],
        [0, 0],
      ],
      [1, -1],
    );
    const opposite = rawDataset(
      [
        [1, 2],
        [-1, -2],
      ],
      [1, 1],
    );
    for (const norm of NORMS) {
      await expect(maxMarginDirection(zero, { norm })).rejects.toMatchObject({
        code: 'NOT_SEPARABLE',
        message: expect.stringContaining('x[1] = 0'),
      });
      await expect(maxMarginDirection(opposite, { norm })).rejects.toMatchObject({ code: 'NOT_SEPARABLE' });
      await expect(
        maxMarginDirection(datasets.nonSeparable({ n: 60, d: 3, seed: 4 }), { norm }),
      ).rejects.toMatchObject({ code: 'NOT_SEPARABLE' });
    }
  });

  it('maxMarginDirection(data, { norm }) rejects NOT_SEPARABLE when w = 0 is the only weak separator of three points', async () => {
    // x₁ = (1, 0) with +1, x₂ = (−1, 1) and x₃ = (−1, −1) with +1: w₁ > 0 and −w₁ ± w₂ > 0 cannot hold together.
    const data = rawDataset(
      [
        [1, 0],
        [-1, 1],
        [-1, -1],
      ],
      [1, 1, 1],
    );
    for (const norm of NORMS) {
      await expect(maxMarginDirection(data, { norm })).rejects.toMatchObject({ code: 'NOT_SEPARABLE' });
    }
  });

  it('maxMarginDirection(data, options) rejects bad options with INVALID_INPUT naming the option', async () => {
    const data = dataset([[1, 0]], [1]);
    const bad: [unknown, RegExp][] = [
      [undefined, /^maxMarginDirection: options must be an object, got undefined/],
      [{}, /options\.norm must be "l1" or "linf", got undefined/],
      [{ norm: 'l2' }, /got "l2" \(for the ℓ2 norm use hardMarginSVM\(data\)/],
      [{ norm: 'L1' }, /options\.norm must be "l1" or "linf", got "L1"$/],
      [{ norm: 'l1', tol: 0 }, /options\.tol must be a finite number > 0 and < 1, got 0/],
      [{ norm: 'l1', tol: Number.NaN }, /options\.tol .* got NaN/],
      [{ norm: 'l1', tolerance: 1e-6 }, /tolerance is not a known option \(known: norm, tol\)/],
    ];
    for (const [options, msg] of bad) {
      await expect(maxMarginDirection(data, options as never)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(msg),
      });
      expect(() => maxMarginDirectionSync(data, options as never)).toThrow(
        new RegExp(msg.source.replace('^maxMarginDirection:', '^maxMarginDirectionSync:')),
      );
    }
  });

  it('maxMarginDirection(data, options) rejects malformed data with INVALID_INPUT', async () => {
    const ok = rawDataset([[1, 0]], [1]);
    const bad: [unknown, RegExp][] = [
      [null, /data must be a Dataset/],
      [[[1, 0]], /data must be a Dataset/],
      [{ ...ok, X: [1, 0] }, /data must be a Dataset/],
      [{ ...ok, n: 2 }, /data must be a Dataset/],
      [{ ...ok, X: Float64Array.from([1, Number.NaN]) }, /data\.X\[1\] must be finite, got NaN/],
      [{ ...ok, X: Float64Array.from([Number.POSITIVE_INFINITY, 0]) }, /data\.X\[0\] must be finite/],
      [{ ...ok, y: Float64Array.from([0]) }, /data\.y\[0\] must be -1 or \+1, got 0/],
    ];
    for (const [data, msg] of bad) {
      await expect(maxMarginDirection(data as never, { norm: 'linf' })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(msg),
      });
    }
  });

  it('maxMarginDirection(data, { norm }) does not modify its inputs', async () => {
    const data = rawDataset(
      [
        [1, 2],
        [-3, 1],
      ],
      [1, -1],
    );
    const X = data.X.slice();
    const y = data.y.slice();
    const options = { norm: 'l1' as const };
    await maxMarginDirection(data, options);
    expect(data.X).toEqual(X);
    expect(data.y).toEqual(y);
    expect(options).toEqual({ norm: 'l1' });
  });
});

describe('solveLP (internal LP wrapper)', () => {
  const lp = (over: Partial<LinearProgram>): LinearProgram => ({
    sense: 'maximize',
    numCols: 2,
    numRows: 2,
    // maximize 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, x, y ≥ 0: optimum (4, 0), value 12; duals (3, 0).
    cost: Float64Array.from([3, 2]),
    colLower: Float64Array.from([0, 0]),
    colUpper: Float64Array.from([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]),
    rowLower: Float64Array.from([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]),
    rowUpper: Float64Array.from([4, 6]),
    starts: Int32Array.from([0, 2, 4]),
    indices: Int32Array.from([0, 1, 0, 1]),
    values: Float64Array.from([1, 1, 1, 3]),
    ...over,
  });

  it('solveLP(highs, fn, lp) solves a textbook LP: primal, objective, row duals as ∂objective/∂bound', async () => {
    await ready();
    const h = loadedHighs('test');
    const s = solveLP(h, 'test', lp({}));
    expect(s.status).toBe('optimal');
    expect(s.objective).toBe(12);
    expect(Array.from(s.x)).toEqual([4, 0]);
    expect(Array.from(s.rowValue)).toEqual([4, 4]);
    expect(s.rowDual[0]).toBeCloseTo(3, 14);
    expect(s.rowDual[1]).toBeCloseTo(0, 14);
    // The same LP as a minimization of −3x − 2y: objective −12, duals −∂(12)/∂bound.
    const m = solveLP(h, 'test', lp({ sense: 'minimize', cost: Float64Array.from([-3, -2]) }));
    expect(m.objective).toBe(-12);
    expect(m.rowDual[0]).toBeCloseTo(-3, 14);
  });

  it('solveLP(highs, fn, lp) throws SOLVER_FAILED with the HiGHS status when the LP is infeasible or unbounded', async () => {
    await ready();
    const h = loadedHighs('test');
    // x + y ≥ 5 and x + y ≤ 4.
    const infeasible = lp({
      rowLower: Float64Array.from([5, Number.NEGATIVE_INFINITY]),
      rowUpper: Float64Array.from([Number.POSITIVE_INFINITY, 4]),
      values: Float64Array.from([1, 1, 1, 1]),
    });
    expect(() => solveLP(h, 'someFn', infeasible)).toThrow(
      /^someFn: the LP solver \(HiGHS [\d.]+\) ended with status Infeasible instead of Optimal/,
    );
    const unbounded = lp({
      rowUpper: Float64Array.from([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]),
    });
    let err: unknown;
    try {
      solveLP(h, 'someFn', unbounded);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SolverFailedError);
    expect((err as Error).message).toMatch(/status (Unbounded|UnboundedOrInfeasible) instead of Optimal/);
  });

  it('solveLP(highs, fn, lp) turns a malformed model into SOLVER_FAILED', async () => {
    await ready();
    const h = loadedHighs('test');
    expect(() => solveLP(h, 'someFn', lp({ starts: Int32Array.from([0, 2, 9]) }))).toThrow(
      /^someFn: the LP solver \(HiGHS\) failed: /,
    );
  });
});
