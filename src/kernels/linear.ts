import type { MarginBatch } from './batch.js';
import { libExp } from './libm.js';
import { wasmLinearPass } from './linearWasm.js';
import { LOSS_ID, type LossId, scaledLossTerms } from './marginLoss.js';
import { kernelThreads } from './wasm/threads.js';

// Scratch, module-level because kernels are synchronous (one call at a time per thread): the per-row loss
// terms of the tail rows, and the gradient coefficients of the current block of rows.
const terms = new Float64Array(2);
const coef = new Float64Array(8);

/**
 * Rows per block. The gradient update of a block reads its rows again while they are still in L1
 * (8·d doubles), and every read-modify-write of gradⱼ then serves eight rows.
 */
const BLOCK = 8;

/** About this many doubles of X per chunk of rows (128 KiB): see {@link linearChunkRows}. */
const CHUNK_DOUBLES = 1 << 14;

/**
 * Rows per chunk of the linear pass for input dimension d: 8·⌈2048/d⌉, about 2¹⁴ doubles of X and a
 * whole number of blocks. A pass's rows go in chunks of this many (the last one shorter); each chunk's
 * gradient and loss are summed apart and the chunks then added in order (see {@link linearObjective}). It
 * depends on d only, so neither n, nor the number of threads, nor the backend changes any sum. Small
 * enough that two threads share a pass of 10³ rows evenly, large enough that adding the chunks' gradients
 * costs little (K·p additions for K = ⌈n/rows⌉ chunks: ~0.5% of the pass at d = 100, ~4% at d = 1000).
 */
export function linearChunkRows(d: number): number {
  return BLOCK * Math.max(1, Math.ceil(CHUNK_DOUBLES / (BLOCK * d)));
}

/**
 * Below this many entries of X (n·d) a pass stays on the TypeScript kernels when the backend is 'auto':
 * the WebAssembly pass copies c and θ in and the margins out, which costs more than it saves on tiny data.
 * Same bits either way.
 */
export const LINEAR_WASM_MIN_WORK = 1 << 10;

/**
 * From this many entries of X (n·d), a pass (WebAssembly, in Node) may split its chunks over worker threads
 * (`setKernelThreads` sets how many; 1 turns them off): it does whenever the threaded passes have been at
 * least as fast on the current data (both ways are timed as the passes go; on a machine whose cores other
 * processes keep busy, workers slow a pass down). Same bits for any count.
 */
export const LINEAR_THREADS_MIN_WORK = 1 << 16;

/**
 * The settings of a linear pass besides θ and the data: the model and the loss. A caller that runs many
 * passes keeps one and rewrites its fields; {@link linearObjective} fills its own.
 */
export interface LinearPass {
  /** θ carries an intercept θ_d: f(θ, x) = Σⱼ θⱼxⱼ + θ_d, and grad has length d + 1. */
  bias: boolean;
  /** The margin loss ℓ, one of {@link LOSS_ID}. */
  loss: LossId;
  /** The loss and gradient are scaled by e^{shift} (see {@link scaledLossTerms}). */
  shift: number;
}

// The pass of linearObjective, rewritten on every call (kernels are synchronous).
const whole: LinearPass = { bias: false, loss: LOSS_ID.exponential, shift: 0 };
/** The TypeScript pass's chunk gradient (grown when a larger p comes; never shrinks). */
let part = new Float64Array(0);

/**
 * Fused margins + gradient pass for the linear model f(θ, x) = Σⱼ θⱼxⱼ (+ θ_d with `bias`), over the rows
 * of `batch` (X n×d, labels y, weights c).
 *
 * For every row i: uᵢ = yᵢ f(θ, xᵢ) → margins[i]; returns Σᵢ cᵢ e^{shift} ℓ(uᵢ) and writes
 * grad = Σᵢ cᵢ e^{shift} ℓ′(uᵢ) yᵢ (xᵢ, 1). `loss` is one of {@link LOSS_ID}. Rows with cᵢ = 0 contribute
 * exactly nothing (even where ℓ(uᵢ) overflows). `grad` has length d (d + 1 with `bias`) and must not alias
 * `theta`. The loss terms are those of {@link scaledLossTerms}, bit for bit (the library's own exp and
 * log1p, so the same in every engine).
 *
 * **Summation order (fixed: the same bits whatever the backend and the number of threads).** The rows go in
 * chunks of R = {@link linearChunkRows}(d) rows. Within a chunk (see {@link linearObjectiveRows}) every
 * margin is yᵢ·((eᵢ + oᵢ) + b) with eᵢ = Σ_{j even} xᵢⱼθⱼ and oᵢ = Σ_{j odd} xᵢⱼθⱼ, each summed from 0 in
 * increasing j; the chunk's gradient G and loss L add up block by block of eight consecutive rows,
 * G ← G + (((g₀x₀ + g₁x₁) + (g₂x₂ + g₃x₃)) + ((g₄x₄ + g₅x₅) + (g₆x₆ + g₇x₇))) with gᵢ = cᵢe^{shift}ℓ′(uᵢ)yᵢ
 * (the intercept's entry adds the gᵢ in the same tree), and L row by row; the last n mod 8 rows of the
 * pass follow one at a time. Then grad = ((G₀ + G₁) + G₂) + … and the loss = ((L₀ + L₁) + L₂) + …, in chunk
 * order. The WebAssembly SIMD kernel (assembly/linear.ts) computes exactly these operations (its f64x2
 * lanes hold eᵢ and oᵢ, or gradⱼ and gradⱼ₊₁; no fused multiply-add), and the worker threads take whole
 * chunks, so the result never depends on either.
 *
 * Where it runs: the WebAssembly kernels when loaded (`kernelBackend`) and n·d ≥
 * {@link LINEAR_WASM_MIN_WORK}, on worker threads in Node when n·d ≥ {@link LINEAR_THREADS_MIN_WORK} and they
 * prove faster (`setKernelThreads`); else the TypeScript loops here. The WebAssembly pass keeps X and y in its memory
 * between passes: **X and y are taken as immutable** — a pass with other arrays copies them again (once),
 * a change in place is not seen (see src/kernels/linearWasm.ts).
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
  const threads = batch.n * batch.d >= LINEAR_THREADS_MIN_WORK ? kernelThreads() : 1;
  return linearPassObjective(grad, margins, theta, batch, whole, threads);
}

/**
 * {@link linearObjective} with the settings in `pass` on up to `threads` threads (the calling one included;
 * whatever the size: {@link linearObjective} applies {@link LINEAR_THREADS_MIN_WORK}, the parallel model its
 * `minWork`). The same bits for every `threads` ≥ 1.
 */
export function linearPassObjective(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  pass: LinearPass,
  threads: number,
): number {
  const { n, d } = batch;
  const rows = linearChunkRows(d);
  const work = n * d;
  if (work >= LINEAR_WASM_MIN_WORK) {
    const value = wasmLinearPass(grad, margins, theta, batch, pass, rows, threads, true);
    if (value !== null) return value;
  }
  return linearPassTypeScript(grad, margins, theta, batch, pass);
}

/**
 * The whole pass on the TypeScript kernels, in the order of {@link linearObjective}: chunk 0 straight into
 * grad, every later chunk into a scratch added to grad. The reference and the fallback.
 */
export function linearPassTypeScript(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  pass: LinearPass,
): number {
  const { n, d } = batch;
  const rows = linearChunkRows(d);
  const p = pass.bias ? d + 1 : d;
  let value = linearObjectiveRows(grad, margins, theta, batch, pass, 0, Math.min(n, rows));
  if (n <= rows) return value;
  if (part.length < p) part = new Float64Array(p);
  for (let start = rows; start < n; start += rows) {
    value += linearObjectiveRows(part, margins, theta, batch, pass, start, Math.min(n, start + rows));
    for (let j = 0; j < p; j++) grad[j]! += part[j]!;
  }
  return value;
}

/**
 * One chunk of {@link linearObjective}, the reference for its order: the rows start ≤ i < end of the batch
 * (X, y, c and margins are indexed by the global row i), their gradient G into grad and their loss L as
 * the return value. Block t holds rows start + 8t + k, k = 0…7: their margins (four rows at a time, each
 * with its even-j and odd-j sums), then their coefficients gₖ in row order (L += cₖe^{shift}ℓ(uₖ) as it
 * goes), then G ← G + (((g₀x₀ + g₁x₁) + (g₂x₂ + g₃x₃)) + ((g₄x₄ + g₅x₅) + (g₆x₆ + g₇x₇))) entry by entry
 * while the rows are still in L1; the last (end − start) mod 8 rows follow one at a time (G ← G + gᵢxᵢ,
 * skipped for cᵢ = 0).
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
  const { bias, loss, shift } = pass;
  for (let j = 0; j < d; j++) grad[j] = 0;
  const b = bias ? theta[d]! : 0;
  const blocks = ((end - start) / BLOCK) | 0;
  let lossSum = 0;
  let gb = 0;
  for (let t = 0; t < blocks; t++) {
    const r0 = start + t * BLOCK;
    const o0 = r0 * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    const o4 = o3 + d;
    const o5 = o4 + d;
    const o6 = o5 + d;
    const o7 = o6 + d;
    // Margins, four rows at a time so that each load of θⱼ serves four rows; two accumulators per row
    // (even j, odd j): the lanes of the WebAssembly kernel.
    for (let h = 0; h < BLOCK; h += 4) {
      const k = r0 + h;
      const p0 = k * d;
      const p1 = p0 + d;
      const p2 = p1 + d;
      const p3 = p2 + d;
      let e0 = 0;
      let e1 = 0;
      let e2 = 0;
      let e3 = 0;
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      let j = 0;
      for (; j + 2 <= d; j += 2) {
        const t0 = theta[j]!;
        const t1 = theta[j + 1]!;
        e0 += X[p0 + j]! * t0;
        q0 += X[p0 + j + 1]! * t1;
        e1 += X[p1 + j]! * t0;
        q1 += X[p1 + j + 1]! * t1;
        e2 += X[p2 + j]! * t0;
        q2 += X[p2 + j + 1]! * t1;
        e3 += X[p3 + j]! * t0;
        q3 += X[p3 + j + 1]! * t1;
      }
      if (j < d) {
        const t0 = theta[j]!;
        e0 += X[p0 + j]! * t0;
        e1 += X[p1 + j]! * t0;
        e2 += X[p2 + j]! * t0;
        e3 += X[p3 + j]! * t0;
      }
      margins[k] = y[k]! * (e0 + q0 + b);
      margins[k + 1] = y[k + 1]! * (e1 + q1 + b);
      margins[k + 2] = y[k + 2]! * (e2 + q2 + b);
      margins[k + 3] = y[k + 3]! * (e3 + q3 + b);
    }
    // Coefficients in row order. A zero cᵢ skips the loss entirely: e^{−u} may overflow, and 0·∞ would
    // be NaN.
    for (let r = 0; r < BLOCK; r++) {
      const k = r0 + r;
      const ck = c[k]!;
      let g = 0;
      if (ck !== 0) {
        if (loss === LOSS_ID.exponential) {
          // scaledLossTerms of the exponential loss, inlined and bit-identical: e^{shift − u} is e^{−u} at
          // shift = 0 (0 − u and −u differ only in the sign of a zero), and −(c·ℓ)·y rounds as (c·(−ℓ))·y.
          const l = ck * libExp(shift - margins[k]!);
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
    let e = 0;
    let q = 0;
    let j = 0;
    for (; j + 2 <= d; j += 2) {
      e += X[o + j]! * theta[j]!;
      q += X[o + j + 1]! * theta[j + 1]!;
    }
    if (j < d) e += X[o + j]! * theta[j]!;
    const yi = y[i]!;
    const u = yi * (e + q + b);
    margins[i] = u;
    const ci = c[i]!;
    if (ci === 0) continue;
    scaledLossTerms(terms, loss, u, shift);
    lossSum += ci * terms[0]!;
    const g = ci * terms[1]! * yi;
    for (let k = 0; k < d; k++) grad[k]! += g * X[o + k]!;
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
