import type { Highs } from 'highs';
import { loadedHighs, ready } from './ready.js';

/** The two entry points of an LP-backed reference, made by {@link withLPSolver}. Internal to src/svm. */
export interface LPEntryPoints<Args extends unknown[], Result> {
  /** Checks the arguments, loads the solver if needed (`await ready()`), then solves. */
  async(...args: Args): Promise<Result>;
  /** Checks the arguments and solves with the solver already loaded; throws `SOLVER_FAILED` if it is not. */
  sync(...args: Args): Result;
}

/**
 * Builds the async/sync pair of an LP-backed reference (`maxMarginDirection`/`maxMarginDirectionSync`,
 * `separablePartition`/`separablePartitionSync`) from its argument check and its solve, so both forms
 * validate, load and report alike. Errors name `fn` (async) or `${fn}Sync` (sync); the arguments are
 * checked before the solver is looked at, so a bad argument is reported even when the solver is not loaded.
 * Internal to src/svm.
 *
 * @param fn - the name of the async form.
 * @param check - validates the arguments (throwing `INVALID_INPUT` naming `fn`) and returns what `solve` needs.
 * @param solve - the computation on the loaded HiGHS instance.
 */
export function withLPSolver<Args extends unknown[], Checked, Result>(
  fn: string,
  check: (fn: string, ...args: Args) => Checked,
  solve: (highs: Highs, fn: string, checked: Checked) => Result,
): LPEntryPoints<Args, Result> {
  const syncFn = `${fn}Sync`;
  return {
    async async(...args: Args): Promise<Result> {
      const checked = check(fn, ...args);
      await ready();
      return solve(loadedHighs(fn), fn, checked);
    },
    sync(...args: Args): Result {
      const checked = check(syncFn, ...args);
      return solve(loadedHighs(syncFn), syncFn, checked);
    },
  };
}
