/**
 * Independent references for the multi-class tests, written from the definitions: cross-entropy (naive and
 * through log-sum-exp), the objective and its closed-form gradient, a finite-difference gradient, the
 * multi-class hard-margin SVM by quadprog, a tiny 3-class data set and a fast-check arbitrary of small problems.
 */

import fc from 'fast-check';
import { solveQP } from 'quadprog';
import { type MulticlassDataset, multiclassDataset } from '../../src/index.js';

/** Naive CE = log Σ e^{zⱼ} − z_y (overflows for large logits: only for |z| ≲ 700). */
export function naiveCE(z: number[], y: number): number {
  return Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[y]!;
}

/** CE through the textbook max-subtracted log-sum-exp: M + log Σ e^{zⱼ − M} − z_y. */
export function lseCE(z: number[], y: number): number {
  const M = Math.max(...z);
  return M + Math.log(z.reduce((s, v) => s + Math.exp(v - M), 0)) - z[y]!;
}

export function rowsOf(data: MulticlassDataset): number[][] {
  return Array.from({ length: data.n }, (_, i) => Array.from(data.X.subarray(i * data.d, (i + 1) * data.d)));
}

export function logitsOf(W: number[], x: number[], k: number): number[] {
  const d = x.length;
  return Array.from({ length: k }, (_, r) => x.reduce((s, v, j) => s + W[r * d + j]! * v, 0));
}

/** (1/n) Σ wᵢ CE(Wxᵢ, yᵢ) + λ‖W‖^r with plain loops and the textbook log-sum-exp. */
export function objectiveRef(W: number[], data: MulticlassDataset, w: number[], lambda = 0, r = 2): number {
  let s = 0;
  rowsOf(data).forEach((x, i) => {
    if (w[i] !== 0) s += w[i]! * lseCE(logitsOf(W, x, data.k), data.labels[i]!);
  });
  return s / data.n + lambda * Math.hypot(...W) ** r;
}

/** The closed-form gradient (1/n) Σ wᵢ (softmax(Wxᵢ) − e_{yᵢ}) xᵢᵀ, from the naive softmax. */
export function gradientRef(W: number[], data: MulticlassDataset, w: number[]): number[] {
  const { d, k } = data;
  const g = new Array<number>(k * d).fill(0);
  rowsOf(data).forEach((x, i) => {
    const z = logitsOf(W, x, k);
    const M = Math.max(...z);
    const e = z.map((v) => Math.exp(v - M));
    const S = e.reduce((a, b) => a + b, 0);
    for (let r = 0; r < k; r++) {
      const coef = (w[i]! / data.n) * (e[r]! / S - (r === data.labels[i] ? 1 : 0));
      for (let j = 0; j < d; j++) g[r * d + j]! += coef * x[j]!;
    }
  });
  return g;
}

export function fdGradient(theta: number[], f: (t: number[]) => number, h = 1e-6): number[] {
  return theta.map((_, j) => {
    const a = theta.slice();
    const b = theta.slice();
    a[j]! += h;
    b[j]! -= h;
    return (f(a) - f(b)) / (2 * h);
  });
}

/**
 * The multiclass hard-margin SVM (Crammer–Singer without slack, no bias) by quadprog directly:
 * min ½‖W‖_F² s.t. (w_{yᵢ} − wⱼ)ᵀxᵢ ≥ 1 for all i, j ≠ yᵢ. Returns W⋆ and γ⋆ = 1/‖W⋆‖_F, the largest
 * normalized multiclass margin of any W.
 */
export function multiclassSVM(data: MulticlassDataset): { W: number[]; gamma: number } {
  const { d, k } = data;
  const m = k * d;
  const cons: number[][] = [];
  rowsOf(data).forEach((x, i) => {
    const y = data.labels[i]!;
    for (let j = 0; j < k; j++) {
      if (j === y) continue;
      const a = new Array<number>(m).fill(0);
      for (let t = 0; t < d; t++) {
        a[y * d + t] = x[t]!;
        a[j * d + t] = -x[t]!;
      }
      cons.push(a);
    }
  });
  const Dmat = [
    [0],
    ...Array.from({ length: m }, (_, i) => [0, ...Array.from({ length: m }, (_, j) => (i === j ? 1 : 0))]),
  ];
  const dvec = new Array<number>(m + 1).fill(0);
  const Amat = [[0], ...Array.from({ length: m }, (_, t) => [0, ...cons.map((a) => a[t]!)])];
  const bvec = [0, ...cons.map(() => 1)];
  const res = solveQP(Dmat, dvec, Amat, bvec, 0);
  if (res.message !== '') throw new Error(`reference QP failed: ${res.message}`);
  const W = res.solution.slice(1);
  return { W, gamma: 1 / Math.hypot(...W) };
}

export const tiny = multiclassDataset(
  [
    [3, 0.2],
    [2.5, -0.4],
    [3.2, 0.9],
    [-1.2, 2.6],
    [-1.8, 2.2],
    [-0.9, 3.1],
    [-1.4, -2.5],
    [-2.1, -1.9],
    [-0.8, -2.9],
  ],
  [0, 0, 0, 1, 1, 1, 2, 2, 2],
);

export const dataArb = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    d: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 2, max: 4 }),
  })
  .chain(({ n, d, k }) =>
    fc.record({
      X: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * d, maxLength: n * d }),
      labels: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
      W: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: k * d, maxLength: k * d }),
      w: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 5, noNaN: true })), {
        minLength: n,
        maxLength: n,
      }),
      n: fc.constant(n),
      d: fc.constant(d),
      k: fc.constant(k),
    }),
  );
