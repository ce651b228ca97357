/**
 * ℓ_r norms and the link map ∇(½‖·‖_r²) shared by {@link mirrorDescent} (the p-norm potential and its
 * inverse) and {@link steepestDescent} (the ℓ_p step). Not part of the public API (not re-exported). The
 * loops `normP` and `pNormLink` live in `src/kernels/optimizers.ts`; they are re-exported here.
 * @internal
 * @packageDocumentation
 */

export { normP, pNormLink } from '../../kernels/optimizers.js';

/** The dual exponent r* = r/(r − 1) of 1 < r < ∞ (1/r + 1/r* = 1). @internal */
export function dualExponent(r: number): number {
  return r / (r - 1);
}
