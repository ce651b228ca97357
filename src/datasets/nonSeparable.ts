import { createRng } from '../rng/createRng.js';
import { readOptions } from '../util/validate.js';
import { classSizes, numberOption, seedOption, unitDirection } from './internal.js';
import type { PlantedDataset } from './separable.js';

/** Options of {@link nonSeparable} (all optional). */
export interface NonSeparableOptions {
  /** Number of points, an integer ≥ 2 (⌊n/2⌋ labelled −1, the rest +1). Default 100. */
  n?: number;
  /** Dimension, an integer ≥ 1. Default 2. */
  d?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
  /** Distance μ of each blob centre ±μu from the origin, ≥ 0. Default 1. */
  distance?: number;
  /** Standard deviation σ of each coordinate around the centre, > 0. Default 1. */
  std?: number;
  /** The blob axis u (length d, non-zero; normalized). Default: uniformly random from the seed. */
  direction?: ArrayLike<number>;
}

/** {@link nonSeparable}'s result: the blobs, their axis `planted` and a certificate of non-separability. */
export interface NonSeparableDataset extends PlantedDataset {
  /**
   * A Gordan certificate p ∈ ℝⁿ: p ≥ 0, p ≠ 0 and Σᵢ pᵢ yᵢ xᵢ = 0 exactly in float64. It proves that no θ
   * has yᵢ θᵀxᵢ > 0 for all i (that sum would give 0 = Σᵢ pᵢ yᵢ θᵀxᵢ > 0). Here p₀ = 1, p_{n−1} = 2.
   */
  readonly certificate: Float64Array;
}

const FN = 'datasets.nonSeparable';
const KEYS = ['n', 'd', 'seed', 'distance', 'std', 'direction'] as const;

/**
 * Figure 1b of Xu, Ye & Ruan (ICLR 2021): two overlapping Gaussian blobs that no hyperplane through the
 * origin separates.
 *
 * Construction: u is a unit direction (uniformly random from the seed unless `direction` is given). Rows
 * 0 … ⌊n/2⌋ − 1 have y = −1, the rest y = +1; each row is xᵢ = yᵢ μ u + σ zᵢ with zᵢ ~ N(0, I_d), so with
 * the defaults (μ = σ = 1) the blobs overlap heavily. To make non-separability certain rather than likely,
 * the last row (a +1 point) is then replaced by ½·x₀, half of row 0 (a −1 point): the two are positive
 * multiples of each other with opposite labels (one flipped label inside the −1 blob), so any θ gives them
 * margins of opposite signs. `certificate` states this as p = e₀ + 2e_{n−1} with Σᵢ pᵢ yᵢ xᵢ = 0 (exact,
 * as halving is exact in float64).
 *
 * Defaults: n = 100, d = 2, seed = 0, distance μ = 1, std σ = 1.
 *
 * @param options - see {@link NonSeparableOptions}.
 * @returns a frozen {@link NonSeparableDataset} `{ X, y, n, d, planted, certificate }`, deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options.
 * @example
 * ```ts
 * const data = datasets.nonSeparable({ seed: 3 });
 * // data.X row n−1 is exactly 0.5 × row 0, with the opposite label
 * ```
 */
export function nonSeparable(options: NonSeparableOptions = {}): NonSeparableDataset {
  const o = readOptions(FN, options, KEYS);
  const n = numberOption(FN, o, 'n', 100, { integer: true, min: 2 });
  const d = numberOption(FN, o, 'd', 2, { integer: true, min: 1 });
  const seed = seedOption(FN, o);
  const mu = numberOption(FN, o, 'distance', 1, { min: 0 });
  const sigma = numberOption(FN, o, 'std', 1, { min: 0, exclusiveMin: true });
  const rng = createRng(seed);
  const u = unitDirection(FN, o, d, rng);
  const { nNeg } = classSizes(n);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yi = i < nNeg ? -1 : 1;
    y[i] = yi;
    for (let k = 0; k < d; k++) X[i * d + k] = yi * mu * u[k]! + sigma * rng.normal();
  }
  const last = (n - 1) * d;
  for (let k = 0; k < d; k++) X[last + k] = 0.5 * X[k]!;
  const certificate = new Float64Array(n);
  certificate[0] = 1;
  certificate[n - 1] = 2;
  return Object.freeze({ X, y, n, d, planted: u, certificate });
}
