import fc from 'fast-check';
import { Matrix, solve as mlSolve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { dataset, datasets } from '../src/datasets/index.js';
import { DivergedError } from '../src/errors/index.js';
import {
  type GradientInfo,
  gd,
  inverseTime,
  mirrorDescent,
  type Optimizer,
  type SteepestNorm,
  steepestDescent,
  trainRegression,
  trainWeighted,
} from '../src/gd/index.js';
import { dualExponent, normP, pNormLink } from '../src/gd/optimizers/norms.js';
import { cholesky } from '../src/linalg/index.js';
import { expectClose, expectSameBits, invalidInput, lcg, thrown } from './helpers/index.js';

// Fixed seeds: fast-check never draws its own seed, and every failure is reproducible.
const FC = { seed: 20_240_603, numRuns: 200 };

const info = (step: number, lossScaled = 1, logScale = 0): GradientInfo => ({ step, logScale, lossScaled });

const dotv = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

// ---------------------------------------------------------------------------------------------------
// Independent references: norms written directly from their definitions, a derivative-free minimizer.
// ---------------------------------------------------------------------------------------------------

/** (Σ|xᵢ|^r)^{1/r}, with the exact factor m = max|xᵢ| taken out so that powers neither under- nor overflow. */
const lpNorm = (a: number[], r: number): number => {
  const m = Math.max(...a);
  return m === 0 ? 0 : m * a.reduce((s, x) => s + (x / m) ** r, 0) ** (1 / r);
};

/** ‖v‖ for each norm kind, straight from the definition. */
function primalNorm(norm: SteepestNorm, v: ArrayLike<number>): number {
  const a = Array.from(v, Math.abs);
  if (norm === 'l1') return a.reduce((s, x) => s + x, 0);
  if (norm === 'l2') return Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  if (norm === 'linf') return Math.max(...a);
  if ('p' in norm) return lpNorm(a, norm.p);
  const D = norm.quadratic as number[][];
  let s = 0;
  for (let i = 0; i < v.length; i++) for (let j = 0; j < v.length; j++) s += v[i] * D[i][j] * v[j];
  return Math.sqrt(s);
}

/** The same norms as {@link primalNorm}, as allocation-free closures for the grid search's inner loop. */
function normFn(norm: SteepestNorm): (v: number[]) => number {
  if (norm === 'l1') return (v) => v.reduce((s, x) => s + Math.abs(x), 0);
  if (norm === 'l2') return (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (norm === 'linf') return (v) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  if ('p' in norm) {
    const p = norm.p;
    return (v) => v.reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p);
  }
  const D = norm.quadratic as number[][];
  return (v) => {
    let s = 0;
    for (let i = 0; i < v.length; i++) for (let j = 0; j < v.length; j++) s += v[i] * D[i][j] * v[j];
    return Math.sqrt(s);
  };
}

/** ‖g‖_* = sup_{‖v‖≤1} ⟨g, v⟩ in closed form; D⁻¹g by ml-matrix's LU solve (not the library's Cholesky). */
function dualNorm(norm: SteepestNorm, g: ArrayLike<number>): number {
  const a = Array.from(g, Math.abs);
  if (norm === 'l1') return Math.max(...a);
  if (norm === 'l2') return Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  if (norm === 'linf') return a.reduce((s, x) => s + x, 0);
  if ('p' in norm) {
    return lpNorm(a, norm.p / (norm.p - 1));
  }
  const x = mlSolve(new Matrix(norm.quadratic as number[][]), Matrix.columnVector(Array.from(g)));
  return Math.sqrt(dotv(g, x.getColumn(0)));
}

/**
 * argmin of f over the box center ± radius in ℝᵈ by nested grid search: evaluate a (2K+1)ᵈ grid, move
 * to the best point, halve the radius, repeat. For the convex objectives here the minimizer stays well
 * inside each new box (5 grid spacings of slack), so this converges to it to about √(ε)-level in f.
 */
function gridArgmin(
  f: (v: number[]) => number,
  center: number[],
  radius: number,
  { K = 10, rounds = 42 } = {},
): number[] {
  const d = center.length;
  const c = center.slice();
  const best = center.slice();
  const v = center.slice(); // reused: f must not keep its argument
  const side = 2 * K + 1;
  const total = side ** d;
  let r = radius;
  for (let round = 0; round < rounds; round++) {
    let fBest = f(c);
    for (let i = 0; i < d; i++) best[i] = c[i];
    for (let k = 0; k < total; k++) {
      let rest = k;
      for (let i = 0; i < d; i++) {
        v[i] = c[i] + (((rest % side) - K) * r) / K;
        rest = Math.floor(rest / side);
      }
      const fv = f(v);
      if (fv < fBest) {
        fBest = fv;
        for (let i = 0; i < d; i++) best[i] = v[i];
      }
    }
    for (let i = 0; i < d; i++) c[i] = best[i];
    r /= 2;
  }
  return c;
}

/** Δ of one steepest-descent step from 0 with lr = 1. */
function direction(norm: SteepestNorm, g: ArrayLike<number>): Float64Array {
  const opt = steepestDescent({ lr: 1, norm });
  const theta = new Float64Array(g.length);
  opt.update(theta, Float64Array.from(g), opt.init(theta), info(0));
  return theta;
}

/** A random symmetric positive definite d×d matrix BᵀB + 0.3·I with B uniform in [−1, 1]. */
function randomSpd(d: number, rand: () => number): number[][] {
  const B = Array.from({ length: d }, () => Array.from({ length: d }, () => 2 * rand() - 1));
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => {
      let s = i === j ? 0.3 : 0;
      for (let k = 0; k < d; k++) s += B[k][i] * B[k][j];
      return s;
    }),
  );
}

/** Runs `steps` updates of `opt` on ∇L given by `gradOf`; returns θ after each step. */
function run(
  opt: Optimizer,
  gradOf: (out: Float64Array, theta: Float64Array) => void,
  theta0: number[],
  steps: number,
  logScale = 0,
): Float64Array[] {
  const theta = Float64Array.from(theta0);
  const grad = new Float64Array(theta.length);
  const state = opt.init(theta);
  const path: Float64Array[] = [];
  for (let t = 0; t < steps; t++) {
    gradOf(grad, theta);
    opt.update(theta, grad, state, info(t, 1, logScale));
    path.push(theta.slice());
  }
  return path;
}

/** ∇L of L(θ) = ½θᵀAθ − bᵀθ in 3-D. */
const A3 = [
  [4, 1, 0],
  [1, 3, 0.5],
  [0, 0.5, 2],
];
const B3 = [1, -2, 0.5];
const quadGrad = (out: Float64Array, x: Float64Array): void => {
  for (let i = 0; i < 3; i++) out[i] = A3[i][0] * x[0] + A3[i][1] * x[1] + A3[i][2] * x[2] - B3[i];
};
/** ∇L of the mean logistic loss on a small separable set in 2-D. */
const LX = [
  [2, 1],
  [1, 2],
  [-1, -2],
  [-1.5, 0.2],
];
const LY = [1, 1, -1, -1];
const logisticGrad = (out: Float64Array, x: Float64Array): void => {
  out.fill(0);
  for (let i = 0; i < LX.length; i++) {
    const u = LY[i] * (x[0] * LX[i][0] + x[1] * LX[i][1]);
    const c = -LY[i] / (1 + Math.exp(u)) / LX.length;
    out[0] += c * LX[i][0];
    out[1] += c * LX[i][1];
  }
};

const NORMS: SteepestNorm[] = ['l1', 'l2', 'linf', { p: 4 / 3 }, { p: 1.5 }, { p: 3 }, { p: 7 }];

// ---------------------------------------------------------------------------------------------------
// steepestDescent
// ---------------------------------------------------------------------------------------------------

describe('steepestDescent', () => {
  it.each([2, 3])(
    'steepestDescent({ lr: 1, norm }) gives Δ = argmin_v ⟨g, v⟩ + ½‖v‖², found by grid search in %i-D, for every norm',
    (d) => {
      const rand = lcg(17 + d);
      const cases = d === 2 ? 12 : 4;
      for (let c = 0; c < cases; c++) {
        // g with distinct, not-too-small |gᵢ|: the argmin is then unique for every norm (l1: one largest
        // |gⱼ|; linf: no gⱼ = 0), so the minimizer's location is well defined
        const mags = Array.from({ length: d }, (_, i) => 0.3 + i * 0.4 + 0.3 * rand());
        const g = mags.map((m) => (rand() < 0.5 ? -m : m));
        for (let i = d - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [g[i], g[j]] = [g[j], g[i]];
        }
        const norms: SteepestNorm[] = [...NORMS, { quadratic: randomSpd(d, rand) }];
        for (const norm of norms) {
          const nrm = normFn(norm);
          const f = (v: number[]): number => dotv(g, v) + 0.5 * nrm(v) ** 2;
          const delta = Array.from(direction(norm, g));
          const vStar = gridArgmin(f, new Array(d).fill(0), 8, { K: d === 2 ? 10 : 8 });
          // Δ is at least as good as anything the search found, and the search lands on Δ
          expect(f(delta)).toBeLessThanOrEqual(f(vStar) + 1e-13);
          expectClose(vStar, delta, 2e-6);
          // and the minimum value is −½‖g‖_*²
          expect(Math.abs(f(delta) + 0.5 * dualNorm(norm, g) ** 2)).toBeLessThan(1e-12);
        }
      }
    },
  );

  it('steepestDescent({ norm }): u = −Δ/‖g‖_* is a unit vector attaining ⟨g, u⟩ = ‖g‖_*, and Hölder holds', () => {
    const normArb = fc.oneof(
      fc.constantFrom<SteepestNorm>('l1', 'l2', 'linf'),
      fc.double({ min: 1.05, max: 12, noNaN: true }).map((p): SteepestNorm => ({ p })),
    );
    fc.assert(
      fc.property(
        normArb,
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.integer({ min: -250, max: 250 }),
        (norm0, g0, v0, seed, e) => {
          // g = ĝ·10^e with max |ĝⱼ| = 1: u is invariant to the scale, so the plain-formula references
          // are evaluated on ĝ while the library sees g anywhere in 1e±250
          const m = Math.max(...g0.map(Math.abs));
          fc.pre(m > 0);
          const gHat = g0.map((x) => x / m);
          const g = gHat.map((x) => x * 10 ** e);
          const d = g.length;
          // every fourth run uses a random quadratic norm instead
          const norm = seed % 4 === 0 ? { quadratic: randomSpd(d, lcg(seed)) } : norm0;
          const dual = dualNorm(norm, gHat);
          const delta = direction(norm, g);
          const u = Array.from(delta, (x) => -x / 10 ** e / dual);
          expect(Math.abs(primalNorm(norm, u) - 1)).toBeLessThan(1e-12);
          expect(Math.abs(dotv(gHat, u) - dual)).toBeLessThan(1e-12 * dual);
          // Hölder: ⟨g, v⟩ ≤ ‖g‖_*·‖v‖ for any v (here a random one)
          const vm = Math.max(...v0.slice(0, d).map(Math.abs));
          const v = v0.slice(0, d).map((x) => (vm > 0 ? x / vm : x));
          expect(dotv(gHat, v)).toBeLessThanOrEqual(dual * primalNorm(norm, v) * (1 + 1e-12) + 1e-300);
        },
      ),
      FC,
    );
  });

  it("steepestDescent({ norm: 'l1' }) moves only the largest |gⱼ|, ties to the lowest index", () => {
    const cases: [number[], number][] = [
      [[1, -3, 3, 2], 1],
      [[-2, 2], 0],
      [[1, 1, 1], 0],
      [[0.5, -4, 1, -4, 4], 1],
      [[0, 0, 7], 2],
    ];
    for (const [g, j] of cases) {
      const delta = direction('l1', g);
      const expected = g.map((gi, i) => (i === j ? -gi : 0));
      expectSameBits(delta, expected);
    }
    // one coordinate per step: greedy (Gauss–Southwell) coordinate descent with step lr·gⱼ
    const opt = steepestDescent({ lr: 0.25, norm: 'l1' });
    const theta = Float64Array.of(1, 1, 1);
    opt.update(theta, Float64Array.of(0.5, -2, 1), opt.init(theta), info(0));
    expectSameBits(theta, [1, 1.5, 1]);
    // a zero gradient (±0) does not move; a NaN is picked so that it propagates
    expectSameBits(direction('l1', [0, -0]), [0, 0]);
    expect(Number.isNaN(direction('l1', [1, Number.NaN, 5])[1])).toBe(true);
  });

  it("steepestDescent({ norm: 'linf' }) is sign descent scaled by ‖g‖₁, with sign(0) = 0", () => {
    expectSameBits(direction('linf', [3, 0, -1]), [-4, 0, 4]);
    expectSameBits(direction('linf', [-0.5, 0.25, 0.25]), [1, -1, -1]);
    const opt = steepestDescent({ lr: 0.1, norm: 'linf' });
    const w = new Float64Array(3);
    opt.update(w, Float64Array.of(3, -1, 0), opt.init(w), info(0));
    expectClose(w, [-0.4, 0.4, 0], 1e-16);
  });

  it("steepestDescent({ norm: 'l2' }) is bit-identical to gd({ lr }) (also with a schedule and logScale)", () => {
    for (const lr of [0.2, inverseTime({ lr: 0.3, decay: 0.01 })]) {
      for (const logScale of [0, -3.5, -40]) {
        const a = run(steepestDescent({ lr, norm: 'l2' }), quadGrad, [0.5, 1.5, -1], 60, logScale);
        const b = run(gd({ lr }), quadGrad, [0.5, 1.5, -1], 60, logScale);
        for (let t = 0; t < a.length; t++) expectSameBits(a[t], b[t]);
      }
      const a = run(steepestDescent({ lr, norm: 'l2' }), logisticGrad, [0.3, -0.2], 100);
      const b = run(gd({ lr }), logisticGrad, [0.3, -0.2], 100);
      for (let t = 0; t < a.length; t++) expectSameBits(a[t], b[t]);
    }
  });

  it('steepestDescent({ norm: { p: 2 } }) equals gd and { quadratic: I } is bit-identical to gd', () => {
    const a = run(steepestDescent({ lr: 0.2, norm: { p: 2 } }), quadGrad, [0.5, 1.5, -1], 60);
    const b = run(gd({ lr: 0.2 }), quadGrad, [0.5, 1.5, -1], 60);
    for (let t = 0; t < a.length; t++) expectClose(a[t], b[t], 1e-14);
    const I = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const c = run(steepestDescent({ lr: 0.2, norm: { quadratic: I } }), quadGrad, [0.5, 1.5, -1], 60);
    for (let t = 0; t < c.length; t++) expectSameBits(c[t], b[t]);
  });

  it('steepestDescent({ lr: 1, norm: { quadratic: A } }) is Newton’s method: one step reaches A⁻¹b', () => {
    const opt = steepestDescent({ lr: 1, norm: { quadratic: A3 } });
    const theta = Float64Array.of(0.5, 1.5, -1);
    const grad = new Float64Array(3);
    quadGrad(grad, theta);
    opt.update(theta, grad, opt.init(theta), info(0));
    const star = mlSolve(new Matrix(A3), Matrix.columnVector(B3)).getColumn(0);
    expectClose(theta, star, 1e-14);
  });

  it('steepestDescent({ norm: { quadratic: D } }) accepts number[][], a flat Float64Array and number[] alike', () => {
    const D = [
      [2, 0.5],
      [0.5, 1],
    ];
    const forms = [D, Float64Array.of(2, 0.5, 0.5, 1), [2, 0.5, 0.5, 1]];
    const paths = forms.map((quadratic) =>
      run(steepestDescent({ lr: 0.5, norm: { quadratic } }), logisticGrad, [0.3, -0.2], 30),
    );
    for (const p of paths.slice(1)) for (let t = 0; t < p.length; t++) expectSameBits(p[t], paths[0][t]);
    // options keep a row-major copy: mutating the input later changes nothing
    const flat = Float64Array.of(2, 0.5, 0.5, 1);
    const opt = steepestDescent({ lr: 0.5, norm: { quadratic: flat } });
    flat[0] = -100;
    expect(Array.from((opt.options.norm as { quadratic: Float64Array }).quadratic)).toEqual([2, 0.5, 0.5, 1]);
    const path = run(opt, logisticGrad, [0.3, -0.2], 30);
    expectSameBits(path[29], paths[0][29]);
  });

  it.each(NORMS.concat([{ quadratic: A3 }]))(
    'steepestDescent({ norm: %o }) applies e^{logScale} once: grad·e^{−s} with logScale s gives the same step',
    (norm) => {
      const g = Float64Array.of(0.7, -1.3, 0.2);
      const plain = Float64Array.of(1, 2, -1);
      const opt = steepestDescent({ lr: 0.05, norm });
      opt.update(plain, g, opt.init(plain), info(0));
      for (const s of [-40, 25, 300]) {
        const scaled = Float64Array.of(1, 2, -1);
        opt.update(
          scaled,
          g.map((v) => v * Math.exp(-s)),
          opt.init(scaled),
          info(0, 1, s),
        );
        expectClose(scaled, plain, 1e-14);
      }
      // far tail: e^{logScale} alone underflows, lr·‖g‖_*·e^{logScale} does not
      const tail = new Float64Array(3);
      const big = steepestDescent({ lr: 1e300, norm });
      big.update(tail, g, big.init(tail), info(0, 1, -800));
      const expected = Array.from(direction(norm, g), (x) => x * Math.exp(Math.log(1e300) - 800));
      expectClose(
        tail.map((x) => x / 1e-48),
        expected.map((x) => x / 1e-48),
        1e-12,
      );
      expect(tail.some((x) => x !== 0)).toBe(true);
    },
  );

  it('steepestDescent({ norm: { p } }) needs no scaling help: gradients near 1e±300 give the exact step', () => {
    for (const scale of [1e-300, 1e300]) {
      const g = [3 * scale, -4 * scale, 1e-10 * scale];
      for (const p of [1.5, 3]) {
        const delta = direction({ p }, g);
        const ref = direction({ p }, [3, -4, 1e-10]);
        expectClose(
          delta.map((x) => x / scale),
          ref,
          1e-14,
        );
      }
    }
  });

  it('steepestDescent(options) validates lr and norm when built; D is checked against theta at init', () => {
    expect(invalidInput(() => steepestDescent({ lr: 0.1 } as never)).message).toBe(
      "steepestDescent: norm must be 'l1', 'l2', 'linf', { p } with 1 < p < ∞, or { quadratic: D }, got undefined",
    );
    expect(invalidInput(() => steepestDescent({ lr: 0.1, norm: 'l3' as never })).message).toContain(
      'got "l3"',
    );
    for (const p of [1, 0.5, -2, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(invalidInput(() => steepestDescent({ lr: 0.1, norm: { p } })).message).toMatch(
        /^steepestDescent: norm.p must be a finite number > 1, got /,
      );
    }
    expect(invalidInput(() => steepestDescent({ lr: 0.1, norm: { p: '3' } as never })).message).toBe(
      'steepestDescent: norm.p must be a finite number > 1, got "3"',
    );
    expect(invalidInput(() => steepestDescent({ lr: 0.1, norm: { p: 3, q: 1.5 } as never })).message).toBe(
      'steepestDescent: q is not a known option (known: p)',
    );
    expect(invalidInput(() => steepestDescent({ lr: -1, norm: 'l1' })).message).toBe(
      'steepestDescent: lr must be a finite number > 0, got -1',
    );
    const quad = (quadratic: unknown) => () => steepestDescent({ lr: 0.1, norm: { quadratic } as never });
    expect(
      invalidInput(
        quad([
          [1, 2],
          [0, 1],
        ]),
      ).message,
    ).toBe('steepestDescent: norm.quadratic must be symmetric, got D[1][0] = 0 but D[0][1] = 2');
    expect(
      invalidInput(
        quad([
          [1, 2],
          [2, 1],
        ]),
      ).message,
    ).toMatch(/^steepestDescent: norm.quadratic must be positive definite, got .* pivot 1 /);
    invalidInput(
      quad([
        [1, 0],
        [0, 0],
      ]),
    ); // PSD, singular
    invalidInput(
      quad([
        [-1, 0],
        [0, 1],
      ]),
    );
    invalidInput(
      quad([
        [1, 1],
        [1, 1 + 1e-17],
      ]),
    ); // singular to working precision
    expect(invalidInput(quad([[1, 0], [0]])).message).toContain('must be a square d×d matrix');
    expect(
      invalidInput(
        quad([
          [1, Number.NaN],
          [0, 1],
        ]),
      ).message,
    ).toBe('steepestDescent: norm.quadratic[0][1] must be a finite number, got NaN');
    expect(invalidInput(quad(Float64Array.of(1, 0, 0, 1, 0))).message).toContain('got length 5');
    expect(invalidInput(quad([])).message).toContain('got length 0');
    expect(invalidInput(quad('I')).message).toContain('must be a d×d number[][]');
    // a nearly symmetric D (asymmetry at rounding level) is accepted
    steepestDescent({
      lr: 0.1,
      norm: {
        quadratic: [
          [2, 0.1 + 1e-17],
          [0.1, 1],
        ],
      },
    });
    const opt = steepestDescent({ lr: 0.1, norm: { quadratic: A3 } });
    expect(invalidInput(() => opt.init(new Float64Array(2))).message).toBe(
      'steepestDescent: norm.quadratic must be d×d with d = theta.length = 2, got 3×3',
    );
    expect(
      invalidInput(() => opt.update(new Float64Array(3), new Float64Array(3), {}, info(0))).message,
    ).toContain('state must come from init(theta)');
  });
});

// ---------------------------------------------------------------------------------------------------
// mirrorDescent
// ---------------------------------------------------------------------------------------------------

/** ψ(w) = ½‖w‖_p² and its gradient written from the definition, checked by finite differences below. */
const psiP = (w: ArrayLike<number>, p: number): number =>
  0.5 * Array.from(w).reduce((s, x) => s + Math.abs(x) ** p, 0) ** (2 / p);
function gradPsiP(w: ArrayLike<number>, p: number): number[] {
  const N = Array.from(w).reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p);
  return Array.from(w, (x) => (N === 0 ? 0 : (Math.sign(x) * Math.abs(x) ** (p - 1)) / N ** (p - 2)));
}
/** Bregman divergences D_ψ(w, w') of the entropy and p-norm potentials. */
const bregmanEntropy = (w: number[], w0: ArrayLike<number>): number =>
  w.reduce((s, x, i) => s + x * Math.log(x / w0[i]) - x + w0[i], 0);
const bregmanP = (w: number[], w0: ArrayLike<number>, p: number): number => {
  const g0 = gradPsiP(w0, p);
  return psiP(w, p) - psiP(w0, p) - w.reduce((s, x, i) => s + g0[i] * (x - w0[i]), 0);
};

describe('mirrorDescent', () => {
  it("mirrorDescent({ lr, potential: 'entropy' }) on a linear loss follows wₜ = w₀ ⊙ exp(−t·lr·a)", () => {
    // L(w) = ⟨a, w⟩: ∇L = a is constant, so the mirror iterates have a closed form
    const a = [0.3, -0.7, 1.1, 0];
    const w0 = [1, 0.5, 2, 3];
    const lr = 0.05;
    const opt = mirrorDescent({ lr, potential: 'entropy' });
    const w = Float64Array.from(w0);
    const state = opt.init(w);
    const grad = Float64Array.from(a);
    const loop = w0.slice();
    for (let t = 1; t <= 200; t++) {
      opt.update(w, grad, state, info(t - 1));
      for (let j = 0; j < 4; j++) loop[j] = loop[j] * Math.exp(-lr * a[j]); // "exactly that way"
      expectSameBits(w, loop);
      expectClose(
        w,
        w0.map((x, j) => x * Math.exp(-t * lr * a[j])),
        2e-16 * (t + 2),
      );
    }
    // with a schedule: the exponent is the sum of the step sizes
    const sched = inverseTime({ lr: 0.2, decay: 0.5 });
    const ws = Float64Array.from(w0);
    const os = mirrorDescent({ lr: sched, potential: 'entropy' });
    const ss = os.init(ws);
    let sum = 0;
    for (let t = 0; t < 50; t++) {
      os.update(ws, grad, ss, info(t));
      sum += sched(t);
    }
    expectClose(
      ws,
      w0.map((x, j) => x * Math.exp(-sum * a[j])),
      1e-14,
    );
  });

  it('mirrorDescent({ potential }) takes the step argmin_w lr⟨g, w⟩ + D_ψ(w, wₜ) (grid search, 2-D)', () => {
    const rand = lcg(99);
    for (let c = 0; c < 6; c++) {
      const w0 = [0.3 + 2 * rand(), 0.3 + 2 * rand()];
      const g = [2 * rand() - 1, 2 * rand() - 1];
      const lr = 0.4;
      const step = (potential: 'entropy' | { p: number }): number[] => {
        const opt = mirrorDescent({ lr, potential });
        const w = Float64Array.from(w0);
        opt.update(w, Float64Array.from(g), opt.init(w), info(0));
        return Array.from(w);
      };
      const linear = (w: number[]): number => lr * dotv(g, w);
      const ent = step('entropy');
      const entRef = gridArgmin(
        (w) => (w[0] > 0 && w[1] > 0 ? linear(w) + bregmanEntropy(w, w0) : Number.POSITIVE_INFINITY),
        w0,
        Math.min(...w0) * 0.99,
      );
      expectClose(entRef, ent, 1e-6);
      // signs may change under the p-norm geometry: start from a point with a negative coordinate too
      const w1 = c % 2 === 0 ? w0 : [w0[0], -w0[1]];
      for (const p of [1.5, 3]) {
        const opt = mirrorDescent({ lr, potential: { p } });
        const w = Float64Array.from(w1);
        opt.update(w, Float64Array.from(g), opt.init(w), info(0));
        const ref = gridArgmin((v) => linear(v) + bregmanP(v, w1, p), w1, 4);
        expectClose(ref, w, 1e-6);
      }
    }
  });

  it('the p-norm link ∇(½‖·‖_p²) is the gradient of ½‖w‖_p² (finite differences)', () => {
    const rand = lcg(5);
    for (const p of [1.25, 4 / 3, 2, 3, 6]) {
      for (let c = 0; c < 5; c++) {
        const w = Array.from({ length: 4 }, () => 4 * rand() - 2);
        const link = pNormLink(new Float64Array(4), w, p);
        expectClose(link, gradPsiP(w, p), 1e-13);
        const h = 1e-6;
        const fd = w.map((_, i) => {
          const up = w.slice();
          const dn = w.slice();
          up[i] += h;
          dn[i] -= h;
          return (psiP(up, p) - psiP(dn, p)) / (2 * h);
        });
        expectClose(link, fd, 1e-8);
      }
    }
    expectSameBits(pNormLink(new Float64Array(3), [0, -0, 0], 3), [0, 0, 0]);
  });

  it('the p-norm link and its inverse (exponent q = p/(p−1)) compose to the identity, and ‖∇ψ(w)‖_q = ‖w‖_p', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.05, max: 10, noNaN: true }),
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: -150, max: 150 }),
        (p, w0, e) => {
          // max |wⱼ| = 10^e exercises the overflow-free evaluation far from 1 (an entry's true image
          // ∇ψ(w)ⱼ = ‖w‖·(|wⱼ|/‖w‖)^{p−1} must itself be representable, so e stays within ±150)
          const m = Math.max(...w0.map(Math.abs));
          fc.pre(m > 0);
          const w = w0.map((x) => (x / m) * 10 ** e);
          const q = dualExponent(p);
          const z = pNormLink(new Float64Array(w.length), w, p);
          const back = pNormLink(new Float64Array(w.length), z, q);
          const scale = Math.max(...w.map(Math.abs));
          const np = normP(w, p);
          expect(Math.abs(normP(z, q) - np)).toBeLessThanOrEqual(1e-13 * np);
          for (let j = 0; j < w.length; j++) {
            const err = Math.abs(back[j] - w[j]);
            // entries comparable to the largest come back to ~1e-13 relative; tiny ones to 1e-12·max|w|
            expect(err).toBeLessThanOrEqual(Math.max(1e-13 * Math.abs(w[j]), 1e-12 * scale));
            expect(Math.sign(back[j]) === Math.sign(w[j]) || back[j] === 0 || err <= 1e-12 * scale).toBe(
              true,
            );
          }
        },
      ),
      FC,
    );
  });

  it('mirrorDescent({ potential: { p } }) one step satisfies ∇ψ(w₊) = ∇ψ(w) − lr·g (independent ∇ψ)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.1, max: 6, noNaN: true }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 6 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (p, w0, g0) => {
          const scale = Math.max(...w0.map(Math.abs));
          fc.pre(scale > 1e-3);
          const g = w0.map((_, j) => g0[j]);
          const opt = mirrorDescent({ lr: 0.1, potential: { p } });
          const w = Float64Array.from(w0);
          opt.update(w, Float64Array.from(g), opt.init(w), info(0));
          const lhs = gradPsiP(w, p);
          const rhs = gradPsiP(w0, p).map((z, j) => z - 0.1 * g[j]);
          const zScale = Math.max(1, ...rhs.map(Math.abs));
          for (let j = 0; j < lhs.length; j++) expect(Math.abs(lhs[j] - rhs[j])).toBeLessThan(1e-11 * zScale);
        },
      ),
      FC,
    );
  });

  it("mirrorDescent({ potential: 'euclidean' }) is bit-identical to gd({ lr }) (also with a schedule and logScale)", () => {
    for (const lr of [0.2, inverseTime({ lr: 0.3, decay: 0.01 })]) {
      for (const logScale of [0, -3.5, -40]) {
        const a = run(mirrorDescent({ lr, potential: 'euclidean' }), quadGrad, [0.5, 1.5, -1], 60, logScale);
        const b = run(gd({ lr }), quadGrad, [0.5, 1.5, -1], 60, logScale);
        for (let t = 0; t < a.length; t++) expectSameBits(a[t], b[t]);
      }
      const a = run(mirrorDescent({ lr, potential: 'euclidean' }), logisticGrad, [0.3, -0.2], 100);
      const b = run(gd({ lr }), logisticGrad, [0.3, -0.2], 100);
      for (let t = 0; t < a.length; t++) expectSameBits(a[t], b[t]);
    }
  });

  it.each(['entropy', { p: 3 }, { p: 1.5 }] as const)(
    'mirrorDescent({ potential: %o }) uses the true gradient e^{logScale}·grad',
    (potential) => {
      const g = Float64Array.of(0.7, -1.3, 0.2);
      const plain = Float64Array.of(1, 2, 0.5);
      const opt = mirrorDescent({ lr: 0.05, potential });
      opt.update(plain, g, opt.init(plain), info(0));
      for (const s of [-40, 25, 300]) {
        const scaled = Float64Array.of(1, 2, 0.5);
        opt.update(
          scaled,
          g.map((v) => v * Math.exp(-s)),
          opt.init(scaled),
          info(0, 1, s),
        );
        expectClose(scaled, plain, 1e-14);
      }
    },
  );

  it('mirrorDescent({ potential: { grad: log, gradInverse: exp } }) matches the built-in entropy to rounding', () => {
    const entropy = {
      grad: (out: Float64Array, w: Float64Array) => {
        for (let j = 0; j < w.length; j++) out[j] = Math.log(w[j]);
        return out;
      },
      gradInverse: (out: Float64Array, z: Float64Array) => {
        for (let j = 0; j < z.length; j++) out[j] = Math.exp(z[j]);
        return out;
      },
    };
    const positiveQuad = (out: Float64Array, x: Float64Array): void => {
      for (let i = 0; i < 3; i++)
        out[i] = A3[i][0] * x[0] + A3[i][1] * x[1] + A3[i][2] * x[2] - [6, 7.25, 2][i];
    };
    const a = run(mirrorDescent({ lr: 0.1, potential: entropy }), positiveQuad, [0.5, 1.5, 1], 300);
    const b = run(mirrorDescent({ lr: 0.1, potential: 'entropy' }), positiveQuad, [0.5, 1.5, 1], 300);
    for (let t = 0; t < a.length; t++) expectClose(a[t], b[t], 1e-13);
    // A·[1, 2, 0.5] = [6, 7.5, 2]: both reach the positive minimizer
    expectClose(b[299], [1, 2, 0.5], 1e-12);
    // and log of a non-positive θ is NaN: the user potential reports its domain at init
    const opt = mirrorDescent({ lr: 0.1, potential: entropy });
    expect(invalidInput(() => opt.init(Float64Array.of(1, -2))).message).toBe(
      'mirrorDescent: theta must lie in the domain of the potential, got potential.grad(theta)[1] = NaN',
    );
  });

  it("mirrorDescent({ potential: 'entropy' }).init(theta) throws INVALID_INPUT outside w > 0", () => {
    const opt = mirrorDescent({ lr: 0.1, potential: 'entropy' });
    expect(invalidInput(() => opt.init(Float64Array.of(1, 0, 2))).message).toBe(
      'mirrorDescent: theta[1] must be > 0 (the domain w > 0 of the entropy potential), got 0',
    );
    expect(invalidInput(() => opt.init(Float64Array.of(1, 2, -3))).message).toContain('theta[2] must be > 0');
    invalidInput(() => opt.init(Float64Array.of(-0)));
    for (const potential of ['entropy', 'euclidean', { p: 3 }] as const) {
      expect(
        invalidInput(() => mirrorDescent({ lr: 0.1, potential }).init(Float64Array.of(1, Number.NaN)))
          .message,
      ).toBe('mirrorDescent: theta[1] must be finite, got NaN');
    }
    // the p-norm potential lives on all of ℝᵈ
    mirrorDescent({ lr: 0.1, potential: { p: 3 } }).init(Float64Array.of(-1, 0));
  });

  it('mirrorDescent(...).update throws DIVERGED (step = info.step + 1, last finite θ) and leaves θ as it was', () => {
    const cases: [ConstructorParameters<typeof Object>[0], number[], number[], RegExp][] = [
      ['entropy', [1, 2], [800, 0], /w\[0\] = 0 \(exp\(−lr·∇L\) underflowed\)/],
      ['entropy', [1, 2], [0, -800], /non-finite w\[1\] = Infinity \(exp\(−lr·∇L\) overflowed\)/],
      [
        { p: 3 },
        [1e308, 1],
        [-1e308, 0],
        /non-finite dual point ∇ψ\(w\) − lr·∇L: z\[0\] = Infinity \(p-norm \(p = 3\)/,
      ],
      ['euclidean', [1e308, 0], [-1e308, 1], /non-finite w\[0\] = Infinity/],
    ];
    for (const [potential, w0, g, message] of cases) {
      const opt = mirrorDescent({ lr: 1, potential: potential as never });
      const w = Float64Array.from(w0);
      const state = opt.init(w);
      const err = thrown('DIVERGED', () =>
        opt.update(w, Float64Array.from(g), state, info(41)),
      ) as DivergedError;
      expect(err).toBeInstanceOf(DivergedError);
      expect(err.step).toBe(42);
      expect(err.message).toMatch(/^mirrorDescent: the update at step 42 /);
      expect(err.message).toMatch(message);
      expectSameBits(err.lastFiniteTheta, w0);
      expectSameBits(w, w0);
      // the state is still usable: a harmless step proceeds
      opt.update(w, new Float64Array(2), state, info(42));
      expectSameBits(w, w0);
    }
  });

  it('mirrorDescent({ potential: { p: 3 } }) blows up at a too-large lr and reports the last finite θ', () => {
    // ∇L = 3w: the dual point grows by a factor |1 − 3·lr·...| each step until it overflows
    const opt = mirrorDescent({ lr: 50, potential: { p: 3 } });
    const w = Float64Array.of(1, -0.5);
    const state = opt.init(w);
    const grad = new Float64Array(2);
    let prev = w.slice();
    let step = 0;
    const err = thrown('DIVERGED', () => {
      for (; step < 10_000; step++) {
        prev = w.slice();
        for (let j = 0; j < 2; j++) grad[j] = 3 * w[j];
        opt.update(w, grad, state, info(step));
      }
    }) as DivergedError;
    expect(step).toBeGreaterThan(10);
    expect(err.step).toBe(step + 1);
    expectSameBits(err.lastFiniteTheta, prev);
    expect(err.lastFiniteTheta.every(Number.isFinite)).toBe(true);
  });

  it('mirrorDescent({ potential: { grad, gradInverse } }) reports a non-finite gradInverse as DIVERGED', () => {
    // a (bad) user potential whose inverse link is defined only for z > −1
    const potential = {
      grad: (out: Float64Array, w: Float64Array) => out.set(w) ?? out,
      gradInverse: (out: Float64Array, z: Float64Array) => {
        for (let j = 0; j < z.length; j++) out[j] = z[j] > -1 ? z[j] : Number.NaN;
        return out;
      },
    };
    const opt = mirrorDescent({ lr: 1, potential });
    const w = Float64Array.of(0, 0);
    const state = opt.init(w);
    const g = Float64Array.of(0.4, 0);
    opt.update(w, g, state, info(0));
    opt.update(w, g, state, info(1));
    expectClose(w, [-0.8, 0], 1e-15);
    const err = thrown('DIVERGED', () => opt.update(w, g, state, info(2))) as DivergedError;
    expect(err.step).toBe(3);
    expect(err.message).toContain('non-finite w[0] = NaN (user potential)');
    expectClose(err.lastFiniteTheta, [-0.8, 0], 1e-15);
  });

  it('mirrorDescent(options) validates lr and potential when built', () => {
    expect(invalidInput(() => mirrorDescent({ lr: 0.1 } as never)).message).toBe(
      "mirrorDescent: potential must be 'euclidean', 'entropy', { p } with 1 < p < ∞, or { grad, gradInverse }, got undefined",
    );
    expect(invalidInput(() => mirrorDescent({ lr: 0.1, potential: 'kl' as never })).message).toContain(
      'got "kl"',
    );
    expect(invalidInput(() => mirrorDescent({ lr: 0.1, potential: {} as never })).message).toContain(
      'got an object (Object)',
    );
    for (const p of [1, 0, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(invalidInput(() => mirrorDescent({ lr: 0.1, potential: { p } })).message).toMatch(
        /^mirrorDescent: potential.p must be a finite number > 1, got /,
      );
    }
    expect(invalidInput(() => mirrorDescent({ lr: 0.1, potential: { p: 2, q: 2 } as never })).message).toBe(
      'mirrorDescent: q is not a known option (known: p)',
    );
    const f = (out: Float64Array) => out;
    expect(invalidInput(() => mirrorDescent({ lr: 0.1, potential: { grad: f } as never })).message).toBe(
      'mirrorDescent: potential.gradInverse must be a function (out, x) => out, got undefined',
    );
    expect(
      invalidInput(() => mirrorDescent({ lr: 0.1, potential: { grad: 1, gradInverse: f } as never })).message,
    ).toBe('mirrorDescent: potential.grad must be a function (out, x) => out, got 1');
    expect(invalidInput(() => mirrorDescent({ lr: 0, potential: 'entropy' })).message).toBe(
      'mirrorDescent: lr must be a finite number > 0, got 0',
    );
    // a user link that returns a new array instead of writing into out is caught at its first call
    const opt = mirrorDescent({
      lr: 0.1,
      potential: { grad: (_out, w) => w.map((x) => 2 * x), gradInverse: (out) => out },
    });
    expect(invalidInput(() => opt.init(Float64Array.of(1))).message).toBe(
      'mirrorDescent: potential.grad must write into out and return it, got another array',
    );
    const o = mirrorDescent({ lr: 0.1, potential: { p: 3 } });
    expect(o.options).toEqual({ lr: 0.1, potential: { p: 3 } });
    expect(Object.isFrozen(o.options.potential)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// With the training loop
// ---------------------------------------------------------------------------------------------------

describe('geometry optimizers in trainWeighted', () => {
  const data = dataset(LX, LY);

  it.each([
    ['steepestDescent l1', steepestDescent({ lr: 0.5, norm: 'l1' })],
    ['steepestDescent linf', steepestDescent({ lr: 0.2, norm: 'linf' })],
    [
      'steepestDescent { quadratic }',
      steepestDescent({
        lr: 0.5,
        norm: {
          quadratic: [
            [2, 0],
            [0, 1],
          ],
        },
      }),
    ],
    ['mirrorDescent entropy', mirrorDescent({ lr: 0.5, potential: 'entropy' })],
    ['mirrorDescent { p: 3 }', mirrorDescent({ lr: 0.5, potential: { p: 3 } })],
  ] as [string, Optimizer][])(
    'trainWeighted({ optimizer: %s }) runs and decreases the loss',
    (_, optimizer) => {
      const res = trainWeighted({ data, optimizer, steps: 200, init: [0.2, 0.1] });
      expect(res.status).toBe('completed');
      const first = res.history[0].loss;
      const lastRow = res.history[res.history.length - 1];
      expect(lastRow.loss).toBeLessThan(0.5 * first);
    },
  );
});

describe('geometry optimizers in trainRegression', () => {
  it.each([
    ['steepestDescent { p: 4/3 }', steepestDescent({ lr: 0.01, norm: { p: 4 / 3 } })],
    ['steepestDescent l1', steepestDescent({ lr: 0.05, norm: 'l1' })],
    ['steepestDescent linf', steepestDescent({ lr: 0.005, norm: 'linf' })],
    ['mirrorDescent { p: 3 }', mirrorDescent({ lr: 0.01, potential: { p: 3 } })],
  ] as [string, Optimizer][])(
    'trainRegression({ data: datasets.slidesRegression(), optimizer: %s }) reaches an interpolant',
    (_, optimizer) => {
      const data = datasets.slidesRegression();
      const res = trainRegression({ data, optimizer, steps: 20_000, init: 'zeros' });
      expect(res.status).toBe('completed');
      // Xw = y for X = [[1, 1, 1], [1, 2, 0]], y = [1, 10]
      const w = res.w;
      expect(Math.abs(w[0] + w[1] + w[2] - 1)).toBeLessThan(1e-6);
      expect(Math.abs(w[0] + 2 * w[1] - 10)).toBeLessThan(1e-6);
    },
  );
});

describe('steepest descent on the slides example {([1,1,1], 1), ([1,2,0], 10)}', () => {
  const data = datasets.slidesRegression();
  const limit = (optimizer: Optimizer, steps = 20_000): Float64Array =>
    trainRegression({ data, optimizer, steps, init: 'zeros' }).w;
  const interpolates = (w: ArrayLike<number>): void => {
    expect(Math.abs(w[0] + w[1] + w[2] - 1)).toBeLessThan(1e-9);
    expect(Math.abs(w[0] + 2 * w[1] - 10)).toBeLessThan(1e-9);
  };

  it('steepestDescent({ lr, norm: { p: 4/3 } }) interpolates, but the limit depends on lr and is not the min-ℓ_{4/3} interpolant', () => {
    const small = limit(steepestDescent({ lr: 0.005, norm: { p: 4 / 3 } }));
    const large = limit(steepestDescent({ lr: 0.06, norm: { p: 4 / 3 } }));
    interpolates(small);
    interpolates(large);
    // measured: w ≈ [0.289, 4.855, −4.145] at lr = 0.005 and [0.384, 4.808, −4.192] at lr = 0.06
    expect(large[0] - small[0]).toBeGreaterThan(0.05);
    // the interpolants are w(t) = (0, 5, −4) + t·(2, −1, −1); minimize ‖w(t)‖_{4/3} by ternary search
    const norm43 = (t: number): number =>
      [2 * t, 5 - t, -4 - t].reduce((acc, x) => acc + Math.abs(x) ** (4 / 3), 0);
    let [a, b] = [-10, 10];
    for (let i = 0; i < 200; i++) {
      const m1 = a + (b - a) / 3;
      const m2 = b - (b - a) / 3;
      if (norm43(m1) < norm43(m2)) b = m2;
      else a = m1;
    }
    const t = (a + b) / 2;
    const minNorm = [2 * t, 5 - t, -4 - t];
    expect(Math.abs(small[0] - minNorm[0])).toBeGreaterThan(0.2);
  });

  it('steepestDescent({ lr, norm: { quadratic: D } }) reaches argmin_{Xw=y} ‖w − w₀‖_D for every lr', () => {
    const D = [
      [2, 0.3, 0],
      [0.3, 1, -0.2],
      [0, -0.2, 0.5],
    ];
    // closed form from w₀ = 0: w* = D⁻¹Xᵀ (X D⁻¹ Xᵀ)⁻¹ y, by ml-matrix
    const X = new Matrix([
      [1, 1, 1],
      [1, 2, 0],
    ]);
    const DinvXt = mlSolve(new Matrix(D), X.transpose());
    const lambda = mlSolve(X.mmul(DinvXt), Matrix.columnVector([1, 10]));
    const star = DinvXt.mmul(lambda).getColumn(0);
    for (const lr of [0.005, 0.02, 0.05]) {
      const w = limit(steepestDescent({ lr, norm: { quadratic: D } }));
      expectClose(w, star, 1e-9);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// cholesky (the factor behind the quadratic norm)
// ---------------------------------------------------------------------------------------------------

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
