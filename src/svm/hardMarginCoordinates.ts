/**
 * Step 2 of {@link hardMarginSVM} (the coordinates the QP is solved in) on its fast path: when the
 * centered data have full column rank once their identically-zero columns are dropped, those columns
 * already are an orthonormal basis of the row space, and the QP can be solved on the data as they are —
 * no SVD and no change of basis. Internal to src/svm.
 * @internal
 * @packageDocumentation
 */
import { svmCenteredColumns, svmColumnSums, svmDivide, svmGramUpper } from '../kernels/svm.js';
import type { QPData } from './hardMarginPolish.js';

/**
 * Whether λ_min(AᵀA) > `floor` is proved by one Cholesky factorization, from G = AᵀA as computed
 * (upper triangle of the r×r row-major `G`; `rows` the number of rows of A, `fro2` = ‖A‖_F²): the
 * factorization of M = G − δI with δ = floor + 2(rows + r + 1)·1.01·ε·‖A‖_F² must run to the end with
 * positive pivots. The computed G is AᵀA + E₁ with ‖E₁‖₂ ≤ γ_rows‖A‖_F², and a Cholesky factorization
 * that completes is the exact one of M + E₂ with ‖E₂‖₂ ≤ γ_{r+1}·trace(M + E₂) (Higham, *Accuracy and
 * Stability of Numerical Algorithms*, Thms 3.5 and 10.3), so M + E₂ ≻ 0 gives
 * λ_min(AᵀA) > δ − ‖E₁‖ − ‖E₂‖ ≥ floor (the factor 2 covers both errors). `L` is scratch (r×r).
 */
function provesAbove(
  G: Float64Array,
  L: Float64Array,
  r: number,
  rows: number,
  fro2: number,
  floor: number,
): boolean {
  const delta = floor + 2 * (rows + r + 1) * 1.01 * Number.EPSILON * fro2;
  for (let j = 0; j < r; j++) {
    const oj = j * r;
    for (let i = j; i < r; i++) {
      const oi = i * r;
      const s = G[oj + i]! - (i === j ? delta : 0) - rowDot(L, oi, L, oj, j);
      if (i === j) {
        if (!(s > 0)) return false;
        L[oj + j] = Math.sqrt(s);
      } else L[oi + j] = s / L[oj + j]!;
    }
  }
  return true;
}

/** Σ_{t < len} a[ia + t]·b[ib + t] with four accumulators (independent chains). */
function rowDot(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < len; t += 4) {
    s0 += a[ia + t]! * b[ib + t]!;
    s1 += a[ia + t + 1]! * b[ib + t + 1]!;
    s2 += a[ia + t + 2]! * b[ib + t + 2]!;
    s3 += a[ia + t + 3]! * b[ib + t + 3]!;
  }
  for (; t < len; t++) s0 += a[ia + t]! * b[ib + t]!;
  return s0 + s1 + (s2 + s3);
}

/** A prime above any n we can hold: row t of the sampling order is (t·P) mod n, a permutation of 0 … n − 1. */
const ROW_ORDER_PRIME = 2_147_483_647;

/**
 * Whether Z (n×r, row-major) provably has σ_min(Z) > `cutoff`. Adding rows only raises
 * singular values (AᵀA ⪯ ZᵀZ for a subset A of the rows), so the Gram matrix is accumulated over the
 * rows in a fixed scattered order ((t·P) mod n) and tried at r + 16 rows, then at twice as many each
 * time, then at all n: a well-spread set of rows usually proves it at the first try, and no row is
 * accumulated twice.
 */
function provedFullRank(Z: Float64Array, n: number, r: number, cutoff: number): boolean {
  const G = new Float64Array(r * r);
  const L = new Float64Array(r * r);
  const chunkRows = Math.min(n, r + 16);
  const chunk = new Float64Array(chunkRows * r);
  const step = ROW_ORDER_PRIME % n;
  let done = 0;
  let sampleFro2 = 0;
  for (let target = chunkRows; ; target = Math.min(n, 2 * target)) {
    while (done < target) {
      const rows = Math.min(target - done, chunkRows);
      for (let t = 0; t < rows; t++) {
        const src = ((done + t) * step) % n;
        for (let c = 0; c < r; c++) {
          const v = Z[src * r + c]!;
          chunk[t * r + c] = v;
          sampleFro2 += v * v;
        }
      }
      svmGramUpper(G, chunk, rows, r);
      done += rows;
    }
    if (provesAbove(G, L, r, done, sampleFro2, cutoff * cutoff)) return true;
    if (done === n) return false;
  }
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
 * **Certificate.** σ_min(X_K) is bounded below from the Gram matrix of a subset of the rows
 * ({@link provedFullRank}, {@link provesAbove}) and σ₁ ≤ ‖X_K‖_F. The columns are accepted when
 * that bound exceeds 16·max(n, d)·ε·‖X_K‖_F: then every singular value is far above the cut-off and the
 * SVD would find rank |K| as well. Costs (rows used)·|K|²/2 multiply-adds — |K| + 16 rows when they
 * suffice, at most n — and O(|K|³) per try; null for n < |K| or a rank-deficient or badly conditioned
 * X_K (cond ≳ 1/√(n·ε·|K|)).
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
  const sumPos = new Float64Array(d);
  const varies = new Uint8Array(d);
  svmColumnSums(center, sumPos, varies, X, y, n, d, useBias);
  let npos = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) npos++;
  // The first working set's direction (see initialWorkingSet) from the same sums: the difference of the
  // class means with bias (both classes are present then), Σ yᵢxᵢ without.
  const direction = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const neg = center[j]! - sumPos[j]!;
    direction[j] = useBias ? sumPos[j]! / npos - neg / (n - npos) : sumPos[j]! - neg;
  }
  if (useBias) for (let j = 0; j < d; j++) center[j]! /= n;
  else center.fill(0);
  let r = 0;
  for (let j = 0; j < d; j++) r += varies[j]!;
  if (r === 0 || n < r) return null;
  const keep = new Int32Array(r);
  for (let j = 0, c = 0; j < d; j++) if (varies[j] === 1) keep[c++] = j;
  // Pass 2: the kept columns, centered, with the squared row norms.
  const Z = new Float64Array(n * r);
  const rowNorm2 = new Float64Array(n);
  svmCenteredColumns(Z, rowNorm2, X, center, keep, n, d, r);
  let scale2 = 0;
  let fro2 = 0;
  for (let i = 0; i < n; i++) {
    const s = rowNorm2[i]!;
    fro2 += s;
    if (s > scale2) scale2 = s;
  }
  if (!(fro2 > 0 && Number.isFinite(fro2))) return null;
  const cutoff = 16 * Math.max(n, d) * Number.EPSILON * Math.sqrt(fro2);
  if (!provedFullRank(Z, n, r, cutoff)) return null;
  const scale = Math.sqrt(scale2);
  svmDivide(Z, scale);
  svmDivide(rowNorm2, scale2);
  const basis = new Float64Array(d * r);
  for (let c = 0; c < r; c++) basis[keep[c]! * r + c] = 1;
  const kept = new Float64Array(r);
  for (let c = 0; c < r; c++) kept[c] = direction[keep[c]!]! / scale;
  return { center, basis, scale, data: { coords: Z, y, n, r, rowNorm2, direction: kept } };
}
