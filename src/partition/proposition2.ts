import { InvalidInputError } from '../errors/index.js';
import { checkNumber, show, toFiniteVector } from '../util/validate.js';
import { checkPartition, type NonSeparableOptimum, type PartitionSubspaces } from './nonSeparableOptimum.js';

const FN = 'proposition2Metrics';

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
  optimum: Pick<NonSeparableOptimum, 'theta' | 'sepDirection'>,
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
  const r = part.rank;
  const project = (basis: Float64Array, rows: number): Float64Array => {
    const out = new Float64Array(d);
    for (let a = 0; a < rows; a++) {
      let c = 0;
      for (let j = 0; j < d; j++) c += basis[a * d + j]! * th[j]!;
      for (let j = 0; j < d; j++) out[j] = out[j]! + c * basis[a * d + j]!;
    }
    return out;
  };
  const pn = project(part.nonSepBasis, r);
  const ps = project(part.sepBasis, d - r);
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
