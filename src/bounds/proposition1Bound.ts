import { InvalidInputError } from '../errors/index.js';
import { checkKnownKeys, checkNumber, checkObject, checkOneOf, show } from '../util/validate.js';
import { checkNonnegative, klDivergence } from './klDivergence.js';

/** Which form of Proposition 1 {@link proposition1Bound} evaluates. */
export type Proposition1Form = 'proved' | 'stated';

/** Arguments of {@link proposition1Bound}. */
export interface Proposition1BoundArgs {
  /** Number of training points (integer ≥ 1). */
  n: number;
  /** p*, the hard-margin SVM dual (e.g. `hardMarginSVM(data).dual`): ≥ 0, summing to 1 within 1e-8. */
  dual: ArrayLike<number>;
  /**
   * The importance weights w (length n, finite, > 0), on any scale: normalized here to w̄ = w/Σw, the
   * paper's normalization Σ w̄ᵢ = 1.
   */
  weights: ArrayLike<number>;
  /**
   * The paper's M for the **normalized** weights: w̄ ∈ [1/M, M]ⁿ. It must be at least the weights' own
   * scale M(w) = Σw/minᵢ wᵢ (≥ n, since n entries ≥ 1/M sum to 1); default M(w). Enters the bound additively.
   */
  M?: number;
  /**
   * The gradient-descent step t (finite, > 1, so that log t > 0). Required for `'stated'`, and for
   * `'proved'` without `thetaNorm` (then ‖θ(t)‖ = log t/γ*); ignored when `thetaNorm` is given.
   */
  t?: number;
  /** γ*, the max-min margin (e.g. `hardMarginSVM(data).gamma`; finite, > 0). */
  gammaStar: number;
  /** ‖θ(t)‖₂ of the iterate whose gap is bounded (finite, > 0; `'proved'` only, ignored by `'stated'`). */
  thetaNorm?: number;
  /** `'proved'` (default): the bound of Appendix A.2.1; `'stated'`: the main text's Eq. 2. */
  form?: Proposition1Form;
}

const FN = 'proposition1Bound';
const KEYS = ['n', 'dual', 'weights', 'M', 't', 'gammaStar', 'thetaNorm', 'form'] as const;
const FORMS: readonly Proposition1Form[] = ['proved', 'stated'];

/**
 * The weights' own M in the paper's normalization: the smallest M with w/Σw ∈ [1/M, M]ⁿ, i.e. Σw/minᵢ wᵢ
 * (the upper end never binds: w̄ᵢ ≤ 1 ≤ 1/min w̄). Throws for a zero weight, which no finite M covers.
 */
function weightScale(weights: ArrayLike<number>, sum: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0) {
      throw new InvalidInputError(
        FN,
        `weights[${i}]`,
        'must be > 0: Proposition 1 assumes w ∈ [1/M, M]ⁿ, which no finite M satisfies with a zero weight (drop the point from the data instead), got 0',
      );
    }
    if (w < min) min = w;
  }
  return sum / min;
}

/**
 * Proposition 1 of Xu, Ye & Ruan (2021): how far the gradient-descent direction under importance weights w
 * is from the max-margin direction θ*, in the form the appendix proves (default) or as the main text states it.
 *
 * **Math.** Both forms use the paper's normalization Σ w̄ᵢ = 1, w̄ ∈ [1/M, M]ⁿ (w̄ = w/Σw; this forces M ≥ n),
 * and KL(p*‖w̄) = Σ p*ᵢ log(p*ᵢ/w̄ᵢ) (natural log, 0·log 0 = 0; see {@link klDivergence}).
 * - `form: 'proved'` (default), Appendix A.2.1: the proof ends with the bound on the **squared** gap
 *   ‖θ(t)/‖θ(t)‖ − θ*‖² ≤ 2(log n + KL(p*‖w̄) + M)/(‖θ(t)‖ γ*), so the gap itself is at most
 *
 *   √(2(log n + KL(p*‖w̄) + M) / (‖θ(t)‖ · γ*)),
 *
 *   with ‖θ(t)‖ = `thetaNorm`; without `thetaNorm` the function puts in the norm GD reaches,
 *   ‖θ(t)‖ = log t/γ* (Soudry et al.'s rate; then γ* cancels and the bound is √(2(log n + KL + M)/log t)),
 *   a 1/√log t rate for the gap.
 * - `form: 'stated'`: the main text's Eq. 2, (log n + KL(p*‖w̄) + M)/(log t · γ*) (a 1/log t rate, "≲":
 *   up to an unstated constant). It is not what the appendix derives; kept for comparison.
 *
 * Two unit vectors are at most 2 apart, so a value ≥ 2 is vacuous.
 *
 * **M and unnormalized weights.** `weights` may be on any scale (the library's risk (1/n) Σ wᵢ ℓ takes
 * them as given); the bound only sees w̄ = w/Σw. `M` is the paper's M for w̄, so it must be at least the
 * weights' own scale M(w) = Σw/minᵢ wᵢ — the smallest M with w̄ ∈ [1/M, M]ⁿ — and defaults to it. For
 * mean-1 weights in [1/m, m], M(w) = n/min w ≤ n·m. A smaller M is an `INVALID_INPUT` (it would make the
 * bound smaller than what the proof covers); so is a zero weight.
 *
 * Decisions: `dual` must sum to 1 within 1e-8 (it is a distribution); it is then divided by its sum.
 *
 * @param args - `{ n, dual, weights, M?, t?, gammaStar, thetaNorm?, form? }`, see {@link Proposition1BoundArgs}.
 * @returns the bound on ‖θ(t)/‖θ(t)‖ − θ*‖₂, a finite number > 0.
 * @throws InvalidInputError (`INVALID_INPUT`) for a bad or missing argument, a length ≠ n, a dual not
 *   summing to 1, a negative, zero or non-finite weight, M < Σw/min w, t ≤ 1 (when used), γ* ≤ 0,
 *   thetaNorm ≤ 0, or an unknown form.
 *
 * @example
 * ```ts
 * import { dataset, hardMarginSVM, proposition1Bound } from 'implicit-bias';
 * const data = dataset([[2, 0], [0, 1]], [1, 1]);
 * const { dual, gamma } = hardMarginSVM(data); // dual = [0.2, 0.8], gamma = 2/√5
 * // weights ∝ p*: KL = 0; their own scale is M = 5/1 = 5
 * proposition1Bound({ n: 2, dual, weights: [1, 4], t: 1e4, gammaStar: gamma });
 * // √(2(log 2 + 0 + 5)/log 1e4) ≈ 1.111 (proved, ‖θ(t)‖ = log t/γ*)
 * proposition1Bound({ n: 2, dual, weights: [1, 4], gammaStar: gamma, thetaNorm: 50 }); // √(2·5.693/(50·0.894)) ≈ 0.505
 * proposition1Bound({ n: 2, dual, weights: [1, 4], M: 5, t: 1e4, gammaStar: gamma, form: 'stated' });
 * // (log 2 + 5)/(log 1e4 · 2/√5) ≈ 0.691
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, Proposition 1, eq. (2), and Appendix A.2.1 (the last display of the proof).
 */
export function proposition1Bound(args: Proposition1BoundArgs): number {
  const a = checkObject(FN, 'args', args, false);
  checkKnownKeys(FN, a, KEYS);
  const form = a.form === undefined ? 'proved' : checkOneOf(FN, 'form', a.form, FORMS);
  const n = checkNumber(FN, 'n', a.n, { min: 1, integer: true });
  const gammaStar = checkNumber(FN, 'gammaStar', a.gammaStar, { min: 0, exclusiveMin: true });
  const thetaNorm =
    a.thetaNorm === undefined
      ? undefined
      : checkNumber(FN, 'thetaNorm', a.thetaNorm, { min: 0, exclusiveMin: true });
  const needT = form === 'stated' || thetaNorm === undefined;
  if (needT && a.t === undefined) {
    throw new InvalidInputError(
      FN,
      't',
      `is required for form ${show(form)}${form === 'proved' ? ' without thetaNorm' : ''}, got undefined`,
    );
  }
  const t = a.t === undefined ? Number.NaN : checkNumber(FN, 't', a.t, { min: 1, exclusiveMin: true });
  const sp = checkNonnegative(FN, 'dual', a.dual, n);
  if (Math.abs(sp - 1) > 1e-8) {
    throw new InvalidInputError(FN, 'dual', `must sum to 1 (within 1e-8), got sum ${show(sp)}`);
  }
  const weights = a.weights as ArrayLike<number>;
  const own = weightScale(weights, checkNonnegative(FN, 'weights', weights, n));
  let M = own;
  if (a.M !== undefined) {
    M = checkNumber(FN, 'M', a.M, { min: 1 });
    if (M < own * (1 - 1e-12)) {
      throw new InvalidInputError(
        FN,
        'M',
        `must be >= Σw/min(w) = ${show(own)}: the paper normalizes Σwᵢ = 1 with wᵢ ∈ [1/M, M], and these weights normalized have smallest entry 1/${show(own)}, got ${show(M)}`,
      );
    }
  }
  const numerator = Math.log(n) + klDivergence(a.dual as ArrayLike<number>, weights) + M;
  if (form === 'stated') return numerator / (Math.log(t) * gammaStar);
  const norm = thetaNorm ?? Math.log(t) / gammaStar;
  return Math.sqrt((2 * numerator) / (norm * gammaStar));
}
