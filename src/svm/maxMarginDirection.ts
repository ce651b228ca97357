import type { Highs } from 'highs';
import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError, NotSeparableError, SolverFailedError } from '../errors/index.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { type LinearProgram, solveLP } from './lp/solveLP.js';
import { withLPSolver } from './lp/withLPSolver.js';

/** The norms {@link maxMarginDirection} measures the margin in (ℓ2 is {@link hardMarginSVM}). */
export type MaxMarginNorm = 'l1' | 'linf';

/** Options of {@link maxMarginDirection} and {@link maxMarginDirectionSync}. */
export interface MaxMarginDirectionOptions {
  /** The norm ‖·‖ of the constraint ‖w‖ ≤ 1: `'l1'` or `'linf'` (required). For ℓ2 use `hardMarginSVM`. */
  norm: MaxMarginNorm;
  /**
   * Relative tolerance, default 1e-9, in units of R = maxᵢ ‖xᵢ‖_* (the dual norm of the data): the data
   * count as not separable when the LP's optimal margin is ≤ tol·R; a point is in `support` when its
   * margin is within tol·R of γ; the call throws `SOLVER_FAILED` if the duality gap exceeds tol·R.
   */
  tol?: number;
}

/** What {@link maxMarginDirection} returns. */
export interface MaxMarginDirectionResult {
  /** A max-margin direction w* with ‖w*‖ = 1 in `norm` (length d). Not unique in general: see the docs. */
  w: Float64Array;
  /** γ = minᵢ yᵢ w*ᵀxᵢ, the margin of the returned w* (≤ γ*, and within `dualityGap` of it). */
  gamma: number;
  /** The norm the margin is measured in. */
  norm: MaxMarginNorm;
  /** Indices i whose margin yᵢ w*ᵀxᵢ is within tol·R of γ (ascending): the active constraints. */
  support: Int32Array;
  /**
   * p ≥ 0 with Σ pᵢ = 1: the LP's dual solution, a minimizer of ‖Σ pᵢyᵢxᵢ‖_* over the simplex (the dual
   * problem, whose value is γ*). pᵢ > 0 only for points in `support` (complementary slackness).
   */
  dual: Float64Array;
  /**
   * ‖Σ pᵢyᵢxᵢ‖_* − γ, computed in float64 from the returned w* and p: by weak duality
   * γ ≤ γ* ≤ γ + dualityGap, so this certifies the result (typically ~1e-16·R; ≤ tol·R or the call throws).
   */
  dualityGap: number;
  /** Simplex iterations HiGHS used. */
  iterations: number;
}

const TOL_DEFAULT = 1e-9;

/**
 * The max-margin direction of separable data in the ℓ1 or ℓ∞ norm (no bias):
 * w* = argmax_{‖w‖ ≤ 1} minᵢ yᵢ⟨w, xᵢ⟩, γ* = the max-min value. Steepest descent with respect to ‖·‖
 * on the exponential loss converges in direction to it (Gunasekar, Lee, Soudry & Srebro 2018, Theorem 4
 * of the slides); for ‖·‖₂ it is the hard-margin SVM (`hardMarginSVM`).
 *
 * **Async.** The LP solver (HiGHS, WebAssembly) loads asynchronously, so this returns a Promise; it
 * loads the solver on first use (once per process, ~50 ms). After `await ready()` the same computation is
 * available synchronously as {@link maxMarginDirectionSync}.
 *
 * **Math.** Both are linear programs, solved by HiGHS's simplex on the data scaled to max |xᵢⱼ| = 1:
 * - ℓ∞: maximize γ s.t. yᵢxᵢᵀw ≥ γ, −1 ≤ wⱼ ≤ 1;
 * - ℓ1: w = w⁺ − w⁻, w± ≥ 0, Σⱼ(w⁺ⱼ + w⁻ⱼ) ≤ 1, maximize γ s.t. yᵢxᵢᵀ(w⁺ − w⁻) ≥ γ.
 * The LP dual is γ* = min_{p ∈ Δₙ} ‖Σ pᵢyᵢxᵢ‖_* with the dual norm (ℓ1 for ℓ∞, ℓ∞ for ℓ1); the row duals
 * give that p. The returned w is the LP's w divided by its norm, and γ, `support` and `dualityGap` are
 * recomputed from it on the unscaled data.
 *
 * **Uniqueness.** γ* is unique; w* in general is not (the maximizers form a face of the unit ball — e.g.
 * for ℓ1 whenever the optimal face has more than one vertex, for ℓ∞ whenever some coordinate does not
 * matter to the active points). The simplex returns one vertex; which one may change with the HiGHS
 * version. Compare margins, not directions, unless the optimum is known to be unique.
 *
 * @param data - a {@link Dataset} (X row-major n×d, y ∈ {−1, +1}ⁿ).
 * @param options - `{ norm: 'l1' | 'linf', tol = 1e-9 }`, see {@link MaxMarginDirectionOptions}.
 * @returns a Promise of `{ w, gamma, norm, support, dual, dualityGap, iterations }`.
 * @throws (as rejections) NotSeparableError (`NOT_SEPARABLE`) when no hyperplane through the origin
 *   separates the data (γ* ≤ tol·R; e.g. a point xᵢ = 0, or x and −x with the same label) — the message
 *   points to `separablePartition`; InvalidInputError (`INVALID_INPUT`) for malformed data or options;
 *   SolverFailedError (`SOLVER_FAILED`) if HiGHS cannot load or does not report an optimal solution, or
 *   the duality gap exceeds tol·R.
 *
 * @example
 * ```ts
 * import { dataset, maxMarginDirection } from 'implicit-bias';
 * const data = dataset([[2, 0], [0, 1]], [1, 1]);
 * const inf = await maxMarginDirection(data, { norm: 'linf' }); // w = [1, 1] (one of many), gamma = 1
 * const one = await maxMarginDirection(data, { norm: 'l1' }); // w = [1/3, 2/3], gamma = 2/3
 * ```
 *
 * Reference: Gunasekar, Lee, Soudry & Srebro, "Characterizing Implicit Bias in Terms of Optimization
 * Geometry", ICML 2018 (steepest descent, Theorem 5 there).
 */
export async function maxMarginDirection(
  data: Dataset,
  options: MaxMarginDirectionOptions,
): Promise<MaxMarginDirectionResult> {
  return entryPoints.async(data, options);
}

/**
 * The synchronous form of {@link maxMarginDirection}: the same result, for use after `await ready()`
 * (e.g. inside a loop or a synchronous callback).
 *
 * @throws SolverFailedError (`SOLVER_FAILED`) if `ready()` has not completed, with a message saying so;
 *   otherwise the errors of {@link maxMarginDirection}, thrown synchronously.
 * @example
 * ```ts
 * import { dataset, maxMarginDirectionSync, ready } from 'implicit-bias';
 * await ready();
 * const { gamma } = maxMarginDirectionSync(dataset([[2, 0], [0, 1]], [1, 1]), { norm: 'l1' }); // 2/3
 * ```
 */
export function maxMarginDirectionSync(
  data: Dataset,
  options: MaxMarginDirectionOptions,
): MaxMarginDirectionResult {
  return entryPoints.sync(data, options);
}

interface Checked {
  X: Float64Array;
  y: Float64Array;
  n: number;
  d: number;
  norm: MaxMarginNorm;
  tol: number;
}

function check(fn: string, data: unknown, options: unknown): Checked {
  const opts = checkObject(fn, 'options', options, false);
  checkKnownKeys(fn, opts, ['norm', 'tol']);
  const norm = opts.norm;
  if (norm !== 'l1' && norm !== 'linf') {
    const hint = norm === 'l2' ? ' (for the ℓ2 norm use hardMarginSVM(data): it is the hard-margin SVM)' : '';
    throw new InvalidInputError(fn, 'options.norm', `must be "l1" or "linf", got ${show(norm)}${hint}`);
  }
  const tol =
    opts.tol === undefined
      ? TOL_DEFAULT
      : checkNumber(fn, 'options.tol', opts.tol, { min: 0, exclusiveMin: true, max: 1, exclusiveMax: true });
  const { X, y, n, d } = checkDataset(fn, 'data', data);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i]))
      throw new InvalidInputError(fn, `data.X[${i}]`, `must be finite, got ${show(X[i])}`);
  }
  for (let i = 0; i < n; i++) {
    if (y[i] !== 1 && y[i] !== -1) {
      throw new InvalidInputError(fn, `data.y[${i}]`, `must be -1 or +1, got ${show(y[i])}`);
    }
  }
  return { X, y, n, d, norm, tol };
}

function notSeparable(fn: string, norm: MaxMarginNorm, detail: string): NotSeparableError {
  return new NotSeparableError(
    `${fn}: no hyperplane through the origin separates the data: no w has yᵢwᵀxᵢ > 0 for every i${detail}, so the ${
      norm === 'l1' ? 'ℓ1' : 'ℓ∞'
    } max-margin direction does not exist. Use separablePartition(data) to find the maximal linearly separable subset and solve on it.`,
  );
}

/** ‖v‖_* for the norm's dual: ℓ∞ for ℓ1, ℓ1 for ℓ∞. */
function dualNorm(norm: MaxMarginNorm, v: Float64Array, off: number, d: number): number {
  let s = 0;
  if (norm === 'linf') for (let j = 0; j < d; j++) s += Math.abs(v[off + j]!);
  else for (let j = 0; j < d; j++) s = Math.max(s, Math.abs(v[off + j]!));
  return s;
}

/** The LP of the norm on G = yᵢxᵢ/s (rows), CSR, zero entries of G skipped. */
function buildLP(G: Float64Array, n: number, d: number, norm: MaxMarginNorm): LinearProgram {
  const split = norm === 'l1';
  const nw = split ? 2 * d : d; // w (ℓ∞) or (w⁺, w⁻) (ℓ1)
  const numCols = nw + 1; // … then γ
  const numRows = split ? n + 1 : n;
  let nnz = 0;
  for (let k = 0; k < G.length; k++) if (G[k] !== 0) nnz++;
  nnz = (split ? 2 * nnz : nnz) + n + (split ? 2 * d : 0);
  const starts = new Int32Array(numRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (let i = 0; i < n; i++) {
    starts[i] = k;
    for (let j = 0; j < d; j++) {
      const g = G[i * d + j]!;
      if (g === 0) continue;
      indices[k] = j;
      values[k++] = g;
    }
    if (split) {
      for (let j = 0; j < d; j++) {
        const g = G[i * d + j]!;
        if (g === 0) continue;
        indices[k] = d + j;
        values[k++] = -g;
      }
    }
    indices[k] = nw;
    values[k++] = -1;
  }
  if (split) {
    starts[n] = k;
    for (let j = 0; j < nw; j++) {
      indices[k] = j;
      values[k++] = 1;
    }
  }
  starts[numRows] = k;
  const cost = new Float64Array(numCols);
  cost[nw] = 1;
  const colLower = new Float64Array(numCols).fill(split ? 0 : -1);
  const colUpper = new Float64Array(numCols).fill(split ? Number.POSITIVE_INFINITY : 1);
  colLower[nw] = Number.NEGATIVE_INFINITY;
  colUpper[nw] = Number.POSITIVE_INFINITY;
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows).fill(Number.POSITIVE_INFINITY);
  if (split) {
    rowLower[n] = Number.NEGATIVE_INFINITY;
    rowUpper[n] = 1;
  }
  return {
    sense: 'maximize',
    numCols,
    numRows,
    cost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    starts,
    indices,
    values,
  };
}

function solve(highs: Highs, fn: string, c: Checked): MaxMarginDirectionResult {
  const { X, y, n, d, norm, tol } = c;
  // R = maxᵢ ‖xᵢ‖_* bounds every margin of a unit-norm w (Hölder), so tol·R is a scale-free threshold.
  let R = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const r = dualNorm(norm, X, i * d, d);
    if (r === 0) throw notSeparable(fn, norm, ` (x[${i}] = 0, so yᵢwᵀxᵢ = 0 for every w)`);
    R = Math.max(R, r);
    for (let j = 0; j < d; j++) s = Math.max(s, Math.abs(X[i * d + j]!));
  }
  // Scale to max |xᵢⱼ| = 1 so HiGHS's absolute tolerances see unit-size numbers (w is unchanged, γ ÷ s).
  const G = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) G[i * d + j] = (y[i]! * X[i * d + j]!) / s;
  const lp = buildLP(G, n, d, norm);
  const sol = solveLP(highs, fn, lp);
  if (!(sol.objective * s > tol * R)) {
    throw notSeparable(
      fn,
      norm,
      ` (the LP's optimal margin is ${show(sol.objective * s)} ≤ tol·R = ${show(tol * R)})`,
    );
  }

  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) w[j] = norm === 'l1' ? sol.x[j]! - sol.x[d + j]! : sol.x[j]!;
  let wn = 0;
  if (norm === 'l1') for (let j = 0; j < d; j++) wn += Math.abs(w[j]!);
  else for (let j = 0; j < d; j++) wn = Math.max(wn, Math.abs(w[j]!));
  if (!(wn > 0)) throw new SolverFailedError(`${fn}: the LP solver returned w = 0 with a positive margin`);
  for (let j = 0; j < d; j++) w[j] = w[j]! / wn;

  const margins = new Float64Array(n);
  let gamma = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < d; j++) m += X[i * d + j]! * w[j]!;
    margins[i] = y[i]! * m;
    gamma = Math.min(gamma, margins[i]!);
  }
  if (!(gamma > 0)) {
    throw notSeparable(fn, norm, ` (the LP's best direction has margin ${show(gamma)} after normalization)`);
  }
  const support: number[] = [];
  for (let i = 0; i < n; i++) if (margins[i]! - gamma <= tol * R) support.push(i);

  // p from the margin rows' duals: for a maximization with binding lower bounds HiGHS reports ≤ 0.
  const dual = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.max(0, -sol.rowDual[i]!);
    dual[i] = p;
    sum += p;
  }
  if (!(sum > 0)) throw new SolverFailedError(`${fn}: the LP solver returned no dual solution`);
  for (let i = 0; i < n; i++) dual[i] = dual[i]! / sum;
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const py = dual[i]! * y[i]!;
    if (py !== 0) for (let j = 0; j < d; j++) v[j]! += py * X[i * d + j]!;
  }
  const dualityGap = dualNorm(norm, v, 0, d) - gamma;
  if (!(dualityGap <= tol * R)) {
    throw new SolverFailedError(
      `${fn}: the LP solution is not accurate enough: duality gap ${show(dualityGap)} > tol·R = ${show(tol * R)} (nearly degenerate data; pass a larger tol to accept it)`,
    );
  }
  return { w, gamma, norm, support: Int32Array.from(support), dual, dualityGap, iterations: sol.iterations };
}

const entryPoints = withLPSolver('maxMarginDirection', check, solve);
