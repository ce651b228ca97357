import { InvalidInputError } from '../../errors/index.js';
import { argMaxAbs, gdUpdate, signUpdate, sumAbs } from '../../kernels/optimizers.js';
import { cholesky } from '../../linalg/cholesky.js';
import { isOptionRecord, pNormLink, readPNorm } from '../../linalg/potentials.js';
import { checkKnownKeys, checkOneOf, isArrayOrTypedArray, readOptions, show } from '../../util/validate.js';
import { checkLearningRate, checkLengths, learningRateAt, timesExp } from './internal.js';
import type { GradientInfo, LearningRate, Optimizer } from './types.js';

/**
 * The norm ‖·‖ of {@link steepestDescent} (its dual norm ‖·‖_* in parentheses):
 *
 * - `'l1'`: ‖v‖₁ (‖g‖_∞) — greedy coordinate descent.
 * - `'l2'`: ‖v‖₂ (‖g‖₂) — plain gradient descent, bit-identical to {@link gd}.
 * - `'linf'`: ‖v‖_∞ (‖g‖₁) — sign descent scaled by ‖g‖₁.
 * - `{ p }` with 1 < p < ∞: ‖v‖_p (‖g‖_q, q = p/(p−1)).
 * - `{ quadratic: D }` with D symmetric positive definite (d×d as `number[][]`, or row-major as a flat
 *   `Float64Array`/`number[]` of length d²): ‖v‖_D = √(vᵀDv) (‖g‖_* = √(gᵀD⁻¹g)) — preconditioned GD.
 */
export type SteepestNorm =
  | 'l1'
  | 'l2'
  | 'linf'
  | { readonly p: number }
  | { readonly quadratic: readonly (readonly number[])[] | Float64Array | readonly number[] };

/** Options of {@link steepestDescent}. */
export interface SteepestDescentOptions {
  /** Step size η: a finite number > 0, or a schedule `(step) => number` evaluated at the 0-based step. */
  lr: LearningRate;
  /** The norm (required); see {@link SteepestNorm}. */
  norm: SteepestNorm;
  /**
   * `'none'` (default): the step is ηₜ·Δ. `'loss'`: the step is (ηₜ/L(wₜ))·Δ, the loss-scaled step
   * ηₜ ∝ 1/L(wₜ) of Theorem 4 ([GLSS18]) and of {@link normalizedGd}'s `'loss'` mode. Needs L > 0.
   */
  normalize?: 'none' | 'loss';
}

/**
 * The state of {@link steepestDescent}: for `{ p }` and `{ quadratic: D }` a scratch buffer for the
 * direction −Δ (length d); for the other norms none (an empty frozen object).
 */
export type SteepestDescentState = Readonly<{ direction?: Float64Array }>;

/** The optimizer returned by {@link steepestDescent}. */
export interface SteepestDescentOptimizer extends Optimizer<SteepestDescentState> {
  readonly name: 'steepestDescent';
  /** `norm` as validated; a quadratic D is stored as a row-major Float64Array copy. */
  readonly options: Readonly<{
    lr: LearningRate;
    norm: 'l1' | 'l2' | 'linf' | Readonly<{ p: number }> | Readonly<{ quadratic: Float64Array }>;
    normalize: 'none' | 'loss';
  }>;
}

const FN = 'steepestDescent';
const NORM_KINDS = "'l1', 'l2', 'linf', { p } with 1 < p < ∞, or { quadratic: D }";
const EMPTY: SteepestDescentState = Object.freeze({});
/** Relative tolerance for the symmetry of D: |Dᵢⱼ − Dⱼᵢ| ≤ SYM_TOL · maxₖₗ |Dₖₗ|. */
const SYM_TOL = 1e-12;

type Resolved =
  | { kind: 'l1' | 'l2' | 'linf' }
  | { kind: 'p'; q: number; qe: number }
  | { kind: 'quadratic'; d: number; solve: (out: Float64Array, b: Float64Array) => Float64Array };

/** Reads D as a d×d row-major Float64Array (validated finite, square). */
function readMatrix(value: unknown): { D: Float64Array; d: number } {
  const option = 'norm.quadratic';
  const bad = (what: string): never => {
    throw new InvalidInputError(FN, option, what);
  };
  if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
    const d = value.length;
    const D = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      const row = value[i] as unknown;
      if (!Array.isArray(row) || row.length !== d) {
        bad(`must be a square d×d matrix (d = ${d} rows), got row ${i} = ${show(row)}`);
      }
      for (let j = 0; j < d; j++) {
        const v = (row as unknown[])[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new InvalidInputError(FN, `${option}[${i}][${j}]`, `must be a finite number, got ${show(v)}`);
        }
        D[i * d + j] = v;
      }
    }
    return { D, d };
  }
  if (isArrayOrTypedArray(value)) {
    const flat = value as ArrayLike<unknown>;
    const d = Math.round(Math.sqrt(flat.length));
    if (flat.length === 0 || d * d !== flat.length) {
      bad(`as a flat row-major array must have length d² for some d ≥ 1, got length ${flat.length}`);
    }
    const D = new Float64Array(d * d);
    for (let k = 0; k < d * d; k++) {
      const v = flat[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidInputError(
          FN,
          `${option}[${Math.floor(k / d)}][${k % d}]`,
          `must be a finite number, got ${show(v)}`,
        );
      }
      D[k] = v;
    }
    return { D, d };
  }
  return bad(`must be a d×d number[][] or a row-major Float64Array of length d², got ${show(value)}`);
}

function resolveNorm(value: unknown): {
  norm: SteepestDescentOptimizer['options']['norm'];
  resolved: Resolved;
} {
  if (value === 'l1' || value === 'l2' || value === 'linf') return { norm: value, resolved: { kind: value } };
  if (isOptionRecord(value)) {
    const record = value;
    if ('p' in record) {
      const { p, q, qe } = readPNorm(FN, 'norm.p', record);
      return { norm: Object.freeze({ p }), resolved: { kind: 'p', q, qe } };
    }
    if ('quadratic' in record) {
      checkKnownKeys(FN, record, ['quadratic']);
      const { D, d } = readMatrix(record.quadratic);
      let scale = 0;
      for (let k = 0; k < d * d; k++) scale = Math.max(scale, Math.abs(D[k]!));
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < i; j++) {
          const a = D[i * d + j]!;
          const b = D[j * d + i]!;
          if (Math.abs(a - b) > SYM_TOL * scale) {
            throw new InvalidInputError(
              FN,
              'norm.quadratic',
              `must be symmetric, got D[${i}][${j}] = ${show(a)} but D[${j}][${i}] = ${show(b)}`,
            );
          }
        }
      }
      const factor = cholesky(D, d);
      if (!factor.positiveDefinite) {
        throw new InvalidInputError(
          FN,
          'norm.quadratic',
          `must be positive definite, got a matrix whose Cholesky pivot ${factor.failedAt} is not > 0 (to working precision)`,
        );
      }
      return {
        norm: Object.freeze({ quadratic: D.slice() }),
        resolved: { kind: 'quadratic', d, solve: factor.solve },
      };
    }
  }
  throw new InvalidInputError(FN, 'norm', `must be ${NORM_KINDS}, got ${show(value)}`);
}

/** η·N·e^{logScale} for η, N > 0, without overflow in η·N when the scaled product is finite. */
function stepFactor(eta: number, N: number, logScale: number): number {
  const k = eta * N;
  if (k < Number.POSITIVE_INFINITY) return timesExp(k, logScale);
  return Math.exp(Math.log(eta) + Math.log(N) + logScale);
}

/**
 * Steepest descent with respect to a norm ‖·‖ (Gunasekar, Lee, Soudry & Srebro 2018).
 *
 * Update rule, with ηₜ = `lr` or `lr(t)` at the 0-based step t and g = ∇L(wₜ):
 *
 *     wₜ₊₁ = wₜ + ηₜ · Δₜ,   Δₜ = argmin_v ⟨g, v⟩ + ½‖v‖² = −‖g‖_* · u,
 *
 * where ‖g‖_* = sup_{‖v‖≤1} ⟨g, v⟩ is the dual norm and u is a unit vector (‖u‖ = 1) with ⟨g, u⟩ = ‖g‖_*.
 * Per norm:
 *
 * - `'l1'`: Δ = −‖g‖_∞·sign(gⱼ)·eⱼ = −gⱼ·eⱼ for the j with the largest |gⱼ| (ties to the lowest index):
 *   only coordinate j moves, by `theta[j] -= c * grad[j]`.
 * - `'l2'`: Δ = −g, computed as `theta[j] -= c * grad[j]` — bit-identical to {@link gd}.
 * - `'linf'`: Δ = −‖g‖₁·sign(g), sign(0) = 0.
 * - `{ p }`: Δᵢ = −‖g‖_q·sign(gᵢ)(|gᵢ|/‖g‖_q)^{q−1} with q = p/(p−1) = −∇(½‖·‖_q²)(g), evaluated with
 *   one power per entry and no overflow (‖g‖_q is computed with scaling).
 * - `{ quadratic: D }`: Δ = −D⁻¹g, by the Cholesky factor of D computed once when the optimizer is built.
 *
 * **Scaling.** Δ is 1-homogeneous in g, so with the loop's scaled gradient (grad = e^{−logScale}·∇L, see
 * {@link GradientInfo}) the factor e^{logScale} is applied once, to a scalar: c = ηₜ·e^{logScale} times
 * the direction computed from grad for `'l1'`, `'l2'`, `{ p }` and the quadratic norm, and
 * c = ηₜ·‖grad‖₁·e^{logScale} times sign(grad) for `'linf'`. A zero gradient gives a zero step.
 *
 * **Loss-scaled steps (`normalize: 'loss'`).** The step becomes (ηₜ/L(wₜ))·Δₜ: the step size grows as
 * the loss falls, the rule ηₜ ≤ 1/(B²L(wₜ)) (B = maxᵢ‖xᵢ‖_*) of Theorem 4 taken at equality with
 * `lr` = 1/B² (and without its cap η₊). A schedule `lr` cannot express this (it sees only the step), so it
 * is an option. Δ is 1-homogeneous and L = e^{logScale}·`info.lossScaled`, so e^{logScale} cancels: the
 * coefficient is c = ηₜ/lossScaled (ηₜ·‖grad‖₁/lossScaled for `'linf'`), computed from the scaled
 * quantities exactly as {@link normalizedGd} does; with `norm: 'l2'` the iterates are bit-identical to
 * `normalizedGd({ lr })`. The step is invariant to rescaling L, so a mean and a sum loss give the same
 * iterates. It needs L(wₜ) > 0 (true for the exponential and logistic losses; not checked). With the
 * default `'none'` the arithmetic is unchanged. Measured (docs/geometry.md): `lr` = 1/(2B²) drove the ℓ1
 * and ℓ∞ margins to within 8e-4 of γ* in 10⁵ steps on 30 random sets; at `lr` = 1/B² one ℓ∞ set cycled.
 *
 * `update` writes θ in place and returns it and allocates nothing (a deliberate deviation from optax);
 * the gradient buffer is not modified. Every option is validated when the optimizer is built: an
 * unknown norm, p ≤ 1, and a D that is not square, finite, symmetric (to 1e-12 relative to its largest
 * entry) and positive definite, and a `normalize` other than `'none'`/`'loss'` throw `INVALID_INPUT`.
 * The dimension of D is checked against θ at `init(theta)` (also `INVALID_INPUT`).
 *
 * @param options - `{ lr, norm, normalize = 'none' }`; see {@link SteepestNorm}.
 * @returns An {@link Optimizer} named `'steepestDescent'`.
 *
 * @example
 * ```ts
 * const opt = steepestDescent({ lr: 0.1, norm: 'linf' });
 * const w = new Float64Array([0, 0, 0]);
 * opt.update(w, new Float64Array([3, -1, 0]), opt.init(w), { step: 0, logScale: 0, lossScaled: 1 });
 * w; // −0.1·‖g‖₁·sign(g) = [−0.4, 0.4, 0]
 * ```
 *
 * @see S. Gunasekar, J. Lee, D. Soudry, N. Srebro, "Characterizing implicit bias in terms of optimization
 * geometry", ICML 2018: on separable data with the exponential loss, steepest descent w.r.t. ‖·‖
 * converges in direction to the ‖·‖ max-margin predictor; on under-determined least squares its limit
 * depends on the step size unless the norm is quadratic.
 */
export function steepestDescent(options: SteepestDescentOptions): SteepestDescentOptimizer {
  const record = readOptions(FN, options, ['lr', 'norm', 'normalize']);
  const lr = checkLearningRate(FN, record.lr);
  const { norm, resolved } = resolveNorm(record.norm);
  const normalize =
    record.normalize === undefined
      ? 'none'
      : checkOneOf(FN, 'normalize', record.normalize, ['none', 'loss'] as const);
  const byLoss = normalize === 'loss';
  /** The scalar c of the step: ηₜ·e^{logScale}, or ηₜ/lossScaled when scaled by the loss. */
  const coefficient = (eta: number, info: GradientInfo): number =>
    byLoss ? eta / info.lossScaled : timesExp(eta, info.logScale);

  return Object.freeze({
    name: 'steepestDescent' as const,
    options: Object.freeze({ lr, norm, normalize }),
    init(theta: Float64Array): SteepestDescentState {
      if (resolved.kind === 'p') return { direction: new Float64Array(theta.length) };
      if (resolved.kind !== 'quadratic') return EMPTY;
      const d = resolved.d;
      if (theta.length !== d) {
        throw new InvalidInputError(
          FN,
          'norm.quadratic',
          `must be d×d with d = theta.length = ${theta.length}, got ${d}×${d}`,
        );
      }
      return { direction: new Float64Array(d) };
    },
    update(
      theta: Float64Array,
      grad: Float64Array,
      state: SteepestDescentState,
      info: GradientInfo,
    ): Float64Array {
      checkLengths(FN, theta, grad, state.direction);
      const eta = learningRateAt(FN, lr, info.step);
      const n = theta.length;
      switch (resolved.kind) {
        case 'l2': {
          return gdUpdate(theta, grad, coefficient(eta, info), n);
        }
        case 'l1': {
          // strict > keeps the lowest index among ties; a NaN is selected so that it propagates
          const best = argMaxAbs(grad, n);
          if (best < 0) return theta;
          theta[best] -= coefficient(eta, info) * grad[best];
          return theta;
        }
        case 'linf': {
          const s = sumAbs(grad, n);
          if (s === 0) return theta;
          const k = byLoss ? (eta / info.lossScaled) * s : stepFactor(eta, s, info.logScale);
          return signUpdate(theta, grad, k, n);
        }
        case 'p': {
          // −Δ = ‖g‖_q·u = ∇(½‖·‖_q²)(g), formed without overflow; then one scalar factor as for l2
          const dir = state.direction;
          if (dir === undefined) {
            throw new InvalidInputError(FN, 'state', 'must come from init(theta) (it holds the Δ buffer)');
          }
          pNormLink(dir, grad, resolved.q, resolved.qe);
          return gdUpdate(theta, dir, coefficient(eta, info), n);
        }
        case 'quadratic': {
          const dir = state.direction;
          if (dir === undefined) {
            throw new InvalidInputError(FN, 'state', 'must come from init(theta) (it holds the D⁻¹g buffer)');
          }
          resolved.solve(dir, grad);
          return gdUpdate(theta, dir, coefficient(eta, info), n);
        }
      }
    },
  });
}
