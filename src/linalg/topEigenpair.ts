import { dot, norm2 } from '../kernels/vector.js';
import { createRng } from '../rng/createRng.js';
import { symmetricEigen } from './symmetricEigen.js';

/** A symmetric linear operator on ℝᵖ given by its products: writes A·v into `out` (no aliasing) and returns it. */
export type LinearOperator = (out: Float64Array, v: Float64Array) => Float64Array;

/** Settled (validated) settings of {@link topEigenpair}. */
export interface EigenSettings {
  /** 'lanczos' (full reorthogonalization) or 'power' (power iteration, shifted if the top is negative). */
  method: 'lanczos' | 'power';
  /** The most operator products (Lanczos also stops after p steps). */
  iterations: number;
  /** Stop when the residual ‖Av − λv‖ ≤ tol·|λ|. */
  tol: number;
  /** Seed of the random start vector. */
  seed: number;
  /** Start vector (warm start), or null for the seeded random one. */
  init: Float64Array | null;
  /**
   * With `init`: add `mix`·(the seeded random unit vector) before normalizing, so a warm start that is (near)
   * an eigenvector of a lower eigenvalue (after two eigenvalues cross) still sees the top one. 0 = `init` as is.
   */
  mix: number;
}

/** What {@link topEigenpair} returns. */
export interface Eigenpair {
  /** λ_max, the largest (algebraic) eigenvalue. */
  value: number;
  /** A unit eigenvector estimate v for `value`. */
  vector: Float64Array;
  /** Iterations performed (Lanczos steps, or power steps over both phases). */
  iterations: number;
  /** ‖Av − λv‖₂ of the returned pair, from one more exact operator product. */
  residual: number;
  /** Whether `residual` ≤ tol·|value| (or the Krylov space became invariant) within `iterations`. */
  converged: boolean;
}

/** A unit start vector: `init` (plus `mix` times the random one) normalized, or i.i.d. normal from `seed`. */
function startVector(p: number, s: EigenSettings): Float64Array {
  const q = new Float64Array(p);
  if (s.init === null || s.mix > 0) {
    const rng = createRng(s.seed);
    for (let j = 0; j < p; j++) q[j] = rng.normal();
  }
  if (s.init !== null) {
    const init = s.init;
    const scale = s.mix > 0 ? s.mix / norm2(q) : 0;
    const ni = norm2(init);
    for (let j = 0; j < p; j++) q[j] = init[j]! / ni + scale * q[j]!;
  }
  const nq = norm2(q);
  for (let j = 0; j < p; j++) q[j]! /= nq;
  return q;
}

/** ‖Av − λv‖ with one operator product into `scratch`. */
function residualOf(A: LinearOperator, v: Float64Array, lambda: number, scratch: Float64Array): number {
  A(scratch, v);
  let s = 0;
  for (let j = 0; j < v.length; j++) {
    const e = scratch[j]! - lambda * v[j]!;
    s += e * e;
  }
  return Math.sqrt(s);
}

/** The Ritz pair of the largest eigenvalue of the k×k tridiagonal T_k = tridiag(β, α, β). */
function topRitzPair(alpha: readonly number[], beta: readonly number[], k: number): [number, Float64Array] {
  const T = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    T[i * k + i] = alpha[i]!;
    if (i + 1 < k) {
      T[i * k + i + 1] = beta[i]!;
      T[(i + 1) * k + i] = beta[i]!;
    }
  }
  const { values, vectors } = symmetricEigen(T, k);
  let top = 0;
  for (let i = 1; i < k; i++) if (values[i]! > values[top]!) top = i;
  const ritz = new Float64Array(k);
  for (let i = 0; i < k; i++) ritz[i] = vectors[i * k + top]!;
  return [values[top]!, ritz];
}

/**
 * Lanczos with full reorthogonalization (two classical Gram–Schmidt sweeps per step): after k steps the
 * Ritz values of the tridiagonal T_k approximate the extreme eigenvalues, the largest one first and from
 * below. T_k's eigenpairs come from {@link symmetricEigen} (k ≤ iterations is small).
 */
function lanczos(A: LinearOperator, p: number, s: EigenSettings): Eigenpair {
  const m = Math.min(s.iterations, p);
  const Q = new Float64Array(m * p);
  Q.set(startVector(p, s));
  const alpha: number[] = [];
  const beta: number[] = [];
  const w = new Float64Array(p);
  const q = new Float64Array(p);
  let value = 0;
  let ritz: ArrayLike<number> = [1];
  let converged = false;
  let k = 0;
  while (k < m) {
    q.set(Q.subarray(k * p, (k + 1) * p));
    A(w, q);
    alpha.push(dot(q, w));
    for (let sweep = 0; sweep < 2; sweep++) {
      for (let i = 0; i <= k; i++) {
        const qi = Q.subarray(i * p, (i + 1) * p);
        const h = dot(qi, w);
        for (let j = 0; j < p; j++) w[j]! -= h * qi[j]!;
      }
    }
    const b = norm2(w);
    k++;
    [value, ritz] = topRitzPair(alpha, beta, k);
    // |β_k · (last entry of the Ritz vector)| = ‖A y − θ y‖ in exact arithmetic.
    const est = Math.abs(b * ritz[k - 1]!);
    const invariant = b <= 1e-14 * Math.max(Math.abs(value), Number.MIN_VALUE);
    if (est <= s.tol * Math.abs(value) || invariant || est === 0) {
      converged = true;
      break;
    }
    if (k === m) break;
    beta.push(b);
    const next = Q.subarray(k * p, (k + 1) * p);
    for (let j = 0; j < p; j++) next[j] = w[j]! / b;
  }
  const vector = new Float64Array(p);
  for (let i = 0; i < k; i++) {
    const ci = ritz[i]!;
    const off = i * p;
    for (let j = 0; j < p; j++) vector[j]! += ci * Q[off + j]!;
  }
  const nv = norm2(vector);
  for (let j = 0; j < p; j++) vector[j]! /= nv;
  const residual = residualOf(A, vector, value, w);
  if (k === p && !converged) converged = residual <= s.tol * Math.abs(value);
  return { value, vector, iterations: k, residual, converged };
}

/**
 * Power iteration on A − μI from `v` (unit, updated in place) for at most `budget` steps; returns
 * [λ, steps, residual, converged] with λ the Rayleigh quotient of A (not shifted).
 */
function powerPhase(
  A: LinearOperator,
  v: Float64Array,
  mu: number,
  budget: number,
  tol: number,
  w: Float64Array,
): [number, number, number, boolean] {
  const p = v.length;
  let lambda = 0;
  let res = Number.POSITIVE_INFINITY;
  let steps = 0;
  while (steps < budget) {
    A(w, v);
    steps++;
    lambda = dot(v, w);
    let s = 0;
    for (let j = 0; j < p; j++) {
      const e = w[j]! - lambda * v[j]!;
      s += e * e;
    }
    res = Math.sqrt(s);
    if (res <= tol * Math.abs(lambda) || res === 0) return [lambda, steps, res, true];
    for (let j = 0; j < p; j++) w[j]! -= mu * v[j]!;
    const nw = norm2(w);
    if (nw === 0) return [lambda, steps, res, false];
    for (let j = 0; j < p; j++) v[j] = w[j]! / nw;
  }
  return [lambda, steps, res, false];
}

/**
 * Power iteration for λ_max: phase 1 on A finds the eigenvalue μ of largest magnitude; if μ ≥ 0 it is λ_max.
 * If μ < 0, phase 2 iterates on A − μI, whose spectrum λ − μ ≥ 0 has λ_max − μ on top, from a fresh start
 * vector, with the rest of the budget.
 */
function power(A: LinearOperator, p: number, s: EigenSettings): Eigenpair {
  const v = startVector(p, s);
  const w = new Float64Array(p);
  let [value, steps, residual, converged] = powerPhase(A, v, 0, s.iterations, s.tol, w);
  if (value < 0 && steps < s.iterations) {
    const mu = value;
    const v2 = startVector(p, { ...s, init: null });
    const [l2, st2, r2, c2] = powerPhase(A, v2, mu, s.iterations - steps, s.tol, w);
    steps += st2;
    if (l2 > value || c2) {
      value = l2;
      residual = r2;
      converged = c2;
      v.set(v2);
    }
  }
  // The loop's residual is of the vector before its last normalization: recompute for the returned pair.
  residual = residualOf(A, v, value, w);
  return { value, vector: v, iterations: steps, residual, converged };
}

/**
 * λ_max, the largest (algebraic) eigenvalue of a symmetric operator on ℝᵖ, and a unit eigenvector, from
 * operator products only, by the settled method (no validation). 'lanczos' (full reorthogonalization)
 * converges to λ_max directly; 'power' first finds the eigenvalue μ of largest magnitude and, if μ < 0,
 * reruns on A − μI. Not converging within `iterations` is reported in `converged` and `residual`.
 * Internal (not re-exported from the package root); `metrics/sharpness` uses it for the Hessian.
 *
 * @param A - the operator v ↦ Av (symmetric).
 * @param p - the dimension.
 * @param s - {@link EigenSettings}.
 * @returns `{ value, vector, iterations, residual, converged }`.
 * @internal
 */
export function topEigenpair(A: LinearOperator, p: number, s: EigenSettings): Eigenpair {
  return s.method === 'lanczos' ? lanczos(A, p, s) : power(A, p, s);
}
