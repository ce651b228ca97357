import { solveQP } from 'quadprog';

/** Result of {@link solveDiagonalQP}. Internal to src/svm. */
export interface DiagonalQPResult {
  /** `'infeasible'`: quadprog reports inconsistent constraints (empty feasible set); `'error'`: any other message. */
  status: 'ok' | 'infeasible' | 'error';
  /** quadprog's message ('' on success). */
  message: string;
  /** The minimizer x (length m; zeros unless status is 'ok'). */
  x: Float64Array;
  /** The Lagrange multipliers λ ≥ 0, one per constraint of G (length q; 0 outside the working set). */
  lambda: Float64Array;
  /** quadprog iterations, summed over the working-set rounds. */
  iterations: number;
  /** Working-set rounds (quadprog calls) made. */
  rounds: number;
}

/** Safety factor × unit roundoff for the rounding error of a dot product (Higham, Thm. 3.1). */
const ROUNDING = 4 * Number.EPSILON;

const STALLED = 'iteration budget exceeded (quadprog stalls on nearly dependent constraints)';

const budgetExceeded = new Error('quadprog iteration budget exceeded');

/**
 * One quadprog call on the constraints `rows` of G: min ½ Σⱼ xⱼ²/ρⱼ² s.t. gᵢᵀx ≥ cᵢ (i ∈ rows). The factor
 * R⁻¹ = diag(ρ) of D = diag(1/ρ²) is passed directly (`factorized = [0, 1]`): no Cholesky, and D only
 * needs ρⱼ > 0. Stationarity: D x = Σ λᵢ gᵢ.
 */
function quadprogOnRows(
  G: Float64Array,
  m: number,
  c: Float64Array,
  rows: readonly number[],
  rho: Float64Array | undefined,
  tau: number,
): {
  status: DiagonalQPResult['status'];
  message: string;
  x: Float64Array;
  lambda: Float64Array;
  iterations: number;
} {
  const q = rows.length;
  // quadprog is a Fortran port: every array is 1-based and Dmat/dvec/Amat/bvec may be overwritten. Rows
  // are started with a double literal and grown with push so that V8 keeps them packed-double: a hole at
  // index 0 puts every access of quadprog's O(q·m)-per-iteration constraint scan on the slow path.
  const Dmat: number[][] = [[0.5]];
  const dvec: number[] = [0.5];
  for (let j = 1; j <= m; j++) {
    const row: number[] = [0.5];
    for (let i = 1; i <= m; i++) row.push(i === j ? (rho === undefined ? 1 : rho[j - 1]!) : 0);
    Dmat.push(row);
    dvec.push(0);
  }
  const Amat: number[][] = [[0.5]];
  for (let j = 1; j <= m; j++) {
    const row: number[] = [0.5];
    for (let t = 0; t < q; t++) row.push(G[rows[t]! * m + (j - 1)]!);
    Amat.push(row);
  }
  const bvec: number[] = [0.5];
  for (let t = 0; t < q; t++) bvec.push(tau * c[rows[t]!]!);
  const factorized = [0, 1];
  const x = new Float64Array(m);
  const lambda = new Float64Array(q);
  // quadprog has no iteration limit, and on degenerate constraint sets rounding can make it stall
  // forever (two nearly equal constraints violated by ~1e-15 swapping in and out with steps of 1e-20).
  // Every iteration of its outer loop reads bvec[1..q], so an accessor on bvec[1] counts iterations and
  // aborts past a budget (in practice quadprog needs < 3·(q + m) iterations). On bvec, not Dmat: the
  // accessor makes that one array slow, and bvec is read q times per iteration against Dmat's ≥ m².
  let budget = 40 * (q + m) + 200;
  const b1 = bvec[1];
  if (q >= 1) {
    Object.defineProperty(bvec, 1, {
      get() {
        if (--budget < 0) throw budgetExceeded;
        return b1;
      },
    });
  }
  let res: ReturnType<typeof solveQP>;
  try {
    res = solveQP(Dmat, dvec, Amat, bvec, 0, factorized);
  } catch (e) {
    if (e !== budgetExceeded) throw e;
    return { status: 'error', message: STALLED, x, lambda, iterations: 0 };
  }
  const iterations = res.iterations?.[1] ?? 0;
  if (factorized[1] === 1) return { status: 'infeasible', message: res.message, x, lambda, iterations };
  if (res.message !== '') return { status: 'error', message: res.message, x, lambda, iterations };
  // The problem is homogeneous in the right-hand side: x(τ) = τ·x(1), λ(τ) = τ·λ(1).
  for (let j = 0; j < m; j++) x[j] = res.solution[j + 1]! / tau;
  for (let t = 0; t < q; t++) lambda[t] = res.Lagrangian[t + 1]! / tau;
  return { status: 'ok', message: '', x, lambda, iterations };
}

/**
 * Solves min ½ Σⱼ xⱼ²/ρⱼ² s.t. G x ≥ c (G q×m row-major, row i = constraint i; ρ defaults to ones, i.e.
 * D = I) with quadprog and exact constraint generation: quadprog runs on a working set W (first the
 * `initial` indices), then every constraint is checked; violated ones (the most violated first, at most
 * max(|W|, 32) per round, so W at most doubles) join W and the QP is solved again. When no constraint is
 * violated the point solves the full QP, with λᵢ = 0 off W (KKT). An infeasible subproblem proves the full
 * problem infeasible. Each quadprog iteration scans all its constraints, so a small W is much cheaper
 * than the full set at large q.
 *
 * Internal to src/svm: no validation; G, c must be finite.
 */
export function solveDiagonalQP(
  G: Float64Array,
  q: number,
  m: number,
  c: Float64Array,
  options: { rho?: Float64Array; initial?: readonly number[] } = {},
): DiagonalQPResult {
  const inW = new Uint8Array(q);
  const W: number[] = [];
  // Exact duplicates (repeated data points) are kept once: a duplicated constraint is redundant, and
  // redundant constraints are what make quadprog stall. A duplicate is never violated when its twin is
  // satisfied, so it never enters W later either; its multiplier is 0.
  const keys = new Set<string>();
  const add = (i: number) => {
    if (inW[i] !== 0) return;
    inW[i] = 1;
    const key = `${c[i]}|${G.subarray(i * m, i * m + m).join(',')}`;
    if (keys.has(key)) return;
    keys.add(key);
    W.push(i);
  };
  for (const i of options.initial ?? Array.from({ length: q }, (_, i) => i)) add(i);
  let iterations = 0;
  let rounds = 0;
  for (;;) {
    rounds++;
    let sub = quadprogOnRows(G, m, c, W, options.rho, 1);
    // A stall comes from constraints violated by rounding noise (≈ ε·‖gᵢ‖‖x‖) above quadprog's absolute
    // threshold (≈ 2e-15): when the solution is long (small margin), solve the same, homogeneous problem
    // with the right-hand side scaled down (x(τ) = τ·x), which scales the noise down with it.
    for (let tau = 1e-2; sub.status === 'error' && sub.message === STALLED && tau >= 1e-6; tau *= 1e-2) {
      sub = quadprogOnRows(G, m, c, W, options.rho, tau);
    }
    iterations += sub.iterations;
    const lambda = new Float64Array(q);
    if (sub.status !== 'ok') return { ...sub, lambda, iterations, rounds };
    const x = sub.x;
    // Violations off W.
    const viol: { i: number; v: number }[] = [];
    for (let i = 0; i < q; i++) {
      if (inW[i] === 1) continue;
      const off = i * m;
      let s = -c[i]!;
      let mag = Math.abs(c[i]!);
      for (let j = 0; j < m; j++) {
        const t = G[off + j]! * x[j]!;
        s += t;
        mag += Math.abs(t);
      }
      // Below the rounding error of evaluating gᵢᵀx − cᵢ a "violation" is noise; adding such a
      // constraint is what lets quadprog stall.
      if (s < -ROUNDING * (m + 1) * mag) viol.push({ i, v: s });
    }
    if (viol.length === 0) {
      W.forEach((i, t) => {
        lambda[i] = sub.lambda[t]!;
      });
      return { status: 'ok', message: '', x, lambda, iterations, rounds };
    }
    viol.sort((a, b) => a.v - b.v || a.i - b.i);
    const count = Math.min(viol.length, Math.max(W.length, 32));
    for (let t = 0; t < count; t++) add(viol[t]!.i);
  }
}
