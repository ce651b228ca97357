import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError, SolverFailedError } from '../errors/index.js';
import { allFinite, dot, norm2 } from '../kernels/vector.js';
import { exponential } from '../losses/exponential.js';
import type { MarginLoss } from '../losses/types.js';
import { checkWeights } from '../losses/weightedRisk.js';
import type { Model } from '../models/types.js';
import { createRng } from '../rng/createRng.js';
import {
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkOneOf,
  show,
  toFiniteVector,
} from '../util/validate.js';

/** Options of {@link sharpness}. */
export interface SharpnessOptions {
  /** Importance weights wᵢ: finite, ≥ 0, not all zero (default all 1), as in `trainWeighted`. */
  weights?: ArrayLike<number>;
  /** The margin loss (default `exponential`). */
  loss?: MarginLoss;
  /** Adds the Hessian of λ‖θ‖₂^r (as `trainWeighted`'s `regularization`). */
  regularization?: { lambda: number; r: number };
  /** 'lanczos' (default) or 'power'. */
  method?: 'lanczos' | 'power';
  /**
   * Most Hessian-vector products (an integer ≥ 1; default 100 for 'lanczos', 1000 for 'power'). Lanczos
   * also stops after θ.length steps, where its Krylov space is the whole space.
   */
  iterations?: number;
  /** Stop when the residual ‖Hv − λv‖ ≤ tol·|λ| (a finite number > 0; default 1e-8). */
  tol?: number;
  /** Seed of the random start vector (default 0). */
  seed?: number;
  /** Start vector (warm start, e.g. the previous `vector`): length θ.length, finite, nonzero. */
  init?: ArrayLike<number>;
}

/** What {@link sharpness} returns. */
export interface SharpnessResult {
  /** λ_max(∇²L(θ; w)), the largest (algebraic) eigenvalue of the Hessian. */
  value: number;
  /** A unit eigenvector estimate v for `value`. */
  vector: Float64Array;
  /** Iterations performed (Lanczos steps, or power steps over both phases). */
  iterations: number;
  /** ‖Hv − λv‖₂ of the returned pair, from one more exact Hessian-vector product. */
  residual: number;
  /** Whether `residual` ≤ tol·|value| (or the Krylov space became invariant) within `iterations`. */
  converged: boolean;
}

/** The Hessian as an operator: writes H·v into `out` (no aliasing) and returns it. */
export type HessianOperator = (out: Float64Array, v: Float64Array) => Float64Array;

/** Settled settings of the eigen-solvers, shared with `trainWeighted`'s `sharpness` metric. */
export interface SharpnessSettings {
  method: 'lanczos' | 'power';
  iterations: number;
  tol: number;
  seed: number;
  init: Float64Array | null;
  /**
   * With `init`: add `mix`·(the seeded random unit vector) before normalizing, so a warm start that is (near)
   * an eigenvector of a lower eigenvalue (after two eigenvalues cross) still sees the top one. 0 = `init` as is.
   */
  mix: number;
}

const FN = 'sharpness';

/**
 * The operator v ↦ ∇²L(θ; w)·v of L(θ; w) = Σᵢ cᵢ ℓ(yᵢ f(θ, xᵢ)) + λ‖θ‖₂^r, from the model's exact
 * Hessian-vector product plus the closed-form Hessian of the regularizer,
 * λr‖θ‖^{r−2} I + λr(r − 2)‖θ‖^{r−4} θθᵀ (at θ = 0: 2λI for r = 2, 0 for r > 2). `theta` is read at each
 * call (so it may be updated in place between calls). Throws INVALID_INPUT for a model without `hvp`, and
 * for θ = 0 with 0 < r < 2 where the regularizer's Hessian is unbounded; SOLVER_FAILED when a product is
 * not finite (ℓ″ overflows).
 */
export function hessianOperator(
  fn: string,
  model: Model,
  theta: Float64Array,
  data: Dataset,
  c: Float64Array,
  loss: MarginLoss,
  lambda: number,
  r: number,
): HessianOperator {
  const hvp = model.hvp;
  if (typeof hvp !== 'function') {
    throw new InvalidInputError(
      fn,
      'model',
      `${show(model.name)} has no hvp (Hessian-vector product); sharpness needs one (linear and mlp have it)`,
    );
  }
  return (out: Float64Array, v: Float64Array): Float64Array => {
    hvp.call(model, out, theta, v, data, c, loss);
    if (lambda > 0) {
      const nrm = norm2(theta);
      if (nrm === 0) {
        if (r < 2) {
          throw new InvalidInputError(
            fn,
            'regularization.r',
            `the Hessian of lambda*||theta||^r is unbounded at theta = 0 for r < 2, got r = ${show(r)}`,
          );
        }
        if (r === 2) for (let j = 0; j < out.length; j++) out[j]! += 2 * lambda * v[j]!;
      } else {
        const a = lambda * r * nrm ** (r - 2);
        const b = lambda * r * (r - 2) * nrm ** (r - 4) * dot(theta, v);
        for (let j = 0; j < out.length; j++) out[j]! += a * v[j]! + b * theta[j]!;
      }
    }
    if (!allFinite(out)) {
      throw new SolverFailedError(
        `${fn}: the Hessian-vector product is not finite at this theta (the loss curvature overflows float64, e.g. a margin below -709 with the exponential loss)`,
      );
    }
    return out;
  };
}

/** A unit start vector: `init` (plus `mix` times the random one) normalized, or i.i.d. normal from `seed`. */
function startVector(p: number, s: SharpnessSettings): Float64Array {
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

/** ‖Hv − λv‖ with one Hessian-vector product into `scratch`. */
function residualOf(H: HessianOperator, v: Float64Array, lambda: number, scratch: Float64Array): number {
  H(scratch, v);
  let s = 0;
  for (let j = 0; j < v.length; j++) {
    const e = scratch[j]! - lambda * v[j]!;
    s += e * e;
  }
  return Math.sqrt(s);
}

/**
 * Lanczos with full reorthogonalization (two classical Gram–Schmidt sweeps per step): after k steps the
 * Ritz values of the tridiagonal T_k approximate the extreme eigenvalues, the largest one first and from
 * below. T_k's eigenpairs come from ml-matrix's symmetric EigenvalueDecomposition (k ≤ iterations is small).
 */
function lanczos(H: HessianOperator, p: number, s: SharpnessSettings): SharpnessResult {
  const m = Math.min(s.iterations, p);
  const Q = new Float64Array(m * p);
  Q.set(startVector(p, s));
  const alpha: number[] = [];
  const beta: number[] = [];
  const w = new Float64Array(p);
  const q = new Float64Array(p);
  let value = 0;
  let ritz: number[] = [1];
  let converged = false;
  let k = 0;
  while (k < m) {
    q.set(Q.subarray(k * p, (k + 1) * p));
    H(w, q);
    const a = dot(q, w);
    alpha.push(a);
    for (let sweep = 0; sweep < 2; sweep++) {
      for (let i = 0; i <= k; i++) {
        const qi = Q.subarray(i * p, (i + 1) * p);
        const h = dot(qi, w);
        for (let j = 0; j < p; j++) w[j]! -= h * qi[j]!;
      }
    }
    const b = norm2(w);
    k++;
    // The Ritz pair of the largest eigenvalue of T_k.
    const T = Matrix.zeros(k, k);
    for (let i = 0; i < k; i++) {
      T.set(i, i, alpha[i]!);
      if (i + 1 < k) {
        T.set(i, i + 1, beta[i]!);
        T.set(i + 1, i, beta[i]!);
      }
    }
    const eig = new EigenvalueDecomposition(T, { assumeSymmetric: true });
    const vals = eig.realEigenvalues;
    let top = 0;
    for (let i = 1; i < k; i++) if (vals[i]! > vals[top]!) top = i;
    value = vals[top]!;
    ritz = eig.eigenvectorMatrix.getColumn(top);
    // |β_k · (last entry of the Ritz vector)| = ‖H y − θ y‖ in exact arithmetic.
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
  const residual = residualOf(H, vector, value, w);
  if (k === p && !converged) converged = residual <= s.tol * Math.abs(value);
  return { value, vector, iterations: k, residual, converged };
}

/**
 * Power iteration on H − μI from `v` (unit, updated in place) for at most `budget` steps; returns
 * [λ, steps, residual, converged] with λ the Rayleigh quotient of H (not shifted).
 */
function powerPhase(
  H: HessianOperator,
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
    H(w, v);
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
 * Power iteration for λ_max: phase 1 on H finds the eigenvalue μ of largest magnitude; if μ ≥ 0 it is λ_max.
 * If μ < 0 (a net whose most curved direction is concave), phase 2 iterates on H − μI, whose spectrum
 * λ − μ ≥ 0 has λ_max − μ on top, from a fresh start vector, with the rest of the budget.
 */
function power(H: HessianOperator, p: number, s: SharpnessSettings): SharpnessResult {
  const v = startVector(p, s);
  const w = new Float64Array(p);
  let [value, steps, residual, converged] = powerPhase(H, v, 0, s.iterations, s.tol, w);
  if (value < 0 && steps < s.iterations) {
    const mu = value;
    const v2 = startVector(p, { ...s, init: null });
    const [l2, st2, r2, c2] = powerPhase(H, v2, mu, s.iterations - steps, s.tol, w);
    steps += st2;
    if (l2 > value || c2) {
      value = l2;
      residual = r2;
      converged = c2;
      v.set(v2);
    }
  }
  // The loop's residual is of the vector before its last normalization: recompute for the returned pair.
  residual = residualOf(H, v, value, w);
  return { value, vector: v, iterations: steps, residual, converged };
}

/** λ_max of the operator H on ℝᵖ by the settled method (no validation). */
export function topEigenpair(H: HessianOperator, p: number, s: SharpnessSettings): SharpnessResult {
  return s.method === 'lanczos' ? lanczos(H, p, s) : power(H, p, s);
}

/** Validates `method`, `iterations`, `tol`, `seed` and `init` (length p). */
export function sharpnessSettings(
  fn: string,
  prefix: string,
  o: Record<string, unknown>,
  p: number,
): SharpnessSettings {
  const method =
    o.method === undefined
      ? 'lanczos'
      : checkOneOf(fn, `${prefix}method`, o.method, ['lanczos', 'power'] as const);
  const iterations =
    o.iterations === undefined
      ? method === 'lanczos'
        ? 100
        : 1000
      : checkNumber(fn, `${prefix}iterations`, o.iterations, { integer: true, min: 1 });
  const tol =
    o.tol === undefined ? 1e-8 : checkNumber(fn, `${prefix}tol`, o.tol, { min: 0, exclusiveMin: true });
  const seed = o.seed === undefined ? 0 : checkNumber(fn, `${prefix}seed`, o.seed, { integer: true });
  let init: Float64Array | null = null;
  if (o.init !== undefined) {
    init = toFiniteVector(fn, `${prefix}init`, o.init, p);
    if (norm2(init) === 0) throw new InvalidInputError(fn, `${prefix}init`, 'must be nonzero');
  }
  return { method, iterations, tol, seed, init, mix: 0 };
}

/**
 * The sharpness λ_max(∇²L(θ; w)) of the weighted objective
 *
 *   L(θ; w) = (1/n) Σᵢ wᵢ ℓ(yᵢ f(θ, xᵢ)) (+ λ‖θ‖₂^r),
 *
 * the largest eigenvalue of its Hessian at θ, from the model's exact Hessian-vector products (closed form for
 * `linear`, Pearlmutter's R-operator for `mlp`) — the quantity of the edge-of-stability picture: GD with step
 * η on a quadratic converges iff λ_max < 2/η, and on networks the sharpness typically rises to about 2/η and
 * hovers there (Cohen et al., ICLR 2021).
 *
 * Reported: the largest *algebraic* eigenvalue (not the largest magnitude). Off the convex case (networks)
 * the Hessian can have negative eigenvalues of larger magnitude; the step-size bound 2/η concerns the top
 * one. 'lanczos' (default, with full reorthogonalization) converges to it directly; 'power' first finds the
 * eigenvalue μ of largest magnitude and, if μ < 0, reruns on H − μI. For the convex linear model both agree
 * with the largest-magnitude eigenvalue. The Hessian is that of the plain objective: where every ℓ(uᵢ)
 * underflows (far tail of long runs) the sharpness is 0 to float64 precision.
 *
 * @param model - a model with `hvp` (`linear`, `mlp`); others throw INVALID_INPUT naming the model
 * @param theta - the parameters, length model.size
 * @param data - the training set
 * @param options - see {@link SharpnessOptions}
 * @returns `{ value, vector, iterations, residual, converged }`; not converging within `iterations` is
 *   reported in `converged` and `residual`, not thrown.
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad option, a model without `hvp`, or θ = 0 with r < 2;
 *   SolverFailedError (`SOLVER_FAILED`) when a Hessian-vector product overflows (e.g. a margin below −709
 *   with the exponential loss, where ℓ itself overflows).
 * @example
 * ```ts
 * const data = dataset([[1, 0], [0, 2]], [1, -1]);
 * // H = (1/2) Σᵢ e^{−uᵢ} xᵢxᵢᵀ = diag(1/2, 2) at θ = 0
 * sharpness(linear(2), [0, 0], data).value; // ≈ 2 (to rounding)
 * ```
 */
export function sharpness(
  model: Model,
  theta: ArrayLike<number>,
  data: Dataset,
  options?: SharpnessOptions,
): SharpnessResult {
  const opts = checkObject(FN, 'options', options);
  checkKnownKeys(FN, opts, [
    'weights',
    'loss',
    'regularization',
    'method',
    'iterations',
    'tol',
    'seed',
    'init',
  ]);
  const ds = checkDataset(FN, 'data', data);
  if (typeof model !== 'object' || model === null || typeof model.objective !== 'function') {
    throw new InvalidInputError(FN, 'model', `must be a model such as linear(d), got ${show(model)}`);
  }
  if (model.inputDim !== ds.d) {
    throw new InvalidInputError(FN, 'model', `expects inputDim = ${model.inputDim} but data has d = ${ds.d}`);
  }
  const p = model.size;
  const th = toFiniteVector(FN, 'theta', theta, p);
  const loss = (opts.loss ?? exponential) as MarginLoss;
  if (typeof loss !== 'object' || loss === null || (loss.id !== 0 && loss.id !== 1)) {
    throw new InvalidInputError(FN, 'loss', `must be exponential or logistic, got ${show(loss)}`);
  }
  const { n } = ds;
  const w = opts.weights === undefined ? new Float64Array(n).fill(1) : checkWeights(FN, opts.weights, n);
  let lambda = 0;
  let r = 2;
  if (opts.regularization !== undefined) {
    const reg = checkObject(FN, 'regularization', opts.regularization, false);
    checkKnownKeys(`${FN}: regularization`, reg, ['lambda', 'r']);
    lambda = checkNumber(FN, 'regularization.lambda', reg.lambda, { min: 0 });
    r = checkNumber(FN, 'regularization.r', reg.r, { min: 0, exclusiveMin: true });
  }
  const settings = sharpnessSettings(FN, '', opts, p);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = w[i]! / n;
  const H = hessianOperator(FN, model, th, ds, c, loss, lambda, r);
  return topEigenpair(H, p, settings);
}
