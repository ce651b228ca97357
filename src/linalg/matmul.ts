import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';

function checkDim(fn: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(fn, option, `must be an integer >= 0, got ${show(value)}`);
  }
}

/**
 * Dense matrix product of row-major matrices: `out = A B`.
 *
 * **Math:** out[i, j] = Σₚ A[i, p] B[p, j] with A m×k, B k×n, out m×n, all row-major (entry (i, j) of an
 * m×n matrix at offset i·n + j). The loop order i–p–j keeps the inner loop walking rows of B and out
 * sequentially.
 *
 * @param A - m×k, row-major.
 * @param B - k×n, row-major.
 * @param m - rows of A.
 * @param k - columns of A = rows of B.
 * @param n - columns of B.
 * @param out - optional m×n output (overwritten; must not alias A or B). A new array when omitted.
 * @returns `out` (or the new array).
 * @throws InvalidInputError (`INVALID_INPUT`) when a dimension is not a non-negative integer or a length
 *   does not match.
 *
 * @example
 * ```ts
 * // [[1, 2], [3, 4]] · [[5], [6]] = [[17], [39]]
 * matmul(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6), 2, 2, 1); // Float64Array [17, 39]
 * ```
 *
 * Reference: Golub & Van Loan, *Matrix Computations* (4th ed.), §1.1.
 */
export function matmul(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  out?: Float64Array,
): Float64Array {
  checkDim('matmul', 'm', m);
  checkDim('matmul', 'k', k);
  checkDim('matmul', 'n', n);
  if (A.length !== m * k)
    throw new InvalidInputError('matmul', 'A', `must have length m·k = ${m * k}, got ${A.length}`);
  if (B.length !== k * n)
    throw new InvalidInputError('matmul', 'B', `must have length k·n = ${k * n}, got ${B.length}`);
  const C = out ?? new Float64Array(m * n);
  if (C.length !== m * n)
    throw new InvalidInputError('matmul', 'out', `must have length m·n = ${m * n}, got ${C.length}`);
  C.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}
