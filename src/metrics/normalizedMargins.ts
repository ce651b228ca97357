import { checkDataset } from '../datasets/checkDataset.js';
import type { Dataset } from '../datasets/types.js';
import { norm2 } from '../kernels/vector.js';
import type { Model } from '../models/types.js';
import { checkModelTheta } from './checks.js';

/** Unchecked: writes yᵢ f(θ, xᵢ)/‖θ‖₂^α into `out` (0 for every i at θ = 0); returns `out`. */
export function normalizedMarginsInto(
  out: Float64Array,
  model: Model,
  theta: Float64Array,
  data: Dataset,
): Float64Array {
  model.predict(out, theta, data.X, data.n);
  const nrm = norm2(theta);
  // Divide (one rounding) rather than multiply by a reciprocal (two).
  const denom = nrm ** model.alpha;
  for (let i = 0; i < data.n; i++) out[i] = nrm === 0 ? 0 : (data.y[i]! * out[i]!) / denom;
  return out;
}

/**
 * The normalized margins yᵢ f(θ, xᵢ)/‖θ‖₂^α of every point, α the model's homogeneity degree
 * (scale-free: the same for θ and cθ, c > 0).
 *
 * @example
 * const data = dataset([[1, 0], [0, 1]], [1, -1]);
 * normalizedMargins(linear(2), Float64Array.of(3, -4), data); // [0.6, 0.8]
 */
export function normalizedMargins(model: Model, theta: ArrayLike<number>, data: Dataset): Float64Array {
  checkDataset('normalizedMargins', 'data', data);
  const t = checkModelTheta('normalizedMargins', model, theta, data);
  return normalizedMarginsInto(new Float64Array(data.n), model, t, data);
}

/**
 * The normalized margin γ̃(θ) = minᵢ yᵢ f(θ, xᵢ)/‖θ‖₂^α of the paper (positive iff θ separates the data).
 */
export function normalizedMargin(model: Model, theta: ArrayLike<number>, data: Dataset): number {
  checkDataset('normalizedMargin', 'data', data);
  const t = checkModelTheta('normalizedMargin', model, theta, data);
  const m = normalizedMarginsInto(new Float64Array(data.n), model, t, data);
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < m.length; i++) if (m[i]! < min) min = m[i]!;
  return min;
}

/** The average normalized margin (1/n) Σᵢ yᵢ f(θ, xᵢ)/‖θ‖₂^α (the quantity of the paper's Figure 2b/2d). */
export function averageMargin(model: Model, theta: ArrayLike<number>, data: Dataset): number {
  checkDataset('averageMargin', 'data', data);
  const t = checkModelTheta('averageMargin', model, theta, data);
  const m = normalizedMarginsInto(new Float64Array(data.n), model, t, data);
  let s = 0;
  for (let i = 0; i < m.length; i++) s += m[i]!;
  return s / data.n;
}

/**
 * The fraction of points with yᵢ f(θ, xᵢ) ≤ 0 (a point on the boundary counts as an error).
 */
export function classificationError(model: Model, theta: ArrayLike<number>, data: Dataset): number {
  checkDataset('classificationError', 'data', data);
  const t = checkModelTheta('classificationError', model, theta, data);
  const f = model.predict(new Float64Array(data.n), t, data.X, data.n);
  let errors = 0;
  for (let i = 0; i < data.n; i++) if (data.y[i]! * f[i]! <= 0) errors++;
  return errors / data.n;
}
