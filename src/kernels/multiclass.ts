/**
 * Softmax cross-entropy kernels for k-class models: the per-row loss/gradient terms, the pass over a
 * matrix of logits (for any model that computes logits and back-propagates dL/dlogits), and the fused
 * pass of the linear multiclass model.
 *
 * Cross-entropy of logits z ∈ ℝᵏ with label y: CE(z, y) = log Σⱼ e^{zⱼ} − z_y, gradient ∂CE/∂zⱼ =
 * pⱼ − 1[j = y] with p = softmax(z). The multiclass margin is m = z_y − max_{j≠y} zⱼ.
 * @packageDocumentation
 */

import type { MulticlassBatch } from './batch.js';

/**
 * One row of softmax cross-entropy: the outputs first (the gradient at g[go …], the margin at margins[i]),
 * then the row's logits at z[zo …], its label, k, its weight and the shift — scalars, as the row helper of
 * the passes below runs once per row. Reads the k logits z[zo … zo + k − 1] and label `y`; writes
 * g[go + j] = c·e^{shift}·(pⱼ − 1[j = y]) and margins[i] = z_y − max_{j≠y} zⱼ; returns
 * c·e^{shift}·CE(z, y). With c = 0 the gradient entries are 0 and the return value is 0 (exactly, even
 * where CE would overflow). `g` and `z` may be one array when the ranges [go, go + k) and [zo, zo + k)
 * do not overlap. Non-finite logits give a NaN loss (never an out-of-range write).
 *
 * Numerics (the sign split of the logistic loss, generalized):
 * - m ≥ 0 (y leads): S = Σ_{j≠y} e^{zⱼ − z_y} ≤ k − 1 never overflows, CE = log1p(S) keeps full relative
 *   accuracy when S ≪ ε (log Σ e^{zⱼ} − z_y would cancel to 0 there), pⱼ = e^{zⱼ − z_y}/(1 + S).
 *   With shift > 0 the exponentials are taken as e^{shift + zⱼ − z_y}, representable when e^{zⱼ − z_y}
 *   underflows; past m = 700, log1p(S)·e^{shift} = e^{shift}·S to below 1e−304 relative.
 * - m < 0 (class j⋆ ≠ y leads, M = z_{j⋆}): T = Σ_{j≠j⋆} e^{zⱼ − M} ≤ k − 1, CE = (M − z_y) + log1p(T),
 *   pⱼ = e^{zⱼ − M}/(1 + T): the log-sum-exp with the maximum subtracted.
 */
export function crossEntropyRow(
  g: Float64Array,
  go: number,
  margins: Float64Array,
  i: number,
  z: Float64Array,
  zo: number,
  y: number,
  k: number,
  c: number,
  shift: number,
): number {
  const zy = z[zo + y]!;
  let mo = Number.NEGATIVE_INFINITY;
  let jmax = -1;
  for (let j = 0; j < k; j++) {
    if (j === y) continue;
    const v = z[zo + j]!;
    if (v > mo) {
      mo = v;
      jmax = j;
    }
  }
  // Only NaN or −∞ logits leave jmax unset; any other index then just propagates the NaN.
  if (jmax < 0) jmax = y === 0 ? 1 : 0;
  const m = zy - mo;
  margins[i] = m;
  if (c === 0) {
    for (let j = 0; j < k; j++) g[go + j] = 0;
    return 0;
  }
  if (m >= 0) {
    let s = 0;
    if (shift === 0) {
      for (let j = 0; j < k; j++) {
        if (j === y) continue;
        const e = Math.exp(z[zo + j]! - zy);
        g[go + j] = e;
        s += e;
      }
      const q = c / (1 + s);
      for (let j = 0; j < k; j++) if (j !== y) g[go + j]! *= q;
      g[go + y] = -s * q;
      return c * Math.log1p(s);
    }
    let ss = 0;
    for (let j = 0; j < k; j++) {
      if (j === y) continue;
      const d = z[zo + j]! - zy;
      s += Math.exp(d);
      const e = Math.exp(shift + d);
      g[go + j] = e;
      ss += e;
    }
    const q = c / (1 + s);
    for (let j = 0; j < k; j++) if (j !== y) g[go + j]! *= q;
    g[go + y] = -ss * q;
    return c * (m > 700 ? ss : Math.log1p(s) * Math.exp(shift));
  }
  // Another class leads: subtract its logit M = mo.
  let t = 0;
  for (let j = 0; j < k; j++) {
    if (j === jmax) continue;
    const e = Math.exp(z[zo + j]! - mo);
    g[go + j] = e;
    t += e;
  }
  g[go + jmax] = 1;
  const scale = shift === 0 ? c : c * Math.exp(shift);
  const q = scale / (1 + t);
  for (let j = 0; j < k; j++) g[go + j]! *= q;
  g[go + y]! -= scale;
  return scale * (-m + Math.log1p(t));
}

/**
 * Softmax cross-entropy over the n×k row-major logits of the rows of `batch` (its labels yᵢ, weights cᵢ, n
 * and k; X and d are not read): writes dlogits[i·k + j] = cᵢ e^{shift}(pᵢⱼ − 1[j = yᵢ]) and
 * margins[i] = z_{i,yᵢ} − max_{j≠yᵢ} zᵢⱼ, returns Σᵢ cᵢ e^{shift} CE(zᵢ, yᵢ) (rows in order). The building
 * block for any model that computes logits and back-propagates dL/dlogits (see {@link crossEntropyRow} for
 * the numerics). `dlogits` must not alias `logits`.
 */
export function softmaxCrossEntropy(
  dlogits: Float64Array,
  margins: Float64Array,
  logits: Float64Array,
  batch: MulticlassBatch,
  shift: number,
): number {
  const { labels, c, n, k } = batch;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    loss += crossEntropyRow(dlogits, o, margins, i, logits, o, labels[i]!, k, c[i]!, shift);
  }
  return loss;
}

/** out[i] = z_{i,yᵢ} − max_{j≠yᵢ} zᵢⱼ for the n×k row-major logits; returns `out`. */
export function multiclassMarginsFromLogits(
  out: Float64Array,
  logits: Float64Array,
  labels: Int32Array,
  n: number,
  k: number,
): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    const y = labels[i]!;
    let mo = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) if (j !== y && logits[o + j]! > mo) mo = logits[o + j]!;
    out[i] = logits[o + y]! - mo;
  }
  return out;
}

/**
 * Logits of the linear multiclass model: out[i·k + r] = Σⱼ W[r·d + j] X[i·d + j] for the k×d row-major
 * W = θ (the PyTorch `Linear.weight` layout); returns `out` (n×k row-major).
 */
export function linearMulticlassLogits(
  out: Float64Array,
  theta: Float64Array,
  X: Float64Array,
  n: number,
  d: number,
  k: number,
): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let r = 0; r < k; r++) {
      const w = r * d;
      let a0 = 0;
      let a1 = 0;
      let j = 0;
      for (; j + 2 <= d; j += 2) {
        a0 += theta[w + j]! * X[o + j]!;
        a1 += theta[w + j + 1]! * X[o + j + 1]!;
      }
      if (j < d) a0 += theta[w + j]! * X[o + j]!;
      out[i * k + r] = a0 + a1;
    }
  }
  return out;
}

/**
 * Fused pass of the linear multiclass model (θ = W, k×d row-major) over the rows of `batch` (X n×d, labels,
 * weights c, k classes): for every row i computes the k logits
 * Wxᵢ, the cross-entropy terms of {@link crossEntropyRow} (writing margins[i]), and adds
 * cᵢ e^{shift}(pᵢ − e_{yᵢ}) xᵢᵀ to grad while xᵢ is still in L1 — each row of X is read from memory once.
 * Returns Σᵢ cᵢ e^{shift} CEᵢ; `grad` (length k·d) must not alias `theta`. `scratch` holds at least 2k
 * doubles (logits and their coefficients), so the pass allocates nothing. The dot products are
 * summed exactly as in {@link linearMulticlassLogits}, so the margins agree with it bit for bit.
 */
export function linearMulticlassObjective(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MulticlassBatch,
  shift: number,
  scratch: Float64Array,
): number {
  const { X, labels, c, n, d, k } = batch;
  const p = k * d;
  for (let j = 0; j < p; j++) grad[j] = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let r = 0; r < k; r++) {
      const w = r * d;
      let a0 = 0;
      let a1 = 0;
      let j = 0;
      for (; j + 2 <= d; j += 2) {
        a0 += theta[w + j]! * X[o + j]!;
        a1 += theta[w + j + 1]! * X[o + j + 1]!;
      }
      if (j < d) a0 += theta[w + j]! * X[o + j]!;
      scratch[r] = a0 + a1;
    }
    const ci = c[i]!;
    loss += crossEntropyRow(scratch, k, margins, i, scratch, 0, labels[i]!, k, ci, shift);
    if (ci === 0) continue;
    for (let r = 0; r < k; r++) {
      const gr = scratch[k + r]!;
      if (gr === 0) continue;
      const w = r * d;
      for (let j = 0; j < d; j++) grad[w + j]! += gr * X[o + j]!;
    }
  }
  return loss;
}
