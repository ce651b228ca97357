/**
 * The closed-form χ² divergence of two isotropic Gaussians, kept at the data layer: `datasets.covariateShift`
 * reports the exact χ² of the shift it generates, and `gaussianChi2Divergence` (in `bounds/`) is its checked
 * public face. Internal.
 * @internal
 * @packageDocumentation
 */

/**
 * Internal: f(log(1 + χ²)) for isotropic Gaussians (f = Math.expm1 gives χ²), or +∞ when 2σ_s² ≤ σ_t².
 * Inputs unchecked. Shared with `gaussianChi2Divergence`.
 */
export function gaussianLogOnePlusChi2(
  ms: ArrayLike<number>,
  mt: ArrayLike<number>,
  ss: number,
  st: number,
  f: (logValue: number) => number = (v) => v,
): number {
  const D = 2 * ss * ss - st * st;
  if (!(D > 0)) return Number.POSITIVE_INFINITY;
  let dist2 = 0;
  for (let k = 0; k < ms.length; k++) dist2 += (mt[k]! - ms[k]!) ** 2;
  // Equal spreads: the normalizing factor is exactly 1 (skip the logs, which would leave rounding residue).
  const logFactor = ss === st ? 0 : ms.length * (2 * Math.log(ss) - Math.log(st) - 0.5 * Math.log(D));
  const logValue = logFactor + dist2 / D;
  return f(logValue);
}
