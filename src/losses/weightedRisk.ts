import { InvalidInputError } from '../errors/index.js';
import { show, toFiniteVector } from '../util/validate.js';
import type { MarginLoss } from './types.js';

/**
 * Validates importance weights: a vector of length n, finite, ≥ 0, not all zero. Returns a copy.
 * A zero weight is allowed and drops that point from the objective exactly.
 */
export function checkWeights(fn: string, weights: unknown, n: number): Float64Array {
  const w = toFiniteVector(fn, 'weights', weights, n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (w[i]! < 0) throw new InvalidInputError(fn, `weights[${i}]`, `must be >= 0, got ${show(w[i])}`);
    if (w[i]! > 0) any = true;
  }
  if (!any) throw new InvalidInputError(fn, 'weights', 'must not be all zero');
  return w;
}

/** Validated margins and weights (default all 1) for the risk functions. */
function riskInputs(
  fn: string,
  margins: ArrayLike<number>,
  weights?: ArrayLike<number>,
): [Float64Array, Float64Array] {
  const u = toFiniteVector(fn, 'margins', margins);
  if (u.length === 0) throw new InvalidInputError(fn, 'margins', 'must not be empty');
  const w = weights === undefined ? new Float64Array(u.length).fill(1) : checkWeights(fn, weights, u.length);
  return [u, w];
}

/**
 * The weighted empirical risk of the paper, L = (1/n) Σᵢ wᵢ ℓ(uᵢ), from the margins uᵢ = yᵢ f(θ, xᵢ).
 * Terms with wᵢ = 0 are dropped exactly (even where ℓ(uᵢ) would overflow).
 *
 * @param loss - `exponential` or `logistic`
 * @param margins - the margins uᵢ (finite)
 * @param weights - wᵢ ≥ 0, not all zero (default all 1)
 * @example
 * weightedRisk(exponential, [0, 0], [1, 3]); // (1·1 + 3·1)/2 = 2
 */
export function weightedRisk(
  loss: MarginLoss,
  margins: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  const [u, w] = riskInputs('weightedRisk', margins, weights);
  const n = u.length;
  let s = 0;
  for (let i = 0; i < n; i++) if (w[i]! !== 0) s += w[i]! * loss.value(u[i]!);
  return s / n;
}

/**
 * log of the weighted risk, log((1/n) Σᵢ wᵢ ℓ(uᵢ)), by log-sum-exp over log wᵢ + log ℓ(uᵢ): finite even
 * when every ℓ(uᵢ) underflows (margins in the thousands, as in very long runs).
 */
export function logWeightedRisk(
  loss: MarginLoss,
  margins: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  const [u, w] = riskInputs('logWeightedRisk', margins, weights);
  const n = u.length;
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (w[i]! === 0) continue;
    const a = Math.log(w[i]!) + loss.logValue(u[i]!);
    if (a > m) m = a;
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (w[i]! === 0) continue;
    s += Math.exp(Math.log(w[i]!) + loss.logValue(u[i]!) - m);
  }
  return m + Math.log(s) - Math.log(n);
}
