import type { MarginBatch } from './batch.js';
import { gemm2NN, gemm2NT, gemm2TN, gemmNN, gemmNT, gemmTN } from './gemm.js';
import { LOSS_ID, type LossId } from './marginLoss.js';
import {
  activate,
  derivative,
  MLP_ACTIVATION,
  MLP_ROWWISE_MAX_PARAMS,
  type MlpActivationId,
  type MlpSigma,
  power,
} from './mlp.js';

/**
 * ℓ″(u) of margin loss `id` ({@link LOSS_ID}: exponential e^{−u}, logistic σ(u)σ(−u)). The logistic form
 * e^{−|u|}/(1 + e^{−|u|})² is symmetric in u and never overflows; the exponential one overflows to ∞ only
 * where e^{−u} does (u < −709.78), exactly as ℓ(u) itself.
 *
 * @example
 * ```ts
 * lossSecondDerivative(LOSS_ID.exponential, 0); // 1
 * lossSecondDerivative(LOSS_ID.logistic, 0);    // 0.25
 * ```
 */
export function lossSecondDerivative(id: LossId, u: number): number {
  if (id === LOSS_ID.exponential) return Math.exp(-u);
  const z = Math.exp(-Math.abs(u));
  const q = 1 + z;
  return z / (q * q);
}

/**
 * Exact Hessian-vector product of the weighted objective Σᵢ cᵢ ℓ(uᵢ) of the linear model over the rows of
 * `batch`, uᵢ = yᵢ θᵀx̃ᵢ with x̃ᵢ = (xᵢ, 1) with `bias` (else x̃ᵢ = xᵢ), ℓ the loss `loss` ({@link LOSS_ID}):
 * since f is linear in θ the Hessian is Σᵢ cᵢ ℓ″(uᵢ) yᵢ² x̃ᵢx̃ᵢᵀ, so
 *
 *   out = Σᵢ cᵢ ℓ″(uᵢ) yᵢ² (x̃ᵢᵀv) x̃ᵢ.
 *
 * One pass over the rows, nothing allocated; rows with cᵢ = 0 contribute exactly nothing (even where ℓ″
 * overflows). `out` (length d, d + 1 with `bias`) must not alias `theta` or `v`. Returns `out`.
 *
 * @example
 * ```ts
 * // one row x = (1, 2), y = 1, c = 1, θ = 0 (ℓ″ = 1 for the exponential loss): H = xxᵀ
 * const batch = { X: Float64Array.of(1, 2), y: Float64Array.of(1), c: Float64Array.of(1), n: 1, d: 2 };
 * const v = Float64Array.of(1, 0);
 * linearHvp(new Float64Array(2), new Float64Array(2), v, batch, false, LOSS_ID.exponential); // [1, 2]
 * ```
 */
export function linearHvp(
  out: Float64Array,
  theta: Float64Array,
  v: Float64Array,
  batch: MarginBatch,
  bias: boolean,
  loss: LossId,
): Float64Array {
  const { X, y, c, n, d } = batch;
  const p = bias ? d + 1 : d;
  for (let j = 0; j < p; j++) out[j] = 0;
  const b = bias ? theta[d]! : 0;
  const vb = bias ? v[d]! : 0;
  let ob = 0;
  for (let i = 0; i < n; i++) {
    const ci = c[i]!;
    if (ci === 0) continue;
    const o = i * d;
    // θᵀx and vᵀx in the same sweep: the row is read from memory once for both.
    let s = 0;
    let t = 0;
    for (let j = 0; j < d; j++) {
      const x = X[o + j]!;
      s += theta[j]! * x;
      t += v[j]! * x;
    }
    const yi = y[i]!;
    const k = ci * lossSecondDerivative(loss, yi * (s + b)) * yi * yi * (t + vb);
    if (k === 0) continue;
    for (let j = 0; j < d; j++) out[j]! += k * X[o + j]!;
    ob += k;
  }
  if (bias) out[d] = ob;
  return out;
}

/**
 * The activation ({@link MlpSigma}) and per-row buffers of {@link mlpHvp} for the layout `widths`, made once
 * by {@link createMlpHvpScratch}: every
 * layer's pre-activations z, post-activations a and their directional derivatives Rz, Ra at offsets
 * `rowOffset[l]`, and the back-propagated δ = dL/dz of one layer with its R-derivative (two of each, used in
 * turn).
 */
export interface MlpHvpScratch extends MlpSigma {
  readonly widths: Int32Array;
  readonly offsets: Int32Array;
  readonly rowOffset: Int32Array;
  /** Rows the layer-at-a-time buffers hold (0: the pass goes row at a time). */
  readonly capacity: number;
  /**
   * Layer-at-a-time buffers, row-major over the rows: per layer l, `Z[l]`, `RZ[l]` (capacity × widths[l + 1])
   * and, for hidden layers, `A[l]`, `RA[l]`; the deltas and their R-parts of one layer in `D`, `RD`, `N`, `RN`
   * (capacity × the widest layer).
   */
  readonly batched: {
    Z: Float64Array[];
    RZ: Float64Array[];
    A: Float64Array[];
    RA: Float64Array[];
    D: Float64Array;
    RD: Float64Array;
    N: Float64Array;
    RN: Float64Array;
  };
  readonly z: Float64Array;
  readonly a: Float64Array;
  readonly rz: Float64Array;
  readonly ra: Float64Array;
  readonly delta0: Float64Array;
  readonly delta1: Float64Array;
  readonly rdelta0: Float64Array;
  readonly rdelta1: Float64Array;
}

/**
 * Allocates the {@link MlpHvpScratch} of the layout `widths` = [d, h₁, …, 1] (integers ≥ 1, at least two;
 * the caller validates) with activation `sigma`. Its size does not depend on the number of rows: call it
 * once per model.
 *
 * @example
 * ```ts
 * const scratch = createMlpHvpScratch([2, 5, 1], mlpSigma('relu', {})); // scratch.offsets = [0, 10, 15]
 * ```
 */
export function createMlpHvpScratch(widths: ArrayLike<number>, sigma: MlpSigma, capacity = 0): MlpHvpScratch {
  const w = Int32Array.from(widths as ArrayLike<number>);
  const H = w.length - 1;
  const offsets = new Int32Array(H + 1);
  const rowOffset = new Int32Array(H + 1);
  let maxWidth = 1;
  for (let l = 0; l < H; l++) {
    offsets[l + 1] = offsets[l]! + w[l]! * w[l + 1]!;
    rowOffset[l + 1] = rowOffset[l]! + w[l + 1]!;
    if (w[l + 1]! > maxWidth) maxWidth = w[l + 1]!;
  }
  const total = rowOffset[H]!;
  const layer = (l: number) => new Float64Array(capacity * w[l + 1]!);
  const hidden = (l: number) => new Float64Array(l < H - 1 ? capacity * w[l + 1]! : 0);
  const layers = Array.from({ length: H }, (_, l) => l);
  return {
    act: sigma.act,
    param: sigma.param,
    widths: w,
    offsets,
    rowOffset,
    z: new Float64Array(total),
    a: new Float64Array(total),
    rz: new Float64Array(total),
    ra: new Float64Array(total),
    delta0: new Float64Array(maxWidth),
    delta1: new Float64Array(maxWidth),
    rdelta0: new Float64Array(maxWidth),
    rdelta1: new Float64Array(maxWidth),
    capacity,
    batched: {
      Z: layers.map(layer),
      RZ: layers.map(layer),
      A: layers.map(hidden),
      RA: layers.map(hidden),
      D: new Float64Array(capacity * maxWidth),
      RD: new Float64Array(capacity * maxWidth),
      N: new Float64Array(capacity * maxWidth),
      RN: new Float64Array(capacity * maxWidth),
    },
  };
}

/**
 * σ″(z): 0 for relu and leakyRelu (piecewise linear: zero almost everywhere, the kink is taken as 0 like
 * the kernels' σ′) and identity, 2 for quadratic, c(c − 1)z^{c−2} for z > 0 and 0 otherwise for reluPower.
 */
function sigma2(z: number, act: MlpActivationId, param: number): number {
  switch (act) {
    case MLP_ACTIVATION.relu:
    case MLP_ACTIVATION.leakyRelu:
    case MLP_ACTIVATION.identity:
      return 0;
    case MLP_ACTIVATION.quadratic:
      return 2;
    default:
      return z > 0 ? param * (param - 1) * power(z, param - 2) : 0;
  }
}

/**
 * Exact Hessian-vector product out = ∇²_θ [Σᵢ cᵢ ℓ(yᵢ f(θ, xᵢ))] · v of the bias-free MLP of `mlpForward`
 * (widths [d, h₁, …, 1], W_l row-major at `scratch.offsets[l]`, σ of `scratch`) over the rows of `batch`
 * (its `d` is not read), ℓ the loss `loss` ({@link LOSS_ID}), by Pearlmutter's R-operator
 * R{·} = d/dr (·)(θ + r v) at r = 0 applied to the forward and the backward pass, row at a time:
 *
 *   forward   z_l = W_l a_{l−1},  a_l = σ(z_l)            Rz_l = V_l a_{l−1} + W_l Ra_{l−1},  Ra_l = σ′(z_l) Rz_l
 *   output    g = cᵢ ℓ′(u) y,  u = y z_H                   Rg = cᵢ ℓ″(u) y² Rz_H
 *   backward  ∂W_l = δ_l a_{l−1}ᵀ,  δ_H = g                R∂W_l = Rδ_l a_{l−1}ᵀ + δ_l Ra_{l−1}ᵀ
 *             δ_{l−1} = σ′(z_{l−1}) ⊙ W_lᵀδ_l              Rδ_{l−1} = σ″(z_{l−1}) Rz_{l−1} ⊙ W_lᵀδ_l + σ′(z_{l−1}) ⊙ (V_lᵀδ_l + W_lᵀRδ_l)
 *
 * with a₀ = xᵢ, Ra₀ = 0 and V_l the blocks of v in θ's layout. σ″ is 0 for relu and leakyRelu, so their
 * Hessian is the Gauss–Newton part plus the cross terms through δ_l Ra_{l−1}ᵀ and V_lᵀδ_l. Rows with
 * cᵢ = 0 contribute exactly nothing. `out` must not alias θ or v. Returns `out`.
 *
 * Row at a time ({@link mlpHvpByRow}: the row's activations in the per-row buffers, any n) for nets of at most
 * `MLP_ROWWISE_MAX_PARAMS` parameters or a scratch without room for the rows; layer at a time otherwise
 * ({@link mlpHvpByLayer}, on the paired matrix products of gemm.ts). Both sum every entry in the same order
 * (each pre-activation and R-pre-activation over the layer's inputs, each pair v·a + w·Ra together; each
 * weight entry over the rows in order; each delta over the layer's outputs), so they give the same bits.
 *
 * @example
 * ```ts
 * // widths [1, 1, 1], quadratic σ: f = b·(a·x)², at x = 1, y = 1, exponential loss, θ = (a, b) = (1, 1)
 * const s = createMlpHvpScratch([1, 1, 1], mlpSigma('quadratic', {}));
 * const one = Float64Array.of(1);
 * const batch = { X: one, y: one, c: one, n: 1, d: 1 };
 * mlpHvp(new Float64Array(2), Float64Array.of(1, 1), Float64Array.of(1, 0), batch, LOSS_ID.exponential, s);
 * // the first column of ∇²e^{−a²b} at (1, 1): [2/e, 0]
 * ```
 */
export function mlpHvp(
  out: Float64Array,
  theta: Float64Array,
  v: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  scratch: MlpHvpScratch,
): Float64Array {
  return theta.length > MLP_ROWWISE_MAX_PARAMS && batch.n <= scratch.capacity
    ? mlpHvpByLayer(out, theta, v, batch, loss, scratch)
    : mlpHvpByRow(out, theta, v, batch, loss, scratch);
}

/** {@link mlpHvp} row at a time. */
export function mlpHvpByRow(
  out: Float64Array,
  theta: Float64Array,
  v: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  scratch: MlpHvpScratch,
): Float64Array {
  const { X, y, c, n } = batch;
  const { widths, offsets, rowOffset, z, a, rz, ra, act, param } = scratch;
  const H = widths.length - 1;
  const d = widths[0]!;
  const top = rowOffset[H - 1]!;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const ci = c[i]!;
    if (ci === 0) continue;
    const xo = i * d;
    // Forward and R-forward. Layer 0 reads the row of X (Ra₀ = 0); later layers the previous a and Ra.
    for (let l = 0; l < H; l++) {
      const inW = widths[l]!;
      const outW = widths[l + 1]!;
      const off = offsets[l]!;
      const ro = rowOffset[l]!;
      const hidden = l < H - 1;
      if (l === 0) {
        for (let o = 0; o < outW; o++) {
          const wo = off + o * inW;
          let s = 0;
          let rs = 0;
          for (let j = 0; j < inW; j++) {
            const x = X[xo + j]!;
            s += theta[wo + j]! * x;
            rs += v[wo + j]! * x;
          }
          z[o] = s;
          rz[o] = rs;
          if (hidden) {
            a[o] = activate(s, act, param);
            ra[o] = derivative(s, act, param) * rs;
          }
        }
      } else {
        const po = rowOffset[l - 1]!;
        for (let o = 0; o < outW; o++) {
          const wo = off + o * inW;
          let s = 0;
          let rs = 0;
          for (let j = 0; j < inW; j++) {
            const t = theta[wo + j]!;
            s += t * a[po + j]!;
            rs += v[wo + j]! * a[po + j]! + t * ra[po + j]!;
          }
          z[ro + o] = s;
          rz[ro + o] = rs;
          if (hidden) {
            a[ro + o] = activate(s, act, param);
            ra[ro + o] = derivative(s, act, param) * rs;
          }
        }
      }
    }
    const yi = y[i]!;
    const u = yi * z[top]!;
    // ℓ′ and ℓ″ at shift 0 (the plain objective): exponential −e^{−u} and e^{−u}; logistic stable forms.
    let l1: number;
    if (loss === LOSS_ID.exponential) l1 = -Math.exp(-u);
    else l1 = u >= 0 ? -Math.exp(-u) / (1 + Math.exp(-u)) : -1 / (1 + Math.exp(u));
    let dz = scratch.delta0;
    let next = scratch.delta1;
    let rdz = scratch.rdelta0;
    let rnext = scratch.rdelta1;
    dz[0] = ci * l1 * yi;
    rdz[0] = ci * lossSecondDerivative(loss, u) * yi * yi * rz[top]!;
    for (let l = H - 1; l >= 0; l--) {
      const inW = widths[l]!;
      const outW = widths[l + 1]!;
      const off = offsets[l]!;
      if (l === 0) {
        for (let o = 0; o < outW; o++) {
          const ro = rdz[o]!;
          if (ro === 0) continue;
          const wo = off + o * inW;
          for (let j = 0; j < inW; j++) out[wo + j]! += ro * X[xo + j]!;
        }
        break;
      }
      const po = rowOffset[l - 1]!;
      for (let j = 0; j < inW; j++) {
        next[j] = 0;
        rnext[j] = 0;
      }
      for (let o = 0; o < outW; o++) {
        const go = dz[o]!;
        const rgo = rdz[o]!;
        const wo = off + o * inW;
        for (let j = 0; j < inW; j++) {
          const t = theta[wo + j]!;
          out[wo + j]! += rgo * a[po + j]! + go * ra[po + j]!;
          next[j]! += t * go;
          rnext[j]! += v[wo + j]! * go + t * rgo;
        }
      }
      for (let j = 0; j < inW; j++) {
        const zp = z[po + j]!;
        const s = next[j]!;
        const s1 = derivative(zp, act, param);
        next[j] = s1 * s;
        rnext[j] = sigma2(zp, act, param) * rz[po + j]! * s + s1 * rnext[j]!;
      }
      let t = dz;
      dz = next;
      next = t;
      t = rdz;
      rdz = rnext;
      rnext = t;
    }
  }
  return out;
}

/**
 * {@link mlpHvp} layer at a time over all rows (`batch.n` ≤ `scratch.capacity`): the forward and R-forward
 * passes as Z = A·Wᵀ and RZ = A·Vᵀ + RA·Wᵀ (paired per input), then the row terms, then per layer
 * ∂W += RΔᵀ·A + Δᵀ·RA (paired per row), Δ_prev = Δ·W and RΔ_prev = Δ·V + RΔ·W (paired per output) with the
 * activation's derivatives. The same sums in the same order as {@link mlpHvpByRow}: the same bits.
 */
export function mlpHvpByLayer(
  out: Float64Array,
  theta: Float64Array,
  v: Float64Array,
  batch: MarginBatch,
  loss: LossId,
  scratch: MlpHvpScratch,
): Float64Array {
  const { X, y, c, n } = batch;
  const { widths, offsets, act, param } = scratch;
  const { Z, RZ, A, RA } = scratch.batched;
  const H = widths.length - 1;
  const block = (buffer: Float64Array, l: number) => buffer.subarray(offsets[l]!, offsets[l + 1]!);
  out.fill(0);
  // Forward and R-forward, all rows.
  for (let l = 0; l < H; l++) {
    const inW = widths[l]!;
    const outW = widths[l + 1]!;
    const m = n * outW;
    const z = Z[l]!;
    const rz = RZ[l]!;
    z.fill(0, 0, m);
    rz.fill(0, 0, m);
    if (l === 0) {
      gemmNT(z, X, block(theta, 0), n, outW, inW);
      gemmNT(rz, X, block(v, 0), n, outW, inW);
    } else {
      gemmNT(z, A[l - 1]!, block(theta, l), n, outW, inW);
      gemm2NT(rz, A[l - 1]!, block(v, l), RA[l - 1]!, block(theta, l), n, outW, inW);
    }
    if (l < H - 1) {
      const a = A[l]!;
      const ra = RA[l]!;
      for (let q = 0; q < m; q++) {
        const s = z[q]!;
        a[q] = activate(s, act, param);
        ra[q] = derivative(s, act, param) * rz[q]!;
      }
    }
  }
  // The output: δ = cᵢ ℓ′(u) y and Rδ = cᵢ ℓ″(u) y² Rz per row (0 for cᵢ = 0, where ℓ′ may overflow).
  let D = scratch.batched.D;
  let RD = scratch.batched.RD;
  let N = scratch.batched.N;
  let RN = scratch.batched.RN;
  const zTop = Z[H - 1]!;
  const rzTop = RZ[H - 1]!;
  for (let i = 0; i < n; i++) {
    const ci = c[i]!;
    if (ci === 0) {
      D[i] = 0;
      RD[i] = 0;
      continue;
    }
    const yi = y[i]!;
    const u = yi * zTop[i]!;
    let l1: number;
    if (loss === LOSS_ID.exponential) l1 = -Math.exp(-u);
    else l1 = u >= 0 ? -Math.exp(-u) / (1 + Math.exp(-u)) : -1 / (1 + Math.exp(u));
    D[i] = ci * l1 * yi;
    RD[i] = ci * lossSecondDerivative(loss, u) * yi * yi * rzTop[i]!;
  }
  // Backward: weight entries over the rows in order, deltas over the layer's outputs.
  for (let l = H - 1; l >= 0; l--) {
    const inW = widths[l]!;
    const outW = widths[l + 1]!;
    if (l === 0) {
      gemmTN(block(out, 0), RD, X, outW, inW, n);
      break;
    }
    gemm2TN(block(out, l), RD, A[l - 1]!, D, RA[l - 1]!, outW, inW, n);
    const m = n * inW;
    N.fill(0, 0, m);
    RN.fill(0, 0, m);
    gemmNN(N, D, block(theta, l), n, inW, outW);
    gemm2NN(RN, D, block(v, l), RD, block(theta, l), n, inW, outW);
    const zp = Z[l - 1]!;
    const rzp = RZ[l - 1]!;
    for (let q = 0; q < m; q++) {
      const z = zp[q]!;
      const s = N[q]!;
      const s1 = derivative(z, act, param);
      N[q] = s1 * s;
      RN[q] = sigma2(z, act, param) * rzp[q]! * s + s1 * RN[q]!;
    }
    let t = D;
    D = N;
    N = t;
    t = RD;
    RD = RN;
    RN = t;
  }
  return out;
}
