import type { Highs } from 'highs';
import { checkDataset } from '../../datasets/checkDataset.js';
import type { Dataset } from '../../datasets/types.js';
import { InvalidInputError, SolverFailedError } from '../../errors/index.js';
import { rowSpaceBasis } from '../../linalg/rowSpaceBasis.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../../util/validate.js';
import { type LinearProgram, solveLP } from '../lp/solveLP.js';
import { withLPSolver } from '../lp/withLPSolver.js';

/** Options of {@link separablePartition} and {@link separablePartitionSync}. */
export interface SeparablePartitionOptions {
  /**
   * Relative tolerance, default 1e-9, on normalized margins μᵢ = yᵢθᵀxᵢ / (‖θ‖₂·R), R = maxᵢ ‖xᵢ‖₂
   * (so μᵢ ∈ [−1, 1] and the threshold does not depend on the data's scale). A returned result is
   * verified at tol: the witness θ has μᵢ > tol on `separable` and |μᵢ| ≤ tol on `nonSeparable`, and the
   * certificate's residual is ≤ tol. Points that separate only with a normalized margin ≲ 1e-10 are below
   * the LP's resolution and come out non-separable (their certificate residual is that small); a point
   * the LP finds separable but only with a normalized margin in (≈1e-10, tol] is ambiguous at tol and
   * makes the call throw `SOLVER_FAILED` rather than guess. Must be in (0, 1).
   */
  tol?: number;
}

/** What {@link separablePartition} returns. */
export interface SeparablePartition {
  /** Indices of D_sep, the maximal linearly separable subset (ascending). */
  separable: Int32Array;
  /** Indices of D_non-sep = the rest (ascending). */
  nonSeparable: Int32Array;
  /**
   * A witness θ (length d, ‖θ‖₂ = 1 unless D_sep = ∅, then θ = 0): yᵢθᵀxᵢ > tol·R on D_sep and
   * |yᵢθᵀxᵢ| ≤ tol·R on D_non-sep (so ≥ −tol·R everywhere).
   */
  witness: Float64Array;
  /** Orthonormal basis of S = span{xᵢ : i ∈ D_non-sep}, row-major r×d (row k is a basis vector). */
  nonSepBasis: Float64Array;
  /** Orthonormal basis of S⊥, row-major (d − r)×d. For D_non-sep = ∅ it is the identity, row by row. */
  sepBasis: Float64Array;
  /** r = dim S (numerical rank of the D_non-sep points, `rowSpaceBasis`'s default rank tolerance). */
  rank: number;
  /** The dimension d. */
  d: number;
  /**
   * A certificate of non-separability: p ≥ 0 (length n) with pᵢ ≥ 1 on D_non-sep, pᵢ = 0 on D_sep, and
   * Σᵢ pᵢyᵢxᵢ ≈ 0 (the LP's dual). For any θ with all margins ≥ 0, 0 = Σ pᵢ yᵢθᵀxᵢ forces a zero margin
   * on every point with pᵢ > 0: they are not separable. All zeros when D_non-sep = ∅.
   */
  certificate: Float64Array;
  /** ‖Σᵢ pᵢyᵢxᵢ‖₂ / (R·Σᵢ pᵢ) for the certificate p (0 when D_non-sep = ∅); ≤ tol or the call throws. */
  certificateResidual: number;
  /** Simplex iterations HiGHS used (over all LPs solved). */
  iterations: number;
}

const TOL_DEFAULT = 1e-9;

/**
 * The maximal linearly separable subset D_sep of Ji & Telgarsky (2019), used by Proposition 2 of Xu, Ye &
 * Ruan (ICLR 2021): i ∈ D_sep iff some θ has yᵢθᵀxᵢ > 0 and yⱼθᵀxⱼ ≥ 0 for every j. The rest,
 * D_non-sep, gets a zero margin from every θ that keeps all margins ≥ 0; GD's iterates stay bounded on
 * S = span D_non-sep and grow (towards the D_sep max-margin direction) in S⊥.
 *
 * **Async.** Solves a linear program with HiGHS (WebAssembly), which loads asynchronously: this returns a
 * Promise and loads the solver on first use. After `await ready()`, {@link separablePartitionSync} does
 * the same synchronously.
 *
 * **Math.** The LP of the definition, on the data scaled to max |xᵢⱼ| = 1 (which changes no sign), with
 * gᵢ = yᵢxᵢ:  (P) maximize Σᵢ sᵢ s.t. gᵢᵀθ ≥ sᵢ, 0 ≤ sᵢ ≤ 1, θ free.
 * The objective is bounded by n although θ is not, and its optimum is exactly |D_sep| with sᵢ = 1 on
 * D_sep and sᵢ = 0 on D_non-sep at *every* optimum: the sum θ_sep of one witness per point of D_sep
 * keeps all margins ≥ 0 and is positive on all of D_sep, so scaling it up reaches sᵢ = 1 there; and
 * any feasible θ keeps all margins ≥ 0, hence zero on D_non-sep. θ is left free on purpose: with a box
 * −1 ≤ θⱼ ≤ 1 the LP can trade one sᵢ < 1 against another, and a vertex may set an sᵢ of D_sep to 0
 * (for x = (1, 0), (−1, 10⁻³), both labelled +1, HiGHS 1.15.3 returns s = (0, 10⁻³) from the boxed LP).
 * What is solved is the LP dual of (P), which has d rows instead of n (so the simplex needs a handful of
 * pivots, not one per point):  (D) minimize −Σᵢ aᵢ s.t. Σᵢ (aᵢ + bᵢ)gᵢ = 0, 0 ≤ aᵢ ≤ 1, bᵢ ≥ 0.
 * Its optimum is −|D_non-sep| with a = the indicator of D_non-sep at every optimum (λ = a + b ≥ 0 has
 * Σ λᵢgᵢ = 0, so λ vanishes on D_sep — pair it with θ_sep — and scaling a strictly positive certificate
 * on D_non-sep up to λ ≥ 1 attains a = 1 there). So a takes only the values 0 and 1 and the split is
 * aᵢ > ½ — far from both, whatever HiGHS's feasibility tolerance (1e-10) does. The row duals of (D) are
 * −θ (a witness with gᵢᵀθ ≥ 1 on D_sep, 0 on D_non-sep), and λ = a + b is the certificate.
 *
 * **Tolerance and checks (`tol`, default 1e-9).** Everything is re-checked in float64 on the unscaled
 * data with normalized margins μᵢ = yᵢθᵀxᵢ/(‖θ‖₂R), R = maxᵢ ‖xᵢ‖₂: μᵢ > tol on D_sep,
 * |μᵢ| ≤ tol on D_non-sep, and ‖Σ pᵢyᵢxᵢ‖₂ ≤ tol·R·Σpᵢ. If the first witness fails (points separable
 * only by a margin comparable to tol, where the LP's absolute tolerance decides), a second LP polishes
 * it: maximize t s.t. yᵢxᵢᵀθ ≥ t on D_sep, yᵢxᵢᵀθ = 0 on D_non-sep, −1 ≤ θⱼ ≤ 1. If that still fails,
 * the call throws `SOLVER_FAILED` asking for a larger tol. Points xᵢ = 0 are non-separable (no θ gives
 * them a positive margin) and are handled like any other.
 *
 * **Subspaces.** `nonSepBasis` spans S = span{xᵢ : i ∈ D_non-sep} (from `rowSpaceBasis`, an SVD);
 * `sepBasis` completes it to an orthonormal basis of ℝᵈ (Gram–Schmidt with re-orthogonalization over
 * the coordinate vectors, largest residual first). {@link projectNonSep} and {@link projectSep} apply
 * Π_non-sep and Π_sep = I − Π_non-sep.
 *
 * @param data - a {@link Dataset} (X row-major n×d, y ∈ {−1, +1}ⁿ).
 * @param options - `{ tol = 1e-9 }`, see {@link SeparablePartitionOptions}.
 * @returns a Promise of the {@link SeparablePartition}.
 * @throws (as rejections) InvalidInputError (`INVALID_INPUT`) for malformed data or options;
 *   SolverFailedError (`SOLVER_FAILED`) if HiGHS cannot load or fails, or the result cannot be verified
 *   at `tol`.
 * @example
 * ```ts
 * import { dataset, separablePartition } from 'implicit-bias';
 * // (1, 0) and (−1, 0) with the same label cancel; (0, 1) separates.
 * const data = dataset([[1, 0], [-1, 0], [0, 1]], [1, 1, 1]);
 * const p = await separablePartition(data);
 * // p.separable = [2], p.nonSeparable = [0, 1], p.witness = [0, 1], p.nonSepBasis = ±[1, 0]
 * ```
 *
 * Reference: Ji & Telgarsky, "The implicit bias of gradient descent on nonseparable data", COLT 2019
 * (Section 2); Xu, Ye & Ruan, ICLR 2021, Proposition 2 and Appendix A.2.
 */
export async function separablePartition(
  data: Dataset,
  options?: SeparablePartitionOptions,
): Promise<SeparablePartition> {
  return entryPoints.async(data, options);
}

/**
 * The synchronous form of {@link separablePartition}, for use after `await ready()`.
 *
 * @throws SolverFailedError (`SOLVER_FAILED`) if `ready()` has not completed; otherwise the errors of
 *   {@link separablePartition}, thrown synchronously.
 * @example
 * ```ts
 * import { datasets, ready, separablePartitionSync } from 'implicit-bias';
 * await ready();
 * const { nonSeparable } = separablePartitionSync(datasets.nonSeparable({ seed: 0 }));
 * ```
 */
export function separablePartitionSync(
  data: Dataset,
  options?: SeparablePartitionOptions,
): SeparablePartition {
  return entryPoints.sync(data, options);
}

interface Checked {
  X: Float64Array;
  y: Float64Array;
  n: number;
  d: number;
  tol: number;
}

function check(fn: string, data: unknown, options: unknown): Checked {
  const opts = checkObject(fn, 'options', options);
  checkKnownKeys(fn, opts, ['tol']);
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
  return { X, y, n, d, tol };
}

/** CSR of the rows G[i] (zero entries skipped) with, if `extra` ≥ 0, a −1 in column extra + i (or extra). */
function rowsCSR(
  G: Float64Array,
  rows: ArrayLike<number>,
  d: number,
  extraCol: (k: number) => number,
): { starts: Int32Array; indices: Int32Array; values: Float64Array } {
  const m = rows.length;
  let nnz = 0;
  for (let k = 0; k < m; k++) {
    const o = rows[k]! * d;
    for (let j = 0; j < d; j++) if (G[o + j] !== 0) nnz++;
  }
  nnz += m;
  const starts = new Int32Array(m + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let t = 0;
  for (let k = 0; k < m; k++) {
    starts[k] = t;
    const o = rows[k]! * d;
    for (let j = 0; j < d; j++) {
      const g = G[o + j]!;
      if (g === 0) continue;
      indices[t] = j;
      values[t++] = g;
    }
    const c = extraCol(k);
    if (c >= 0) {
      indices[t] = c;
      values[t++] = -1;
    }
  }
  starts[m] = t;
  return { starts, indices: indices.subarray(0, t), values: values.subarray(0, t) };
}

/**
 * The dual of the partition LP, with d rows: minimize −Σ aᵢ s.t. Σᵢ (aᵢ + bᵢ) gᵢ = 0, 0 ≤ aᵢ ≤ 1,
 * bᵢ ≥ 0, gᵢ = row i of G. Columns: a (n), then b (n); λ = a + b. Its row duals y give θ = −y.
 */
function partitionDualLP(G: Float64Array, n: number, d: number): LinearProgram {
  let nnz = 0;
  for (let k = 0; k < G.length; k++) if (G[k] !== 0) nnz++;
  const starts = new Int32Array(d + 1);
  const indices = new Int32Array(2 * nnz);
  const values = new Float64Array(2 * nnz);
  let t = 0;
  for (let j = 0; j < d; j++) {
    starts[j] = t;
    for (let half = 0; half < 2; half++) {
      for (let i = 0; i < n; i++) {
        const g = G[i * d + j]!;
        if (g === 0) continue;
        indices[t] = half * n + i;
        values[t++] = g;
      }
    }
  }
  starts[d] = t;
  const numCols = 2 * n;
  const cost = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    cost[i] = -1;
    colUpper[i] = 1;
  }
  return {
    sense: 'minimize',
    numCols,
    numRows: d,
    cost,
    colLower: new Float64Array(numCols),
    colUpper,
    rowLower: new Float64Array(d),
    rowUpper: new Float64Array(d),
    starts,
    indices,
    values,
  };
}

/**
 * Polishing LP: maximize t s.t. Gᵢθ ≥ t (i ∈ sep), Gᵢθ = 0 (i ∈ non), −1 ≤ θⱼ ≤ 1. Columns: θ (d), t.
 */
function polishLP(G: Float64Array, d: number, sep: Int32Array, non: Int32Array): LinearProgram {
  const rows = new Int32Array(sep.length + non.length);
  rows.set(sep, 0);
  rows.set(non, sep.length);
  const csr = rowsCSR(G, rows, d, (k) => (k < sep.length ? d : -1));
  const numRows = rows.length;
  const cost = new Float64Array(d + 1);
  cost[d] = 1;
  const colLower = new Float64Array(d + 1).fill(-1);
  const colUpper = new Float64Array(d + 1).fill(1);
  colLower[d] = Number.NEGATIVE_INFINITY;
  colUpper[d] = Number.POSITIVE_INFINITY;
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows).fill(Number.POSITIVE_INFINITY);
  for (let k = sep.length; k < numRows; k++) rowUpper[k] = 0;
  return { sense: 'maximize', numCols: d + 1, numRows, cost, colLower, colUpper, rowLower, rowUpper, ...csr };
}

/** Normalized margins μᵢ = yᵢθᵀxᵢ/(‖θ‖₂R) of θ on the unscaled data; θ normalized in place. */
function normalizedMargins(
  X: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  R: number,
  theta: Float64Array,
) {
  let nrm = 0;
  for (let j = 0; j < d; j++) nrm += theta[j]! * theta[j]!;
  nrm = Math.sqrt(nrm);
  const mu = new Float64Array(n);
  if (!(nrm > 0) || !Number.isFinite(nrm)) return { mu, ok: nrm === 0 };
  for (let j = 0; j < d; j++) theta[j] = theta[j]! / nrm;
  for (let i = 0; i < n; i++) {
    let m = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) m += X[o + j]! * theta[j]!;
    mu[i] = (y[i]! * m) / R;
  }
  return { mu, ok: true };
}

function witnessOk(mu: Float64Array, isSep: Uint8Array, tol: number): boolean {
  for (let i = 0; i < mu.length; i++) {
    if (isSep[i] === 1 ? !(mu[i]! > tol) : !(Math.abs(mu[i]!) <= tol)) return false;
  }
  return true;
}

/** R = maxᵢ ‖xᵢ‖₂ (the scale of the normalized margins) and max |xᵢⱼ| (the LP's scaling). */
function dataScales(X: Float64Array, n: number, d: number): { R: number; maxEntry: number } {
  let R = 0;
  let maxEntry = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j]!;
      r += v * v;
      maxEntry = Math.max(maxEntry, Math.abs(v));
    }
    R = Math.max(R, Math.sqrt(r));
  }
  return { R, maxEntry };
}

/** The LP's split with its witness θ, certificate p, the certificate's residual and the simplex iterations. */
interface Split {
  witness: Float64Array;
  certificate: Float64Array;
  certificateResidual: number;
  iterations: number;
}

/** The first point that fails the witness test at tol, described for the error message. */
function firstFailure(mu: Float64Array, isSep: Uint8Array, tol: number): string {
  for (let i = 0; i < mu.length; i++) {
    if (isSep[i] === 1 ? !(mu[i]! > tol) : !(Math.abs(mu[i]!) <= tol)) {
      return `point ${i} (${isSep[i] === 1 ? 'separable' : 'non-separable'}) has normalized margin ${show(mu[i])}`;
    }
  }
  return '';
}

/**
 * Checks the LP's witness on the unscaled data (μᵢ > tol on D_sep, |μᵢ| ≤ tol on D_non-sep) after moving
 * to D_sep the candidates that it clearly separates; if it fails, the polishing LP's witness is checked
 * instead. Updates `isSep`; returns the verified (normalized) witness and the extra simplex iterations, or
 * throws `SOLVER_FAILED` asking for a larger tol.
 */
function verifiedWitness(
  highs: Highs,
  fn: string,
  c: Checked,
  R: number,
  G: Float64Array,
  isSep: Uint8Array,
  lpWitness: Float64Array,
): { witness: Float64Array; iterations: number } {
  const { X, y, n, d, tol } = c;
  let witness = lpWitness;
  let iterations = 0;
  let { mu, ok } = normalizedMargins(X, y, n, d, R, witness);
  // A non-separable candidate with a clearly positive margin (and no negative one) is separable.
  if (ok) {
    let minMu = 0;
    for (let i = 0; i < n; i++) minMu = Math.min(minMu, mu[i]!);
    if (minMu >= -tol) for (let i = 0; i < n; i++) if (isSep[i] === 0 && mu[i]! > tol) isSep[i] = 1;
  }
  if (ok && witnessOk(mu, isSep, tol)) return { witness, iterations };
  const sep: number[] = [];
  const non: number[] = [];
  for (let i = 0; i < n; i++) (isSep[i] === 1 ? sep : non).push(i);
  if (sep.length === 0) {
    witness = new Float64Array(d);
    mu = new Float64Array(n);
  } else {
    const p = solveLP(highs, fn, polishLP(G, d, Int32Array.from(sep), Int32Array.from(non)));
    iterations += p.iterations;
    witness = Float64Array.from(p.x.subarray(0, d));
    ({ mu, ok } = normalizedMargins(X, y, n, d, R, witness));
  }
  if (!(ok && witnessOk(mu, isSep, tol))) {
    throw new SolverFailedError(
      `${fn}: could not verify the partition at tol = ${show(tol)}: ${firstFailure(mu, isSep, tol)} (nearly degenerate data: some point separates only with a normalized margin near tol; pass a larger tol)`,
    );
  }
  return { witness, iterations };
}

/**
 * The certificate p = λ = a + b (the dual LP's primal solution `x`) on D_non-sep, 0 on D_sep, and its
 * residual ‖Σ pᵢyᵢxᵢ‖₂/(R·Σpᵢ) (0 when Σp = 0).
 */
function certificateOf(
  c: Checked,
  R: number,
  x: Float64Array,
  isSep: Uint8Array,
): { certificate: Float64Array; certificateResidual: number } {
  const { X, y, n, d } = c;
  const certificate = new Float64Array(n);
  let sumP = 0;
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    if (isSep[i] === 1) continue;
    const p = Math.max(0, x[i]! + x[n + i]!);
    certificate[i] = p;
    sumP += p;
    const py = p * y[i]!;
    if (py !== 0) for (let j = 0; j < d; j++) v[j]! += py * X[i * d + j]!;
  }
  let certificateResidual = 0;
  if (sumP > 0) {
    let vn = 0;
    for (let j = 0; j < d; j++) vn += v[j]! * v[j]!;
    certificateResidual = Math.sqrt(vn) / (R * sumP);
  }
  return { certificate, certificateResidual };
}

/**
 * The partition LP on G = yᵢxᵢ / max|xᵢⱼ| (unit-size entries for HiGHS's absolute tolerances; no sign
 * changes): writes the split into `isSep` (aᵢ is the indicator of D_non-sep at every optimum, see
 * {@link separablePartition}: split at ½), then verifies the witness and forms the certificate.
 */
function splitByLP(
  highs: Highs,
  fn: string,
  c: Checked,
  R: number,
  maxEntry: number,
  isSep: Uint8Array,
): Split {
  const { X, y, n, d } = c;
  const G = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) G[i * d + j] = (y[i]! * X[i * d + j]!) / maxEntry;
  const sol = solveLP(highs, fn, partitionDualLP(G, n, d));
  for (let i = 0; i < n; i++) isSep[i] = sol.x[i]! < 0.5 ? 1 : 0;
  const lpWitness = new Float64Array(d);
  for (let j = 0; j < d; j++) lpWitness[j] = -sol.rowDual[j]!;
  const { witness, iterations } = verifiedWitness(highs, fn, c, R, G, isSep, lpWitness);
  return { witness, ...certificateOf(c, R, sol.x, isSep), iterations: sol.iterations + iterations };
}

function solve(highs: Highs, fn: string, c: Checked): SeparablePartition {
  const { X, n, d, tol } = c;
  const { R, maxEntry } = dataScales(X, n, d);
  const isSep = new Uint8Array(n);
  // X = 0: every margin is 0, nothing separates; p = 1 certifies it exactly.
  const split: Split =
    maxEntry > 0
      ? splitByLP(highs, fn, c, R, maxEntry, isSep)
      : {
          witness: new Float64Array(d),
          certificate: new Float64Array(n).fill(1),
          certificateResidual: 0,
          iterations: 0,
        };
  const sepIdx: number[] = [];
  const nonIdx: number[] = [];
  for (let i = 0; i < n; i++) (isSep[i] === 1 ? sepIdx : nonIdx).push(i);
  const separable = Int32Array.from(sepIdx);
  const nonSeparable = Int32Array.from(nonIdx);
  const { witness, certificate, certificateResidual, iterations } = split;
  if (nonSeparable.length > 0 && !(certificateResidual <= tol)) {
    throw new SolverFailedError(
      `${fn}: could not certify the non-separable points at tol = ${show(tol)}: the LP dual's residual ‖Σ pᵢyᵢxᵢ‖/(R·Σpᵢ) is ${show(certificateResidual)} (nearly degenerate data; pass a larger tol)`,
    );
  }
  for (let j = 0; j < d; j++) witness[j] = witness[j]! + 0; // −0 → 0
  const { nonSepBasis, sepBasis, rank } = subspaces(X, d, nonSeparable);
  return {
    separable,
    nonSeparable,
    witness,
    nonSepBasis,
    sepBasis,
    rank,
    d,
    certificate,
    certificateResidual,
    iterations,
  };
}

const entryPoints = withLPSolver('separablePartition', check, solve);

/** Orthonormal bases (rows) of S = span of the rows `idx` of X, and of S⊥. */
function subspaces(
  X: Float64Array,
  d: number,
  idx: Int32Array,
): { nonSepBasis: Float64Array; sepBasis: Float64Array; rank: number } {
  const m = idx.length;
  const Xn = new Float64Array(m * d);
  for (let k = 0; k < m; k++) Xn.set(X.subarray(idx[k]! * d, idx[k]! * d + d), k * d);
  const { basis, rank: r } = rowSpaceBasis(Xn, m, d);
  // basis is d×r with orthonormal columns; transpose into r×d rows.
  const B = new Float64Array(d * d); // all d rows: S first, then S⊥
  for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) B[k * d + j] = basis[j * r + k]!;
  const used = new Uint8Array(d);
  const v = new Float64Array(d);
  for (let k = r; k < d; k++) {
    // Pick the coordinate vector with the largest residual against the rows found so far.
    let best = -1;
    let bestNorm = -1;
    for (let e = 0; e < d; e++) {
      if (used[e] === 1) continue;
      let s = 1;
      for (let q = 0; q < k; q++) s -= B[q * d + e]! * B[q * d + e]!;
      if (s > bestNorm) {
        bestNorm = s;
        best = e;
      }
    }
    used[best] = 1;
    v.fill(0);
    v[best] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < k; q++) {
        let t = 0;
        for (let j = 0; j < d; j++) t += B[q * d + j]! * v[j]!;
        if (t !== 0) for (let j = 0; j < d; j++) v[j]! -= t * B[q * d + j]!;
      }
    }
    let nv = 0;
    for (let j = 0; j < d; j++) nv += v[j]! * v[j]!;
    nv = Math.sqrt(nv);
    for (let j = 0; j < d; j++) B[k * d + j] = v[j]! / nv;
  }
  return { nonSepBasis: B.slice(0, r * d), sepBasis: B.slice(r * d), rank: r };
}

function checkProjection(
  fn: string,
  out: Float64Array,
  partition: SeparablePartition,
  theta: Float64Array,
): number {
  const p = checkObject(fn, 'partition', partition, false) as unknown as SeparablePartition;
  const B = p.nonSepBasis;
  const S = p.sepBasis;
  if (!(B instanceof Float64Array) || !(S instanceof Float64Array) || !Number.isInteger(p.rank)) {
    throw new InvalidInputError(fn, 'partition', 'must be a result of separablePartition');
  }
  const d = Math.round(Math.sqrt(B.length + S.length));
  if (B.length + S.length !== d * d || B.length !== p.rank * d) {
    throw new InvalidInputError(fn, 'partition', 'must be a result of separablePartition');
  }
  if (!(theta instanceof Float64Array) || theta.length !== d) {
    throw new InvalidInputError(
      fn,
      'theta',
      `must be a Float64Array of length d = ${d} (the partition's dimension), got ${show(theta)}`,
    );
  }
  if (!(out instanceof Float64Array) || out.length !== d) {
    throw new InvalidInputError(fn, 'out', `must be a Float64Array of length ${d}, got ${show(out)}`);
  }
  return d;
}

function project(out: Float64Array, B: Float64Array, r: number, d: number, theta: Float64Array): void {
  const coef = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    let t = 0;
    for (let j = 0; j < d; j++) t += B[k * d + j]! * theta[j]!;
    coef[k] = t;
  }
  out.fill(0); // after reading theta: out may alias it
  for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) out[j]! += coef[k]! * B[k * d + j]!;
}

/**
 * Π_non-sep θ: the orthogonal projection of θ onto S = span{xᵢ : i ∈ D_non-sep}, written into `out`
 * (which may be `theta` itself).
 *
 * @param out - length d, overwritten and returned.
 * @param partition - a result of {@link separablePartition}.
 * @param theta - length d.
 * @returns `out` = Σₖ (bₖᵀθ) bₖ over the rows bₖ of `partition.nonSepBasis`.
 * @throws InvalidInputError (`INVALID_INPUT`) on a length mismatch or a malformed partition.
 * @example
 * ```ts
 * const p = await separablePartition(data);
 * const a = projectNonSep(new Float64Array(data.d), p, theta);
 * ```
 */
export function projectNonSep(
  out: Float64Array,
  partition: SeparablePartition,
  theta: Float64Array,
): Float64Array {
  const d = checkProjection('projectNonSep', out, partition, theta);
  project(out, partition.nonSepBasis, partition.rank, d, theta);
  return out;
}

/**
 * Π_sep θ = θ − Π_non-sep θ: the orthogonal projection of θ onto S⊥, written into `out` (which may be
 * `theta` itself). `projectNonSep(a, p, θ)` and `projectSep(b, p, θ)` sum to θ up to rounding.
 *
 * @param out - length d, overwritten and returned.
 * @param partition - a result of {@link separablePartition}.
 * @param theta - length d.
 * @returns `out` = θ − Π_non-sep θ.
 * @throws InvalidInputError (`INVALID_INPUT`) on a length mismatch or a malformed partition.
 * @example
 * ```ts
 * const b = projectSep(new Float64Array(data.d), p, theta);
 * ```
 */
export function projectSep(
  out: Float64Array,
  partition: SeparablePartition,
  theta: Float64Array,
): Float64Array {
  const d = checkProjection('projectSep', out, partition, theta);
  const th = Float64Array.from(theta);
  project(out, partition.nonSepBasis, partition.rank, d, th);
  for (let j = 0; j < d; j++) out[j] = th[j]! - out[j]!;
  return out;
}
