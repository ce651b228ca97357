import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adam } from '../../../src/gd/index.js';
import { expectClose } from '../../helpers/index.js';
import { info, QUAD, run, STIFF, THETA0 } from './problems.js';
import { expectPathsClose, quadGrad, stiffGrad, textbookAdam, torchAdam } from './torchReference.js';

// Fixed seeds: fast-check then never draws its own seed, and every failure is reproducible.
const FC = { seed: 1_234_567, numRuns: 200 };

describe('adam', () => {
  const settings = [
    { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    { lr: 0.1, beta1: 0.5, beta2: 0.9, eps: 1e-6 },
    { lr: 0.05, beta1: 0.3, beta2: 0.99, eps: 1e-8 }, // 1 − β₁ ≥ 0.5: the other branch of lerp
    { lr: 0.01, beta1: 0, beta2: 0, eps: 1e-8 }, // RMSprop-free sign descent: |g|/(|g| + ε)
  ];

  it.each(settings)('adam($lr, $beta1, $beta2, $eps) follows torch.optim.Adam for 50 steps', (opts) => {
    const ours = run(adam(opts), QUAD, THETA0, 50);
    expectPathsClose(ours, torchAdam(THETA0, quadGrad, opts, 50), 1e-13);
    expectPathsClose(ours, textbookAdam(THETA0, quadGrad, opts, 50), 1e-12);
  });

  it('adam() with default settings follows torch.optim.Adam on the badly scaled quadratic', () => {
    const opts = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const ours = run(adam(), STIFF, [1, 1], 200);
    expectPathsClose(ours, torchAdam([1, 1], stiffGrad, opts, 200), 1e-13);
  });

  it('adam({ lr }) first step is θ₁ = θ₀ − lr·g/(|g| + eps), i.e. lr·sign(g) up to eps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 1e-10, max: 1e-4, noNaN: true }),
        fc.array(
          fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((g) => g !== 0),
          { minLength: 1, maxLength: 6 },
        ),
        (lr, eps, g) => {
          const opt = adam({ lr, eps });
          const theta = new Float64Array(g.length);
          opt.update(theta, Float64Array.from(g), opt.init(theta), info(0));
          expectClose(
            theta,
            g.map((gi) => -(lr * gi) / (Math.abs(gi) + eps)),
            4e-16 / lr,
          );
        },
      ),
      FC,
    );
  });

  it('adam({ lr }) second step uses m̂ = (β₁g₁ + g₂)/(1 + β₁), v̂ = (β₂g₁² + g₂²)/(1 + β₂)', () => {
    const [lr, beta1, beta2, eps] = [0.01, 0.9, 0.999, 1e-8];
    const path = run(adam({ lr }), QUAD, THETA0, 2);
    const g1 = quadGrad(THETA0);
    const theta1 = THETA0.map((x, i) => x - (lr * g1[i]) / (Math.abs(g1[i]) + eps));
    const g2 = quadGrad(theta1);
    const theta2 = theta1.map((x, i) => {
      const mHat = (beta1 * g1[i] + g2[i]) / (1 + beta1);
      const vHat = (beta2 * g1[i] ** 2 + g2[i] ** 2) / (1 + beta2);
      return x - (lr * mHat) / (Math.sqrt(vHat) + eps);
    });
    expectClose(path[0], theta1, 1e-15);
    expectClose(path[1], theta2, 1e-14);
  });

  it('adam({ lr }) counts its own updates: a fresh init restarts the bias correction', () => {
    const opt = adam({ lr: 0.01 });
    const theta = Float64Array.of(0);
    const state = opt.init(theta);
    opt.update(theta, Float64Array.of(2), state, info(1000));
    expect(state.count).toBe(1);
    expectClose(theta, [-(0.01 * 2) / (2 + 1e-8)], 1e-15);
  });

  it('adam({ lr }).update(...) uses the true gradient e^{logScale}·grad', () => {
    const opt = adam({ lr: 0.01 });
    const plain = Float64Array.of(1, -1);
    const scaled = Float64Array.of(1, -1);
    const sp = opt.init(plain);
    const ss = opt.init(scaled);
    for (let t = 0; t < 5; t++) {
      const g = Float64Array.of(0.3 + t, -0.2);
      opt.update(plain, g, sp, info(t));
      opt.update(
        scaled,
        g.map((v) => v * Math.exp(20)),
        ss,
        info(t, 1, -20),
      );
    }
    expectClose(scaled, plain, 1e-14);
  });
});
