/**
 * The conversion of a data matrix X (rows, flat row-major with d, ml-matrix `Matrix`, 2-D ndarray) to a
 * fresh row-major `Float64Array`, shared by {@link dataset} and {@link regressionDataset}. Error messages
 * name the calling function `fn`. Internal: the types are re-exported by `dataset.ts`.
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../errors/index.js';
import { isArrayOrTypedArray, show } from '../util/validate.js';

/** An ml-matrix `Matrix` (or anything with `rows`, `columns` and `get(i, j)`). */
export interface MatrixLike {
  readonly rows: number;
  readonly columns: number;
  get(row: number, column: number): number;
}

/** A 2-D scijs `ndarray` (or anything with a length-2 `shape` and `get(i, j)`; `data`/`stride`/`offset` are used when present). */
export interface NdArrayLike {
  readonly shape: readonly number[];
  get(...indices: number[]): number;
  readonly data?: unknown;
  readonly stride?: readonly number[];
  readonly offset?: number;
}

/**
 * What {@link dataset} accepts as `X`: rows (`number[][]` or an array of typed arrays), a flat row-major
 * `number[]`/typed array (with `d`), an ml-matrix `Matrix` or a 2-D ndarray.
 */
export type DataMatrix = ReadonlyArray<ArrayLike<number>> | ArrayLike<number> | MatrixLike | NdArrayLike;

function fail(fn: string, option: string, message: string): never {
  throw new InvalidInputError(fn, option, message);
}

/** Names the option of entry (i, j) in an error message; only called on failure. */
type EntryName = (i: number, j: number) => string;

const rowsName: EntryName = (i, j) => `X[${i}][${j}]`;
const getName: EntryName = (i, j) => `X.get(${i}, ${j})`;

/** One entry of X as a finite number; the message names the row and the column. */
function entry(fn: string, v: unknown, i: number, j: number, name: EntryName): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'number')
    return fail(fn, name(i, j), `must be finite (row ${i}, column ${j}), got ${show(v)}`);
  if (typeof v === 'bigint') return Number(v);
  return fail(fn, name(i, j), `must be a number (row ${i}, column ${j}), got ${show(v)}`);
}

function checkD(fn: string, d: number | undefined, cols: number, what: string): void {
  if (d !== undefined && d !== cols)
    fail(fn, 'd', `must equal the number of columns of X (${cols}, ${what}), got ${d}`);
}

function fromRows(fn: string, rows: ArrayLike<unknown>, d: number | undefined): RowMajor {
  const n = rows.length;
  const first = rows[0] as ArrayLike<unknown>;
  const cols = first.length;
  if (cols === 0) fail(fn, 'X[0]', 'must have at least one column (d >= 1), got length 0');
  checkD(fn, d, cols, 'the length of row 0');
  const X = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!isArrayOrTypedArray(row))
      fail(fn, `X[${i}]`, `must be an array of numbers (row ${i}), got ${show(row)}`);
    if (row.length !== cols) {
      fail(
        fn,
        `X[${i}]`,
        `must have length ${cols} (the length of row 0; rows must not be ragged), got length ${row.length}`,
      );
    }
    const base = i * cols;
    for (let j = 0; j < cols; j++) X[base + j] = entry(fn, row[j], i, j, rowsName);
  }
  return { X, n, d: cols };
}

function fromFlat(fn: string, flat: ArrayLike<unknown>, d: number | undefined): RowMajor {
  const len = flat.length;
  if (d === undefined) {
    fail(
      fn,
      'd',
      `is required when X is a flat array (the number of columns; X has length ${len}), got undefined`,
    );
  }
  if (len === 0) fail(fn, 'X', 'must have at least one row (n >= 1), got an empty array');
  if (len % d !== 0) fail(fn, 'X', `must have a length divisible by d = ${d}, got length ${len}`);
  const X = new Float64Array(len);
  const flatName: EntryName = (i, j) => `X[${i * d + j}]`;
  for (let i = 0, k = 0; k < len; i++) {
    for (let j = 0; j < d; j++, k++) X[k] = entry(fn, flat[k], i, j, flatName);
  }
  return { X, n: len / d, d };
}

function checkShape(fn: string, n: unknown, cols: unknown, what: string): void {
  if (!Number.isInteger(n) || !Number.isInteger(cols) || (n as number) < 0 || (cols as number) < 0) {
    fail(fn, 'X', `must have integer dimensions, got ${what} of size ${show(n)}×${show(cols)}`);
  }
  if (n === 0) fail(fn, 'X', `must have at least one row (n >= 1), got ${what} of size ${n}×${cols}`);
  if (cols === 0) fail(fn, 'X', `must have at least one column (d >= 1), got ${what} of size ${n}×${cols}`);
}

function fromMatrix(fn: string, m: MatrixLike, d: number | undefined): RowMajor {
  const n = m.rows;
  const cols = m.columns;
  checkShape(fn, n, cols, 'a matrix');
  checkD(fn, d, cols, 'the matrix columns');
  const X = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) X[i * cols + j] = entry(fn, m.get(i, j), i, j, getName);
  }
  return { X, n, d: cols };
}

function fromNdArray(fn: string, a: NdArrayLike, d: number | undefined): RowMajor {
  if (a.shape.length !== 2) fail(fn, 'X', `must be a 2-D ndarray, got shape [${a.shape.join(', ')}]`);
  const n = a.shape[0]!;
  const cols = a.shape[1]!;
  checkShape(fn, n, cols, 'an ndarray');
  checkD(fn, d, cols, 'shape[1] of the ndarray');
  const X = new Float64Array(n * cols);
  const { data, stride, offset } = a;
  // Fast path over the backing store (any strides, including transposed views); generic storage uses get.
  const direct =
    isArrayOrTypedArray(data) && Array.isArray(stride) && stride.length === 2 && typeof offset === 'number';
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) {
      const v = direct ? (data as ArrayLike<unknown>)[offset + i * stride[0]! + j * stride[1]!] : a.get(i, j);
      X[i * cols + j] = entry(fn, v, i, j, getName);
    }
  }
  return { X, n, d: cols };
}

/** A converted data matrix: row-major `X` (n·d entries), n ≥ 1 rows and d ≥ 1 columns. */
export interface RowMajor {
  X: Float64Array;
  n: number;
  d: number;
}

/**
 * True when `X` would be read as a flat row-major array (an array whose first entry is not a row, or a
 * typed array), i.e. when the number of columns must come from elsewhere.
 * @internal
 */
export function isFlatMatrix(X: unknown): boolean {
  if (Array.isArray(X)) return X.length === 0 || !isArrayOrTypedArray(X[0]);
  return isArrayOrTypedArray(X);
}

/**
 * Converts `X` to a fresh row-major Float64Array, validating it as {@link dataset} documents (n ≥ 1,
 * d ≥ 1, no ragged rows, finite numbers, `d` required for flat input and checked otherwise). `d` must
 * already be validated as an integer ≥ 1 when given. Throws `INVALID_INPUT` naming `fn`.
 * @internal
 */
export function toRowMajor(fn: string, X: DataMatrix, d: number | undefined): RowMajor {
  const x = X as unknown;
  if (Array.isArray(x)) {
    if (x.length === 0) fail(fn, 'X', 'must have at least one row (n >= 1), got an empty array');
    return isArrayOrTypedArray(x[0]) ? fromRows(fn, x, d) : fromFlat(fn, x, d);
  }
  if (isArrayOrTypedArray(x)) return fromFlat(fn, x, d);
  if (typeof x === 'object' && x !== null && typeof (x as NdArrayLike).get === 'function') {
    const o = x as Partial<MatrixLike> & Partial<NdArrayLike>;
    if (Array.isArray(o.shape)) return fromNdArray(fn, o as NdArrayLike, d);
    if (o.rows !== undefined && o.columns !== undefined) return fromMatrix(fn, o as MatrixLike, d);
  }
  return fail(
    fn,
    'X',
    `must be number[][], a flat array with d, an ml-matrix Matrix or a 2-D ndarray, got ${show(x)}`,
  );
}
