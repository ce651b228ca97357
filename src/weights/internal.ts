import { InvalidInputError } from '../errors/index.js';
import { show, toFiniteVector } from '../util/validate.js';

/** Internal: a finite, non-negative copy of `w` (length `n` when given, else ≥ 1). */
export function nonnegativeVector(fn: string, option: string, w: unknown, n?: number): Float64Array {
  const v = toFiniteVector(fn, option, w, n);
  if (v.length === 0) throw new InvalidInputError(fn, option, 'must not be empty');
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0) throw new InvalidInputError(fn, `${option}[${i}]`, `must be >= 0, got ${show(v[i])}`);
  }
  return v;
}

/**
 * Internal: rescales the non-negative `w` in place so that Σ wᵢ = `total`, dividing by the largest entry
 * first so that the sum cannot overflow. Throws when every entry is 0.
 */
export function scaleToTotalInPlace(
  fn: string,
  option: string,
  w: Float64Array,
  total: number,
): Float64Array {
  let max = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > max) max = w[i]!;
  if (!(max > 0)) throw new InvalidInputError(fn, option, 'must not be all zero');
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! / max;
  const f = total / s;
  for (let i = 0; i < w.length; i++) w[i] = (w[i]! / max) * f;
  return w;
}

/** Internal: the class sizes n₋ (y = −1) and n₊ (y = +1) of a validated Dataset's labels. */
export function classCounts(y: Float64Array): { nNeg: number; nPos: number } {
  let nPos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) nPos++;
  return { nNeg: y.length - nPos, nPos };
}
