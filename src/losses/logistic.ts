import { LOSS_ID } from '../kernels/marginLoss.js';
import type { MarginLoss } from './types.js';

/** ℓ(u) = log(1 + e^{−u}) with the sign split, exact to a few ulps for every finite u. */
function logisticValue(u: number): number {
  return u >= 0 ? Math.log1p(Math.exp(-u)) : -u + Math.log1p(Math.exp(u));
}

/** ℓ′(u) = −1/(1 + e^{u}), written so that neither branch overflows. */
function logisticDerivative(u: number): number {
  if (u >= 0) {
    const z = Math.exp(-u);
    return -z / (1 + z);
  }
  return -1 / (1 + Math.exp(u));
}

/**
 * log ℓ(u). For u > 30, ℓ(u) = z − z²/2 + … with z = e^{−u} < 1e−13, so log ℓ(u) = −u − z/2 + O(z²):
 * this stays finite where ℓ(u) itself underflows (u > 745).
 */
function logisticLogValue(u: number): number {
  if (u > 30) return -u - 0.5 * Math.exp(-u);
  return Math.log(logisticValue(u));
}

/**
 * The logistic (log) loss ℓ(u) = log(1 + e^{−u}) of the margin u = y·f(θ, x).
 *
 * Evaluated with the sign split (log1p/exp), so it is accurate for every finite u: ℓ(−1000) = 1000,
 * ℓ(1000) ≈ 5e−435 underflows to 0 while `logValue(1000)` = −1000.
 *
 * @example
 * logistic.value(0);      // Math.LN2
 * logistic.derivative(0); // -0.5
 */
export const logistic: MarginLoss = Object.freeze({
  name: 'logistic' as const,
  id: LOSS_ID.logistic,
  value: logisticValue,
  derivative: logisticDerivative,
  logValue: logisticLogValue,
});
