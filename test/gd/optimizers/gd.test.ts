import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gd, momentum } from '../../../src/gd/index.js';
import { expectClose } from '../../helpers/index.js';
import { info, QUAD, run, THETA0 } from './problems.js';

// Fixed seeds: fast-check then never draws its own seed, and every failure is reproducible.
const FC = { seed: 1_234_567, numRuns: 200 };

describe('gd', () => {
  it('gd({ lr }) on L = ½aθ² follows the closed form θₜ = (1 − lr·a)ᵗ θ₀', () => {
    // Each step adds about (1 + 2·lr·a/|1 − lr·a|)·ε relative error, so the cases keep |1 − lr·a| away
    // from 0 and t ≤ 40, where the 1e-14 bound holds even in the worst case.
    for (const [a, lr, theta0] of [
      [3, 0.1, 2.5],
      [0.5, 1, -1],
      [10, 0.03, 1e-3],
      [4, 0.4, 7],
    ]) {
      const opt = gd({ lr });
      const theta = Float64Array.of(theta0);
      const grad = new Float64Array(1);
      const state = opt.init(theta);
      for (let t = 1; t <= 40; t++) {
        grad[0] = a * theta[0];
        opt.update(theta, grad, state, info(t - 1));
        const expected = (1 - lr * a) ** t * theta0;
        expect(Math.abs(theta[0] - expected)).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
      }
    }
  });

  it('gd({ lr }) is bit-identical to the loop θ[j] = θ[j] − lr·g[j] (numpy θ − lr·g)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (lr, theta0, g0) => {
          const opt = gd({ lr });
          const theta = Float64Array.from(theta0);
          const grad = Float64Array.from(theta0, (_, j) => g0[j]);
          const expected = theta0.slice();
          const state = opt.init(theta);
          for (let t = 0; t < 3; t++) {
            opt.update(theta, grad, state, info(t));
            for (let j = 0; j < expected.length; j++) expected[j] = expected[j] - lr * grad[j];
          }
          for (let j = 0; j < expected.length; j++) expect(Object.is(theta[j], expected[j])).toBe(true);
        },
      ),
      FC,
    );
  });

  it('gd({ lr: schedule }) evaluates the schedule at info.step', () => {
    const schedule = (t: number): number => 1 / (t + 2);
    const theta = Float64Array.of(1, -1);
    const grad = Float64Array.of(0.3, 0.7);
    const opt = gd({ lr: schedule });
    const state = opt.init(theta);
    const expected = [1, -1];
    for (const step of [0, 5, 17, 3]) {
      opt.update(theta, grad, state, info(step));
      for (let j = 0; j < 2; j++) expected[j] = expected[j] - schedule(step) * grad[j];
    }
    expect(Array.from(theta)).toEqual(expected);
  });

  it('gd({ lr }).update(theta, grad, state, { logScale }) steps by lr·e^{logScale}·grad', () => {
    const gradTrue = Float64Array.of(0.4, -1.2);
    for (const s of [-50, -3, 7]) {
      const plain = Float64Array.of(1, 2);
      const scaled = Float64Array.of(1, 2);
      gd({ lr: 0.1 }).update(plain, gradTrue, {}, info(0));
      const g = gradTrue.map((v) => v * Math.exp(-s));
      gd({ lr: 0.1 }).update(scaled, g, {}, info(0, 1, s));
      expectClose(scaled, plain, 1e-15);
    }
    // e^{logScale} alone underflows, lr·e^{logScale} does not
    const theta = Float64Array.of(0);
    gd({ lr: 1e300 }).update(theta, Float64Array.of(1), {}, info(0, 1, -800));
    expectClose([theta[0] / -Math.exp(Math.log(1e300) - 800)], [1], 1e-12);
    expect(theta[0]).not.toBe(0);
  });

  it('gd({ lr }) equals momentum({ lr, beta: 0 }) bit for bit', () => {
    const a = run(gd({ lr: 0.2 }), QUAD, THETA0, 50);
    const b = run(momentum({ lr: 0.2, beta: 0 }), QUAD, THETA0, 50);
    expect(a.map((x) => Array.from(x))).toEqual(b.map((x) => Array.from(x)));
  });
});
