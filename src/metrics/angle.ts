import { InvalidInputError } from '../errors/index.js';
import { norm2 } from '../kernels/vector.js';
import { toFiniteVector } from '../util/validate.js';

/**
 * Unchecked ‖a/‖a‖ − b/‖b‖‖₂ and the angle 2·atan2(‖â − b̂‖, ‖â + b̂‖) between nonzero a, b of length n.
 * The atan2 form is accurate for tiny and for near-π angles, where acos of a cosine loses half the digits.
 * Writes [gap, angle] into out.
 */
export function directionGapAndAngle(out: Float64Array, a: Float64Array, b: Float64Array): Float64Array {
  const na = norm2(a);
  const nb = norm2(b);
  let diff = 0;
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const ua = a[j]! / na;
    const ub = b[j]! / nb;
    diff += (ua - ub) * (ua - ub);
    sum += (ua + ub) * (ua + ub);
  }
  const gap = Math.sqrt(diff);
  out[0] = gap;
  out[1] = 2 * Math.atan2(gap, Math.sqrt(sum));
  return out;
}

function pair(fn: string, a: ArrayLike<number>, b: ArrayLike<number>): [Float64Array, Float64Array] {
  const va = toFiniteVector(fn, 'a', a);
  const vb = toFiniteVector(fn, 'b', b, va.length);
  if (va.length === 0) throw new InvalidInputError(fn, 'a', 'must not be empty');
  if (norm2(va) === 0)
    throw new InvalidInputError(fn, 'a', 'must be nonzero (a direction is undefined at 0)');
  if (norm2(vb) === 0)
    throw new InvalidInputError(fn, 'b', 'must be nonzero (a direction is undefined at 0)');
  return [va, vb];
}

/**
 * The angle in radians, in [0, π], between two nonzero vectors, e.g. between θ(t) and the max-margin θ*
 * (the paper's Figure 2a). Computed as 2·atan2(‖â − b̂‖, ‖â + b̂‖), accurate for tiny angles.
 *
 * @example
 * angle([1, 0], [1, 1]); // Math.PI / 4
 */
export function angle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [va, vb] = pair('angle', a, b);
  return directionGapAndAngle(new Float64Array(2), va, vb)[1]!;
}

/**
 * The direction gap ‖a/‖a‖₂ − b/‖b‖₂‖₂ — the left side of the paper's Proposition 1 with a = θ(t),
 * b = θ*. Equals 2·sin(angle/2).
 *
 * @example
 * directionGap([2, 0], [0, 5]); // Math.SQRT2
 */
export function directionGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const [va, vb] = pair('directionGap', a, b);
  return directionGapAndAngle(new Float64Array(2), va, vb)[0]!;
}
