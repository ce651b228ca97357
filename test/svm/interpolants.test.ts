import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { mirrorDescent } from '../../src/gd/optimizers/mirrorDescent.js';
import {
  createRng,
  datasets,
  minBregmanInterpolant,
  minNormInterpolant,
  regressionDataset,
  rowSpaceBasis,
  trainRegression,
} from '../../src/index.js';
import { invalid } from '../helpers/index.js';

/** Xw for row-major X, computed by a plain loop. */
function apply(X: Float64Array, w: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j]! * w[j]!;
    out[i] = s;
  }
  return out;
}

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const sub = (a: ArrayLike<number>, b: ArrayLike<number>): Float64Array =>
  Float64Array.from(a, (x, j) => x - b[j]!);

/** ‖(I − QQᵀ)v‖ for the row space basis Q of X: the part of v outside the row space. */
function outsideRowSpace(X: Float64Array, n: number, d: number, v: ArrayLike<number>): number {
  const { basis, rank } = rowSpaceBasis(X, n, d);
  const out = Float64Array.from(v);
  for (let c = 0; c < rank; c++) {
    let z = 0;
    for (let j = 0; j < d; j++) z += basis[j * rank + c]! * v[j]!;
    for (let j = 0; j < d; j++) out[j]! -= basis[j * rank + c]! * z;
  }
  return norm(out);
}

/** A random vector in the null space of X: u − QQᵀu. */
function nullVector(X: Float64Array, n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed, 7);
  const u = Float64Array.from({ length: d }, () => rng.normal());
  const { basis, rank } = rowSpaceBasis(X, n, d);
  for (let c = 0; c < rank; c++) {
    let z = 0;
    for (let j = 0; j < d; j++) z += basis[j * rank + c]! * u[j]!;
    for (let j = 0; j < d; j++) u[j]! -= basis[j * rank + c]! * z;
  }
  return u;
}

/** Gaussian under-determined problem (n < d) with Gaussian w0, from a seed. */
const problemArb = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), extra: fc.integer({ min: 1, max: 10 }), seed: fc.nat() })
  .map(({ n, extra, seed }) => {
    const d = n + extra;
    const data = datasets.underdetermined({ n, d, seed });
    const rng = createRng(seed, 3);
    const w0 = Float64Array.from({ length: d }, () => 2 * rng.normal());
    return { data, w0, seed };
  });

/**
 * A positive realizable problem for the entropy: X Gaussian, y = Xw⋆ with w⋆ ∈ [0.5, 1.5]ᵈ, w0 ∈ [0.2, 1.2]ᵈ.
 * Also returns w⋆, a feasible point of the domain.
 */
function positiveProblem(seed: number, n: number, d: number) {
  const rng = createRng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const star = Float64Array.from({ length: d }, () => 0.5 + rng.uniform());
  const y = apply(X, star, n, d);
  const w0 = Float64Array.from({ length: d }, () => 0.2 + rng.uniform());
  return { data: regressionDataset(X, y, d), star, w0 };
}
const positiveArb = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 1, max: 8 }), seed: fc.nat() })
  .map(({ n, extra, seed }) => ({ ...positiveProblem(seed, n, n + extra), n, d: n + extra }));

/** ∇ψ for ψ = ½‖w‖_p², straight from the definition (not the library's scaled form). */
function pGrad(w: ArrayLike<number>, p: number): Float64Array {
  const s = Array.from(w).reduce((a, x) => a + Math.abs(x) ** p, 0);
  if (s === 0) return new Float64Array(w.length);
  const nrm = s ** (1 / p);
  return Float64Array.from(w, (x) => Math.sign(x) * Math.abs(x) ** (p - 1) * nrm ** (2 - p));
}
const pPsi = (w: ArrayLike<number>, p: number): number =>
  0.5 * Array.from(w).reduce((a, x) => a + Math.abs(x) ** p, 0) ** (2 / p);
const pBregman = (w: ArrayLike<number>, w0: ArrayLike<number>, p: number): number => {
  const g = pGrad(w0, p);
  let inner = 0;
  for (let j = 0; j < w.length; j++) inner += g[j]! * (w[j]! - w0[j]!);
  return pPsi(w, p) - pPsi(w0, p) - inner;
};
/** KL-type Bregman divergence of the entropy: Σ w log(w/w0) − w + w0. */
const entropyBregman = (w: ArrayLike<number>, w0: ArrayLike<number>): number => {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j]! * Math.log(w[j]! / w0[j]!) - w[j]! + w0[j]!;
  return s;
};

describe('minNormInterpolant', () => {
  it('minNormInterpolant(X, y) matches the closed form Xᵀ(XXᵀ)⁻¹y on the slides example', () => {
    // XXᵀ = [[3, 3], [3, 5]], (XXᵀ)⁻¹y = (−25/6, 27/6), so w = [1/3, 29/6, −25/6] (by hand).
    const { w, residual, rank } = minNormInterpolant(
      [
        [1, 1, 1],
        [1, 2, 0],
      ],
      [1, 10],
    );
    const want = [1 / 3, 29 / 6, -25 / 6];
    for (let j = 0; j < 3; j++) expect(w[j]).toBeCloseTo(want[j]!, 13);
    expect(residual).toBeLessThan(1e-13);
    expect(rank).toBe(2);
  });

  it('minNormInterpolant(X, y, w0) matches w0 + Xᵀ(XXᵀ)⁻¹(y − Xw0) on the slides example', () => {
    // w0 = (1, 2, 3): y − Xw0 = (−5, 5), (XXᵀ)⁻¹(−5, 5) = (−20/3, 5), w = (−2/3, 16/3, −11/3) (by hand).
    const data = datasets.slidesRegression();
    const { w } = minNormInterpolant(data.X, data.y, [1, 2, 3]);
    const want = [-2 / 3, 16 / 3, -11 / 3];
    for (let j = 0; j < 3; j++) expect(w[j]).toBeCloseTo(want[j]!, 13);
  });

  it('minNormInterpolant(X, y, w0) accepts rows, a flat array with w0, and an ml-matrix Matrix alike', () => {
    const a = minNormInterpolant(
      [
        [1, 1, 1],
        [1, 2, 0],
      ],
      [1, 10],
      [0, 1, 0],
    ).w;
    const b = minNormInterpolant([1, 1, 1, 1, 2, 0], [1, 10], [0, 1, 0]).w;
    const c = minNormInterpolant(
      new Matrix([
        [1, 1, 1],
        [1, 2, 0],
      ]),
      [1, 10],
      [0, 1, 0],
    ).w;
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('for any Gaussian X (n < d), y and w0: Xw = y, w − w0 is in the row space, and every other interpolant is farther from w0', () => {
    fc.assert(
      fc.property(problemArb, ({ data, w0, seed }) => {
        const { X, y, n, d } = data;
        const { w, residual, rank } = minNormInterpolant(X, y, w0);
        expect(rank).toBe(n);
        const scale = 1 + norm(y);
        const r = sub(apply(X, w, n, d), y);
        expect(norm(r)).toBeLessThan(1e-10 * scale);
        expect(residual).toBeCloseTo(norm(r), 12);
        const delta = sub(w, w0);
        expect(outsideRowSpace(X, n, d, delta)).toBeLessThan(1e-10 * (1 + norm(delta)));
        // w + v (v in the null space) is also an interpolant; it is never closer to w0.
        const v = nullVector(X, n, d, seed);
        const other = Float64Array.from(w, (x, j) => x + v[j]!);
        expect(norm(sub(apply(X, other, n, d), y))).toBeLessThan(1e-8 * scale);
        expect(norm(sub(other, w0)) ** 2).toBeGreaterThanOrEqual(norm(delta) ** 2 - 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('minNormInterpolant(X, y, w0) reports a positive residual (the least-squares solution) when y is not realizable', () => {
    // Two identical rows with different targets: rank 1 < n = 2.
    const { w, residual, rank } = minNormInterpolant(
      [
        [1, 2],
        [1, 2],
      ],
      [1, 3],
      [0, 0],
    );
    expect(rank).toBe(1);
    // Least squares: x·w = 2 (the mean); min norm: w = 2·(1, 2)/5; residual √2.
    expect(w[0]).toBeCloseTo(0.4, 14);
    expect(w[1]).toBeCloseTo(0.8, 14);
    expect(residual).toBeCloseTo(Math.SQRT2, 14);
  });

  it('minNormInterpolant rejects bad shapes and values with INVALID_INPUT', () => {
    expect(() => minNormInterpolant([[1, 2], [1]], [1, 2])).toThrow(invalid('minNormInterpolant: X[1]'));
    expect(() => minNormInterpolant([[1, 2]], [1, 2])).toThrow(invalid('y must have length 1'));
    expect(() => minNormInterpolant([[1, 2]], [Number.NaN])).toThrow(invalid('y[0] must be finite'));
    expect(() => minNormInterpolant([[1, 2]], [1], [1, 2, 3])).toThrow(invalid('w0 must have length d = 2'));
    expect(minNormInterpolant([1, 2, 3, 4], [1, 2]).w.length).toBe(2); // flat: d = X.length / y.length
    expect(() => minNormInterpolant([1, 2, 3], [1, 2])).toThrow(invalid('X is flat with length 3'));
    expect(() => minNormInterpolant([1, 2, 3], [1, 2], [0, 0])).toThrow(invalid('divisible by d = 2'));
    expect(() => minNormInterpolant([[1, 2]], [1], [0, 0], { rtol: -1 })).toThrow(invalid('options.rtol'));
    expect(() => minNormInterpolant([[1, 2]], [1], [0, 0], { tol: 1 } as never)).toThrow(invalid('tol'));
  });
});

describe('minBregmanInterpolant', () => {
  it("minBregmanInterpolant(X, y, w0, 'entropy') solves a case by hand: x₁+x₂+x₃ = 3, x₁ = 2 from w0 = 1", () => {
    // KKT: log w = Xᵀλ, so w₂ = w₃; w₂ + w₃ = 1 gives w = (2, 1/2, 1/2).
    const { w, residual, iterations } = minBregmanInterpolant(
      [
        [1, 1, 1],
        [1, 0, 0],
      ],
      [3, 2],
      [1, 1, 1],
      'entropy',
    );
    // Newton stops at ‖Xw − y‖ ≤ 1e−12·(‖y‖ + ‖X‖‖w‖) (the default tol).
    expect(w[0]).toBeCloseTo(2, 11);
    expect(w[1]).toBeCloseTo(0.5, 11);
    expect(w[2]).toBeCloseTo(0.5, 11);
    expect(residual).toBeLessThan(1e-11);
    expect(iterations).toBeGreaterThan(0);
  });

  it("for any positive realizable problem, the 'entropy' solution satisfies the KKT conditions and beats a feasible point", () => {
    fc.assert(
      fc.property(positiveArb, ({ data, star, w0, n, d }) => {
        const { X, y } = data;
        const { w, lambda, residual } = minBregmanInterpolant(X, y, w0, 'entropy');
        const scale = norm(y) + norm(X) * norm(w);
        expect(residual).toBeLessThanOrEqual(1e-12 * scale);
        expect(norm(sub(apply(X, w, n, d), y))).toBeLessThan(1e-10 * scale);
        for (let j = 0; j < d; j++) expect(w[j]).toBeGreaterThan(0);
        const dual = Float64Array.from(w, (x, j) => Math.log(x) - Math.log(w0[j]!));
        expect(outsideRowSpace(X, n, d, dual)).toBeLessThan(1e-9 * (1 + norm(dual)));
        expect(lambda.length).toBe(n);
        // w⋆ is feasible (Xw⋆ = y, w⋆ > 0): the minimizer's divergence is no larger.
        expect(entropyBregman(w, w0)).toBeLessThanOrEqual(entropyBregman(star, w0) + 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  for (const p of [1.5, 4 / 3, 3]) {
    it(`for any Gaussian problem, the { p: ${p.toFixed(3)} } solution satisfies the KKT conditions and beats nearby interpolants`, () => {
      fc.assert(
        fc.property(problemArb, fc.boolean(), ({ data, w0, seed }, zero) => {
          const { X, y, n, d } = data;
          const start = zero ? new Float64Array(d) : w0;
          const { w, residual } = minBregmanInterpolant(X, y, start, { p });
          const scale = norm(y) + norm(X) * norm(w);
          expect(residual).toBeLessThanOrEqual(1e-12 * scale);
          expect(norm(sub(apply(X, w, n, d), y))).toBeLessThan(1e-10 * scale);
          const dual = sub(pGrad(w, p), pGrad(start, p));
          expect(outsideRowSpace(X, n, d, dual)).toBeLessThan(1e-8 * (1 + norm(dual)));
          // Other interpolants w + εv (v in the null space) have a larger divergence.
          const v = nullVector(X, n, d, seed);
          const base = pBregman(w, start, p);
          for (const eps of [1e-2, -1e-2, 0.5]) {
            const other = Float64Array.from(w, (x, j) => x + eps * v[j]!);
            expect(pBregman(other, start, p)).toBeGreaterThanOrEqual(base - 1e-9 * (1 + base));
          }
        }),
        { numRuns: 40 },
      );
    });
  }

  it("minBregmanInterpolant(X, y, w0, 'euclidean') is minNormInterpolant", () => {
    fc.assert(
      fc.property(problemArb, ({ data, w0 }) => {
        const a = minBregmanInterpolant(data.X, data.y, w0, 'euclidean').w;
        const b = minNormInterpolant(data.X, data.y, w0).w;
        expect(norm(sub(a, b))).toBeLessThan(1e-9 * (1 + norm(b)));
      }),
      { numRuns: 30 },
    );
  });

  it('minBregmanInterpolant throws SOLVER_FAILED when no w in the domain interpolates', () => {
    // x₁ + x₂ = −1 has no positive solution.
    expect(() => minBregmanInterpolant([[1, 1]], [-1], [1, 1], 'entropy')).toThrow(
      expect.objectContaining({
        code: 'SOLVER_FAILED',
        message: expect.stringContaining('minBregmanInterpolant'),
      }),
    );
    // Inconsistent equations: no interpolant at all.
    expect(() =>
      minBregmanInterpolant(
        [
          [1, 2],
          [1, 2],
        ],
        [1, 3],
        [0.5, 0.5],
        { p: 3 },
      ),
    ).toThrow(expect.objectContaining({ code: 'SOLVER_FAILED' }));
  });

  it('minBregmanInterpolant rejects bad inputs with INVALID_INPUT', () => {
    const X = [
      [1, 1, 1],
      [1, 2, 0],
    ];
    expect(() => minBregmanInterpolant(X, [1, 10], [1, 0, 1], 'entropy')).toThrow(
      invalid('w0[1] must be > 0'),
    );
    expect(() => minBregmanInterpolant(X, [1, 10], [1, 1, 1], 'kl' as never)).toThrow(
      invalid('potential must be'),
    );
    expect(() => minBregmanInterpolant(X, [1, 10], [1, 1, 1], { p: 1 })).toThrow(invalid('potential.p'));
    expect(() => minBregmanInterpolant(X, [1, 10], [1, 1], { p: 3 })).toThrow(
      invalid('w0 must have length d = 3'),
    );
    expect(() => minBregmanInterpolant(X, [1], [1, 1, 1], { p: 3 })).toThrow(invalid('y must have length 2'));
    expect(() => minBregmanInterpolant(X, [1, 10], [1, 1, 1], 'entropy', { tol: 0 })).toThrow(invalid('tol'));
    expect(() => minBregmanInterpolant(X, [1, 10], undefined as never, 'entropy')).toThrow(
      invalid('w0 is required'),
    );
  });
});

describe('Theorem 1 of the slides (mirror descent → Bregman projection)', () => {
  // d ≥ 2n keeps Gaussian X well conditioned; constant-step mirror descent needs ~κ² steps.
  const wellPosedArb = fc
    .record({ n: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 7 }), seed: fc.nat() })
    .map(({ n, extra, seed }) => ({ ...positiveProblem(seed, n, 2 * n + extra), n, d: 2 * n + extra }));
  const potentials = ['entropy', { p: 3 }, { p: 1.5 }] as const;
  for (const potential of potentials) {
    it(`for positive under-determined problems, trainRegression with mirrorDescent(${JSON.stringify(potential)}) converges to minBregmanInterpolant`, () => {
      fc.assert(
        fc.property(wellPosedArb, ({ data, w0, n }) => {
          const sv = rowSpaceBasis(data.X, n, data.d).singularValues;
          const kappa = sv[0]! / sv[n - 1]!;
          fc.pre(kappa <= 10);
          const ref = minBregmanInterpolant(data.X, data.y, w0, potential);
          const hi = Math.max(...ref.w, ...w0);
          const lo = Math.min(...ref.w.map(Math.abs), ...w0);
          // For p > 2 the inverse link has infinite slope at 0, and a constant step cannot settle on a
          // coordinate near 0 (measured: mirror descent then oscillates with L ≈ 1e−2); keep those out.
          if (typeof potential === 'object') fc.pre(lo >= 0.05);
          // A small constant step: 0.1/(σ²·max w) keeps the mirror map's curvature in check.
          const lr = 0.1 / (sv[0]! * sv[0]! * hi);
          const steps = Math.min(200_000, Math.ceil((400 * kappa * kappa * hi) / lo));
          const res = trainRegression({
            data,
            steps,
            init: w0,
            optimizer: mirrorDescent({ lr, potential }),
            reference: ref.w,
            record: { points: 1 },
          });
          expect(res.status).toBe('completed');
          expect(res.history.at(-1)!.distance!).toBeLessThan(1e-8 * (1 + norm(ref.w)));
        }),
        { numRuns: 15 },
      );
    });
  }
});
