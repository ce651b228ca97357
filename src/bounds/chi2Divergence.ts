import { InvalidInputError } from '../errors/index.js';
import { show, toFiniteVector } from '../util/validate.js';

/**
 * The sample estimate of the Pearson χ² divergence D_χ²(P_t‖P_s) from density ratios at source samples:
 * mean(η²) − 1.
 *
 * **Math:** D_χ²(P_t‖P_s) = ∫ (p_t/p_s − 1)² dP_s = E_s[η²] − 1 with η = p_t/p_s (using E_s[η] = 1); the
 * estimate replaces E_s by the mean over x₁, …, xₙ ~ P_s, which is unbiased: E[(1/n) Σ ηᵢ²] = E_s[η²].
 * It is the default χ² of {@link theorem1Bound}. Unlike the divergence it can be negative (down to −1)
 * when the sampled ratios are small; the result is returned as is. Its standard error is
 * √(Var_s(η²)/n), which is large for heavy-tailed ratios (see docs/bounds.md).
 *
 * @param eta - the ratios ηᵢ = p_t(xᵢ)/p_s(xᵢ) at source samples: finite, ≥ 0, at least one.
 * @returns (1/n) Σᵢ ηᵢ² − 1, a number ≥ −1.
 * @throws InvalidInputError (`INVALID_INPUT`) for an empty vector, a negative or non-finite entry, or a
 *   mean square that overflows.
 *
 * @example
 * ```ts
 * import { chi2Divergence } from 'implicit-bias';
 * chi2Divergence([0.5, 1.5]); // (0.25 + 2.25)/2 − 1 = 0.25
 * chi2Divergence([1, 1, 1]); // 0: no shift
 * ```
 *
 * Reference: Xu, Ye & Ruan (ICLR 2021), Section 4.2 and Appendix A.4.2 (D(P_t‖P_s) = ∫ (η² − 1) dP_s).
 */
export function chi2Divergence(eta: ArrayLike<number>): number {
  const fn = 'chi2Divergence';
  const e = toFiniteVector(fn, 'eta', eta);
  if (e.length === 0) throw new InvalidInputError(fn, 'eta', 'must not be empty');
  let s = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i]! < 0) throw new InvalidInputError(fn, `eta[${i}]`, `must be >= 0, got ${show(e[i])}`);
    s += e[i]! * e[i]!;
  }
  const ms = s / e.length;
  if (!Number.isFinite(ms))
    throw new InvalidInputError(fn, 'eta', `must have a finite mean square, got ${show(ms)}`);
  return ms - 1;
}
