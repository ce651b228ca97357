import type { Highs } from 'highs';
import { InvalidInputError, SolverFailedError } from '../../errors/index.js';
import { checkKnownKeys, checkObject, show } from '../../util/validate.js';

/**
 * Where to find the solver's WebAssembly binary (`highs.wasm`). Only needed in browsers whose bundler
 * does not serve the file next to the `highs` package's loader; Node finds it on its own.
 */
export interface ReadyOptions {
  /**
   * Returns the URL (browser) or path (Node) of an asset of the `highs` package — in practice
   * `highs.wasm`, e.g. `(file) => '/assets/' + file`. (highs 1.15.3 declares `wasmBinary` and
   * `wasmModule` loader options too, but its build ignores them, so they are not offered here.)
   */
  locateFile?: (file: string) => string;
}

let instance: Highs | null = null;
let loading: Promise<Highs> | null = null;

/**
 * Loads the LP solver (HiGHS, compiled to WebAssembly; ~50 ms in Node) once, and caches it for the
 * process; also available as {@link loadLPSolver}, the same function under a name that says what it
 * loads. Every LP-backed function (`maxMarginDirection`, `separablePartition`) awaits it itself; await it
 * yourself once to use their synchronous variants (`maxMarginDirectionSync`, `separablePartitionSync`).
 *
 * Concurrent and repeated calls share one load; `options` are used by the call that starts the load
 * and ignored afterwards. A failed load is not cached: the next call tries again.
 *
 * @param options - {@link ReadyOptions}: where the browser finds `highs.wasm` (not needed in Node).
 * @returns a Promise that resolves once the solver is usable.
 * @throws (as rejections) SolverFailedError (`SOLVER_FAILED`) if the module or its WebAssembly binary
 *   cannot be loaded; InvalidInputError (`INVALID_INPUT`) for unknown or malformed options.
 * @example
 * ```ts
 * import { ready, maxMarginDirectionSync } from 'implicit-bias';
 * await ready();
 * const { gamma } = maxMarginDirectionSync(data, { norm: 'linf' });
 * ```
 */
export async function ready(options?: ReadyOptions): Promise<void> {
  const opts = checkObject('ready', 'options', options);
  checkKnownKeys('ready', opts, ['locateFile']);
  if (opts.locateFile !== undefined && typeof opts.locateFile !== 'function') {
    throw new InvalidInputError(
      'ready',
      'options.locateFile',
      `must be a function, got ${show(opts.locateFile)}`,
    );
  }
  if (instance !== null) return;
  if (loading === null) {
    loading = load(opts as ReadyOptions).then(
      (h) => {
        instance = h;
        return h;
      },
      (err: unknown) => {
        loading = null;
        throw new SolverFailedError(
          `ready: could not load the HiGHS LP solver (package 'highs', WebAssembly): ${
            err instanceof Error ? err.message : String(err)
          }. In a browser, pass ready({ locateFile }) so it finds highs.wasm.`,
        );
      },
    );
  }
  await loading;
}

/**
 * Loads the LP solver (HiGHS, WebAssembly) once per process: {@link ready} under a name that says what it
 * is ready for. The same function (`loadLPSolver === ready`): same options, caching and errors (which
 * name `ready`).
 *
 * @example
 * ```ts
 * import { loadLPSolver, separablePartitionSync } from 'implicit-bias';
 * await loadLPSolver();
 * const { separable } = separablePartitionSync(data);
 * ```
 */
export const loadLPSolver: (options?: ReadyOptions) => Promise<void> = ready;

async function load(options: ReadyOptions): Promise<Highs> {
  // A dynamic import: the solver's JavaScript (170 kB) and WebAssembly (3.5 MB) are fetched only by
  // programs that solve an LP. 'highs' stays external to our bundle (tsup.config.ts), so its own
  // Node-only branch (fs, to read the .wasm) never enters the browser-safe core.
  const mod = (await import('highs')) as unknown as { default?: unknown };
  const loader = (typeof mod.default === 'function' ? mod.default : mod) as (o?: object) => Promise<Highs>;
  const init: Record<string, unknown> = {};
  if (options.locateFile !== undefined) init.locateFile = options.locateFile;
  return loader(init);
}

/**
 * Internal: the loaded solver, for the synchronous LP-backed functions; throws `SOLVER_FAILED` naming
 * `fn` when {@link ready} has not completed.
 */
export function loadedHighs(fn: string): Highs {
  if (instance === null) {
    throw new SolverFailedError(
      `${fn}: the LP solver (HiGHS, WebAssembly) is not loaded yet. Call \`await ready()\` once before the synchronous variant, or use the async variant (${fn.replace(/Sync$/, '')}), which loads it.`,
    );
  }
  return instance;
}
