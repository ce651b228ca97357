import { InvalidInputError } from '../errors/index.js';
import { isArrayOrTypedArray, show } from '../util/validate.js';
import { checkDataset } from './checkDataset.js';
import type { Dataset } from './types.js';

const FN = 'subset';

/**
 * The rows of `data` at `indices`, in that order, as a new frozen {@link Dataset} (rows are copied).
 * Repeated indices repeat rows (e.g. a bootstrap sample).
 *
 * @param data - the dataset to take rows from.
 * @param indices - a non-empty `number[]` or integer typed array of row indices in [0, n).
 * @returns `{ X, y, n: indices.length, d: data.d }`.
 * @throws InvalidInputError (`INVALID_INPUT`) if `indices` is empty or has an entry that is not an integer
 *   in [0, n) (naming its position and value).
 * @example
 * ```ts
 * const data = dataset([[1, 0], [0, 1], [-1, 0]], [1, 1, -1]);
 * subset(data, [2, 0]).X; // Float64Array [-1, 0, 1, 0]
 * ```
 */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const { X, y, n, d } = checkDataset(FN, 'data', data);
  const idx = indices as unknown;
  if (!isArrayOrTypedArray(idx)) {
    throw new InvalidInputError(
      FN,
      'indices',
      `must be an array or typed array of row indices, got ${show(idx)}`,
    );
  }
  const list = idx as ArrayLike<unknown>;
  const m = list.length;
  if (m === 0)
    throw new InvalidInputError(FN, 'indices', 'must be non-empty (a Dataset has n >= 1), got length 0');
  const outX = new Float64Array(m * d);
  const outY = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = list[k];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
      throw new InvalidInputError(
        FN,
        `indices[${k}]`,
        `must be an integer row index in [0, ${n - 1}], got ${show(i)}`,
      );
    }
    outX.set(X.subarray(i * d, i * d + d), k * d);
    outY[k] = y[i]!;
  }
  return Object.freeze({ X: outX, y: outY, n: m, d });
}
