import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';

/** A density ratio x ↦ p_t(x)/p_s(x): a function, or an object carrying one (a `datasets.covariateShift` set). */
export type DensityRatio = ((x: Float64Array) => number) | { densityRatio: (x: Float64Array) => number };

const FN = 'densityRatioWeights';

/**
 * Importance weights from a known covariate shift: wᵢ = η(xᵢ) = p_t(xᵢ)/p_s(xᵢ), the weights that make
 * the weighted source risk an unbiased estimate of the target risk (E_s[η ℓ] = E_t[ℓ]), and the ηᵢ of
 * term (I) of `theorem1Bound`.
 *
 * Not normalized: the ratios are returned as they are (their mean over source samples is ≈ 1, as
 * E_s[η] = 1); apply `normalizeWeights` for another scale. The callback gets a fresh copy of each row.
 *
 * @param data - the training set (drawn from the source P_s).
 * @param ratio - η as a function of one row x (a `Float64Array` of length d), or an object with a
 *   `densityRatio` method such as the result of `datasets.covariateShift`.
 * @returns a new `Float64Array` of the n ratios.
 * @throws InvalidInputError (`INVALID_INPUT`) if `ratio` is neither, if it returns a negative or
 *   non-finite value (naming the row), or if every ratio is 0.
 * @example
 * ```ts
 * import { datasets, densityRatioWeights } from 'implicit-bias';
 * const shift = datasets.covariateShift({ n: 100, seed: 3 });
 * const w = densityRatioWeights(shift, shift); // equals shift.eta
 * densityRatioWeights(shift, (x) => Math.exp(x[0]! - 0.5)); // the same η, written out for μ_t = (1, 0)
 * ```
 */
export function densityRatioWeights(data: Dataset, ratio: DensityRatio): Float64Array {
  const { X, n, d } = checkDataset(FN, 'data', data);
  let f: (x: Float64Array) => number;
  if (typeof ratio === 'function') {
    f = ratio;
  } else if (
    typeof ratio === 'object' &&
    ratio !== null &&
    typeof (ratio as { densityRatio?: unknown }).densityRatio === 'function'
  ) {
    f = (ratio as { densityRatio: (x: Float64Array) => number }).densityRatio;
  } else {
    throw new InvalidInputError(
      FN,
      'ratio',
      `must be a function x => p_t(x)/p_s(x) or an object with a densityRatio method, got ${show(ratio)}`,
    );
  }
  const out = new Float64Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const v = f(X.slice(i * d, i * d + d));
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidInputError(
        FN,
        'ratio',
        `must return a finite number >= 0, got ${show(v)} at row ${i}`,
      );
    }
    out[i] = v;
    if (v > 0) any = true;
  }
  if (!any) throw new InvalidInputError(FN, 'ratio', 'must not be 0 at every training point');
  return out;
}
