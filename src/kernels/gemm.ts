/**
 * Dense matrix products over row-major `Float64Array`s, the building blocks of the layer-at-a-time MLP
 * passes: C += A·B, C += A·Bᵀ and C += Aᵀ·B.
 *
 * **Summation order (fixed, whichever backend runs):** every output is one sum, started from its value in C
 * and taken over the shared dimension in increasing order, one product at a time (each product rounded,
 * then added: no fused multiply-add). So c_ij ends as (((c_ij + a_i0 b_0j) + a_i1 b_1j) + …). The loops
 * below are the TypeScript reference; the WebAssembly SIMD kernels (assembly/kernels.ts) block and pack
 * for cache and hold four-by-four tiles of C in registers, with each SIMD lane carrying a different output,
 * so they give the same bits.
 *
 * The WebAssembly kernels run when they are loaded (see `wasmKernels`) and the product is large enough to
 * pay for copying the operands into the module's memory (`WASM_MIN_WORK` multiply-adds).
 * @packageDocumentation
 */
import { type WasmKernels, wasmKernels, wasmView } from './wasm/index.js';
import { kernelThreads, runOnPool, setJob, threadPool } from './wasm/threads.js';

/** Multiply-adds below which a product stays in TypeScript (copying in and out would cost more). */
export const WASM_MIN_WORK = 1 << 14;

/** Rows of B the WebAssembly GEMM packs at a time (its KC): it needs KC·n doubles of packing scratch. */
const PACK_ROWS = 256;

/** Multiply-adds from which a product is split over worker threads (Node), and the fewest rows per thread. */
export const THREADS_MIN_WORK = 1 << 22;
const THREADS_MIN_ROWS = 16;

/**
 * C (m×n) += A (m×k) · B (k×n). Returns C. C must not alias A or B.
 * Reference order: i, then k, then j (a row of C is updated by one row of B at a time).
 */
export function gemmNN(
  C: Float64Array,
  A: Float64Array,
  B: Float64Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const w = m * n * k >= WASM_MIN_WORK ? wasmKernels() : null;
  if (w !== null) return wasmProduct(w, C, A, B, m, n, k, 'nn');
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let q = 0; q < k; q++) {
      const a = A[ai + q]!;
      const bq = q * n;
      for (let j = 0; j < n; j++) C[ci + j]! += a * B[bq + j]!;
    }
  }
  return C;
}

/**
 * C (m×n) += A (m×k) · Bᵀ, with B stored n×k. Returns C. C must not alias A or B.
 * Reference order: each output is a dot product of a row of A and a row of B, in order of k.
 */
export function gemmNT(
  C: Float64Array,
  A: Float64Array,
  B: Float64Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const w = m * n * k >= WASM_MIN_WORK ? wasmKernels() : null;
  if (w !== null) return wasmProduct(w, C, A, B, m, n, k, 'nt');
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = C[ci + j]!;
      for (let q = 0; q < k; q++) s += A[ai + q]! * B[bj + q]!;
      C[ci + j] = s;
    }
  }
  return C;
}

/**
 * C (m×n) += Aᵀ · B, with A stored k×m and B k×n. Returns C. C must not alias A or B.
 * Reference order: k, then i, then j (one rank-one update of C per row of A and B).
 */
export function gemmTN(
  C: Float64Array,
  A: Float64Array,
  B: Float64Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const w = m * n * k >= WASM_MIN_WORK ? wasmKernels() : null;
  if (w !== null) return wasmProduct(w, C, A, B, m, n, k, 'tn');
  for (let q = 0; q < k; q++) {
    const aq = q * m;
    const bq = q * n;
    for (let i = 0; i < m; i++) {
      const a = A[aq + i]!;
      const ci = i * n;
      for (let j = 0; j < n; j++) C[ci + j]! += a * B[bq + j]!;
    }
  }
  return C;
}

/**
 * The three products on the WebAssembly kernels: the operands are copied into the module's memory
 * ([packing scratch | A | B | C | the transposed operand]), a transposed operand is transposed there (values only
 * move), one `gemmNN` runs, and C is copied back.
 */
function wasmProduct(
  w: WasmKernels,
  C: Float64Array,
  A: Float64Array,
  B: Float64Array,
  m: number,
  n: number,
  k: number,
  form: 'nn' | 'nt' | 'tn',
): Float64Array {
  const sizeA = m * k;
  const sizeB = k * n;
  const sizeC = m * n;
  // Threads: the rows of C split into contiguous blocks, one per thread, each with its own packing scratch.
  let threads = 1;
  if (w.shared && m * n * k >= THREADS_MIN_WORK) {
    threads = Math.max(1, Math.min(kernelThreads(), Math.floor(m / THREADS_MIN_ROWS)));
  }
  const pack = PACK_ROWS * n;
  const offA = pack * threads;
  const offB = offA + sizeA;
  const offC = offB + sizeB;
  const offT = offC + sizeC;
  const heap = wasmView(w, offT + (form === 'nn' ? 0 : form === 'nt' ? sizeB : sizeA));
  heap.set(A.length === sizeA ? A : A.subarray(0, sizeA), offA);
  heap.set(B.length === sizeB ? B : B.subarray(0, sizeB), offB);
  heap.set(C.length === sizeC ? C : C.subarray(0, sizeC), offC);
  let a = offA;
  let b = offB;
  if (form === 'nt') {
    w.exports.transpose(offT * 8, offB * 8, n, k);
    b = offT;
  } else if (form === 'tn') {
    w.exports.transpose(offT * 8, offA * 8, k, m);
    a = offT;
  }
  const pool = threads > 1 ? threadPool(w.module, w.memory, threads) : null;
  if (pool === null) {
    w.exports.gemmNN(offC * 8, a * 8, b * 8, m, n, k, 0);
  } else {
    // Row blocks of C (multiples of 4 rows, so every block but the last is whole tiles).
    const per = Math.ceil(m / threads / 4) * 4;
    for (let t = 1; t < threads; t++) {
      const i0 = Math.min(m, t * per);
      const rows = Math.min(m, i0 + per) - i0;
      setJob(pool, t, (offC + i0 * n) * 8, (a + i0 * k) * 8, b * 8, rows, n, k, t * pack * 8);
    }
    const own = Math.min(m, per);
    const ok = runOnPool(pool, () => w.exports.gemmNN(offC * 8, a * 8, b * 8, own, n, k, 0));
    if (!ok) {
      // A worker failed: recompute the whole product on this thread (C's rows were not all written).
      heap.set(C.length === sizeC ? C : C.subarray(0, sizeC), offC);
      w.exports.gemmNN(offC * 8, a * 8, b * 8, m, n, k, 0);
    }
  }
  C.set(new Float64Array(w.memory.buffer as ArrayBuffer, offC * 8, sizeC));
  return C;
}

/**
 * Paired products, for the R-operator passes (Hessian-vector products): every output gets, at each step of
 * the shared dimension, the sum of two products, c ← c + (a1·b1 + a2·b2) — the order the row-at-a-time
 * Hessian-vector pass uses, so the layer-at-a-time one gives the same bits. TypeScript reference loops (the
 * same loop orders as the single products above).
 */

/** C (m×n) += A1·B1 + A2·B2, all A (m×k), all B (k×n), pairs summed per step of k. Returns C. */
export function gemm2NN(
  C: Float64Array,
  A1: Float64Array,
  B1: Float64Array,
  A2: Float64Array,
  B2: Float64Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let q = 0; q < k; q++) {
      const a1 = A1[ai + q]!;
      const a2 = A2[ai + q]!;
      const bq = q * n;
      for (let j = 0; j < n; j++) C[ci + j]! += a1 * B1[bq + j]! + a2 * B2[bq + j]!;
    }
  }
  return C;
}

/** C (m×n) += A1·B1ᵀ + A2·B2ᵀ, A (m×k), B stored n×k, pairs summed per step of k. Returns C. */
export function gemm2NT(
  C: Float64Array,
  A1: Float64Array,
  B1: Float64Array,
  A2: Float64Array,
  B2: Float64Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = C[ci + j]!;
      for (let q = 0; q < k; q++) s += A1[ai + q]! * B1[bj + q]! + A2[ai + q]! * B2[bj + q]!;
      C[ci + j] = s;
    }
  }
  return C;
}

/** C (m×n) += A1ᵀ·B1 + A2ᵀ·B2, A stored k×m, B k×n, pairs summed per step of k. Returns C. */
export function gemm2TN(
  C: Float64Array,
  A1: Float64Array,
  B1: Float64Array,
  A2: Float64Array,
  B2: Float64Array,
  m: number,
  n: number,
  k: number,
): Float64Array {
  for (let q = 0; q < k; q++) {
    const aq = q * m;
    const bq = q * n;
    for (let i = 0; i < m; i++) {
      const a1 = A1[aq + i]!;
      const a2 = A2[aq + i]!;
      const ci = i * n;
      for (let j = 0; j < n; j++) C[ci + j]! += a1 * B1[bq + j]! + a2 * B2[bq + j]!;
    }
  }
  return C;
}
