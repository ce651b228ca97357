/**
 * ℓ_r norms and the link map ∇(½‖·‖_r²) shared by {@link mirrorDescent} (the p-norm potential and its
 * inverse) and {@link steepestDescent} (the ℓ_p step). Not part of the public API (not re-exported).
 * @internal
 * @packageDocumentation
 */

/**
 * ‖x‖_r = (Σᵢ |xᵢ|^r)^{1/r} for 1 ≤ r < ∞, without overflow or underflow: the sum is taken over
 * (|xᵢ|/m)^r with m = maxᵢ |xᵢ| ∈ the terms, so it lies in [1, n]. NaN in, NaN out; 0 for x = 0.
 * @internal
 */
export function normP(x: ArrayLike<number>, r: number): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
    else if (Number.isNaN(a)) return Number.NaN;
  }
  if (m === 0 || m === Number.POSITIVE_INFINITY) return m;
  let s = 0;
  for (let i = 0; i < n; i++) s += (Math.abs(x[i]!) / m) ** r;
  return m * s ** (1 / r);
}

/**
 * out = ∇(½‖·‖_r²)(x) for 1 < r < ∞, i.e. outᵢ = sign(xᵢ)·|xᵢ|^{r−1}/‖x‖_r^{r−2} = sign(xᵢ)·N·(|xᵢ|/N)^{r−1}
 * with N = ‖x‖_r. One power per entry: tᵢ = (|xᵢ|/m)^{r−1} with m = maxᵢ |xᵢ| (so tᵢ ≤ 1), then
 * ‖x‖_r = m·(Σ tᵢ·|xᵢ|/m)^{1/r} and outᵢ = sign(xᵢ)·k·tᵢ with k = N·(m/N)^{r−1} (m/N ∈ [n^{−1/r}, 1]):
 * no power of N or of |xᵢ| is formed, so nothing overflows for finite x. 0 at x = 0 (the gradient of
 * ½‖x‖² there); NaN in, NaN out. Returns out; out may not alias x.
 *
 * `e` is r − 1, passed by callers that know it more exactly (1/(p−1) for the dual exponent r = q, so
 * that p = 3 gives exactly 0.5); e = 2, 0.5 and 1 use a multiplication, √ or nothing instead of a power.
 *
 * The map with exponent r is inverted by the same map with the dual exponent r* = r/(r−1): with
 * z = ∇(½‖·‖_r²)(x), ‖z‖_{r*} = ‖x‖_r and ∇(½‖·‖_{r*}²)(z) = x, since (r−1)(r*−1) = 1.
 * @internal
 */
export function pNormLink(out: Float64Array, x: ArrayLike<number>, r: number, e = r - 1): Float64Array {
  const n = x.length;
  let m = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
    else if (Number.isNaN(a)) nan = true;
  }
  if (nan || m === Number.POSITIVE_INFINITY) {
    out.fill(Number.NaN, 0, n);
    return out;
  }
  if (m === 0) {
    out.fill(0, 0, n);
    return out;
  }
  // the common exponents (p = 3 or 1.5 and their duals, p = 2) avoid Math.pow, which costs ~10× more
  const square = e === 2;
  const root = e === 0.5;
  const one = e === 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]!) / m;
    // a ≤ 1: the power cannot overflow; entries far below m underflow to 0 harmlessly
    const t = square ? a * a : root ? Math.sqrt(a) : one ? a : a ** e;
    out[i] = t;
    s += t * a;
  }
  const N = m * s ** (1 / r);
  const k = N * (m / N) ** e;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v < 0 ? -k * out[i]! : v > 0 ? k * out[i]! : 0;
  }
  return out;
}

/** The dual exponent r* = r/(r − 1) of 1 < r < ∞ (1/r + 1/r* = 1). @internal */
export function dualExponent(r: number): number {
  return r / (r - 1);
}
