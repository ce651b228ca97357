import { scaledLossTerms } from './marginLoss.js';

// Scratch for the per-row loss terms; kernels are synchronous, so one module-level buffer is safe.
const terms = new Float64Array(2);

/**
 * Fused margins + gradient pass for the linear model f(θ, x) = Σⱼ θⱼxⱼ (+ θ_d when `bias` = 1).
 *
 * For every row i: uᵢ = yᵢ f(θ, xᵢ) → margins[i]; returns Σᵢ cᵢ e^{shift} ℓ(uᵢ) and writes
 * grad = Σᵢ cᵢ e^{shift} ℓ′(uᵢ) yᵢ (xᵢ, 1). Rows with cᵢ = 0 contribute exactly nothing (even where
 * ℓ(uᵢ) overflows). `grad` has length d + bias and must not alias `theta`.
 *
 * Each row of X is read once: rows go in blocks of four, so every load of θⱼ and every
 * read-modify-write of gradⱼ serves four rows while the four rows (4·d doubles) stay in L1 cache, and
 * the four dot products are independent dependency chains the CPU overlaps.
 */
export function linearObjective(
  grad: Float64Array,
  theta: Float64Array,
  X: Float64Array,
  y: Float64Array,
  c: Float64Array,
  n: number,
  d: number,
  bias: number,
  lossId: number,
  shift: number,
  margins: Float64Array,
): number {
  for (let j = 0; j < d; j++) grad[j] = 0;
  const b = bias === 1 ? theta[d]! : 0;
  let lossSum = 0;
  let gb = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < d; j++) {
      const t = theta[j]!;
      s0 += X[o0 + j]! * t;
      s1 += X[o1 + j]! * t;
      s2 += X[o2 + j]! * t;
      s3 += X[o3 + j]! * t;
    }
    const y0 = y[i]!;
    const y1 = y[i + 1]!;
    const y2 = y[i + 2]!;
    const y3 = y[i + 3]!;
    const u0 = y0 * (s0 + b);
    const u1 = y1 * (s1 + b);
    const u2 = y2 * (s2 + b);
    const u3 = y3 * (s3 + b);
    margins[i] = u0;
    margins[i + 1] = u1;
    margins[i + 2] = u2;
    margins[i + 3] = u3;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    const c0 = c[i]!;
    const c1 = c[i + 1]!;
    const c2 = c[i + 2]!;
    const c3 = c[i + 3]!;
    if (c0 !== 0) {
      scaledLossTerms(terms, lossId, u0, shift);
      lossSum += c0 * terms[0]!;
      g0 = c0 * terms[1]! * y0;
    }
    if (c1 !== 0) {
      scaledLossTerms(terms, lossId, u1, shift);
      lossSum += c1 * terms[0]!;
      g1 = c1 * terms[1]! * y1;
    }
    if (c2 !== 0) {
      scaledLossTerms(terms, lossId, u2, shift);
      lossSum += c2 * terms[0]!;
      g2 = c2 * terms[1]! * y2;
    }
    if (c3 !== 0) {
      scaledLossTerms(terms, lossId, u3, shift);
      lossSum += c3 * terms[0]!;
      g3 = c3 * terms[1]! * y3;
    }
    for (let j = 0; j < d; j++) {
      grad[j]! += g0 * X[o0 + j]! + g1 * X[o1 + j]! + g2 * X[o2 + j]! + g3 * X[o3 + j]!;
    }
    gb += g0 + g1 + g2 + g3;
  }
  for (; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += X[o + j]! * theta[j]!;
    const yi = y[i]!;
    const u = yi * (s + b);
    margins[i] = u;
    const ci = c[i]!;
    if (ci === 0) continue;
    scaledLossTerms(terms, lossId, u, shift);
    lossSum += ci * terms[0]!;
    const g = ci * terms[1]! * yi;
    for (let j = 0; j < d; j++) grad[j]! += g * X[o + j]!;
    gb += g;
  }
  if (bias === 1) grad[d] = gb;
  return lossSum;
}

/**
 * out[i] = Σⱼ θⱼ X[i·d + j] (+ θ_d when `bias` = 1) for the n rows of the row-major X; returns `out`.
 * Four independent accumulators per row so the additions pipeline.
 */
export function linearForward(
  out: Float64Array,
  theta: Float64Array,
  X: Float64Array,
  n: number,
  d: number,
  bias: number,
): Float64Array {
  const b = bias === 1 ? theta[d]! : 0;
  const d4 = d - (d % 4);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let j = 0;
    for (; j < d4; j += 4) {
      a0 += X[o + j]! * theta[j]!;
      a1 += X[o + j + 1]! * theta[j + 1]!;
      a2 += X[o + j + 2]! * theta[j + 2]!;
      a3 += X[o + j + 3]! * theta[j + 3]!;
    }
    for (; j < d; j++) a0 += X[o + j]! * theta[j]!;
    out[i] = a0 + a1 + (a2 + a3) + b;
  }
  return out;
}
