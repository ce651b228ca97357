import { InvalidInputError } from '../errors/index.js';
import { createRng } from '../rng/createRng.js';
import { checkNumber, checkObject, readOptions, show } from '../util/validate.js';
import { numberOption, seedOption } from './internal.js';

/** Options of {@link matrixCompletion} (all optional). */
export interface MatrixCompletionOptions {
  /** Rows of the matrix, an integer ≥ 1. Default 20. */
  rows?: number;
  /** Columns, an integer ≥ 1. Default 20. */
  cols?: number;
  /** Rank of the ground truth, an integer in [1, min(rows, cols)]. Default 2. */
  rank?: number;
  /**
   * How many entries are observed: a fraction in (0, 1) of rows·cols (rounded, at least 1), or an integer
   * count in [1, rows·cols]. Default 0.5.
   */
  observed?: number;
  /** Standard deviation of i.i.d. Gaussian noise added to the observed values (≥ 0). Default 0. */
  noise?: number;
  /** Any safe integer. Default 0. */
  seed?: number;
}

/** A matrix-completion problem: observed entries of a rows×cols matrix (row-major flat indices). */
export interface MatrixCompletionDataset {
  rows: number;
  cols: number;
  /** Flat indices i·cols + j of the observed entries Ω, distinct and increasing. */
  observed: Int32Array;
  /** The observed values y_ij, aligned with `observed`. */
  values: Float64Array;
  /** The ground truth (rows·cols entries, row-major), when known. */
  truth?: Float64Array;
  /** The rank of the ground truth, when known. */
  rank?: number;
}

const FN = 'datasets.matrixCompletion';
const KEYS = ['rows', 'cols', 'rank', 'observed', 'noise', 'seed'] as const;

/**
 * A random low-rank matrix-completion problem (the slides' "Matrix factorization as a prediction
 * problem"): the ground truth is M = U Vᵀ / √rank with U (rows×rank) and V (cols×rank) of i.i.d. N(0, 1)
 * entries (so each entry of M has variance 1), and Ω is a uniformly random subset of the given size
 * (a partial Fisher–Yates shuffle of the rows·cols flat indices, returned sorted). values = M on Ω plus
 * i.i.d. N(0, noise²). Draw order from `createRng(seed)`: U row by row, V row by row, Ω, then the noise.
 *
 * Defaults: rows = cols = 20, rank = 2, observed = 0.5, noise = 0, seed = 0.
 *
 * @param options - see {@link MatrixCompletionOptions}.
 * @returns a frozen {@link MatrixCompletionDataset} with `truth` and `rank`, deterministic in `seed`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options (rank > min(rows, cols), an
 *   `observed` that is neither a fraction in (0, 1) nor an integer count in [1, rows·cols], noise < 0).
 * @example
 * ```ts
 * const data = datasets.matrixCompletion({ rows: 10, cols: 8, rank: 1, observed: 0.5, seed: 1 });
 * data.observed.length; // 40
 * ```
 */
export function matrixCompletion(options: MatrixCompletionOptions = {}): MatrixCompletionDataset {
  const o = readOptions(FN, options, KEYS);
  const rows = numberOption(FN, o, 'rows', 20, { integer: true, min: 1 });
  const cols = numberOption(FN, o, 'cols', 20, { integer: true, min: 1 });
  const rank = numberOption(FN, o, 'rank', Math.min(2, rows, cols), {
    integer: true,
    min: 1,
    max: Math.min(rows, cols),
  });
  const total = rows * cols;
  const obs = numberOption(FN, o, 'observed', 0.5, { min: 0, exclusiveMin: true, max: total });
  let m: number;
  if (obs < 1) m = Math.max(1, Math.round(obs * total));
  else if (Number.isInteger(obs)) m = obs;
  else {
    throw new InvalidInputError(
      FN,
      'observed',
      `must be a fraction in (0, 1) or an integer count in [1, ${total}], got ${show(obs)}`,
    );
  }
  const noise = numberOption(FN, o, 'noise', 0, { min: 0 });
  const seed = seedOption(FN, o);
  const rng = createRng(seed);
  const U = new Float64Array(rows * rank);
  const V = new Float64Array(cols * rank);
  for (let k = 0; k < U.length; k++) U[k] = rng.normal();
  for (let k = 0; k < V.length; k++) V[k] = rng.normal();
  const scale = 1 / Math.sqrt(rank);
  const truth = new Float64Array(total);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rank; r++) s += U[i * rank + r]! * V[j * rank + r]!;
      truth[i * cols + j] = s * scale;
    }
  }
  const perm = new Int32Array(total);
  for (let k = 0; k < total; k++) perm[k] = k;
  for (let k = 0; k < m; k++) {
    const pick = k + rng.int(total - k);
    const t = perm[k]!;
    perm[k] = perm[pick]!;
    perm[pick] = t;
  }
  const observed = perm.slice(0, m).sort();
  const values = new Float64Array(m);
  for (let s = 0; s < m; s++) values[s] = truth[observed[s]!]!;
  if (noise > 0) for (let s = 0; s < m; s++) values[s] += noise * rng.normal();
  return Object.freeze({ rows, cols, observed, values, truth, rank });
}

/**
 * Validates a {@link MatrixCompletionDataset} given to `fn` (integers rows, cols ≥ 1; distinct in-range
 * indices; finite values of the same length; an optional finite truth of rows·cols entries).
 * @internal
 */
export function checkMatrixCompletionDataset(
  fn: string,
  option: string,
  data: unknown,
): MatrixCompletionDataset {
  const d = checkObject(fn, option, data, false);
  const rows = checkNumber(fn, `${option}.rows`, d.rows, { integer: true, min: 1 });
  const cols = checkNumber(fn, `${option}.cols`, d.cols, { integer: true, min: 1 });
  const total = rows * cols;
  if (!(d.observed instanceof Int32Array)) {
    throw new InvalidInputError(
      fn,
      `${option}.observed`,
      `must be an Int32Array of flat indices, got ${show(d.observed)}`,
    );
  }
  if (!(d.values instanceof Float64Array) || d.values.length !== d.observed.length) {
    throw new InvalidInputError(
      fn,
      `${option}.values`,
      `must be a Float64Array of length ${d.observed.length} (one per observed entry), got ${show(d.values)}`,
    );
  }
  const values = d.values;
  const seen = new Uint8Array(total);
  d.observed.forEach((idx, s) => {
    if (idx < 0 || idx >= total) {
      throw new InvalidInputError(fn, `${option}.observed[${s}]`, `must be in [0, ${total - 1}], got ${idx}`);
    }
    if (seen[idx] === 1) throw new InvalidInputError(fn, `${option}.observed[${s}]`, `repeats index ${idx}`);
    seen[idx] = 1;
    if (!Number.isFinite(values[s])) {
      throw new InvalidInputError(fn, `${option}.values[${s}]`, `must be finite, got ${show(values[s])}`);
    }
  });
  if (d.truth !== undefined) {
    if (!(d.truth instanceof Float64Array) || d.truth.length !== total || !d.truth.every(Number.isFinite)) {
      throw new InvalidInputError(
        fn,
        `${option}.truth`,
        `must be a finite Float64Array of length ${total} (rows·cols), got ${show(d.truth)}`,
      );
    }
  }
  return d as unknown as MatrixCompletionDataset;
}
