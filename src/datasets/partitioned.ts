import { InvalidInputError } from '../errors/index.js';
import { createRng } from '../rng/createRng.js';
import { readOptions } from '../util/validate.js';
import { numberOption, seedOption } from './internal.js';
import type { PlantedDataset } from './separable.js';

/** Options of {@link partitioned} (all optional). */
export interface PartitionedOptions {
  /** Points of the separable core D_sep, an integer ≥ 0. Default 50. */
  nSep?: number;
  /** Points of D_non-sep, an integer ≥ 0 (nSep + nNonSep ≥ 1). Default 50. */
  nNonSep?: number;
  /** Dimension, an integer ≥ 1; ≥ 2 when both parts are non-empty. Default 3. */
  d?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
  /** Guaranteed margin of the core along `planted`: yᵢuᵀxᵢ ≥ margin for i ∈ D_sep, > 0. Default 0.5. */
  margin?: number;
}

/** {@link partitioned}'s result: the data and its known partition into D_sep and D_non-sep. */
export interface PartitionedDataset extends PlantedDataset {
  /** Indices of the separable core D_sep (ascending). `planted` separates them with margin ≥ `margin`. */
  readonly knownSeparable: Int32Array;
  /** Indices of D_non-sep (ascending): the points whose margin every θ in the cone sends to 0. */
  readonly knownNonSeparable: Int32Array;
  /** An orthonormal basis (rows, k×d) of the subspace S ⊥ u the non-separable points were drawn in. */
  readonly nonSepSubspace: Float64Array;
  /**
   * A Gordan certificate p (length n): p ≥ 0, pᵢ = 1 on D_non-sep, 0 on D_sep, Σᵢ pᵢyᵢxᵢ = 0 (up to
   * rounding, ~1e-16): no θ with all margins ≥ 0 gives a point of D_non-sep a positive margin.
   */
  readonly certificate: Float64Array;
}

const FN = 'datasets.partitioned';
const KEYS = ['nSep', 'nNonSep', 'd', 'seed', 'margin'] as const;

/**
 * Non-separable data with a known maximal separable subset (Ji & Telgarsky; Proposition 2 of Xu, Ye &
 * Ruan, ICLR 2021): a separable core plus points that only a zero margin can satisfy.
 *
 * Construction: u is a uniformly random unit direction; S is a random subspace of dimension
 * k = min(d − 1, max(1, nNonSep − 1)) orthogonal to u (Gram–Schmidt against u). The core points are
 * xᵢ = yᵢ(margin + |z₀|)u + (I − uuᵀ)z with z ~ N(0, I_d) and random labels, so yᵢuᵀxᵢ ≥ margin. The
 * non-separable points have random labels and yᵢxᵢ = gᵢ with g₁ … g_{m−1} Gaussian in S and
 * g_m = −(g₁ + … + g_{m−1}): their signed points sum to zero, so any θ with all margins ≥ 0 has all of
 * them 0 there (a single non-separable point is x = 0). As S ⊥ u, θ = u is 0 on them and positive on the
 * core: D_sep is exactly the core. Rows are then shuffled (seeded), so the parts are interleaved.
 *
 * Defaults: nSep = 50, nNonSep = 50, d = 3, seed = 0, margin = 0.5.
 *
 * @param options - see {@link PartitionedOptions}.
 * @returns a frozen {@link PartitionedDataset} `{ X, y, n, d, planted, knownSeparable, knownNonSeparable,
 *   nonSepSubspace, certificate }`, deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options, d = 1 with both parts
 *   non-empty, or nSep + nNonSep = 0.
 * @example
 * ```ts
 * const data = datasets.partitioned({ nSep: 20, nNonSep: 10, d: 3, seed: 1 });
 * const p = await separablePartition(data); // p.separable equals data.knownSeparable
 * ```
 */
export function partitioned(options: PartitionedOptions = {}): PartitionedDataset {
  const o = readOptions(FN, options, KEYS);
  const nSep = numberOption(FN, o, 'nSep', 50, { integer: true, min: 0 });
  const nNon = numberOption(FN, o, 'nNonSep', 50, { integer: true, min: 0 });
  const d = numberOption(FN, o, 'd', 3, { integer: true, min: 1 });
  const seed = seedOption(FN, o);
  const margin = numberOption(FN, o, 'margin', 0.5, { min: 0, exclusiveMin: true });
  if (nSep + nNon < 1) throw new InvalidInputError(FN, 'nSep', 'plus nNonSep must be at least 1, got 0');
  if (d === 1 && nSep > 0 && nNon > 0) {
    throw new InvalidInputError(
      FN,
      'd',
      'must be at least 2 when both nSep and nNonSep are positive (in d = 1 any non-separable point forces θ = 0)',
    );
  }
  const rng = createRng(seed);
  const n = nSep + nNon;
  // Orthonormal rows: u first, then k rows spanning S.
  const k = d === 1 ? 0 : Math.min(d - 1, Math.max(1, nNon - 1));
  const Q = new Float64Array((k + 1) * d);
  for (let r = 0; r <= k; r++) {
    const row = Q.subarray(r * d, r * d + d);
    for (;;) {
      for (let j = 0; j < d; j++) row[j] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (let q = 0; q < r; q++) {
          let t = 0;
          for (let j = 0; j < d; j++) t += Q[q * d + j]! * row[j]!;
          for (let j = 0; j < d; j++) row[j]! -= t * Q[q * d + j]!;
        }
      }
      let nr = 0;
      for (let j = 0; j < d; j++) nr += row[j]! * row[j]!;
      nr = Math.sqrt(nr);
      if (nr > 1e-8) {
        for (let j = 0; j < d; j++) row[j]! /= nr;
        break;
      }
    }
  }
  const u = Q.slice(0, d);
  const G = new Float64Array(n * d); // signed points yᵢxᵢ, core first
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) labels[i] = rng.uniform() < 0.5 ? -1 : 1;
  for (let i = 0; i < nSep; i++) {
    const g = G.subarray(i * d, i * d + d);
    for (let j = 0; j < d; j++) g[j] = rng.normal();
    let t = 0;
    for (let j = 0; j < d; j++) t += g[j]! * u[j]!;
    const a = margin + Math.abs(rng.normal()) - t;
    for (let j = 0; j < d; j++) g[j]! += a * u[j]!;
  }
  if (nNon > 1) {
    const last = G.subarray((n - 1) * d, n * d);
    for (let i = nSep; i < n - 1; i++) {
      const g = G.subarray(i * d, i * d + d);
      for (let q = 1; q <= k; q++) {
        const c = rng.normal();
        for (let j = 0; j < d; j++) g[j]! += c * Q[q * d + j]!;
      }
      for (let j = 0; j < d; j++) last[j]! -= g[j]!;
    }
  }
  // Seeded Fisher–Yates shuffle of the rows.
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  const certificate = new Float64Array(n);
  const sep: number[] = [];
  const non: number[] = [];
  for (let r = 0; r < n; r++) {
    const src = perm[r]!;
    const yi = labels[src]!;
    y[r] = yi;
    for (let j = 0; j < d; j++) X[r * d + j] = yi * G[src * d + j]!;
    if (src < nSep) sep.push(r);
    else {
      non.push(r);
      certificate[r] = 1;
    }
  }
  return Object.freeze({
    X,
    y,
    n,
    d,
    planted: u,
    knownSeparable: Int32Array.from(sep),
    knownNonSeparable: Int32Array.from(non),
    nonSepSubspace: Q.slice(d),
    certificate,
  });
}
