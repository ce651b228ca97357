/**
 * The library's own e^x and log(1 + x): line-for-line ports of fdlibm's e_exp.c and s_log1p.c as V8 ships
 * them (src/base/ieee754.cc, behind Node's `Math.exp` and `Math.log1p`, including V8's exp(1) = e special
 * case). Every step is one IEEE double operation in fdlibm's order, so the result is the same bits in every
 * JavaScript engine — and the same as the WebAssembly kernels' twins in assembly/libm.ts, and (tested) as
 * Node 20's `Math.exp`/`Math.log1p`. Other engines' `Math.exp` may differ from these by an ulp (Chromium
 * 156 on ~8% of inputs), which is why the kernels whose results must not depend on the engine or the
 * backend (the linear pass, {@link scaledLossTerms}) use these.
 * @packageDocumentation
 */

// Bit access to a double: one shared scratch (kernels are synchronous), the high word's index by the
// platform's byte order.
const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);
const HI = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const O_THRESHOLD = 709.782712893384;
const U_THRESHOLD = -745.1332191019411;
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 6.613756321437934e-5;
const P4 = -1.6533902205465252e-6;
const P5 = 4.1381367970572385e-8;
const E = Math.E;
const TWO_M1000 = 9.332636185032189e-302;
const TWO_1023 = 8.98846567431158e307;

/** 2^e for e = −1021 … 1023 (exact), at index e + 1021: fdlibm's INSERT_WORDS(twopk, …) as a table. */
const POW2 = new Float64Array(2045);
for (let e = -1021; e <= 1023; e++) {
  i32[HI] = (0x3ff00000 + (e << 20)) | 0;
  i32[LO] = 0;
  POW2[e + 1021] = f64[0]!;
}

/**
 * Thresholds on |x| equivalent to fdlibm's tests on the high word hx of x (positive doubles order as their
 * bits do): hx ≥ 0x40862e42, hx > 0x3fd62e42, hx < 0x3ff0a2b2, hx < 0x3e300000. So the port needs no bit
 * access (≈ 3× faster in V8 than reading the words through a typed array).
 */
const EXP_BIG = 709.7822265625;
const HALF_LN2_UP = 0.3465735912322998;
const THREE_HALF_LN2 = 1.0397205352783203;
const TWO_M28 = 3.725290298461914e-9;

/**
 * e^x, bit for bit as fdlibm's `__ieee754_exp` in V8 (so as Node 20's `Math.exp`), in every engine.
 *
 * @example
 * ```ts
 * libExp(1); // 2.718281828459045
 * ```
 */
export function libExp(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < EXP_BIG)) {
    // |x| ≥ 709.78…: NaN, ±∞, overflow, underflow.
    if (Number.isNaN(x)) return x + x;
    if (ax === Number.POSITIVE_INFINITY) return x > 0 ? Number.POSITIVE_INFINITY : 0;
    if (x > O_THRESHOLD) return Number.POSITIVE_INFINITY;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax >= HALF_LN2_UP) {
    // |x| > ln2/2: x = k·ln2 + (hi − lo).
    if (ax < THREE_HALF_LN2) {
      if (x === 1) return E;
      const neg = x < 0;
      hi = x - (neg ? -LN2_HI : LN2_HI);
      lo = neg ? -LN2_LO : LN2_LO;
      k = neg ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < TWO_M28) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2 * TWO_1023;
    return y * POW2[k + 1021]!;
  }
  return y * POW2[k + 1000 + 1021]! * TWO_M1000;
}

/** 2/3 rounded, fdlibm's 0.66666666666666666. */
const TWO_THIRDS = 0.6666666666666666;
const TWO54 = 1.8014398509481984e16;
const LP1 = 0.6666666666666735;
const LP2 = 0.3999999999940942;
const LP3 = 0.2857142874366239;
const LP4 = 0.22222198432149784;
const LP5 = 0.1818357216161805;
const LP6 = 0.15313837699209373;
const LP7 = 0.14798198605116586;

/**
 * log(1 + x), bit for bit as fdlibm's `log1p` in V8 (so as Node 20's `Math.log1p`), in every engine.
 *
 * @example
 * ```ts
 * libLog1p(1); // 0.6931471805599453
 * ```
 */
export function libLog1p(x: number): number {
  f64[0] = x;
  const hx = i32[HI]!;
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2
    if (ax >= 0x3ff00000) {
      // x ≤ −1
      return x === -1 ? Number.NEGATIVE_INFINITY : Number.NaN;
    }
    if (ax < 0x3e200000) {
      // |x| < 2⁻²⁹
      if (TWO54 + x > 0 && ax < 0x3c900000) return x;
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // √2/2 ≤ 1 + x < √2: f = x exactly
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      f64[0] = u;
      hu = i32[HI]!;
      k = (hu >> 20) - 1023;
      // The rounding error of 1 + x, divided by u.
      c = k > 0 ? 1 - (u - x) : x - (u - 1);
      c /= u;
    } else {
      u = x;
      f64[0] = u;
      hu = i32[HI]!;
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    // f64[0] still holds u: replace its high word (normalize u or u/2).
    if (hu < 0x6a09e) {
      i32[HI] = hu | 0x3ff00000;
    } else {
      k += 1;
      i32[HI] = hu | 0x3fe00000;
      hu = (0x00100000 - hu) >> 2;
    }
    f = f64[0]! - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2⁻²⁰
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const r = hfsq * (1 - TWO_THIRDS * f);
    if (k === 0) return f - r;
    return k * LN2_HI - (r - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const r = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + r));
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + (k * LN2_LO + c)) - f);
}
