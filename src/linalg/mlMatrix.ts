/**
 * The one place where row-major `Float64Array` matrices cross into ml-matrix's `Matrix`. Internal to
 * src/linalg: the decompositions of this folder (`singularValues`, `thinSvd`, `svdSolve`,
 * `qrDecomposition`, `symmetricEigen`, `rowSpaceBasis`) wrap ml-matrix so that no other folder imports it.
 * @internal
 * @packageDocumentation
 */
import { Matrix } from 'ml-matrix';
import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';

/**
 * Checks rows, cols (integers ≥ 1) and the length rows·cols of a row-major matrix `A` named `option`;
 * O(1), the entries are not read. @internal
 */
export function checkShape(
  fn: string,
  option: string,
  A: ArrayLike<number>,
  rows: number,
  cols: number,
): void {
  if (!Number.isInteger(rows) || rows < 1) {
    throw new InvalidInputError(fn, 'rows', `must be an integer >= 1, got ${show(rows)}`);
  }
  if (!Number.isInteger(cols) || cols < 1) {
    throw new InvalidInputError(fn, 'cols', `must be an integer >= 1, got ${show(cols)}`);
  }
  if (A.length !== rows * cols) {
    throw new InvalidInputError(fn, option, `must have length rows·cols = ${rows * cols}, got ${A.length}`);
  }
}

/** The rows×cols row-major `A` as an ml-matrix `Matrix` (entry (i, j) = A[i·cols + j], copied). @internal */
export function toMatrix(A: ArrayLike<number>, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, A[i * cols + j]!);
  return m;
}

/** The first `cols` columns of an ml-matrix `Matrix`, row-major (entry (i, j) at i·cols + j). @internal */
export function fromMatrix(m: Matrix, cols: number = m.columns): Float64Array {
  const rows = m.rows;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = m.get(i, j);
  return out;
}
