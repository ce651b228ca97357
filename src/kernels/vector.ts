/** Σᵢ a[i]·b[i] over the first n entries, four accumulators (independent chains) plus a clean-up loop. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number = a.length): number {
  const n4 = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * ‖a‖₂ over the first n entries without overflow or underflow: one plain pass of squares, which is exact
 * enough whenever the sum lies in (1e−280, ∞) (squares that underflowed then contribute < 1e−28
 * relative); otherwise a second pass scaled by the largest |aᵢ| (LAPACK dnrm2 style). NaN in, NaN out.
 */
export function norm2(a: ArrayLike<number>, n: number = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * a[i]!;
  if (s > 1e-280 && s < Number.POSITIVE_INFINITY) return Math.sqrt(s);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(a[i]!);
    if (Number.isNaN(v)) return Number.NaN;
    if (v > scale) scale = v;
  }
  if (scale === 0 || scale === Number.POSITIVE_INFINITY) return scale;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]! / scale;
    t += v * v;
  }
  return scale * Math.sqrt(t);
}

/** out = a (copy of the first n entries); returns out. */
export function copy(out: Float64Array, a: Float64Array, n: number = a.length): Float64Array {
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  return out;
}

/** True when every one of the first n entries is finite. */
export function allFinite(a: Float64Array, n: number = a.length): boolean {
  for (let i = 0; i < n; i++) {
    // x − x is NaN exactly for NaN and ±Infinity.
    if (a[i]! - a[i]! !== 0) return false;
  }
  return true;
}

/**
 * minᵢ margins[i] over the first n rows with c[i] ≠ 0 (+∞ when every c[i] is 0): the smallest margin that
 * the weighted loss sees, which sets the tail shift of the training loops.
 */
export function minMarginWhere(margins: Float64Array, c: Float64Array, n: number = margins.length): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) if (c[i]! !== 0 && margins[i]! < m) m = margins[i]!;
  return m;
}

/**
 * The regularizer λ‖θ‖₂^r: adds its gradient λ·r·‖θ‖^{r−2}·θ to `grad` and returns its value λ‖θ‖^r. At
 * θ = 0 the gradient is 0 (r ≠ 2) or 2λθ = 0 (r = 2): the subgradient 0 for r ≤ 1 as well.
 */
export function addNormPowerGradient(
  grad: Float64Array,
  theta: Float64Array,
  lambda: number,
  r: number,
  p: number = theta.length,
): number {
  const nrm = norm2(theta, p);
  const coef = nrm === 0 ? (r === 2 ? 2 * lambda : 0) : lambda * r * nrm ** (r - 2);
  for (let j = 0; j < p; j++) grad[j]! += coef * theta[j]!;
  return lambda * nrm ** r;
}
