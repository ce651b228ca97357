/**
 * Independent references for the geometry optimizers' tests (steepestDescent, mirrorDescent): norms written
 * directly from their definitions, a derivative-free minimizer, the loop that runs an optimizer, and two small
 * test problems.
 */

import { Matrix, solve as mlSolve } from 'ml-matrix';
import { type Optimizer, type SteepestNorm, steepestDescent } from '../../../src/gd/index.js';
import { info } from './problems.js';

export const dotv = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** (Σ|xᵢ|^r)^{1/r}, with the exact factor m = max|xᵢ| taken out so that powers neither under- nor overflow. */
export const lpNorm = (a: number[], r: number): number => {
  const m = Math.max(...a);
  return m === 0 ? 0 : m * a.reduce((s, x) => s + (x / m) ** r, 0) ** (1 / r);
};

/** ‖v‖ for each norm kind, straight from the definition. */
export function primalNorm(norm: SteepestNorm, v: ArrayLike<number>): number {
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
export function normFn(norm: SteepestNorm): (v: number[]) => number {
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
export function dualNorm(norm: SteepestNorm, g: ArrayLike<number>): number {
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
export function gridArgmin(
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
export function direction(norm: SteepestNorm, g: ArrayLike<number>): Float64Array {
  const opt = steepestDescent({ lr: 1, norm });
  const theta = new Float64Array(g.length);
  opt.update(theta, Float64Array.from(g), opt.init(theta), info(0));
  return theta;
}

/** Runs `steps` updates of `opt` on ∇L given by `gradOf`; returns θ after each step. */
export function run(
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
export const A3 = [
  [4, 1, 0],
  [1, 3, 0.5],
  [0, 0.5, 2],
];
export const B3 = [1, -2, 0.5];
export const quadGrad = (out: Float64Array, x: Float64Array): void => {
  for (let i = 0; i < 3; i++) out[i] = A3[i][0] * x[0] + A3[i][1] * x[1] + A3[i][2] * x[2] - B3[i];
};
/** ∇L of the mean logistic loss on a small separable set in 2-D. */
export const LX = [
  [2, 1],
  [1, 2],
  [-1, -2],
  [-1.5, 0.2],
];
export const LY = [1, 1, -1, -1];
export const logisticGrad = (out: Float64Array, x: Float64Array): void => {
  out.fill(0);
  for (let i = 0; i < LX.length; i++) {
    const u = LY[i] * (x[0] * LX[i][0] + x[1] * LX[i][1]);
    const c = -LY[i] / (1 + Math.exp(u)) / LX.length;
    out[0] += c * LX[i][0];
    out[1] += c * LX[i][1];
  }
};

export const NORMS: SteepestNorm[] = ['l1', 'l2', 'linf', { p: 4 / 3 }, { p: 1.5 }, { p: 3 }, { p: 7 }];
