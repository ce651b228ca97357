/**
 * The problems the optimizer tests run on, with L and ∇L computed here (independently of the library), the
 * loop that runs an optimizer on them, and the GradientInfo a training loop would pass.
 */

import type { GradientInfo, Optimizer } from '../../../src/gd/index.js';

export const info = (step: number, lossScaled = 1, logScale = 0): GradientInfo => ({
  step,
  logScale,
  lossScaled,
});

export interface Problem {
  dim: number;
  /** L(θ). */
  loss(theta: ArrayLike<number>): number;
  /** Writes ∇L(θ) into `out`. */
  grad(out: Float64Array, theta: ArrayLike<number>): Float64Array;
}

/**
 * L(θ) = ½ θᵀAθ − bᵀθ + c with A SPD and b = Aθ*, so the closed-form minimizer is A⁻¹b = θ*. The
 * constant c = ½ θ*ᵀAθ* + 1 makes min L = 1 > 0 (it changes neither ∇L nor the minimizer; it lets
 * normalizedGd, which divides by L, run on the same problem).
 */
export function quadratic(A: number[][], thetaStar: number[]): Problem & { thetaStar: number[] } {
  const d = thetaStar.length;
  const b = A.map((row) => row.reduce((s, a, k) => s + a * thetaStar[k], 0));
  const quad = (x: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) s += x[i] * A[i][k] * x[k];
    return 0.5 * s;
  };
  const c = quad(thetaStar) + 1;
  return {
    dim: d,
    thetaStar,
    loss: (x) => quad(x) - b.reduce((s, bi, i) => s + bi * x[i], 0) + c,
    grad: (out, x) => {
      for (let i = 0; i < d; i++) {
        let s = -b[i];
        for (let k = 0; k < d; k++) s += A[i][k] * x[k];
        out[i] = s;
      }
      return out;
    },
  };
}

/** A well-conditioned SPD quadratic in 3-D (eigenvalues in about [1.6, 4.6]). */
export const QUAD = quadratic(
  [
    [4, 1, 0],
    [1, 3, 0.5],
    [0, 0.5, 2],
  ],
  [1, -2, 0.5],
);

/** A badly scaled quadratic: condition number 1e3. */
export const STIFF = quadratic(
  [
    [1000, 0],
    [0, 1],
  ],
  [0.3, -0.7],
);

/**
 * The same problems with minimizers in the open positive orthant, for optimizers whose domain is w > 0
 * (mirror descent with the entropy potential).
 */
export const QUAD_POS = quadratic(
  [
    [4, 1, 0],
    [1, 3, 0.5],
    [0, 0.5, 2],
  ],
  [1, 2, 0.5],
);
export const STIFF_POS = quadratic(
  [
    [1000, 0],
    [0, 1],
  ],
  [0.3, 0.7],
);

/** Logistic regression on a small separable 2-D set: L(θ) = (1/n) Σ log(1 + e^{−yᵢθᵀxᵢ}). */
export const LOGISTIC: Problem = (() => {
  const X = [
    [2, 1],
    [1, 2],
    [3, 0.5],
    [0.5, 1.5],
    [-1, -2],
    [-2, -1],
    [-0.5, -3],
    [-1.5, 0.2],
  ];
  const y = [1, 1, 1, 1, -1, -1, -1, -1];
  const n = X.length;
  const margin = (x: ArrayLike<number>, i: number): number => y[i] * (x[0] * X[i][0] + x[1] * X[i][1]);
  // softplus(−u) = log(1 + e^{−u}), stable for both signs of u
  const softplusNeg = (u: number): number =>
    u > 0 ? Math.log1p(Math.exp(-u)) : -u + Math.log1p(Math.exp(u));
  const sigmoidNeg = (u: number): number =>
    u > 0 ? Math.exp(-u) / (1 + Math.exp(-u)) : 1 / (1 + Math.exp(u));
  return {
    dim: 2,
    loss: (x) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += softplusNeg(margin(x, i));
      return s / n;
    },
    grad: (out, x) => {
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const c = -sigmoidNeg(margin(x, i)) * y[i];
        out[0] += (c * X[i][0]) / n;
        out[1] += (c * X[i][1]) / n;
      }
      return out;
    },
  };
})();

/** Runs `steps` updates from `theta0` with the true loss as `lossScaled`; returns θ after each step. */
export function run(opt: Optimizer, problem: Problem, theta0: number[], steps: number): Float64Array[] {
  const theta = Float64Array.from(theta0);
  const grad = new Float64Array(theta.length);
  const state = opt.init(theta);
  const path: Float64Array[] = [];
  for (let t = 0; t < steps; t++) {
    problem.grad(grad, theta);
    opt.update(theta, grad, state, info(t, problem.loss(theta)));
    path.push(theta.slice());
  }
  return path;
}

export const last = (path: Float64Array[]): Float64Array => path[path.length - 1];

export const THETA0 = [0.5, 1.5, -1];
