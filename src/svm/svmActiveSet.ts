/**
 * The dual active-set method of Goldfarb & Idnani for the canonical hard-margin SVM
 * min ½‖w‖² s.t. yᵢ(zᵢᵀw + b) ≥ 1 (b = 0 without bias), written for this problem: the Hessian is the
 * identity on w (no Cholesky) and, with bias, 0 on b (handled exactly, see {@link solveSvmActiveSet});
 * the constraints are priced through a short candidate list and a working set that grows from full scans
 * of all n points, and the method continues from where it stood when constraints join (no restart).
 * Internal to src/svm.
 * @internal
 * @packageDocumentation
 */
import {
  svmApplyHouseholder,
  svmBackSubstitute,
  svmColumnDots,
  svmCombineColumns,
  svmHouseholderQR,
  svmMargins,
  svmMarginsAt,
  svmRankOneColumns,
  svmRotateColumns,
} from '../kernels/svm.js';
import type { QPData } from './hardMarginPolish.js';

/** What {@link solveSvmActiveSet} returns. */
export interface SvmActiveSetResult {
  /**
   * `'ok'`: no constraint is violated beyond rounding and the multipliers are ≥ 0 (the KKT point of the
   * full problem up to rounding); `'infeasible'`: a violated constraint is a nonnegative combination of
   * active ones, so no step can satisfy it (the data are not separable); `'stalled'`: the iteration budget
   * ran out (degenerate data): the caller uses another method.
   */
  status: 'ok' | 'infeasible' | 'stalled';
  /** w (length r). */
  w: Float64Array;
  /** b (0 without bias). */
  b: number;
  /** The active set A in the order of the factorization. */
  active: Int32Array;
  /** The multipliers αᵢ ≥ 0 of the active set (same order). */
  multipliers: Float64Array;
  /** yᵢ(zᵢᵀw + b) for every i at the returned point (null when not at hand). */
  margins: Float64Array | null;
  /** Goldfarb–Idnani steps: constraints added plus constraints dropped. */
  iterations: number;
  /** Constraints dropped. */
  drops: number;
  /** Full scans over the n points. */
  scans: number;
  /** Final size of the working set. */
  workingSet: number;
}

/**
 * A violation below (this factor)·ε·(m + 1)·(rounding scale of the margin) is treated as rounding noise
 * while the active set is being built (adding such constraints is what makes active-set methods cycle on
 * degenerate data).
 */
const NOISE = 4 * Number.EPSILON;

/**
 * The final pass admits violations down to (this factor)·ε·(rounding scale), the size of the rounding of
 * one margin, so that near-twins of support vectors violated by ~1e-14 are not left out; it gets a short
 * budget of its own and falls back to the point reached before it.
 */
const TIGHT = 2 * Number.EPSILON;

/** Length of the candidate list priced at every step (re-filled from the working set when it runs dry). */
const CANDIDATES = 6;

/** Smallest number of violated points a full scan moves into the working set. */
const MIN_JOIN = 32;

/**
 * The active normals as N = J₁R: J = [J₁ J₂] (m×m orthogonal, column-major: column c at J[c·m …]) and R
 * (upper triangular, row-major in an m×m array: R[i·m + j] for i ≤ j), k active columns. While k ≤ 2m/3
 * only J₁ is kept (`full` false; Gram–Schmidt updates cost ~5mk per step), afterwards all of J
 * (`full` true; Householder updates cost ~m² + 3m(m − k)): the full J is cheaper per step from
 * k ≈ m/2 on, but completing it costs ~20 steps, which pays only when the active set keeps growing. `v`, `w`, `t` are scratch
 * vectors of length m.
 */
interface Factor {
  readonly m: number;
  readonly J: Float64Array;
  readonly R: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly t: Float64Array;
  k: number;
  full: boolean;
}

/**
 * d[0 … k) = J₁ᵀn and, with the full J, d[k … m) = J₂ᵀn; with J₁ only, p = (I − J₁J₁ᵀ)n = J₂J₂ᵀn instead
 * (classical Gram–Schmidt, run a second time when ‖p‖² < ½‖n‖², the DGKS criterion, which keeps p
 * orthogonal to J₁ to rounding: "twice is enough", Giraud et al., Numer. Math. 101 (2005)). Returns
 * ‖J₂ᵀn‖².
 */
function project(f: Factor, n: Float64Array, d: Float64Array, p: Float64Array): number {
  const { m, J, k, t, w } = f;
  if (f.full) {
    svmColumnDots(d, J, n, m, 0, m);
    let s = 0;
    for (let c = k; c < m; c++) s += d[c]! * d[c]!;
    return s;
  }
  svmColumnDots(d, J, n, m, 0, k);
  svmCombineColumns(t, J, d, m, 0, k);
  let nn = 0;
  let s = 0;
  for (let j = 0; j < m; j++) {
    const v = n[j]! - t[j]!;
    p[j] = v;
    nn += n[j]! * n[j]!;
    s += v * v;
  }
  // Daniel–Gragg–Kaufman–Stewart: a second pass only when more than half of ‖n‖² cancelled.
  if (s > 0.5 * nn) return s;
  svmColumnDots(w, J, p, m, 0, k);
  svmCombineColumns(t, J, w, m, 0, k);
  s = 0;
  for (let j = 0; j < m; j++) {
    const v = p[j]! - t[j]!;
    p[j] = v;
    s += v * v;
  }
  for (let c = 0; c < k; c++) d[c]! += w[c]!;
  return s;
}

/**
 * Appends the column with d = Jᵀn⁺ (or d₁ and p from {@link project}) as column k of R. Full J: one
 * Householder reflection H on d[k … m), applied to J's columns k … m − 1 as well (J₂ ← J₂H), leaves
 * d[k+1 … m) = 0 (one reflection reads and writes J₂ once, where m − k − 1 plane rotations would touch
 * every column twice). J₁ only: the new column of J is p/‖p‖ and R's is (d₁, ‖p‖). Past k = 2m/3 the
 * factor switches to the full J ({@link completeBasis}).
 */
function appendColumn(f: Factor, d: Float64Array, p: Float64Array, rho2: number): void {
  const { m, J, R, v, w, k } = f;
  if (f.full) {
    const norm = Math.sqrt(rho2);
    const x0 = d[k]!;
    if (norm > 0 && rho2 > x0 * x0) {
      // v = d₂ − αe₁ with α = −sign(x₀)‖d₂‖ (no cancellation), H = I − βvvᵀ, β = 1/(‖d₂‖(‖d₂‖ + |x₀|)).
      const alpha = x0 > 0 ? -norm : norm;
      const beta = 1 / (norm * (norm + Math.abs(x0)));
      v.fill(0, 0, k);
      for (let i = k; i < m; i++) v[i] = d[i]!;
      v[k] = x0 - alpha;
      svmCombineColumns(w, J, v, m, k, m);
      svmRankOneColumns(J, w, v, beta, m, k, m);
      d[k] = alpha;
    }
    for (let i = 0; i <= k; i++) R[i * m + k] = d[i]!;
  } else {
    const rho = Math.sqrt(rho2);
    const off = k * m;
    for (let j = 0; j < m; j++) J[off + j] = p[j]! / rho;
    for (let i = 0; i < k; i++) R[i * m + k] = d[i]!;
    R[k * m + k] = rho;
  }
  f.k = k + 1;
  if (!f.full && 3 * f.k > 2 * m) completeBasis(f);
}

/**
 * Completes J₁ (m×k, orthonormal columns) to an orthogonal J: a Householder QR J₁ = H₀⋯H_{k−1}[D; 0]
 * (D diagonal ±1) gives J₂ = H₀⋯H_{k−1}[0; I] as an orthonormal basis of the complement; J₁ and R stay
 * as they are. O(m²k), once.
 */
function completeBasis(f: Factor): void {
  const { m, J, k, t } = f;
  const A = J.slice(0, k * m);
  const diag = new Float64Array(k);
  const beta = new Float64Array(k);
  svmHouseholderQR(A, m, k, diag, beta);
  for (let c = k; c < m; c++) {
    t.fill(0);
    t[c] = 1;
    svmApplyHouseholder(t, A, m, k, beta, false);
    J.set(t, c * m);
  }
  f.full = true;
}

/**
 * Removes column l of R (the active constraint at position l, also from `act` and `u`): the later
 * columns shift left and plane rotations (on R's rows and J's columns) restore the triangle.
 */
function removeColumn(f: Factor, l: number, act: Int32Array, u: Float64Array): void {
  const { m, J, R } = f;
  const k = f.k - 1;
  for (let c = l; c < k; c++) {
    act[c] = act[c + 1]!;
    u[c] = u[c + 1]!;
  }
  // Row i holds R[i][i … k]; columns l+1 … k move one to the left.
  for (let i = 0; i <= k; i++) {
    const oi = i * m;
    R.copyWithin(oi + Math.max(l, i - 1), oi + Math.max(l, i - 1) + 1, oi + k + 1);
    R[oi + k] = 0;
  }
  f.k = k;
  for (let c = l; c < k; c++) {
    const oc = c * m;
    const od = oc + m;
    const a = R[oc + c]!;
    const bb = R[od + c]!;
    if (bb === 0) continue;
    const h = Math.sqrt(a * a + bb * bb);
    const cs = a / h;
    const sn = bb / h;
    R[oc + c] = h;
    R[od + c] = 0;
    for (let j = c + 1; j < k; j++) {
      const t1 = R[oc + j]!;
      const t2 = R[od + j]!;
      R[oc + j] = cs * t1 + sn * t2;
      R[od + j] = cs * t2 - sn * t1;
    }
    svmRotateColumns(J, c, c + 1, m, cs, sn);
  }
}

/**
 * Solves min ½‖w‖² s.t. yᵢ(zᵢᵀw + b) ≥ 1 (b ≡ 0 without bias) by the Goldfarb–Idnani dual active-set
 * method on the primal, in x = (w, b) ∈ ℝᵐ (m = r + 1 with bias).
 *
 * **Method.** The active normals N = [nᵢ], nᵢ = yᵢ(zᵢ, 1), are kept as N = J₁R with J = [J₁ J₂] orthogonal
 * (m×m) and R upper triangular (Goldfarb & Idnani 1983, §4), updated when a constraint joins (Gram–Schmidt
 * on J₁ alone while k ≤ 2m/3, then one Householder reflection of J₂) or leaves (plane rotations). To add a violated constraint p with normal n⁺, the step (z, r) solves Hz + Nr = n⁺,
 * Nᵀz = 0 (z: primal direction keeping A active; r: rate of change of the multipliers). Without bias
 * H = I and z = J₂J₂ᵀn⁺, Rr = J₁ᵀn⁺. With bias H = diag(I, 0) is singular, but on the null space of Nᵀ
 * the reduced Hessian J₂ᵀHJ₂ = I − qqᵀ (q = J₂ᵀe_b) is positive definite as soon as A is not empty
 * (1 − ‖q‖² = ‖J₁ᵀe_b‖² ≥ 1/(1 + maxᵢ‖zᵢ‖²)); by Sherman–Morrison z = J₂(d₂ + βq) with d = Jᵀn⁺,
 * β = qᵀd₂/‖J₁ᵀe_b‖² (= z_b), and Rr = d₁ + βJ₁ᵀe_b. So the bias case starts from the dual-feasible point
 * A = {k}, w = 0, b = yₖ, αₖ = 0 for one point k (only the other class is violated there) and A does not
 * run empty again (Σαᵢyᵢ = 0 with the entering multiplier > 0 keeps a point of the other class active).
 *
 * The step length is the smaller of the full primal step −sₚ/(zᵀn⁺) and the largest dual step keeping
 * α ≥ 0; in the second case the blocking constraint leaves A and p is tried again. Pricing: the
 * constraint added next is the most violated (by slack/‖nᵢ‖) of a short candidate list; when none of it
 * is violated beyond rounding, the list is refilled with the most violated points of the working set W;
 * when W has none, all n margins are computed (one pass) and the violated points join W, most violated
 * first (at most max(|W|, 32) per scan). No violated point left means optimal.
 *
 * @param data - points zᵢ (rows of Z, n×r) with labels.
 * @param bias - fit b.
 * @param initial - the first working set, in priority order; with bias, its first entry is the starting
 *   active point.
 */
export function solveSvmActiveSet(
  data: QPData,
  bias: boolean,
  initial: ArrayLike<number>,
): SvmActiveSetResult {
  const { coords: Z, y, n, r } = data;
  const m = bias ? r + 1 : r;
  const J = new Float64Array(m * m);
  const f: Factor = {
    m,
    J,
    R: new Float64Array(m * m),
    v: new Float64Array(m),
    w: new Float64Array(m),
    t: new Float64Array(m),
    k: 0,
    full: false,
  };
  const R = f.R;
  const act = new Int32Array(m);
  const u = new Float64Array(m);
  const x = new Float64Array(m); // (w, b)
  const w = x.subarray(0, r);
  const normal = new Float64Array(m);
  const dv = new Float64Array(m);
  const zv = new Float64Array(m);
  const rv = new Float64Array(m);
  const coef = new Float64Array(m);
  const pv = new Float64Array(m);
  const isAct = new Uint8Array(n);
  const inW = new Uint8Array(n);
  const W = new Int32Array(n);
  let wn = 0;
  const margins = new Float64Array(n);
  const zNorm = new Float64Array(n);
  const invNorm = new Float64Array(n);
  const rowNorm2 = data.rowNorm2;
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (rowNorm2 !== undefined) s = rowNorm2[i]!;
    else for (let j = 0; j < r; j++) s += Z[i * r + j]! * Z[i * r + j]!;
    zNorm[i] = Math.sqrt(s);
    invNorm[i] = 1 / Math.sqrt(bias ? s + 1 : s);
  }
  for (let t = 0; t < initial.length; t++) {
    const i = initial[t]!;
    if (inW[i] === 0) {
      inW[i] = 1;
      W[wn++] = i;
    }
  }
  const cand = new Int32Array(CANDIDATES);
  const candScore = new Float64Array(CANDIDATES);
  let cc = 0;
  const slack = new Float64Array(n);
  const budget = 60 * (m + 10) + 4 * n;
  let iterations = 0;
  let drops = 0;
  let scans = 0;

  if (bias) {
    // Dual-feasible start: A = {k₀}, w = 0, b = y_{k₀}, α_{k₀} = 0.
    const k0 = initial.length > 0 ? initial[0]! : 0;
    for (let j = 0; j < r; j++) normal[j] = y[k0]! * Z[k0 * r + j]!;
    normal[r] = y[k0]!;
    appendColumn(f, dv, pv, project(f, normal, dv, pv));
    act[0] = k0;
    u[0] = 0;
    isAct[k0] = 1;
    x[r] = y[k0]!;
  }

  let status: SvmActiveSetResult['status'] = 'ok';
  let tight = false;
  let tightBudget = 0;
  let saved: { x: Float64Array; act: Int32Array; u: Float64Array } | null = null;
  let restore = false;
  main: for (;;) {
    // Pricing: the most violated point of the candidate list; else refill it from W; else scan all n.
    let wNorm = 0;
    for (let j = 0; j < r; j++) wNorm += w[j]! * w[j]!;
    wNorm = Math.sqrt(wNorm);
    const b = bias ? x[r]! : 0;
    const noiseScale = tight ? TIGHT : NOISE * (m + 1);
    const noise0 = noiseScale * (1 + Math.abs(b));
    const noise1 = noiseScale * wNorm;
    let p = -1;
    let worst = 0;
    if (cc > 0) {
      svmMarginsAt(slack, Z, y, w, b, cand, cc, r);
      for (let t = 0; t < cc; t++) {
        const i = cand[t]!;
        if (isAct[i] === 1) continue;
        const s = slack[t]! - 1;
        if (s < -(noise0 + noise1 * zNorm[i]!) && s * invNorm[i]! < worst) {
          worst = s * invNorm[i]!;
          p = i;
        }
      }
    }
    if (p < 0) {
      // Refill from W: the CANDIDATES most violated (insertion into a short sorted list).
      cc = 0;
      svmMarginsAt(slack, Z, y, w, b, W, wn, r);
      for (let t = 0; t < wn; t++) {
        const i = W[t]!;
        const s = slack[t]! - 1;
        if (isAct[i] === 1 || !(s < -(noise0 + noise1 * zNorm[i]!))) continue;
        const v = s * invNorm[i]!;
        if (cc === CANDIDATES && v >= candScore[cc - 1]!) continue;
        let pos = cc < CANDIDATES ? cc++ : cc - 1;
        while (pos > 0 && candScore[pos - 1]! > v) {
          candScore[pos] = candScore[pos - 1]!;
          cand[pos] = cand[pos - 1]!;
          pos--;
        }
        candScore[pos] = v;
        cand[pos] = i;
      }
      if (cc > 0) p = cand[0]!;
    }
    if (p < 0) {
      scans++;
      svmMargins(margins, Z, y, w, b, n, r);
      const viol: number[] = [];
      for (let i = 0; i < n; i++) {
        if (isAct[i] === 1 || (inW[i] === 1 && !tight)) continue;
        const s = margins[i]! - 1;
        if (s < -(noise0 + noise1 * zNorm[i]!)) viol.push(i);
      }
      if (viol.length === 0) {
        if (tight) break;
        // Optimal to the loose threshold: one more round at the rounding level of a margin, on the
        // margins just computed (all n of them, W included).
        const t0 = TIGHT * (1 + Math.abs(b));
        const t1 = TIGHT * wNorm;
        for (let i = 0; i < n; i++) {
          if (isAct[i] === 0 && margins[i]! - 1 < -(t0 + t1 * zNorm[i]!)) viol.push(i);
        }
        if (viol.length === 0) break;
        tight = true;
        tightBudget = iterations + 4 * m + 20;
        saved = { x: x.slice(), act: act.slice(0, f.k), u: u.slice(0, f.k) };
      }
      viol.sort((a, c) => (margins[a]! - 1) * invNorm[a]! - (margins[c]! - 1) * invNorm[c]! || a - c);
      const count = Math.min(viol.length, Math.max(wn, MIN_JOIN));
      for (let t = 0; t < count; t++) {
        if (inW[viol[t]!] === 1) continue;
        inW[viol[t]!] = 1;
        W[wn++] = viol[t]!;
      }
      cc = Math.min(CANDIDATES, count);
      for (let t = 0; t < cc; t++) cand[t] = viol[t]!;
      p = cand[0]!;
    }
    // Add p: full steps, or partial steps that drop a blocking constraint and try p again.
    const yp = y[p]!;
    for (let j = 0; j < r; j++) normal[j] = yp * Z[p * r + j]!;
    if (bias) normal[r] = yp;
    let nn = 0;
    for (let j = 0; j < m; j++) nn += normal[j]! * normal[j]!;
    let up = 0;
    for (;;) {
      if (++iterations > (tight ? tightBudget : budget)) {
        if (tight) restore = true;
        else status = 'stalled';
        break main;
      }
      const k = f.k;
      const rho2 = project(f, normal, dv, pv);
      // z = J₂(d₂ + βq) with q = J₂ᵀe_b, β = qᵀd₂/‖J₁ᵀe_b‖² (0 without bias); with J₁ only, J₂d₂ = p,
      // qᵀd₂ = p_b and J₂q = e_b − J₁(J₁ᵀe_b).
      let beta = 0;
      let pp = 0;
      if (bias) for (let c = 0; c < k; c++) pp += J[c * m + r]! * J[c * m + r]!;
      if (f.full) {
        if (bias) {
          let qd = 0;
          for (let c = k; c < m; c++) qd += J[c * m + r]! * dv[c]!;
          beta = qd / pp;
        }
        for (let c = k; c < m; c++) coef[c] = dv[c]! + (bias ? beta * J[c * m + r]! : 0);
        svmCombineColumns(zv, J, coef, m, k, m);
      } else if (bias) {
        beta = pv[r]! / pp;
        for (let c = 0; c < k; c++) coef[c] = J[c * m + r]!;
        svmCombineColumns(zv, J, coef, m, 0, k);
        for (let j = 0; j < m; j++) zv[j] = pv[j]! - beta * zv[j]!;
        zv[r]! += beta;
      } else zv.set(pv);
      // R r = d₁ + β J₁ᵀe_b.
      for (let i = 0; i < k; i++) rv[i] = dv[i]! + beta * (bias ? J[i * m + r]! : 0);
      svmBackSubstitute(rv, R, rv, m, k);
      let t1 = Number.POSITIVE_INFINITY;
      let l = -1;
      for (let j = 0; j < k; j++) {
        if (rv[j]! > 0) {
          const t = u[j]! / rv[j]!;
          if (t < t1) {
            t1 = t;
            l = j;
          }
        }
      }
      let zn = 0;
      for (let j = 0; j < m; j++) zn += zv[j]! * normal[j]!;
      if (zn <= 64 * Number.EPSILON * nn) {
        // n⁺ is (numerically) a combination of the active normals: no primal step.
        if (l < 0) {
          if (tight) restore = true;
          else status = 'infeasible';
          break main;
        }
        for (let j = 0; j < k; j++) u[j]! -= t1 * rv[j]!;
        up += t1;
        isAct[act[l]!] = 0;
        removeColumn(f, l, act, u);
        drops++;
        continue;
      }
      let sp = bias ? x[r]! : 0;
      for (let j = 0; j < r; j++) sp += Z[p * r + j]! * w[j]!;
      sp = yp * sp - 1;
      const t2 = Math.max(0, -sp / zn);
      const t = Math.min(t1, t2);
      for (let j = 0; j < m; j++) x[j]! += t * zv[j]!;
      for (let j = 0; j < k; j++) u[j]! -= t * rv[j]!;
      up += t;
      if (t2 <= t1) {
        appendColumn(f, dv, pv, rho2);
        act[k] = p;
        u[k] = up;
        isAct[p] = 1;
        break;
      }
      u[l] = 0;
      isAct[act[l]!] = 0;
      removeColumn(f, l, act, u);
      drops++;
    }
  }
  // The final pass ran out of budget or hit a rounding-level dependence: keep the point reached before it.
  const out = restore && saved !== null ? saved : { x, act: act.slice(0, f.k), u: u.slice(0, f.k) };
  return {
    status,
    w: out.x.slice(0, r),
    b: bias ? out.x[r]! : 0,
    active: out.act,
    multipliers: out.u,
    // After a normal end the last full pass was made at the returned point and nothing moved since.
    margins: status === 'ok' && !(restore && saved !== null) ? margins : null,
    iterations,
    drops,
    scans,
    workingSet: wn,
  };
}
