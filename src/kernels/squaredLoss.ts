import type { LabeledRows } from './batch.js';

/**
 * Fused residuals + gradient pass of the squared loss of the slides, L(w) = Σᵢ (wᵀxᵢ − yᵢ)² (a sum) over
 * the rows of `data` (X n×d, targets y; a regression `Dataset` is one):
 *
 *   rᵢ = wᵀxᵢ − yᵢ → residuals[i],   grad = ∇L(w) = 2 Σᵢ rᵢ xᵢ,   returns L = Σᵢ rᵢ².
 *
 * X is row-major n×d. `grad` (length d) and `residuals` (length n) are outputs, overwritten; neither may
 * alias `w`. No validation, no allocation. The loss adds the rᵢ² in row order; the dot products and the
 * gradient sums use the kernel's own (blocked) order, so they agree with a plain loop to rounding and are
 * deterministic.
 *
 * Each row of X is read from memory once: rows go in blocks of four; the block's four dot products run
 * together (each load of wⱼ serves four rows, four independent accumulator chains), then one sweep over j
 * adds the four rows, still in L1, to grad (one read-modify-write of gradⱼ per four rows).
 */
export function squaredLossObjective(
  grad: Float64Array,
  residuals: Float64Array,
  w: Float64Array,
  data: LabeledRows,
): number {
  const { X, y, n, d } = data;
  for (let j = 0; j < d; j++) grad[j] = 0;
  let loss = 0;
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
      const t = w[j]!;
      s0 += X[o0 + j]! * t;
      s1 += X[o1 + j]! * t;
      s2 += X[o2 + j]! * t;
      s3 += X[o3 + j]! * t;
    }
    const r0 = s0 - y[i]!;
    const r1 = s1 - y[i + 1]!;
    const r2 = s2 - y[i + 2]!;
    const r3 = s3 - y[i + 3]!;
    residuals[i] = r0;
    residuals[i + 1] = r1;
    residuals[i + 2] = r2;
    residuals[i + 3] = r3;
    loss += r0 * r0;
    loss += r1 * r1;
    loss += r2 * r2;
    loss += r3 * r3;
    // The factor 2 goes on the coefficient (exact: a power of two), not on every gradient entry.
    const g0 = 2 * r0;
    const g1 = 2 * r1;
    const g2 = 2 * r2;
    const g3 = 2 * r3;
    for (let j = 0; j < d; j++) {
      grad[j]! += g0 * X[o0 + j]! + g1 * X[o1 + j]! + (g2 * X[o2 + j]! + g3 * X[o3 + j]!);
    }
  }
  // The last n mod 4 rows, one at a time.
  for (; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += X[o + j]! * w[j]!;
    const r = s - y[i]!;
    residuals[i] = r;
    loss += r * r;
    const g = 2 * r;
    for (let j = 0; j < d; j++) grad[j]! += g * X[o + j]!;
  }
  return loss;
}
