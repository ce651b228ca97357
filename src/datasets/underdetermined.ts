import { createRng } from '../rng/createRng.js';
import { readOptions } from '../util/validate.js';
import { numberOption, seedOption } from './internal.js';
import type { RegressionDataset } from './regression.js';

/** Options of {@link underdetermined} (all optional). */
export interface UnderdeterminedOptions {
  /** Number of points, an integer ≥ 1 and < d. Default 10. */
  n?: number;
  /** Dimension, an integer > n. Default 30 (n + 1 when n ≥ 30). */
  d?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
}

const FN = 'datasets.underdetermined';
const KEYS = ['n', 'd', 'seed'] as const;

/**
 * An under-determined least-squares problem (n < d), the setting of the slides' Proposition 1: X has
 * i.i.d. N(0, 1) entries and y i.i.d. N(0, 1) targets, drawn row by row (X's row i, then the targets) from
 * `createRng(seed)`. With probability 1, X has full row rank n, so L(w) = Σᵢ (wᵀxᵢ − yᵢ)² is realizable
 * (min L = 0) and its zero set {w : Xw = y} is an affine subspace of dimension d − n.
 *
 * Defaults: n = 10, d = 30, seed = 0.
 *
 * @param options - see {@link UnderdeterminedOptions}.
 * @returns a frozen {@link RegressionDataset}, deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options, or d ≤ n (the message names `d`).
 * @example
 * ```ts
 * const data = datasets.underdetermined({ n: 5, d: 20, seed: 1 });
 * data.X.length; // 100
 * ```
 */
export function underdetermined(options: UnderdeterminedOptions = {}): RegressionDataset {
  const o = readOptions(FN, options, KEYS);
  const n = numberOption(FN, o, 'n', 10, { integer: true, min: 1 });
  const d = numberOption(FN, o, 'd', Math.max(30, n + 1), { integer: true, min: n + 1 });
  const seed = seedOption(FN, o);
  const rng = createRng(seed);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let k = 0; k < n * d; k++) X[k] = rng.normal();
  for (let i = 0; i < n; i++) y[i] = rng.normal();
  return Object.freeze({ X, y, n, d });
}

/**
 * The slides' example for steepest descent w.r.t. the ℓ_{4/3} norm: two points in ℝ³,
 * {(x⁽¹⁾ = [1, 1, 1], y⁽¹⁾ = 1), (x⁽²⁾ = [1, 2, 0], y⁽²⁾ = 10)} (Gunasekar, Lee, Soudry & Srebro, ICML 2018,
 * "Characterizing implicit bias in terms of optimization geometry"). X has full row rank, so the
 * interpolants {w : Xw = y} form a line.
 *
 * @returns a fresh frozen {@link RegressionDataset} with n = 2, d = 3.
 * @example
 * ```ts
 * const { X, y } = datasets.slidesRegression(); // X = [1, 1, 1, 1, 2, 0], y = [1, 10]
 * ```
 */
export function slidesRegression(): RegressionDataset {
  return Object.freeze({
    X: Float64Array.of(1, 1, 1, 1, 2, 0),
    y: Float64Array.of(1, 10),
    n: 2,
    d: 3,
  });
}
