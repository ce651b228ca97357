import { covariateShift } from './covariateShift.js';
import { matrixCompletion } from './matrixCompletion.js';
import { moons } from './moons.js';
import { blobs } from './multiclassBlobs.js';
import { nonSeparable } from './nonSeparable.js';
import { partitioned } from './partitioned.js';
import { separable } from './separable.js';
import { unbalancedMoons } from './unbalancedMoons.js';
import { slidesRegression, underdetermined } from './underdetermined.js';
import { wine } from './wine.js';

/**
 * Seeded generators of the paper's datasets (Xu, Ye & Ruan, ICLR 2021, Figure 1). Each takes an options
 * object (`seed` default 0, other defaults documented per generator), returns a frozen {@link Dataset}
 * (d = 2 by default) and is deterministic in the seed. Rows labelled −1 come first, then +1.
 *
 * - `separable` = `figure1a`: Gaussian blobs separable through the origin with a guaranteed margin.
 * - `nonSeparable` = `figure1b`: overlapping Gaussian blobs, with a certificate of non-separability.
 * - `moons` = `figure1c`: balanced interleaved half circles (scikit-learn `make_moons`), centred.
 * - `unbalancedMoons` = `figure1d`: moons keeping 20% of the −1 class and 80% of the +1 class; the rest is `test`.
 *
 * Regression sets of the slides (a frozen {@link RegressionDataset} with real targets, for `trainRegression`):
 *
 * - `underdetermined`: Gaussian X and y with n < d (default n = 10, d = 30), realizable least squares.
 * - `slidesRegression()`: {([1, 1, 1], 1), ([1, 2, 0], 10)}, the slides' steepest-descent example.
 *
 * Non-separable data with a known maximal separable subset (for `separablePartition`, Proposition 2):
 *
 * - `partitioned({ nSep, nNonSep, d, seed })`: a separable core plus points only a zero margin satisfies.
 *
 * Covariate shift with a known density ratio (for `theorem1Bound` and `densityRatioWeights`):
 *
 * - `covariateShift({ n, nTest, d, sourceMean, targetMean, std, targetStd, labelNoise, seed })`: train from
 *   N(μ_s, σ_s² I), test from N(μ_t, σ_t² I), labels by a fixed linear rule; returns η and χ² in closed form.
 *
 * Multi-class (a frozen `MulticlassDataset` with labels 0..k−1, for `trainMulticlass`): `blobs({ n, k, d, seed })`.
 *
 * Matrix completion (for `trainMatrixFactorization`): `matrixCompletion({ rows, cols, rank, observed, noise, seed })`.
 *
 * A real data set, shipped with the library (not seeded: the rows are the file's): `wine({ positive, standardize })`,
 * the UCI Wine data (178 × 13), one cultivar against the two others, standardized by default.
 *
 * @example
 * ```ts
 * const a = datasets.figure1a({ seed: 0 });
 * const d = datasets.unbalancedMoons({ seed: 0 });
 * d.n + d.test.n; // 200
 * ```
 */
export const datasets = Object.freeze({
  separable,
  nonSeparable,
  moons,
  unbalancedMoons,
  figure1a: separable,
  figure1b: nonSeparable,
  figure1c: moons,
  figure1d: unbalancedMoons,
  underdetermined,
  slidesRegression,
  partitioned,
  blobs,
  covariateShift,
  matrixCompletion,
  wine,
});
