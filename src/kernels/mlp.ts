import type { MarginBatch } from './batch.js';
import { gemmNN, gemmNT, gemmTN } from './gemm.js';
import { LOSS_ID, type LossId, scaledLossTerms } from './marginLoss.js';
import { wasmKernels } from './wasm/index.js';

/**
 * The activations σ of the MLP kernels: relu max(0, z), leakyRelu max(z, s·z) with slope s ∈ (0, 1),
 * quadratic z², reluPower max(0, z)^c with c ≥ 2, identity z (deep linear networks). The kernels read them
 * from {@link MlpSigma} `act`.
 */
export const MLP_ACTIVATION = Object.freeze({
  relu: 0,
  leakyRelu: 1,
  quadratic: 2,
  reluPower: 3,
  identity: 4,
} as const);

/** One of the values of {@link MLP_ACTIVATION}. */
export type MlpActivationId = (typeof MLP_ACTIVATION)[keyof typeof MLP_ACTIVATION];

/**
 * The activation of the MLP kernels: which σ, and its one parameter. Made once per model by
 * {@link mlpSigma} and kept in the kernels' scratch ({@link MlpScratch}, `MlpHvpScratch`).
 */
export interface MlpSigma {
  /** σ, one of {@link MLP_ACTIVATION}. */
  readonly act: MlpActivationId;
  /**
   * σ's parameter: the slope s of leakyRelu, or the exponent c of reluPower. relu and quadratic have none
   * and ignore it.
   */
  readonly param: number;
}

/**
 * The {@link MlpSigma} of activation `name` with leakyRelu's `slope` or reluPower's `power` (the one of the
 * two that `name` uses; the other is ignored, and both are for relu and quadratic).
 *
 * @example
 * ```ts
 * mlpSigma('leakyRelu', { slope: 0.1 }); // { act: MLP_ACTIVATION.leakyRelu, param: 0.1 }
 * ```
 */
export function mlpSigma(
  name: keyof typeof MLP_ACTIVATION,
  options: { readonly slope?: number | undefined; readonly power?: number | undefined },
): MlpSigma {
  const param = name === 'leakyRelu' ? options.slope : name === 'reluPower' ? options.power : 0;
  return Object.freeze({ act: MLP_ACTIVATION[name], param: param ?? 0 });
}

/**
 * The activation ({@link MlpSigma}) and the buffers of the MLP kernels for one layout and up to `capacity`
 * rows, made once by {@link createMlpScratch} and reused by every pass (the kernels allocate nothing).
 *
 * Layer l (0-based, l < H) maps widths[l] inputs to widths[l + 1] outputs. Batched buffers hold one row per
 * data row, row-major: `pre[l]` the pre-activations n × widths[l + 1] of hidden layer l (l < H − 1), `post[l]`
 * σ(pre[l]); `deltaA`/`deltaB` the back-propagated dL/dpre of one layer (n × the widest hidden layer), used in
 * turn; `logits`/`dLogits` the output layer (n × k) of the layer-at-a-time objective. Per-row buffers
 * serve the row-at-a-time pass: `rowPre`/`rowPost` hold every layer's pre- and post-activations of one row
 * at offsets `rowOffset[l]`, `rowDelta0`/`rowDelta1` one layer's deltas;
 * `blockPre`/`blockPost` those of four rows in the one-hidden-layer pass.
 */
export interface MlpScratch extends MlpSigma {
  readonly widths: Int32Array;
  /** Offset of W_l in θ (row-major widths[l + 1] × widths[l]); offsets[H] = θ.length. */
  readonly offsets: Int32Array;
  readonly capacity: number;
  readonly pre: Float64Array[];
  readonly post: Float64Array[];
  readonly deltaA: Float64Array;
  readonly deltaB: Float64Array;
  /** The logits and their deltas of the layer-at-a-time objective (capacity × k). */
  readonly logits: Float64Array;
  readonly dLogits: Float64Array;
  readonly rowOffset: Int32Array;
  readonly rowPre: Float64Array;
  readonly rowPost: Float64Array;
  readonly rowDelta0: Float64Array;
  readonly rowDelta1: Float64Array;
  /** Pre- and post-activations of a block of four rows (4 × the widest layer, unit-major). */
  readonly blockPre: Float64Array;
  readonly blockPost: Float64Array;
  /** Views of W₁ … W_H in the last θ and of their blocks in the last gradient (rebuilt when those change). */
  readonly views: { theta: LayerViews; grad: LayerViews };
}

/** Views of the layers' blocks in one parameter-shaped buffer (made once per buffer, not per pass). */
interface LayerViews {
  of: Float64Array | null;
  layers: Float64Array[];
}

/** The blocks W₁ … W_H of `buffer` (θ or a gradient), views made once per buffer and kept in `cache`. */
function layerViews(cache: LayerViews, buffer: Float64Array, offsets: Int32Array): Float64Array[] {
  if (cache.of !== buffer) {
    cache.of = buffer;
    cache.layers = [];
    for (let l = 0; l + 1 < offsets.length; l++)
      cache.layers.push(buffer.subarray(offsets[l]!, offsets[l + 1]!));
  }
  return cache.layers;
}

/**
 * Allocates the {@link MlpScratch} of the layout `widths` = [d, h₁, …, h_{H−1}, k] with activation `sigma`
 * for up to `capacity` rows. Not a hot-loop function: call it once per model and data size. `widths`
 * entries must be integers ≥ 1 (at least two entries); the caller validates.
 *
 * @example
 * ```ts
 * const scratch = createMlpScratch([2, 5, 1], mlpSigma('relu', {}), 400); // scratch.offsets = [0, 10, 15]
 * ```
 */
export function createMlpScratch(widths: ArrayLike<number>, sigma: MlpSigma, capacity: number): MlpScratch {
  const w = Int32Array.from(widths as ArrayLike<number>);
  const H = w.length - 1;
  const offsets = new Int32Array(H + 1);
  for (let l = 0; l < H; l++) offsets[l + 1] = offsets[l]! + w[l]! * w[l + 1]!;
  const pre: Float64Array[] = [];
  const post: Float64Array[] = [];
  let maxHidden = 1;
  let maxWidth = 1;
  const rowOffset = new Int32Array(H + 1);
  for (let l = 0; l < H; l++) {
    const h = w[l + 1]!;
    rowOffset[l + 1] = rowOffset[l]! + h;
    if (h > maxWidth) maxWidth = h;
    if (l < H - 1) {
      pre.push(new Float64Array(capacity * h));
      post.push(new Float64Array(capacity * h));
      if (h > maxHidden) maxHidden = h;
    }
  }
  return {
    act: sigma.act,
    param: sigma.param,
    widths: w,
    offsets,
    capacity,
    pre,
    post,
    deltaA: new Float64Array(H > 1 ? capacity * maxHidden : 0),
    deltaB: new Float64Array(H > 1 ? capacity * maxHidden : 0),
    logits: new Float64Array(capacity * w[H]!),
    dLogits: new Float64Array(capacity * w[H]!),
    rowOffset,
    rowPre: new Float64Array(rowOffset[H]!),
    rowPost: new Float64Array(rowOffset[H]!),
    rowDelta0: new Float64Array(maxWidth),
    rowDelta1: new Float64Array(maxWidth),
    blockPre: new Float64Array(4 * maxWidth),
    blockPost: new Float64Array(4 * maxWidth),
    views: { theta: { of: null, layers: [] }, grad: { of: null, layers: [] } },
  };
}

/** σ(z) for activation `act` with parameter `param` ({@link MlpSigma}). Shared with the Hessian-vector kernel. */
export function activate(z: number, act: MlpActivationId, param: number): number {
  switch (act) {
    case MLP_ACTIVATION.relu:
      return Math.max(z, 0);
    case MLP_ACTIVATION.leakyRelu:
      return z > 0 ? z : param * z;
    case MLP_ACTIVATION.quadratic:
      return z * z;
    case MLP_ACTIVATION.identity:
      return z;
    default:
      return z > 0 ? power(z, param) : 0;
  }
}

/** σ′(z); at z = 0 the one-sided values PyTorch uses (relu 0, leakyRelu the slope); 1 for identity. */
export function derivative(z: number, act: MlpActivationId, param: number): number {
  switch (act) {
    case MLP_ACTIVATION.relu:
      return z > 0 ? 1 : 0;
    case MLP_ACTIVATION.leakyRelu:
      return z > 0 ? 1 : param;
    case MLP_ACTIVATION.quadratic:
      return 2 * z;
    case MLP_ACTIVATION.identity:
      return 1;
    default:
      return z > 0 ? param * power(z, param - 1) : 0;
  }
}

/** z^c for z > 0, with the small integer powers as products (Math.pow costs ~10× a multiply). */
export function power(z: number, c: number): number {
  if (c === 1) return z;
  if (c === 2) return z * z;
  if (c === 3) return z * z * z;
  return z ** c;
}

/**
 * Batched forward pass of the bias-free MLP f(θ, x) = W_H σ(… σ(W₁x)): writes the logits of the n rows of the
 * row-major X (n × widths[0]) into `out` (n × k, k = widths[H], row-major) and returns `out`. W_l is stored
 * row-major (widths[l + 1] × widths[l]) at `scratch.offsets[l]` in θ, the PyTorch `Linear.weight` layout.
 * σ is `scratch`'s. Keeps every hidden layer's pre- and post-activations in `scratch` for {@link mlpBackward}.
 * `n` must not exceed `scratch.capacity`; `out` must not alias θ, X or the scratch.
 *
 * `mask` (optional, dropout): row i's hidden unit u — units numbered layer by layer, u = rowOffset[l] + o for
 * unit o of hidden layer l — has its output σ(z) multiplied by mask[i·U + u], U = the number of hidden units
 * (`scratch.rowOffset[H − 1]`); the stored post-activations are the masked ones.
 *
 * Layer at a time over all rows: each row of the layer input and each row of W_l are contiguous, so every
 * dot product walks both sequentially.
 */
export function mlpForward(
  out: Float64Array,
  theta: Float64Array,
  X: Float64Array,
  n: number,
  scratch: MlpScratch,
  mask?: Float64Array,
): Float64Array {
  const { widths, offsets, pre, post, act, param } = scratch;
  const H = widths.length - 1;
  const weights = layerViews(scratch.views.theta, theta, offsets);
  let src = X;
  for (let l = 0; l < H; l++) {
    const inW = widths[l]!;
    const outW = widths[l + 1]!;
    const last = l === H - 1;
    const dst = last ? out : pre[l]!;
    // Z = A·Wᵀ: each pre-activation is a dot product in order of the layer's inputs (see gemm.ts).
    dst.fill(0, 0, n * outW);
    gemmNT(dst, src, weights[l]!, n, outW, inW);
    if (!last) {
      const p = post[l]!;
      const m = n * outW;
      for (let q = 0; q < m; q++) p[q] = activate(dst[q]!, act, param);
      if (mask !== undefined) applyMask(p, mask, n, outW, scratch.rowOffset[l]!, scratch.rowOffset[H - 1]!);
      src = p;
    }
  }
  return out;
}

/**
 * Batched backward pass: given dL/dlogits (`dLogits`, n × k row-major) at the θ and X of the last
 * {@link mlpForward} with the same `scratch`, writes ∂L/∂θ = Σᵢ Σₒ dLogits[i, o] ∇θ fₒ(θ, xᵢ) into `grad`
 * (length θ.length) and returns it. Rows whose delta is exactly 0 are skipped, so a row with dLogits = 0
 * contributes exactly nothing. Used by the binary objective and reusable by a multi-class one (softmax
 * cross-entropy gives dLogits = c·(softmax − onehot)). `grad` must not alias θ, X, dLogits or the scratch;
 * `dLogits` is not modified.
 *
 * Layer at a time, top to bottom: ∇W_l = Δ_lᵀ A_{l−1} as rank-one updates row by row (each row of Δ_l and
 * A_{l−1} contiguous), then Δ_{l−1} = (Δ_l W_l) ⊙ σ′(Z_{l−1}) with W_l's rows read sequentially; with the
 * forward pass's dropout `mask` (the same one), Δ_{l−1} is further multiplied by it (after σ′, as the
 * row-at-a-time pass does).
 */
export function mlpBackward(
  grad: Float64Array,
  theta: Float64Array,
  X: Float64Array,
  n: number,
  dLogits: Float64Array,
  scratch: MlpScratch,
  mask?: Float64Array,
): Float64Array {
  const { widths, offsets, pre, post, act, param } = scratch;
  const H = widths.length - 1;
  const weights = layerViews(scratch.views.theta, theta, offsets);
  const gradients = layerViews(scratch.views.grad, grad, offsets);
  grad.fill(0);
  let dz = dLogits;
  for (let l = H - 1; l >= 0; l--) {
    const inW = widths[l]!;
    const outW = widths[l + 1]!;
    const src = l === 0 ? X : post[l - 1]!;
    // ∇W_l = Δ_lᵀ A_{l−1}: each entry a sum over the rows in order (see gemm.ts).
    gemmTN(gradients[l]!, dz, src, outW, inW, n);
    if (l === 0) break;
    const next = dz === scratch.deltaA ? scratch.deltaB : scratch.deltaA;
    const zl = pre[l - 1]!;
    // Δ_{l−1} = (Δ_l W_l) ⊙ σ′(Z_{l−1}): each entry a sum over the layer's outputs in order.
    const m = n * inW;
    next.fill(0, 0, m);
    gemmNN(next, dz, weights[l]!, n, inW, outW);
    for (let q = 0; q < m; q++) next[q]! *= derivative(zl[q]!, act, param);
    if (mask !== undefined) {
      applyMask(next, mask, n, inW, scratch.rowOffset[l - 1]!, scratch.rowOffset[H - 1]!);
    }
    dz = next;
  }
  return grad;
}

/**
 * a[i·w + o] *= mask[i·units + offset + o] for the n rows of one layer of width w whose units start at
 * `offset` in a row's mask (dropout).
 */
function applyMask(
  a: Float64Array,
  mask: Float64Array,
  n: number,
  w: number,
  offset: number,
  units: number,
): void {
  for (let i = 0; i < n; i++) {
    const ao = i * w;
    const mo = i * units + offset;
    for (let o = 0; o < w; o++) a[ao + o]! *= mask[mo + o]!;
  }
}

// Loss terms of one row (module-level: kernels are synchronous, one call at a time per thread).
const terms = new Float64Array(2);

/**
 * Up to this many parameters a net with two or more hidden layers goes row at a time in the fused binary
 * pass, past it layer at a time (see {@link mlpObjective}).
 */
export const MLP_ROWWISE_MAX_PARAMS = 512;

/**
 * One-hidden-layer nets with at most this many inputs go through {@link mlpObjectiveOneHidden}; wider inputs
 * go layer at a time on the matrix-product kernels (see {@link mlpObjective}).
 */
export const MLP_ONE_HIDDEN_MAX_INPUTS = 8;

/** From this many rows a small net goes layer at a time when the WebAssembly kernels are loaded. */
export const MLP_BY_LAYER_MIN_ROWS = 32;

/**
 * Fused margins + loss + gradient pass of the binary (k = 1) MLP over the rows of `batch` (X, labels y,
 * weights c; its `d` is not read: the input width is `scratch.widths[0]`), with loss `loss` (one of
 * {@link LOSS_ID}) and σ of `scratch`: for every row i, uᵢ = yᵢ f(θ, xᵢ) → margins[i]; returns
 * Σᵢ cᵢ e^{shift} ℓ(uᵢ) and writes grad = Σᵢ cᵢ e^{shift} ℓ′(uᵢ) yᵢ ∇θ f(θ, xᵢ). Rows with cᵢ = 0 contribute
 * exactly nothing (even where ℓ(uᵢ) overflows). The loss terms are those of {@link scaledLossTerms}, bit for
 * bit, as in `linearObjective`. `grad` must not alias θ; `batch.n` must not exceed `scratch.capacity`.
 *
 * Which pass runs depends on the shape only (never on the backend or the thread count), by measurement on
 * this repo's 2-core machine:
 * - one hidden layer with at most {@link MLP_ONE_HIDDEN_MAX_INPUTS} inputs (the paper's [2, h, 1]):
 *   {@link mlpObjectiveOneHidden}, four rows at a time through both layers and straight back (16 µs vs 80 µs
 *   for the general orders at [2, 5, 1], n = 400; 0.47 ms vs 1.3 ms at [2, 100, 1]);
 * - other nets with θ.length ≤ {@link MLP_ROWWISE_MAX_PARAMS} on the TypeScript kernels, or fewer than
 *   {@link MLP_BY_LAYER_MIN_ROWS} rows: row at a time ({@link mlpObjectiveByRow}): θ, grad and the row's
 *   activations stay in L1 (0.65 ms vs 0.75 ms layer at a time at [2, 10, 10, 1] in TypeScript);
 * - the rest: layer at a time over all rows ({@link mlpObjectiveByLayer}) on the matrix products of
 *   gemm.ts (WebAssembly SIMD, split over threads in Node): 16 ms vs 61 ms for the four-row pass at
 *   [100, 100, 1], n = 4000; 180 ms vs 1130 ms at [784, 256, 1]; 0.14 ms vs 0.25 ms row at a time at
 *   [2, 10, 10, 1], n = 400.
 * The choice between row and layer at a time may depend on the backend because the two give the same bits.
 * The row-at-a-time and layer-at-a-time passes sum every output in the same order (over a layer's inputs for
 * a pre-activation, over the rows in order for a weight's gradient), so they give the same bits; the
 * four-row pass groups rows pairwise, so it agrees with them to rounding (margins exactly). Each is
 * deterministic, whatever the backend or the number of threads.
 *
 * `mask` (optional): inverted dropout on the hidden units, as in {@link mlpForward} (mask[i·U + u] multiplies
 * hidden unit u's output on row i, forward and backward). With a mask the four-row pass is not used (its nets
 * go row or layer at a time by the same rule as the others), so the passes with a mask are the row and layer
 * ones, which agree bit for bit; without one every pass is exactly as before.
 */
export function mlpObjective(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  shift: number,
  scratch: MlpScratch,
  mask?: Float64Array,
): number {
  if (mask === undefined && scratch.widths.length === 3 && scratch.widths[0]! <= MLP_ONE_HIDDEN_MAX_INPUTS) {
    return mlpObjectiveOneHidden(grad, margins, theta, batch, loss, shift, scratch);
  }
  // The two give the same bits, so the faster one runs: on the WebAssembly matrix products, layer at a time
  // from a few dozen rows; on the TypeScript ones, row at a time for small nets.
  const byLayer =
    theta.length > MLP_ROWWISE_MAX_PARAMS || (batch.n >= MLP_BY_LAYER_MIN_ROWS && wasmKernels() !== null);
  return byLayer
    ? mlpObjectiveByLayer(grad, margins, theta, batch, loss, shift, scratch, mask)
    : mlpObjectiveByRow(grad, margins, theta, batch, loss, shift, scratch, mask);
}

/**
 * {@link mlpObjective} row at a time: forward through all layers, then back, for one row before the next.
 * Needs only the per-row buffers of `scratch` (any capacity). With a dropout `mask` (see
 * {@link mlpObjective}) the row's hidden outputs are multiplied by its mask entries, and so are their deltas.
 */
export function mlpObjectiveByRow(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  shift: number,
  scratch: MlpScratch,
  mask?: Float64Array,
): number {
  const { X, y, c, n } = batch;
  const { widths, offsets, rowOffset, rowPre, rowPost, act, param } = scratch;
  const H = widths.length - 1;
  const d = widths[0]!;
  const w1 = widths[1]!;
  const top = rowOffset[H - 1]!;
  grad.fill(0);
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    // The row's dropout mask starts at mo (the hidden units are the first `top` entries of a row's layers).
    const mo = i * top;
    // Forward: layer 0 reads the row of X, later layers the row's previous post-activations.
    for (let o = 0; o < w1; o++) {
      const wo = o * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += theta[wo + j]! * X[xo + j]!;
      rowPre[o] = s;
      if (H > 1) {
        const a = activate(s, act, param);
        rowPost[o] = mask === undefined ? a : a * mask[mo + o]!;
      }
    }
    for (let l = 1; l < H; l++) {
      const inW = widths[l]!;
      const outW = widths[l + 1]!;
      const off = offsets[l]!;
      const ro = rowOffset[l]!;
      const po = rowOffset[l - 1]!;
      const hidden = l < H - 1;
      for (let o = 0; o < outW; o++) {
        const wo = off + o * inW;
        let s = 0;
        for (let j = 0; j < inW; j++) s += theta[wo + j]! * rowPost[po + j]!;
        rowPre[ro + o] = s;
        if (hidden) {
          const a = activate(s, act, param);
          rowPost[ro + o] = mask === undefined ? a : a * mask[mo + ro + o]!;
        }
      }
    }
    const yi = y[i]!;
    const u = yi * rowPre[top]!;
    margins[i] = u;
    const ci = c[i]!;
    // A zero cᵢ skips the loss entirely: e^{−u} may overflow, and 0·∞ would be NaN.
    if (ci === 0) continue;
    scaledLossTerms(terms, loss, u, shift);
    lossSum += ci * terms[0]!;
    const g = ci * terms[1]! * yi;
    if (g === 0) continue;
    // Backward: delta of layer l's pre-activations in `dz` (length widths[l + 1]).
    let dz = scratch.rowDelta0;
    let next = scratch.rowDelta1;
    dz[0] = g;
    for (let l = H - 1; l >= 0; l--) {
      const inW = widths[l]!;
      const outW = widths[l + 1]!;
      const off = offsets[l]!;
      if (l === 0) {
        for (let o = 0; o < outW; o++) {
          const go = dz[o]!;
          if (go === 0) continue;
          const wo = off + o * inW;
          for (let j = 0; j < inW; j++) grad[wo + j]! += go * X[xo + j]!;
        }
        break;
      }
      const po = rowOffset[l - 1]!;
      for (let j = 0; j < inW; j++) next[j] = 0;
      for (let o = 0; o < outW; o++) {
        const go = dz[o]!;
        if (go === 0) continue;
        const wo = off + o * inW;
        for (let j = 0; j < inW; j++) {
          grad[wo + j]! += go * rowPost[po + j]!;
          next[j]! += go * theta[wo + j]!;
        }
      }
      for (let j = 0; j < inW; j++) next[j]! *= derivative(rowPre[po + j]!, act, param);
      if (mask !== undefined) for (let j = 0; j < inW; j++) next[j]! *= mask[mo + po + j]!;
      const t = dz;
      dz = next;
      next = t;
    }
  }
  return lossSum;
}

/**
 * {@link mlpObjective} layer at a time: {@link mlpForward} of all rows into `scratch.logits`, the margins,
 * loss terms and dL/dlogit of every row into `scratch.dLogits`, then {@link mlpBackward} (both with the
 * dropout `mask`, if any). `batch.n` must not exceed `scratch.capacity`.
 */
export function mlpObjectiveByLayer(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  shift: number,
  scratch: MlpScratch,
  mask?: Float64Array,
): number {
  const { X, y, c, n } = batch;
  const logits = mlpForward(scratch.logits, theta, X, n, scratch, mask);
  const dl = scratch.dLogits;
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    const u = yi * logits[i]!;
    margins[i] = u;
    const ci = c[i]!;
    let g = 0;
    if (ci !== 0) {
      scaledLossTerms(terms, loss, u, shift);
      lossSum += ci * terms[0]!;
      g = ci * terms[1]! * yi;
    }
    dl[i] = g;
  }
  mlpBackward(grad, theta, X, n, dl, scratch, mask);
  return lossSum;
}

/** Gradient coefficient cᵢ e^{shift} ℓ′(uᵢ) yᵢ of one row; adds its loss term to `acc[0]`. */
function rowCoefficient(
  acc: Float64Array,
  ci: number,
  yi: number,
  u: number,
  loss: LossId,
  shift: number,
): number {
  // A zero cᵢ skips the loss entirely: e^{−u} may overflow, and 0·∞ would be NaN.
  if (ci === 0) return 0;
  if (loss === LOSS_ID.exponential) {
    // scaledLossTerms of the exponential loss, inlined and bit-identical (as in linearObjective):
    // e^{shift − u} is e^{−u} at shift = 0, and −(c·ℓ)·y rounds as (c·(−ℓ))·y.
    const l = ci * Math.exp(shift - u);
    acc[0]! += l;
    return -l * yi;
  }
  scaledLossTerms(terms, loss, u, shift);
  acc[0]! += ci * terms[0]!;
  return ci * terms[1]! * yi;
}

const lossAcc = new Float64Array(1);

/**
 * {@link mlpObjective} for one hidden layer and one output (widths [d, h, 1], the paper's net):
 * f(θ, x) = Σₒ vₒ σ(wₒᵀx), rows in blocks of four. At the paper's size a row costs a few dozen flops, so the
 * general row pass is bound by latency (each row's chain: dot products → f → e^{−u} → the gradient's
 * read-modify-writes, which the next row must wait for). Four rows at once give four independent chains,
 * load each weight once per four rows, and add the four rows' gradient terms before one read-modify-write
 * of gradₖ (measured ~1.5× faster than the row pass at n = 400; with d = 2 a further 1.5× from
 * {@link oneHiddenBlocks2D}). For ReLU the gate σ′(z) = 1[z > 0] is read from σ(z) > 0, so the block's
 * pre-activations are not stored. The sums group the four rows pairwise, so gradient and loss agree with
 * {@link mlpObjectiveByRow} to rounding, not bit for bit; the margins are bit-identical.
 */
export function mlpObjectiveOneHidden(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  shift: number,
  scratch: MlpScratch,
): number {
  const { X, y, c, n } = batch;
  const { widths, blockPre: Z, blockPost: A, act, param } = scratch;
  const d = widths[0]!;
  const h = widths[1]!;
  const v = h * d;
  const relu = act === MLP_ACTIVATION.relu;
  grad.fill(0);
  lossAcc[0] = 0;
  let i = d === 2 ? oneHiddenBlocks2D(grad, margins, theta, batch, loss, shift, scratch) : 0;
  for (; d !== 2 && i + 4 <= n; i += 4) {
    const x0 = i * d;
    const x1 = x0 + d;
    const x2 = x1 + d;
    const x3 = x2 + d;
    let f0 = 0;
    let f1 = 0;
    let f2 = 0;
    let f3 = 0;
    for (let o = 0; o < h; o++) {
      const wo = o * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < d; j++) {
        const t = theta[wo + j]!;
        s0 += t * X[x0 + j]!;
        s1 += t * X[x1 + j]!;
        s2 += t * X[x2 + j]!;
        s3 += t * X[x3 + j]!;
      }
      const q = 4 * o;
      if (!relu) {
        Z[q] = s0;
        Z[q + 1] = s1;
        Z[q + 2] = s2;
        Z[q + 3] = s3;
      }
      const a0 = relu ? Math.max(s0, 0) : activate(s0, act, param);
      const a1 = relu ? Math.max(s1, 0) : activate(s1, act, param);
      const a2 = relu ? Math.max(s2, 0) : activate(s2, act, param);
      const a3 = relu ? Math.max(s3, 0) : activate(s3, act, param);
      A[q] = a0;
      A[q + 1] = a1;
      A[q + 2] = a2;
      A[q + 3] = a3;
      const vo = theta[v + o]!;
      f0 += vo * a0;
      f1 += vo * a1;
      f2 += vo * a2;
      f3 += vo * a3;
    }
    const y0 = y[i]!;
    const y1 = y[i + 1]!;
    const y2 = y[i + 2]!;
    const y3 = y[i + 3]!;
    const u0 = y0 * f0;
    const u1 = y1 * f1;
    const u2 = y2 * f2;
    const u3 = y3 * f3;
    margins[i] = u0;
    margins[i + 1] = u1;
    margins[i + 2] = u2;
    margins[i + 3] = u3;
    // In row order, so the loss adds the rows in the same order as a plain loop.
    const g0 = rowCoefficient(lossAcc, c[i]!, y0, u0, loss, shift);
    const g1 = rowCoefficient(lossAcc, c[i + 1]!, y1, u1, loss, shift);
    const g2 = rowCoefficient(lossAcc, c[i + 2]!, y2, u2, loss, shift);
    const g3 = rowCoefficient(lossAcc, c[i + 3]!, y3, u3, loss, shift);
    for (let o = 0; o < h; o++) {
      const q = 4 * o;
      const vo = theta[v + o]!;
      grad[v + o]! += g0 * A[q]! + g1 * A[q + 1]! + (g2 * A[q + 2]! + g3 * A[q + 3]!);
      const b0 = A[q]!;
      const b1 = A[q + 1]!;
      const b2 = A[q + 2]!;
      const b3 = A[q + 3]!;
      const t0 = relu ? (b0 > 0 ? g0 * vo : 0) : g0 * vo * derivative(Z[q]!, act, param);
      const t1 = relu ? (b1 > 0 ? g1 * vo : 0) : g1 * vo * derivative(Z[q + 1]!, act, param);
      const t2 = relu ? (b2 > 0 ? g2 * vo : 0) : g2 * vo * derivative(Z[q + 2]!, act, param);
      const t3 = relu ? (b3 > 0 ? g3 * vo : 0) : g3 * vo * derivative(Z[q + 3]!, act, param);
      const wo = o * d;
      for (let j = 0; j < d; j++) {
        grad[wo + j]! += t0 * X[x0 + j]! + t1 * X[x1 + j]! + (t2 * X[x2 + j]! + t3 * X[x3 + j]!);
      }
    }
  }
  // The last n mod 4 rows, one at a time.
  for (; i < n; i++) {
    const xo = i * d;
    let f = 0;
    for (let o = 0; o < h; o++) {
      const wo = o * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += theta[wo + j]! * X[xo + j]!;
      Z[o] = s;
      const a = activate(s, act, param);
      A[o] = a;
      f += theta[v + o]! * a;
    }
    const yi = y[i]!;
    const u = yi * f;
    margins[i] = u;
    const g = rowCoefficient(lossAcc, c[i]!, yi, u, loss, shift);
    if (g === 0) continue;
    for (let o = 0; o < h; o++) {
      grad[v + o]! += g * A[o]!;
      const t = g * theta[v + o]! * derivative(Z[o]!, act, param);
      const wo = o * d;
      for (let j = 0; j < d; j++) grad[wo + j]! += t * X[xo + j]!;
    }
  }
  return lossAcc[0]!;
}

/**
 * The blocks of four rows of {@link mlpObjectiveOneHidden} for d = 2 (the paper's data); returns the
 * first row not done (n rounded down to a multiple of 4). The eight inputs of a block are read into locals
 * once: V8 cannot prove that X does not alias the Float64Arrays written in between (scratch, grad,
 * margins), so in the general loop it reloads them for every hidden unit, forward and backward. Measured
 * 1.5× faster than the general block loop at widths [2, 5, 1], n = 400.
 */
function oneHiddenBlocks2D(
  grad: Float64Array,
  margins: Float64Array,
  theta: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  shift: number,
  scratch: MlpScratch,
): number {
  const { X, y, c, n } = batch;
  const { widths, blockPre: Z, blockPost: A, act, param } = scratch;
  const h = widths[1]!;
  const v = 2 * h;
  const relu = act === MLP_ACTIVATION.relu;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const k = 2 * i;
    const a00 = X[k]!,
      a01 = X[k + 1]!,
      a10 = X[k + 2]!,
      a11 = X[k + 3]!;
    const a20 = X[k + 4]!,
      a21 = X[k + 5]!,
      a30 = X[k + 6]!,
      a31 = X[k + 7]!;
    let f0 = 0,
      f1 = 0,
      f2 = 0,
      f3 = 0;
    for (let o = 0; o < h; o++) {
      const w0 = theta[2 * o]!,
        w1 = theta[2 * o + 1]!;
      const s0 = w0 * a00 + w1 * a01,
        s1 = w0 * a10 + w1 * a11,
        s2 = w0 * a20 + w1 * a21,
        s3 = w0 * a30 + w1 * a31;
      const q = 4 * o;
      if (!relu) {
        Z[q] = s0;
        Z[q + 1] = s1;
        Z[q + 2] = s2;
        Z[q + 3] = s3;
      }
      const b0 = relu ? Math.max(s0, 0) : activate(s0, act, param);
      const b1 = relu ? Math.max(s1, 0) : activate(s1, act, param);
      const b2 = relu ? Math.max(s2, 0) : activate(s2, act, param);
      const b3 = relu ? Math.max(s3, 0) : activate(s3, act, param);
      A[q] = b0;
      A[q + 1] = b1;
      A[q + 2] = b2;
      A[q + 3] = b3;
      const vo = theta[v + o]!;
      f0 += vo * b0;
      f1 += vo * b1;
      f2 += vo * b2;
      f3 += vo * b3;
    }
    const y0 = y[i]!,
      y1 = y[i + 1]!,
      y2 = y[i + 2]!,
      y3 = y[i + 3]!;
    const u0 = y0 * f0,
      u1 = y1 * f1,
      u2 = y2 * f2,
      u3 = y3 * f3;
    margins[i] = u0;
    margins[i + 1] = u1;
    margins[i + 2] = u2;
    margins[i + 3] = u3;
    const g0 = rowCoefficient(lossAcc, c[i]!, y0, u0, loss, shift);
    const g1 = rowCoefficient(lossAcc, c[i + 1]!, y1, u1, loss, shift);
    const g2 = rowCoefficient(lossAcc, c[i + 2]!, y2, u2, loss, shift);
    const g3 = rowCoefficient(lossAcc, c[i + 3]!, y3, u3, loss, shift);
    for (let o = 0; o < h; o++) {
      const q = 4 * o;
      const vo = theta[v + o]!;
      const b0 = A[q]!,
        b1 = A[q + 1]!,
        b2 = A[q + 2]!,
        b3 = A[q + 3]!;
      grad[v + o]! += g0 * b0 + g1 * b1 + (g2 * b2 + g3 * b3);
      const t0 = relu ? (b0 > 0 ? g0 * vo : 0) : g0 * vo * derivative(Z[q]!, act, param);
      const t1 = relu ? (b1 > 0 ? g1 * vo : 0) : g1 * vo * derivative(Z[q + 1]!, act, param);
      const t2 = relu ? (b2 > 0 ? g2 * vo : 0) : g2 * vo * derivative(Z[q + 2]!, act, param);
      const t3 = relu ? (b3 > 0 ? g3 * vo : 0) : g3 * vo * derivative(Z[q + 3]!, act, param);
      grad[2 * o]! += t0 * a00 + t1 * a10 + (t2 * a20 + t3 * a30);
      grad[2 * o + 1]! += t0 * a01 + t1 * a11 + (t2 * a21 + t3 * a31);
    }
  }
  return i;
}
