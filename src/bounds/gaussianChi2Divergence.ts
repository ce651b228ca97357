import { gaussianLogOnePlusChi2 } from '../datasets/gaussianChi2.js';
import { InvalidInputError } from '../errors/index.js';
import { checkKnownKeys, checkNumber, checkObject, toFiniteVector } from '../util/validate.js';

/** Arguments of {@link gaussianChi2Divergence}: P_t = N(μ_t, σ_t² I), P_s = N(μ_s, σ_s² I) in d dimensions. */
export interface GaussianChi2DivergenceArgs {
  /** μ_s, the source mean (length d ≥ 1, finite). */
  sourceMean: ArrayLike<number>;
  /** μ_t, the target mean (length d, finite). */
  targetMean: ArrayLike<number>;
  /** σ_s > 0, the source standard deviation of every coordinate. Default 1. */
  sourceStd?: number;
  /** σ_t > 0, the target standard deviation of every coordinate. Default σ_s. */
  targetStd?: number;
}

/**
 * The Pearson χ² divergence D_χ²(P_t‖P_s) = E_s[(p_t/p_s)²] − 1 between two isotropic Gaussians, in
 * closed form: the exact value of the χ² of Theorem 1 for the `datasets.covariateShift` sets.
 *
 * **Math:** with Δ = μ_t − μ_s and D = 2σ_s² − σ_t²,
 * 1 + D_χ² = ∫ p_t²/p_s dx = (σ_s²/(σ_t √D))^d · exp(‖Δ‖²/D) when D > 0, and +∞ when D ≤ 0 (the target
 * is too wide: p_t²/p_s is not integrable). With equal spreads σ_s = σ_t = σ this is
 * D_χ² = exp(‖Δ‖²/σ²) − 1. Derivation (per coordinate, then multiply): p_t²/p_s is a Gaussian kernel in
 * x with precision 2k = 2/σ_t² − 1/σ_s² = D/(σ_s²σ_t²); completing the square leaves the factor
 * exp(‖Δ‖²/D) and the integral √(π/k). Computed as expm1 of the logarithm, so small shifts keep their
 * relative accuracy; a value beyond the float range is `Infinity`.
 *
 * @param args - `{ sourceMean, targetMean, sourceStd?, targetStd? }`, see {@link GaussianChi2DivergenceArgs}.
 * @returns D_χ²(P_t‖P_s) ∈ [0, ∞].
 * @throws InvalidInputError (`INVALID_INPUT`) for empty, non-finite or mismatched means, a std ≤ 0, or an
 *   unknown argument.
 *
 * @example
 * ```ts
 * import { gaussianChi2Divergence } from 'implicit-bias';
 * gaussianChi2Divergence({ sourceMean: [0, 0], targetMean: [1, 0] }); // e − 1 ≈ 1.718
 * gaussianChi2Divergence({ sourceMean: [0], targetMean: [0], sourceStd: 1, targetStd: 0.5 }); // 1/(0.5·√1.75) − 1 ≈ 0.512
 * ```
 *
 * Reference: Nielsen & Nock, "On the chi square and higher-order chi distances for approximating
 * f-divergences", IEEE Signal Processing Letters 21(1), 2014 (exponential-family closed forms).
 */
export function gaussianChi2Divergence(args: GaussianChi2DivergenceArgs): number {
  const fn = 'gaussianChi2Divergence';
  const a = checkObject(fn, 'args', args, false);
  checkKnownKeys(fn, a, ['sourceMean', 'targetMean', 'sourceStd', 'targetStd']);
  const ms = toFiniteVector(fn, 'sourceMean', a.sourceMean);
  const d = ms.length;
  if (d === 0) throw new InvalidInputError(fn, 'sourceMean', 'must not be empty');
  const mt = toFiniteVector(fn, 'targetMean', a.targetMean, d);
  const ss =
    a.sourceStd === undefined ? 1 : checkNumber(fn, 'sourceStd', a.sourceStd, { min: 0, exclusiveMin: true });
  const st =
    a.targetStd === undefined
      ? ss
      : checkNumber(fn, 'targetStd', a.targetStd, { min: 0, exclusiveMin: true });
  return gaussianLogOnePlusChi2(ms, mt, ss, st, Math.expm1);
}
