import { describe, it } from 'vitest';
import { momentum, stepDecay } from '../../../src/gd/index.js';
import { expectClose } from '../../helpers/index.js';
import { info, QUAD, run, THETA0 } from './problems.js';
import { expectPathsClose, quadGrad, torchSgd } from './torchReference.js';

describe('momentum', () => {
  it.each([
    [0.05, 0.9],
    [0.1, 0.5],
    [0.02, 0.99],
  ])('momentum({ lr: %f, beta: %f }) follows torch.optim.SGD(momentum=beta) for 50 steps', (lr, beta) => {
    const ours = run(momentum({ lr, beta }), QUAD, THETA0, 50);
    const ref = torchSgd(THETA0, quadGrad, { lr, momentum: beta, nesterov: false }, 50);
    expectPathsClose(ours, ref, 1e-13);
  });

  it.each([
    [0.05, 0.9],
    [0.1, 0.5],
    [0.02, 0.99],
  ])(
    'momentum({ lr: %f, beta: %f, nesterov: true }) follows torch.optim.SGD(nesterov=True) for 50 steps',
    (lr, beta) => {
      const ours = run(momentum({ lr, beta, nesterov: true }), QUAD, THETA0, 50);
      const ref = torchSgd(THETA0, quadGrad, { lr, momentum: beta, nesterov: true }, 50);
      expectPathsClose(ours, ref, 1e-13);
    },
  );

  it('momentum({ lr, beta }) first two steps: θ₁ = θ₀ − lr·g₀, θ₂ = θ₁ − lr·(β·g₀ + g₁)', () => {
    const [lr, beta] = [0.05, 0.9];
    const path = run(momentum({ lr, beta }), QUAD, THETA0, 2);
    const g0 = quadGrad(THETA0);
    const theta1 = THETA0.map((x, i) => x - lr * g0[i]);
    const g1 = quadGrad(theta1);
    const theta2 = theta1.map((x, i) => x - lr * (beta * g0[i] + g1[i]));
    expectClose(path[0], theta1, 1e-15);
    expectClose(path[1], theta2, 1e-15);
  });

  it('momentum({ lr, beta, nesterov: true }) first two steps use g + β·v', () => {
    const [lr, beta] = [0.05, 0.9];
    const path = run(momentum({ lr, beta, nesterov: true }), QUAD, THETA0, 2);
    const g0 = quadGrad(THETA0);
    const theta1 = THETA0.map((x, i) => x - lr * (1 + beta) * g0[i]);
    const g1 = quadGrad(theta1);
    const theta2 = theta1.map((x, i) => x - lr * (g1[i] + beta * (beta * g0[i] + g1[i])));
    expectClose(path[0], theta1, 1e-15);
    expectClose(path[1], theta2, 1e-15);
  });

  it('momentum({ lr: schedule, beta }) evaluates the schedule at info.step', () => {
    const schedule = stepDecay({ lr: 0.05, every: 10, factor: 0.5 });
    const ours = run(momentum({ lr: schedule, beta: 0.9 }), QUAD, THETA0, 30);
    // reference: torch SGD with the lr changed before each step (a StepLR scheduler)
    let p = THETA0.slice();
    let buf: number[] | null = null;
    for (let t = 0; t < 30; t++) {
      const g = quadGrad(p);
      buf = buf === null ? g.slice() : buf.map((b, i) => b * 0.9 + g[i]);
      const lr = 0.05 * 0.5 ** Math.floor(t / 10);
      const b = buf;
      p = p.map((x, i) => x + -lr * b[i]);
      expectClose(ours[t], p, 1e-13);
    }
  });

  it('momentum({ lr, beta }).update(...) accumulates the true gradient e^{logScale}·grad', () => {
    const opt = momentum({ lr: 0.1, beta: 0.9 });
    const plain = Float64Array.of(1, -1);
    const scaled = Float64Array.of(1, -1);
    const sp = opt.init(plain);
    const ss = opt.init(scaled);
    for (let t = 0; t < 5; t++) {
      const g = Float64Array.of(0.3 + t, -0.2);
      opt.update(plain, g, sp, info(t));
      opt.update(
        scaled,
        g.map((v) => v * Math.exp(30)),
        ss,
        info(t, 1, -30),
      );
    }
    expectClose(scaled, plain, 1e-14);
    expectClose(ss.velocity, sp.velocity, 1e-14);
  });
});
