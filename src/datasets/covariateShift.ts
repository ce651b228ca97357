import { InvalidInputError } from '../errors/index.js';
import { createRng, RNG_STREAMS } from '../rng/createRng.js';
import { readOptions, show, toFiniteVector } from '../util/validate.js';
import { gaussianLogOnePlusChi2 } from './gaussianChi2.js';
import { numberOption, seedOption, unitDirection } from './internal.js';
import type { Dataset } from './types.js';

/** Options of {@link covariateShift} (all optional). */
export interface CovariateShiftOptions {
  /** Number of training points (drawn from the source), an integer ≥ 2. Default 200. */
  n?: number;
  /** Number of test points (drawn from the target), an integer ≥ 1. Default n. */
  nTest?: number;
  /** Dimension, an integer ≥ 1. Default 2. */
  d?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
  /** μ_s, the source mean (length d, finite). Default the origin. */
  sourceMean?: ArrayLike<number>;
  /** μ_t, the target mean (length d, finite). Default (1, 0, …, 0). */
  targetMean?: ArrayLike<number>;
  /** σ_s > 0, the source standard deviation of every coordinate. Default 1. */
  std?: number;
  /** σ_t > 0, the target standard deviation of every coordinate. Default σ_s (a pure mean shift). */
  targetStd?: number;
  /** The labelling direction u (length d, non-zero; normalized). Default: uniformly random from the seed. */
  direction?: ArrayLike<number>;
  /** Probability ρ ∈ [0, 0.5) that a label is flipped, in train and test alike. Default 0. */
  labelNoise?: number;
}

/**
 * {@link covariateShift}'s result: the training set (from the source), with the test set (from the
 * target), the exact density ratio and the exact χ² divergence.
 */
export interface CovariateShiftDataset extends Dataset {
  /** nTest points drawn from the target N(μ_t, σ_t² I), labelled by the same rule (and noise). */
  readonly test: Dataset;
  /** ηᵢ = p_t(xᵢ)/p_s(xᵢ) at the training points (closed form). */
  readonly eta: Float64Array;
  /** D_χ²(P_t‖P_s) = E_s[η²] − 1 in closed form (`Infinity` when 2σ_s² ≤ σ_t²). */
  readonly chi2: number;
  /** x ↦ p_t(x)/p_s(x) in closed form, for any finite x of length d (validated). */
  readonly densityRatio: (x: ArrayLike<number>) => number;
  /** μ_s (a copy). */
  readonly sourceMean: Float64Array;
  /** μ_t (a copy). */
  readonly targetMean: Float64Array;
  /** σ_s. */
  readonly sourceStd: number;
  /** σ_t. */
  readonly targetStd: number;
  /** The unit labelling direction u: y = sign(uᵀx) (+1 on the hyperplane) before label noise. */
  readonly direction: Float64Array;
}

const FN = 'datasets.covariateShift';
const KEYS = [
  'n',
  'nTest',
  'd',
  'seed',
  'sourceMean',
  'targetMean',
  'std',
  'targetStd',
  'direction',
  'labelNoise',
] as const;

/**
 * Binary classification under covariate shift with a known density ratio: training inputs from a Gaussian
 * source, test inputs from a shifted Gaussian target, and the same labelling rule on both (so p(y | x) is
 * unchanged — the covariate-shift assumption of Section 4.2 of Xu, Ye & Ruan, 2021). Made for
 * {@link theorem1Bound} and the density-ratio weights `densityRatioWeights`.
 *
 * Construction: P_s = N(μ_s, σ_s² I_d), P_t = N(μ_t, σ_t² I_d). From `createRng(seed, RNG_STREAMS.data)`:
 * u (unless `direction` is given, as in `datasets.separable`), then the n training rows
 * xᵢ = μ_s + σ_s zᵢ, then the nTest test rows μ_t + σ_t zⱼ (zs standard normal, row by row), then — only
 * when ρ = `labelNoise` > 0 — one uniform per training then per test point, flipping the label when it is
 * below ρ. Labels are y = sign(uᵀx), with +1 when uᵀx = 0. Rows are in draw order (not sorted by label).
 * Without noise the training set is separable through the origin (by u), typically with a small margin.
 *
 * Closed forms (see docs/weights.md for the derivation):
 * - η(x) = p_t(x)/p_s(x) = (σ_s/σ_t)^d · exp(‖x − μ_s‖²/(2σ_s²) − ‖x − μ_t‖²/(2σ_t²)); with σ_s = σ_t = σ
 *   this is exp((μ_t − μ_s)ᵀx/σ² − (‖μ_t‖² − ‖μ_s‖²)/(2σ²)). E_s[η] = 1.
 * - χ² = E_s[η²] − 1 = (σ_s²/(σ_t√D))^d · exp(‖μ_t − μ_s‖²/D) − 1, D = 2σ_s² − σ_t² (∞ if D ≤ 0); equal
 *   spreads: exp(‖μ_t − μ_s‖²/σ²) − 1. Same as `gaussianChi2Divergence`.
 *
 * Defaults: n = 200, nTest = n, d = 2, seed = 0, μ_s = 0, μ_t = (1, 0, …, 0), σ_s = σ_t = 1, random u,
 * labelNoise = 0; so χ² = e − 1 ≈ 1.718.
 *
 * @param options - see {@link CovariateShiftOptions}.
 * @returns a frozen {@link CovariateShiftDataset} `{ X, y, n, d, test, eta, chi2, densityRatio, … }`,
 *   deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options (means of the wrong length or
 *   non-finite, std ≤ 0, labelNoise ∉ [0, 0.5), a zero direction); `densityRatio` throws it for an x of
 *   the wrong length or with non-finite entries.
 * @example
 * ```ts
 * import { datasets } from 'implicit-bias';
 * const shift = datasets.covariateShift({ n: 500, seed: 1 });
 * shift.chi2; // e − 1 ≈ 1.718 (exact)
 * shift.densityRatio([0, 0]); // exp(−1/2) ≈ 0.607
 * shift.test.n; // 500, drawn from N((1, 0), I)
 * ```
 */
export function covariateShift(options: CovariateShiftOptions = {}): CovariateShiftDataset {
  const o = readOptions(FN, options, KEYS);
  const n = numberOption(FN, o, 'n', 200, { integer: true, min: 2 });
  const nTest = numberOption(FN, o, 'nTest', n, { integer: true, min: 1 });
  const d = numberOption(FN, o, 'd', 2, { integer: true, min: 1 });
  const seed = seedOption(FN, o);
  const ms =
    o.sourceMean === undefined ? new Float64Array(d) : toFiniteVector(FN, 'sourceMean', o.sourceMean, d);
  let mt: Float64Array;
  if (o.targetMean === undefined) {
    mt = new Float64Array(d);
    mt[0] = 1;
  } else {
    mt = toFiniteVector(FN, 'targetMean', o.targetMean, d);
  }
  const ss = numberOption(FN, o, 'std', 1, { min: 0, exclusiveMin: true });
  const st = numberOption(FN, o, 'targetStd', ss, { min: 0, exclusiveMin: true });
  const rho = numberOption(FN, o, 'labelNoise', 0, { min: 0, max: 0.5, exclusiveMax: true });

  const rng = createRng(seed, RNG_STREAMS.data);
  const u = unitDirection(FN, o, d, rng);
  const draw = (m: number, mean: Float64Array, std: number): { X: Float64Array; y: Float64Array } => {
    const X = new Float64Array(m * d);
    const y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const v = mean[k]! + std * rng.normal();
        X[i * d + k] = v;
        s += u[k]! * v;
      }
      y[i] = s >= 0 ? 1 : -1;
    }
    return { X, y };
  };
  const train = draw(n, ms, ss);
  const test = draw(nTest, mt, st);
  if (rho > 0) {
    for (const part of [train, test]) {
      for (let i = 0; i < part.y.length; i++) if (rng.uniform() < rho) part.y[i] = -part.y[i]!;
    }
  }

  // Private copies: the returned means may be mutated by the caller without changing the ratio.
  const msC = ms.slice();
  const mtC = mt.slice();
  const logScale = ss === st ? 0 : d * (Math.log(ss) - Math.log(st));
  const ratioAt = (x: ArrayLike<number>, off: number): number => {
    let a = 0;
    let b = 0;
    for (let k = 0; k < d; k++) {
      a += (x[off + k]! - msC[k]!) ** 2;
      b += (x[off + k]! - mtC[k]!) ** 2;
    }
    return Math.exp(logScale + a / (2 * ss * ss) - b / (2 * st * st));
  };
  const densityRatio = (x: ArrayLike<number>): number => {
    const v = toFiniteVector(`${FN} densityRatio`, 'x', x);
    if (v.length !== d) {
      throw new InvalidInputError(`${FN} densityRatio`, 'x', `must have length d = ${d}, got ${show(x)}`);
    }
    return ratioAt(v, 0);
  };
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) eta[i] = ratioAt(train.X, i * d);

  return Object.freeze({
    X: train.X,
    y: train.y,
    n,
    d,
    test: Object.freeze({ X: test.X, y: test.y, n: nTest, d }),
    eta,
    chi2: gaussianLogOnePlusChi2(ms, mt, ss, st, Math.expm1),
    densityRatio,
    sourceMean: ms,
    targetMean: mt,
    sourceStd: ss,
    targetStd: st,
    direction: u,
  });
}
