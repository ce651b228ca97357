/**
 * out = Σ_{r < k} s[r]·U[:, r]·V[:, r]ᵀ, a rows×cols row-major matrix from a thin factorization (U rows×k and
 * V cols×k, row-major; terms with s[r] ≤ 0 are skipped, so s may hold soft-thresholded singular values).
 * Returns `out`. The rank-1 updates walk `out` row by row (contiguous) with U's entry held in a local.
 */
export function sumOfOuterProducts(
  out: Float64Array,
  U: Float64Array,
  s: Float64Array,
  V: Float64Array,
  rows: number,
  cols: number,
  k: number,
): Float64Array {
  out.fill(0, 0, rows * cols);
  for (let r = 0; r < k; r++) {
    const sr = s[r]!;
    if (!(sr > 0)) continue;
    for (let i = 0; i < rows; i++) {
      const ui = sr * U[i * k + r]!;
      if (ui === 0) continue;
      const o = i * cols;
      for (let j = 0; j < cols; j++) out[o + j] = out[o + j]! + ui * V[j * k + r]!;
    }
  }
  return out;
}
