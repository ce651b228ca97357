/** Helpers shared by the bench files: sample statistics, a seeded generator, the variant shape, tables. */

/** The median of the samples (mean of the two middle ones for an even count). */
export function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A seeded Lehmer (MINSTD) generator in (0, 1): bench workloads only, not the library's rng. */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

/** One timed row of a bench table. */
export interface Variant {
  name: string;
  /** Runs for about `ms` and returns per-step samples (ms). */
  batch(ms: number): number[];
}

/** Milliseconds with 3, 2 or 1 decimals by magnitude. */
export const fmt = (ms: number): string => (ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

/** Prints a Markdown table with padded columns. */
export function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}

/**
 * One measured grid point, for the summary figures: our time and a peer's (same run, interleaved), the
 * target the issue sets, and whether the point belongs to a time-vs-n series.
 */
export interface BenchRow {
  /** Which bench file ('linear', 'mlp', 'svm'). */
  bench: string;
  /** A short description of the workload (shape, n, loss). */
  workload: string;
  n: number;
  peer: string;
  oursMs: number;
  /** null when the peer was skipped. */
  peerMs: number | null;
  target: string;
  scaling: boolean;
}
