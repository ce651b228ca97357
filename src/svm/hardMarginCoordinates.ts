/**
 * The fast path of step 2 of {@link hardMarginSVM}: when the (centered) data have full column rank once
 * their exactly-zero columns are dropped, those columns already are an orthonormal basis of the row
 * space, and the QP can be solved on the data as they are — no SVD and no change of basis. Internal to
 * src/svm.
 * @internal
 * @packageDocumentation
 */
import { svmGram } from '../kernels/svm.js';
import { cholesky } from '../linalg/cholesky.js';

/**
 * A lower bound on σ_min(A)² for A = `rows` × dk, row-major, from the Cholesky factor of AᵀA, or 0 when
 * the factorization fails. The computed factor L is the exact Cholesky factor of AᵀA + E with
 * ‖E‖₂ ≤ (rows + dk + 1)·1.01·ε·‖A‖_F² (rounding of the Gram matrix and of the factorization; Higham,
 * *Accuracy and Stability of Numerical Algorithms*, Thms 3.5 and 10.3), and σ_min(L) ≥ 1/‖L⁻¹‖_F; so
 * σ_min(A)² ≥ 1/‖L⁻¹‖_F² − ‖E‖₂ (Weyl). The bound on ‖E‖ is doubled for the rounding of L⁻¹ itself.
 */
function sigmaMinSquaredBound(A: Float64Array, rows: number, dk: number): number {
  const G = svmGram(new Float64Array(dk * dk), A, rows, dk);
  let trace = 0;
  for (let j = 0; j < dk; j++) trace += G[j * dk + j]!;
  if (!(trace > 0 && Number.isFinite(trace))) return 0;
  const { L, positiveDefinite } = cholesky(G, dk);
  if (!positiveDefinite) return 0;
  // ‖L⁻¹‖_F²: L⁻¹ column by column (forward substitution on the unit vectors).
  const col = new Float64Array(dk);
  let inv2 = 0;
  for (let c = 0; c < dk; c++) {
    col.fill(0);
    for (let i = c; i < dk; i++) {
      let s = i === c ? 1 : 0;
      const oi = i * dk;
      for (let j = c; j < i; j++) s -= L[oi + j]! * col[j]!;
      const v = s / L[oi + i]!;
      col[i] = v;
      inv2 += v * v;
    }
  }
  return Math.max(0, 1 / inv2 - 2 * (rows + dk + 1) * 1.01 * Number.EPSILON * trace);
}

/**
 * The columns of X (n×d, row-major) that are not identically 0, if the matrix X_K of those columns
 * provably has full column rank under the rank rule of `rowSpaceBasis` (singular values
 * σ > max(n, d)·ε·σ₁ count), with a wide margin; otherwise null (the caller then takes the SVD path,
 * which decides the rank itself).
 *
 * **Certificate.** Adding rows only raises singular values (AᵀA ⪯ XᵀX for any subset A of the rows), so
 * σ_min(X_K) ≥ σ_min(A) for A = 2|K| + 8 rows of X_K taken at a fixed stride, bounded below by
 * {@link sigmaMinSquaredBound}; σ₁ ≤ ‖X_K‖_F. The columns are returned when that bound exceeds
 * 16·max(n, d)·ε·‖X_K‖_F: then every singular value is far above the cut-off and the SVD would find rank
 * |K| as well. If the strided rows do not prove it, all n rows are tried. Costs min(n, 2|K| + 8)·|K|²/2
 * multiply-adds (n·|K|²/2 more when the first try fails) and O(|K|³); null for n < |K| or a
 * rank-deficient or badly conditioned X_K (cond ≳ 1/√(n·ε·|K|)), which the SVD path handles.
 *
 * @param X - n×d, row-major, finite.
 * @returns the kept column indices (ascending), or null.
 */
export function fullRankColumns(X: Float64Array, n: number, d: number): Int32Array | null {
  const nonzero = new Uint8Array(d);
  let fro2 = 0;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = X[off + j]!;
      if (v !== 0) nonzero[j] = 1;
      fro2 += v * v;
    }
  }
  const keep: number[] = [];
  for (let j = 0; j < d; j++) if (nonzero[j] === 1) keep.push(j);
  const dk = keep.length;
  if (dk === 0 || n < dk || !Number.isFinite(fro2)) return null;
  const cutoff = 16 * Math.max(n, d) * Number.EPSILON * Math.sqrt(fro2);
  const sample = Math.min(n, 2 * dk + 8);
  for (const rows of sample < n ? [sample, n] : [n]) {
    // Rows i = ⌊t·n/rows⌋, t < rows, of the kept columns.
    const A = new Float64Array(rows * dk);
    for (let t = 0; t < rows; t++) {
      const off = Math.floor((t * n) / rows) * d;
      for (let c = 0; c < dk; c++) A[t * dk + c] = X[off + keep[c]!]!;
    }
    if (sigmaMinSquaredBound(A, rows, dk) > cutoff * cutoff) return Int32Array.from(keep);
  }
  return null;
}
