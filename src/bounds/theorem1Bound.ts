import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import {
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkOneOf,
  show,
  toFiniteVector,
} from '../util/validate.js';

/** Which constants {@link theorem1Bound} puts in term (II). */
export type Theorem1Constants = 'proved' | 'stated';

/** Arguments of {@link theorem1Bound}. */
export interface Theorem1BoundArgs {
  /**
   * The normalized training margins yᵢ f(θ/‖θ‖, xᵢ) (e.g. `normalizedMargins(model, theta, data)`); finite,
   * length n ≥ 1. Any sign: a non-positive margin always counts in term (I).
   */
  margins: ArrayLike<number>;
  /** The density ratios ηᵢ = p_t(xᵢ)/p_s(xᵢ) at the training points (finite, ≥ 0, length n). All 1 without shift. */
  eta: ArrayLike<number>;
  /** The depth H of the network (number of weight matrices, integer ≥ 1; 1 for the linear model). */
  depth: number;
  /** C = sup‖x‖₂ over the input domain (finite, > 0). Required unless `data` is given. */
  C?: number;
  /** The χ² divergence D_χ²(P_t‖P_s) (finite, ≥ −1). Default: the sample estimate mean(η²) − 1. */
  chi2?: number;
  /** The margin level γ > 0 of the bound, or `'optimal'` (the default): see {@link theorem1Bound}. */
  gamma?: number | 'optimal';
  /** Failure probability δ ∈ (0, 1). Default 0.05. */
  delta?: number;
  /**
   * The training set, only used to default C to the largest row norm maxᵢ ‖xᵢ‖₂ (an extension of the
   * contract; a sample maximum, so it under-estimates sup‖x‖ over an unbounded domain).
   */
  data?: Dataset;
  /**
   * `'proved'` (default): term (II) with the constants of Lemmas A.6–A.8, 4C√(χ² + 1)(√(2H log 2) + 1)/(γ·H^(H/2)·√n);
   * `'stated'`: the theorem's statement, C√(χ² + 1)/(γ·H^((H−1)/2)·√n).
   */
  constants?: Theorem1Constants;
}

/** The terms of Theorem 1 at one margin level γ. */
export interface Theorem1BoundResult {
  /** The margin level γ used (the minimizer when `gamma: 'optimal'`). */
  gamma: number;
  /** Term (I): (1/n) Σᵢ ηᵢ 1[marginᵢ < γ]. */
  empirical: number;
  /**
   * Term (II): 4C·√(χ² + 1)·(√(2H log 2) + 1)/(γ·H^(H/2)·√n) with the lemmas' constants (default), or the
   * statement's C·√(χ² + 1)/(γ·H^((H−1)/2)·√n) with `constants: 'stated'`.
   */
  complexity: number;
  /** ε(γ, n, δ) = √(max(0, log log₂(4C/γ))/n) + √(log(1/δ)/n). */
  epsilon: number;
  /** (I) + (II) + ε: the bound on the target error P_test(y f(θ, x) ≤ 0), holding with probability ≥ 1 − δ. */
  total: number;
}

const FN = 'theorem1Bound';
const KEYS = ['margins', 'eta', 'depth', 'C', 'chi2', 'gamma', 'delta', 'data', 'constants'] as const;
const CONSTANTS: readonly Theorem1Constants[] = ['proved', 'stated'];

/**
 * The factor of term (II) that depends on the depth H, as a numerator over a denominator:
 * 4(√(2H log 2) + 1) over H^(H/2) with the lemmas' constants (Lemma A.6's 4R/γ, Lemma A.7's √(2H log 2) + 1,
 * Lemma A.8's ∏ M_F(h) = (1/√H)^H), or 1 over H^((H−1)/2) as stated (the same bits as before the option).
 */
function depthFactor(H: number, constants: Theorem1Constants): { num: number; den: number } {
  return constants === 'proved'
    ? { num: 4 * (Math.sqrt(2 * H * Math.LN2) + 1), den: H ** (H / 2) }
    : { num: 1, den: H ** ((H - 1) / 2) };
}

/** Term (II) + ε at level γ: everything but the empirical term. Strictly decreasing in γ. */
function smoothPart(
  gamma: number,
  n: number,
  factor: { num: number; den: number },
  C: number,
  chi2: number,
  delta: number,
): {
  complexity: number;
  epsilon: number;
} {
  const complexity = (factor.num * C * Math.sqrt(chi2 + 1)) / (gamma * factor.den * Math.sqrt(n));
  // log log₂(4C/γ) ≤ 0 exactly when log₂(4C/γ) ≤ 1, i.e. γ ≥ 2C; taking that branch also avoids the
  // log of a non-positive number (γ ≥ 4C), where max(0, NaN) would otherwise give NaN.
  const l2 = Math.log2((4 * C) / gamma);
  const loglog = l2 > 1 ? Math.log(l2) : 0;
  const epsilon = Math.sqrt(loglog / n) + Math.sqrt(Math.log(1 / delta) / n);
  return { complexity, epsilon };
}

/**
 * The generalization bound of Theorem 1 of Xu, Ye & Ruan (2021) under covariate shift: with probability
 * at least 1 − δ over n training points drawn from the source P_s, the H-layer network's error on the
 * target P_t is at most (I) + (II) + ε.
 *
 * **Math** (margins mᵢ = yᵢ f(θ/‖θ‖, xᵢ), density ratios ηᵢ = p_t(xᵢ)/p_s(xᵢ), any γ > 0):
 * - (I) = (1/n) Σᵢ ηᵢ 1[mᵢ < γ] (strict inequality, as in the paper);
 * - (II), with C = sup‖x‖₂ and χ² = D_χ²(P_t‖P_s) = E_s[η²] − 1:
 *   - `constants: 'proved'` (default): 4C·√(χ² + 1)·(√(2H log 2) + 1)/(γ·H^(H/2)·√n), what Lemmas A.6–A.8
 *     give: Lemma A.6 has 4R_{n,η}(F)/γ; Lemma A.7 bounds R_{n,η} ≤ C√(χ² + 1)(√(2H log 2) + 1)∏M_F(h)/√n;
 *     Lemma A.8 rescales every layer to Frobenius norm 1/√H, so ∏M_F(h) = H^(−H/2). This is 8.7, 7.5, 7.0×
 *     the statement's (II) for H = 1, 2, 3;
 *   - `constants: 'stated'`: the theorem's statement, C·√(χ² + 1)/(γ·H^((H−1)/2)·√n), which drops them;
 *   - both take Lemma A.7's (1/n) Σ ηᵢ² = χ² + 1 + o(1/√n) (law of large numbers) without the o(1/√n):
 *     with the sample estimate of χ² (the default) √(χ² + 1) is the root mean square of η, which is what
 *     the lemma's proof (Eq. A.17) has before that step; with the exact χ² the bound is exact only up to it;
 * - ε = √(max(0, log log₂(4C/γ))/n) + √(log(1/δ)/n), with the first root taken as 0 when
 *   log₂(4C/γ) ≤ 1 (γ ≥ 2C), where the log-log is ≤ 0 or undefined; the same in both forms (Lemma A.6 has
 *   the smaller √(log(1/δ)/(2n)) for the second root; the statement's larger one is kept, so the forms differ
 *   only in (II));
 * - total = (I) + (II) + ε.
 *
 * `gamma: 'optimal'` (the default) returns the minimizer of total over the distinct positive margins.
 * Why those candidates: (I) is a left-continuous step function, constant on each interval
 * (m₍ₖ₎, m₍ₖ₊₁₎] between consecutive distinct margins (a margin equal to γ is not counted), while (II)
 * and ε are non-increasing in γ; so on each such interval, and on (0, m₍₁₎], total is smallest at the
 * right end, a margin. Ties go to the smallest γ. Beyond the largest margin (I) is (1/n) Σ ηᵢ and total
 * keeps decreasing towards (1/n) Σ ηᵢ + √(log(1/δ)/n) as γ → ∞ without attaining it; that limit is not a
 * candidate and can be smaller than the returned total when (II) is large (see docs/bounds.md).
 *
 * Decisions: C is required unless `data` is given (then C = maxᵢ ‖xᵢ‖₂): margins alone do not determine
 * it. A user `chi2` may lie in [−1, 0) so that a sample estimate can be passed unchanged. The sample
 * default χ² = mean(η²) − 1 makes √(χ² + 1) the root mean square of η.
 *
 * @param args - `{ margins, eta, depth, C?, chi2?, gamma?, delta?, data?, constants? }`, see {@link Theorem1BoundArgs}.
 * @returns `{ gamma, empirical, complexity, epsilon, total }` (see {@link Theorem1BoundResult}).
 * @throws InvalidInputError (`INVALID_INPUT`) for a missing C (without `data`), a bad or unknown
 *   argument, a length mismatch, a negative η, γ ≤ 0, δ ∉ (0, 1), χ² < −1, an unknown `constants`, or `gamma: 'optimal'` when no
 *   margin is positive (then total decreases in γ on all of (0, ∞) and has no minimizer).
 *
 * @example
 * ```ts
 * import { theorem1Bound } from 'implicit-bias';
 * const args = { margins: [0.1, 0.2, 0.4, 0.5], eta: [1, 1, 1, 1], depth: 1, C: 1, gamma: 0.3 };
 * const r = theorem1Bound(args);
 * r.empirical; // 0.5: two of four margins are below 0.3
 * r.complexity; // 4(√(2 log 2) + 1)/(0.3·√4) ≈ 14.516 (the lemmas' constants)
 * r.epsilon; // √(log log₂(4/0.3)/4) + √(log 20/4) ≈ 0.5741 + 0.8654 ≈ 1.4395
 * theorem1Bound({ ...args, constants: 'stated' }).complexity; // 1/(0.3·√4) ≈ 1.667
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, Section 4.2, Theorem 1, and Appendix A.4.2 (Theorem A.1, Lemmas A.6–A.8).
 */
export function theorem1Bound(args: Theorem1BoundArgs): Theorem1BoundResult {
  const a = checkObject(FN, 'args', args, false);
  checkKnownKeys(FN, a, KEYS);
  const margins = toFiniteVector(FN, 'margins', a.margins);
  const n = margins.length;
  if (n === 0) throw new InvalidInputError(FN, 'margins', 'must not be empty');
  const eta = toFiniteVector(FN, 'eta', a.eta, n);
  for (let i = 0; i < n; i++) {
    if (eta[i]! < 0) throw new InvalidInputError(FN, `eta[${i}]`, `must be >= 0, got ${show(eta[i])}`);
  }
  const H = checkNumber(FN, 'depth', a.depth, { integer: true, min: 1 });
  const constants =
    a.constants === undefined ? 'proved' : checkOneOf(FN, 'constants', a.constants, CONSTANTS);
  const factor = depthFactor(H, constants);
  const delta =
    a.delta === undefined
      ? 0.05
      : checkNumber(FN, 'delta', a.delta, { min: 0, exclusiveMin: true, max: 1, exclusiveMax: true });
  let C: number;
  if (a.C !== undefined) {
    C = checkNumber(FN, 'C', a.C, { min: 0, exclusiveMin: true });
  } else if (a.data !== undefined) {
    const data = checkDataset(FN, 'data', a.data);
    C = 0;
    for (let i = 0; i < data.n; i++) {
      let s = 0;
      for (let k = 0; k < data.d; k++) s += data.X[i * data.d + k]! ** 2;
      C = Math.max(C, Math.sqrt(s));
    }
    if (!(C > 0 && Number.isFinite(C))) {
      throw new InvalidInputError(
        FN,
        'data',
        `must have a row of finite non-zero norm to derive C, got max norm ${show(C)}`,
      );
    }
  } else {
    throw new InvalidInputError(
      FN,
      'C',
      'is required (C = sup‖x‖₂ over the input domain cannot be derived from margins): pass C, or data to use the largest row norm, got undefined',
    );
  }
  let chi2: number;
  if (a.chi2 !== undefined) {
    chi2 = checkNumber(FN, 'chi2', a.chi2, { min: -1 });
  } else {
    let s = 0;
    for (let i = 0; i < n; i++) s += eta[i]! * eta[i]!;
    chi2 = s / n - 1;
    if (!Number.isFinite(chi2)) {
      throw new InvalidInputError(FN, 'eta', `must have a finite mean square, got mean(η²) = ${show(s / n)}`);
    }
  }

  const g = a.gamma === undefined ? 'optimal' : a.gamma;
  if (g !== 'optimal') {
    if (typeof g === 'string') {
      throw new InvalidInputError(FN, 'gamma', `must be a finite number > 0 or "optimal", got ${show(g)}`);
    }
    const gamma = checkNumber(FN, 'gamma', g, { min: 0, exclusiveMin: true });
    let s = 0;
    for (let i = 0; i < n; i++) if (margins[i]! < gamma) s += eta[i]!;
    const empirical = s / n;
    const { complexity, epsilon } = smoothPart(gamma, n, factor, C, chi2, delta);
    return { gamma, empirical, complexity, epsilon, total: empirical + complexity + epsilon };
  }

  // Candidates: the distinct positive margins, ascending. Walking them in order, (I) at γ = m₍ₖ₎ is the
  // η-sum of the points with margin strictly below m₍ₖ₎, accumulated one group of equal margins at a time.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => margins[i]! - margins[j]!);
  let best: Theorem1BoundResult | undefined;
  let below = 0;
  let k = 0;
  while (k < n) {
    const m = margins[order[k]!]!;
    if (m > 0) {
      const empirical = below / n;
      const { complexity, epsilon } = smoothPart(m, n, factor, C, chi2, delta);
      const total = empirical + complexity + epsilon;
      if (best === undefined || total < best.total)
        best = { gamma: m, empirical, complexity, epsilon, total };
    }
    while (k < n && margins[order[k]!] === m) below += eta[order[k++]!]!;
  }
  if (best === undefined) {
    throw new InvalidInputError(
      FN,
      'margins',
      'must contain a positive margin for gamma "optimal" (with none, the bound decreases in γ without a minimizer); pass a number as gamma',
    );
  }
  return best;
}
