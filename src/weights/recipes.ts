/**
 * Weight recipes of the paper's experiments and of the CLI's `train` configs, built on the public weight
 * schemes: mean-one scaling in place, weights matching the SVM dual p⋆, and the clamped inverse-margin
 * oracle. Not part of the public API (not re-exported from `weights/index.ts`); `src/experiments` and
 * `src/cli` import them from here.
 * @internal
 * @packageDocumentation
 */
import type { Dataset } from '../datasets/types.js';
import { inverseMarginWeights } from './inverseMarginWeights.js';

/**
 * Scales non-negative weights in place to mean 1 (Σ wᵢ = n), so a weighting changes the shape of the
 * objective, not the step size: wᵢ ← wᵢ · n/Σⱼ wⱼ. Unlike `normalizeWeights(w, 'mean')` it does not
 * validate, copy or pre-scale by the largest entry (the experiments' weights are moderate).
 *
 * @param w - finite weights ≥ 0 with a positive sum; overwritten.
 * @returns `w`.
 * @internal
 */
export function meanOne(w: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]!;
  const f = w.length / s;
  for (let i = 0; i < w.length; i++) w[i]! *= f;
  return w;
}

/**
 * Weights matching the SVM dual p⋆ (the KL(p⋆‖w̄) term of Proposition 1 is then as small as the bound M
 * allows): wᵢ = n·p⋆ᵢ clamped to [1/M, M], then scaled to mean 1 by {@link meanOne}.
 *
 * @param dual - p⋆ (length n), e.g. `hardMarginSVM(data).dual`.
 * @param M - the clamp bound (≥ 1).
 * @returns a new `Float64Array` of n weights with mean 1.
 * @internal
 */
export function dualWeights(dual: ArrayLike<number>, M: number): Float64Array {
  const n = dual.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = Math.max(1 / M, Math.min(M, n * dual[i]!));
  return meanOne(w);
}

/**
 * The paper's inverse-margin weighting wᵢ ∝ 1/(yᵢθ⋆ᵀxᵢ) (the public `inverseMarginWeights` with
 * `theta: thetaStar`), divided by its largest entry, clamped to [1/M, M] and scaled to mean 1 by
 * {@link meanOne}. The clamp is inactive unless some margin exceeds M·γ⋆. Used by the CLI's
 * `weights: "inverseMargin"`.
 *
 * @param data - the training set.
 * @param thetaStar - the max-margin direction θ⋆ (e.g. `hardMarginSVM(data).theta`).
 * @param M - the clamp bound (default 100).
 * @returns a new `Float64Array` of n weights with mean 1.
 * @internal
 */
export function clampedInverseMarginWeights(
  data: Dataset,
  thetaStar: ArrayLike<number>,
  M = 100,
): Float64Array {
  const w = inverseMarginWeights(data, { theta: thetaStar });
  let top = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > top) top = w[i]!;
  for (let i = 0; i < w.length; i++) w[i] = Math.max(1 / M, Math.min(M, w[i]! / top));
  return meanOne(w);
}
