import { libExp, libLog1p } from './libm.js';

/**
 * The kernels' selectors of the margin loss ℓ: exponential e^{−u} and logistic log(1 + e^{−u}). They are the
 * `id` of the loss objects `exponential` and `logistic` (src/losses); a kernel takes `loss.id`.
 *
 * @example
 * ```ts
 * scaledLossTerms(new Float64Array(2), LOSS_ID.logistic, 0, 0); // [ln 2, −0.5]
 * ```
 */
export const LOSS_ID = Object.freeze({ exponential: 0, logistic: 1 } as const);

/** One of the values of {@link LOSS_ID}. */
export type LossId = (typeof LOSS_ID)[keyof typeof LOSS_ID];

/**
 * Scaled loss terms shared by every fused kernel: for loss `id` (one of {@link LOSS_ID}) writes
 * out[0] = e^{shift}·ℓ(u) and out[1] = e^{shift}·ℓ′(u). With shift = 0 these are the plain values,
 * computed as `exponential`/`logistic` in src/losses compute them, with the library's own exp and log1p
 * ({@link libExp}, {@link libLog1p}: fdlibm's, the same bits as Node's `Math.exp`/`Math.log1p` and in
 * every engine), so traces agree bit for bit in Node and do not depend on the engine elsewhere.
 * A positive shift (the smallest margin, in the far tail of long runs) keeps the terms representable
 * when e^{−u} underflows. Returns `out`.
 */
export function scaledLossTerms(out: Float64Array, id: LossId, u: number, shift: number): Float64Array {
  if (id === LOSS_ID.exponential) {
    const l = shift === 0 ? libExp(-u) : libExp(shift - u);
    out[0] = l;
    out[1] = -l;
    return out;
  }
  if (u >= 0) {
    const z = libExp(-u);
    if (shift === 0) {
      out[0] = libLog1p(z);
      out[1] = -z / (1 + z);
    } else {
      const zs = libExp(shift - u);
      // log1p(z) = z·(1 − z/2 + …): past u = 700 the correction is below 1e−304, so ℓ·e^{shift} = zs.
      out[0] = u > 700 ? zs : libLog1p(z) * libExp(shift);
      out[1] = -zs / (1 + z);
    }
    return out;
  }
  const e = libExp(u);
  if (shift === 0) {
    out[0] = -u + libLog1p(e);
    out[1] = -1 / (1 + e);
  } else {
    const s = libExp(shift);
    out[0] = (-u + libLog1p(e)) * s;
    out[1] = -s / (1 + e);
  }
  return out;
}
