/**
 * The fused linear pass — margins, loss and gradient of Σᵢ cᵢ e^{shift} ℓ(yᵢ θᵀx̃ᵢ) — in WebAssembly SIMD, one
 * chunk of rows per call, in exactly the order of the TypeScript reference `linearObjectiveRows`
 * (src/kernels/linear.ts), which defines it: a margin's two f64x2 lanes are its even-j and odd-j partial
 * sums (the reference's two accumulators per row), and a gradient update's two lanes are gradⱼ and gradⱼ₊₁.
 * No fused multiply-add, so every lane rounds as the scalar code does, and the loss terms use the fdlibm
 * ports of ./libm (the reference uses their TypeScript twins).
 *
 * X is kept in the module's memory in a packed layout (see {@link linearPack}) that changes no sum, only
 * where each xᵢⱼ sits: every load then comes off one pointer with a constant offset.
 *
 * The pass's settings live in memory at `args` (doubles, the A_* offsets below), written by the caller once
 * per pass, so that worker threads run chunks with nothing but (args, k).
 */
import { libExp, libExp2, libLog1p } from './libm';

/** Byte offsets in `args`: pointers to packed X, y, c, θ, margins and the chunk slots. */
const A_X = 0;
const A_Y = 8;
const A_C = 16;
const A_THETA = 24;
const A_MARGINS = 32;
const A_PART = 40;
/** d; p (d + 1 with an intercept); the loss (0 exponential, 1 logistic); the shift. */
const A_D = 48;
const A_P = 56;
const A_LOSS = 64;
const A_SHIFT = 72;
/** Rows per chunk; n; the stride of a chunk slot in doubles. */
const A_ROWS = 80;
const A_N = 88;
const A_STRIDE = 96;

/**
 * Rearranges the first 8·⌊n/8⌋ rows of the row-major X (n×d, at byte offset X) in place, block by block of
 * eight rows, into the layout the pass reads: in block b, half h (rows 8b + 4h … 8b + 4h + 3) takes 4·d
 * doubles, first the column pairs — pair q holds (x_{r,2q}, x_{r,2q+1}) for r = 0…3 in turn — then, for odd
 * d, the last column's four values. The last n mod 8 rows stay row-major, where they were. `scratch` holds
 * 8·d doubles. Moves values only.
 */
export function linearPack(X: usize, n: i32, d: i32, scratch: usize): void {
  const rowBytes = (<usize>d) << 3;
  const blockBytes = rowBytes << 3;
  const pairs = d >> 1;
  for (let b = 0; b < n >> 3; b++) {
    const block = X + <usize>b * blockBytes;
    memory.copy(scratch, block, blockBytes);
    for (let h = 0; h < 2; h++) {
      let dst = block + <usize>h * (rowBytes << 2);
      const src = scratch + <usize>h * (rowBytes << 2);
      for (let q = 0; q < pairs; q++) {
        const o = (<usize>q) << 4;
        for (let r = 0; r < 4; r++) {
          v128.store(dst, v128.load(src + <usize>r * rowBytes + o));
          dst += 16;
        }
      }
      if (d & 1) {
        const o = (<usize>(d - 1)) << 3;
        for (let r = 0; r < 4; r++) {
          store<f64>(dst, load<f64>(src + <usize>r * rowBytes + o));
          dst += 8;
        }
      }
    }
  }
}

/** The loss of the chunk being computed (per instance, so per thread). */
let lossSum: f64 = 0;

/** The exponential loss's cᵢe^{shift}ℓ′ yᵢ from e = e^{shift − u}, adding cᵢ·e to `lossSum`; 0 for cᵢ = 0. */
function expTerm(e: f64, ci: f64, yi: f64): f64 {
  if (ci === 0) return 0;
  const l = ci * e;
  lossSum += l;
  return -l * yi;
}

/**
 * cᵢ e^{shift} ℓ′(u) yᵢ for one row, adding cᵢ e^{shift} ℓ(u) to `lossSum`; 0 for cᵢ = 0 (ℓ is never
 * evaluated, so an overflowing ℓ cannot turn into 0·∞). The terms of `scaledLossTerms`
 * (src/kernels/marginLoss.ts), step for step. A call, not inlined: the loss code is compiled once.
 */
function coefficient(u: f64, ci: f64, yi: f64, loss: i32, shift: f64): f64 {
  if (ci === 0) return 0;
  if (loss === 0) {
    const l = ci * libExp(shift - u);
    lossSum += l;
    return -l * yi;
  }
  let value: f64;
  let slope: f64;
  if (u >= 0) {
    const z = libExp(-u);
    if (shift === 0) {
      value = libLog1p(z);
      slope = -z / (1 + z);
    } else {
      const zs = libExp(shift - u);
      value = u > 700 ? zs : libLog1p(z) * libExp(shift);
      slope = -zs / (1 + z);
    }
  } else {
    const e = libExp(u);
    if (shift === 0) {
      value = -u + libLog1p(e);
      slope = -1 / (1 + e);
    } else {
      const s = libExp(shift);
      value = (-u + libLog1p(e)) * s;
      slope = -s / (1 + e);
    }
  }
  lossSum += ci * value;
  return ci * slope * yi;
}

/**
 * One chunk: rows [k·rows, min(n, (k + 1)·rows)). Writes the chunk's gradient (p entries), then its loss, at
 * G, using the d doubles from G + ((p + 2) & ~1) doubles on as scratch (the first half block's gradient
 * terms), and the margin of row i at M + (i − k·rows) doubles.
 */
function chunkInto(args: usize, k: i32, G: usize, M: usize): void {
  const X = <usize>load<f64>(args + A_X);
  const y = <usize>load<f64>(args + A_Y);
  const c = <usize>load<f64>(args + A_C);
  const theta = <usize>load<f64>(args + A_THETA);
  const d = <i32>load<f64>(args + A_D);
  const p = <i32>load<f64>(args + A_P);
  const loss = <i32>load<f64>(args + A_LOSS);
  const shift = load<f64>(args + A_SHIFT);
  const rows = <i32>load<f64>(args + A_ROWS);
  const n = <i32>load<f64>(args + A_N);
  const T = G + ((<usize>((p + 2) & ~1)) << 3);
  const start = k * rows;
  const end = min(n, start + rows);
  const b = p > d ? load<f64>(theta + ((<usize>d) << 3)) : 0;
  const rowBytes = (<usize>d) << 3;
  const halfBytes = rowBytes << 2;
  const pairs = d >> 1;
  const last = (<usize>(d - 1)) << 3;
  for (let j = 0; j < p; j++) store<f64>(G + ((<usize>j) << 3), 0);
  lossSum = 0;
  let gb: f64 = 0;
  const blocks = (end - start) >> 3;
  for (let t = 0; t < blocks; t++) {
    const r0 = start + (t << 3);
    const h0 = X + <usize>r0 * rowBytes;
    const h1 = h0 + halfBytes;
    const yp = y + ((<usize>r0) << 3);
    const cp = c + ((<usize>r0) << 3);
    const mp = M + ((<usize>(r0 - start)) << 3);
    // Margins, four rows (a packed half block) at a time: the even-j and odd-j partial sums of each row in
    // the two lanes (j in increasing order, from 0; an odd d's last column goes to the even one), then
    // y·((even + odd) + b).
    for (let h: usize = 0; h < 64; h += 32) {
      let a0 = f64x2.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let q = h0 + h * <usize>d;
      let th = theta;
      // Two column pairs per iteration; each accumulator still adds its products one at a time.
      const end2 = q + ((<usize>(pairs & ~1)) << 6);
      while (q < end2) {
        let t = v128.load(th);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(q), t));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(q, 16), t));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(q, 32), t));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(q, 48), t));
        t = v128.load(th, 16);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(q, 64), t));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(q, 80), t));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(q, 96), t));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(q, 112), t));
        q += 128;
        th += 32;
      }
      if (pairs & 1) {
        const t = v128.load(th);
        a0 = f64x2.add(a0, f64x2.mul(v128.load(q), t));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(q, 16), t));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(q, 32), t));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(q, 48), t));
        q += 64;
      }
      let e0 = f64x2.extract_lane(a0, 0);
      let e1 = f64x2.extract_lane(a1, 0);
      let e2 = f64x2.extract_lane(a2, 0);
      let e3 = f64x2.extract_lane(a3, 0);
      if (d & 1) {
        const tl = load<f64>(theta + last);
        e0 += load<f64>(q) * tl;
        e1 += load<f64>(q, 8) * tl;
        e2 += load<f64>(q, 16) * tl;
        e3 += load<f64>(q, 24) * tl;
      }
      const yh = yp + h;
      const mh = mp + h;
      store<f64>(mh, load<f64>(yh) * (e0 + f64x2.extract_lane(a0, 1) + b));
      store<f64>(mh, load<f64>(yh, 8) * (e1 + f64x2.extract_lane(a1, 1) + b), 8);
      store<f64>(mh, load<f64>(yh, 16) * (e2 + f64x2.extract_lane(a2, 1) + b), 16);
      store<f64>(mh, load<f64>(yh, 24) * (e3 + f64x2.extract_lane(a3, 1) + b), 24);
    }
    // Coefficients in row order (the loss adds up in that order). The exponential loss takes e^{shift − u}
    // two rows at a time (libExp2: each lane libExp's bits), also for rows with c = 0, whose value is
    // then not used.
    let g0: f64;
    let g1: f64;
    let g2: f64;
    let g3: f64;
    let g4: f64;
    let g5: f64;
    let g6: f64;
    let g7: f64;
    if (loss === 0) {
      const sv = f64x2.splat(shift);
      const e01 = libExp2(f64x2.sub(sv, v128.load(mp)));
      const e23 = libExp2(f64x2.sub(sv, v128.load(mp, 16)));
      const e45 = libExp2(f64x2.sub(sv, v128.load(mp, 32)));
      const e67 = libExp2(f64x2.sub(sv, v128.load(mp, 48)));
      g0 = expTerm(f64x2.extract_lane(e01, 0), load<f64>(cp), load<f64>(yp));
      g1 = expTerm(f64x2.extract_lane(e01, 1), load<f64>(cp, 8), load<f64>(yp, 8));
      g2 = expTerm(f64x2.extract_lane(e23, 0), load<f64>(cp, 16), load<f64>(yp, 16));
      g3 = expTerm(f64x2.extract_lane(e23, 1), load<f64>(cp, 24), load<f64>(yp, 24));
      g4 = expTerm(f64x2.extract_lane(e45, 0), load<f64>(cp, 32), load<f64>(yp, 32));
      g5 = expTerm(f64x2.extract_lane(e45, 1), load<f64>(cp, 40), load<f64>(yp, 40));
      g6 = expTerm(f64x2.extract_lane(e67, 0), load<f64>(cp, 48), load<f64>(yp, 48));
      g7 = expTerm(f64x2.extract_lane(e67, 1), load<f64>(cp, 56), load<f64>(yp, 56));
    } else {
      g0 = coefficient(load<f64>(mp), load<f64>(cp), load<f64>(yp), loss, shift);
      g1 = coefficient(load<f64>(mp, 8), load<f64>(cp, 8), load<f64>(yp, 8), loss, shift);
      g2 = coefficient(load<f64>(mp, 16), load<f64>(cp, 16), load<f64>(yp, 16), loss, shift);
      g3 = coefficient(load<f64>(mp, 24), load<f64>(cp, 24), load<f64>(yp, 24), loss, shift);
      g4 = coefficient(load<f64>(mp, 32), load<f64>(cp, 32), load<f64>(yp, 32), loss, shift);
      g5 = coefficient(load<f64>(mp, 40), load<f64>(cp, 40), load<f64>(yp, 40), loss, shift);
      g6 = coefficient(load<f64>(mp, 48), load<f64>(cp, 48), load<f64>(yp, 48), loss, shift);
      g7 = coefficient(load<f64>(mp, 56), load<f64>(cp, 56), load<f64>(yp, 56), loss, shift);
    }
    gb += g0 + g1 + (g2 + g3) + (g4 + g5 + (g6 + g7));
    // gradⱼ += ((g0x0 + g1x1) + (g2x2 + g3x3)) + ((g4x4 + g5x5) + (g6x6 + g7x7)), lanes j and j + 1: the
    // first half block's terms go to T, then the second half's loop adds both (four coefficients in
    // registers per loop, so nothing spills).
    let v0 = f64x2.splat(g0);
    let v1 = f64x2.splat(g1);
    let v2 = f64x2.splat(g2);
    let v3 = f64x2.splat(g3);
    let q = h0;
    let s = T;
    const end0 = h0 + ((<usize>pairs) << 6);
    // Two column pairs per iteration (fewer loop checks); each output is still its own sum.
    const end02 = h0 + ((<usize>(pairs & ~1)) << 6);
    while (q < end02) {
      let s01 = f64x2.add(f64x2.mul(v0, v128.load(q)), f64x2.mul(v1, v128.load(q, 16)));
      let s23 = f64x2.add(f64x2.mul(v2, v128.load(q, 32)), f64x2.mul(v3, v128.load(q, 48)));
      v128.store(s, f64x2.add(s01, s23));
      s01 = f64x2.add(f64x2.mul(v0, v128.load(q, 64)), f64x2.mul(v1, v128.load(q, 80)));
      s23 = f64x2.add(f64x2.mul(v2, v128.load(q, 96)), f64x2.mul(v3, v128.load(q, 112)));
      v128.store(s, f64x2.add(s01, s23), 16);
      q += 128;
      s += 32;
    }
    if (pairs & 1) {
      const s01 = f64x2.add(f64x2.mul(v0, v128.load(q)), f64x2.mul(v1, v128.load(q, 16)));
      const s23 = f64x2.add(f64x2.mul(v2, v128.load(q, 32)), f64x2.mul(v3, v128.load(q, 48)));
      v128.store(s, f64x2.add(s01, s23));
    }
    v0 = f64x2.splat(g4);
    v1 = f64x2.splat(g5);
    v2 = f64x2.splat(g6);
    v3 = f64x2.splat(g7);
    q = h1;
    s = T;
    let g = G;
    const end1 = h1 + ((<usize>pairs) << 6);
    const end12 = h1 + ((<usize>(pairs & ~1)) << 6);
    while (q < end12) {
      let s45 = f64x2.add(f64x2.mul(v0, v128.load(q)), f64x2.mul(v1, v128.load(q, 16)));
      let s67 = f64x2.add(f64x2.mul(v2, v128.load(q, 32)), f64x2.mul(v3, v128.load(q, 48)));
      v128.store(g, f64x2.add(v128.load(g), f64x2.add(v128.load(s), f64x2.add(s45, s67))));
      s45 = f64x2.add(f64x2.mul(v0, v128.load(q, 64)), f64x2.mul(v1, v128.load(q, 80)));
      s67 = f64x2.add(f64x2.mul(v2, v128.load(q, 96)), f64x2.mul(v3, v128.load(q, 112)));
      v128.store(g, f64x2.add(v128.load(g, 16), f64x2.add(v128.load(s, 16), f64x2.add(s45, s67))), 16);
      q += 128;
      s += 32;
      g += 32;
    }
    if (pairs & 1) {
      const s45 = f64x2.add(f64x2.mul(v0, v128.load(q)), f64x2.mul(v1, v128.load(q, 16)));
      const s67 = f64x2.add(f64x2.mul(v2, v128.load(q, 32)), f64x2.mul(v3, v128.load(q, 48)));
      v128.store(g, f64x2.add(v128.load(g), f64x2.add(v128.load(s), f64x2.add(s45, s67))));
    }
    if (d & 1) {
      const s0123 =
        g0 * load<f64>(end0) +
        g1 * load<f64>(end0, 8) +
        (g2 * load<f64>(end0, 16) + g3 * load<f64>(end0, 24));
      const s4567 =
        g4 * load<f64>(end1) +
        g5 * load<f64>(end1, 8) +
        (g6 * load<f64>(end1, 16) + g7 * load<f64>(end1, 24));
      store<f64>(G + last, load<f64>(G + last) + (s0123 + s4567));
    }
  }
  // The last (end − start) mod 8 rows (row-major in X), one at a time.
  for (let i = start + (blocks << 3); i < end; i++) {
    const xi = X + <usize>i * rowBytes;
    const io = (<usize>i) << 3;
    const yi = load<f64>(y + io);
    let a = f64x2.splat(0);
    for (let j = 0; j < pairs; j++) {
      const o = (<usize>j) << 4;
      a = f64x2.add(a, f64x2.mul(v128.load(xi + o), v128.load(theta + o)));
    }
    let even = f64x2.extract_lane(a, 0);
    if (d & 1) even += load<f64>(xi + last) * load<f64>(theta + last);
    const u = yi * (even + f64x2.extract_lane(a, 1) + b);
    store<f64>(M + ((<usize>(i - start)) << 3), u);
    const ci = load<f64>(c + io);
    if (ci === 0) continue;
    const g = coefficient(u, ci, yi, loss, shift);
    const v = f64x2.splat(g);
    for (let j = 0; j < pairs; j++) {
      const o = (<usize>j) << 4;
      v128.store(G + o, f64x2.add(v128.load(G + o), f64x2.mul(v, v128.load(xi + o))));
    }
    if (d & 1) store<f64>(G + last, load<f64>(G + last) + g * load<f64>(xi + last));
    gb += g;
  }
  if (p > d) store<f64>(G + ((<usize>d) << 3), gb);
  store<f64>(G + ((<usize>p) << 3), lossSum);
}

/** Chunk k into place: its gradient and loss into slot k (part + k·stride doubles), its margins into margins. */
export function linearChunk(args: usize, k: i32): void {
  const stride = <usize>load<f64>(args + A_STRIDE);
  const rows = <usize>load<f64>(args + A_ROWS);
  const G = <usize>load<f64>(args + A_PART) + ((<usize>k * stride) << 3);
  chunkInto(args, k, G, <usize>load<f64>(args + A_MARGINS) + ((<usize>k * rows) << 3));
}

/**
 * Chunk k into a thread's scratch of stride + rows doubles: gradient, loss and the kernel's scratch as in a
 * slot, then the chunk's margins. {@link linearCommit} copies it into place.
 */
export function linearChunkTo(args: usize, k: i32, scratch: usize): void {
  chunkInto(args, k, scratch, scratch + ((<usize>load<f64>(args + A_STRIDE)) << 3));
}

/** Copies chunk k from a scratch {@link linearChunkTo} filled into place (slot k and the margins). */
export function linearCommit(args: usize, k: i32, scratch: usize): void {
  const p = <usize>load<f64>(args + A_P);
  const stride = <usize>load<f64>(args + A_STRIDE);
  const rows = <i32>load<f64>(args + A_ROWS);
  const n = <i32>load<f64>(args + A_N);
  const start = k * rows;
  const count = <usize>(min(n, start + rows) - start);
  memory.copy(<usize>load<f64>(args + A_PART) + ((<usize>k * stride) << 3), scratch, (p + 1) << 3);
  memory.copy(
    <usize>load<f64>(args + A_MARGINS) + ((<usize>start) << 3),
    scratch + (stride << 3),
    count << 3,
  );
}

/** Chunks k0 … k1 − 1, in order, on this thread, into place. */
export function linearChunks(args: usize, k0: i32, k1: i32): void {
  for (let k = k0; k < k1; k++) linearChunk(args, k);
}

/**
 * out = slot 0 + slot 1 + … + slot (chunks − 1), left to right, for the p gradient entries and the loss
 * (entry p); returns the loss. Lanes: entries j and j + 1.
 */
export function linearReduce(args: usize, out: usize, chunks: i32): f64 {
  const p = <i32>load<f64>(args + A_P);
  const stride = (<usize>load<f64>(args + A_STRIDE)) << 3;
  const part = <usize>load<f64>(args + A_PART);
  const p2 = (p + 1) & ~1;
  for (let j = 0; j < p2; j += 2) {
    const o = (<usize>j) << 3;
    let s = v128.load(part + o);
    let q = part + stride;
    for (let k = 1; k < chunks; k++) {
      s = f64x2.add(s, v128.load(q + o));
      q += stride;
    }
    v128.store(out + o, s);
  }
  if (p2 === p) {
    const o = (<usize>p) << 3;
    let s = load<f64>(part + o);
    let q = part + stride;
    for (let k = 1; k < chunks; k++) {
      s += load<f64>(q + o);
      q += stride;
    }
    store<f64>(out + o, s);
  }
  return load<f64>(out + ((<usize>p) << 3));
}
