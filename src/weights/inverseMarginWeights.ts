import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { checkModelTheta } from '../metrics/checks.js';
import { normalizedMarginsInto } from '../metrics/normalizedMargins.js';
import { linear } from '../models/linear.js';
import type { Model } from '../models/types.js';
import { hardMarginSVM } from '../svm/hardMarginSVM.js';
import { checkKnownKeys, checkNumber, checkObject, show, toFiniteVector } from '../util/validate.js';
import { scaleToTotalInPlace } from './internal.js';

/** Options of {@link inverseMarginWeights} (all optional). */
export interface InverseMarginWeightsOptions {
  /**
   * Parameters whose normalized margins yᵢ f(θ, xᵢ)/‖θ‖₂^α are used (for `model`, default `linear(d)`).
   * Default: the hard-margin SVM direction θ* of `data` (no bias), the paper's oracle.
   */
  theta?: ArrayLike<number>;
  /** The model that `theta` parametrizes (default `linear(data.d)`); only together with `theta`. */
  model?: Model;
  /** The margins mᵢ themselves (length n, finite), e.g. from `normalizedMargins`; excludes `theta`. */
  margins?: ArrayLike<number>;
  /** p ≥ 0, the exponent: wᵢ ∝ (mᵢ + ε)^(−p). Default 1; 0 gives uniform weights. */
  power?: number;
  /** ε ≥ 0 added to every margin, so that non-positive margins above −ε are allowed. Default 0. */
  epsilon?: number;
}

const FN = 'inverseMarginWeights';

/**
 * The inverse-margin "oracle" weights of Section 5 (and Figures 2a/2b) of Xu, Ye & Ruan (2021): more
 * weight on the points closest to the max-margin boundary, the hard-to-classify support vectors.
 *
 * **Definition:** wᵢ = c·(mᵢ + ε)^(−p), where mᵢ is the normalized margin of point i (by default
 * mᵢ = yᵢ θ*ᵀxᵢ with θ* = `hardMarginSVM(data).theta`, so mᵢ ≥ γ* > 0), p = `power`, ε = `epsilon`, and
 * c makes the mean 1 (Σ wᵢ = n). So the support vectors get the largest weight, and
 * maxᵢ wᵢ/minᵢ wᵢ = ((m_max + ε)/(m_min + ε))^p; with ε > 0 the spread shrinks.
 *
 * @param data - the training set.
 * @param options - `{ theta?, model?, margins?, power?, epsilon? }`, see {@link InverseMarginWeightsOptions}.
 * @returns a new `Float64Array` of n weights, all > 0, with mean 1.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or conflicting options, or when some mᵢ + ε ≤ 0
 *   (θ does not separate the data: raise ε); NotSeparableError (`NOT_SEPARABLE`) from the default SVM
 *   oracle on non-separable data.
 * @example
 * ```ts
 * import { dataset, inverseMarginWeights } from 'implicit-bias';
 * const data = dataset([[1, 0], [2, 0], [4, 0]], [1, 1, 1]);
 * // θ* = (1, 0), margins 1, 2, 4: weights ∝ 1, 1/2, 1/4, scaled to mean 1
 * inverseMarginWeights(data); // [12/7, 6/7, 3/7]
 * inverseMarginWeights(data, { margins: [1, 2, 4], power: 2 }); // ∝ 1, 1/4, 1/16
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, Section 3 (Figure 2a/2b, "matching weights with the inverse margin") and Section 5.
 */
export function inverseMarginWeights(data: Dataset, options: InverseMarginWeightsOptions = {}): Float64Array {
  const d = checkDataset(FN, 'data', data);
  const o = checkObject(FN, 'options', options);
  checkKnownKeys(FN, o, ['theta', 'model', 'margins', 'power', 'epsilon']);
  const power = o.power === undefined ? 1 : checkNumber(FN, 'power', o.power, { min: 0 });
  const eps = o.epsilon === undefined ? 0 : checkNumber(FN, 'epsilon', o.epsilon, { min: 0 });
  if (o.margins !== undefined && (o.theta !== undefined || o.model !== undefined)) {
    throw new InvalidInputError(FN, 'margins', 'cannot be combined with theta or model; pass one of them');
  }
  if (o.model !== undefined && o.theta === undefined) {
    throw new InvalidInputError(FN, 'model', 'needs theta (the model parameters) as well');
  }
  let m: Float64Array;
  if (o.margins !== undefined) {
    m = toFiniteVector(FN, 'margins', o.margins, d.n);
  } else if (o.theta !== undefined) {
    const model = (o.model as Model | undefined) ?? linear(d.d);
    const theta = checkModelTheta(FN, model, o.theta, d);
    m = normalizedMarginsInto(new Float64Array(d.n), model, theta, d);
  } else {
    const { theta } = hardMarginSVM(d);
    m = normalizedMarginsInto(new Float64Array(d.n), linear(d.d), theta, d);
  }
  // Log domain: (m + ε)^(−p) may overflow for tiny margins and large p, while the normalized ratios do not.
  const w = new Float64Array(d.n);
  let maxLog = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < d.n; i++) {
    const base = m[i]! + eps;
    if (!(base > 0)) {
      throw new InvalidInputError(
        FN,
        o.margins !== undefined ? `margins[${i}]` : 'theta',
        `must give every point margin + epsilon > 0, got margin ${show(m[i])} at point ${i} with epsilon = ${show(eps)} (choose epsilon > ${show(-m[i]!)})`,
      );
    }
    w[i] = -power * Math.log(base);
    if (w[i]! > maxLog) maxLog = w[i]!;
  }
  for (let i = 0; i < d.n; i++) w[i] = Math.exp(w[i]! - maxLog);
  return scaleToTotalInPlace(FN, 'weights', w, d.n);
}
