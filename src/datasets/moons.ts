import { createRng } from '../rng/createRng.js';
import type { Rng } from '../rng/types.js';
import { readOptions } from '../util/validate.js';
import { booleanOption, classSizes, numberOption, seedOption } from './internal.js';
import type { Dataset } from './types.js';

/** Options of {@link moons} (all optional). */
export interface MoonsOptions {
  /** Number of points, an integer ≥ 2 (⌊n/2⌋ on the outer moon with y = −1, the rest on the inner with y = +1). Default 200. */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate, ≥ 0. Default 0.1. */
  noise?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
  /** Subtract the centroid (0.5, 0.25) of the noise-free moons, so the set is point-symmetric about the origin. Default true. */
  center?: boolean;
  /** Append a constant third coordinate 1 (d = 3), so a bias-free model gets a first-layer bias. Default false. */
  appendOne?: boolean;
}

/** The option names of {@link moons} (internal; extended by unbalancedMoons). */
export const MOONS_KEYS = ['n', 'noise', 'seed', 'center', 'appendOne'] as const;

/** Parsed moons options (shared with unbalancedMoons). */
export interface MoonsConfig {
  n: number;
  noise: number;
  seed: number;
  center: boolean;
  appendOne: boolean;
}

/** Validates the moons options in `o` for the function `fn`. */
export function moonsConfig(fn: string, o: Record<string, unknown>): MoonsConfig {
  return {
    n: numberOption(fn, o, 'n', 200, { integer: true, min: 2 }),
    noise: numberOption(fn, o, 'noise', 0.1, { min: 0 }),
    seed: seedOption(fn, o),
    center: booleanOption(fn, o, 'center', true),
    appendOne: booleanOption(fn, o, 'appendOne', false),
  };
}

/** Draws the moons of `c` from `rng` (which must be fresh from `c.seed` for the documented stream). */
export function drawMoons(c: MoonsConfig, rng: Rng): Dataset {
  const { n, noise, center, appendOne } = c;
  const d = appendOne ? 3 : 2;
  const { nNeg, nPos } = classSizes(n);
  const cx = center ? 0.5 : 0;
  const cy = center ? 0.25 : 0;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const outer = i < nNeg;
    const k = outer ? i : i - nNeg;
    const m = outer ? nNeg : nPos;
    // linspace(0, π, m), as in scikit-learn's make_moons.
    const t = m === 1 ? 0 : (Math.PI * k) / (m - 1);
    const c0 = Math.cos(t);
    const s0 = Math.sin(t);
    // Outer: (cos t, sin t); inner: (1 − cos t, 0.5 − sin t); both minus (cx, cy). Written so that with
    // centring the inner point is exactly the negated outer point.
    const px = outer ? c0 - cx : 1 - cx - c0;
    const py = outer ? s0 - cy : 0.5 - cy - s0;
    y[i] = outer ? -1 : 1;
    X[i * d] = px + noise * rng.normal();
    X[i * d + 1] = py + noise * rng.normal();
    if (appendOne) X[i * d + 2] = 1;
  }
  return Object.freeze({ X, y, n, d });
}

/**
 * Figure 1c of Xu, Ye & Ruan (ICLR 2021): two interleaved half circles ("moons"), balanced, as scikit-learn's
 * `make_moons(n, shuffle=False, noise)` with labels −1/+1 and centred at the origin.
 *
 * Construction: with n₋ = ⌊n/2⌋, n₊ = n − n₋ and t_k = linspace(0, π, m)_k, rows 0 … n₋ − 1 are the outer
 * moon (cos t_k, sin t_k) with y = −1 (scikit-learn's class 0, drawn blue), rows n₋ … n − 1 the inner moon
 * (1 − cos t_k, 0.5 − sin t_k) with y = +1 (class 1, orange). With `center` (default) the centroid
 * (0.5, 0.25) of the noise-free set is subtracted: the noise-free set is then point-symmetric about the
 * origin (inner point k = −outer point k when n is even), the natural position for bias-free models.
 * Then N(0, noise²) is added to each coordinate, row by row (x before y).
 *
 * Note on bias-free models: a bias-free ReLU MLP f(θ, x) is positively homogeneous in x
 * (f(θ, cx) = c f(θ, x) for c > 0), so its decision regions are cones from the origin and it cannot
 * separate 2-D moons wherever it is placed (rays from the origin meet both moons). Use `appendOne: true`
 * (d = 3, last coordinate 1) to give such a network a first-layer bias while f stays homogeneous in θ.
 *
 * Defaults: n = 200, noise = 0.1, seed = 0, center = true, appendOne = false (d = 2).
 *
 * @param options - see {@link MoonsOptions}.
 * @returns a frozen {@link Dataset}, deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options.
 * @example
 * ```ts
 * const data = datasets.moons({ n: 100, noise: 0.05, seed: 7 });
 * data.d; // 2
 * ```
 */
export function moons(options: MoonsOptions = {}): Dataset {
  const fn = 'datasets.moons';
  const c = moonsConfig(fn, readOptions(fn, options, MOONS_KEYS));
  return drawMoons(c, createRng(c.seed));
}
