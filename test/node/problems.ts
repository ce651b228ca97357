/**
 * Random problems for the parallel linear model's tests, the objective straight from the definitions (one
 * row at a time) and the comparisons against it.
 */

import { expect } from 'vitest';
import type { Dataset } from '../../src/datasets/types.js';
import { dataset } from '../../src/index.js';
import { exponential } from '../../src/losses/index.js';
import type { MarginLoss } from '../../src/losses/types.js';
import type { linear } from '../../src/models/linear.js';
import { minstd } from '../helpers/index.js';

export interface Problem {
  data: Dataset;
  c: Float64Array;
  theta: Float64Array;
  bias: boolean;
}

/** Random data with ~10% zero weights; row 0 has weight 0 and a margin so negative that e^{−u} overflows. */
export function problem(n: number, d: number, bias: boolean, seed: number): Problem {
  const r = minstd(seed);
  const X = new Float64Array(n * d).map(() => 2 * r() - 1);
  const y = new Float64Array(n).map(() => (r() < 0.5 ? -1 : 1));
  const c = new Float64Array(n).map(() => (r() < 0.1 ? 0 : r() / n));
  const theta = new Float64Array(d + (bias ? 1 : 0)).map(() => 0.2 * r() - 0.1);
  X[0] = -1e5;
  theta[0] = 1;
  y[0] = 1;
  c[0] = 0;
  return { data: dataset(X, y, d), c, theta, bias };
}

/** Reference: the objective straight from the definitions, one row at a time. */
export function naive(pr: Problem, loss: MarginLoss, shift: number) {
  const { data, c, theta, bias } = pr;
  const { n, d, X, y } = data;
  const grad = new Float64Array(theta.length);
  const margins = new Float64Array(n);
  const scale = Math.exp(shift);
  let value = 0;
  for (let i = 0; i < n; i++) {
    let f = bias ? theta[d]! : 0;
    for (let j = 0; j < d; j++) f += theta[j]! * X[i * d + j]!;
    const u = y[i]! * f;
    margins[i] = u;
    if (c[i] === 0) continue;
    value += c[i]! * loss.value(u) * scale;
    const g = c[i]! * loss.derivative(u) * scale * y[i]!;
    for (let j = 0; j < d; j++) grad[j]! += g * X[i * d + j]!;
    if (bias) grad[d]! += g;
  }
  return { value, grad, margins };
}

export function expectMatchesNaive(
  got: { value: number; grad: Float64Array; margins: Float64Array },
  pr: Problem,
  loss: MarginLoss,
  shift: number,
): void {
  const ref = naive(pr, loss, shift);
  expect(Number.isFinite(got.value)).toBe(true);
  expect(Math.abs(got.value - ref.value)).toBeLessThanOrEqual(1e-12 * Math.abs(ref.value));
  // Gradient entries are sums with cancellation: compare on the scale of the largest entry.
  let scale = 0;
  for (const g of ref.grad) scale = Math.max(scale, Math.abs(g));
  let gradErr = 0;
  for (let j = 0; j < ref.grad.length; j++)
    gradErr = Math.max(gradErr, Math.abs(got.grad[j]! - ref.grad[j]!));
  expect(gradErr).toBeLessThanOrEqual(1e-12 * scale);
  let marginErr = 0;
  for (let i = 0; i < ref.margins.length; i++) {
    const u = ref.margins[i]!;
    marginErr = Math.max(marginErr, Math.abs(got.margins[i]! - u) / (1 + Math.abs(u)));
  }
  expect(marginErr).toBeLessThanOrEqual(1e-12);
}

export function run(
  model: ReturnType<typeof linear>,
  pr: Problem,
  loss: MarginLoss = exponential,
  shift = 0,
): { value: number; grad: Float64Array; margins: Float64Array } {
  const grad = new Float64Array(pr.theta.length);
  const margins = new Float64Array(pr.data.n);
  const value = model.objective(grad, pr.theta, pr.data, pr.c, loss, shift, margins);
  return { value, grad, margins };
}

export function expectIdentical(a: ReturnType<typeof run>, b: ReturnType<typeof run>): void {
  expect(a.value).toBe(b.value);
  expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
  expect(Array.from(a.margins)).toEqual(Array.from(b.margins));
}
