/**
 * Steps 3–5 of {@link hardMarginSVM} on its fast path: the first working set, the Goldfarb–Idnani
 * active-set solve ({@link solveSvmActiveSet}) and the polish of its result. Internal to src/svm.
 * @internal
 * @packageDocumentation
 */
import { svmMargins } from '../kernels/svm.js';
import { kktResidual, polishDual, polishOnActiveSet, type QPData } from './hardMarginPolish.js';
import { solveSvmActiveSet } from './svmActiveSet.js';

/** The primal polish runs only when the solver's KKT residual is above this (it is ~5e-16 with few SVs). */
const POLISH_ABOVE = 1e-15;

/** The canonical solution in QP coordinates: min ½‖z‖² s.t. yᵢ(zᵢᵀz + b) ≥ 1, with multipliers α. */
export interface CanonicalSolution {
  z: Float64Array;
  /** b in QP coordinates (0 without bias). */
  b: number;
  alpha: Float64Array;
  /** Solver iterations over every solve made. */
  iterations: number;
}

/** What {@link solveByActiveSet} returns: the polished solution and its KKT residual, or why there is none. */
export type ActiveSetOutcome =
  | { status: 'ok'; solution: CanonicalSolution; residual: number; margins: Float64Array }
  | { status: 'infeasible' | 'stalled' };

/**
 * The `count` indices with the smallest values (ascending; ties by index) among `idx` with keys
 * `key[i]`. A selection (O(len)) finds the cut-off, so only the selected few are sorted.
 */
function smallest(key: Float64Array, idx: ArrayLike<number>, count: number): number[] {
  const len = idx.length;
  if (count <= 0 || len === 0) return [];
  const keys = new Float64Array(len);
  for (let t = 0; t < len; t++) keys[t] = key[idx[t]!]!;
  const cut = kthSmallest(keys, Math.min(count, len) - 1);
  const out: number[] = [];
  for (let t = 0; t < len; t++) if (key[idx[t]!]! <= cut) out.push(idx[t]!);
  out.sort((a, b) => key[a]! - key[b]! || a - b);
  return out.length > count ? out.slice(0, count) : out;
}

/** The k-th smallest value of a (0-based; a is reordered): Hoare's selection, median-of-three pivots. */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * The first working set: the points nearest the boundary along a cheap direction, v = Σ yᵢzᵢ without
 * bias, the difference of the class means with bias (then the nearest of each class, alternating, so
 * both sides are present and the first entry — the starting active point — is of the larger class's
 * nearest). min(n, 2m + 16) points for m unknowns.
 */
export function initialWorkingSet(data: QPData, bias: boolean, npos: number): number[] {
  const { coords: Z, y, n, r } = data;
  const m = bias ? r + 1 : r;
  const count = Math.min(n, 2 * m + 16);
  let v = data.direction;
  if (v === undefined) {
    v = new Float64Array(r);
    for (let i = 0; i < n; i++) {
      const wgt = y[i]! * (bias ? (y[i] === 1 ? 1 / npos : 1 / (n - npos)) : 1);
      const off = i * r;
      for (let j = 0; j < r; j++) v[j]! += wgt * Z[off + j]!;
    }
  }
  const score = svmMargins(new Float64Array(n), Z, y, v, 0, n, r);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (!bias) return smallest(score, all, count);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < n; i++) (y[i] === 1 ? pos : neg).push(i);
  const a = smallest(score, pos, count);
  const b = smallest(score, neg, count);
  const out: number[] = [];
  for (let t = 0; out.length < count && (t < a.length || t < b.length); t++) {
    if (t < a.length) out.push(a[t]!);
    if (t < b.length && out.length < count) out.push(b[t]!);
  }
  return out;
}

/**
 * The active-set solve of the canonical problem with its polish: when the KKT residual is above 1e-15,
 * the primal polish on the active set (without bias the min-norm solution of its equations; with bias
 * the same on the face "k active" for the active point k of largest multiplier, b = yₖ − zₖᵀz), kept when
 * it lowers the KKT residual; then the dual polish (which itself stops at 1e-14). `'infeasible'` and `'stalled'` pass the solver's verdict on (the caller decides).
 */
export function solveByActiveSet(data: QPData, bias: boolean, npos: number): ActiveSetOutcome {
  const { coords: Z, y, n, r } = data;
  const res = solveSvmActiveSet(data, bias, initialWorkingSet(data, bias, npos));
  if (res.status !== 'ok') return { status: res.status };
  let z: Float64Array = res.w;
  let b = res.b;
  let alpha: Float64Array = new Float64Array(n);
  const k = res.active.length;
  for (let t = 0; t < k; t++) alpha[res.active[t]!] = res.multipliers[t]!;
  let margins = res.margins ?? svmMargins(new Float64Array(n), Z, y, z, b, n, r);
  let residual = kktResidual(data, z, b, alpha, bias, margins);
  if (k > 0 && residual > POLISH_ABOVE) {
    // Rows of the active equations (compact, k×r): yᵢzᵢᵀz = 1, or on the face of kf:
    // yᵢ(zᵢ − z_kf)ᵀz = 1 − yᵢy_kf.
    let kf = 0;
    for (let t = 1; t < k; t++) if (res.multipliers[t]! > res.multipliers[kf]!) kf = t;
    const f = res.active[kf]!;
    const rows = new Float64Array(k * r);
    const rhs = new Float64Array(k);
    for (let t = 0; t < k; t++) {
      const i = res.active[t]!;
      const yi = y[i]!;
      if (bias && t === kf) continue;
      for (let j = 0; j < r; j++) rows[t * r + j] = yi * (Z[i * r + j]! - (bias ? Z[f * r + j]! : 0));
      rhs[t] = bias ? 1 - yi * y[f]! : 1;
    }
    const polished = polishOnActiveSet(rows, k, r, rhs, res.multipliers, bias ? kf : -1);
    if (polished !== null) {
      const a2 = new Float64Array(n);
      let balance = 0;
      for (let t = 0; t < k; t++) {
        a2[res.active[t]!] = polished.alpha[t]!;
        balance += polished.alpha[t]! * y[res.active[t]!]!;
      }
      let b2 = 0;
      if (bias) {
        // b = y_f − z_fᵀz, and stationarity in b: α_f = −y_f Σ_{i≠f} αᵢyᵢ.
        a2[f] = -y[f]! * balance;
        let zf = 0;
        for (let j = 0; j < r; j++) zf += Z[f * r + j]! * polished.x[j]!;
        b2 = y[f]! - zf;
      }
      if (a2[f]! >= 0) {
        const m2 = svmMargins(new Float64Array(n), Z, y, polished.x, b2, n, r);
        const r2 = kktResidual(data, polished.x, b2, a2, bias, m2);
        if (r2 <= residual) {
          z = polished.x;
          b = b2;
          alpha = a2;
          residual = r2;
          margins = m2;
        }
      }
    }
  }
  const dual = polishDual(data, z, b, alpha, bias, residual);
  return {
    status: 'ok',
    solution: { z, b, alpha: dual.alpha, iterations: res.iterations },
    residual: dual.residual,
    margins,
  };
}
