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
 * The columns of X (n×d, row-major) that are not identically 0, if the matrix X_K of those columns
 * provably has full column rank under the rank rule of `rowSpaceBasis` (singular values
 * σ > max(n, d)·ε·σ₁ count), with a wide margin; otherwise null (the caller then takes the SVD path,
 * which decides the rank itself).
 *
 * **Certificate.** G = X_KᵀX_K is formed (one pass over X) and factored, G = LLᵀ. The computed L is the
 * exact Cholesky factor of X_KᵀX_K + E with ‖E‖₂ ≤ (n + d + 1)·1.01·ε·‖X_K‖_F² (rounding of the Gram
 * matrix and of the factorization, Higham, *Accuracy and Stability*, Thms 3.5 and 10.3), and
 * σ_min(L) ≥ 1/‖L⁻¹‖_F. So σ_min(X_K)² ≥ 1/‖L⁻¹‖_F² − ‖E‖₂ (Weyl), while σ₁ ≤ ‖X_K‖_F. The columns are
 * returned when that lower bound exceeds 16·max(n, d)·ε·‖X_K‖_F, with the bound on ‖E‖ doubled: then
 * every singular value is far above the cut-off and the SVD would find rank |K| as well. Costs n·|K|²/2
 * multiply-adds (the Gram matrix) and O(|K|³); fails (null) for n < |K| or a rank-deficient or badly
 * conditioned X_K (cond ≳ 1/√(n·ε·|K|)), which the SVD path handles.
 *
 * @param X - n×d, row-major, finite.
 * @returns the kept column indices (ascending), or null.
 */
export function fullRankColumns(X: Float64Array, n: number, d: number): Int32Array | null {
  const nonzero = new Uint8Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) if (X[off + j] !== 0) nonzero[j] = 1;
  }
  const keep: number[] = [];
  for (let j = 0; j < d; j++) if (nonzero[j] === 1) keep.push(j);
  const dk = keep.length;
  if (dk === 0 || n < dk) return null;
  let Xk = X;
  if (dk < d) {
    Xk = new Float64Array(n * dk);
    for (let i = 0; i < n; i++) for (let c = 0; c < dk; c++) Xk[i * dk + c] = X[i * d + keep[c]!]!;
  }
  const G = svmGram(new Float64Array(dk * dk), Xk, n, dk);
  let trace = 0;
  for (let j = 0; j < dk; j++) trace += G[j * dk + j]!;
  if (!(trace > 0 && Number.isFinite(trace))) return null;
  const { L, positiveDefinite } = cholesky(G, dk);
  if (!positiveDefinite) return null;
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
  const perturbation = 2 * (n + dk + 1) * 1.01 * Number.EPSILON * trace;
  const lower2 = 1 / inv2 - perturbation;
  const cutoff = 16 * Math.max(n, d) * Number.EPSILON * Math.sqrt(trace);
  if (!(lower2 > cutoff * cutoff)) return null;
  return Int32Array.from(keep);
}
