/**
 * The data a kernel pass reads, as small structs of views, so that a pass takes its outputs first and then
 * a handful of arguments (`linearObjective(grad, margins, theta, batch, bias, loss, shift)`) instead of
 * every array and size one by one. The structs hold references, never copies: a model makes one when it
 * is built and points it at the data of each call (`loadMarginBatch`), so a training step allocates
 * nothing. Kernels only read them.
 * @packageDocumentation
 */

/** n rows of d features: `X` row-major n×d, row i at offset i·d. A `Dataset` is one. */
export interface Rows {
  X: Float64Array;
  n: number;
  d: number;
}

/** {@link Rows} with one target per row: labels ±1 (classification) or real targets (regression). */
export interface LabeledRows extends Rows {
  y: Float64Array;
}

/**
 * What a binary margin pass reads: the rows, their labels yᵢ ∈ {−1, +1} and their weights cᵢ (the
 * coefficients of Σᵢ cᵢ ℓ(uᵢ)). `d` is the row stride of `X` (the model's input dimension).
 */
export interface MarginBatch extends LabeledRows {
  c: Float64Array;
}

/**
 * What a k-class softmax cross-entropy pass reads: the rows, their labels `labels[i]` ∈ {0, …, k − 1} and
 * their weights cᵢ.
 */
export interface MulticlassBatch extends Rows {
  labels: Int32Array;
  c: Float64Array;
  k: number;
}

const EMPTY = new Float64Array(0);

/**
 * An empty {@link MarginBatch} of row stride `d` (no rows yet), to be pointed at data with
 * {@link loadMarginBatch}. Made once per model, not per pass.
 *
 * @example
 * ```ts
 * const batch = marginBatch(2);
 * loadMarginBatch(batch, dataset([[1, 2]], [1]), Float64Array.of(1)); // batch.n = 1
 * ```
 */
export function marginBatch(d: number): MarginBatch {
  return { X: EMPTY, y: EMPTY, c: EMPTY, n: 0, d };
}

/** Points `batch` at the rows of `data` (X, n) and at the weights `c`; returns `batch`. */
function loadRows<B extends Rows & { c: Float64Array }>(
  batch: B,
  data: Readonly<Pick<Rows, 'X' | 'n'>>,
  c: Float64Array,
): B {
  batch.X = data.X;
  batch.n = data.n;
  batch.c = c;
  return batch;
}

/**
 * Points `batch` at the rows and labels of `data` and at the weights `c` (its stride `d` is kept: the
 * model's); returns `batch`. Four field writes, no allocation.
 */
export function loadMarginBatch(
  batch: MarginBatch,
  data: Readonly<LabeledRows>,
  c: Float64Array,
): MarginBatch {
  loadRows(batch, data, c).y = data.y;
  return batch;
}

/** An empty {@link MulticlassBatch} of row stride `d` and k classes, for {@link loadMulticlassBatch}. */
export function multiclassBatch(d: number, k: number): MulticlassBatch {
  return { X: EMPTY, labels: new Int32Array(0), c: EMPTY, n: 0, d, k };
}

/**
 * Points `batch` at the rows and labels of `data` and at the weights `c` (its `d` and `k` are kept: the
 * model's); returns `batch`. No allocation.
 */
export function loadMulticlassBatch(
  batch: MulticlassBatch,
  data: Readonly<Pick<MulticlassBatch, 'X' | 'labels' | 'n'>>,
  c: Float64Array,
): MulticlassBatch {
  loadRows(batch, data, c).labels = data.labels;
  return batch;
}

/**
 * Copies the rows `rows[0 … m)` of the row-major `X` (row stride d) into the first m·d entries of `out`, in
 * that order (a row may repeat); returns `out`. No validation, no allocation; `out` must not alias `X`.
 *
 * @example
 * ```ts
 * gatherRows(new Float64Array(4), Float64Array.of(1, 2, 3, 4, 5, 6), 2, Int32Array.of(2, 0), 2); // [5, 6, 1, 2]
 * ```
 */
export function gatherRows(
  out: Float64Array,
  X: Float64Array,
  d: number,
  rows: Int32Array,
  m: number,
): Float64Array {
  for (let k = 0; k < m; k++) {
    const src = rows[k]! * d;
    const dst = k * d;
    // Whole rows: each source row is contiguous, so the copy walks it sequentially.
    for (let j = 0; j < d; j++) out[dst + j] = X[src + j]!;
  }
  return out;
}

/** out[k] = src[rows[k]] for k < m (labels, weights, targets of a batch); returns `out`. */
export function gatherValues<T extends Float64Array | Int32Array>(
  out: T,
  src: T,
  rows: Int32Array,
  m: number,
): T {
  for (let k = 0; k < m; k++) out[k] = src[rows[k]!]!;
  return out;
}
