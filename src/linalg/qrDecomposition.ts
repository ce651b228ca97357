import { Matrix, QrDecomposition } from 'ml-matrix';
import { checkShape, fromMatrix, toMatrix } from './mlMatrix.js';

/** What {@link qrDecomposition} returns: A = QR with A rows×cols (rows ≥ cols). */
export interface QrFactor {
  readonly rows: number;
  readonly cols: number;
  /** R: cols×cols, row-major, upper triangular (its diagonal may be negative). */
  readonly R: Float64Array;
  /** Q: rows×cols, row-major, orthonormal columns (formed on each call). */
  orthogonal(): Float64Array;
  /**
   * The least-squares solution x of A x ≈ b (length cols) from the Householder reflectors and R. Throws
   * when A is exactly rank deficient (a zero on R's diagonal): check R's diagonal first.
   */
  solve(b: ArrayLike<number>): Float64Array;
}

/**
 * The Householder QR decomposition A = QR of a rows×cols row-major matrix with rows ≥ cols (ml-matrix's
 * `QrDecomposition`). Internal (not re-exported from the package root).
 *
 * @param A - rows×cols, row-major, rows ≥ cols.
 * @param rows - an integer ≥ 1.
 * @param cols - an integer ≥ 1.
 * @returns `{ rows, cols, R, orthogonal(), solve(b) }`, see {@link QrFactor}.
 * @throws InvalidInputError (`INVALID_INPUT`) on a bad shape.
 * @internal
 */
export function qrDecomposition(A: ArrayLike<number>, rows: number, cols: number): QrFactor {
  checkShape('qrDecomposition', 'A', A, rows, cols);
  const qr = new QrDecomposition(toMatrix(A, rows, cols));
  return {
    rows,
    cols,
    R: fromMatrix(qr.upperTriangularMatrix),
    orthogonal: () => fromMatrix(qr.orthogonalMatrix),
    solve: (b) => Float64Array.from(qr.solve(Matrix.columnVector(Array.from(b))).to1DArray()),
  };
}
