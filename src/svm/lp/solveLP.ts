import type { Highs, ModelData } from 'highs';
import { SolverFailedError } from '../../errors/index.js';

/**
 * Internal: a linear program in HiGHS's bounded form,
 * optimize costᵀx s.t. rowLower ≤ A x ≤ rowUpper, colLower ≤ x ≤ colUpper,
 * with A sparse (CSR: row i is entries starts[i] … starts[i + 1] − 1 of indices/values). Use ±Infinity
 * for a missing bound.
 */
export interface LinearProgram {
  sense: 'minimize' | 'maximize';
  numCols: number;
  numRows: number;
  cost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** A in compressed sparse row form (numRows + 1 starts; column indices). */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** Internal: solver settings of {@link solveLP}. */
export interface SolveLPOptions {
  /**
   * HiGHS's primal and dual feasibility tolerances (absolute, in the units of the LP). Default 1e-10, the
   * smallest HiGHS accepts: a returned vertex may violate a constraint by up to about this much.
   */
  tolerance?: number;
  /**
   * Run HiGHS's presolve (default false). Off by default: on small dense LPs it saves nothing, and on
   * nearly degenerate ones its postsolve returned a point 1.8e-8 (relative 1.5e-9) below the optimum
   * where the plain simplex is exact to rounding (found by the property tests of maxMarginDirection).
   */
  presolve?: boolean;
  /** Stop (and throw `SOLVER_FAILED`) after this many seconds. Default: no limit. */
  timeLimit?: number;
}

/** Internal: the optimum found by {@link solveLP}. */
export interface LPSolution {
  /** Always 'optimal' (anything else throws). */
  status: 'optimal';
  /** costᵀx at the solution. */
  objective: number;
  /** Primal solution x (numCols). */
  x: Float64Array;
  /** Row activities A x (numRows). */
  rowValue: Float64Array;
  /**
   * Row duals, HiGHS's convention: rowDual[i] = ∂(optimal objective)/∂(the active bound of row i); 0 for
   * a row strictly inside its bounds. For a `maximize` LP with a binding lower bound it is ≤ 0.
   */
  rowDual: Float64Array;
  /** Column duals (reduced costs), same convention. */
  colDual: Float64Array;
  /** Simplex iterations used. */
  iterations: number;
}

/** HiGHS model status codes (HighsModelStatus) → names, for error messages. */
const MODEL_STATUS = [
  'NotSet',
  'LoadError',
  'ModelError',
  'PresolveError',
  'SolveError',
  'PostsolveError',
  'ModelEmpty',
  'Optimal',
  'Infeasible',
  'UnboundedOrInfeasible',
  'Unbounded',
  'ObjectiveBound',
  'ObjectiveTarget',
  'TimeLimit',
  'IterationLimit',
  'Unknown',
  'SolutionLimit',
  'Interrupted',
];

/**
 * Internal: solves `lp` with the loaded HiGHS instance `highs` (see `ready`/`loadedHighs`), one
 * persistent model created and disposed per call, output off. Throws `SolverFailedError` naming `fn`
 * and HiGHS's model status on anything but an optimal solution (infeasible, unbounded, limits, errors).
 */
export function solveLP(
  highs: Highs,
  fn: string,
  lp: LinearProgram,
  options: SolveLPOptions = {},
): LPSolution {
  const tol = options.tolerance ?? 1e-10;
  const model: ModelData = {
    numCols: lp.numCols,
    numRows: lp.numRows,
    sense:
      lp.sense === 'maximize'
        ? highs.constants.objectiveSense.maximize
        : highs.constants.objectiveSense.minimize,
    colCost: lp.cost,
    colLower: lp.colLower,
    colUpper: lp.colUpper,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    matrix: {
      format: 'csr',
      numRows: lp.numRows,
      numCols: lp.numCols,
      starts: lp.starts,
      indices: lp.indices,
      values: lp.values,
    },
  };
  try {
    return highs.withModel(model, (m) => {
      m.options.set({
        output_flag: false,
        presolve: options.presolve === true ? 'on' : 'off',
        primal_feasibility_tolerance: tol,
        dual_feasibility_tolerance: tol,
        ...(options.timeLimit === undefined ? {} : { time_limit: options.timeLimit }),
      });
      const run = m.run();
      const status = run.modelStatus;
      if (status !== highs.constants.modelStatus.optimal) {
        throw new SolverFailedError(
          `${fn}: the LP solver (HiGHS ${highs.version.string}) ended with status ${MODEL_STATUS[status] ?? status} instead of Optimal (${lp.numRows} rows × ${lp.numCols} columns)`,
        );
      }
      const sol = m.getSolution();
      return {
        status: 'optimal' as const,
        objective: m.getObjectiveValue(),
        x: sol.colValue,
        rowValue: sol.rowValue,
        rowDual: sol.rowDual,
        colDual: sol.colDual,
        iterations: Number(m.info.get('simplex_iteration_count')),
      };
    });
  } catch (err) {
    if (err instanceof SolverFailedError) throw err;
    throw new SolverFailedError(
      `${fn}: the LP solver (HiGHS) failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
