import { describe, expect, it } from 'vitest';
import { normalizedGd } from '../../../src/gd/index.js';
import { expectClose } from '../../helpers/index.js';
import { info, LOGISTIC } from './problems.js';

describe('normalizedGd', () => {
  /** Exponential-loss problem on the same separable points as LOGISTIC, margins given directly. */
  const X = [
    [2, 1],
    [1, 2],
    [-1.5, 0.2],
  ];
  const y = [1, 1, -1];

  it("normalizedGd({ lr }) steps by lr·∇L/L (normalize: 'loss')", () => {
    const theta = Float64Array.of(-0.5, 0.25);
    const L = LOGISTIC.loss(theta);
    const g = LOGISTIC.grad(new Float64Array(2), theta);
    const expected = Array.from(theta, (x, j) => x - (0.7 * g[j]) / L);
    normalizedGd({ lr: 0.7 }).update(theta, g, {}, info(0, L));
    expectClose(theta, expected, 1e-15);
  });

  it("normalizedGd({ lr, normalize: 'gradient' }) steps by lr·∇L/‖∇L‖₂", () => {
    const theta = Float64Array.of(-0.5, 0.25);
    const g = LOGISTIC.grad(new Float64Array(2), theta);
    const norm = Math.hypot(g[0], g[1]);
    const expected = Array.from(theta, (x, j) => x - (0.7 * g[j]) / norm);
    normalizedGd({ lr: 0.7, normalize: 'gradient' }).update(theta, g, {}, info(0, 123));
    expectClose(theta, expected, 1e-15);
    // a step of length exactly lr (up to rounding), whatever the scale of the gradient
    for (const scale of [1e-300, 1e-200, 1, 1e200, 1e300]) {
      const th = Float64Array.of(0, 0);
      normalizedGd({ lr: 0.7, normalize: 'gradient' }).update(
        th,
        Float64Array.of(3 * scale, -4 * scale),
        {},
        info(0),
      );
      expectClose(th, [-0.42, 0.56], 1e-15);
    }
  });

  it.each(['loss', 'gradient'] as const)(
    "normalizedGd({ lr, normalize: '%s' }) is invariant to the loop's scaling: logScale = 100",
    (normalize) => {
      const opt = normalizedGd({ lr: 0.3, normalize });
      const plain = Float64Array.of(-0.5, 0.25);
      const scaled = plain.slice();
      const L = LOGISTIC.loss(plain);
      const g = LOGISTIC.grad(new Float64Array(2), plain);
      const s = 100;
      opt.update(plain, g, {}, info(0, L));
      opt.update(
        scaled,
        g.map((v) => v * Math.exp(-s)),
        {},
        info(0, L * Math.exp(-s), s),
      );
      expectClose(scaled, plain, 1e-15);
    },
  );

  it('normalizedGd({ lr }) takes the full step where L underflows (logScale = −1120, exponential loss)', () => {
    // θ with margins ≥ 1120: every e^{−uᵢ} underflows, so L = 0 and ∇L = 0 in float64. The loop passes
    // the terms shifted by the smallest margin: lossScaled = Σ e^{−(uᵢ−u₀)}, grad = −Σ e^{−(uᵢ−u₀)} yᵢxᵢ.
    const theta = Float64Array.of(800, 400);
    const u = X.map((x, i) => y[i] * (x[0] * theta[0] + x[1] * theta[1]));
    const u0 = Math.min(...u);
    expect(u.every((ui) => Math.exp(-ui) === 0)).toBe(true);
    const w = u.map((ui) => Math.exp(-(ui - u0)));
    const lossScaled = w.reduce((a, b) => a + b, 0);
    const grad = Float64Array.of(
      -w.reduce((acc, wi, i) => acc + wi * y[i] * X[i][0], 0),
      -w.reduce((acc, wi, i) => acc + wi * y[i] * X[i][1], 0),
    );
    // reference: the softmax-weighted average of yᵢxᵢ (∇L/L for the exponential loss)
    const p = w.map((wi) => wi / lossScaled);
    const expected = [
      800 + 0.5 * p.reduce((acc, pi, i) => acc + pi * y[i] * X[i][0], 0),
      400 + 0.5 * p.reduce((acc, pi, i) => acc + pi * y[i] * X[i][1], 0),
    ];
    normalizedGd({ lr: 0.5 }).update(theta, grad, {}, info(0, lossScaled, -u0));
    expectClose(theta, expected, 1e-15);
  });
});
