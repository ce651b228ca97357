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
 * computed exactly as `exponential`/`logistic` in src/losses compute them (so traces agree bit for bit).
 * A positive shift (the smallest margin, in the far tail of long runs) keeps the terms representable
 * when e^{−u} underflows. Returns `out`.
 */
export function scaledLossTerms(out: Float64Array, id: LossId, u: number, shift: number): Float64Array {
  if (id === LOSS_ID.exponential) {
    const l = shift === 0 ? Math.exp(-u) : Math.exp(shift - u);
    out[0] = l;
    out[1] = -l;
    return out;
  }
  if (u >= 0) {
    const z = Math.exp(-u);
    if (shift === 0) {
      out[0] = Math.log1p(z);
      out[1] = -z / (1 + z);
    } else {
      const zs = Math.exp(shift - u);
      // log1p(z) = z·(1 − z/2 + …): past u = 700 the correction is below 1e−304, so ℓ·e^{shift} = zs.
      out[0] = u > 700 ? zs : Math.log1p(z) * Math.exp(shift);
      out[1] = -zs / (1 + z);
    }
    return out;
  }
  const e = Math.exp(u);
  if (shift === 0) {
    out[0] = -u + Math.log1p(e);
    out[1] = -1 / (1 + e);
  } else {
    const s = Math.exp(shift);
    out[0] = (-u + Math.log1p(e)) * s;
    out[1] = -s / (1 + e);
  }
  return out;
}
