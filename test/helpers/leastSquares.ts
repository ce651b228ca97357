/**
 * Least squares by the normal equations GᵀG z = Gᵀb, Gaussian elimination with partial pivoting: the
 * independent reference the NNLS and KKT tests enumerate supports with (small, well-conditioned problems;
 * the code under test uses Householder QR). `columns[k]` is the k-th column of G, `target` is b.
 * Returns null when GᵀG is (numerically) singular.
 */
export function normalEquations(
  columns: readonly (readonly number[])[],
  target: readonly number[],
): number[] | null {
  const k = columns.length;
  const dotp = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, r) => s + v * b[r]!, 0);
  const G = columns.map((p) => columns.map((q) => dotp(p, q)));
  const h = columns.map((p) => dotp(p, target));
  const scale = Math.max(1e-300, ...G.map((row, c) => row[c]!));
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(G[r]![c]!) > Math.abs(G[piv]![c]!)) piv = r;
    if (Math.abs(G[piv]![c]!) < 1e-10 * scale) return null;
    [G[c], G[piv]] = [G[piv]!, G[c]!];
    [h[c], h[piv]] = [h[piv]!, h[c]!];
    for (let r = c + 1; r < k; r++) {
      const f = G[r]![c]! / G[c]![c]!;
      for (let q = c; q < k; q++) G[r]![q] = G[r]![q]! - f * G[c]![q]!;
      h[r] = h[r]! - f * h[c]!;
    }
  }
  const z = new Array<number>(k).fill(0);
  for (let c = k - 1; c >= 0; c--) {
    let s = h[c]!;
    for (let q = c + 1; q < k; q++) s -= G[c]![q]! * z[q]!;
    z[c] = s / G[c]![c]!;
  }
  return z;
}
