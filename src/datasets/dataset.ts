import { InvalidInputError } from '../errors/index.js';
import { checkNumber, show, toFiniteVector } from '../util/validate.js';
import type { Dataset } from './types.js';

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

const FN = 'dataset';

function fail(option: string, message: string): never {
  throw new InvalidInputError(FN, option, message);
}

function isArrayLikeRow(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Names the option of entry (i, j) in an error message; only called on failure. */
type EntryName = (i: number, j: number) => string;

const rowsName: EntryName = (i, j) => `X[${i}][${j}]`;
const getName: EntryName = (i, j) => `X.get(${i}, ${j})`;

/** One entry of X as a finite number; the message names the row and the column. */
function entry(v: unknown, i: number, j: number, name: EntryName): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'number')
    return fail(name(i, j), `must be finite (row ${i}, column ${j}), got ${show(v)}`);
  if (typeof v === 'bigint') return Number(v);
  return fail(name(i, j), `must be a number (row ${i}, column ${j}), got ${show(v)}`);
}

function checkD(d: number | undefined, cols: number, what: string): void {
  if (d !== undefined && d !== cols)
    fail('d', `must equal the number of columns of X (${cols}, ${what}), got ${d}`);
}

function fromRows(
  rows: ArrayLike<unknown>,
  d: number | undefined,
): { X: Float64Array; n: number; d: number } {
  const n = rows.length;
  const first = rows[0] as ArrayLike<unknown>;
  const cols = first.length;
  if (cols === 0) fail('X[0]', 'must have at least one column (d >= 1), got length 0');
  checkD(d, cols, 'the length of row 0');
  const X = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!isArrayLikeRow(row)) fail(`X[${i}]`, `must be an array of numbers (row ${i}), got ${show(row)}`);
    if (row.length !== cols) {
      fail(
        `X[${i}]`,
        `must have length ${cols} (the length of row 0; rows must not be ragged), got length ${row.length}`,
      );
    }
    const base = i * cols;
    for (let j = 0; j < cols; j++) X[base + j] = entry(row[j], i, j, rowsName);
  }
  return { X, n, d: cols };
}

function fromFlat(
  flat: ArrayLike<unknown>,
  d: number | undefined,
): { X: Float64Array; n: number; d: number } {
  const len = flat.length;
  if (d === undefined) {
    fail(
      'd',
      `is required when X is a flat array (the number of columns; X has length ${len}), got undefined`,
    );
  }
  if (len === 0) fail('X', 'must have at least one row (n >= 1), got an empty array');
  if (len % d !== 0) fail('X', `must have a length divisible by d = ${d}, got length ${len}`);
  const X = new Float64Array(len);
  const flatName: EntryName = (i, j) => `X[${i * d + j}]`;
  for (let i = 0, k = 0; k < len; i++) {
    for (let j = 0; j < d; j++, k++) X[k] = entry(flat[k], i, j, flatName);
  }
  return { X, n: len / d, d };
}

function checkShape(n: unknown, cols: unknown, what: string): void {
  if (!Number.isInteger(n) || !Number.isInteger(cols) || (n as number) < 0 || (cols as number) < 0) {
    fail('X', `must have integer dimensions, got ${what} of size ${show(n)}×${show(cols)}`);
  }
  if (n === 0) fail('X', `must have at least one row (n >= 1), got ${what} of size ${n}×${cols}`);
  if (cols === 0) fail('X', `must have at least one column (d >= 1), got ${what} of size ${n}×${cols}`);
}

function fromMatrix(m: MatrixLike, d: number | undefined): { X: Float64Array; n: number; d: number } {
  const n = m.rows;
  const cols = m.columns;
  checkShape(n, cols, 'a matrix');
  checkD(d, cols, 'the matrix columns');
  const X = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) X[i * cols + j] = entry(m.get(i, j), i, j, getName);
  }
  return { X, n, d: cols };
}

function fromNdArray(a: NdArrayLike, d: number | undefined): { X: Float64Array; n: number; d: number } {
  if (a.shape.length !== 2) fail('X', `must be a 2-D ndarray, got shape [${a.shape.join(', ')}]`);
  const n = a.shape[0]!;
  const cols = a.shape[1]!;
  checkShape(n, cols, 'an ndarray');
  checkD(d, cols, 'shape[1] of the ndarray');
  const X = new Float64Array(n * cols);
  const { data, stride, offset } = a;
  // Fast path over the backing store (any strides, including transposed views); generic storage uses get.
  const direct =
    isArrayLikeRow(data) && Array.isArray(stride) && stride.length === 2 && typeof offset === 'number';
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) {
      const v = direct ? (data as ArrayLike<unknown>)[offset + i * stride[0]! + j * stride[1]!] : a.get(i, j);
      X[i * cols + j] = entry(v, i, j, getName);
    }
  }
  return { X, n, d: cols };
}

function toLabels(y: unknown, n: number): Float64Array {
  if (isArrayLikeRow(y) && y.length !== n) {
    fail('y', `must have length n = ${n} (one label per row of X), got length ${y.length}`);
  }
  const out = toFiniteVector(FN, 'y', y, n);
  for (let i = 0; i < n; i++) {
    const v = out[i]!;
    if (v !== 1 && v !== -1) {
      const zeroOne = out.every((u) => u === 0 || u === 1);
      const hint = zeroOne
        ? '; for {0,1} labels use y.map(v => 2 * v - 1)'
        : '; map your labels to -1/+1 before calling dataset';
      fail(`y[${i}]`, `must be -1 or +1, got ${show(v)}${hint}`);
    }
  }
  return out;
}

/**
 * Builds a validated {@link Dataset}: a fresh contiguous row-major copy of `X` (row i of the n×d matrix is
 * `X[i·d … i·d + d − 1]`) and the labels `y` ∈ {−1, +1}ⁿ, in a frozen object `{ X, y, n, d }`.
 *
 * `X` may be
 * - rows: `number[][]` (or an array of typed arrays), all of the same length d;
 * - flat: a row-major `number[]` or typed array of length n·d, with `d` given;
 * - an ml-matrix `Matrix` (anything with `rows`, `columns`, `get(i, j)`);
 * - a 2-D scijs `ndarray` (any strides and offset).
 *
 * The input is never aliased: later changes to `X` or `y` do not affect the dataset.
 *
 * @param X - the n×d inputs, n ≥ 1 and d ≥ 1.
 * @param y - n labels, each exactly −1 or +1 (for {0, 1} labels pass `y.map(v => 2 * v - 1)`).
 * @param d - the number of columns; required for flat `X`, and checked against the shape otherwise.
 * @returns a frozen `{ X: Float64Array, y: Float64Array, n, d }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for n = 0 or d = 0, ragged rows (naming the row and both
 *   lengths), non-numbers or NaN/±Infinity (naming the row and column), a flat length not divisible by d,
 *   a missing `d` for flat input, `y.length ≠ n`, and labels other than ±1.
 * @example
 * ```ts
 * const data = dataset([[1, 2], [-1, -3]], [1, -1]);
 * data.n; // 2
 * data.X; // Float64Array [1, 2, -1, -3]
 * dataset(new Float64Array([1, 2, -1, -3]), [1, -1], 2); // the same data, from a flat array
 * ```
 */
export function dataset(X: DataMatrix, y: ArrayLike<number>, d?: number): Dataset {
  if (d !== undefined) checkNumber(FN, 'd', d, { integer: true, min: 1 });
  let m: { X: Float64Array; n: number; d: number };
  const x = X as unknown;
  if (Array.isArray(x)) {
    if (x.length === 0) fail('X', 'must have at least one row (n >= 1), got an empty array');
    m = isArrayLikeRow(x[0]) ? fromRows(x, d) : fromFlat(x, d);
  } else if (isArrayLikeRow(x)) {
    m = fromFlat(x, d);
  } else if (typeof x === 'object' && x !== null && typeof (x as NdArrayLike).get === 'function') {
    const o = x as Partial<MatrixLike> & Partial<NdArrayLike>;
    if (Array.isArray(o.shape)) m = fromNdArray(o as NdArrayLike, d);
    else if (o.rows !== undefined && o.columns !== undefined) m = fromMatrix(o as MatrixLike, d);
    else
      return fail(
        'X',
        `must be number[][], a flat array with d, an ml-matrix Matrix or a 2-D ndarray, got ${show(x)}`,
      );
  } else {
    return fail(
      'X',
      `must be number[][], a flat array with d, an ml-matrix Matrix or a 2-D ndarray, got ${show(x)}`,
    );
  }
  const labels = toLabels(y, m.n);
  return Object.freeze({ X: m.X, y: labels, n: m.n, d: m.d });
}
