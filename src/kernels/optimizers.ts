/**
 * Per-step update loops of the optimizers in `src/gd` (and the joint step of `trainLearnedWeights`), one
 * function per update rule. Each works on the first n entries of contiguous Float64Arrays, writes its
 * output (the first argument) in place, validates nothing and allocates nothing.
 *
 * Bit-exactness: every kernel performs, per element, exactly the floating-point operations of the scalar
 * update it replaces, in the same order (the optimizers' TSDoc states that order, e.g. PyTorch's for
 * Adam). Element-wise loops are unrolled by four, which does not change any element's arithmetic; the
 * reductions ({@link sumAbs}, {@link normP}, {@link pNormLink}) add their terms in index order with one
 * accumulator, so their results are those of the plain sequential loop.
 * @packageDocumentation
 */

/**
 * Gradient descent in place: θⱼ ← θⱼ − lr·gⱼ for j < n, computed as `theta[j] -= lr * grad[j]`. Returns
 * theta. `grad` may not alias `theta`.
 */
export function gdUpdate(theta: Float64Array, grad: Float64Array, lr: number, n: number): Float64Array {
  const n4 = n - (n % 4);
  let j = 0;
  // Unrolled: four independent read-modify-writes per iteration, each with the arithmetic of the plain loop.
  for (; j < n4; j += 4) {
    theta[j]! -= lr * grad[j]!;
    theta[j + 1]! -= lr * grad[j + 1]!;
    theta[j + 2]! -= lr * grad[j + 2]!;
    theta[j + 3]! -= lr * grad[j + 3]!;
  }
  for (; j < n; j++) theta[j]! -= lr * grad[j]!;
  return theta;
}

/**
 * Gradient descent with one step size per block, in place: θⱼ ← θⱼ − lr·gⱼ for j < split and
 * θⱼ ← θⱼ − lr2·gⱼ for split ≤ j < n (the joint (θ, ψ, b) step of `trainLearnedWeights`). Returns theta.
 */
export function blockGdUpdate(
  theta: Float64Array,
  grad: Float64Array,
  lr: number,
  split: number,
  lr2: number,
  n: number,
): Float64Array {
  let j = 0;
  const a4 = split - (split % 4);
  for (; j < a4; j += 4) {
    theta[j]! -= lr * grad[j]!;
    theta[j + 1]! -= lr * grad[j + 1]!;
    theta[j + 2]! -= lr * grad[j + 2]!;
    theta[j + 3]! -= lr * grad[j + 3]!;
  }
  for (; j < split; j++) theta[j]! -= lr * grad[j]!;
  const b4 = n - ((n - split) % 4);
  for (; j < b4; j += 4) {
    theta[j]! -= lr2 * grad[j]!;
    theta[j + 1]! -= lr2 * grad[j + 1]!;
    theta[j + 2]! -= lr2 * grad[j + 2]!;
    theta[j + 3]! -= lr2 * grad[j + 3]!;
  }
  for (; j < n; j++) theta[j]! -= lr2 * grad[j]!;
  return theta;
}

/**
 * out = θ − c·g (`out[j] = theta[j] - c * grad[j]`): the Euclidean mirror step, the arithmetic of
 * {@link gdUpdate} written elsewhere. `out` may alias `theta`. Returns out.
 */
export function gdStep(
  out: Float64Array,
  theta: Float64Array,
  grad: Float64Array,
  c: number,
  n: number,
): Float64Array {
  const n4 = n - (n % 4);
  let j = 0;
  for (; j < n4; j += 4) {
    out[j] = theta[j]! - c * grad[j]!;
    out[j + 1] = theta[j + 1]! - c * grad[j + 1]!;
    out[j + 2] = theta[j + 2]! - c * grad[j + 2]!;
    out[j + 3] = theta[j + 3]! - c * grad[j + 3]!;
  }
  for (; j < n; j++) out[j] = theta[j]! - c * grad[j]!;
  return out;
}

/**
 * Heavy-ball or Nesterov momentum in place (PyTorch SGD order), with g = gradScale·gⱼ:
 * v ← β·v + g, then θ −= lr·v (Polyak) or θ −= lr·(g + β·v) (nesterov). Returns theta.
 */
export function momentumUpdate(
  theta: Float64Array,
  velocity: Float64Array,
  grad: Float64Array,
  gradScale: number,
  lr: number,
  beta: number,
  nesterov: boolean,
  n: number,
): Float64Array {
  const n4 = n - (n % 4);
  let j = 0;
  if (nesterov) {
    for (; j < n4; j += 4) {
      const g0 = gradScale * grad[j]!;
      const g1 = gradScale * grad[j + 1]!;
      const g2 = gradScale * grad[j + 2]!;
      const g3 = gradScale * grad[j + 3]!;
      const v0 = beta * velocity[j]! + g0;
      const v1 = beta * velocity[j + 1]! + g1;
      const v2 = beta * velocity[j + 2]! + g2;
      const v3 = beta * velocity[j + 3]! + g3;
      velocity[j] = v0;
      velocity[j + 1] = v1;
      velocity[j + 2] = v2;
      velocity[j + 3] = v3;
      theta[j]! -= lr * (g0 + beta * v0);
      theta[j + 1]! -= lr * (g1 + beta * v1);
      theta[j + 2]! -= lr * (g2 + beta * v2);
      theta[j + 3]! -= lr * (g3 + beta * v3);
    }
    for (; j < n; j++) {
      const g = gradScale * grad[j]!;
      const vj = beta * velocity[j]! + g;
      velocity[j] = vj;
      theta[j]! -= lr * (g + beta * vj);
    }
  } else {
    for (; j < n4; j += 4) {
      const v0 = beta * velocity[j]! + gradScale * grad[j]!;
      const v1 = beta * velocity[j + 1]! + gradScale * grad[j + 1]!;
      const v2 = beta * velocity[j + 2]! + gradScale * grad[j + 2]!;
      const v3 = beta * velocity[j + 3]! + gradScale * grad[j + 3]!;
      velocity[j] = v0;
      velocity[j + 1] = v1;
      velocity[j + 2] = v2;
      velocity[j + 3] = v3;
      theta[j]! -= lr * v0;
      theta[j + 1]! -= lr * v1;
      theta[j + 2]! -= lr * v2;
      theta[j + 3]! -= lr * v3;
    }
    for (; j < n; j++) {
      const vj = beta * velocity[j]! + gradScale * grad[j]!;
      velocity[j] = vj;
      theta[j]! -= lr * vj;
    }
  }
  return theta;
}

/**
 * Adam in place, in the per-coordinate operation order of PyTorch's kernels, with g = gradScale·gⱼ and
 * w = 1 − β₁: m ← lerp(m, g, w) (m + w·(g − m) when |w| < 0.5, else g − (g − m)·(1 − w), as ATen), then
 * v ← v·β₂ + (1 − β₂)·g·g, then θ −= (stepSize·m) / (√v / bc2Sqrt + eps). The caller forms
 * stepSize = lr/(1 − β₁ᵗ) and bc2Sqrt = √(1 − β₂ᵗ). Returns theta.
 */
export function adamUpdate(
  theta: Float64Array,
  m: Float64Array,
  v: Float64Array,
  grad: Float64Array,
  gradScale: number,
  stepSize: number,
  bc2Sqrt: number,
  beta1: number,
  beta2: number,
  eps: number,
  n: number,
): Float64Array {
  const w = 1 - beta1;
  const oneMinusW = 1 - w;
  const oneMinusBeta2 = 1 - beta2;
  const n2 = n - (n % 2);
  let j = 0;
  // The lerp branch is chosen once (it depends on β₁ only); each branch is unrolled by two, which
  // leaves every coordinate's arithmetic as in the one-at-a-time loop (the sqrt and divide dominate).
  if (Math.abs(w) < 0.5) {
    for (; j < n2; j += 2) {
      const g0 = gradScale * grad[j]!;
      const g1 = gradScale * grad[j + 1]!;
      const m0 = m[j]! + w * (g0 - m[j]!);
      const m1 = m[j + 1]! + w * (g1 - m[j + 1]!);
      const v0 = v[j]! * beta2 + oneMinusBeta2 * g0 * g0;
      const v1 = v[j + 1]! * beta2 + oneMinusBeta2 * g1 * g1;
      m[j] = m0;
      m[j + 1] = m1;
      v[j] = v0;
      v[j + 1] = v1;
      theta[j]! -= (stepSize * m0) / (Math.sqrt(v0) / bc2Sqrt + eps);
      theta[j + 1]! -= (stepSize * m1) / (Math.sqrt(v1) / bc2Sqrt + eps);
    }
    for (; j < n; j++) {
      const g = gradScale * grad[j]!;
      const mj = m[j]! + w * (g - m[j]!);
      const vj = v[j]! * beta2 + oneMinusBeta2 * g * g;
      m[j] = mj;
      v[j] = vj;
      theta[j]! -= (stepSize * mj) / (Math.sqrt(vj) / bc2Sqrt + eps);
    }
  } else {
    for (; j < n2; j += 2) {
      const g0 = gradScale * grad[j]!;
      const g1 = gradScale * grad[j + 1]!;
      const m0 = g0 - (g0 - m[j]!) * oneMinusW;
      const m1 = g1 - (g1 - m[j + 1]!) * oneMinusW;
      const v0 = v[j]! * beta2 + oneMinusBeta2 * g0 * g0;
      const v1 = v[j + 1]! * beta2 + oneMinusBeta2 * g1 * g1;
      m[j] = m0;
      m[j + 1] = m1;
      v[j] = v0;
      v[j + 1] = v1;
      theta[j]! -= (stepSize * m0) / (Math.sqrt(v0) / bc2Sqrt + eps);
      theta[j + 1]! -= (stepSize * m1) / (Math.sqrt(v1) / bc2Sqrt + eps);
    }
    for (; j < n; j++) {
      const g = gradScale * grad[j]!;
      const mj = g - (g - m[j]!) * oneMinusW;
      const vj = v[j]! * beta2 + oneMinusBeta2 * g * g;
      m[j] = mj;
      v[j] = vj;
      theta[j]! -= (stepSize * mj) / (Math.sqrt(vj) / bc2Sqrt + eps);
    }
  }
  return theta;
}

/**
 * The entropy mirror step out = θ ⊙ exp(−c·g) (`out[j] = theta[j] * Math.exp(-c * grad[j])`): one
 * multiplication by an exponential, never log then exp. `out` may alias `theta`. Returns out.
 */
export function entropyStep(
  out: Float64Array,
  theta: Float64Array,
  grad: Float64Array,
  c: number,
  n: number,
): Float64Array {
  const n4 = n - (n % 4);
  let j = 0;
  for (; j < n4; j += 4) {
    out[j] = theta[j]! * Math.exp(-c * grad[j]!);
    out[j + 1] = theta[j + 1]! * Math.exp(-c * grad[j + 1]!);
    out[j + 2] = theta[j + 2]! * Math.exp(-c * grad[j + 2]!);
    out[j + 3] = theta[j + 3]! * Math.exp(-c * grad[j + 3]!);
  }
  for (; j < n; j++) out[j] = theta[j]! * Math.exp(-c * grad[j]!);
  return out;
}

/**
 * The dual step of mirror descent in place: z ← z − c·g (`dual[j] = dual[j] - c * grad[j]`). Returns −1
 * when every c·gⱼ is 0 (the step does not move: the caller keeps θ), otherwise the first index whose new
 * zⱼ is not finite, or n when all are finite.
 */
export function dualStep(dual: Float64Array, grad: Float64Array, c: number, n: number): number {
  let moved = false;
  let bad = -1;
  for (let j = 0; j < n; j++) {
    const s = c * grad[j]!;
    if (s !== 0) moved = true;
    const z = dual[j]! - s;
    // z − z is NaN exactly for NaN and ±Infinity
    if (z - z !== 0 && bad < 0) bad = j;
    dual[j] = z;
  }
  if (!moved) return -1;
  return bad < 0 ? n : bad;
}

/** The first j < n with a[j] not finite (NaN or ±Infinity), or −1 when all are finite. */
export function firstNonFinite(a: Float64Array, n: number): number {
  for (let j = 0; j < n; j++) {
    // a − a is NaN exactly for NaN and ±Infinity
    if (a[j]! - a[j]! !== 0) return j;
  }
  return -1;
}

/** The first j < n with a[j] outside (0, ∞) (zero, negative, +Infinity or NaN), or −1 when none is. */
export function firstNotPositiveFinite(a: Float64Array, n: number): number {
  for (let j = 0; j < n; j++) {
    const v = a[j]!;
    if (!(v > 0 && v < Number.POSITIVE_INFINITY)) return j;
  }
  return -1;
}

/**
 * The index of the entry of largest |aⱼ| among the first n (strict >, so ties go to the lowest index);
 * the first NaN wins, so that it propagates; −1 when every entry is 0.
 */
export function argMaxAbs(a: Float64Array, n: number): number {
  let best = -1;
  let m = 0;
  for (let j = 0; j < n; j++) {
    const v = Math.abs(a[j]!);
    if (v > m) {
      m = v;
      best = j;
    } else if (Number.isNaN(v)) {
      return j;
    }
  }
  return best;
}

/** Σⱼ |aⱼ| over the first n entries, added in index order (one accumulator: the sequential sum, bit for bit). */
export function sumAbs(a: Float64Array, n: number): number {
  const n4 = n - (n % 4);
  let s = 0;
  let j = 0;
  // Unrolled, but one accumulator: the additions happen in exactly the order of the plain loop.
  for (; j < n4; j += 4) {
    s += Math.abs(a[j]!);
    s += Math.abs(a[j + 1]!);
    s += Math.abs(a[j + 2]!);
    s += Math.abs(a[j + 3]!);
  }
  for (; j < n; j++) s += Math.abs(a[j]!);
  return s;
}

/** Sign descent in place: θⱼ ← θⱼ − k·sign(gⱼ) (`theta[j] -= k * Math.sign(grad[j])`). Returns theta. */
export function signUpdate(theta: Float64Array, grad: Float64Array, k: number, n: number): Float64Array {
  const n4 = n - (n % 4);
  let j = 0;
  for (; j < n4; j += 4) {
    theta[j]! -= k * Math.sign(grad[j]!);
    theta[j + 1]! -= k * Math.sign(grad[j + 1]!);
    theta[j + 2]! -= k * Math.sign(grad[j + 2]!);
    theta[j + 3]! -= k * Math.sign(grad[j + 3]!);
  }
  for (; j < n; j++) theta[j]! -= k * Math.sign(grad[j]!);
  return theta;
}

/** True when a[j] === b[j] for every j < n (so −0 equals 0; a NaN equals nothing). */
export function sameValues(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) if (a[j] !== b[j]) return false;
  return true;
}

/**
 * ‖x‖_r = (Σᵢ |xᵢ|^r)^{1/r} for 1 ≤ r < ∞, without overflow or underflow: the sum is taken over
 * (|xᵢ|/m)^r with m = maxᵢ |xᵢ| ∈ the terms, so it lies in [1, n]. NaN in, NaN out; 0 for x = 0.
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
