/**
 * The WebAssembly SIMD (f64x2) kernels of implicit-bias, in AssemblyScript. Built at build time by
 * scripts/build-wasm.mjs into src/kernels/wasm/module.ts (not in git) and loaded by src/kernels/wasm/.
 *
 * Every kernel here gives the same bits as its TypeScript reference in src/kernels (the reference and the
 * fallback): each output is one sum in a fixed order, the order the TypeScript loops use, and the SIMD
 * lanes hold different outputs (never two parts of one sum). WebAssembly's f64x2.mul and f64x2.add round
 * each lane as scalar f64 multiply and add do (there is no fused multiply-add here), so a lane computes
 * exactly what the scalar loop computes. Arguments are byte offsets into the imported memory.
 */

/** Rows of B per k-block: a packed 4-column panel of KC rows is 8 KiB and stays in L1 while it is reused. */
const KC: i32 = 256;
/** Rows of A per block: MC·KC doubles (128 KiB) stay in L2 while every panel of the k-block passes over them. */
const MC: i32 = 64;

/**
 * C (m×n) += A (m×k) · B (k×n), all row-major. For every output, c_ij ← c_ij + a_i0·b_0j, then + a_i1·b_1j,
 * …, in order of k (one accumulator; each product rounded, then added). `panel` is scratch of KC·n doubles.
 *
 * Blocking, which changes the order of no sum (BLIS's loops): k in blocks of KC; in each, all of B's
 * 4-column panels are packed contiguously once; then A's rows in blocks of MC; in each, every panel runs over
 * the block's 4×4 tiles of C, held in eight f64x2 registers while the k-block runs (A's entries are loaded
 * and splatted with one v128.load64_splat).
 */
export function gemmNN(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, panel: usize): void {
  const rowA = (<usize>k) << 3;
  const rowB = (<usize>n) << 3;
  const rowC = (<usize>n) << 3;
  const n4 = n & ~3;
  for (let kk = 0; kk < k; kk += KC) {
    const kc = min(KC, k - kk);
    const aBase = a + ((<usize>kk) << 3);
    // Pack every 4-column panel of B[kk .. kk + kc) once (panel p at panel + p·kc·32 bytes).
    for (let j = 0; j < n4; j += 4) {
      let src = b + <usize>kk * rowB + ((<usize>j) << 3);
      let dst = panel + <usize>(j >> 2) * <usize>kc * 32;
      for (let q = 0; q < kc; q++) {
        v128.store(dst, v128.load(src));
        v128.store(dst + 16, v128.load(src + 16));
        src += rowB;
        dst += 32;
      }
    }
    for (let i0 = 0; i0 < m; i0 += MC) {
      const i1 = min(m, i0 + MC);
      const i4 = i0 + ((i1 - i0) & ~3);
      for (let j = 0; j < n4; j += 4) {
        const pj = panel + <usize>(j >> 2) * <usize>kc * 32;
        const cCol = c + ((<usize>j) << 3);
        for (let i = i0; i < i4; i += 4) {
          const a0 = aBase + <usize>i * rowA;
          const a1 = a0 + rowA;
          const a2 = a1 + rowA;
          const a3 = a2 + rowA;
          const c0 = cCol + <usize>i * rowC;
          const c1 = c0 + rowC;
          const c2 = c1 + rowC;
          const c3 = c2 + rowC;
          let s00 = v128.load(c0);
          let s01 = v128.load(c0 + 16);
          let s10 = v128.load(c1);
          let s11 = v128.load(c1 + 16);
          let s20 = v128.load(c2);
          let s21 = v128.load(c2 + 16);
          let s30 = v128.load(c3);
          let s31 = v128.load(c3 + 16);
          let p = pj;
          for (let q = 0; q < kc; q++) {
            const off = (<usize>q) << 3;
            const b0 = v128.load(p);
            const b1 = v128.load(p + 16);
            const x0 = v128.load64_splat(a0 + off);
            const x1 = v128.load64_splat(a1 + off);
            const x2 = v128.load64_splat(a2 + off);
            const x3 = v128.load64_splat(a3 + off);
            s00 = f64x2.add(s00, f64x2.mul(x0, b0));
            s01 = f64x2.add(s01, f64x2.mul(x0, b1));
            s10 = f64x2.add(s10, f64x2.mul(x1, b0));
            s11 = f64x2.add(s11, f64x2.mul(x1, b1));
            s20 = f64x2.add(s20, f64x2.mul(x2, b0));
            s21 = f64x2.add(s21, f64x2.mul(x2, b1));
            s30 = f64x2.add(s30, f64x2.mul(x3, b0));
            s31 = f64x2.add(s31, f64x2.mul(x3, b1));
            p += 32;
          }
          v128.store(c0, s00);
          v128.store(c0 + 16, s01);
          v128.store(c1, s10);
          v128.store(c1 + 16, s11);
          v128.store(c2, s20);
          v128.store(c2 + 16, s21);
          v128.store(c3, s30);
          v128.store(c3 + 16, s31);
        }
        for (let i = i4; i < i1; i++) {
          const ai = aBase + <usize>i * rowA;
          const ci = cCol + <usize>i * rowC;
          let s0 = v128.load(ci);
          let s1 = v128.load(ci + 16);
          let p = pj;
          for (let q = 0; q < kc; q++) {
            const x = v128.load64_splat(ai + ((<usize>q) << 3));
            s0 = f64x2.add(s0, f64x2.mul(x, v128.load(p)));
            s1 = f64x2.add(s1, f64x2.mul(x, v128.load(p + 16)));
            p += 32;
          }
          v128.store(ci, s0);
          v128.store(ci + 16, s1);
        }
      }
    }
    // The last n mod 4 columns: one output at a time, same order.
    for (let j = n4; j < n; j++) {
      for (let i = 0; i < m; i++) {
        const ai = aBase + <usize>i * rowA;
        const cp = c + <usize>i * rowC + ((<usize>j) << 3);
        let s = load<f64>(cp);
        let bp = b + <usize>kk * rowB + ((<usize>j) << 3);
        for (let q = 0; q < kc; q++) {
          s += load<f64>(ai + ((<usize>q) << 3)) * load<f64>(bp);
          bp += rowB;
        }
        store<f64>(cp, s);
      }
    }
  }
}

/** out (cols×rows) = the transpose of a (rows×cols), both row-major. Moves values only. */
export function transpose(out: usize, a: usize, rows: i32, cols: i32): void {
  // 8×8 blocks so that both sides are touched a cache line at a time.
  for (let i0 = 0; i0 < rows; i0 += 8) {
    const i1 = min(rows, i0 + 8);
    for (let j0 = 0; j0 < cols; j0 += 8) {
      const j1 = min(cols, j0 + 8);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f64>(out + ((<usize>j * rows + i) << 3), load<f64>(a + ((<usize>i * cols + j) << 3)));
        }
      }
    }
  }
}

export { exp, exp2, log1p } from './libm';
export {
  linearChunk,
  linearChunks,
  linearChunkTo,
  linearCommit,
  linearPack,
  linearReduce,
} from './linear';
