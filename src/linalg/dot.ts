import { InvalidInputError } from '../errors/index.js';
import { dot as dotKernel } from '../kernels/vector.js';

/**
 * The dot product of two equal-length vectors.
 *
 * **Math:** aᵀb = Σᵢ aᵢ bᵢ, summed with four independent accumulators (unrolled by 4; the summation
 * order is fixed, so the result is bit-reproducible). It checks the lengths and calls the unchecked kernel
 * `dot` of `src/kernels/vector.ts`, so both give the same bits.
 *
 * @param a - first vector (any array-like of numbers).
 * @param b - second vector, same length as `a`.
 * @returns Σᵢ aᵢ bᵢ (0 for empty vectors).
 * @throws InvalidInputError (`INVALID_INPUT`) when the lengths differ.
 *
 * @example
 * ```ts
 * dot(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)); // 32
 * ```
 *
 * Reference: BLAS `ddot` (Lawson, Hanson, Kincaid & Krogh 1979).
 */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) {
    throw new InvalidInputError('dot', 'b', `must have the length of a (${n}), got length ${b.length}`);
  }
  return dotKernel(a, b, n);
}
