/**
 * Hot loops of the hard-margin SVM solver (src/svm/svmActiveSet.ts and the coordinates of
 * src/svm/hardMarginSVM.ts): margins of many points at once, the Gram matrix XᵀX, and the column
 * operations of the active-set factorization (a column-major m×m orthogonal matrix J). No validation and
 * no allocation; outputs first and returned.
 * @packageDocumentation
 */

/**
 * zᵀw for the row z = Z[off … off + r): four accumulators, as r is the short dimension here (10…100) and
 * the dependency chains, not memory, bound the loop; summed as (s₀ + s₁) + (s₂ + s₃), then the tail.
 */
function rowDot(Z: Float64Array, off: number, w: Float64Array, r: number): number {
  const r4 = r - (r % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j < r4; j += 4) {
    s0 += Z[off + j]! * w[j]!;
    s1 += Z[off + j + 1]! * w[j + 1]!;
    s2 += Z[off + j + 2]! * w[j + 2]!;
    s3 += Z[off + j + 3]! * w[j + 3]!;
  }
  for (; j < r; j++) s0 += Z[off + j]! * w[j]!;
  return s0 + s1 + (s2 + s3);
}

/** out[i] = yᵢ(zᵢᵀw + b) for the n rows zᵢ of Z (n×r, row-major); returns out. */
export function svmMargins(
  out: Float64Array,
  Z: Float64Array,
  y: Float64Array,
  w: Float64Array,
  b: number,
  n: number,
  r: number,
): Float64Array {
  for (let i = 0; i < n; i++) out[i] = y[i]! * (rowDot(Z, i * r, w, r) + b);
  return out;
}

/**
 * out[t] = y_{idx[t]}(z_{idx[t]}ᵀw + b) for t < count: {@link svmMargins} on the rows listed in idx, in
 * the same summation order (so a margin does not depend on which kernel computed it); returns out.
 */
export function svmMarginsAt(
  out: Float64Array,
  Z: Float64Array,
  y: Float64Array,
  w: Float64Array,
  b: number,
  idx: Int32Array,
  count: number,
  r: number,
): Float64Array {
  for (let t = 0; t < count; t++) {
    const i = idx[t]!;
    out[t] = y[i]! * (rowDot(Z, i * r, w, r) + b);
  }
  return out;
}

/**
 * out += XᵀX on the upper triangle (out[j·d + k] for k ≥ j; the lower triangle is not touched) for X
 * n×d row-major; returns out. Four rows of X at a time and two rows j, j + 1 of the triangle per inner
 * loop: each X entry loaded there feeds two outputs, and each output is loaded and stored once per four
 * rows of X (the triangle, 8·d²/2 bytes, stays in cache while X streams through once).
 */
export function svmGramUpper(out: Float64Array, X: Float64Array, n: number, d: number): Float64Array {
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const a0 = X[o0 + j]!;
      const a1 = X[o1 + j]!;
      const a2 = X[o2 + j]!;
      const a3 = X[o3 + j]!;
      const b0 = X[o0 + j + 1]!;
      const b1 = X[o1 + j + 1]!;
      const b2 = X[o2 + j + 1]!;
      const b3 = X[o3 + j + 1]!;
      const g = j * d;
      const h = g + d;
      out[g + j]! += a0 * a0 + a1 * a1 + (a2 * a2 + a3 * a3);
      for (let k = j + 1; k < d; k++) {
        const x0 = X[o0 + k]!;
        const x1 = X[o1 + k]!;
        const x2 = X[o2 + k]!;
        const x3 = X[o3 + k]!;
        out[g + k]! += a0 * x0 + a1 * x1 + (a2 * x2 + a3 * x3);
        out[h + k]! += b0 * x0 + b1 * x1 + (b2 * x2 + b3 * x3);
      }
    }
    if (j < d) {
      const a0 = X[o0 + j]!;
      const a1 = X[o1 + j]!;
      const a2 = X[o2 + j]!;
      const a3 = X[o3 + j]!;
      out[j * d + j]! += a0 * a0 + a1 * a1 + (a2 * a2 + a3 * a3);
    }
  }
  for (; i < n; i++) {
    const o0 = i * d;
    for (let j = 0; j < d; j++) {
      const a0 = X[o0 + j]!;
      const g = j * d;
      for (let k = j; k < d; k++) out[g + k]! += a0 * X[o0 + k]!;
    }
  }
  return out;
}

/**
 * out[c] = J_cᵀv for the columns c ∈ [from, to) of J (m×m, column-major: column c at J[c·m … c·m + m − 1]);
 * returns out. Two columns per pass, so each vᵢ is loaded once for both, two accumulators per column.
 */
export function svmColumnDots(
  out: Float64Array,
  J: Float64Array,
  v: Float64Array,
  m: number,
  from: number,
  to: number,
): Float64Array {
  const m2 = m - (m % 2);
  let c = from;
  for (; c + 2 <= to; c += 2) {
    const o0 = c * m;
    const o1 = o0 + m;
    let s0 = 0;
    let s1 = 0;
    let t0 = 0;
    let t1 = 0;
    let j = 0;
    for (; j < m2; j += 2) {
      const v0 = v[j]!;
      const v1 = v[j + 1]!;
      s0 += J[o0 + j]! * v0;
      s1 += J[o0 + j + 1]! * v1;
      t0 += J[o1 + j]! * v0;
      t1 += J[o1 + j + 1]! * v1;
    }
    if (j < m) {
      s0 += J[o0 + j]! * v[j]!;
      t0 += J[o1 + j]! * v[j]!;
    }
    out[c] = s0 + s1;
    out[c + 1] = t0 + t1;
  }
  for (; c < to; c++) {
    const off = c * m;
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j < m2; j += 2) {
      s0 += J[off + j]! * v[j]!;
      s1 += J[off + j + 1]! * v[j + 1]!;
    }
    if (j < m) s0 += J[off + j]! * v[j]!;
    out[c] = s0 + s1;
  }
  return out;
}

/**
 * out = Σ_{c ∈ [from, to)} coef[c]·J_c (columns of the column-major m×m J); returns out. Four columns per
 * pass over out, so out is read and written once per four columns instead of once per column.
 */
export function svmCombineColumns(
  out: Float64Array,
  J: Float64Array,
  coef: Float64Array,
  m: number,
  from: number,
  to: number,
): Float64Array {
  out.fill(0, 0, m);
  let c = from;
  for (; c + 4 <= to; c += 4) {
    const a0 = coef[c]!;
    const a1 = coef[c + 1]!;
    const a2 = coef[c + 2]!;
    const a3 = coef[c + 3]!;
    const o0 = c * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    for (let j = 0; j < m; j++) {
      out[j]! += a0 * J[o0 + j]! + a1 * J[o1 + j]! + (a2 * J[o2 + j]! + a3 * J[o3 + j]!);
    }
  }
  for (; c < to; c++) {
    const a = coef[c]!;
    const off = c * m;
    for (let j = 0; j < m; j++) out[j]! += a * J[off + j]!;
  }
  return out;
}

/**
 * The plane rotation (J_p, J_q) ← (c·J_p + s·J_q, −s·J_p + c·J_q) of two columns of the column-major
 * m×m J; returns J.
 */
export function svmRotateColumns(
  J: Float64Array,
  p: number,
  q: number,
  m: number,
  c: number,
  s: number,
): Float64Array {
  const op = p * m;
  const oq = q * m;
  for (let j = 0; j < m; j++) {
    const a = J[op + j]!;
    const b = J[oq + j]!;
    J[op + j] = c * a + s * b;
    J[oq + j] = c * b - s * a;
  }
  return J;
}

/**
 * Householder QR of the m×k matrix A (m ≥ k) stored column-major (column c at A[c·m … c·m + m − 1]), in
 * place: afterwards R's strict upper triangle is in A (R_ij at A[j·m + i], i < j), its diagonal in
 * `diag`, and column c holds the reflector v_c in entries c … m − 1 with H_c = I − beta[c]·v_c v_cᵀ
 * (beta[c] = 0: H_c = I, for a zero column); A = H_0 H_1 ⋯ H_{k−1} [R; 0]. Returns A. The sign of each
 * diagonal is chosen against the leading entry (no cancellation in v), as LAPACK's dgeqr2.
 */
export function svmHouseholderQR(
  A: Float64Array,
  m: number,
  k: number,
  diag: Float64Array,
  beta: Float64Array,
): Float64Array {
  for (let c = 0; c < k; c++) {
    const oc = c * m;
    let ss = 0;
    for (let i = c; i < m; i++) ss += A[oc + i]! * A[oc + i]!;
    const norm = Math.sqrt(ss);
    if (norm === 0) {
      diag[c] = 0;
      beta[c] = 0;
      continue;
    }
    const x0 = A[oc + c]!;
    const alpha = x0 > 0 ? -norm : norm;
    A[oc + c] = x0 - alpha;
    // vᵀv = ‖x‖² − 2αx₀ + α² = 2‖x‖(‖x‖ + |x₀|).
    const b = 1 / (norm * (norm + Math.abs(x0)));
    diag[c] = alpha;
    beta[c] = b;
    for (let j = c + 1; j < k; j++) {
      const oj = j * m;
      let s = 0;
      for (let i = c; i < m; i++) s += A[oc + i]! * A[oj + i]!;
      s *= b;
      for (let i = c; i < m; i++) A[oj + i]! -= s * A[oc + i]!;
    }
  }
  return A;
}

/**
 * v ← Qᵀv (when `transpose`) or v ← Qv, for Q = H_0 ⋯ H_{k−1} from {@link svmHouseholderQR} (v of length
 * m); returns v.
 */
export function svmApplyHouseholder(
  v: Float64Array,
  A: Float64Array,
  m: number,
  k: number,
  beta: Float64Array,
  transpose: boolean,
): Float64Array {
  for (let t = 0; t < k; t++) {
    const c = transpose ? t : k - 1 - t;
    const b = beta[c]!;
    if (b === 0) continue;
    const oc = c * m;
    let s = 0;
    for (let i = c; i < m; i++) s += A[oc + i]! * v[i]!;
    s *= b;
    for (let i = c; i < m; i++) v[i]! -= s * A[oc + i]!;
  }
  return v;
}

/**
 * J_c ← J_c − β·v_c·w for the columns c ∈ [from, to) of the column-major m×m J (the update
 * J₂ ← J₂(I − βvvᵀ) once w = J₂v is known); returns J.
 */
export function svmRankOneColumns(
  J: Float64Array,
  w: Float64Array,
  v: Float64Array,
  beta: number,
  m: number,
  from: number,
  to: number,
): Float64Array {
  for (let c = from; c < to; c++) {
    const a = beta * v[c]!;
    if (a === 0) continue;
    const off = c * m;
    for (let j = 0; j < m; j++) J[off + j]! -= a * w[j]!;
  }
  return J;
}

/**
 * out = R⁻¹b for the k×k upper triangle of the row-major R (R_ij at R[i·m + j], j ≥ i), by back
 * substitution with each row a dot product (two accumulators, rows read contiguously); `out` may alias
 * `b`. Returns out.
 */
export function svmBackSubstitute(
  out: Float64Array,
  R: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
): Float64Array {
  for (let i = k - 1; i >= 0; i--) {
    const oi = i * m;
    let s0 = b[i]!;
    let s1 = 0;
    let j = i + 1;
    for (; j + 1 < k; j += 2) {
      s0 -= R[oi + j]! * out[j]!;
      s1 -= R[oi + j + 1]! * out[j + 1]!;
    }
    if (j < k) s0 -= R[oi + j]! * out[j]!;
    out[i] = (s0 + s1) / R[oi + i]!;
  }
  return out;
}

/**
 * Column sums, the sums over the rows with yᵢ = +1, and the columns that vary, in one pass over X (n×d,
 * row-major): sum[j] += Σᵢ X_ij, sumPos[j] += Σ_{yᵢ=1} X_ij, and varies[j] = 1 where some X_ij ≠ X_0j
 * (`constantRef`) — or, with `constantRef` false, where some X_ij ≠ 0. Returns sum.
 */
export function svmColumnSums(
  sum: Float64Array,
  sumPos: Float64Array,
  varies: Uint8Array,
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  constantRef: boolean,
): Float64Array {
  let pending = 0; // columns not yet seen to vary: while there are any, each entry is also compared
  for (let j = 0; j < d; j++) if (varies[j] === 0) pending++;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    if (pending > 0) {
      for (let j = 0; j < d; j++) {
        if (varies[j] === 0 && X[off + j] !== (constantRef ? X[j]! : 0)) {
          varies[j] = 1;
          pending--;
        }
      }
    }
    if (y[i] === 1) {
      for (let j = 0; j < d; j++) {
        const v = X[off + j]!;
        sum[j]! += v;
        sumPos[j]! += v;
      }
    } else {
      for (let j = 0; j < d; j++) sum[j]! += X[off + j]!;
    }
  }
  return sum;
}

/**
 * out (n×r) = the columns `keep` (ascending) of X (n×d) minus `center`, row by row, with
 * rowNorm2[i] = ‖out_i‖²; returns out.
 */
export function svmCenteredColumns(
  out: Float64Array,
  rowNorm2: Float64Array,
  X: Float64Array,
  center: Float64Array,
  keep: Int32Array,
  n: number,
  d: number,
  r: number,
): Float64Array {
  const all = r === d; // every column kept: no gather
  for (let i = 0; i < n; i++) {
    const off = i * d;
    const oz = i * r;
    let s0 = 0;
    let s1 = 0;
    let c = 0;
    if (all) {
      for (; c + 1 < r; c += 2) {
        const v0 = X[off + c]! - center[c]!;
        const v1 = X[off + c + 1]! - center[c + 1]!;
        out[oz + c] = v0;
        out[oz + c + 1] = v1;
        s0 += v0 * v0;
        s1 += v1 * v1;
      }
    } else {
      for (; c + 1 < r; c += 2) {
        const j0 = keep[c]!;
        const j1 = keep[c + 1]!;
        const v0 = X[off + j0]! - center[j0]!;
        const v1 = X[off + j1]! - center[j1]!;
        out[oz + c] = v0;
        out[oz + c + 1] = v1;
        s0 += v0 * v0;
        s1 += v1 * v1;
      }
    }
    if (c < r) {
      const j = keep[c]!;
      const v = X[off + j]! - center[j]!;
      out[oz + c] = v;
      s0 += v * v;
    }
    rowNorm2[i] = s0 + s1;
  }
  return out;
}

/** a[i] = a[i] / s for i < len (a division, not a multiplication by 1/s: the same bits as x/s); returns a. */
export function svmDivide(a: Float64Array, s: number, len: number = a.length): Float64Array {
  for (let i = 0; i < len; i++) a[i]! /= s;
  return a;
}
