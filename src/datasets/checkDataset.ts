import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';
import type { Dataset } from './types.js';

/** True when `data` has the shape shared by Dataset and RegressionDataset: Float64Array X (n·d) and y (n). */
export function hasDataShape(data: unknown): boolean {
  const o = data as Partial<Dataset> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    o.X instanceof Float64Array &&
    o.y instanceof Float64Array &&
    Number.isInteger(o.n) &&
    Number.isInteger(o.d) &&
    (o.n as number) >= 1 &&
    (o.d as number) >= 1 &&
    o.X.length === (o.n as number) * (o.d as number) &&
    o.y.length === o.n
  );
}

/**
 * Internal (not re-exported): throws `INVALID_INPUT` unless `data` has the shape of a {@link Dataset}
 * (Float64Array `X` of length n·d and `y` of length n). For other folders that take a `data` option.
 */
export function checkDataset(fn: string, option: string, data: unknown): Dataset {
  if (!hasDataShape(data)) {
    throw new InvalidInputError(
      fn,
      option,
      `must be a Dataset (build one with dataset(X, y)), got ${show(data)}`,
    );
  }
  return data as Dataset;
}
