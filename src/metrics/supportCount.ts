import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import type { Model } from '../models/types.js';
import { checkKnownKeys, checkNumber, checkObject } from '../util/validate.js';
import { checkModelTheta } from './checks.js';
import { normalizedMarginsInto } from './normalizedMargins.js';

/** Options of {@link supportCount}. */
export interface SupportCountOptions {
  /**
   * Relative tolerance τ ≥ 0 (default 1e-3): point i counts when mᵢ ≤ m_min + τ·|m_min|. The same
   * relative slack as `hardMarginSVM`'s `active` set (margin ≤ γ*(1 + tol)).
   */
  tol?: number;
}

/** The default relative tolerance of {@link supportCount} and of `trainWeighted`'s `record.supportTol`. Internal. */
export const SUPPORT_TOL_DEFAULT = 1e-3;

/**
 * Unchecked: the number of i < n with m[i] ≤ min + tol·|min|. Invariant under positive scaling of m, so
 * raw margins yᵢf(θ, xᵢ) give the same count as normalized ones (up to rounding at exact ties). Internal.
 */
export function countSupport(m: Float64Array, n: number, tol: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) if (m[i]! < min) min = m[i]!;
  const cut = min + tol * Math.abs(min);
  let count = 0;
  for (let i = 0; i < n; i++) if (m[i]! <= cut) count++;
  return count;
}

/**
 * The support count: the number of points whose normalized margin mᵢ = yᵢ f(θ, xᵢ)/‖θ‖₂^α is within a
 * relative tolerance τ of the minimum γ̃ = minᵢ mᵢ,
 *
 *   #{ i : mᵢ ≤ γ̃ + τ·|γ̃| }.
 *
 * For the max-margin solution these are its support vectors (and any other point exactly on the margin:
 * `hardMarginSVM(data).active`). Along a gradient method it counts the points that currently attain the
 * smallest margin. The margins of the eventual support vectors equalize only as fast as the direction
 * converges: under plain GD (rate O(1/log t)) their relative spread is still 0.07–0.15 after 10⁶ steps
 * on small 2-D sets, so with τ = 1e-3 plain GD usually counts 1 long after its direction has settled;
 * under `normalizedGd` the spread falls like 1/t and the count equals the SVM's support by 10⁴–10⁵ steps
 * (docs/training.md). At θ = 0 every margin is 0, so every point counts; when γ̃ < 0 (θ does not
 * separate) the count is taken relative to |γ̃| just the same.
 *
 * @param model - the predictor (e.g. `linear(d)`).
 * @param theta - its parameters (length model.size).
 * @param data - the points (all of them, whatever their weights).
 * @param options - `{ tol = 1e-3 }`, a finite relative tolerance ≥ 0 (0 counts exact ties only).
 * @returns an integer in [1, n].
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad model, θ, data or tol.
 * @example
 * ```ts
 * import { dataset, linear, supportCount } from 'implicit-bias';
 * const data = dataset([[1, 0], [0, 1], [2, 2]], [1, 1, 1]);
 * supportCount(linear(2), [1, 1], data); // 2: margins 1/√2, 1/√2, 4/√2
 * ```
 */
export function supportCount(
  model: Model,
  theta: ArrayLike<number>,
  data: Dataset,
  options?: SupportCountOptions,
): number {
  const FN = 'supportCount';
  checkDataset(FN, 'data', data);
  const t = checkModelTheta(FN, model, theta, data);
  const opts = checkObject(FN, 'options', options);
  checkKnownKeys(FN, opts, ['tol']);
  const tol =
    opts.tol === undefined ? SUPPORT_TOL_DEFAULT : checkNumber(FN, 'options.tol', opts.tol, { min: 0 });
  const m = normalizedMarginsInto(new Float64Array(data.n), model, t, data);
  return countSupport(m, data.n, tol);
}
