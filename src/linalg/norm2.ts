import { norm2 as norm2Kernel } from '../kernels/vector.js';
/**
 * The Euclidean norm of a vector, safe from overflow and underflow.
 *
 * **Math:** ‖a‖₂ = √(Σᵢ aᵢ²). The plain sum of squares is used when it lies in (1e−280, ∞) (squares
 * that underflowed then contribute < 1e−28 relative); otherwise the vector is rescaled by max |aᵢ| first
 * (as LAPACK `dnrm2` does), so entries near 1e±200 give the right answer instead of Infinity or 0. NaN in,
 * NaN out. The same bits as the unchecked kernel `norm2` of `src/kernels/vector.ts`, which it calls.
 *
 * @param a - the vector (any array-like of numbers).
 * @returns ‖a‖₂ (0 for an empty vector).
 *
 * @example
 * ```ts
 * norm2(Float64Array.of(3, 4)); // 5
 * norm2(Float64Array.of(3e200, 4e200)); // 5e200 (the naive sum of squares overflows)
 * ```
 *
 * Reference: Anderson, "Algorithm 978: Safe scaling in the Level 1 BLAS", ACM TOMS 44 (2017).
 */
export function norm2(a: ArrayLike<number>): number {
  return norm2Kernel(a, a.length);
}
