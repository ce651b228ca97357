/**
 * Input handling shared by the interpolant references. Not part of the public API.
 * @internal
 * @packageDocumentation
 */
import { type DataMatrix, isFlatMatrix, toRowMajor } from '../../datasets/dataMatrix.js';
import { InvalidInputError } from '../../errors/index.js';
import { toFiniteVector } from '../../util/validate.js';

/** A validated linear system Xw = y with a starting point w₀. @internal */
export interface Problem {
  X: Float64Array;
  y: Float64Array;
  w0: Float64Array;
  n: number;
  d: number;
}

/**
 * Reads X (rows, ml-matrix `Matrix`, 2-D ndarray, or a flat row-major array whose column count d is
 * w0's length, else X.length / y.length), y (length n) and w0 (length d, default zeros).
 * @internal
 */
export function readProblem(
  fn: string,
  X: DataMatrix,
  y: ArrayLike<number>,
  w0?: ArrayLike<number>,
): Problem {
  const flat = isFlatMatrix(X);
  const start = w0 === undefined ? null : toFiniteVector(fn, 'w0', w0);
  if (start !== null && start.length === 0) {
    throw new InvalidInputError(fn, 'w0', 'must have length d >= 1, got length 0');
  }
  let flatD: number | undefined;
  if (flat) {
    // Flat X: d is w0's length, else (X's length)/n with n = y's length.
    const targets = toFiniteVector(fn, 'y', y);
    const len = (X as ArrayLike<unknown>).length;
    flatD =
      start?.length ?? (targets.length > 0 && len % targets.length === 0 ? len / targets.length : undefined);
    if (flatD === undefined || flatD < 1) {
      throw new InvalidInputError(
        fn,
        'X',
        `is flat with length ${len}, which is not n·d for n = y.length = ${targets.length}; pass w0 (length d) or rows`,
      );
    }
  }
  const m = toRowMajor(fn, X, flatD);
  if (start !== null && start.length !== m.d) {
    throw new InvalidInputError(
      fn,
      'w0',
      `must have length d = ${m.d} (the columns of X), got length ${start.length}`,
    );
  }
  const targets = toFiniteVector(fn, 'y', y, m.n);
  return { X: m.X, y: targets, w0: start ?? new Float64Array(m.d), n: m.n, d: m.d };
}

/** r = Xw − y into `out` (length n); returns out. @internal */
export function residual(
  out: Float64Array,
  X: Float64Array,
  w: Float64Array,
  y: Float64Array,
  n: number,
  d: number,
): Float64Array {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += X[o + j]! * w[j]!;
    out[i] = s - y[i]!;
  }
  return out;
}
