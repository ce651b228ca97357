import { createRng } from '../rng/createRng.js';
import { readOptions } from '../util/validate.js';
import { classSizes, numberOption, seedOption, unitDirection } from './internal.js';
import type { Dataset } from './types.js';

/** Options of {@link separable} (all optional). */
export interface SeparableOptions {
  /** Number of points, an integer ≥ 2 (⌊n/2⌋ labelled −1, the rest +1). Default 100. */
  n?: number;
  /** Dimension, an integer ≥ 1. Default 2. */
  d?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
  /** Distance μ of each blob centre ±μu from the origin, > 0. Default 2. */
  distance?: number;
  /** Standard deviation σ of each coordinate around the centre, > 0. Default 1. */
  std?: number;
  /** Guaranteed gap: every point has yᵢ uᵀxᵢ ≥ margin; 0 < margin ≤ distance. Default min(0.5, distance). */
  margin?: number;
  /** The planted direction u (length d, non-zero; normalized). Default: uniformly random from the seed. */
  direction?: ArrayLike<number>;
}

/** A generated dataset with a planted unit direction `planted` (u in the construction). */
export interface PlantedDataset extends Dataset {
  /** The unit vector u of the construction (‖u‖₂ = 1). */
  readonly planted: Float64Array;
}

const FN = 'datasets.separable';
const KEYS = ['n', 'd', 'seed', 'distance', 'std', 'margin', 'direction'] as const;

/**
 * Figure 1a of Xu, Ye & Ruan (ICLR 2021): two Gaussian blobs that a hyperplane **through the origin**
 * separates with a guaranteed margin (the paper's linear model θᵀx has no bias).
 *
 * Construction: u is a unit direction (uniformly random from the seed unless `direction` is given). Rows
 * 0 … ⌊n/2⌋ − 1 have y = −1, the rest y = +1; each row is drawn as xᵢ = yᵢ μ u + σ zᵢ with zᵢ ~ N(0, I_d)
 * and redrawn while yᵢ uᵀxᵢ < margin (rejection; since margin ≤ μ at least half the draws are accepted).
 * Hence yᵢ uᵀxᵢ ≥ margin > 0 for every i: the data is separable through the origin, and the max-margin
 * γ* of the unit-norm linear predictor is at least `margin`.
 *
 * Defaults: n = 100, d = 2, seed = 0, distance μ = 2, std σ = 1, margin = 0.5.
 *
 * @param options - see {@link SeparableOptions}.
 * @returns a frozen {@link PlantedDataset} `{ X, y, n, d, planted }`, deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options.
 * @example
 * ```ts
 * const data = datasets.separable({ n: 50, seed: 1 });
 * // every i: data.y[i] * (data.planted · row i) >= 0.5
 * ```
 */
export function separable(options: SeparableOptions = {}): PlantedDataset {
  const o = readOptions(FN, options, KEYS);
  const n = numberOption(FN, o, 'n', 100, { integer: true, min: 2 });
  const d = numberOption(FN, o, 'd', 2, { integer: true, min: 1 });
  const seed = seedOption(FN, o);
  const mu = numberOption(FN, o, 'distance', 2, { min: 0, exclusiveMin: true });
  const sigma = numberOption(FN, o, 'std', 1, { min: 0, exclusiveMin: true });
  const margin = numberOption(FN, o, 'margin', Math.min(0.5, mu), { min: 0, exclusiveMin: true, max: mu });
  const rng = createRng(seed);
  const u = unitDirection(FN, o, d, rng);
  const { nNeg } = classSizes(n);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yi = i < nNeg ? -1 : 1;
    y[i] = yi;
    const base = i * d;
    let s: number;
    do {
      s = 0;
      for (let k = 0; k < d; k++) {
        const v = yi * mu * u[k]! + sigma * rng.normal();
        X[base + k] = v;
        s += u[k]! * v;
      }
      s *= yi;
    } while (s < margin);
  }
  return Object.freeze({ X, y, n, d, planted: u });
}
