import { availableParallelism } from 'node:os';
import { InvalidInputError } from '../errors/index.js';
import { loadMarginBatch, marginBatch } from '../kernels/batch.js';
import { type LinearPass, linearPassObjective } from '../kernels/linear.js';
import { LOSS_ID } from '../kernels/marginLoss.js';
import { type LinearModel, linear } from '../models/linear.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';

/** Options of {@link parallelLinear}. */
export interface ParallelLinearOptions {
  /** Append an intercept θ_d, as in `linear(d, { bias: true })` (default false). */
  bias?: boolean;
  /** Threads per pass, the calling thread included: an integer ≥ 1 (default min(os.availableParallelism(), 4)). */
  threads?: number;
  /** Use the worker threads only when n·d ≥ minWork (default 2¹⁶ = 65 536). */
  minWork?: number;
}

/** The linear model of {@link parallelLinear}: a {@link LinearModel} whose fused pass can use worker threads. */
export interface ParallelLinearModel extends LinearModel {
  /** Threads per pass (the calling thread included). */
  readonly threads: number;
  /** The n·d from which a pass uses the worker threads. */
  readonly minWork: number;
  /** Stops using worker threads: the model keeps working on the calling thread only. Idempotent. */
  close(): void;
  /** Same as {@link ParallelLinearModel.close}, for `using model = parallelLinear(d)` (TypeScript ≥ 5.2). */
  [Symbol.dispose](): void;
}

const FN = 'parallelLinear';

/** Passes with fewer entries of X use the calling thread only. */
const DEFAULT_MIN_WORK = 1 << 16;

/**
 * The linear model of {@link linear} (same θ layout, `init`, `predict`, `hvp`) with its own thread settings:
 * its fused pass (`objective`) runs on up to `threads` threads when n·d ≥ `minWork`. Node only: import it
 * from `implicit-bias/node`.
 *
 * Since the default `linear(d)` model runs the same pass — the WebAssembly SIMD kernel, split over worker
 * threads in Node by size (`setKernelThreads`) — this is only a way to choose the thread count per model.
 * Both compute the one fixed order of `linearObjective` (chunks of rows summed in chunk order), so
 * `parallelLinear(d, { threads })` gives the same bits as `linear(d)` for every n, every `threads`,
 * `minWork` and backend. The worker threads are the kernels' own (shared by every model, `unref`'d, started
 * on the first large pass); `close()` only makes this model single-threaded.
 *
 * Memory and data: as for `linear(d)`, the pass keeps the last dataset's X and y in the kernels' memory
 * (copied once per dataset, compared by identity), so **datasets are taken as immutable**: a new `X`/`y`
 * array is seen, an in-place change of the same array is not. The weights `c` and θ are copied on every
 * pass.
 *
 * @param d - input dimension, a positive integer
 * @param options - `{ bias, threads, minWork }`, see {@link ParallelLinearOptions}
 * @example
 * import { trainWeighted } from 'implicit-bias';
 * import { parallelLinear } from 'implicit-bias/node';
 * const model = parallelLinear(100, { threads: 2 });
 * const result = trainWeighted({ data, model, steps: 1000 }); // data: a Dataset with d = 100
 * model.close();
 */
export function parallelLinear(d: number, options?: ParallelLinearOptions): ParallelLinearModel {
  checkNumber(FN, 'd', d, { integer: true, min: 1 });
  const opts = checkObject(FN, 'options', options);
  checkKnownKeys(FN, opts, ['bias', 'threads', 'minWork']);
  if (opts.bias !== undefined && typeof opts.bias !== 'boolean') {
    throw new InvalidInputError(FN, 'bias', `must be a boolean, got ${show(opts.bias)}`);
  }
  const threads =
    opts.threads === undefined
      ? Math.max(1, Math.min(availableParallelism(), 4))
      : checkNumber(FN, 'threads', opts.threads, { integer: true, min: 1, max: 256 });
  const minWork =
    opts.minWork === undefined ? DEFAULT_MIN_WORK : checkNumber(FN, 'minWork', opts.minWork, { min: 0 });
  const base = linear(d, { bias: opts.bias === true });
  const pass: LinearPass = { bias: base.bias, loss: LOSS_ID.exponential, shift: 0 };
  // The kernel's view of (data, c), pointed at each call's arrays (no allocation per pass).
  const batch = marginBatch(d);
  let closed = false;
  const close = (): void => {
    closed = true;
  };
  const objective: LinearModel['objective'] = (grad, theta, data, c, loss, shift, margins) => {
    pass.loss = loss.id;
    pass.shift = shift;
    const t = !closed && data.n * d >= minWork ? threads : 1;
    return linearPassObjective(grad, margins, theta, loadMarginBatch(batch, data, c), pass, t);
  };
  return Object.freeze({
    ...base,
    threads,
    minWork,
    objective,
    close,
    [Symbol.dispose]: close,
  });
}
