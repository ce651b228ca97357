import fc from 'fast-check';
import { Matrix, solve as mlSolve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { datasets } from '../../../src/datasets/index.js';
import {
  gd,
  inverseTime,
  type Optimizer,
  type SteepestNorm,
  steepestDescent,
  trainRegression,
} from '../../../src/gd/index.js';
import { expectClose, expectSameBits, invalidInput, lcg, randomSpd } from '../../helpers/index.js';
import {
  A3,
  B3,
  direction,
  dotv,
  dualNorm,
  gridArgmin,
  logisticGrad,
  NORMS,
  normFn,
  primalNorm,
  quadGrad,
  run,
} from './geometry.js';
import { info } from './problems.js';

// Fixed seeds: fast-check never draws its own seed, and every failure is reproducible.
const FC = { seed: 20_240_603, numRuns: 200 };

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
