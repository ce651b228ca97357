import { InvalidInputError } from '../errors/index.js';
import { checkPartition, type PartitionSubspaces } from '../linalg/partitionSubspaces.js';
import {
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkOneOf,
  show,
  toFiniteVector,
} from '../util/validate.js';
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

/** Which form of Proposition 2's rate {@link proposition2Rate} returns. */
export type Proposition2Form = 'proved' | 'stated';

/** Options of {@link proposition2Rate}. */
export interface Proposition2RateOptions {
  /** `'proved'` (default): what Appendix A.3 proves for the distance; `'stated'`: the main text's rate. */
  form?: Proposition2Form;
}

const FORMS: readonly Proposition2Form[] = ['proved', 'stated'];

/**
 * The rate of Proposition 2 of Xu, Ye & Ruan (2021) at step t ≥ 1: how fast ‖Π_non-sep θ(t) − θ̃(w)‖ goes to 0
 * along gradient descent, up to the proposition's constants, in the form the appendix proves (default) or as
 * the main text states it.
 *
 * **Math.**
 * - `form: 'proved'` (default): log t/(γ_sep·√t). Appendix A.3 bounds the **risk**: with
 *   z = θ̃(w) + θ*_sep·log t/γ_sep in Lemma A.5 (‖z‖² = ‖θ̃‖² + log² t/γ_sep²) and a constant step,
 *   L(θ(t); w) − inf L ≤ (C(‖θ̃(w)‖) + log² t/γ_sep²)/t. The strong convexity of L_non-sep on S (Lemma A.4,
 *   modulus ω) turns this into the **squared** distance, (ω/2)‖Π_non-sep θ(t) − θ̃(w)‖² ≤ L − inf L, so
 *   ‖Π_non-sep θ(t) − θ̃(w)‖ ≤ √(2/ω)·√((C(‖θ̃‖) + log² t/γ_sep²)/t); for large t the t-dependent part is
 *   √(log² t/(γ_sep² t)) = log t/(γ_sep √t), which is returned (the constants √(2/ω) and C(‖θ̃‖) are not).
 * - `form: 'stated'`: the main text's (log² t/γ_sep)/t, which is neither the risk bound (γ_sep², not γ_sep)
 *   nor its square root.
 *
 * Both are 0 at t = 1. The proved rate is the slower one for t ≥ 3 or so: (log t/(γ_sep√t)) /
 * ((log² t/γ_sep)/t) = √t/log t.
 *
 * @param t - the step, finite, ≥ 1.
 * @param gammaSep - γ_sep > 0, the max-min margin on D_sep (`nonSeparableOptimum(...).gammaSep`).
 * @param options - `{ form? }`, see {@link Proposition2RateOptions}.
 * @throws InvalidInputError (`INVALID_INPUT`) for t < 1, γ_sep ≤ 0, an unknown option or form.
 * @example
 * ```ts
 * proposition2Rate(Math.E ** 2, 0.5); // 2/(0.5·e) = 4/e ≈ 1.4715
 * proposition2Rate(Math.E, 1, { form: 'stated' }); // 1/e
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, Proposition 2 and Appendix A.3 (Lemmas A.4, A.5 and the display after Eq. A.11).
 */
export function proposition2Rate(t: number, gammaSep: number, options?: Proposition2RateOptions): number {
  const fn = 'proposition2Rate';
  checkNumber(fn, 't', t, { min: 1 });
  checkNumber(fn, 'gammaSep', gammaSep, { min: 0, exclusiveMin: true });
  const o = checkObject(fn, 'options', options);
  checkKnownKeys(fn, o, ['form']);
  const form = o.form === undefined ? 'proved' : checkOneOf(fn, 'options.form', o.form, FORMS);
  const l = Math.log(t);
  return form === 'stated' ? (l * l) / gammaSep / t : l / (gammaSep * Math.sqrt(t));
}

/** The metric names of {@link proposition2Recorder}. */
export const PROPOSITION2_METRICS = ['nonSepDistance', 'sepAngle', 'sepNorm', 'proposition2Rate'] as const;

/**
 * Records `nonSepDistance`, `sepAngle`, `sepNorm` and `proposition2Rate` (the selected ones) of θ, bit-identical
 * to {@link proposition2Metrics} and {@link proposition2Rate} (its default, proved form) on the same θ; O(d²)
 * per recorded step into buffers allocated once. @internal
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
