import { DivergedError, InvalidInputError } from '../../errors/index.js';
import {
  dualStep,
  entropyStep,
  firstNonFinite,
  firstNotPositiveFinite,
  gdStep,
} from '../../kernels/optimizers.js';
import {
  type LinkFunction,
  type MirrorPotential,
  pNormLink,
  resolvePotential,
} from '../../linalg/potentials.js';
import { readOptions, show } from '../../util/validate.js';
import { checkLearningRate, checkLengths, learningRateAt, timesExp } from './internal.js';
import type { GradientInfo, LearningRate, Optimizer } from './types.js';

export type { LinkFunction, MirrorPotential };

/** Options of {@link mirrorDescent}. */
export interface MirrorDescentOptions {
  /** Step size η: a finite number > 0, or a schedule `(step) => number` evaluated at the 0-based step. */
  lr: LearningRate;
  /** The potential ψ (required); see {@link MirrorPotential}. */
  potential: MirrorPotential;
}

/**
 * The state of {@link mirrorDescent}: scratch buffers of the length of θ (the dual point ∇ψ(w) − η∇L and
 * the candidate w₊, which is copied into θ only once it is known to be in the domain).
 */
export interface MirrorDescentState {
  readonly dual: Float64Array;
  readonly next: Float64Array;
}

/** The optimizer returned by {@link mirrorDescent}. */
export interface MirrorDescentOptimizer extends Optimizer<MirrorDescentState> {
  readonly name: 'mirrorDescent';
  readonly options: Readonly<{ lr: LearningRate; potential: MirrorPotential }>;
}

const FN = 'mirrorDescent';

/** Calls a user link and checks that it wrote into `out` (a bug that would otherwise read zeros). */
function callUser(fn: LinkFunction, key: string, out: Float64Array, x: Float64Array): void {
  const result = fn(out, x);
  if (result !== out) {
    throw new InvalidInputError(
      FN,
      `potential.${key}`,
      `must write into out and return it, got ${result === undefined ? 'undefined' : 'another array'}`,
    );
  }
}

/**
 * Mirror descent with potential ψ (Nemirovski & Yudin; Beck & Teboulle 2003).
 *
 * Update rule, with ηₜ = `lr` or `lr(t)` at the 0-based step t:
 *
 *     ∇ψ(wₜ₊₁) = ∇ψ(wₜ) − ηₜ · ∇L(wₜ),   i.e.   wₜ₊₁ = argmin_w ηₜ⟨∇L(wₜ), w⟩ + D_ψ(w, wₜ)
 *
 * with the Bregman divergence D_ψ(w, w') = ψ(w) − ψ(w') − ⟨∇ψ(w'), w − w'⟩. How each potential is computed
 * (c = ηₜ·e^{logScale}, formed once; see {@link GradientInfo}):
 *
 * - `'euclidean'`: wⱼ − c·gⱼ, the arithmetic of {@link gd} (bit-identical trajectories).
 * - `'entropy'`: wⱼ · exp(−c·gⱼ) — one multiplication by an exponential, never log then exp.
 * - `{ p }`: z = ∇ψ(w) − c·g, then w₊ = (∇ψ)⁻¹(z), the same map with the dual exponent q = p/(p−1), both
 *   evaluated as sign(xᵢ)·N·(|xᵢ|/N)^{r−1} with N = ‖x‖_r computed with scaling (no overflow).
 * - `{ grad, gradInverse }`: z = grad(w) − c·g, then w₊ = gradInverse(z).
 *
 * ∇ψ(w) is recomputed from θ at every step (the state holds only scratch buffers), so θ may be changed
 * between steps. A step of exactly zero (c·g = 0) leaves θ unchanged bit for bit, for every potential.
 *
 * **Domain.** The entropy potential lives on w > 0: `init(theta)` throws `INVALID_INPUT` naming the
 * first index with θⱼ ≤ 0. For every potential `init` rejects non-finite θ, and for a user potential
 * a non-finite `grad(θ)` (θ outside its domain). During a run, an update whose w₊ is non-finite (or,
 * for entropy, has an entry that is not > 0 because exp underflowed) throws a `DivergedError` (code
 * `DIVERGED`) carrying `step = info.step + 1` and a copy of the last finite θ; θ and the state are left
 * as they were before the update. (`trainWeighted` sees this error as thrown by the optimizer.)
 *
 * `update` writes θ in place and returns it and allocates nothing (a deliberate deviation from optax);
 * the gradient buffer is not modified. Bad options throw `INVALID_INPUT` when the optimizer is built.
 *
 * @param options - `{ lr, potential }`; see {@link MirrorPotential}.
 * @returns An {@link Optimizer} named `'mirrorDescent'` whose state holds two scratch buffers.
 *
 * @example
 * ```ts
 * const opt = mirrorDescent({ lr: 0.5, potential: 'entropy' });
 * const w = new Float64Array([1, 2]);
 * const state = opt.init(w);
 * opt.update(w, new Float64Array([2, -1]), state, { step: 0, logScale: 0, lossScaled: 1 });
 * w; // [1·e^{−1}, 2·e^{0.5}] ≈ [0.3679, 3.2974]
 * ```
 *
 * @see A. Beck, M. Teboulle, "Mirror descent and nonlinear projected subgradient methods for convex
 * optimization", Operations Research Letters 31 (2003). S. Gunasekar, J. Lee, D. Soudry, N. Srebro,
 * "Characterizing implicit bias in terms of optimization geometry", ICML 2018: on an under-determined
 * least-squares problem, mirror descent from w₀ converges to argmin_{Xw=y} D_ψ(w, w₀).
 */
export function mirrorDescent(options: MirrorDescentOptions): MirrorDescentOptimizer {
  const record = readOptions(FN, options, ['lr', 'potential']);
  const lr = checkLearningRate(FN, record.lr);
  const { potential, resolved } = resolvePotential(FN, record.potential, true);
  const label =
    resolved.kind === 'p' ? `p-norm (p = ${resolved.p})` : resolved.kind === 'user' ? 'user' : resolved.kind;

  const diverged = (theta: Float64Array, step: number, what: string): never => {
    throw new DivergedError(
      `${FN}: the update at step ${step} ${what} (${label} potential); the last finite θ is on the error`,
      step,
      Float64Array.from(theta),
    );
  };

  return Object.freeze({
    name: 'mirrorDescent' as const,
    options: Object.freeze({ lr, potential }),
    init(theta: Float64Array): MirrorDescentState {
      const n = theta.length;
      for (let j = 0; j < n; j++) {
        const v = theta[j]!;
        if (!Number.isFinite(v))
          throw new InvalidInputError(FN, `theta[${j}]`, `must be finite, got ${show(v)}`);
        if (resolved.kind === 'entropy' && !(v > 0)) {
          throw new InvalidInputError(
            FN,
            `theta[${j}]`,
            `must be > 0 (the domain w > 0 of the entropy potential), got ${show(v)}`,
          );
        }
      }
      const state: MirrorDescentState = { dual: new Float64Array(n), next: new Float64Array(n) };
      if (resolved.kind === 'user') {
        callUser(resolved.grad, 'grad', state.dual, theta);
        for (let j = 0; j < n; j++) {
          const z = state.dual[j]!;
          if (!Number.isFinite(z)) {
            throw new InvalidInputError(
              FN,
              'theta',
              `must lie in the domain of the potential, got potential.grad(theta)[${j}] = ${show(z)}`,
            );
          }
        }
      }
      return state;
    },
    update(
      theta: Float64Array,
      grad: Float64Array,
      state: MirrorDescentState,
      info: GradientInfo,
    ): Float64Array {
      const { dual, next } = state;
      checkLengths(FN, theta, grad, next);
      const c = timesExp(learningRateAt(FN, lr, info.step), info.logScale);
      const n = theta.length;
      switch (resolved.kind) {
        case 'euclidean':
          gdStep(next, theta, grad, c, n);
          break;
        case 'entropy':
          entropyStep(next, theta, grad, c, n);
          break;
        case 'p':
        case 'user': {
          if (resolved.kind === 'p') pNormLink(dual, theta, resolved.p);
          else callUser(resolved.grad, 'grad', dual, theta);
          const bad = dualStep(dual, grad, c, n);
          // (∇ψ)⁻¹(∇ψ(w)) = w only up to rounding: a zero step must not move θ
          if (bad < 0) return theta;
          if (bad < n) {
            diverged(
              theta,
              info.step + 1,
              `produced a non-finite dual point ∇ψ(w) − lr·∇L: z[${bad}] = ${show(dual[bad])}`,
            );
          }
          if (resolved.kind === 'p') pNormLink(next, dual, resolved.q, resolved.qe);
          else callUser(resolved.gradInverse, 'gradInverse', next, dual);
          break;
        }
      }
      const step = info.step + 1;
      if (resolved.kind === 'entropy') {
        const j = firstNotPositiveFinite(next, n);
        if (j >= 0) {
          const v = next[j]!;
          diverged(
            theta,
            step,
            v === 0
              ? `left the domain w > 0: w[${j}] = 0 (exp(−lr·∇L) underflowed)`
              : v === Number.POSITIVE_INFINITY
                ? `produced a non-finite w[${j}] = Infinity (exp(−lr·∇L) overflowed)`
                : `left the domain w > 0: w[${j}] = ${show(v)}`,
          );
        }
      } else {
        const j = firstNonFinite(next, n);
        if (j >= 0) diverged(theta, step, `produced a non-finite w[${j}] = ${show(next[j])}`);
      }
      theta.set(next);
      return theta;
    },
  });
}
