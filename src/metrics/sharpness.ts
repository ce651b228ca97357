import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError, SolverFailedError } from '../errors/index.js';
import { LOSS_ID } from '../kernels/marginLoss.js';
import { allFinite, dot, norm2 } from '../kernels/vector.js';
import {
  type Eigenpair,
  type EigenSettings,
  type LinearOperator,
  topEigenpair,
} from '../linalg/topEigenpair.js';
import { exponential } from '../losses/exponential.js';
import type { MarginLoss } from '../losses/types.js';
import { checkWeights } from '../losses/weightedRisk.js';
import type { Model } from '../models/types.js';
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

/**
 * What {@link sharpness} returns: `value` = λ_max(∇²L(θ; w)), the largest (algebraic) eigenvalue of the
 * Hessian, with a unit eigenvector estimate `vector`, the `iterations` performed (Lanczos steps, or power
 * steps over both phases), the `residual` ‖Hv − λv‖₂ of the returned pair (from one more exact
 * Hessian-vector product) and whether it `converged` (residual ≤ tol·|value|, or the Krylov space became
 * invariant) within the iteration budget.
 */
export interface SharpnessResult extends Eigenpair {}

/** The Hessian as an operator: writes H·v into `out` (no aliasing) and returns it. */
export type HessianOperator = LinearOperator;

/**
 * Settled settings of the eigen-solver (`method`, `iterations`, `tol`, `seed`, `init` and the warm-start
 * `mix`; see {@link EigenSettings}), shared with `trainWeighted`'s `sharpness` metric.
 */
export interface SharpnessSettings extends EigenSettings {}

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

export { topEigenpair };

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
  if (
    typeof loss !== 'object' ||
    loss === null ||
    (loss.id !== LOSS_ID.exponential && loss.id !== LOSS_ID.logistic)
  ) {
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
