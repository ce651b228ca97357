/**
 * Mini-batches of a data set's rows for the training tasks: the rows a sampler picked, copied into storage
 * allocated once. Internal.
 * @internal
 * @packageDocumentation
 */
import { gatherRows, gatherValues } from '../../kernels/batch.js';

/** A data set of n rows of d features: X row-major n×d, plus per-row arrays (labels, targets). */
interface RowData {
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
}

/**
 * A function returning the rows `indices[0 … m)` of `data` (m ≤ capacity) as a data set of the same shape:
 * X and the per-row arrays named by `keys` gathered in batch order, n = m, every other field as in `data`.
 *
 * The rows are copied into buffers allocated here once; each call returns a new object with new views of
 * them (a few small objects, no copy of the storage). New views because a model may keep the last data set
 * it saw by identity (the linear kernels keep X and y resident in WebAssembly memory and compare arrays by
 * identity: datasets are taken as immutable), so a batch must never look like the previous one with other
 * contents.
 */
export function rowBatches<D extends RowData>(
  data: D,
  capacity: number,
  keys: readonly (keyof D & string)[],
): (indices: Int32Array, m: number) => D {
  const { d } = data;
  const X = new Float64Array(capacity * d);
  const columns = keys.map((key) => {
    const src = data[key] as unknown as Float64Array | Int32Array;
    const buffer = src instanceof Int32Array ? new Int32Array(capacity) : new Float64Array(capacity);
    return { key, src, buffer };
  });
  return (indices, m) => {
    gatherRows(X, data.X, d, indices, m);
    const view: Record<string, unknown> = { ...(data as object), X: X.subarray(0, m * d), n: m };
    for (const { key, src, buffer } of columns) {
      gatherValues(buffer as Float64Array, src as Float64Array, indices, m);
      view[key] = buffer.subarray(0, m);
    }
    return view as unknown as D;
  };
}
