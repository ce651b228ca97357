/**
 * The recorder of `trainLearnedWeights`: the distribution of the learned weights gᵢ = g(ψ, xᵢ) and their
 * correlation with the normalized margins — the quantities of Figure 4 of the paper — plus ‖θ‖, the
 * normalized margin, ‖ψ‖ and b. Internal.
 * @internal
 * @packageDocumentation
 */

import { norm2 } from '../kernels/vector.js';
import { weightingValues } from '../kernels/weighting.js';
import type { Recorder, RowFields } from './recorder.js';

/** [Pearson correlation, population covariance] of a and b (two-pass); the correlation is NaN when either is constant. */
export function correlation(out: Float64Array, a: Float64Array, b: Float64Array): Float64Array {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  out[0] = saa === 0 || sbb === 0 ? Number.NaN : Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
  out[1] = sab / n;
  return out;
}

/** Ranks 1…n with ties given their average rank. */
export function ranks(a: Float64Array): Float64Array {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]! || i - j);
  const r = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let m = k;
    while (m + 1 < n && a[order[m + 1]!] === a[order[k]!]) m++;
    const avg = (k + m) / 2 + 1;
    for (let t = k; t <= m; t++) r[order[t]!] = avg;
    k = m + 1;
  }
  return r;
}

/** Quantile q of the sorted array s (linear interpolation between order statistics, numpy's default). */
export function quantile(s: Float64Array, q: number): number {
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/**
 * Writes `norm`, `margin`, `weightMean`, `weightStd`, `weightMin`, `weightMax`, `weightQuantiles`,
 * `pearson`, `spearman`, `covariance`, `psiNorm`, `bias` and (with `keepWeights`) `weights`, from θ, the
 * margins and the weighting model's pre-activations z of the last evaluation.
 */
export function weightStatsRecorder(spec: {
  theta: Float64Array;
  psi: Float64Array;
  bias: () => number;
  z: Float64Array;
  margins: Float64Array;
  alpha: number;
  quantiles: readonly number[];
  keepWeights: boolean;
}): Recorder {
  const { theta, psi, z, margins, alpha, quantiles, keepWeights } = spec;
  const n = margins.length;
  const pair = new Float64Array(2);
  return {
    write(row: RowFields): void {
      const g = weightingValues(new Float64Array(n), z, n);
      const nrm = norm2(theta);
      const denom = nrm ** alpha;
      const normalized = new Float64Array(n);
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const u = nrm === 0 ? 0 : margins[i]! / denom;
        normalized[i] = u;
        if (u < min) min = u;
      }
      let mean = 0;
      for (let i = 0; i < n; i++) mean += g[i]!;
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (g[i]! - mean) ** 2;
      const sorted = Float64Array.from(g).sort();
      correlation(pair, g, normalized);
      const pearson = pair[0]!;
      const covariance = pair[1]!;
      row.norm = nrm;
      row.margin = min;
      row.weightMean = mean;
      row.weightStd = Math.sqrt(v / n);
      row.weightMin = sorted[0]!;
      row.weightMax = sorted[n - 1]!;
      row.weightQuantiles = quantiles.map((q) => quantile(sorted, q));
      row.pearson = pearson;
      row.spearman = correlation(pair, ranks(g), ranks(normalized))[0]!;
      row.covariance = covariance;
      row.psiNorm = norm2(psi);
      row.bias = spec.bias();
      if (keepWeights) row.weights = g;
    },
  };
}
