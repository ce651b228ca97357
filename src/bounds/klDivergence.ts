import { InvalidInputError } from '../errors/index.js';
import { isArrayOrTypedArray, show } from '../util/validate.js';

/**
 * Checks a nonnegative finite vector with a positive sum and returns its sum. Internal to src/bounds.
 */
export function checkNonnegative(fn: string, option: string, v: unknown, length?: number): number {
  if (!isArrayOrTypedArray(v)) {
    throw new InvalidInputError(fn, option, `must be an array or typed array of numbers, got ${show(v)}`);
  }
  const a = v as ArrayLike<unknown>;
  if (length !== undefined && a.length !== length) {
    throw new InvalidInputError(fn, option, `must have length ${length}, got length ${a.length}`);
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
      throw new InvalidInputError(fn, `${option}[${i}]`, `must be a finite number >= 0, got ${show(x)}`);
    }
    sum += x;
  }
  if (!(sum > 0)) throw new InvalidInputError(fn, option, 'must not be all zero (or empty)');
  if (!Number.isFinite(sum))
    throw new InvalidInputError(fn, option, `must have a finite sum, got ${show(sum)}`);
  return sum;
}

/**
 * The Kullback–Leibler divergence KL(p‖q) of two discrete distributions, each given up to scale.
 *
 * **Math:** with p̄ = p/Σp and q̄ = q/Σq, KL(p‖q) = Σᵢ p̄ᵢ log(p̄ᵢ/q̄ᵢ), natural log, with 0·log(0/q) = 0;
 * it is +∞ when some qᵢ = 0 < pᵢ. Computed as Σ p̄ᵢ(log pᵢ − log qᵢ) + log(Σq/Σp), so extreme entries
 * do not overflow a ratio; the result is clamped at 0 against rounding. KL ≥ 0, with equality iff p̄ = q̄
 * (Gibbs), and KL ≥ ½‖p̄ − q̄‖₁² (Pinsker).
 *
 * @param p - nonnegative finite numbers, not all zero (e.g. the SVM dual p*).
 * @param q - nonnegative finite numbers, not all zero, same length (e.g. importance weights: normalized here).
 * @returns KL(p̄‖q̄) ∈ [0, ∞].
 * @throws InvalidInputError (`INVALID_INPUT`) on a length mismatch, a negative or non-finite entry, or an
 *   all-zero vector.
 *
 * @example
 * ```ts
 * klDivergence([0.5, 0.5], [1, 3]); // 0.5·log(4/3) ≈ 0.1438 (q is normalized to [0.25, 0.75])
 * klDivergence([1, 0], [0, 1]); // Infinity
 * ```
 *
 * Reference: Cover & Thomas, *Elements of Information Theory* (2nd ed.), §2.3 and Lemma 11.6.1 (Pinsker).
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const sp = checkNonnegative('klDivergence', 'p', p);
  const sq = checkNonnegative('klDivergence', 'q', q, p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    const qi = q[i]!;
    if (qi === 0) return Number.POSITIVE_INFINITY;
    s += (pi / sp) * (Math.log(pi) - Math.log(qi));
  }
  return Math.max(0, s + Math.log(sq / sp));
}
