import type { LossId } from '../kernels/marginLoss.js';

/**
 * A margin loss ℓ(u) of the margin u = y·f(θ, x), with the exponential tail of condition C1 of the paper.
 * `id` selects the specialised kernel; `value`/`derivative`/`logValue` are the scalar definitions (stable
 * for every finite u) that the kernels agree with.
 */
export interface MarginLoss {
  readonly name: 'exponential' | 'logistic';
  /** Kernel selector: `LOSS_ID.exponential` (0) or `LOSS_ID.logistic` (1) of src/kernels. */
  readonly id: LossId;
  /** ℓ(u). */
  value(u: number): number;
  /** ℓ′(u). */
  derivative(u: number): number;
  /** log ℓ(u), finite even where ℓ(u) underflows to 0. */
  logValue(u: number): number;
}
