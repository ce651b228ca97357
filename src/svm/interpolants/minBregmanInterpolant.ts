import type { DataMatrix } from '../../datasets/dataMatrix.js';
import { InvalidInputError, SolverFailedError } from '../../errors/index.js';
import { allFinite, norm2 } from '../../kernels/vector.js';
import { cholesky } from '../../linalg/cholesky.js';
import { type PotentialLink, potentialLink, resolvePotential } from '../../linalg/potentials.js';
import { svdSolve } from '../../linalg/svd.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../../util/validate.js';
import { type Problem, readProblem, residual } from './internal.js';

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

/** The lengths of the backtracking line searches: at most 60 halvings of the Newton step. */
const HALVINGS = 60;

/**
 * A nonlinear system solved by damped Newton ({@link dampedNewton}); its point and the buffers of its last
 * evaluation live in the closure that makes it.
 */
interface NewtonSystem {
  /** Whether the current point meets the stopping test. */
  converged(): boolean;
  /** The Newton direction at the current point (the driver rejects a non-finite one). */
  direction(): Float64Array;
  /** Evaluates current + t·direction and moves there (true) when it decreases the merit function enough. */
  tryStep(direction: Float64Array, t: number): boolean;
  /** Re-evaluates at the current point, after a line search that found no decrease. */
  restore(): void;
  /** ‖Xw − y‖₂ at the current point, for the error message. */
  residualNorm(): number;
}

/**
 * Damped Newton: a Newton direction, then backtracking (t = 1, ½, ¼, … at most {@link HALVINGS} times)
 * until `tryStep` accepts, until `converged()`. Returns the iterations taken; throws `SOLVER_FAILED` after
 * `maxIterations`, on a non-finite direction, or when no step decreases the merit function and the point
 * has not converged. `what` names the system and `hint` ends the message.
 */
function dampedNewton(
  system: NewtonSystem,
  tol: number,
  maxIterations: number,
  what: string,
  hint: string,
): number {
  let iterations = 0;
  const fail = (why: string): never => {
    throw new SolverFailedError(
      `${FN}: Newton's method on the ${what} ${why} after ${iterations} iterations (‖Xw − y‖ = ${show(system.residualNorm())}); ${hint}`,
    );
  };
  while (!system.converged()) {
    if (iterations >= maxIterations) fail(`did not converge to tol = ${tol}`);
    iterations++;
    const step = system.direction();
    if (!step.every(Number.isFinite)) fail('produced a non-finite Newton step');
    let t = 1;
    let accepted = false;
    for (let halvings = 0; halvings < HALVINGS && !accepted; halvings++) {
      accepted = system.tryStep(step, t);
      t /= 2;
    }
    if (!accepted) {
      system.restore();
      if (system.converged()) break;
      fail('stopped making progress (the line search found no decrease)');
    }
  }
  return iterations;
}

/**
 * Newton's method on the full KKT system G(w, λ) = [∇ψ(w) − θ₀ − Xᵀλ; Xw − y] = 0 with the bounded
 * Jacobian [[∇²ψ(w), −Xᵀ], [X, 0]], for ψ = ½‖w‖_p² with p > 2. (On the dual alone, w(λ) behaves like
 * |θⱼ|^{1/(p−1)} near θⱼ = 0 and Newton slows to a linear rate.) Backtracking on ‖G‖₂.
 */
function primalDual(
  problem: Problem,
  link: PotentialLink,
  hessian: (diag: Float64Array, s: Float64Array, w: Float64Array) => number,
  tol: number,
  maxIterations: number,
): MinBregmanInterpolant {
  const { X: A, y: b, w0: start, n, d } = problem;
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
  // G at (ww, ll) into G; returns ‖G‖₂ and sets the scale of the first block for the stopping test.
  let gradScale = 0;
  const evaluate = (ww: Float64Array, ll: Float64Array): number => {
    link.grad(gw, ww);
    let xl = 0;
    for (let j = 0; j < d; j++) {
      let v = 0;
      for (let i = 0; i < n; i++) v += A[i * d + j]! * ll[i]!;
      G[j] = gw[j]! - theta0[j]! - v;
      xl += v * v;
    }
    gradScale = norm2(gw, d) + norm2(theta0, d) + Math.sqrt(xl);
    residual(r, A, ww, b, n, d);
    for (let i = 0; i < n; i++) G[d + i] = r[i]!;
    const f = norm2(G, d + n);
    return Number.isFinite(f) ? f : Number.POSITIVE_INFINITY;
  };
  let f = evaluate(w, lambda);
  const iterations = dampedNewton(
    {
      converged: () =>
        norm2(r, n) <= tol * (yNorm + xNorm * norm2(w, d)) && norm2(G, d) <= tol * (gradScale + 1e-300),
      direction: () => svdSolve(kktMatrix(A, n, d, hessian, w, diag, s), d + n, d + n, negated(G)),
      tryStep: (step, t) => {
        for (let j = 0; j < d; j++) tw[j] = w[j]! + t * step[j]!;
        for (let i = 0; i < n; i++) tl[i] = lambda[i]! + t * step[d + i]!;
        const ft = evaluate(tw, tl);
        if (!(ft <= (1 - 1e-4 * t) * f)) return false;
        w.set(tw);
        lambda.set(tl);
        f = ft;
        return true;
      },
      restore: () => {
        evaluate(w, lambda);
      },
      residualNorm: () => norm2(r, n),
    },
    tol,
    maxIterations,
    'KKT system',
    'is y reachable (in the range of X)?',
  );
  return { w, lambda, residual: norm2(r, n), iterations };
}

/** −v, a new array. */
function negated(v: Float64Array): Float64Array {
  return v.map((x) => -x);
}

/**
 * The KKT Jacobian [[∇²ψ(w), −Xᵀ], [X, 0]], (d + n)², row-major, with ∇²ψ(w) = diag + c·s·sᵀ from
 * `hessian` (which writes `diag` and `s`).
 */
function kktMatrix(
  A: Float64Array,
  n: number,
  d: number,
  hessian: (diag: Float64Array, s: Float64Array, w: Float64Array) => number,
  w: Float64Array,
  diag: Float64Array,
  s: Float64Array,
): Float64Array {
  const c = hessian(diag, s, w);
  const m = d + n;
  const K = new Float64Array(m * m);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) K[j * m + k] = c * s[j]! * s[k]!;
    K[j * m + j] = K[j * m + j]! + diag[j]!;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      K[j * m + d + i] = -A[i * d + j]!;
      K[(d + i) * m + j] = A[i * d + j]!;
    }
  }
  return K;
}

/**
 * The starting multipliers of dual Newton: λ = (XXᵀ)⁺y when ψ = ½‖·‖_p² and θ₀ = ∇ψ(w₀) = 0 (the inverse
 * link is not differentiable at 0, while Xᵀλ = X⁺y ≠ 0 unless y = 0), else — or if that solve is not
 * finite — λ = 0.
 */
function startingMultipliers(problem: Problem, link: PotentialLink, theta0: Float64Array): Float64Array {
  const { X: A, y: b, n, d } = problem;
  const lambda = new Float64Array(n);
  if (link.name !== 'p' || !theta0.every((v) => v === 0)) return lambda;
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += A[i * d + j]! * A[k * d + j]!;
      G[i * n + k] = v;
      G[k * n + i] = v;
    }
  }
  const sol = svdSolve(G, n, n, b);
  if (sol.every(Number.isFinite)) lambda.set(sol);
  return lambda;
}

/**
 * The dual Jacobian J = X (diag + c·s·sᵀ) Xᵀ (n×n, row-major) at the current θ, with the Jacobian of the
 * inverse link from `link.jacobian` (which writes `diag` and `s`); `Xs` is scratch (length n).
 */
function dualJacobian(
  A: Float64Array,
  n: number,
  d: number,
  link: PotentialLink,
  theta: Float64Array,
  w: Float64Array,
  diag: Float64Array,
  s: Float64Array,
  Xs: Float64Array,
): Float64Array {
  const c = link.jacobian(diag, s, theta, w);
  const J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    let xs = 0;
    for (let j = 0; j < d; j++) xs += A[oi + j]! * s[j]!;
    Xs[i] = xs;
    for (let k = 0; k <= i; k++) {
      const ok = k * d;
      let v = 0;
      for (let j = 0; j < d; j++) v += A[oi + j]! * diag[j]! * A[ok + j]!;
      J[i * n + k] = v;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      const v = J[i * n + k]! + c * Xs[i]! * Xs[k]!;
      J[i * n + k] = v;
      J[k * n + i] = v;
    }
  }
  return J;
}

/**
 * δ = −J⁻¹F: by `linalg/cholesky` when J is positive definite to working precision, else (J singular or
 * nearly so, or not finite) the SVD least-squares solution.
 */
function dualStep(J: Float64Array, n: number, F: Float64Array): Float64Array {
  const rhs = negated(F);
  const factor = allFinite(J) ? cholesky(J, n) : null;
  if (factor === null || !factor.positiveDefinite) return svdSolve(J, n, n, rhs);
  return factor.solve(rhs, rhs);
}

/**
 * The dual map at λ, on buffers reused across evaluations: θ = θ₀ + Xᵀλ, w(λ) = (∇ψ)⁻¹(θ), the residual
 * F(λ) = Xw(λ) − y and the dual objective g(λ) = ψ*(θ) − λᵀy (whose gradient is F).
 */
interface DualMap {
  /** θ₀ = ∇ψ(w₀). */
  readonly theta0: Float64Array;
  /** θ, w and F = r of the last `evaluate`. */
  readonly theta: Float64Array;
  readonly w: Float64Array;
  readonly r: Float64Array;
  /** g(λ) of the last `evaluate`. */
  value: number;
  /** Evaluates at λ; returns ‖F‖₂ (Infinity when w or F is not finite). */
  evaluate(lambda: Float64Array): number;
}

function dualMap(problem: Problem, link: PotentialLink): DualMap {
  const { X: A, y: b, w0: start, n, d } = problem;
  const theta0 = new Float64Array(d);
  link.grad(theta0, start);
  const theta = new Float64Array(d);
  const w = new Float64Array(d);
  const r = new Float64Array(n);
  const map: DualMap = {
    theta0,
    theta,
    w,
    r,
    value: 0,
    evaluate(lam) {
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
      map.value = link.conj(theta) - ly;
      const f = norm2(r, n);
      return Number.isFinite(f) ? f : Number.POSITIVE_INFINITY;
    },
  };
  return map;
}

/**
 * Newton's method on the dual: λ solves F(λ) = Xw(λ) − y = 0 (see {@link DualMap}), damped by Armijo
 * backtracking on the convex dual g while its decrease is resolvable, and by sufficient decrease of ‖F‖₂
 * after that (see {@link minBregmanInterpolant}).
 */
function dualNewton(
  problem: Problem,
  link: PotentialLink,
  tol: number,
  maxIterations: number,
): MinBregmanInterpolant {
  const { X: A, y: b, n, d } = problem;
  const xNorm = norm2(A, n * d);
  const yNorm = norm2(b, n);
  const map = dualMap(problem, link);
  const { theta, w, r } = map;
  const trial = new Float64Array(n);
  const diag = new Float64Array(d);
  const s = new Float64Array(d);
  const Xs = new Float64Array(n);

  const lambda = startingMultipliers(problem, link, map.theta0);
  let f = map.evaluate(lambda);
  if (!Number.isFinite(f)) {
    lambda.fill(0);
    f = map.evaluate(lambda);
  }
  // Per Newton step: the directional derivative Fᵀδ of g and g at the current λ.
  let slope = 0;
  let g0 = 0;
  const iterations = dampedNewton(
    {
      converged: () => f <= tol * (yNorm + xNorm * norm2(w, d)),
      direction: () => {
        const step = dualStep(dualJacobian(A, n, d, link, theta, w, diag, s, Xs), n, r);
        slope = 0;
        for (let i = 0; i < n; i++) slope += r[i]! * step[i]!;
        g0 = map.value;
        return step;
      },
      // Damped Newton on the convex dual g: Armijo backtracking on g (δ is a descent direction, Fᵀδ < 0,
      // whenever J is positive definite), which converges globally; once the predicted decrease of g is
      // below its rounding level, sufficient decrease of ‖F‖₂ is accepted instead. Non-finite trials (w
      // overflowed) are rejected.
      tryStep: (step, t) => {
        for (let i = 0; i < n; i++) trial[i] = lambda[i]! + t * step[i]!;
        const ft = map.evaluate(trial);
        const gt = map.value;
        const resolved = slope < 0 && -1e-4 * t * slope > 1e-13 * (Math.abs(g0) + 1);
        const ok = resolved ? Number.isFinite(ft) && gt <= g0 + 1e-4 * t * slope : ft <= (1 - 1e-4 * t) * f;
        if (!ok) return false;
        lambda.set(trial);
        f = ft;
        return true;
      },
      restore: () => {
        map.evaluate(lambda); // w, θ and r at the last accepted λ
      },
      residualNorm: () => f,
    },
    tol,
    maxIterations,
    'dual',
    'is y reachable by some w in the domain of the potential (e.g. w > 0 for the entropy)?',
  );
  return { w: Float64Array.from(w), lambda, residual: f, iterations };
}

/** Reads `tol` (default 1e-12) and `maxIterations` (default 100). */
function readSolverOptions(options: unknown): { tol: number; maxIterations: number } {
  const o = checkObject(FN, 'options', options);
  checkKnownKeys(FN, o, ['tol', 'maxIterations']);
  const tol =
    o.tol === undefined ? 1e-12 : checkNumber(FN, 'options.tol', o.tol, { min: 0, exclusiveMin: true });
  const maxIterations =
    o.maxIterations === undefined
      ? 100
      : checkNumber(FN, 'options.maxIterations', o.maxIterations, { integer: true, min: 1 });
  return { tol, maxIterations };
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
 * δ = −J⁻¹F (Cholesky, or the SVD least-squares solution when J is not positive definite to working
 * precision), damped by backtracking:
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
  const { tol, maxIterations } = readSolverOptions(options);
  const link = potentialLink(resolvePotential(FN, potential, false).resolved);
  const problem = readProblem(FN, X, y, w0);
  if (link.name === 'entropy') {
    const start = problem.w0;
    for (let j = 0; j < problem.d; j++) {
      if (!(start[j]! > 0)) {
        throw new InvalidInputError(
          FN,
          `w0[${j}]`,
          `must be > 0 for the entropy potential (its domain is w > 0), got ${show(start[j])}`,
        );
      }
    }
  }
  return link.primalHessian
    ? primalDual(problem, link, link.primalHessian, tol, maxIterations)
    : dualNewton(problem, link, tol, maxIterations);
}
