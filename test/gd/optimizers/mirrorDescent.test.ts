import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DivergedError } from '../../../src/errors/index.js';
import { gd, inverseTime, mirrorDescent } from '../../../src/gd/index.js';
import { dualExponent, normP, pNormLink } from '../../../src/linalg/potentials.js';
import { expectClose, expectSameBits, invalidInput, lcg, thrown } from '../../helpers/index.js';
import { A3, dotv, gridArgmin, logisticGrad, quadGrad, run } from './geometry.js';
import { info } from './problems.js';

// Fixed seeds: fast-check never draws its own seed, and every failure is reproducible.
const FC = { seed: 20_240_603, numRuns: 200 };

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
