import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { InvalidInputError, SolverFailedError } from '../errors/index.js';
import { show } from '../util/validate.js';
import { norm2 } from './norm2.js';

/** Options of {@link rowSpaceBasis}. */
export interface RowSpaceBasisOptions {
  /**
   * Relative rank tolerance: singular values σ ≤ rtol·σ_max count as zero. Default
   * `max(n, d)·Number.EPSILON` (the default of NumPy's `matrix_rank` and ml-matrix's `rank`).
   */
  rtol?: number;
}

/** What {@link rowSpaceBasis} returns. */
export interface RowSpaceBasis {
  /** Q: d×r row-major, orthonormal columns spanning the row space of X (entry (j, k) at j·r + k). */
  basis: Float64Array;
  /** r, the numerical rank: the number of singular values above `tolerance`. */
  rank: number;
  /** All min(n, d) singular values of X, descending. */
  singularValues: Float64Array;
  /** The absolute cut-off rtol·σ_max that was applied. */
  tolerance: number;
}

/**
 * An orthonormal basis of the row space of X (the span of the data points xᵢ), from the SVD.
 *
 * **Math:** with the thin SVD X = U Σ Vᵀ (σ₁ ≥ σ₂ ≥ …), r = #{k : σₖ > rtol·σ₁} and Q = V[:, 1..r]
 * (d×r, QᵀQ = I_r). Every xᵢ satisfies ‖xᵢ − QQᵀxᵢ‖ ≤ σ_{r+1} ≤ rtol·σ₁, so a vector w = Σ cᵢ xᵢ in the
 * span of the data is w = Qz with z = Qᵀw ∈ ℝʳ. Uses ml-matrix's SVD (with `autoTranspose` for wide X,
 * and without the left singular vectors); cost O(n·d·min(n, d)).
 *
 * @param X - n×d data, row-major (row i is xᵢ), finite.
 * @param n - number of rows.
 * @param d - number of columns.
 * @param options - `rtol`, see {@link RowSpaceBasisOptions}.
 * @returns `{ basis, rank, singularValues, tolerance }`; rank 0 (and an empty basis) for X = 0 or n·d = 0.
 * @throws InvalidInputError (`INVALID_INPUT`) on bad dimensions, a length mismatch, non-finite entries or a
 *   bad `rtol`.
 *
 * @example
 * ```ts
 * // Two points on the line x₁ = x₂ in ℝ²: rank 1, basis ±(1, 1)/√2.
 * const { rank, basis } = rowSpaceBasis(Float64Array.of(1, 1, 2, 2), 2, 2);
 * // rank === 1, |basis[0]| ≈ |basis[1]| ≈ 0.7071
 * ```
 *
 * Reference: Golub & Van Loan, *Matrix Computations* (4th ed.), §2.4 (SVD, numerical rank) and §5.4.
 */
export function rowSpaceBasis(
  X: ArrayLike<number>,
  n: number,
  d: number,
  options: RowSpaceBasisOptions = {},
): RowSpaceBasis {
  const fn = 'rowSpaceBasis';
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidInputError(fn, 'n', `must be an integer >= 0, got ${show(n)}`);
  if (!Number.isInteger(d) || d < 0)
    throw new InvalidInputError(fn, 'd', `must be an integer >= 0, got ${show(d)}`);
  if (X.length !== n * d)
    throw new InvalidInputError(fn, 'X', `must have length n·d = ${n * d}, got ${X.length}`);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i]))
      throw new InvalidInputError(fn, `X[${i}]`, `must be finite, got ${show(X[i])}`);
  }
  const rtol = options.rtol ?? Math.max(n, d) * Number.EPSILON;
  if (typeof rtol !== 'number' || !Number.isFinite(rtol) || rtol < 0) {
    throw new InvalidInputError(fn, 'options.rtol', `must be a finite number >= 0, got ${show(rtol)}`);
  }
  const k = Math.min(n, d);
  if (k === 0)
    return { basis: new Float64Array(0), rank: 0, singularValues: new Float64Array(0), tolerance: 0 };

  // Reduce to a k×k triangle first (Householder QR, O(n·d·k)), then SVD only that triangle: the singular
  // values and right singular vectors are those of X, and ml-matrix's SVD on the full n×d matrix is
  // ~50× slower at n = 1000, d = 10.
  let V: number[][]; // d × k, columns = right singular vectors of X
  let sv: number[];
  if (n >= d) {
    // Columns of X as contiguous vectors: C[j·n + i] = X[i, j].
    const C = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) C[j * n + i] = X[i * d + j];
    const R = householderColumns(C, d, n).R; // X = Q R, R d×d
    const svd = new SingularValueDecomposition(new Matrix(R), {
      computeLeftSingularVectors: false,
      computeRightSingularVectors: true,
    });
    V = svd.rightSingularVectors.to2DArray();
    sv = svd.diagonal;
  } else {
    // Xᵀ = Q₂R₂ (Q₂ d×n); the columns of Xᵀ are the rows of X, already contiguous. With R₂ = U Σ Wᵀ,
    // X = R₂ᵀQ₂ᵀ = W Σ (Q₂U)ᵀ, so the right singular vectors of X are Q₂U.
    const C = Float64Array.from(X);
    const { R, Q } = householderColumns(C, n, d, true);
    const svd = new SingularValueDecomposition(new Matrix(R), {
      computeLeftSingularVectors: true,
      computeRightSingularVectors: false,
    });
    const U = svd.leftSingularVectors.to2DArray();
    sv = svd.diagonal;
    // V = Q₂U (d×k), accumulated with Q₂'s columns walked sequentially.
    const Vf = new Float64Array(d * k);
    for (let p = 0; p < k; p++) {
      const Up = U[p]!;
      const op = p * d;
      for (let j = 0; j < d; j++) {
        const q = Q![op + j]!;
        const oj = j * k;
        for (let c = 0; c < k; c++) Vf[oj + c]! += q * Up[c]!;
      }
    }
    V = [];
    for (let j = 0; j < d; j++) V.push(Array.from(Vf.subarray(j * k, j * k + k)));
  }
  if (!sv.slice(0, k).every(Number.isFinite)) {
    throw new SolverFailedError(`${fn}: the SVD returned non-finite singular values (n = ${n}, d = ${d})`);
  }
  const singularValues = new Float64Array(k);
  for (let i = 0; i < k; i++) singularValues[i] = sv[i];
  const tolerance = rtol * singularValues[0];
  let rank = 0;
  while (rank < k && singularValues[rank] > tolerance) rank++;
  const basis = new Float64Array(d * rank);
  for (let j = 0; j < d; j++) {
    for (let c = 0; c < rank; c++) basis[j * rank + c] = V[j]![c]!;
  }
  return { basis, rank, singularValues, tolerance };
}

/**
 * Householder QR of an m×k matrix A (m ≥ k) given by its k columns, stored contiguously in C
 * (column c at C[c·m … c·m + m − 1]; overwritten). Returns R (k×k, as rows) and, when `wantQ`, the thin
 * Q (m×k) with its columns contiguous (Q[c·m + i] = Q_ic).
 */
function householderColumns(
  C: Float64Array,
  k: number,
  m: number,
  wantQ = false,
): { R: number[][]; Q?: Float64Array } {
  const R: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const vnorms = new Float64Array(k); // ‖v_c‖² of each reflector, 0 when H_c = I
  for (let c = 0; c < k; c++) {
    const off = c * m;
    const norm = norm2(C.subarray(off + c, off + m));
    if (norm === 0) continue;
    const alpha = C[off + c]! > 0 ? -norm : norm;
    // v = (a − αe_c)/‖a‖, stored in place of a[c..m); H = I − 2vvᵀ/‖v‖² maps a to αe_c. Dividing by ‖a‖
    // keeps ‖v‖² in [2, 4]: unscaled, it underflows to 0 for tiny columns (e.g. subnormal entries).
    for (let i = c; i < m; i++) C[off + i]! /= norm;
    C[off + c]! -= alpha / norm;
    let vv = 0;
    for (let i = c; i < m; i++) vv += C[off + i]! * C[off + i]!;
    vnorms[c] = vv;
    for (let j = c + 1; j < k; j++) {
      const oj = j * m;
      let t = 0;
      for (let i = c; i < m; i++) t += C[off + i]! * C[oj + i]!;
      t = (2 * t) / vv;
      for (let i = c; i < m; i++) C[oj + i]! -= t * C[off + i]!;
    }
    R[c]![c] = alpha;
  }
  for (let c = 0; c < k; c++) {
    if (vnorms[c] === 0) R[c]![c] = C[c * m + c]!;
    for (let j = c + 1; j < k; j++) R[c]![j] = C[j * m + c]!;
  }
  if (!wantQ) return { R };
  // Q = H₀H₁⋯H_{k−1}[I; 0], accumulated backwards on the k unit columns.
  const Q = new Float64Array(k * m);
  for (let c = 0; c < k; c++) Q[c * m + c] = 1;
  for (let h = k - 1; h >= 0; h--) {
    const vv = vnorms[h]!;
    if (vv === 0) continue;
    const off = h * m;
    for (let j = 0; j < k; j++) {
      const oj = j * m;
      let t = 0;
      for (let i = h; i < m; i++) t += C[off + i]! * Q[oj + i]!;
      if (t === 0) continue;
      t = (2 * t) / vv;
      for (let i = h; i < m; i++) Q[oj + i]! -= t * C[off + i]!;
    }
  }
  return { R, Q };
}
