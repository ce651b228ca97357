import { InvalidInputError } from '../errors/index.js';
import { checkPartition, type PartitionSubspaces } from '../linalg/partitionSubspaces.js';
import { checkKnownKeys, checkNumber, checkObject, show, toFiniteVector } from '../util/validate.js';
import type { Recorder, RowFields } from './recorder.js';

const FN = 'proposition2Metrics';

/**
 * The fields of a `NonSeparableOptimum` (from `nonSeparableOptimum`) that the Proposition 2 metrics read:
 * θ̃(w), the D_sep max-margin direction in S⊥ and γ_sep (both null when D_sep = ∅).
 */
export interface Proposition2Optimum {
  readonly theta: ArrayLike<number>;
  readonly sepDirection: ArrayLike<number> | null;
  readonly gammaSep: number | null;
}

/** What {@link proposition2Metrics} returns. */
export interface Proposition2Metrics {
  /** ‖Π_non-sep θ − θ̃(w)‖₂, the left side of Proposition 2. */
  nonSepDistance: number;
  /**
   * The angle (radians, in [0, π]) between Π_sep θ and the D_sep max-margin direction; null when D_sep = ∅
   * or Π_sep θ = 0.
   */
  sepAngle: number | null;
  /** ‖Π_sep θ‖₂ (grows like log t / γ_sep along gradient descent). */
  sepNorm: number;
}

/**
 * The Proposition 2 quantities of one iterate θ (e.g. a `theta` row of a `trainWeighted` history): the
 * distance of its S-part to θ̃(w), and the angle of its S⊥-part to the D_sep max-margin direction.
 * Projections use the partition's orthonormal bases: Π_non-sep θ = Bᵀ(Bθ), Π_sep θ = Cᵀ(Cθ). The angle is
 * computed as 2·atan2(‖â − b̂‖, ‖â + b̂‖), accurate for tiny angles.
 *
 * @param theta - θ ∈ ℝᵈ.
 * @param partition - the partition the optimum was computed from.
 * @param optimum - from `nonSeparableOptimum` (only `theta` and `sepDirection` are read).
 * @throws InvalidInputError (`INVALID_INPUT`) on lengths other than d or a bad partition.
 */
export function proposition2Metrics(
  theta: ArrayLike<number>,
  partition: PartitionSubspaces,
  optimum: Pick<Proposition2Optimum, 'theta' | 'sepDirection'>,
): Proposition2Metrics {
  if (typeof optimum !== 'object' || optimum === null) {
    throw new InvalidInputError(
      FN,
      'optimum',
      `must be the result of nonSeparableOptimum, got ${show(optimum)}`,
    );
  }
  const th = toFiniteVector(FN, 'theta', theta);
  const d = th.length;
  if (d === 0) throw new InvalidInputError(FN, 'theta', 'must not be empty');
  const tilde = toFiniteVector(FN, 'optimum.theta', optimum.theta, d);
  const dir =
    optimum.sepDirection === null
      ? null
      : toFiniteVector(FN, 'optimum.sepDirection', optimum.sepDirection, d);
  const n = partition?.separable?.length + partition?.nonSeparable?.length;
  const part = checkPartition(FN, partition, Number.isInteger(n) ? n : 0, d);
  return proposition2Into(th, part, tilde, dir, new Float64Array(d), new Float64Array(d));
}

/**
 * Unchecked core of {@link proposition2Metrics}, shared with `trainWeighted` so that recorded values are
 * bit-identical to it. `pn` and `ps` (length d) are scratch: on return they hold Π_non-sep θ and Π_sep θ.
 * Allocates only the result object. Internal.
 */
export function proposition2Into(
  th: Float64Array,
  part: PartitionSubspaces,
  tilde: Float64Array,
  dir: Float64Array | null,
  pn: Float64Array,
  ps: Float64Array,
): Proposition2Metrics {
  const d = th.length;
  const r = part.rank;
  const project = (out: Float64Array, basis: Float64Array, rows: number): void => {
    out.fill(0);
    for (let a = 0; a < rows; a++) {
      let c = 0;
      for (let j = 0; j < d; j++) c += basis[a * d + j]! * th[j]!;
      for (let j = 0; j < d; j++) out[j] = out[j]! + c * basis[a * d + j]!;
    }
  };
  project(pn, part.nonSepBasis, r);
  project(ps, part.sepBasis, d - r);
  let dist = 0;
  let ns = 0;
  for (let j = 0; j < d; j++) {
    dist += (pn[j]! - tilde[j]!) ** 2;
    ns += ps[j]! * ps[j]!;
  }
  ns = Math.sqrt(ns);
  let sepAngle: number | null = null;
  if (dir !== null && ns > 0) {
    let nd = 0;
    for (let j = 0; j < d; j++) nd += dir[j]! * dir[j]!;
    nd = Math.sqrt(nd);
    let diff = 0;
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const a = ps[j]! / ns;
      const b = dir[j]! / nd;
      diff += (a - b) ** 2;
      sum += (a + b) ** 2;
    }
    sepAngle = 2 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
  }
  return { nonSepDistance: Math.sqrt(dist), sepAngle, sepNorm: ns };
}

/** What `trainWeighted`'s `proposition2` option holds once checked. @internal */
export interface CheckedProposition2 {
  partition: PartitionSubspaces;
  tilde: Float64Array;
  sepDirection: Float64Array | null;
  gammaSep: number | null;
}

/**
 * Validates `{ partition, optimum }` (the outputs of `separablePartition`/`nonSeparableOptimum`) against
 * n points in ℝᵈ; `path` names the option in messages. Internal (used by `trainWeighted`).
 */
export function checkProposition2(
  fn: string,
  path: string,
  spec: unknown,
  n: number,
  d: number,
): CheckedProposition2 {
  const o = checkObject(fn, path, spec, false);
  checkKnownKeys(`${fn}: ${path}`, o, ['partition', 'optimum']);
  const partition = checkPartition(fn, o.partition, n, d, `${path}.partition`);
  const opt = checkObject(fn, `${path}.optimum`, o.optimum, false);
  const tilde = toFiniteVector(fn, `${path}.optimum.theta`, opt.theta, d);
  const hasSep = partition.separable.length > 0;
  let sepDirection: Float64Array | null = null;
  let gammaSep: number | null = null;
  if (hasSep) {
    sepDirection = toFiniteVector(fn, `${path}.optimum.sepDirection`, opt.sepDirection, d);
    let s = 0;
    for (let j = 0; j < d; j++) s += sepDirection[j]! * sepDirection[j]!;
    if (!(s > 0)) {
      throw new InvalidInputError(fn, `${path}.optimum.sepDirection`, 'must be nonzero when D_sep ≠ ∅');
    }
    gammaSep = checkNumber(fn, `${path}.optimum.gammaSep`, opt.gammaSep, { min: 0, exclusiveMin: true });
  } else {
    for (const key of ['sepDirection', 'gammaSep'] as const) {
      if (opt[key] !== null) {
        throw new InvalidInputError(
          fn,
          `${path}.optimum.${key}`,
          `must be null when D_sep = ∅ (partition.separable is empty), got ${show(opt[key])}`,
        );
      }
    }
  }
  // θ̃ ∈ S and the direction ∈ S⊥, or the optimum belongs to another partition
  const pn = new Float64Array(d);
  const ps = new Float64Array(d);
  const offS = proposition2Into(tilde, partition, new Float64Array(d), null, pn, ps).sepNorm;
  let nt = 0;
  for (let j = 0; j < d; j++) nt += tilde[j]! * tilde[j]!;
  if (!(offS <= 1e-8 * Math.max(1, Math.sqrt(nt)))) {
    throw new InvalidInputError(
      fn,
      `${path}.optimum.theta`,
      `must lie in S = span of partition.nonSepBasis (its S⊥ part has norm ${show(offS)}); was the optimum computed from this partition?`,
    );
  }
  if (sepDirection !== null) {
    const inS = proposition2Into(sepDirection, partition, new Float64Array(d), null, pn, ps);
    let ndir = 0;
    for (let j = 0; j < d; j++) ndir += sepDirection[j]! * sepDirection[j]!;
    if (!(inS.nonSepDistance <= 1e-8 * Math.sqrt(ndir))) {
      throw new InvalidInputError(
        fn,
        `${path}.optimum.sepDirection`,
        `must lie in S⊥ = span of partition.sepBasis (its S part has norm ${show(inS.nonSepDistance)}); was the optimum computed from this partition?`,
      );
    }
  }
  return { partition, tilde, sepDirection, gammaSep };
}

/**
 * The rate term of Proposition 2, (log² t / γ_sep)/t, for t ≥ 1 steps and γ_sep > 0.
 * @example
 * proposition2Rate(Math.E, 1); // 1/e
 */
export function proposition2Rate(t: number, gammaSep: number): number {
  checkNumber('proposition2Rate', 't', t, { min: 1 });
  checkNumber('proposition2Rate', 'gammaSep', gammaSep, { min: 0, exclusiveMin: true });
  const l = Math.log(t);
  return (l * l) / gammaSep / t;
}

/** The metric names of {@link proposition2Recorder}. */
export const PROPOSITION2_METRICS = ['nonSepDistance', 'sepAngle', 'sepNorm', 'proposition2Rate'] as const;

/**
 * Records `nonSepDistance`, `sepAngle`, `sepNorm` and `proposition2Rate` (the selected ones) of θ, bit-identical
 * to {@link proposition2Metrics} and {@link proposition2Rate} on the same θ; O(d²) per recorded step into
 * buffers allocated once. @internal
 */
export function proposition2Recorder(
  theta: Float64Array,
  prop2: CheckedProposition2,
  selected: ReadonlySet<string>,
): Recorder {
  const d = theta.length;
  const pn = new Float64Array(d);
  const ps = new Float64Array(d);
  return {
    write(row: RowFields, step: number): void {
      const m = proposition2Into(theta, prop2.partition, prop2.tilde, prop2.sepDirection, pn, ps);
      if (selected.has('nonSepDistance')) row.nonSepDistance = m.nonSepDistance;
      if (selected.has('sepAngle')) row.sepAngle = m.sepAngle;
      if (selected.has('sepNorm')) row.sepNorm = m.sepNorm;
      if (selected.has('proposition2Rate')) {
        row.proposition2Rate =
          step >= 1 && prop2.gammaSep !== null ? proposition2Rate(step, prop2.gammaSep) : null;
      }
    },
  };
}
