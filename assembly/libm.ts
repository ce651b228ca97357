/**
 * exp and log1p for the WebAssembly kernels: line-for-line ports of fdlibm's e_exp.c and s_log1p.c as V8
 * ships them (src/base/ieee754.cc, the functions behind Node's Math.exp and Math.log1p), including V8's
 * exp(1) = e special case. Their TypeScript twins are src/kernels/libm.ts; the three agree bit for bit
 * (every step is one IEEE double operation in the same order; WebAssembly has no fused multiply-add and no
 * excess precision).
 */

const O_THRESHOLD: f64 = 709.782712893384;
const U_THRESHOLD: f64 = -745.1332191019411;
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
const INV_LN2: f64 = Math.LOG2E;
const P1: f64 = 0.16666666666666602;
const P2: f64 = -0.0027777777777015593;
const P3: f64 = 6.613756321437934e-5;
const P4: f64 = -1.6533902205465252e-6;
const P5: f64 = 4.1381367970572385e-8;
const E: f64 = Math.E;
const TWO_M1000: f64 = 9.332636185032189e-302;
const TWO_1023: f64 = 8.98846567431158e307;

/** e^x, bit for bit as fdlibm's __ieee754_exp in V8. */
// @ts-expect-error: decorator
export function libExp(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const xsb = hx >> 31;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78…: NaN, ±∞, overflow, underflow.
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) !== 0) return x + x;
      return xsb === 0 ? x : 0.0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0.0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2: x = k·ln2 + (hi − lo).
    if (hx < 0x3ff0a2b2) {
      if (x === 1.0) return E;
      hi = x - (xsb === 0 ? LN2_HI : -LN2_HI);
      lo = xsb === 0 ? LN2_LO : -LN2_LO;
      k = 1 - <i32>xsb - <i32>xsb;
    } else {
      k = <i32>(INV_LN2 * x + (xsb === 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2⁻²⁸
    return 1.0 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * TWO_1023;
    return y * reinterpret<f64>((<u64>(<u32>(0x3ff00000 + (k << 20)))) << 32);
  }
  return y * reinterpret<f64>((<u64>(<u32>(0x3ff00000 + ((k + 1000) << 20)))) << 32) * TWO_M1000;
}

/** 2/3 rounded, fdlibm's 0.66666666666666666. */
const TWO_THIRDS: f64 = 0.6666666666666666;
/** The bounds of fdlibm exp's branches as |x| (its tests on the high word of x, see src/kernels/libm.ts). */
const HALF_LN2_UP: f64 = 0.3465735912322998;
const TWO_M28: f64 = 3.725290298461914e-9;

/**
 * e^x in both lanes, each bit for bit {@link libExp}. When both lanes have |x| < 707 and x ≠ 1, every branch
 * fdlibm takes there is one formula in f64x2: with k = 0 for |x| below its ln2/2 bound and trunc(x/ln2 ±
 * 1/2) above (which is ±1 up to 1.5·ln2, where fdlibm writes ±ln2 directly: the same products, since
 * (±1)·ln2 is exact), hi = x − k·ln2_hi, lo = k·ln2_lo, r = hi − lo, the polynomial, then
 * y = 1 − ((lo − r·c/(2 − c)) − hi) times 2^k from its exponent bits (fdlibm's k = 0 form
 * 1 − ((r·c)/(c − 2) − r) is the same number, its quotient exactly negated); 1 + x for |x| < 2⁻²⁸. Every
 * lane is one IEEE operation per scalar step. Other lanes (overflow, underflow, NaN, x = 1): libExp lane by
 * lane.
 */
export function libExp2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const main = v128.and(f64x2.lt(ax, f64x2.splat(707)), f64x2.ne(x, f64x2.splat(1)));
  if (!i64x2.all_true(main)) {
    return f64x2.replace_lane(
      f64x2.splat(libExp(f64x2.extract_lane(x, 0))),
      1,
      libExp(f64x2.extract_lane(x, 1)),
    );
  }
  // ±1/2 with the sign of x; k = 0 below fdlibm's ln2/2 bound.
  const half = v128.or(v128.and(x, i64x2.splat(0x8000000000000000)), f64x2.splat(0.5));
  const k32 = i32x4.trunc_sat_f64x2_s_zero(f64x2.add(f64x2.mul(f64x2.splat(INV_LN2), x), half));
  const small = f64x2.lt(ax, f64x2.splat(HALF_LN2_UP));
  const t = v128.andnot(f64x2.convert_low_i32x4_s(k32), small);
  const k = v128.andnot(i64x2.extend_low_i32x4_s(k32), small);
  const hi = f64x2.sub(x, f64x2.mul(t, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(t, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const tt = f64x2.mul(r, r);
  let poly = f64x2.add(f64x2.splat(P4), f64x2.mul(tt, f64x2.splat(P5)));
  poly = f64x2.add(f64x2.splat(P3), f64x2.mul(tt, poly));
  poly = f64x2.add(f64x2.splat(P2), f64x2.mul(tt, poly));
  poly = f64x2.add(f64x2.splat(P1), f64x2.mul(tt, poly));
  const c = f64x2.sub(r, f64x2.mul(tt, poly));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2), c));
  const y = f64x2.sub(f64x2.splat(1), f64x2.sub(f64x2.sub(lo, q), hi));
  const twopk = i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52);
  const tiny = f64x2.lt(ax, f64x2.splat(TWO_M28));
  return v128.bitselect(f64x2.add(f64x2.splat(1), x), f64x2.mul(y, twopk), tiny);
}

const TWO54: f64 = 1.8014398509481984e16;
const LP1: f64 = 0.6666666666666735;
const LP2: f64 = 0.3999999999940942;
const LP3: f64 = 0.2857142874366239;
const LP4: f64 = 0.22222198432149784;
const LP5: f64 = 0.1818357216161805;
const LP6: f64 = 0.15313837699209373;
const LP7: f64 = 0.14798198605116586;

/** log(1 + x), bit for bit as fdlibm's log1p in V8. */
// @ts-expect-error: decorator
export function libLog1p(x: f64): f64 {
  const hx = <i32>(reinterpret<u64>(x) >> 32);
  const ax = hx & 0x7fffffff;
  let k: i32 = 1;
  let f: f64 = 0;
  let c: f64 = 0;
  let hu: i32 = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2
    if (ax >= 0x3ff00000) {
      // x ≤ −1
      if (x === -1.0) return -Infinity;
      return NaN;
    }
    if (ax < 0x3e200000) {
      // |x| < 2⁻²⁹
      if (TWO54 + x > 0 && ax < 0x3c900000) return x;
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= <i32>0xbfd2bec4) {
      // √2/2 ≤ 1 + x < √2: f = x exactly
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: f64;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = <i32>(reinterpret<u64>(u) >> 32);
      k = (hu >> 20) - 1023;
      // The rounding error of 1 + x, divided by u.
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = <i32>(reinterpret<u64>(u) >> 32);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    const low = reinterpret<u64>(u) & 0xffffffff;
    if (hu < 0x6a09e) {
      u = reinterpret<f64>(((<u64>(<u32>(hu | 0x3ff00000))) << 32) | low);
    } else {
      k += 1;
      u = reinterpret<f64>(((<u64>(<u32>(hu | 0x3fe00000))) << 32) | low);
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  const dk = <f64>k;
  if (hu === 0) {
    // |f| < 2⁻²⁰
    if (f === 0) {
      if (k === 0) return 0;
      c += dk * LN2_LO;
      return dk * LN2_HI + c;
    }
    const r = hfsq * (1.0 - TWO_THIRDS * f);
    if (k === 0) return f - r;
    return dk * LN2_HI - (r - (dk * LN2_LO + c) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const r = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + r));
  return dk * LN2_HI - (hfsq - (s * (hfsq + r) + (dk * LN2_LO + c)) - f);
}

/** libExp as an export (the tests compare it with the TypeScript port and with Math.exp). */
export function exp(x: f64): f64 {
  return libExp(x);
}

/** libExp2 as an export (for the tests): e^x0 and e^x1 into out and out + 8. */
export function exp2(out: usize, x0: f64, x1: f64): void {
  v128.store(out, libExp2(f64x2.replace_lane(f64x2.splat(x0), 1, x1)));
}

/** libLog1p as an export (for the tests). */
export function log1p(x: f64): f64 {
  return libLog1p(x);
}
