import { InvalidInputError } from '../errors/index.js';
import { createRng } from '../rng/createRng.js';
import { readOptions } from '../util/validate.js';
import { numberOption, seedOption } from './internal.js';
import type { MulticlassDataset } from './multiclassDataset.js';

/** Options of {@link blobs} (all optional). */
export interface BlobsOptions {
  /** Number of points, an integer ≥ k (class c gets ⌊n/k⌋ rows, one more for c < n mod k). Default 150. */
  n?: number;
  /** Number of classes, an integer ≥ 2. Default 3. */
  k?: number;
  /** Dimension, an integer ≥ 2 (the centres lie in the plane of the first two coordinates). Default 2. */
  d?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
  /** Distance ρ of every centre from the origin, > 0. Default 3. */
  spread?: number;
  /** Standard deviation σ of each coordinate around the centre, > 0. Default 1. */
  std?: number;
  /**
   * Guaranteed planted margin: every row has (u_{yᵢ} − u_c)ᵀxᵢ ≥ margin for all c ≠ yᵢ;
   * 0 < margin ≤ ρ(1 − cos(2π/k)), the planted margin of the centres. Default min(0.5, that bound).
   */
  margin?: number;
}

/** A generated multiclass set with its planted separator. */
export interface PlantedMulticlassDataset extends MulticlassDataset {
  /** The planted k×d matrix U (row-major, the layout of `linearMulticlass` θ) whose rows u_c are unit centres. */
  readonly planted: Float64Array;
}

const FN = 'datasets.blobs';
const KEYS = ['n', 'k', 'd', 'seed', 'spread', 'std', 'margin'] as const;

/**
 * k Gaussian blobs around centres on a circle, separable by a linear multiclass predictor without bias
 * (θ = W, class scores Wx) with a guaranteed margin.
 *
 * Construction: u_c = (cos 2πc/k, sin 2πc/k, 0, …, 0) for c = 0 … k − 1. Rows are grouped by class
 * (class 0 first); row i of class yᵢ is drawn as xᵢ = ρ u_{yᵢ} + σ zᵢ with zᵢ ~ N(0, I_d) and redrawn while
 * its planted margin minᵢ_{c≠yᵢ} (u_{yᵢ} − u_c)ᵀxᵢ is below `margin`. Hence W = U (rows u_c) classifies
 * every row correctly with multiclass margin ≥ margin, so the data is separable and the normalized
 * multiclass max-margin γ* (over ‖W‖_F = 1) is at least margin/√k.
 *
 * Defaults: n = 150, k = 3, d = 2, seed = 0, spread ρ = 3, std σ = 1, margin = 0.5.
 *
 * @param options - see {@link BlobsOptions}.
 * @returns a frozen {@link PlantedMulticlassDataset} `{ X, labels, n, d, k, planted }`, deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options.
 * @example
 * ```ts
 * const data = datasets.blobs({ n: 60, k: 4, seed: 1 });
 * data.labels; // 15 rows of each class 0, 1, 2, 3
 * ```
 */
export function blobs(options: BlobsOptions = {}): PlantedMulticlassDataset {
  const o = readOptions(FN, options, KEYS);
  const k = numberOption(FN, o, 'k', 3, { integer: true, min: 2 });
  const n = numberOption(FN, o, 'n', 150, { integer: true, min: k });
  const d = numberOption(FN, o, 'd', 2, { integer: true, min: 2 });
  const seed = seedOption(FN, o);
  const rho = numberOption(FN, o, 'spread', 3, { min: 0, exclusiveMin: true });
  const sigma = numberOption(FN, o, 'std', 1, { min: 0, exclusiveMin: true });
  const U = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    const a = (2 * Math.PI * c) / k;
    U[c * d] = Math.cos(a);
    U[c * d + 1] = Math.sin(a);
  }
  const centreMargin = rho * (1 - Math.cos((2 * Math.PI) / k));
  const margin = numberOption(FN, o, 'margin', Math.min(0.5, centreMargin), {
    min: 0,
    exclusiveMin: true,
  });
  if (margin > centreMargin) {
    throw new InvalidInputError(
      FN,
      'margin',
      `must be <= spread·(1 − cos(2π/k)) = ${centreMargin} (the planted margin of the centres), got ${margin}`,
    );
  }
  const rng = createRng(seed);
  const X = new Float64Array(n * d);
  const labels = new Int32Array(n);
  const base = Math.floor(n / k);
  const extra = n % k;
  let i = 0;
  for (let c = 0; c < k; c++) {
    const size = base + (c < extra ? 1 : 0);
    for (let r = 0; r < size; r++, i++) {
      labels[i] = c;
      const o0 = i * d;
      let m: number;
      do {
        for (let j = 0; j < d; j++) X[o0 + j] = rho * U[c * d + j]! + sigma * rng.normal();
        // Only the first two coordinates of U are nonzero.
        const sy = U[c * d]! * X[o0]! + U[c * d + 1]! * X[o0 + 1]!;
        m = Number.POSITIVE_INFINITY;
        for (let e = 0; e < k; e++) {
          if (e === c) continue;
          const v = sy - (U[e * d]! * X[o0]! + U[e * d + 1]! * X[o0 + 1]!);
          if (v < m) m = v;
        }
      } while (m < margin);
    }
  }
  return Object.freeze({ X, labels, n, d, k, planted: U });
}
