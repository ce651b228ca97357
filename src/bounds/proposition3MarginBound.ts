import { checkKnownKeys, checkNumber, checkObject } from '../util/validate.js';

/** Arguments of {@link proposition3MarginBound}. */
export interface Proposition3MarginBoundArgs {
  /** γ⋆ = max over ‖θ‖₂ ≤ 1 of minᵢ yᵢ f(θ, xᵢ), the max-min normalized margin (finite, > 0; assumption A1). */
  gammaStar: number;
  /**
   * τ, how far θ′ is from the regularized optimum: L_λ(θ′; w) ≤ τ·L_λ(θ_λ(w); w). The paper takes τ ≤ 2,
   * and τ ≥ 1 since θ_λ(w) minimizes L_λ; so τ ∈ [1, 2].
   */
  tau: number;
  /** α, the homogeneity degree of the model in θ: f(cθ, x) = c^α f(θ, x) (finite, > 0; `model.alpha`). */
  alpha: number;
  /** r, the exponent of the regularizer λ‖θ‖₂^r of Eq. (3) (finite, > 0). */
  r: number;
  /** c, the paper's constant with 1/10 ≤ c < 1 (the closer to 1, the smaller λ must be). */
  c: number;
}

const FN = 'proposition3MarginBound';

/**
 * The finite-step margin lower bound of Proposition 3 of Xu, Ye & Ruan (2021): under weak
 * regularization, every θ′ that is within a factor τ of the optimum of the regularized weighted loss has
 * normalized margin at least c·γ⋆/τ^(α/r), whatever the weights w ∈ [1/M, M]ⁿ.
 *
 * **Math:** L_λ(θ; w) = (1/n) Σᵢ wᵢ ℓ(yᵢ f(θ, xᵢ)) + λ‖θ‖₂^r (Eq. 3), θ_λ(w) its minimizer. If
 * L_λ(θ′; w) ≤ τ·L_λ(θ_λ(w); w) with τ ≤ 2, then for λ small enough (λ = λ(r, α, γ⋆, w, c)),
 * γ̃(θ′) = minᵢ yᵢ f(θ′, xᵢ)/‖θ′‖₂^α ≥ c·γ⋆/τ^(α/r), with 1/10 ≤ c < 1. At τ = 1 (the optimum itself)
 * the bound is c·γ⋆; the weights enter only through how small λ must be.
 *
 * @param args - `{ gammaStar, tau, alpha, r, c }`, see {@link Proposition3MarginBoundArgs}.
 * @returns c·γ⋆/τ^(α/r), a number in (0, γ⋆).
 * @throws InvalidInputError (`INVALID_INPUT`) for a missing or unknown argument, γ⋆ ≤ 0, τ ∉ [1, 2],
 *   α ≤ 0, r ≤ 0 or c ∉ [1/10, 1).
 *
 * @example
 * ```ts
 * import { proposition3MarginBound } from 'implicit-bias';
 * // A 2-layer ReLU net (α = 2) with an ℓ2² regularizer (r = 2), within a factor 2 of the optimum:
 * proposition3MarginBound({ gammaStar: 0.3, tau: 2, alpha: 2, r: 2, c: 0.9 }); // 0.9·0.3/2 = 0.135
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, Section 4.1, Proposition 3, and Appendix A.4.1 (adapted from Wei et al., 2019).
 */
export function proposition3MarginBound(args: Proposition3MarginBoundArgs): number {
  const a = checkObject(FN, 'args', args, false);
  checkKnownKeys(FN, a, ['gammaStar', 'tau', 'alpha', 'r', 'c']);
  const gammaStar = checkNumber(FN, 'gammaStar', a.gammaStar, { min: 0, exclusiveMin: true });
  const tau = checkNumber(FN, 'tau', a.tau, { min: 1, max: 2 });
  const alpha = checkNumber(FN, 'alpha', a.alpha, { min: 0, exclusiveMin: true });
  const r = checkNumber(FN, 'r', a.r, { min: 0, exclusiveMin: true });
  const c = checkNumber(FN, 'c', a.c, { min: 0.1, max: 1, exclusiveMax: true });
  return (c * gammaStar) / tau ** (alpha / r);
}
