/**
 * Certificates for hardMarginSVM results, computed from the data and the result alone (independent of the
 * solver): shared by test/svm/hardMarginSVM.test.ts and test/svm/hardMarginActiveSet.test.ts.
 */
import { expect } from 'vitest';
import type { Dataset } from '../../src/datasets/types.js';
import type { hardMarginSVM } from '../../src/svm/index.js';

export function rowsOf(data: Dataset): number[][] {
  return Array.from({ length: data.n }, (_, i) => Array.from(data.X.subarray(i * data.d, (i + 1) * data.d)));
}

export const dotv = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
};
export const normv = (a: ArrayLike<number>) => Math.sqrt(dotv(a, a));

/** yᵢ(θᵀxᵢ + b) for every i. */
export function margins(data: Dataset, theta: ArrayLike<number>, b: number): number[] {
  return rowsOf(data).map((x, i) => data.y[i]! * (dotv(theta, x) + b));
}

/**
 * Checks everything a result promises, with certificates computed here: unit θ; p on the simplex;
 * θ = Σ pᵢyᵢxᵢ/γ*; min margin = γ*; and the duality gap. For the canonical problem, the dual value
 * D(α) = Σα − ½‖Σ αᵢyᵢxᵢ‖² (α = p/γ², Σαᵢyᵢ = 0 with bias) is a lower bound on min ½‖w‖², and
 * P = ½‖θ/γ‖² is the value of a feasible point; P − D ≈ 0 proves both optimal.
 */
export function checkCertificates(
  data: Dataset,
  res: ReturnType<typeof hardMarginSVM>,
  bias: boolean,
  tol = 1e-9,
) {
  const { n, d } = data;
  const X = rowsOf(data);
  // Evaluating yᵢ(θᵀxᵢ + b) on raw data costs ε·κ relative, κ = maxᵢ‖xᵢ‖/γ* (large for data far from the
  // origin): the checks below that evaluate on raw data allow that much (the KKT residual does not).
  const kappa = Math.max(...X.map(normv)) / res.gamma;
  const tolEval = Math.max(tol, 64 * Number.EPSILON * kappa);
  expect(Math.abs(normv(res.theta) - 1)).toBeLessThan(1e-12);
  if (!bias) expect(res.bias).toBe(0);
  let sp = 0;
  let spy = 0;
  for (let i = 0; i < n; i++) {
    expect(res.dual[i]).toBeGreaterThanOrEqual(0);
    sp += res.dual[i]!;
    spy += res.dual[i]! * data.y[i]!;
  }
  expect(Math.abs(sp - 1)).toBeLessThan(1e-12);
  if (bias) expect(Math.abs(spy)).toBeLessThan(tol);
  const m = margins(data, res.theta, res.bias);
  const minMargin = Math.min(...m);
  expect(Math.abs(minMargin - res.gamma)).toBeLessThanOrEqual(tolEval * res.gamma);
  // θ = Σ pᵢyᵢxᵢ / γ*
  const v = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) v[j]! += (res.dual[i]! * data.y[i]! * X[i]![j]!) / res.gamma;
  expect(normv(v.map((vj, j) => vj - res.theta[j]!))).toBeLessThan(tolEval);
  // Duality gap of the canonical problem.
  const gamma = minMargin;
  const P = 0.5 / (gamma * gamma);
  const alphaSum = 1 / (res.gamma * res.gamma);
  const u = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) u[j]! += res.dual[i]! * alphaSum * data.y[i]! * X[i]![j]!;
  const D = alphaSum - 0.5 * dotv(u, u);
  expect(Math.abs(P - D) / P).toBeLessThan(tolEval);
  // Support vectors are active; the residual is reported honestly.
  for (const i of res.support) expect(m[i]!).toBeLessThanOrEqual(res.gamma * (1 + tolEval));
  expect(res.kktResidual).toBeLessThan(tol);
  return tolEval;
}
