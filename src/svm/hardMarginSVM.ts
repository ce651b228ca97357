import type { Dataset } from '../datasets/types.js';
import { InvalidInputError, NotSeparableError, SolverFailedError } from '../errors/index.js';
import { svmMargins } from '../kernels/svm.js';
import { matmul } from '../linalg/matmul.js';
import { norm2 } from '../linalg/norm2.js';
import { rowSpaceBasis } from '../linalg/rowSpaceBasis.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { type DiagonalQPResult, solveDiagonalQP } from './diagonalQP.js';
import { type CanonicalSolution, solveByActiveSet } from './hardMarginActiveSet.js';
import { columnCoordinates, type QPCoordinates } from './hardMarginCoordinates.js';
import { kktResidual, polishDual, polishOnActiveSet, type QPData } from './hardMarginPolish.js';

const FN = 'hardMarginSVM';

/**
 * Curvature put on the (scaled) bias in the first, identifying solve of the bias case. It only picks a
 * support vector; the returned solution does not depend on it.
 */
const BIAS_RIDGE = 1e-8;

/** The active-set result is kept without a second method when its KKT residual is ≤ min(tol, this). */
const FAST_ACCEPT = 1e-12;

/** Options of {@link hardMarginSVM}. */
export interface HardMarginSVMOptions {
  /** Fit an affine separator θᵀx + b (true) or one through the origin, θᵀx (false, the default: the paper's linear model). */
  bias?: boolean;
  /**
   * Accuracy required of the result (default 1e-9): the call throws `SOLVER_FAILED` if the relative KKT
   * residual exceeds `tol`. Also the relative slack under which a point is listed in `active`.
   */
  tol?: number;
}

/** What {@link hardMarginSVM} returns. */
export interface HardMarginSVMResult {
  /** θ*, the max-margin direction, ‖θ*‖₂ = 1 (length d). */
  theta: Float64Array;
  /** b* for the unit-norm θ* (so the predictor is θ*ᵀx + b*); exactly 0 with `bias: false`. */
  bias: number;
  /** γ* = minᵢ yᵢ(θ*ᵀxᵢ + b*), the max-min margin; equals 1/‖w‖ of the canonical SVM. */
  gamma: number;
  /** p*: pᵢ ≥ 0, Σ pᵢ = 1 and θ* = Σ pᵢ yᵢ xᵢ / γ* (Proposition 1); pᵢ = αᵢ/Σα for the canonical multipliers α. */
  dual: Float64Array;
  /** Indices i with pᵢ > 0 (ascending). */
  support: Int32Array;
  /** Indices i whose margin is within a relative `tol` of γ* (ascending); ⊇ `support` up to rounding. */
  active: Int32Array;
  /**
   * The largest violation of the KKT conditions of the canonical problem, every term dimensionless (see
   * {@link hardMarginSVM}). Typically 1e-15…1e-13.
   */
  kktResidual: number;
  /**
   * Iterations of the method whose result is returned: active-set steps (constraints added plus
   * dropped), or quadprog's iterations summed over its solves when the fallback of step 5 won.
   */
  iterations: number;
  /** Numerical rank of the (centered, with bias) data: the dimension r of the space the QP was solved in. */
  rank: number;
}

interface Checked {
  X: Float64Array;
  y: Float64Array;
  n: number;
  d: number;
}

function checkData(data: unknown): Checked {
  if (typeof data !== 'object' || data === null) {
    throw new InvalidInputError(FN, 'data', `must be a Dataset { X, y, n, d }, got ${show(data)}`);
  }
  const { X, y, n, d } = data as Record<string, unknown>;
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw new InvalidInputError(FN, 'data.n', `must be an integer >= 1, got ${show(n)}`);
  }
  if (!Number.isInteger(d) || (d as number) < 1) {
    throw new InvalidInputError(FN, 'data.d', `must be an integer >= 1, got ${show(d)}`);
  }
  const nn = n as number;
  const dd = d as number;
  if (!(X instanceof Float64Array) || X.length !== nn * dd) {
    throw new InvalidInputError(
      FN,
      'data.X',
      `must be a Float64Array of length n·d = ${nn * dd}, got ${show(X)}`,
    );
  }
  if (!(y instanceof Float64Array) || y.length !== nn) {
    throw new InvalidInputError(FN, 'data.y', `must be a Float64Array of length n = ${nn}, got ${show(y)}`);
  }
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i]))
      throw new InvalidInputError(FN, `data.X[${i}]`, `must be finite, got ${show(X[i])}`);
  }
  for (let i = 0; i < nn; i++) {
    if (y[i] !== 1 && y[i] !== -1) {
      throw new InvalidInputError(FN, `data.y[${i}]`, `must be -1 or +1, got ${show(y[i])}`);
    }
  }
  return { X, y, n: nn, d: dd };
}

/** Size of the first working set of the constraint-generation loop (see solveDiagonalQP). */
function workingSetSize(n: number, m: number): number {
  return Math.min(n, 4 * m + 16);
}

/**
 * The `count` indices with the smallest gᵢᵀv (rows gᵢ of G, n×m), ascending; with labels `y`, half from
 * each class (alternating), so that both sides of the separator are in the first working set.
 */
function smallestFirst(
  G: Float64Array,
  n: number,
  m: number,
  v: Float64Array,
  y: Float64Array | null,
  count: number,
): number[] {
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += G[i * m + j]! * v[j]!;
    score[i] = s;
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]! || a - b);
  if (y === null) return idx.slice(0, count);
  const pos = idx.filter((i) => y[i] === 1);
  const neg = idx.filter((i) => y[i] !== 1);
  const out: number[] = [];
  for (let t = 0; out.length < count && (t < pos.length || t < neg.length); t++) {
    if (t < pos.length) out.push(pos[t]!);
    if (t < neg.length && out.length < count) out.push(neg[t]!);
  }
  return out;
}

function notSeparable(bias: boolean, detail: string): NotSeparableError {
  const what = bias
    ? 'no affine hyperplane separates the data (bias: true): no (θ, b) has yᵢ(θᵀxᵢ + b) > 0 for every i'
    : 'no hyperplane through the origin separates the data (bias: false): no θ has yᵢθᵀxᵢ > 0 for every i';
  const hint = bias
    ? 'Use separablePartition(data) to find the maximal linearly separable subset and solve on it.'
    : 'Try bias: true, or use separablePartition(data) to find the maximal linearly separable subset and solve on it.';
  return new NotSeparableError(`${FN}: ${what}${detail}, so the hard-margin SVM has no solution. ${hint}`);
}

/** Reads `bias` (default false) and `tol` (default 1e-9) of {@link hardMarginSVM}. */
function readOptions(options: unknown): { useBias: boolean; tol: number } {
  const opts = checkObject(FN, 'options', options);
  checkKnownKeys(FN, opts, ['bias', 'tol']);
  const useBias = opts.bias ?? false;
  if (typeof useBias !== 'boolean') {
    throw new InvalidInputError(FN, 'options.bias', `must be a boolean, got ${show(useBias)}`);
  }
  const tol =
    opts.tol === undefined ? 1e-9 : checkNumber(FN, 'options.tol', opts.tol, { min: 0, exclusiveMin: true });
  return { useBias, tol };
}

/**
 * The cases no solve is needed to reject: with bias, a single class (the margin is unbounded:
 * `INVALID_INPUT`); without, a point xᵢ = 0 (`NOT_SEPARABLE`). Returns the number of +1 labels.
 */
function countPositives(X: Float64Array, y: Float64Array, n: number, d: number, useBias: boolean): number {
  let npos = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) npos++;
  if (useBias && (npos === 0 || npos === n)) {
    throw new InvalidInputError(
      FN,
      'data.y',
      `has only the label ${npos === 0 ? '-1' : '+1'}; with bias: true both classes are needed (with one class the margin is unbounded, b → ±∞). Use bias: false for a separator through the origin.`,
    );
  }
  if (!useBias) {
    for (let i = 0; i < n; i++) {
      let zero = true;
      for (let j = 0; j < d; j++) if (X[i * d + j] !== 0) zero = false;
      if (zero) throw notSeparable(false, ` (x[${i}] = 0, so yᵢθᵀxᵢ = 0 for every θ)`);
    }
  }
  return npos;
}

/** Step 1 of {@link hardMarginSVM}: x̄ (zeros without bias) and the centered copy Xc = X − 1x̄ᵀ. */
function centered(
  X: Float64Array,
  n: number,
  d: number,
  useBias: boolean,
): { center: Float64Array; Xc: Float64Array } {
  const center = new Float64Array(d);
  if (useBias) {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) center[j]! += X[i * d + j]!;
    for (let j = 0; j < d; j++) center[j]! /= n;
  }
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X[i * d + j]! - center[j]!;
  return { center, Xc };
}

/**
 * Step 2 in general: the row space Q of Xc from its SVD (`rowSpaceBasis`) and the coordinates
 * zᵢ = Qᵀ(xᵢ − x̄) scaled to max norm 1.
 */
function svdCoordinates(
  center: Float64Array,
  Xc: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
  useBias: boolean,
): QPCoordinates {
  const { basis, rank: r } = rowSpaceBasis(Xc, n, d);
  if (r === 0) {
    // Without bias this means X = 0, caught above; with bias all points coincide and both labels occur.
    throw notSeparable(useBias, useBias ? ' (all points coincide, with both labels)' : ' (X = 0)');
  }
  return { center, basis, ...scaled(matmul(Xc, basis, n, d, r), y, n, r) };
}

/** Divides the coordinates (in place) by s = maxᵢ‖zᵢ‖. */
function scaled(
  coords: Float64Array,
  y: Float64Array,
  n: number,
  r: number,
): { scale: number; data: QPData } {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, norm2(coords.subarray(i * r, i * r + r)));
  for (let i = 0; i < coords.length; i++) coords[i]! /= scale;
  return { scale, data: { coords, y, n, r } };
}

/** Throws the error of a quadprog solve that did not succeed (`infeasible`: not separable). */
function checkSolve(result: DiagonalQPResult, bias: boolean): void {
  if (result.status === 'infeasible') throw notSeparable(bias, '');
  if (result.status === 'error') throw new SolverFailedError(`${FN}: quadprog failed: ${result.message}`);
}

/**
 * Step 4 of {@link hardMarginSVM}, bias-free: min ½‖z‖² s.t. yᵢzᵢᵀz ≥ 1 by quadprog (working set: the
 * smallest margins along Σ yᵢzᵢ), α = its multipliers, then the primal polish on the active set.
 */
function solveWithoutBias(data: QPData): CanonicalSolution {
  const { coords, y, n, r } = data;
  const signed = new Float64Array(n * r); // rows yᵢzᵢ
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) signed[i * r + j] = y[i]! * coords[i * r + j]!;
  const ones = new Float64Array(n).fill(1);
  const direction = new Float64Array(r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) direction[j]! += signed[i * r + j]!;
  const qp = solveDiagonalQP(signed, n, r, ones, {
    initial: smallestFirst(signed, n, r, direction, null, workingSetSize(n, r)),
  });
  checkSolve(qp, false);
  let z = qp.x;
  let alpha = qp.lambda;
  const polished = polishOnActiveSet(signed, n, r, ones, alpha);
  if (
    polished !== null &&
    kktResidual(data, polished.x, 0, polished.alpha, false) <= kktResidual(data, z, 0, alpha, false)
  ) {
    z = polished.x;
    alpha = polished.alpha;
  }
  return { z, b: 0, alpha, iterations: qp.iterations };
}

/**
 * Step 5(a) of {@link hardMarginSVM}: the ridge solve in (z, b) with curvature {@link BIAS_RIDGE} on b
 * (same feasible set, so it decides separability); returns the points ranked as candidate support vectors
 * (largest multiplier, then smallest slack, then index).
 */
function rankBySupport(data: QPData, npos: number): { order: number[]; iterations: number } {
  const { coords, y, n, r } = data;
  const m = r + 1;
  const signed = new Float64Array(n * m); // rows yᵢ(zᵢ, 1)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < r; j++) signed[i * m + j] = y[i]! * coords[i * r + j]!;
    signed[i * m + r] = y[i]!;
  }
  const scales = new Float64Array(m).fill(1); // ρ: the objective is ½ Σ (x_j/ρ_j)²
  scales[r] = 1 / Math.sqrt(BIAS_RIDGE);
  const ones = new Float64Array(n).fill(1);
  // Working set: per class, the points nearest the other class along the difference of class means.
  const direction = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const wgt = y[i] === 1 ? 1 / npos : 1 / (n - npos);
    for (let j = 0; j < r; j++) direction[j]! += wgt * signed[i * m + j]!;
  }
  const ridge = solveDiagonalQP(signed, n, m, ones, {
    rho: scales,
    initial: smallestFirst(signed, n, m, direction, y, workingSetSize(n, m)),
  });
  checkSolve(ridge, true);
  const slack = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += signed[i * m + j]! * ridge.x[j]!;
    slack[i] = s - 1;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => ridge.lambda[b]! - ridge.lambda[a]! || slack[a]! - slack[b]! || a - b);
  return { order, iterations: ridge.iterations };
}

/**
 * On the face "k active", b = yₖ − zₖᵀz and stationarity in b gives αₖ = −yₖ Σ_{i≠k} αᵢyᵢ: writes αₖ into
 * `alpha` and returns b.
 */
function faceBias(data: QPData, k: number, z: Float64Array, alpha: Float64Array): number {
  const { coords, y, n, r } = data;
  const yk = y[k]!;
  let s = 0;
  for (let i = 0; i < n; i++) if (i !== k) s += alpha[i]! * y[i]!;
  alpha[k] = -yk * s;
  let zkz = 0;
  for (let j = 0; j < r; j++) zkz += coords[k * r + j]! * z[j]!;
  return yk - zkz;
}

/**
 * Step 5(b) of {@link hardMarginSVM} for one candidate k: the exact problem restricted to the face
 * "k active", min ½‖z‖² s.t. yᵢ(zᵢ − zₖ)ᵀz ≥ 1 − yᵢyₖ (i ≠ k), polished on its active set and then in the
 * dual; null when quadprog does not solve it. `residual` is the candidate's polished KKT residual.
 */
function solveOnFace(
  data: QPData,
  k: number,
  order: readonly number[],
): { solution: CanonicalSolution | null; residual: number; iterations: number } {
  const { coords, y, n, r } = data;
  const yk = y[k]!;
  const faceRows = new Float64Array(n * r);
  const faceRhs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i === k) continue;
    for (let j = 0; j < r; j++) faceRows[i * r + j] = y[i]! * (coords[i * r + j]! - coords[k * r + j]!);
    faceRhs[i] = 1 - y[i]! * yk;
  }
  const initial = order.slice(0, workingSetSize(n, r) + 1).filter((i) => i !== k);
  const qp = solveDiagonalQP(faceRows, n, r, faceRhs, { initial });
  if (qp.status !== 'ok')
    return { solution: null, residual: Number.POSITIVE_INFINITY, iterations: qp.iterations };
  let z = qp.x;
  let alpha = qp.lambda;
  alpha[k] = 0;
  let b = faceBias(data, k, z, alpha);
  let residual = kktResidual(data, z, b, alpha, true);
  // 6. Primal polish on the active set of the restricted problem.
  const polished = polishOnActiveSet(faceRows, n, r, faceRhs, alpha, k);
  if (polished !== null) {
    const polishedB = faceBias(data, k, polished.x, polished.alpha);
    const polishedResidual = kktResidual(data, polished.x, polishedB, polished.alpha, true);
    if (polishedResidual <= residual) {
      z = polished.x;
      alpha = polished.alpha;
      b = polishedB;
    }
  }
  // αₖ < 0 beyond rounding means k is not a support vector of the exact problem (the face "k active"
  // does not hold the optimum); at rounding level it is a degenerate active point. The dual polish
  // sorts this out, and the candidate is judged on the polished KKT residual.
  ({ alpha, residual } = polishDual(data, z, b, alpha, true));
  return { solution: { z, b, alpha, iterations: 0 }, residual, iterations: qp.iterations };
}

/**
 * Step 5 of {@link hardMarginSVM}, with bias (b has no curvature): (a) the ridge solve ranks the
 * candidates; (b) the exact problem on the face "k active" for candidates k in that order, (c) keeping
 * the one with the smallest polished KKT residual and stopping once it is ≤ min(tol, 1e-12).
 */
function solveWithBias(data: QPData, npos: number, tol: number): CanonicalSolution {
  const { n } = data;
  const ranked = rankBySupport(data, npos);
  let iterations = ranked.iterations;
  let best: CanonicalSolution | null = null;
  let bestResidual = Number.POSITIVE_INFINITY;
  const maxTries = Math.min(n, 24);
  for (let t = 0; t < maxTries; t++) {
    const face = solveOnFace(data, ranked.order[t]!, ranked.order);
    iterations += face.iterations;
    if (face.solution === null) continue;
    if (best === null || face.residual < bestResidual) {
      best = face.solution;
      bestResidual = face.residual;
    }
    if (face.residual <= Math.min(tol, 1e-12)) break;
  }
  if (best === null) {
    throw new SolverFailedError(
      `${FN}: the data are separable (bias: true) but no candidate support vector gave a feasible restricted problem`,
    );
  }
  return { ...best, iterations };
}

/** Indices (ascending) whose canonical margin yᵢ(zᵢᵀz + b) (`margins`, computed if not given) is ≤ 1 + tol: the active set. */
function activeSet(
  data: QPData,
  solution: CanonicalSolution,
  tol: number,
  margins: Float64Array = svmMargins(
    new Float64Array(data.n),
    data.coords,
    data.y,
    solution.z,
    solution.b,
    data.n,
    data.r,
  ),
): Int32Array {
  const { n } = data;
  const active: number[] = [];
  for (let i = 0; i < n; i++) if (margins[i]! <= 1 + tol) active.push(i);
  return Int32Array.from(active);
}

/**
 * Back to the original coordinates: w = Qz/s so θ* = Qz/‖z‖ and γ* = 1/‖w‖ = s/‖z‖; b = b' − wᵀx̄ so
 * b* = b/‖w‖ = b'γ* − θ*ᵀx̄; α = α'/s², and p* = α/Σα does not depend on the scaling.
 */
function inDataCoordinates(
  qp: QPCoordinates,
  d: number,
  solution: CanonicalSolution,
  useBias: boolean,
): { theta: Float64Array; bias: number; gamma: number; dual: Float64Array; support: Int32Array } {
  const { z, b, alpha } = solution;
  const r = qp.data.r;
  const zn = norm2(z);
  const gamma = qp.scale / zn;
  const theta = matmul(qp.basis, z, d, r, 1);
  for (let j = 0; j < d; j++) theta[j]! /= zn;
  let bias = 0;
  if (useBias) {
    let tc = 0;
    for (let j = 0; j < d; j++) tc += theta[j]! * qp.center[j]!;
    bias = b * gamma - tc;
  }
  const n = alpha.length;
  const dual = new Float64Array(n);
  let sumA = 0;
  for (let i = 0; i < n; i++) sumA += Math.max(0, alpha[i]!);
  for (let i = 0; i < n; i++) dual[i] = Math.max(0, alpha[i]!) / sumA;
  const support: number[] = [];
  for (let i = 0; i < n; i++) if (dual[i]! > 0) support.push(i);
  return { theta, bias, gamma, dual, support: Int32Array.from(support) };
}

/**
 * The exact hard-margin (C = ∞) linear SVM: the max-margin separator of Section 2 of Xu, Ye & Ruan
 * (2021), θ* = argmax_{‖θ‖₂ ≤ 1} minᵢ yᵢ(θᵀxᵢ + b), with its margin γ* and the dual optimum p* of
 * Proposition 1.
 *
 * **Math.** The canonical problem is min ½‖w‖² s.t. yᵢ(wᵀxᵢ + b) ≥ 1 (b = 0 without bias); then
 * θ* = w/‖w‖, b* = b/‖w‖, γ* = 1/‖w‖. With multipliers α ≥ 0 (w = Σ αᵢyᵢxᵢ, Σ αᵢyᵢ = 0 with bias,
 * αᵢ(yᵢ(wᵀxᵢ + b) − 1) = 0) one has Σα = ‖w‖², so p* = α/Σα gives θ* = Σ p*ᵢ yᵢ xᵢ / γ* and
 * γ* = min_{p ∈ Δ} ‖Σ pᵢyᵢxᵢ‖ (bias-free; eq. (A.4) of the paper).
 *
 * **Method.** The primal is solved in the span of the data, never the dual (which needs ~n³ work and is
 * only ~1e-5 accurate at n = 1000):
 * 1. with bias the data are centered (x ↦ x − x̄, which only moves b), then all points are scaled by
 *    s = maxᵢ‖xᵢ‖ (w ↦ sw, p unchanged) so that absolute tolerances see unit-size numbers;
 * 2. coordinates: when the nonzero columns of the (centered) data provably have full rank (a Cholesky
 *    certificate on XᵀX, `columnCoordinates`), those columns are used as they are (r = their number);
 *    otherwise Q (d×r) = orthonormal basis of the row space (`rowSpaceBasis`: Householder QR, then
 *    ml-matrix's SVD of the small triangle; singular values ≤ max(n, d)·ε·σ₁ count as zero), w = Qz,
 *    zᵢ = Qᵀxᵢ; either way the QP has r ≤ min(n, d) unknowns and Hessian I;
 * 3. the QP min ½‖z‖² s.t. yᵢ(zᵢᵀz + b) ≥ 1 is solved by the Goldfarb–Idnani dual active-set method
 *    written for it (`solveSvmActiveSet`: plane-rotation updates of a QR of the active normals;
 *    constraints priced through a short candidate list and a working set grown from full passes over
 *    the data, continuing from the current point when constraints join). With bias, b has no curvature
 *    (Hessian diag(I, 0)): the method starts from the dual-feasible point "one point k active, w = 0,
 *    b = yₖ" and handles the singular Hessian exactly on the null space of the active normals. While the
 *    active set is built, violations below ~4(r + 2)·ε of a margin count as rounding (adding them is
 *    what makes active-set methods cycle on degenerate data); a last pass admits violations down to the
 *    rounding of one margin (2ε), so that near-twins of support vectors are not left out;
 * 4. polish, primal: on the active set S the equality-constrained KKT system (min-norm solution of
 *    G_S z = c_S; with bias on the face of the support vector of largest multiplier, b = yₖ − zₖᵀz) is
 *    solved from a Householder QR of G_Sᵀ with one step of iterative refinement, kept only if it lowers
 *    the KKT residual; dual: negative multipliers are zeroed and α is re-solved by least squares from
 *    stationarity on the support plus the other active points (kept only if better), so p* meets
 *    Σpᵢ = 1, Σpᵢyᵢ = 0 and θ* = Σpᵢyᵢxᵢ/γ* to rounding even with nearly parallel active constraints;
 * 5. if the result's KKT residual is above min(tol, 1e-12) (or the method stalls on degenerate data),
 *    the problem is solved again in the SVD coordinates by quadprog (Goldfarb–Idnani too) with exact
 *    constraint generation — bias-free directly; with bias (a) a ridge 1e-8·b²/2 solve ranks the points
 *    by multiplier, (b) for candidates k in that order the exact problem on the face "k active",
 *    min ½‖z‖² s.t. yᵢ(zᵢ − zₖ)ᵀz ≥ 1 − yᵢyₖ (i ≠ k), with αₖ = −yₖ Σ_{i≠k} αᵢyᵢ, (c) exact iff αₖ ≥ 0 —
 *    with the same polish; quadprog stalls on nearly dependent constraints are detected by an iteration
 *    budget and the solve redone with the right-hand side scaled down. The smaller KKT residual wins.
 *
 * **Accuracy.** `kktResidual` is the max of: primal (1 − yᵢ(wᵀxᵢ + b))₊, dual (−pᵢ)₊, complementarity
 * pᵢ·|yᵢ(wᵀxᵢ + b) − 1|, stationarity ‖w − Σαᵢyᵢxᵢ‖/‖w‖ and (with bias) |Σ pᵢyᵢ| — all relative /
 * dimensionless, for the canonical (w, b, α) in the coordinates the QP was solved in (centered, scaled,
 * in the basis Q). Typical values are 1e-15…1e-13; over 12 000 random, deliberately degenerate
 * separable sets (duplicated and nearly duplicated points, scales 1e±3, shifts up to 1e3) the worst was
 * 1e-11, and γ* agreed with brute-force support-set enumeration and with an independent QP formulation
 * to ≤ 1e-11 relative (cvxopt: ~1e-14). γ* = s/‖z‖ is computed there too. Evaluating yᵢ(θ*ᵀxᵢ + b*)
 * on the raw data adds rounding of order ε·maxᵢ‖xᵢ‖/γ* (large for data far from the origin), whatever
 * the solver. Directions in which the data's singular values fall below the rank tolerance are treated
 * as absent. p* is unique only when the support vectors are in general position; otherwise one valid
 * p* is returned.
 *
 * @param data - a {@link Dataset} (X row-major n×d, y ∈ {−1, +1}ⁿ).
 * @param options - `{ bias = false, tol = 1e-9 }`, see {@link HardMarginSVMOptions}.
 * @returns `{ theta, bias, gamma, dual, support, active, kktResidual, iterations, rank }`.
 * @throws NotSeparableError (`NOT_SEPARABLE`) when no hyperplane (through the origin, without bias)
 *   separates the data, including a point xᵢ = 0 without bias and coinciding points with different
 *   labels; the message points to `separablePartition`.
 * @throws InvalidInputError (`INVALID_INPUT`) on malformed data or options, and with `bias: true` when
 *   only one class is present (the margin is then unbounded: b → ±∞; use `bias: false`).
 * @throws SolverFailedError (`SOLVER_FAILED`) if the KKT residual exceeds `tol` (nearly degenerate data;
 *   pass a larger `tol` to accept the result), or quadprog keeps stalling after the rescaling.
 *
 * @example
 * ```ts
 * import { dataset, hardMarginSVM } from 'implicit-bias';
 * const data = dataset([[2, 0], [0, 1]], [1, 1]);
 * const { theta, gamma, dual } = hardMarginSVM(data);
 * // theta ≈ [1/√5, 2/√5], gamma ≈ 2/√5, dual ≈ [0.2, 0.8]
 * ```
 *
 * Reference: Xu, Ye & Ruan, "Understanding the Role of Importance Weighting for Deep Learning",
 * ICLR 2021, eq. (1), Proposition 1 and (A.4); Goldfarb & Idnani, "A numerically stable dual method for
 * solving strictly convex quadratic programs", Math. Programming 27 (1983).
 */
export function hardMarginSVM(data: Dataset, options?: HardMarginSVMOptions): HardMarginSVMResult {
  const { useBias, tol } = readOptions(options);
  const { X, y, n, d } = checkData(data);
  const npos = countPositives(X, y, n, d, useBias);
  // 1–2. Center (bias only); coordinates in the row space, scaled.
  let qp = columnCoordinates(X, y, n, d, useBias);
  // 3–6. The canonical QP by the active-set method, polished, kept when its KKT residual is
  // ≤ min(tol, 1e-12); otherwise the quadprog path in the SVD coordinates decides (the smaller residual
  // wins). KKT residuals and the active set are evaluated where the QP was solved (centered, scaled, in
  // the basis): there the problem is well conditioned, while evaluating on raw data far from the origin
  // adds rounding of order ε·maxᵢ‖xᵢ‖/γ* to every margin whatever the solver.
  let solution: CanonicalSolution | null = null;
  let kkt = Number.POSITIVE_INFINITY;
  let margins: Float64Array | undefined;
  const accept = Math.min(tol, FAST_ACCEPT);
  const fast = (coordinates: QPCoordinates) => {
    const outcome = solveByActiveSet(coordinates.data, useBias, npos);
    if (outcome.status === 'ok' && outcome.residual < kkt) {
      solution = outcome.solution;
      kkt = outcome.residual;
      margins = outcome.margins;
      qp = coordinates;
    }
  };
  if (qp !== null) fast(qp);
  if (!(kkt <= accept)) {
    const { center, Xc } = centered(X, n, d, useBias);
    const svd = svdCoordinates(center, Xc, y, n, d, useBias);
    if (qp === null) fast(svd);
    if (!(kkt <= accept)) {
      const slow = useBias ? solveWithBias(svd.data, npos, tol) : solveWithoutBias(svd.data);
      // 6. Dual polish (again, after the per-candidate one with bias).
      const polished = polishDual(svd.data, slow.z, slow.b, slow.alpha, useBias);
      slow.alpha = polished.alpha;
      const slowKkt = polished.residual;
      if (solution === null || slowKkt <= kkt) {
        solution = slow;
        kkt = slowKkt;
        margins = undefined;
        qp = svd;
      }
    }
  }
  if (solution === null || qp === null) throw new SolverFailedError(`${FN}: no solution`); // unreachable
  const points = qp.data;
  const active = activeSet(points, solution, tol, margins);
  const { theta, bias, gamma, dual, support } = inDataCoordinates(qp, d, solution, useBias);
  if (!(kkt <= tol) || !(gamma > 0) || !Number.isFinite(gamma)) {
    throw new SolverFailedError(
      `${FN}: the solution meets the KKT conditions only to ${kkt} (relative), above tol = ${tol}; the data may be nearly degenerate (a margin near the rank tolerance). Pass a larger options.tol to accept it.`,
    );
  }
  return {
    theta,
    bias,
    gamma,
    dual,
    support,
    active,
    kktResidual: kkt,
    iterations: solution.iterations,
    rank: points.r,
  };
}
