import { InvalidInputError } from '../errors/index.js';
import type { Rng } from '../rng/types.js';
import { checkNumber, toFiniteVector } from '../util/validate.js';

/** `o[key]` validated as a number by `rule`, or `fallback` when absent. */
export function numberOption(
  fn: string,
  o: Record<string, unknown>,
  key: string,
  fallback: number,
  rule: Parameters<typeof checkNumber>[3],
): number {
  return o[key] === undefined ? fallback : checkNumber(fn, key, o[key], rule);
}

/** `o[key]` validated as a boolean, or `fallback` when absent. */
export function booleanOption(
  fn: string,
  o: Record<string, unknown>,
  key: string,
  fallback: boolean,
): boolean {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new InvalidInputError(fn, key, `must be true or false, got ${String(v)}`);
  return v;
}

/** The seed option: any safe integer, default 0. */
export function seedOption(fn: string, o: Record<string, unknown>): number {
  const seed = numberOption(fn, o, 'seed', 0, { integer: true });
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidInputError(fn, 'seed', `must be a safe integer (|seed| <= 2^53 - 1), got ${seed}`);
  }
  return seed;
}

/** A unit direction in ℝᵈ: the normalized `direction` option, or a uniformly random one drawn from `rng`. */
export function unitDirection(fn: string, o: Record<string, unknown>, d: number, rng: Rng): Float64Array {
  let u: Float64Array;
  if (o.direction !== undefined) {
    u = toFiniteVector(fn, 'direction', o.direction, d);
    if (norm(u) === 0)
      throw new InvalidInputError(fn, 'direction', 'must be a non-zero vector, got all zeros');
  } else {
    u = new Float64Array(d);
    do {
      for (let k = 0; k < d; k++) u[k] = rng.normal();
    } while (norm(u) === 0);
  }
  const s = norm(u);
  for (let k = 0; k < d; k++) u[k] /= s;
  return u;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
  return Math.sqrt(s);
}

/** Class sizes used by every generator: n₋ = ⌊n/2⌋ rows labelled −1 first, then n₊ = n − n₋ rows labelled +1. */
export function classSizes(n: number): { nNeg: number; nPos: number } {
  const nNeg = Math.floor(n / 2);
  return { nNeg, nPos: n - nNeg };
}
