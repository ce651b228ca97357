import { InvalidInputError } from '../errors/index.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { checkNonnegative, klDivergence } from './klDivergence.js';

/** Arguments of {@link proposition1Bound}. */
export interface Proposition1BoundArgs {
  /** Number of training points (integer ≥ 1). */
  n: number;
  /** p*, the hard-margin SVM dual (e.g. `hardMarginSVM(data).dual`): ≥ 0, summing to 1 within 1e-8. */
  dual: ArrayLike<number>;
  /** The importance weights w (length n, finite, ≥ 0, not all zero); normalized to w̄ = w/Σw here. */
  weights: ArrayLike<number>;
  /** The paper's M, with w ∈ [1/M, M]ⁿ (finite, ≥ 1). Enters the bound additively. */
  M: number;
  /** The gradient-descent step t (finite, > 1, so that log t > 0). */
  t: number;
  /** γ*, the max-min margin (e.g. `hardMarginSVM(data).gamma`; finite, > 0). */
  gammaStar: number;
}

/**
 * The right-hand side of Proposition 1 of Xu, Ye & Ruan (2021): a bound, up to the paper's unstated
 * constant, on how far the gradient-descent direction under importance weights w is from the
 * max-margin direction after t steps.
 *
 * **Math:** ‖θ(t)(w)/‖θ(t)(w)‖ − θ*‖ ≲ (log n + KL(p*‖w̄) + M) / (log t · γ*), with w̄ = w/Σw and
 * KL(p‖q) = Σ pᵢ log(pᵢ/qᵢ) (natural log, 0·log 0 = 0; see {@link klDivergence}).
 *
 * Decisions: `dual` must sum to 1 within 1e-8 (it is a distribution); it is then divided by its sum, so
 * rounding in the last digits does not matter. If some wᵢ = 0 where p*ᵢ > 0 — a support vector is
 * dropped — KL = ∞ and the bound is `Infinity`: it is vacuous, and indeed the weighted problem then has
 * a different max-margin solution. The proposition assumes w ∈ [1/M, M]ⁿ; that is not enforced (zero
 * weights are allowed, giving the behaviour above).
 *
 * @param args - `{ n, dual, weights, M, t, gammaStar }`, see {@link Proposition1BoundArgs}.
 * @returns the bound, a number in (0, ∞].
 * @throws InvalidInputError (`INVALID_INPUT`) for a bad or missing argument, a length ≠ n, a dual not
 *   summing to 1, negative or non-finite entries, all-zero weights, t ≤ 1, γ* ≤ 0 or M < 1.
 *
 * @example
 * ```ts
 * import { dataset, hardMarginSVM, proposition1Bound } from 'implicit-bias';
 * const data = dataset([[2, 0], [0, 1]], [1, 1]);
 * const { dual, gamma } = hardMarginSVM(data); // dual = [0.2, 0.8], gamma = 2/√5
 * proposition1Bound({ n: 2, dual, weights: [1, 4], M: 4, t: 1e4, gammaStar: gamma });
 * // (log 2 + 0 + 4)/(log 1e4 · 2/√5) ≈ 0.570 — weights proportional to p* make the KL term vanish
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, Proposition 1, eq. (2), and Appendix A.2.1.
 */
export function proposition1Bound(args: Proposition1BoundArgs): number {
  const fn = 'proposition1Bound';
  const a = checkObject(fn, 'args', args, false);
  checkKnownKeys(fn, a, ['n', 'dual', 'weights', 'M', 't', 'gammaStar']);
  const n = checkNumber(fn, 'n', a.n, { min: 1, integer: true });
  const M = checkNumber(fn, 'M', a.M, { min: 1 });
  const t = checkNumber(fn, 't', a.t, { min: 1, exclusiveMin: true });
  const gammaStar = checkNumber(fn, 'gammaStar', a.gammaStar, { min: 0, exclusiveMin: true });
  const sp = checkNonnegative(fn, 'dual', a.dual, n);
  if (Math.abs(sp - 1) > 1e-8) {
    throw new InvalidInputError(fn, 'dual', `must sum to 1 (within 1e-8), got sum ${show(sp)}`);
  }
  checkNonnegative(fn, 'weights', a.weights, n);
  const kl = klDivergence(a.dual as ArrayLike<number>, a.weights as ArrayLike<number>);
  return (Math.log(n) + kl + M) / (Math.log(t) * gammaStar);
}
