import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';

/**
 * The data set with every feature column centred and scaled to unit variance: x′ᵢⱼ = (xᵢⱼ − μⱼ)/σⱼ with μⱼ the
 * column's mean and σⱼ its population standard deviation (scikit-learn's `StandardScaler`); a constant column
 * (σⱼ = 0) is only centred. Labels and every other field are kept; the result is a new frozen object of the
 * same shape (a `Dataset`, `MulticlassDataset` or `RegressionDataset`). Gradient methods with one step size
 * need features on comparable scales: raw real data (e.g. the wine set's proline, in the hundreds, next to
 * hue, near 1) makes a stable step for one column far too small for the others.
 *
 * @example
 * ```ts
 * const data = standardize(dataset([[1, 10], [3, 10]], [1, -1])); // X = [-1, 0, 1, 0]
 * ```
 */
export function standardize<D extends { readonly X: Float64Array; readonly n: number; readonly d: number }>(
  data: D,
): D {
  if (
    typeof data !== 'object' ||
    data === null ||
    !(data.X instanceof Float64Array) ||
    !Number.isInteger(data.n) ||
    !Number.isInteger(data.d) ||
    data.X.length !== data.n * data.d
  ) {
    throw new InvalidInputError(
      'standardize',
      'data',
      `must be a data set { X, n, d, … }, got ${show(data)}`,
    );
  }
  const { X, n, d } = data;
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += X[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const t = X[i * d + j]! - mean[j]!;
      scale[j]! += t * t;
    }
  }
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(scale[j]! / n);
    scale[j] = s > 0 ? s : 1;
  }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) out[i * d + j] = (X[i * d + j]! - mean[j]!) / scale[j]!;
  return Object.freeze({ ...data, X: out });
}
