/** Σᵢ a[i]·b[i] over the first n entries, four accumulators (independent chains) plus a clean-up loop. */
export function dot(a: Float64Array, b: Float64Array, n: number = a.length): number {
  const n4 = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * ‖a‖₂ over the first n entries, scaled by the largest |aᵢ| (LAPACK dnrm2 style) so that it neither
 * overflows nor underflows for any finite input.
 */
export function norm2(a: Float64Array, n: number = a.length): number {
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(a[i]!);
    if (v > scale) scale = v;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  if (scale > 1e-150 && scale < 1e150) return Math.sqrt(dot(a, a, n));
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** out = a (copy of the first n entries); returns out. */
export function copy(out: Float64Array, a: Float64Array, n: number = a.length): Float64Array {
  for (let i = 0; i < n; i++) out[i] = a[i]!;
  return out;
}

/** True when every one of the first n entries is finite. */
export function allFinite(a: Float64Array, n: number = a.length): boolean {
  for (let i = 0; i < n; i++) {
    // x − x is NaN exactly for NaN and ±Infinity.
    if (a[i]! - a[i]! !== 0) return false;
  }
  return true;
}
