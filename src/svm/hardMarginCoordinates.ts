/**
 * Step 2 of {@link hardMarginSVM} (the coordinates the QP is solved in) on its fast path: when the
 * centered data have full column rank once their identically-zero columns are dropped, those columns
 * already are an orthonormal basis of the row space, and the QP can be solved on the data as they are —
 * no SVD and no change of basis. Internal to src/svm.
 * @internal
 * @packageDocumentation
 */
import { svmGram } from '../kernels/svm.js';
import type { QPData } from './hardMarginPolish.js';

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
  // In-place Cholesky G = LLᵀ (lower triangle, row-major); a pivot that is not > 0 means "not proved".
  for (let j = 0; j < dk; j++) {
    const oj = j * dk;
    for (let i = j; i < dk; i++) {
      const oi = i * dk;
      let s = G[oi + j]!;
      for (let t = 0; t < j; t++) s -= G[oi + t]! * G[oj + t]!;
      if (i === j) {
        if (!(s > 0)) return 0;
        G[oj + j] = Math.sqrt(s);
      } else G[oi + j] = s / G[oj + j]!;
    }
  }
  const L = G;
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

/** Where the QP is solved: the data centered (with bias), in an orthonormal basis of its row space, scaled. */
export interface QPCoordinates {
  /** x̄ (zeros without bias). */
  center: Float64Array;
  /** Q, d×r: orthonormal basis of the row space of the centered data (r = the numerical rank). */
  basis: Float64Array;
  /** s = maxᵢ ‖Qᵀ(xᵢ − x̄)‖. */
  scale: number;
  /** The points zᵢ = Qᵀ(xᵢ − x̄)/s (rows of Z, n×r) with their labels. */
  data: QPData;
}

/**
 * Step 2 of {@link hardMarginSVM}, fast path: the coordinates zᵢ = (xᵢ − x̄)_K / s in the columns K of
 * the centered data that are not identically 0 (with bias: the non-constant columns of X; without: the
 * nonzero ones), s = maxᵢ‖(xᵢ − x̄)_K‖, when X_K provably has full column rank under the rank rule of
 * `rowSpaceBasis` (singular values σ > max(n, d)·ε·σ₁ count), with a wide margin. Then the columns K are
 * an orthonormal basis of the row space (the basis is a column selection) and the QP can be solved on
 * the data as they are. Otherwise null: the caller takes the SVD path, which decides the rank itself.
 *
 * **Certificate.** Adding rows only raises singular values (AᵀA ⪯ XᵀX for any subset A of the rows), so
 * σ_min(X_K) ≥ σ_min(A) for A = |K| + 16 rows of X_K taken at a fixed stride, bounded below by
 * {@link sigmaMinSquaredBound}; σ₁ ≤ ‖X_K‖_F. The columns are accepted when that bound exceeds
 * 16·max(n, d)·ε·‖X_K‖_F: then every singular value is far above the cut-off and the SVD would find rank
 * |K| as well. If the strided rows do not prove it, all n rows are tried. Costs min(n, |K| + 16)·|K|²/2
 * multiply-adds (n·|K|²/2 more when the first try fails) and O(|K|³); null for n < |K| or a
 * rank-deficient or badly conditioned X_K (cond ≳ 1/√(n·ε·|K|)).
 *
 * @param X - n×d, row-major, finite.
 */
export function columnCoordinates(
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  useBias: boolean,
): QPCoordinates | null {
  // Pass 1: x̄ (Σᵢ xᵢ / n, as the SVD path computes it) and the columns that vary.
  const center = new Float64Array(d);
  const varies = new Uint8Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = X[off + j]!;
      if (useBias) {
        center[j]! += v;
        if (v !== X[j]) varies[j] = 1;
      } else if (v !== 0) varies[j] = 1;
    }
  }
  if (useBias) for (let j = 0; j < d; j++) center[j]! /= n;
  const keep: number[] = [];
  for (let j = 0; j < d; j++) if (varies[j] === 1) keep.push(j);
  const r = keep.length;
  if (r === 0 || n < r) return null;
  // Pass 2: the kept columns, centered, with the squared row norms.
  const Z = new Float64Array(n * r);
  let scale2 = 0;
  let fro2 = 0;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    const oz = i * r;
    let s = 0;
    for (let c = 0; c < r; c++) {
      const j = keep[c]!;
      const v = X[off + j]! - center[j]!;
      Z[oz + c] = v;
      s += v * v;
    }
    fro2 += s;
    if (s > scale2) scale2 = s;
  }
  if (!(fro2 > 0 && Number.isFinite(fro2))) return null;
  const cutoff = 16 * Math.max(n, d) * Number.EPSILON * Math.sqrt(fro2);
  const sample = Math.min(n, r + 16);
  let proved = false;
  for (const rows of sample < n ? [sample, n] : [n]) {
    let A = Z;
    if (rows < n) {
      // Rows ⌊t·n/rows⌋, t < rows.
      A = new Float64Array(rows * r);
      for (let t = 0; t < rows; t++) {
        const src = Math.floor((t * n) / rows) * r;
        A.set(Z.subarray(src, src + r), t * r);
      }
    }
    if (sigmaMinSquaredBound(A, rows, r) > cutoff * cutoff) {
      proved = true;
      break;
    }
  }
  if (!proved) return null;
  const scale = Math.sqrt(scale2);
  for (let i = 0; i < Z.length; i++) Z[i]! /= scale;
  const basis = new Float64Array(d * r);
  for (let c = 0; c < r; c++) basis[keep[c]! * r + c] = 1;
  return { center, basis, scale, data: { coords: Z, y, n, r } };
}
