/**
 * The subspace structure of a separable partition (Ji & Telgarsky): the index sets D_sep / D_non-sep and
 * orthonormal bases of S = span{xᵢ : i ∈ D_non-sep} and S⊥, with the check shared by the exact solver
 * (`nonSeparableOptimum`) and the Proposition 2 metrics. Internal.
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../errors/index.js';
import { checkNumber, show } from '../util/validate.js';

/**
 * The fields of a `SeparablePartition` (from `separablePartition`) that `nonSeparableOptimum` and
 * `proposition2Metrics` read. A `SeparablePartition` is one; hand-built objects with a known
 * partition are accepted too.
 */
export interface PartitionSubspaces {
  /** Indices of D_sep, the maximal linearly separable subset. */
  readonly separable: Int32Array;
  /** Indices of D_non-sep, the complement. */
  readonly nonSeparable: Int32Array;
  /** r×d, row-major: an orthonormal basis of S = span{xᵢ : i ∈ D_non-sep}. */
  readonly nonSepBasis: Float64Array;
  /** (d−r)×d, row-major: an orthonormal basis of S⊥. */
  readonly sepBasis: Float64Array;
  /** r = dim S. */
  readonly rank: number;
}

function checkIndexSet(fn: string, option: string, v: unknown, n: number, seen: Uint8Array): Int32Array {
  if (!(v instanceof Int32Array)) {
    throw new InvalidInputError(fn, option, `must be an Int32Array of indices, got ${show(v)}`);
  }
  for (let k = 0; k < v.length; k++) {
    const i = v[k]!;
    if (i < 0 || i >= n)
      throw new InvalidInputError(fn, `${option}[${k}]`, `must be an index in [0, ${n}), got ${i}`);
    if (seen[i] !== 0)
      throw new InvalidInputError(
        fn,
        `${option}[${k}]`,
        `repeats index ${i} (the two sets must partition 0…n−1)`,
      );
    seen[i] = 1;
  }
  return v;
}

/**
 * Checks shape, index sets and orthonormality of the bases (to 1e-8); `path` names the option in
 * messages (default 'partition'). Internal.
 */
/** @internal */
export function checkPartition(
  fn: string,
  partition: unknown,
  n: number,
  d: number,
  path = 'partition',
): PartitionSubspaces {
  if (typeof partition !== 'object' || partition === null) {
    throw new InvalidInputError(fn, path, `must be a SeparablePartition, got ${show(partition)}`);
  }
  const p = partition as Record<string, unknown>;
  const seen = new Uint8Array(n);
  const separable = checkIndexSet(fn, `${path}.separable`, p.separable, n, seen);
  const nonSeparable = checkIndexSet(fn, `${path}.nonSeparable`, p.nonSeparable, n, seen);
  if (separable.length + nonSeparable.length !== n) {
    throw new InvalidInputError(
      fn,
      path,
      `must cover all ${n} points (separable ${separable.length} + nonSeparable ${nonSeparable.length})`,
    );
  }
  const r = checkNumber(fn, `${path}.rank`, p.rank, { integer: true, min: 0, max: d });
  const B = p.nonSepBasis;
  const C = p.sepBasis;
  if (!(B instanceof Float64Array) || B.length !== r * d) {
    throw new InvalidInputError(
      fn,
      `${path}.nonSepBasis`,
      `must be a Float64Array of length r·d = ${r * d}, got ${show(B)}`,
    );
  }
  if (!(C instanceof Float64Array) || C.length !== (d - r) * d) {
    throw new InvalidInputError(
      fn,
      `${path}.sepBasis`,
      `must be a Float64Array of length (d−r)·d = ${(d - r) * d}, got ${show(C)}`,
    );
  }
  // [B; C] must be a d×d orthogonal matrix
  const row = (k: number): Float64Array =>
    k < r ? B.subarray(k * d, k * d + d) : C.subarray((k - r) * d, (k - r) * d + d);
  for (let a = 0; a < d; a++) {
    const ra = row(a);
    for (let b = 0; b <= a; b++) {
      const rb = row(b);
      let s = 0;
      for (let j = 0; j < d; j++) s += ra[j]! * rb[j]!;
      if (!(Math.abs(s - (a === b ? 1 : 0)) <= 1e-8)) {
        throw new InvalidInputError(
          fn,
          path,
          `bases are not orthonormal together (row ${a}·row ${b} = ${s})`,
        );
      }
    }
  }
  return { separable, nonSeparable, nonSepBasis: B, sepBasis: C, rank: r };
}
