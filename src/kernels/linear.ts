import type { MarginBatch } from './batch.js';
import { LOSS_ID, type LossId, scaledLossTerms } from './marginLoss.js';

// Scratch, module-level because kernels are synchronous (one call at a time per thread): the per-row loss
// terms of the general path, and the gradient coefficients of the current block of rows.
const terms = new Float64Array(2);
const coef = new Float64Array(8);

/**
 * Rows per block. The gradient update of a block reads its rows again while they are still in L1
 * (8·d doubles), and every read-modify-write of gradⱼ then serves eight rows.
 */
const BLOCK = 8;

/**
 * Up to this many doubles in X (2 MiB) the data are taken to sit in cache, and a block is eight
 * consecutive rows whose dot products run four rows at a time, so that each load of θⱼ serves four rows.
 * Past it the rows come from memory, and a block takes one row from each eighth of the range instead
 * (rows t, t + q, …, t + 7q for q = ⌊rows/8⌋): the eight dot products share every load of θⱼ, and X is
 * read as eight long sequential streams that the hardware prefetcher follows. Measured at n = 10⁵,
 * d = 100 on the machine of docs/benchmarks.md: eight consecutive rows read four at a time (short streams
 * of d doubles that the prefetcher never learns) were ~1.3× slower than one row at a time, which in turn
 * was ~1.2× slower than the eight long streams.
 */
export const CACHE_RESIDENT_MAX = 1 << 18;

/**
 * The settings of a linear pass besides θ and the data: everything {@link linearObjectiveRows} needs to know
 * about the model, the loss and the blocking. A caller that runs many passes keeps one and rewrites its
 * fields (the parallel model's chunks do); {@link linearObjective} fills its own.
 */
export interface LinearPass {
  /** θ carries an intercept θ_d: f(θ, x) = Σⱼ θⱼxⱼ + θ_d, and grad has length d + 1. */
  bias: boolean;
  /** The margin loss ℓ, one of {@link LOSS_ID}. */
  loss: LossId;
  /** The loss and gradient are scaled by e^{shift} (see {@link scaledLossTerms}). */
  shift: number;
  /** X as a whole does not fit in cache (n·d > {@link CACHE_RESIDENT_MAX}): the streaming blocks. */
  streaming: boolean;
}

// The pass of linearObjective, rewritten on every call (kernels are synchronous).
const whole: LinearPass = { bias: false, loss: LOSS_ID.exponential, shift: 0, streaming: false };

/**
 * Fused margins + gradient pass for the linear model f(θ, x) = Σⱼ θⱼxⱼ (+ θ_d with `bias`), over the rows
 * of `batch` (X n×d, labels y, weights c).
 *
 * For every row i: uᵢ = yᵢ f(θ, xᵢ) → margins[i]; returns Σᵢ cᵢ e^{shift} ℓ(uᵢ) and writes
 * grad = Σᵢ cᵢ e^{shift} ℓ′(uᵢ) yᵢ (xᵢ, 1). `loss` is one of {@link LOSS_ID}. Rows with cᵢ = 0 contribute
 * exactly nothing (even where ℓ(uᵢ) overflows). `grad` has length d (d + 1 with `bias`) and must not alias
 * `theta`. The loss terms are those of {@link scaledLossTerms}, bit for bit; the summation order inside dot
 * products and gradient sums is the kernel's own (blocked), so results agree with a plain loop to rounding,
 * and are deterministic.
 *
 * Each row of X is read from memory once: rows go in blocks of eight (see {@link CACHE_RESIDENT_MAX} for
 * which eight); the block's dot products are computed first (into `margins`), then its eight gradient
 * coefficients, then one sweep over j adds all eight rows to grad while they are still in L1. The
 * exponential loss is inlined (one Math.exp per row, no call, no scratch write); the logistic loss goes
 * through {@link scaledLossTerms}.
 *
 * @example
 * ```ts
 * const batch = { X: Float64Array.of(1, 2), y: Float64Array.of(1), c: Float64Array.of(1), n: 1, d: 2 };
 * const grad = new Float64Array(2);
 * const margins = new Float64Array(1);
 * linearObjective(grad, margins, new Float64Array(2), batch, false, LOSS_ID.exponential, 0); // 1
 * // margins = [0], grad = [−1, −2]
 * ```
 */
export function linearObjective(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  bias: boolean,
  loss: LossId,
  shift: number,
): number {
  whole.bias = bias;
  whole.loss = loss;
  whole.shift = shift;
  whole.streaming = batch.n * batch.d > CACHE_RESIDENT_MAX;
  return linearObjectiveRows(grad, margins, theta, batch, whole, 0, batch.n);
}

/**
 * {@link linearObjective} over the rows start ≤ i < end of the batch (X, y, c and margins are indexed by
 * the global row i): grad and the return value cover those rows only. `pass.streaming` picks the blocking:
 * true when X as a whole does not fit in cache (see {@link CACHE_RESIDENT_MAX}). With q = ⌊(end − start)/8⌋,
 * block t holds rows start + 8t + k (in cache) or start + t + kq (streaming), k = 0…7, and the loss adds
 * the rows block by block in that order; the last (end − start) mod 8 rows follow one at a time. Used by
 * the parallel model to split one pass into fixed chunks of rows.
 */
export function linearObjectiveRows(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  pass: LinearPass,
  start: number,
  end: number,
): number {
  const { X, y, c, d } = batch;
  const { bias, loss, shift, streaming } = pass;
  for (let j = 0; j < d; j++) grad[j] = 0;
  const b = bias ? theta[d]! : 0;
  const blocks = ((end - start) / BLOCK) | 0;
  // Row k of block t is first + k·stride.
  const stride = streaming ? blocks : 1;
  const step = streaming ? 1 : BLOCK;
  let lossSum = 0;
  let gb = 0;
  for (let t = 0; t < blocks; t++) {
    const r0 = start + t * step;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const r4 = r3 + stride;
    const r5 = r4 + stride;
    const r6 = r5 + stride;
    const r7 = r6 + stride;
    const o0 = r0 * d;
    const o1 = r1 * d;
    const o2 = r2 * d;
    const o3 = r3 * d;
    const o4 = r4 * d;
    const o5 = r5 * d;
    const o6 = r6 * d;
    const o7 = r7 * d;
    if (!streaming) {
      // In cache: four rows share every load of θⱼ; j is unrolled by two so each row has two products
      // in flight per iteration (V8 re-checks the arrays once per iteration, not once per element).
      for (let h = 0; h < BLOCK; h += 4) {
        const k = r0 + h;
        const p0 = k * d;
        const p1 = p0 + d;
        const p2 = p1 + d;
        const p3 = p2 + d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 2 <= d; j += 2) {
          const t0 = theta[j]!;
          const t1 = theta[j + 1]!;
          s0 += X[p0 + j]! * t0 + X[p0 + j + 1]! * t1;
          s1 += X[p1 + j]! * t0 + X[p1 + j + 1]! * t1;
          s2 += X[p2 + j]! * t0 + X[p2 + j + 1]! * t1;
          s3 += X[p3 + j]! * t0 + X[p3 + j + 1]! * t1;
        }
        if (j < d) {
          const t0 = theta[j]!;
          s0 += X[p0 + j]! * t0;
          s1 += X[p1 + j]! * t0;
          s2 += X[p2 + j]! * t0;
          s3 += X[p3 + j]! * t0;
        }
        margins[k] = y[k]! * (s0 + b);
        margins[k + 1] = y[k + 1]! * (s1 + b);
        margins[k + 2] = y[k + 2]! * (s2 + b);
        margins[k + 3] = y[k + 3]! * (s3 + b);
      }
    } else {
      // From memory: eight rows, one per eighth of the range, share every load of θⱼ; each row is the
      // next stretch of its own sequential stream. (Unrolling j by two measured ~5% slower here.)
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let j = 0; j < d; j++) {
        const tj = theta[j]!;
        s0 += X[o0 + j]! * tj;
        s1 += X[o1 + j]! * tj;
        s2 += X[o2 + j]! * tj;
        s3 += X[o3 + j]! * tj;
        s4 += X[o4 + j]! * tj;
        s5 += X[o5 + j]! * tj;
        s6 += X[o6 + j]! * tj;
        s7 += X[o7 + j]! * tj;
      }
      margins[r0] = y[r0]! * (s0 + b);
      margins[r1] = y[r1]! * (s1 + b);
      margins[r2] = y[r2]! * (s2 + b);
      margins[r3] = y[r3]! * (s3 + b);
      margins[r4] = y[r4]! * (s4 + b);
      margins[r5] = y[r5]! * (s5 + b);
      margins[r6] = y[r6]! * (s6 + b);
      margins[r7] = y[r7]! * (s7 + b);
    }
    // Coefficients in block order (in cache: row order, as a plain loop adds them). A zero cᵢ skips the
    // loss entirely: e^{−u} may overflow, and 0·∞ would be NaN.
    for (let r = 0; r < BLOCK; r++) {
      const k = r0 + r * stride;
      const ck = c[k]!;
      let g = 0;
      if (ck !== 0) {
        if (loss === LOSS_ID.exponential) {
          // scaledLossTerms of the exponential loss, inlined and bit-identical: e^{shift − u} is e^{−u} at
          // shift = 0 (0 − u and −u differ only in the sign of a zero), and −(c·ℓ)·y rounds as (c·(−ℓ))·y.
          const l = ck * Math.exp(shift - margins[k]!);
          lossSum += l;
          g = -l * y[k]!;
        } else {
          scaledLossTerms(terms, loss, margins[k]!, shift);
          lossSum += ck * terms[0]!;
          g = ck * terms[1]! * y[k]!;
        }
      }
      coef[r] = g;
    }
    const g0 = coef[0]!;
    const g1 = coef[1]!;
    const g2 = coef[2]!;
    const g3 = coef[3]!;
    const g4 = coef[4]!;
    const g5 = coef[5]!;
    const g6 = coef[6]!;
    const g7 = coef[7]!;
    gb += g0 + g1 + (g2 + g3) + (g4 + g5 + (g6 + g7));
    // The block's rows are in L1 now: one read-modify-write of gradⱼ per eight rows, unrolled by two
    // to halve V8's per-iteration array checks.
    let j = 0;
    for (; j + 2 <= d; j += 2) {
      grad[j]! +=
        g0 * X[o0 + j]! +
        g1 * X[o1 + j]! +
        (g2 * X[o2 + j]! + g3 * X[o3 + j]!) +
        (g4 * X[o4 + j]! + g5 * X[o5 + j]! + (g6 * X[o6 + j]! + g7 * X[o7 + j]!));
      const k = j + 1;
      grad[k]! +=
        g0 * X[o0 + k]! +
        g1 * X[o1 + k]! +
        (g2 * X[o2 + k]! + g3 * X[o3 + k]!) +
        (g4 * X[o4 + k]! + g5 * X[o5 + k]! + (g6 * X[o6 + k]! + g7 * X[o7 + k]!));
    }
    if (j < d) {
      grad[j]! +=
        g0 * X[o0 + j]! +
        g1 * X[o1 + j]! +
        (g2 * X[o2 + j]! + g3 * X[o3 + j]!) +
        (g4 * X[o4 + j]! + g5 * X[o5 + j]! + (g6 * X[o6 + j]! + g7 * X[o7 + j]!));
    }
  }
  // The last (end − start) mod 8 rows, one at a time.
  for (let i = start + blocks * BLOCK; i < end; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += X[o + j]! * theta[j]!;
    const yi = y[i]!;
    const u = yi * (s + b);
    margins[i] = u;
    const ci = c[i]!;
    if (ci === 0) continue;
    scaledLossTerms(terms, loss, u, shift);
    lossSum += ci * terms[0]!;
    const g = ci * terms[1]! * yi;
    for (let j = 0; j < d; j++) grad[j]! += g * X[o + j]!;
    gb += g;
  }
  if (bias) grad[d] = gb;
  return lossSum;
}

/**
 * out[i] = Σⱼ θⱼ X[i·d + j] (+ θ_d with `bias`) for the n rows of the row-major X; returns `out`.
 * Four independent accumulators per row so the additions pipeline.
 */
export function linearForward(
  out: Float64Array,
  theta: Float64Array,
  X: Float64Array,
  n: number,
  d: number,
  bias: boolean,
): Float64Array {
  const b = bias ? theta[d]! : 0;
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
