import { LOSS_ID } from '../kernels/marginLoss.js';
import type { MarginLoss } from './types.js';

/**
 * The exponential loss ℓ(u) = e^{−u} of the margin u = y·f(θ, x) (the paper's default).
 *
 * `value(u)` overflows to `Infinity` only where e^{−u} exceeds the float64 range (u < −709.78);
 * `logValue(u)` = −u is exact everywhere.
 *
 * @example
 * exponential.value(0);      // 1
 * exponential.derivative(0); // -1
 * exponential.logValue(1e4); // -10000 (ℓ itself underflows to 0)
 */
export const exponential: MarginLoss = Object.freeze({
  name: 'exponential' as const,
  id: LOSS_ID.exponential,
  value: (u: number): number => Math.exp(-u),
  derivative: (u: number): number => -Math.exp(-u),
  logValue: (u: number): number => -u,
});
