import type { Dataset } from '../datasets/types.js';
import { InvalidInputError, NotSeparableError, SolverFailedError } from '../errors/index.js';
import { matmul } from '../linalg/matmul.js';
import { norm2 } from '../linalg/norm2.js';
import { qrDecomposition } from '../linalg/qrDecomposition.js';
import { rowSpaceBasis } from '../linalg/rowSpaceBasis.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { solveDiagonalQP } from './diagonalQP.js';

const FN = 'hardMarginSVM';

/**
 * Curvature put on the (scaled) bias in the first, identifying solve of the bias case. It only picks a
 * support vector; the returned solution does not depend on it.
 */
const BIAS_RIDGE = 1e-8;

/** Options of {@link hardMarginSVM}. */
export interface HardMarginSVMOptions {
  /** Fit an affine separator θᵀx + b (true) or one through the origin, θᵀx (false, the default: the paper's linear model). */
  bias?: boolean;
  /**
   * Accuracy required of the result (default 1e-9): the call throws `SOLVER_FAILED` if the relative KKT
   * residual exceeds `tol`. Also the relative slack under which a point is listed in `active`.
   */
  tol?: number;
}

/** What {@link hardMarginSVM} returns. */
export interface HardMarginSVMResult {
  /** θ*, the max-margin direction, ‖θ*‖₂ = 1 (length d). */
  theta: Float64Array;
  /** b* for the unit-norm θ* (so the predictor is θ*ᵀx + b*); exactly 0 with `bias: false`. */
  bias: number;
  /** γ* = minᵢ yᵢ(θ*ᵀxᵢ + b*), the max-min margin; equals 1/‖w‖ of the canonical SVM. */
  gamma: number;
  /** p*: pᵢ ≥ 0, Σ pᵢ = 1 and θ* = Σ pᵢ yᵢ xᵢ / γ* (Proposition 1); pᵢ = αᵢ/Σα for the canonical multipliers α. */
  dual: Float64Array;
  /** Indices i with pᵢ > 0 (ascending). */
  support: Int32Array;
  /** Indices i whose margin is within a relative `tol` of γ* (ascending); ⊇ `support` up to rounding. */
  active: Int32Array;
  /**
   * The largest violation of the KKT conditions of the canonical problem, every term dimensionless (see
   * {@link hardMarginSVM}). Typically 1e-15…1e-13.
   */
  kktResidual: number;
  /** Total quadprog iterations over all the solves made. */
  iterations: number;
  /** Numerical rank of the (centered, with bias) data: the dimension r of the space the QP was solved in. */
  rank: number;
}

interface Checked {
  X: Float64Array;
  y: Float64Array;
  n: number;
  d: number;
}

function checkData(data: unknown): Checked {
  if (typeof data !== 'object' || data === null) {
    throw new InvalidInputError(FN, 'data', `must be a Dataset { X, y, n, d }, got ${show(data)}`);
  }
  const { X, y, n, d } = data as Record<string, unknown>;
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw new InvalidInputError(FN, 'data.n', `must be an integer >= 1, got ${show(n)}`);
  }
  if (!Number.isInteger(d) || (d as number) < 1) {
    throw new InvalidInputError(FN, 'data.d', `must be an integer >= 1, got ${show(d)}`);
  }
  const nn = n as number;
  const dd = d as number;
  if (!(X instanceof Float64Array) || X.length !== nn * dd) {
    throw new InvalidInputError(
      FN,
      'data.X',
      `must be a Float64Array of length n·d = ${nn * dd}, got ${show(X)}`,
    );
  }
  if (!(y instanceof Float64Array) || y.length !== nn) {
    throw new InvalidInputError(FN, 'data.y', `must be a Float64Array of length n = ${nn}, got ${show(y)}`);
  }
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i]))
      throw new InvalidInputError(FN, `data.X[${i}]`, `must be finite, got ${show(X[i])}`);
  }
  for (let i = 0; i < nn; i++) {
    if (y[i] !== 1 && y[i] !== -1) {
      throw new InvalidInputError(FN, `data.y[${i}]`, `must be -1 or +1, got ${show(y[i])}`);
    }
  }
  return { X, y, n: nn, d: dd };
}

/** Size of the first working set of the constraint-generation loop (see solveDiagonalQP). */
function workingSetSize(n: number, m: number): number {
  return Math.min(n, 4 * m + 16);
}

/**
 * The `count` indices with the smallest gᵢᵀv (rows gᵢ of G, n×m), ascending; with labels `y`, half from
 * each class (alternating), so that both sides of the separator are in the first working set.
 */
function smallestFirst(
  G: Float64Array,
  n: number,
  m: number,
  v: Float64Array,
  y: Float64Array | null,
  count: number,
): number[] {
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += G[i * m + j]! * v[j]!;
    score[i] = s;
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]! || a - b);
  if (y === null) return idx.slice(0, count);
  const pos = idx.filter((i) => y[i] === 1);
  const neg = idx.filter((i) => y[i] !== 1);
  const out: number[] = [];
  for (let t = 0; out.length < count && (t < pos.length || t < neg.length); t++) {
    if (t < pos.length) out.push(pos[t]!);
    if (t < neg.length && out.length < count) out.push(neg[t]!);
  }
  return out;
}

function notSeparable(bias: boolean, detail: string): NotSeparableError {
  const what = bias
    ? 'no affine hyperplane separates the data (bias: true): no (θ, b) has yᵢ(θᵀxᵢ + b) > 0 for every i'
    : 'no hyperplane through the origin separates the data (bias: false): no θ has yᵢθᵀxᵢ > 0 for every i';
  const hint = bias
    ? 'Use separablePartition(data) to find the maximal linearly separable subset and solve on it.'
    : 'Try bias: true, or use separablePartition(data) to find the maximal linearly separable subset and solve on it.';
  return new NotSeparableError(`${FN}: ${what}${detail}, so the hard-margin SVM has no solution. ${hint}`);
}

/**
 * Largest violation of the KKT conditions of min ½‖w‖² s.t. yᵢ(pᵢᵀw + b) ≥ 1 at (w, b, α); rows pᵢ of
 * P (n×m). Every term is dimensionless: primal (1 − marginᵢ)₊; dual (−αᵢ/Σα)₊; complementarity
 * (αᵢ/Σα)·|marginᵢ − 1|; stationarity ‖w − Σ αᵢyᵢpᵢ‖/‖w‖; with bias |Σ αᵢyᵢ|/Σα.
 */
function kktResidual(
  P: Float64Array,
  y: Float64Array,
  n: number,
  m: number,
  w: Float64Array,
  b: number,
  alpha: Float64Array,
  bias: boolean,
): number {
  let sumA = 0;
  for (let i = 0; i < n; i++) sumA += alpha[i]!;
  if (!(sumA > 0)) return Number.POSITIVE_INFINITY;
  const v = new Float64Array(m);
  let res = 0;
  let balance = 0;
  for (let i = 0; i < n; i++) {
    const off = i * m;
    let s = 0;
    for (let j = 0; j < m; j++) s += P[off + j]! * w[j]!;
    const margin = y[i]! * (s + b);
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
function minNormOnActiveSet(
  G: Float64Array,
  m: number,
  c: Float64Array,
  S: number[],
): { x: Float64Array; lambda: Float64Array } | null {
  const k = S.length;
  if (k === 0 || k > m) return null;
  // A = G_Sᵀ, m×k
  const A = new Float64Array(m * k);
  for (let j = 0; j < m; j++) for (let s = 0; s < k; s++) A[j * k + s] = G[S[s]! * m + j]!;
  const qr = qrDecomposition(A, m, k);
  const R = qr.R;
  const Q = qr.orthogonal();
  let rmax = 0;
  let rmin = Number.POSITIVE_INFINITY;
  for (let s = 0; s < k; s++) {
    const a = Math.abs(R[s * k + s]!);
    rmax = Math.max(rmax, a);
    rmin = Math.min(rmin, a);
  }
  if (!(rmin > 1e-10 * rmax)) return null;
  const x = new Float64Array(m);
  const lambda = new Float64Array(k);
  const rhs = new Float64Array(k);
  for (let s = 0; s < k; s++) rhs[s] = c[S[s]!]!;
  for (let pass = 0; pass < 2; pass++) {
    // t = R⁻ᵀ rhs (forward substitution), then x += Q t and λ += R⁻¹ t (back substitution).
    const t = new Float64Array(k);
    for (let s = 0; s < k; s++) {
      let v = rhs[s]!;
      for (let u = 0; u < s; u++) v -= R[u * k + s]! * t[u]!;
      t[s] = v / R[s * k + s]!;
    }
    for (let j = 0; j < m; j++) {
      let v = 0;
      for (let s = 0; s < k; s++) v += Q[j * k + s]! * t[s]!;
      x[j]! += v;
    }
    // Back substitution R δλ = t.
    const dl = new Float64Array(k);
    for (let s = k - 1; s >= 0; s--) {
      let v = t[s]!;
      for (let u = s + 1; u < k; u++) v -= R[s * k + u]! * dl[u]!;
      dl[s] = v / R[s * k + s]!;
    }
    for (let s = 0; s < k; s++) lambda[s]! += dl[s]!;
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

/**
 * Candidate support for {@link resolveMultipliers}: the points with αᵢ > 0 (largest first), then the
 * other points whose canonical margin yᵢ(zᵢᵀz + b) is within 1e-9 of 1 (closest first) — a degenerate
 * active point with a tiny true multiplier may be missing from quadprog's active set; with `gapFirst`,
 * all those active points by closeness alone (quadprog may have picked nearly parallel constraints whose
 * combination misses z by rounding, while an exactly active twin does not). Exact duplicates are kept
 * once, at most `rows` candidates.
 */
function supportCandidates(
  Z: Float64Array,
  y: Float64Array,
  n: number,
  r: number,
  z: Float64Array,
  b: number,
  alpha: Float64Array,
  rows: number,
  gapFirst: boolean,
): number[] {
  const gap = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b;
    for (let j = 0; j < r; j++) s += Z[i * r + j]! * z[j]!;
    gap[i] = Math.abs(y[i]! * s - 1);
  }
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
function resolveMultipliers(
  Z: Float64Array,
  y: Float64Array,
  n: number,
  r: number,
  z: Float64Array,
  S: number[],
  bias: boolean,
): Float64Array | null {
  while (S.length > 0) {
    // A: (r [+1])×|S|, column s = yᵢzᵢ (and yᵢ with bias) for i = S[s]; right-hand side (z, 0).
    const k = S.length;
    const rows = bias ? r + 1 : r;
    const A = new Float64Array(rows * k);
    const rhs = new Float64Array(rows);
    for (let j = 0; j < r; j++) {
      for (let s = 0; s < k; s++) A[j * k + s] = y[S[s]!]! * Z[S[s]! * r + j]!;
      rhs[j] = z[j]!;
    }
    if (bias) for (let s = 0; s < k; s++) A[r * k + s] = y[S[s]!]!;
    const qr = qrDecomposition(A, rows, k);
    let rmax = 0;
    let rmin = Number.POSITIVE_INFINITY;
    for (let s = 0; s < k; s++) {
      const a = Math.abs(qr.R[s * k + s]!);
      rmax = Math.max(rmax, a);
      rmin = Math.min(rmin, a);
    }
    if (!(rmin > 1e-10 * rmax)) {
      S.pop(); // rank deficient: drop the lowest-priority candidate
      continue;
    }
    const sol = qr.solve(rhs);
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
 * residual.
 */
function polishDual(
  Z: Float64Array,
  y: Float64Array,
  n: number,
  r: number,
  z: Float64Array,
  b: number,
  alpha: Float64Array,
  bias: boolean,
): Float64Array {
  let best: Float64Array = Float64Array.from(alpha, (v) => Math.max(0, v));
  let bestRes = kktResidual(Z, y, n, r, z, b, best, bias);
  for (const gapFirst of [false, true]) {
    if (bestRes <= 1e-14) break;
    const S = supportCandidates(Z, y, n, r, z, b, best, bias ? r + 1 : r, gapFirst);
    const re = resolveMultipliers(Z, y, n, r, z, S, bias);
    if (re === null) continue;
    const res = kktResidual(Z, y, n, r, z, b, re, bias);
    if (res <= bestRes) {
      best = re;
      bestRes = res;
    }
  }
  return best;
}

/**
 * The exact hard-margin (C = ∞) linear SVM: the max-margin separator of Section 2 of Xu, Ye & Ruan
 * (2021), θ* = argmax_{‖θ‖₂ ≤ 1} minᵢ yᵢ(θᵀxᵢ + b), with its margin γ* and the dual optimum p* of
 * Proposition 1.
 *
 * **Math.** The canonical problem is min ½‖w‖² s.t. yᵢ(wᵀxᵢ + b) ≥ 1 (b = 0 without bias); then
 * θ* = w/‖w‖, b* = b/‖w‖, γ* = 1/‖w‖. With multipliers α ≥ 0 (w = Σ αᵢyᵢxᵢ, Σ αᵢyᵢ = 0 with bias,
 * αᵢ(yᵢ(wᵀxᵢ + b) − 1) = 0) one has Σα = ‖w‖², so p* = α/Σα gives θ* = Σ p*ᵢ yᵢ xᵢ / γ* and
 * γ* = min_{p ∈ Δ} ‖Σ pᵢyᵢxᵢ‖ (bias-free; eq. (A.4) of the paper).
 *
 * **Method.** The primal is solved with quadprog (Goldfarb–Idnani dual active set) in the span of the
 * data, never the dual (which needs ~n³ work and is only ~1e-5 accurate at n = 1000):
 * 1. with bias the data are centered (x ↦ x − x̄, which only moves b), then all points are scaled by
 *    s = maxᵢ‖xᵢ‖ (w ↦ sw, p unchanged) so quadprog's absolute tolerances see unit-size numbers;
 * 2. Q (d×r) = orthonormal basis of the row space (`rowSpaceBasis`: Householder QR, then ml-matrix's
 *    SVD of the small triangle; singular values ≤ max(n, d)·ε·σ₁ count as zero); w = Qz, zᵢ = Qᵀxᵢ,
 *    so the QP has r ≤ min(n, d) unknowns and quadprog's Dmat is the r×r identity (passed as its own
 *    factor, no Cholesky);
 * 3. every QP runs by exact constraint generation: quadprog on a working set (the points nearest the
 *    boundary along a heuristic direction; exact duplicates once), then all constraints are checked
 *    and the violated ones added, until none is violated — the result solves the full QP;
 * 4. bias-free: min ½‖z‖² s.t. yᵢzᵢᵀz ≥ 1 directly; α = quadprog's Lagrange multipliers;
 * 5. with bias, b has no curvature, so Dmat = diag(I, 0) is singular. Exact approach: (a) solve once
 *    with a ridge 1e-8·b²/2 — same feasible set, so this decides separability — and rank the points by
 *    multiplier; (b) for the first candidate k, b = yₖ − zₖᵀz on the face "k active", and the exact
 *    problem restricted to that face is the PD QP min ½‖z‖² s.t. yᵢ(zᵢ − zₖ)ᵀz ≥ 1 − yᵢyₖ (i ≠ k),
 *    with αₖ = −yₖ Σ_{i≠k} αᵢyᵢ; (c) it is the exact optimum iff αₖ ≥ 0 (KKT); the candidate is judged
 *    on its polished KKT residual and the next k is tried if that is above min(tol, 1e-12);
 * 6. polish, primal: on the active set S the equality-constrained KKT system (min-norm solution of
 *    G_S z = c_S) is solved from a QR of G_Sᵀ with one step of iterative refinement, kept only if it
 *    lowers the KKT residual; dual: negative multipliers are zeroed and α is re-solved by least squares
 *    from stationarity on the support plus the other active points (kept only if better), so p* meets
 *    Σpᵢ = 1, Σpᵢyᵢ = 0 and θ* = Σpᵢyᵢxᵢ/γ* to rounding even with nearly parallel active constraints;
 * 7. quadprog has no iteration limit and can stall on nearly dependent constraints; its iterations are
 *    counted and a stalled solve is redone with the right-hand side scaled down (the QP is
 *    homogeneous in it), which removes the rounding noise that drives the stall.
 *
 * **Accuracy.** `kktResidual` is the max of: primal (1 − yᵢ(wᵀxᵢ + b))₊, dual (−pᵢ)₊, complementarity
 * pᵢ·|yᵢ(wᵀxᵢ + b) − 1|, stationarity ‖w − Σαᵢyᵢxᵢ‖/‖w‖ and (with bias) |Σ pᵢyᵢ| — all relative /
 * dimensionless, for the canonical (w, b, α) in the coordinates the QP was solved in (centered, scaled,
 * in the basis Q). Typical values are 1e-15…1e-13; over 12 000 random, deliberately degenerate
 * separable sets (duplicated and nearly duplicated points, scales 1e±3, shifts up to 1e3) the worst was
 * 1e-11, and γ* agreed with brute-force support-set enumeration and with an independent QP formulation
 * to ≤ 1e-11 relative (cvxopt: ~1e-14). γ* = s/‖z‖ is computed there too. Evaluating yᵢ(θ*ᵀxᵢ + b*)
 * on the raw data adds rounding of order ε·maxᵢ‖xᵢ‖/γ* (large for data far from the origin), whatever
 * the solver. Directions in which the data's singular values fall below the rank tolerance are treated
 * as absent. p* is unique only when the support vectors are in general position; otherwise one valid
 * p* is returned.
 *
 * @param data - a {@link Dataset} (X row-major n×d, y ∈ {−1, +1}ⁿ).
 * @param options - `{ bias = false, tol = 1e-9 }`, see {@link HardMarginSVMOptions}.
 * @returns `{ theta, bias, gamma, dual, support, active, kktResidual, iterations, rank }`.
 * @throws NotSeparableError (`NOT_SEPARABLE`) when no hyperplane (through the origin, without bias)
 *   separates the data, including a point xᵢ = 0 without bias and coinciding points with different
 *   labels; the message points to `separablePartition`.
 * @throws InvalidInputError (`INVALID_INPUT`) on malformed data or options, and with `bias: true` when
 *   only one class is present (the margin is then unbounded: b → ±∞; use `bias: false`).
 * @throws SolverFailedError (`SOLVER_FAILED`) if the KKT residual exceeds `tol` (nearly degenerate data;
 *   pass a larger `tol` to accept the result), or quadprog keeps stalling after the rescaling.
 *
 * @example
 * ```ts
 * import { dataset, hardMarginSVM } from 'implicit-bias';
 * const data = dataset([[2, 0], [0, 1]], [1, 1]);
 * const { theta, gamma, dual } = hardMarginSVM(data);
 * // theta ≈ [1/√5, 2/√5], gamma ≈ 2/√5, dual ≈ [0.2, 0.8]
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, eq. (1), Proposition 1 and (A.4); Goldfarb & Idnani, "A numerically stable dual method for
 * solving strictly convex quadratic programs", Math. Programming 27 (1983).
 */
export function hardMarginSVM(data: Dataset, options?: HardMarginSVMOptions): HardMarginSVMResult {
  const opts = checkObject(FN, 'options', options);
  checkKnownKeys(FN, opts, ['bias', 'tol']);
  const useBias = opts.bias ?? false;
  if (typeof useBias !== 'boolean') {
    throw new InvalidInputError(FN, 'options.bias', `must be a boolean, got ${show(useBias)}`);
  }
  const tol =
    opts.tol === undefined ? 1e-9 : checkNumber(FN, 'options.tol', opts.tol, { min: 0, exclusiveMin: true });
  const { X, y, n, d } = checkData(data);

  let npos = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) npos++;
  if (useBias && (npos === 0 || npos === n)) {
    throw new InvalidInputError(
      FN,
      'data.y',
      `has only the label ${npos === 0 ? '-1' : '+1'}; with bias: true both classes are needed (with one class the margin is unbounded, b → ±∞). Use bias: false for a separator through the origin.`,
    );
  }
  if (!useBias) {
    for (let i = 0; i < n; i++) {
      let zero = true;
      for (let j = 0; j < d; j++) if (X[i * d + j] !== 0) zero = false;
      if (zero) throw notSeparable(false, ` (x[${i}] = 0, so yᵢθᵀxᵢ = 0 for every θ)`);
    }
  }

  // 1. Center (bias only) and find the row space.
  const center = new Float64Array(d);
  if (useBias) {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) center[j]! += X[i * d + j]!;
    for (let j = 0; j < d; j++) center[j]! /= n;
  }
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X[i * d + j]! - center[j]!;
  const { basis: Q, rank: r } = rowSpaceBasis(Xc, n, d);
  if (r === 0) {
    // Without bias this means X = 0, caught above; with bias all points coincide and both labels occur.
    throw notSeparable(useBias, useBias ? ' (all points coincide, with both labels)' : ' (X = 0)');
  }
  // 2. Coordinates in the basis, scaled to max norm 1.
  const Z = matmul(Xc, Q, n, d, r);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, norm2(Z.subarray(i * r, i * r + r)));
  for (let i = 0; i < Z.length; i++) Z[i]! /= scale;

  let iterations = 0;
  let z: Float64Array;
  let bScaled = 0;
  let alpha: Float64Array = new Float64Array(n);

  if (!useBias) {
    // 3. min ½‖z‖² s.t. yᵢ zᵢᵀ z ≥ 1.
    const G = new Float64Array(n * r);
    for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) G[i * r + j] = y[i]! * Z[i * r + j]!;
    const c = new Float64Array(n).fill(1);
    // Working set: the points with the smallest margins along v = Σ yᵢzᵢ.
    const v = new Float64Array(r);
    for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) v[j]! += G[i * r + j]!;
    const res = solveDiagonalQP(G, n, r, c, {
      initial: smallestFirst(G, n, r, v, null, workingSetSize(n, r)),
    });
    iterations += res.iterations;
    if (res.status === 'infeasible') throw notSeparable(false, '');
    if (res.status === 'error') throw new SolverFailedError(`${FN}: quadprog failed: ${res.message}`);
    z = res.x;
    alpha = res.lambda;
    // 5. Polish on the active set.
    const S: number[] = [];
    for (let i = 0; i < n; i++) if (alpha[i]! > 0) S.push(i);
    const pol = minNormOnActiveSet(G, r, c, S);
    if (pol?.lambda.every((v) => v >= 0)) {
      const a2 = new Float64Array(n);
      S.forEach((i, s) => {
        a2[i] = pol.lambda[s]!;
      });
      if (kktResidual(Z, y, n, r, pol.x, 0, a2, false) <= kktResidual(Z, y, n, r, z, 0, alpha, false)) {
        z = pol.x;
        alpha = a2;
      }
    }
  } else {
    // 4a. Ridge solve in (z, b): decides separability and ranks candidate support vectors.
    const m = r + 1;
    const G1 = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < r; j++) G1[i * m + j] = y[i]! * Z[i * r + j]!;
      G1[i * m + r] = y[i]!;
    }
    const rho = new Float64Array(m).fill(1);
    rho[r] = 1 / Math.sqrt(BIAS_RIDGE);
    const ones = new Float64Array(n).fill(1);
    // Working set: per class, the points nearest the other class along the difference of class means.
    const v = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const wgt = y[i] === 1 ? 1 / npos : 1 / (n - npos);
      for (let j = 0; j < r; j++) v[j]! += wgt * G1[i * m + j]!;
    }
    const res1 = solveDiagonalQP(G1, n, m, ones, {
      rho,
      initial: smallestFirst(G1, n, m, v, y, workingSetSize(n, m)),
    });
    iterations += res1.iterations;
    if (res1.status === 'infeasible') throw notSeparable(true, '');
    if (res1.status === 'error') throw new SolverFailedError(`${FN}: quadprog failed: ${res1.message}`);
    const slack = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += G1[i * m + j]! * res1.x[j]!;
      slack[i] = s - 1;
    }
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => res1.lambda[b]! - res1.lambda[a]! || slack[a]! - slack[b]! || a - b);
    const maxTries = Math.min(n, 24);

    // 4b–c. Exact solve on the face "k active", for candidates k in order.
    let best: { z: Float64Array; b: number; alpha: Float64Array; res: number } | null = null;
    for (let t = 0; t < maxTries; t++) {
      const k = order[t]!;
      const yk = y[k]!;
      const G2 = new Float64Array(n * r);
      const c2 = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (i === k) continue;
        for (let j = 0; j < r; j++) G2[i * r + j] = y[i]! * (Z[i * r + j]! - Z[k * r + j]!);
        c2[i] = 1 - y[i]! * yk;
      }
      const initial = order.slice(0, workingSetSize(n, r) + 1).filter((i) => i !== k);
      const res2 = solveDiagonalQP(G2, n, r, c2, { initial });
      iterations += res2.iterations;
      if (res2.status !== 'ok') continue;
      let zk = res2.x;
      let a = res2.lambda;
      a[k] = 0;
      const finish = (zz: Float64Array, aa: Float64Array) => {
        let s = 0;
        for (let i = 0; i < n; i++) if (i !== k) s += aa[i]! * y[i]!;
        aa[k] = -yk * s;
        let zkz = 0;
        for (let j = 0; j < r; j++) zkz += Z[k * r + j]! * zz[j]!;
        return yk - zkz;
      };
      let bk = finish(zk, a);
      let resK = kktResidual(Z, y, n, r, zk, bk, a, true);
      // 5. Polish on the active set of the restricted problem.
      const S: number[] = [];
      for (let i = 0; i < n; i++) if (i !== k && a[i]! > 0) S.push(i);
      const pol = minNormOnActiveSet(G2, r, c2, S);
      if (pol?.lambda.every((v) => v >= 0)) {
        const a2 = new Float64Array(n);
        S.forEach((i, s) => {
          a2[i] = pol.lambda[s]!;
        });
        const b2 = finish(pol.x, a2);
        const res2k = kktResidual(Z, y, n, r, pol.x, b2, a2, true);
        if (res2k <= resK) {
          zk = pol.x;
          a = a2;
          bk = b2;
          resK = res2k;
        }
      }
      // αₖ < 0 beyond rounding means k is not a support vector of the exact problem (the face "k active"
      // does not hold the optimum); at rounding level it is a degenerate active point. The dual polish
      // sorts this out, and the candidate is judged on the polished KKT residual.
      a = polishDual(Z, y, n, r, zk, bk, a, true);
      resK = kktResidual(Z, y, n, r, zk, bk, a, true);
      if (best === null || resK < best.res) best = { z: zk, b: bk, alpha: a, res: resK };
      if (resK <= Math.min(tol, 1e-12)) break;
    }
    if (best === null) {
      throw new SolverFailedError(
        `${FN}: the data are separable (bias: true) but no candidate support vector gave a feasible restricted problem`,
      );
    }
    z = best.z;
    bScaled = best.b;
    alpha = best.alpha;
  }

  // 5'. Dual polish (bias-free here; per candidate above with bias).
  alpha = polishDual(Z, y, n, r, z, bScaled, alpha, useBias);

  // 6. KKT residual and active set where the QP was solved (centered, scaled, in the basis): there the
  // problem is well conditioned, while evaluating on raw data far from the origin adds rounding of order
  // ε·maxᵢ‖xᵢ‖/γ* to every margin whatever the solver.
  const kkt = kktResidual(Z, y, n, r, z, bScaled, alpha, useBias);
  const active: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = bScaled;
    for (let j = 0; j < r; j++) s += Z[i * r + j]! * z[j]!;
    if (y[i]! * s <= 1 + tol) active.push(i);
  }
  // Back to the original coordinates: w = Qz/s so θ* = Qz/‖z‖ and γ* = 1/‖w‖ = s/‖z‖; b = b' − wᵀx̄ so
  // b* = b/‖w‖ = b'γ* − θ*ᵀx̄; α = α'/s², and p* = α/Σα does not depend on the scaling.
  const zn = norm2(z);
  const gamma = scale / zn;
  const theta = matmul(Q, z, d, r, 1);
  for (let j = 0; j < d; j++) theta[j]! /= zn;
  let biasUnit = 0;
  if (useBias) {
    let tc = 0;
    for (let j = 0; j < d; j++) tc += theta[j]! * center[j]!;
    biasUnit = bScaled * gamma - tc;
  }
  const dual = new Float64Array(n);
  let sumA = 0;
  for (let i = 0; i < n; i++) sumA += Math.max(0, alpha[i]!);
  for (let i = 0; i < n; i++) dual[i] = Math.max(0, alpha[i]!) / sumA;
  const support: number[] = [];
  for (let i = 0; i < n; i++) if (dual[i]! > 0) support.push(i);
  if (!(kkt <= tol) || !(gamma > 0) || !Number.isFinite(gamma)) {
    throw new SolverFailedError(
      `${FN}: the solution meets the KKT conditions only to ${kkt} (relative), above tol = ${tol}; the data may be nearly degenerate (a margin near the rank tolerance). Pass a larger options.tol to accept it.`,
    );
  }
  return {
    theta,
    bias: biasUnit,
    gamma,
    dual,
    support: Int32Array.from(support),
    active: Int32Array.from(active),
    kktResidual: kkt,
    iterations,
    rank: r,
  };
}
