import { SolverFailedError } from '../errors/index.js';
import { checkKnownKeys, checkNumber, checkObject, toFiniteVector } from '../util/validate.js';
import { checkShape } from './mlMatrix.js';

/** Options of {@link nnls}. */
export interface NnlsOptions {
  /**
   * Optimality tolerance on the gradient wⱼ = [Aᵀ(b − Ax)]ⱼ of the zero coordinates: a coordinate enters the
   * passive set only if wⱼ > tol. Default 10·ε·max(rows, cols)·‖A‖₁·max(1, ‖b‖∞) (ε = 2⁻⁵²), scaled like A·b.
   */
  tol?: number;
  /** The most outer iterations (integer ≥ 1). Default 3·cols + 10. */
  maxIterations?: number;
}

/** What {@link nnls} returns. */
export interface NnlsResult {
  /** The minimizer x ≥ 0 (length cols). */
  readonly x: Float64Array;
  /** ‖Ax − b‖₂ at x. */
  readonly residualNorm: number;
  /** The dual vector w = Aᵀ(b − Ax): ≤ tol where xⱼ = 0, ≈ 0 where xⱼ > 0 (the KKT conditions). */
  readonly dual: Float64Array;
  /** Outer iterations (coordinates added to the passive set). */
  readonly iterations: number;
}

const FN = 'nnls';

/**
 * Least squares on the columns `P[0..k−1]` of the row-major m×n `A`: z = argmin ‖A_P z − b‖₂ by Householder
 * QR of the m×k submatrix (copied column-major into `Q`; `r` holds b and is overwritten). Returns false when
 * a diagonal of R is zero (A_P rank-deficient), else writes z into `z`.
 */
function passiveLeastSquares(
  A: Float64Array,
  m: number,
  n: number,
  b: Float64Array,
  P: Int32Array,
  k: number,
  Q: Float64Array,
  r: Float64Array,
  z: Float64Array,
): boolean {
  for (let c = 0; c < k; c++) {
    const col = P[c]!;
    for (let i = 0; i < m; i++) Q[c * m + i] = A[i * n + col]!;
  }
  r.set(b);
  let scale = 0;
  for (let c = 0; c < k; c++) {
    // Householder reflection zeroing Q[c][c+1..m−1]; column c is contiguous (column-major copy).
    const o = c * m;
    let norm = 0;
    for (let i = c; i < m; i++) norm = Math.hypot(norm, Q[o + i]!);
    scale = Math.max(scale, norm);
    if (c >= m || norm === 0) return false;
    const alpha = Q[o + c]! > 0 ? -norm : norm;
    Q[o + c] = Q[o + c]! - alpha;
    let vv = 0;
    for (let i = c; i < m; i++) vv += Q[o + i]! * Q[o + i]!;
    for (let c2 = c + 1; c2 < k; c2++) {
      const o2 = c2 * m;
      let s = 0;
      for (let i = c; i < m; i++) s += Q[o + i]! * Q[o2 + i]!;
      const f = (2 * s) / vv;
      for (let i = c; i < m; i++) Q[o2 + i] = Q[o2 + i]! - f * Q[o + i]!;
    }
    let s = 0;
    for (let i = c; i < m; i++) s += Q[o + i]! * r[i]!;
    const f = (2 * s) / vv;
    for (let i = c; i < m; i++) r[i] = r[i]! - f * Q[o + i]!;
    Q[o + c] = alpha; // R's diagonal (the reflector is no longer needed)
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = r[c]!;
    for (let c2 = c + 1; c2 < k; c2++) s -= Q[c2 * m + c]! * z[c2]!;
    const d = Q[c * m + c]!;
    if (Math.abs(d) <= 1e-14 * scale) return false;
    z[c] = s / d;
  }
  return true;
}

/**
 * Non-negative least squares: x = argmin ‖Ax − b‖₂ subject to x ≥ 0, by the active-set method of Lawson &
 * Hanson (1974, Ch. 23).
 *
 * **Method.** Start from x = 0 with every coordinate in the zero set Z. Repeat: compute the dual
 * w = Aᵀ(b − Ax); if no wⱼ (j ∈ Z) exceeds `tol`, x is optimal (the KKT conditions x ≥ 0, w ≤ 0 on Z, w = 0
 * on the passive set P hold); otherwise move the j ∈ Z with the largest wⱼ into P, and solve the unconstrained
 * least squares on the columns of P (Householder QR). While that solution z has a non-positive entry, step
 * from x towards z as far as feasibility allows (x ← x + α(z − x), α the largest step keeping x ≥ 0), move
 * the coordinates that hit 0 back to Z, and re-solve. In exact arithmetic the columns of P stay linearly
 * independent and the method ends after finitely many steps; a rank-deficient P (rounding) or more than
 * `maxIterations` outer steps is a `SOLVER_FAILED`.
 *
 * Cost: each least-squares solve is O(rows·k²) for k = |P|; k ≤ min(rows, cols).
 *
 * @param A - the rows×cols matrix, row-major (finite).
 * @param rows - an integer ≥ 1.
 * @param cols - an integer ≥ 1.
 * @param b - the right-hand side, length rows (finite).
 * @param options - `{ tol?, maxIterations? }`, see {@link NnlsOptions}.
 * @returns `{ x, residualNorm, dual, iterations }`, see {@link NnlsResult}.
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad shape, a non-finite entry or option;
 *   SolverFailedError (`SOLVER_FAILED`) when the iteration limit is reached or P becomes rank-deficient.
 *
 * @example
 * ```ts
 * // min ‖x₁(1, 0) + x₂(1, 1) − (2, −1)‖ over x ≥ 0: the unconstrained solution (3, −1) is infeasible;
 * // with x₂ = 0 the best x₁ is 2, residual 1.
 * nnls([1, 1, 0, 1], 2, 2, [2, -1]).x; // Float64Array [2, 0]
 * ```
 *
 * Reference: C. L. Lawson and R. J. Hanson, *Solving Least Squares Problems*, Prentice-Hall 1974, Ch. 23
 * (algorithm NNLS); the tolerance follows SciPy's `scipy.optimize.nnls`.
 */
export function nnls(
  A: ArrayLike<number>,
  rows: number,
  cols: number,
  b: ArrayLike<number>,
  options?: NnlsOptions,
): NnlsResult {
  checkShape(FN, 'A', A, rows, cols);
  const a = toFiniteVector(FN, 'A', A, rows * cols);
  const rhs = toFiniteVector(FN, 'b', b, rows);
  const o = checkObject(FN, 'options', options);
  checkKnownKeys(FN, o, ['tol', 'maxIterations']);
  const m = rows;
  const n = cols;
  let normA = 0; // ‖A‖₁, the largest column sum of |aᵢⱼ|
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += Math.abs(a[i * n + j]!);
    normA = Math.max(normA, s);
  }
  let normB = 0;
  for (let i = 0; i < m; i++) normB = Math.max(normB, Math.abs(rhs[i]!));
  const tol =
    o.tol === undefined
      ? 10 * Number.EPSILON * Math.max(m, n) * normA * Math.max(1, normB)
      : checkNumber(FN, 'tol', o.tol, { min: 0 });
  const maxIterations =
    o.maxIterations === undefined
      ? 3 * n + 10
      : checkNumber(FN, 'maxIterations', o.maxIterations, { integer: true, min: 1 });

  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const res = new Float64Array(m);
  const passive = new Uint8Array(n);
  const P = new Int32Array(n);
  const z = new Float64Array(n);
  const Q = new Float64Array(m * Math.min(m, n));
  const r = new Float64Array(m);

  const updateDual = (): void => {
    for (let i = 0; i < m; i++) {
      let s = rhs[i]!;
      for (let j = 0; j < n; j++) s -= a[i * n + j]! * x[j]!;
      res[i] = s;
    }
    w.fill(0);
    for (let i = 0; i < m; i++) {
      const ri = res[i]!;
      for (let j = 0; j < n; j++) w[j] = w[j]! + a[i * n + j]! * ri;
    }
  };

  // Columns found (numerically) dependent on the passive ones, or useless on entering: not tried again
  // until x changes.
  const skip = new Uint8Array(n);
  let iterations = 0;
  let k = 0;
  updateDual();
  for (;;) {
    let best = -1;
    let bestW = tol;
    for (let j = 0; j < n; j++) {
      if (passive[j] === 0 && skip[j] === 0 && w[j]! > bestW) {
        bestW = w[j]!;
        best = j;
      }
    }
    if (best < 0) break;
    if (++iterations > maxIterations) {
      throw new SolverFailedError(`${FN}: no convergence within maxIterations = ${maxIterations}`);
    }
    P[k] = best;
    // In exact arithmetic the entering coordinate is positive in the new least-squares solution; when rounding
    // says otherwise (or A_P is rank-deficient) the column cannot lower the residual from here.
    if (k >= m || !passiveLeastSquares(a, m, n, rhs, P, k + 1, Q, r, z) || !(z[k]! > 0)) {
      skip[best] = 1;
      continue;
    }
    passive[best] = 1;
    k++;
    for (;;) {
      let alpha = 1;
      let blocking = -1;
      for (let c = 0; c < k; c++) {
        if (z[c]! <= 0) {
          const j = P[c]!;
          const step = x[j]! / (x[j]! - z[c]!);
          if (blocking < 0 || step < alpha) {
            alpha = step;
            blocking = j;
          }
        }
      }
      if (blocking < 0) {
        for (let c = 0; c < k; c++) x[P[c]!] = z[c]!;
        break;
      }
      for (let c = 0; c < k; c++) {
        const j = P[c]!;
        x[j] = x[j]! + alpha * (z[c]! - x[j]!);
      }
      x[blocking] = 0; // exactly, where rounding would leave ±ε
      // The coordinates that reached 0 leave the passive set.
      let kept = 0;
      for (let c = 0; c < k; c++) {
        const j = P[c]!;
        if (x[j]! <= 0) {
          x[j] = 0;
          passive[j] = 0;
        } else P[kept++] = j;
      }
      k = kept;
      if (k === 0) break;
      if (!passiveLeastSquares(a, m, n, rhs, P, k, Q, r, z)) {
        throw new SolverFailedError(`${FN}: the passive columns became rank-deficient (rounding)`);
      }
    }
    skip.fill(0);
    updateDual();
  }
  updateDual();
  let rn = 0;
  for (let i = 0; i < m; i++) rn = Math.hypot(rn, res[i]!);
  return { x, residualNorm: rn, dual: w, iterations };
}
