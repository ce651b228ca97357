/**
 * The KKT residual and the polish steps of {@link hardMarginSVM} (step 6 of its method): the primal
 * polish on the active set (the minimum-norm solution of the equality-constrained KKT system, from a QR
 * of G_Sᵀ) and the dual polish (the multipliers re-solved from stationarity by least squares). All work in
 * the coordinates the QP was solved in: rows zᵢ of Z (n×r, centered, scaled, in the row-space basis).
 * Internal to src/svm.
 * @internal
 * @packageDocumentation
 */

import { svmApplyHouseholder, svmHouseholderQR, svmMargins } from '../kernels/svm.js';
import { norm2 } from '../linalg/norm2.js';

/** The points where the QP is solved: rows zᵢ of Z (n×r, row-major) with their labels yᵢ. */
export interface QPData {
  readonly coords: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly r: number;
  /** ‖zᵢ‖² of the rows, when the caller has them already (saves a pass over Z). */
  readonly rowNorm2?: Float64Array;
  /**
   * The direction of the first working set (the difference of the class means of the zᵢ with bias,
   * Σ yᵢzᵢ without), when the caller has it already.
   */
  readonly direction?: Float64Array;
}

/**
 * Largest violation of the KKT conditions of min ½‖w‖² s.t. yᵢ(pᵢᵀw + b) ≥ 1 at (w, b, α); rows pᵢ of
 * P = Z (n×m, m = r); `margins` (yᵢ(pᵢᵀw + b), computed when not given). Every term is dimensionless: primal (1 − marginᵢ)₊; dual (−αᵢ/Σα)₊; complementarity
 * (αᵢ/Σα)·|marginᵢ − 1|; stationarity ‖w − Σ αᵢyᵢpᵢ‖/‖w‖; with bias |Σ αᵢyᵢ|/Σα.
 */
export function kktResidual(
  data: QPData,
  w: Float64Array,
  b: number,
  alpha: Float64Array,
  bias: boolean,
  margins: Float64Array = svmMargins(new Float64Array(data.n), data.coords, data.y, w, b, data.n, data.r),
): number {
  const { coords: P, y, n, r: m } = data;
  let sumA = 0;
  for (let i = 0; i < n; i++) sumA += alpha[i]!;
  if (!(sumA > 0)) return Number.POSITIVE_INFINITY;
  const v = new Float64Array(m);
  let res = 0;
  let balance = 0;
  for (let i = 0; i < n; i++) {
    const off = i * m;
    const margin = margins[i]!;
    const p = alpha[i]! / sumA;
    res = Math.max(res, 1 - margin, -p, Math.abs(p * (margin - 1)));
    const ay = alpha[i]! * y[i]!;
    balance += ay;
    if (ay !== 0) for (let j = 0; j < m; j++) v[j]! += ay * P[off + j]!;
  }
  for (let j = 0; j < m; j++) v[j] = w[j]! - v[j]!;
  res = Math.max(res, norm2(v) / norm2(w));
  if (bias) res = Math.max(res, Math.abs(balance) / sumA);
  return Number.isNaN(res) ? Number.POSITIVE_INFINITY : res;
}

/**
 * Polish step: the minimum-norm x with G_S x = c_S (rows S of G, q×m), i.e. the exact solution of the
 * equality-constrained KKT system on the active set S, x = G_Sᵀλ, G_S G_Sᵀ λ = c_S, computed from a
 * Householder QR of G_Sᵀ (not the normal equations) plus one step of iterative refinement. null when
 * |S| > m or G_S is numerically rank deficient (degenerate active set: keep quadprog's answer).
 */
export function minNormOnActiveSet(
  G: Float64Array,
  m: number,
  c: Float64Array,
  S: number[],
): { x: Float64Array; lambda: Float64Array } | null {
  const k = S.length;
  if (k === 0 || k > m) return null;
  // A = G_Sᵀ (m×k) column-major: column s is row S[s] of G.
  const A = new Float64Array(m * k);
  for (let s = 0; s < k; s++) A.set(G.subarray(S[s]! * m, S[s]! * m + m), s * m);
  const diag = new Float64Array(k);
  const beta = new Float64Array(k);
  svmHouseholderQR(A, m, k, diag, beta);
  if (!wellConditioned(diag, k)) return null;
  const x = new Float64Array(m);
  const lambda = new Float64Array(k);
  const rhs = new Float64Array(k);
  const t = new Float64Array(m);
  for (let s = 0; s < k; s++) rhs[s] = c[S[s]!]!;
  for (let pass = 0; pass < 2; pass++) {
    // t = R⁻ᵀ rhs (forward substitution; R_us at A[s·m + u]), then x += Q (t, 0) and λ += R⁻¹ t.
    t.fill(0);
    for (let s = 0; s < k; s++) {
      let v = rhs[s]!;
      const os = s * m;
      for (let u = 0; u < s; u++) v -= A[os + u]! * t[u]!;
      t[s] = v / diag[s]!;
    }
    const dl = backSubstitute(A, m, k, diag, t);
    for (let s = 0; s < k; s++) lambda[s]! += dl[s]!;
    svmApplyHouseholder(t, A, m, k, beta, false);
    for (let j = 0; j < m; j++) x[j]! += t[j]!;
    // Residual of the active equations for the refinement pass.
    for (let s = 0; s < k; s++) {
      const off = S[s]! * m;
      let v = c[S[s]!]!;
      for (let j = 0; j < m; j++) v -= G[off + j]! * x[j]!;
      rhs[s] = v;
    }
  }
  return { x, lambda };
}

/** min |R_ss| > 1e-10·max |R_ss| (else the system is treated as numerically rank deficient). */
function wellConditioned(diag: Float64Array, k: number): boolean {
  let rmax = 0;
  let rmin = Number.POSITIVE_INFINITY;
  for (let s = 0; s < k; s++) {
    const a = Math.abs(diag[s]!);
    rmax = Math.max(rmax, a);
    rmin = Math.min(rmin, a);
  }
  return rmin > 1e-10 * rmax;
}

/** R⁻¹t (first k entries of t) for R from {@link svmHouseholderQR} (R_us at A[s·m + u], diagonal `diag`). */
function backSubstitute(
  A: Float64Array,
  m: number,
  k: number,
  diag: Float64Array,
  t: Float64Array,
): Float64Array {
  const out = new Float64Array(k);
  for (let s = k - 1; s >= 0; s--) {
    let v = t[s]!;
    for (let u = s + 1; u < k; u++) v -= A[u * m + s]! * out[u]!;
    out[s] = v / diag[s]!;
  }
  return out;
}

/**
 * The primal polish of a QP solution with multipliers α: {@link minNormOnActiveSet} on the active set
 * S = {i ≠ skip : αᵢ > 0}, kept only when its multipliers are ≥ 0; returns x and the multipliers spread
 * back to length n (0 off S), or null. The caller keeps it only if it lowers the KKT residual.
 */
export function polishOnActiveSet(
  G: Float64Array,
  n: number,
  m: number,
  c: Float64Array,
  alpha: Float64Array,
  skip = -1,
): { x: Float64Array; alpha: Float64Array } | null {
  const S: number[] = [];
  for (let i = 0; i < n; i++) if (i !== skip && alpha[i]! > 0) S.push(i);
  const polished = minNormOnActiveSet(G, m, c, S);
  if (!polished?.lambda.every((v) => v >= 0)) return null;
  const spread = new Float64Array(n);
  S.forEach((i, s) => {
    spread[i] = polished.lambda[s]!;
  });
  return { x: polished.x, alpha: spread };
}

/**
 * Candidate support for {@link resolveMultipliers}: the points with αᵢ > 0 (largest first), then the
 * other points whose canonical margin yᵢ(zᵢᵀz + b) is within 1e-9 of 1 (closest first) — a degenerate
 * active point with a tiny true multiplier may be missing from quadprog's active set; with `gapFirst`,
 * all those active points by closeness alone (quadprog may have picked nearly parallel constraints whose
 * combination misses z by rounding, while an exactly active twin does not). Exact duplicates are kept
 * once, at most `rows` candidates.
 */
function supportCandidates(
  data: QPData,
  z: Float64Array,
  b: number,
  alpha: Float64Array,
  rows: number,
  gapFirst: boolean,
): number[] {
  const { coords: Z, y, n, r } = data;
  const gap = svmMargins(new Float64Array(n), Z, y, z, b, n, r);
  for (let i = 0; i < n; i++) gap[i] = Math.abs(gap[i]! - 1);
  const pos = Array.from({ length: n }, (_, i) => i).filter((i) => alpha[i]! > 0);
  pos.sort((a, c) => alpha[c]! - alpha[a]! || a - c);
  const act = Array.from({ length: n }, (_, i) => i).filter(
    (i) => (!(alpha[i]! > 0) || gapFirst) && gap[i]! <= 1e-9,
  );
  act.sort((a, c) => gap[a]! - gap[c]! || a - c);
  const seen = new Set<string>();
  const out: number[] = [];
  for (const i of gapFirst ? act : [...pos, ...act]) {
    const key = `${y[i]}|${Z.subarray(i * r, i * r + r).join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(i);
    if (out.length === rows) break;
  }
  return out;
}

/**
 * Re-solves the multipliers on a candidate support S from stationarity: the least-squares solution of
 * Σ_S αᵢyᵢzᵢ = z (and Σ_S αᵢyᵢ = 0 with bias), (r [+1]) equations in |S| ≤ r [+1] unknowns, by QR; a
 * point whose multiplier comes out negative (or, when the system is numerically rank deficient, the
 * last candidate) leaves S and the system is solved again. null when S runs empty.
 */
function resolveMultipliers(data: QPData, z: Float64Array, S: number[], bias: boolean): Float64Array | null {
  const { coords: Z, y, n, r } = data;
  while (S.length > 0) {
    // A: (r [+1])×|S| column-major, column s = yᵢzᵢ (and yᵢ with bias) for i = S[s]; right-hand side (z, 0).
    const k = S.length;
    const rows = bias ? r + 1 : r;
    if (k > rows) {
      S.pop();
      continue;
    }
    const A = new Float64Array(rows * k);
    for (let s = 0; s < k; s++) {
      const i = S[s]!;
      for (let j = 0; j < r; j++) A[s * rows + j] = y[i]! * Z[i * r + j]!;
      if (bias) A[s * rows + r] = y[i]!;
    }
    const rhs = new Float64Array(rows);
    rhs.set(z.subarray(0, r));
    const diag = new Float64Array(k);
    const beta = new Float64Array(k);
    svmHouseholderQR(A, rows, k, diag, beta);
    if (!wellConditioned(diag, k)) {
      S.pop(); // rank deficient: drop the lowest-priority candidate
      continue;
    }
    const sol = backSubstitute(A, rows, k, diag, svmApplyHouseholder(rhs, A, rows, k, beta, true));
    let worst = -1;
    for (let s = 0; s < k; s++) {
      const v = sol[s]!;
      if (Number.isNaN(v)) return null;
      if (v < 0 && (worst < 0 || v < sol[worst]!)) worst = s;
    }
    if (worst < 0) {
      const out = new Float64Array(n);
      S.forEach((i, s) => {
        out[i] = sol[s]!;
      });
      return out;
    }
    S.splice(worst, 1);
  }
  return null;
}

/**
 * Dual polish. Multipliers that came out slightly negative (αₖ of a degenerate active point) are set
 * to 0, and α is re-solved from stationarity, Σ_S αᵢyᵢzᵢ = z and (bias) Σ_S αᵢyᵢ = 0, by least squares
 * on the support plus the other active points (see {@link supportCandidates}) — so the reported p*
 * satisfies the identities to rounding even when quadprog's multipliers are inaccurate (nearly parallel
 * active constraints). Two candidate orders are tried; a re-solved α is kept only if it lowers the KKT
 * residual. Returns α with its KKT residual (`residual`, when given, is that of the input α: it saves one
 * evaluation when α ≥ 0).
 */
export function polishDual(
  data: QPData,
  z: Float64Array,
  b: number,
  alpha: Float64Array,
  bias: boolean,
  residual?: number,
): { alpha: Float64Array; residual: number } {
  let best: Float64Array = new Float64Array(alpha.length);
  let clipped = false;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    if (a < 0) clipped = true;
    best[i] = Math.max(a, 0);
  }
  let bestRes = residual !== undefined && !clipped ? residual : kktResidual(data, z, b, best, bias);
  for (const gapFirst of [false, true]) {
    if (bestRes <= 1e-14) break;
    const S = supportCandidates(data, z, b, best, bias ? data.r + 1 : data.r, gapFirst);
    const re = resolveMultipliers(data, z, S, bias);
    if (re === null) continue;
    const res = kktResidual(data, z, b, re, bias);
    if (res <= bestRes) {
      best = re;
      bestRes = res;
    }
  }
  return { alpha: best, residual: bestRes };
}
