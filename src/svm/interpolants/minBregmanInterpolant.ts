import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';
import type { DataMatrix } from '../../datasets/dataMatrix.js';
import { InvalidInputError, SolverFailedError } from '../../errors/index.js';
import { norm2 } from '../../kernels/vector.js';
import { type PotentialLink, potentialLink, resolvePotential } from '../../linalg/potentials.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../../util/validate.js';
import { readProblem, residual } from './internal.js';

/**
 * A mirror-descent potential ψ: `'euclidean'` (½‖w‖₂²), `'entropy'` (Σ wⱼ log wⱼ − wⱼ on w > 0) or
 * `{ p }` (½‖w‖_p², 1 < p < ∞).
 */
export type InterpolantPotential = 'euclidean' | 'entropy' | { readonly p: number };

/** Options of {@link minBregmanInterpolant}. */
export interface MinBregmanInterpolantOptions {
  /** Stop when ‖Xw − y‖₂ ≤ tol·(‖y‖₂ + ‖X‖_F‖w‖₂) (a relative residual). Default 1e-12. */
  tol?: number;
  /** Newton iterations before giving up (`SOLVER_FAILED`). Default 100. */
  maxIterations?: number;
}

/** What {@link minBregmanInterpolant} returns. */
export interface MinBregmanInterpolant {
  /** w = (∇ψ)⁻¹(∇ψ(w₀) + Xᵀλ). */
  w: Float64Array;
  /** The dual variable λ ∈ ℝⁿ: ∇ψ(w) − ∇ψ(w₀) = Xᵀλ. */
  lambda: Float64Array;
  /** ‖Xw − y‖₂ at the returned w (≤ tol times the scale above). */
  residual: number;
  /** Newton iterations performed. */
  iterations: number;
}

const FN = 'minBregmanInterpolant';

/**
 * Newton's method on the full KKT system G(w, λ) = [∇ψ(w) − θ₀ − Xᵀλ; Xw − y] = 0 with the bounded
 * Jacobian [[∇²ψ(w), −Xᵀ], [X, 0]], for ψ = ½‖w‖_p² with p > 2. (On the dual alone, w(λ) behaves like
 * |θⱼ|^{1/(p−1)} near θⱼ = 0 and Newton slows to a linear rate.) Backtracking on ‖G‖₂.
 */
function primalDual(
  A: Float64Array,
  b: Float64Array,
  start: Float64Array,
  n: number,
  d: number,
  link: PotentialLink,
  hessian: (diag: Float64Array, s: Float64Array, w: Float64Array) => number,
  tol: number,
  maxIterations: number,
): MinBregmanInterpolant {
  const xNorm = norm2(A, n * d);
  const yNorm = norm2(b, n);
  const theta0 = new Float64Array(d);
  link.grad(theta0, start);
  const w = Float64Array.from(start);
  const lambda = new Float64Array(n);
  const G = new Float64Array(d + n);
  const gw = new Float64Array(d);
  const tw = new Float64Array(d);
  const tl = new Float64Array(n);
  const diag = new Float64Array(d);
  const s = new Float64Array(d);
  const r = new Float64Array(n);
  // G at (ww, ll) into G; returns ‖G‖₂ and sets the scale of each block for the stopping test.
  let scale1 = 0;
  const evaluate = (ww: Float64Array, ll: Float64Array): number => {
    link.grad(gw, ww);
    let xl = 0;
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let i = 0; i < n; i++) v += A[i * d + j]! * ll[i]!;
      G[j] = gw[j]! - theta0[j]! - v;
      xl += v * v;
    }
    scale1 = norm2(gw, d) + norm2(theta0, d) + Math.sqrt(xl);
    residual(r, A, ww, b, n, d);
    for (let i = 0; i < n; i++) G[d + i] = r[i]!;
    const f = norm2(G, d + n);
    return Number.isFinite(f) ? f : Number.POSITIVE_INFINITY;
  };
  let f = evaluate(w, lambda);
  const converged = (): boolean =>
    norm2(r, n) <= tol * (yNorm + xNorm * norm2(w, d)) && norm2(G, d) <= tol * (scale1 + 1e-300);
  let iterations = 0;
  const fail = (why: string): never => {
    throw new SolverFailedError(
      `${FN}: Newton's method on the KKT system ${why} after ${iterations} iterations (‖Xw − y‖ = ${show(norm2(r, n))}); ` +
        'is y reachable (in the range of X)?',
    );
  };
  while (!converged()) {
    if (iterations >= maxIterations) fail(`did not converge to tol = ${tol}`);
    iterations++;
    const c = hessian(diag, s, w);
    const K = new Matrix(d + n, d + n);
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) K.set(j, k, c * s[j]! * s[k]!);
      K.set(j, j, K.get(j, j) + diag[j]!);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        K.set(j, d + i, -A[i * d + j]!);
        K.set(d + i, j, A[i * d + j]!);
      }
    }
    const step = solve(K, Matrix.columnVector(Array.from(G, (v) => -v)), true).to1DArray();
    if (!step.every(Number.isFinite)) fail('produced a non-finite Newton step');
    let t = 1;
    let accepted = false;
    for (let halvings = 0; halvings < 60; halvings++) {
      for (let j = 0; j < d; j++) tw[j] = w[j]! + t * step[j]!;
      for (let i = 0; i < n; i++) tl[i] = lambda[i]! + t * step[d + i]!;
      const ft = evaluate(tw, tl);
      if (ft <= (1 - 1e-4 * t) * f) {
        w.set(tw);
        lambda.set(tl);
        f = ft;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      evaluate(w, lambda);
      if (converged()) break;
      fail('stopped making progress (the line search found no decrease)');
    }
  }
  return { w, lambda, residual: norm2(r, n), iterations };
}

/**
 * The interpolant closest to w₀ in the Bregman divergence of ψ, the limit of mirror descent with
 * potential ψ on realizable under-determined least squares (Theorem 1 of the slides, [BT03]):
 *
 *   w = argmin { D_ψ(w, w₀) : Xw = y },   D_ψ(w, w₀) = ψ(w) − ψ(w₀) − ⟨∇ψ(w₀), w − w₀⟩.
 *
 * The KKT conditions are Xw = y and ∇ψ(w) − ∇ψ(w₀) = Xᵀλ for some λ ∈ ℝⁿ, so w = w(λ) =
 * (∇ψ)⁻¹(∇ψ(w₀) + Xᵀλ) and λ solves the n equations F(λ) = Xw(λ) − y = 0 (the gradient of the convex
 * dual g(λ) = ψ*(∇ψ(w₀) + Xᵀλ) − λᵀy). Solved by Newton's method on λ: J(λ) = X·∂w/∂θ·Xᵀ,
 * δ = −J⁻¹F (Cholesky, or the SVD least-squares solution when J is singular), damped by backtracking:
 * Armijo on g (globally convergent for the convex dual) while its decrease is resolvable in float64,
 * then sufficient decrease of ‖F‖₂ = ‖Xw(λ) − y‖₂ near the solution.
 *
 * - `'entropy'`: w(λ) = w₀ ⊙ exp(Xᵀλ), ∂w/∂θ = diag(w); w₀ must be > 0.
 * - `{ p }`: ∇ψ(w) = sign(w)|w|^{p−1}‖w‖_p^{2−p}, inverted in closed form by ∇ψ* with ψ* = ½‖·‖_q²,
 *   1/p + 1/q = 1, with the analytic Jacobian of ∇ψ* for p < 2. For p > 2 that Jacobian is unbounded
 *   where θⱼ = 0 (w(λ) ~ |θⱼ|^{1/(p−1)}) and dual Newton slows to a linear rate, so Newton runs instead
 *   on the full KKT system in (w, λ), whose Jacobian [[∇²ψ(w), −Xᵀ], [X, 0]] is bounded ((d + n)²
 *   entries, solved by SVD; backtracking on the KKT residual). `lambda` is then the multiplier of that
 *   system.
 * - `'euclidean'`: w = w₀ + Xᵀλ (the same point as {@link minNormInterpolant}; one Newton step).
 *
 * Starts from λ = 0 (w = w₀), except for `{ p }` with w₀ = 0, where the inverse link is not
 * differentiable at 0: it starts from λ = (XXᵀ)⁺y.
 *
 * Not realizable: if no w in the potential's domain satisfies Xw = y (y outside the range of X, or, for
 * the entropy, no positive solution, e.g. X = [[1, 1]], y = [−1]), the dual has no root: Newton fails and
 * `SOLVER_FAILED` is thrown (its message gives the residual reached).
 *
 * @param X - the n×d data: rows, an ml-matrix `Matrix`, a 2-D ndarray, or a flat row-major array such as
 *   `data.X` (then d = w0.length).
 * @param y - n finite targets.
 * @param w0 - the starting point w₀ (length d; in the domain of ψ: > 0 for the entropy).
 * @param potential - `'entropy'`, `{ p }` or `'euclidean'`.
 * @param options - `tol`, `maxIterations`, see {@link MinBregmanInterpolantOptions}.
 * @returns `{ w, lambda, residual, iterations }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad shapes, non-finite entries, w₀ outside the domain,
 *   a bad potential or bad options; SolverFailedError (`SOLVER_FAILED`) when Newton does not converge.
 * @example
 * ```ts
 * // Entropy: the interpolant of x₁ + x₂ + x₃ = 3, x₁ = 2 closest to w₀ = 1 in KL divergence.
 * const { w } = minBregmanInterpolant([[1, 1, 1], [1, 0, 0]], [3, 2], [1, 1, 1], 'entropy');
 * // w = [2, 0.5, 0.5]
 * ```
 *
 * @see A. Beck, M. Teboulle, "Mirror descent and nonlinear projected subgradient methods for convex
 * optimization", Operations Research Letters 31 (2003); S. Gunasekar, J. Lee, D. Soudry, N. Srebro,
 * "Characterizing implicit bias in terms of optimization geometry", ICML 2018.
 */
export function minBregmanInterpolant(
  X: DataMatrix,
  y: ArrayLike<number>,
  w0: ArrayLike<number>,
  potential: InterpolantPotential,
  options: MinBregmanInterpolantOptions = {},
): MinBregmanInterpolant {
  if (w0 === undefined)
    throw new InvalidInputError(FN, 'w0', 'is required (a vector of length d), got undefined');
  const o = checkObject(FN, 'options', options);
  checkKnownKeys(FN, o, ['tol', 'maxIterations']);
  const tol =
    o.tol === undefined ? 1e-12 : checkNumber(FN, 'options.tol', o.tol, { min: 0, exclusiveMin: true });
  const maxIterations =
    o.maxIterations === undefined
      ? 100
      : checkNumber(FN, 'options.maxIterations', o.maxIterations, { integer: true, min: 1 });
  const link = potentialLink(resolvePotential(FN, potential, false).resolved);
  const entropy = link.name === 'entropy';
  const { X: A, y: b, w0: start, n, d } = readProblem(FN, X, y, w0);
  if (entropy) {
    for (let j = 0; j < d; j++) {
      if (!(start[j]! > 0)) {
        throw new InvalidInputError(
          FN,
          `w0[${j}]`,
          `must be > 0 for the entropy potential (its domain is w > 0), got ${show(start[j])}`,
        );
      }
    }
  }
  if (link.primalHessian) {
    return primalDual(A, b, start, n, d, link, link.primalHessian, tol, maxIterations);
  }
  const xNorm = norm2(A, n * d);
  const yNorm = norm2(b, n);

  const theta0 = new Float64Array(d);
  link.grad(theta0, start);
  const theta = new Float64Array(d);
  const w = new Float64Array(d);
  const r = new Float64Array(n);
  const lambda = new Float64Array(n);
  const trial = new Float64Array(n);
  const diag = new Float64Array(d);
  const s = new Float64Array(d);
  const Xs = new Float64Array(n);

  // The dual objective g(λ) = ψ*(θ₀ + Xᵀλ) − λᵀy of the last evaluate (its gradient is F).
  let dualValue = 0;
  // F(λ) into r and w(λ) into w; returns ‖F‖₂ (Infinity when w or F is not finite).
  const evaluate = (lam: Float64Array): number => {
    for (let j = 0; j < d; j++) theta[j] = theta0[j]!;
    for (let i = 0; i < n; i++) {
      const li = lam[i]!;
      if (li === 0) continue;
      const o = i * d;
      for (let j = 0; j < d; j++) theta[j]! += li * A[o + j]!;
    }
    link.inverse(w, theta);
    residual(r, A, w, b, n, d);
    let ly = 0;
    for (let i = 0; i < n; i++) ly += lam[i]! * b[i]!;
    dualValue = link.conj(theta) - ly;
    const f = norm2(r, n);
    return Number.isFinite(f) ? f : Number.POSITIVE_INFINITY;
  };
  const converged = (f: number): boolean => f <= tol * (yNorm + xNorm * norm2(w, d));

  if (link.name === 'p' && theta0.every((v) => v === 0)) {
    // λ = (XXᵀ)⁺y: then Xᵀλ = X⁺y ≠ 0 (unless y = 0) and the Jacobian exists.
    const G = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k <= i; k++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += A[i * d + j]! * A[k * d + j]!;
        G.set(i, k, v);
        G.set(k, i, v);
      }
    }
    const sol = solve(G, Matrix.columnVector(Array.from(b)), true).to1DArray();
    if (sol.every(Number.isFinite)) lambda.set(sol);
  }

  let f = evaluate(lambda);
  if (!Number.isFinite(f)) {
    lambda.fill(0);
    f = evaluate(lambda);
  }
  let iterations = 0;
  const fail = (why: string): never => {
    throw new SolverFailedError(
      `${FN}: Newton's method on the dual ${why} after ${iterations} iterations (‖Xw − y‖ = ${show(f)}); ` +
        'is y reachable by some w in the domain of the potential (e.g. w > 0 for the entropy)?',
    );
  };
  while (!converged(f)) {
    if (iterations >= maxIterations) fail(`did not converge to tol = ${tol}`);
    iterations++;
    let step: number[];
    {
      // J = X (diag + c·s·sᵀ) Xᵀ at the current θ.
      const c = link.jacobian(diag, s, theta, w);
      const J = new Matrix(n, n);
      for (let i = 0; i < n; i++) {
        const oi = i * d;
        let xs = 0;
        for (let j = 0; j < d; j++) xs += A[oi + j]! * s[j]!;
        Xs[i] = xs;
        for (let k = 0; k <= i; k++) {
          const ok = k * d;
          let v = 0;
          for (let j = 0; j < d; j++) v += A[oi + j]! * diag[j]! * A[ok + j]!;
          J.set(i, k, v);
        }
      }
      for (let i = 0; i < n; i++) {
        for (let k = 0; k <= i; k++) {
          const v = J.get(i, k) + c * Xs[i]! * Xs[k]!;
          J.set(i, k, v);
          J.set(k, i, v);
        }
      }
      const rhs = Matrix.columnVector(Array.from(r, (v) => -v));
      const chol = new CholeskyDecomposition(J);
      step = (chol.isPositiveDefinite() ? chol.solve(rhs) : solve(J, rhs, true)).to1DArray();
    }
    if (!step.every(Number.isFinite)) fail('produced a non-finite Newton step');
    // Damped Newton on the convex dual g: Armijo backtracking on g (δ is a descent direction, gᵀ... = Fᵀδ
    // < 0, whenever J is positive definite), which converges globally; once the predicted decrease of g
    // is below its rounding level, sufficient decrease of ‖F‖₂ is accepted instead. Non-finite trials
    // (w overflowed) are rejected.
    let slope = 0;
    for (let i = 0; i < n; i++) slope += r[i]! * step[i]!;
    const g0 = dualValue;
    let t = 1;
    let accepted = false;
    for (let halvings = 0; halvings < 60; halvings++) {
      for (let i = 0; i < n; i++) trial[i] = lambda[i]! + t * step[i]!;
      const ft = evaluate(trial);
      const gt = dualValue;
      const resolved = slope < 0 && -1e-4 * t * slope > 1e-13 * (Math.abs(g0) + 1);
      const ok = resolved ? Number.isFinite(ft) && gt <= g0 + 1e-4 * t * slope : ft <= (1 - 1e-4 * t) * f;
      if (ok) {
        lambda.set(trial);
        f = ft;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      evaluate(lambda); // restore w, θ and r at the last accepted λ
      if (converged(f)) break;
      fail('stopped making progress (the line search found no decrease)');
    }
  }
  return { w: Float64Array.from(w), lambda, residual: f, iterations };
}
