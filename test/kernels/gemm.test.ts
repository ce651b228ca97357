/**
 * The GEMM kernels: the TypeScript reference and the WebAssembly SIMD kernels give the same bits on random
 * shapes (including the tile and panel edges: m, n not multiples of 4, k across the 256-row panel), and both
 * equal the plain triple loop that defines the order (c_ij + a_i0 b_0j + a_i1 b_1j + …).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN, THREADS_MIN_WORK, WASM_MIN_WORK } from '../../src/kernels/gemm.js';
import { kernelBackend, setKernelBackend } from '../../src/kernels/wasm/index.js';
import { setKernelThreads } from '../../src/kernels/wasm/threads.js';
import { expectSameBits } from '../helpers/index.js';

type Form = 'nn' | 'nt' | 'tn';
const KERNEL = { nn: gemmNN, nt: gemmNT, tn: gemmTN };

/** The definition: every output summed over k in order, starting from C. */
function naive(
  form: Form,
  C: Float64Array,
  A: Float64Array,
  B: Float64Array,
  m: number,
  n: number,
  k: number,
) {
  const out = Float64Array.from(C);
  const a = (i: number, q: number) => (form === 'tn' ? A[q * m + i]! : A[i * k + q]!);
  const b = (q: number, j: number) => (form === 'nt' ? B[j * k + q]! : B[q * n + j]!);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = out[i * n + j]!;
      for (let q = 0; q < k; q++) s += a(i, q) * b(q, j);
      out[i * n + j] = s;
    }
  return out;
}

const entry = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-310, -3e-320, 1e150, -7e149) },
);

function run(
  form: Form,
  backend: 'typescript' | 'wasm',
  C: Float64Array,
  A: Float64Array,
  B: Float64Array,
  m: number,
  n: number,
  k: number,
) {
  const previous = setKernelBackend(backend);
  try {
    return KERNEL[form](Float64Array.from(C), A, B, m, n, k);
  } finally {
    setKernelBackend(previous);
  }
}

describe('gemmNN, gemmNT, gemmTN', () => {
  afterAll(() => setKernelBackend('auto'));

  it('the WebAssembly SIMD kernels load in Node 20', () => {
    setKernelBackend('auto');
    expect(kernelBackend().backend).toBe('wasm');
  });

  it('gemm*(C, A, B, m, n, k) gives the same bits with the TypeScript and the WebAssembly kernels, and equals the plain loop, on random shapes (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Form>('nn', 'nt', 'tn'),
        fc.integer({ min: 1, max: 37 }),
        fc.integer({ min: 1, max: 37 }),
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 250, max: 530 })),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (form, m, n, k, seed) => {
          // Large enough to take the WebAssembly path whenever it is chosen.
          fc.pre(m * n * k >= WASM_MIN_WORK || m * n * k < 64);
          const values = fc.sample(entry, { seed, numRuns: m * k + k * n + m * n });
          const A = Float64Array.from(values.slice(0, m * k));
          const B = Float64Array.from(values.slice(m * k, m * k + k * n));
          const C = Float64Array.from(values.slice(m * k + k * n));
          const expected = naive(form, C, A, B, m, n, k);
          expectSameBits(run(form, 'typescript', C, A, B, m, n, k), expected);
          expectSameBits(run(form, 'wasm', C, A, B, m, n, k), expected);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('large shapes past the WebAssembly threshold: the two backends agree bit for bit', () => {
    let s = 12345;
    const r = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
    for (const [m, n, k] of [
      [64, 64, 64],
      [130, 7, 300],
      [9, 129, 513],
    ] as const) {
      for (const form of ['nn', 'nt', 'tn'] as const) {
        const A = Float64Array.from({ length: m * k }, r);
        const B = Float64Array.from({ length: k * n }, r);
        const C = Float64Array.from({ length: m * n }, r);
        expectSameBits(run(form, 'wasm', C, A, B, m, n, k), run(form, 'typescript', C, A, B, m, n, k));
      }
    }
  });

  it('a product past the thread threshold gives the same bits on 1, 2 and 3 threads as the TypeScript reference', () => {
    let s = 777;
    const r = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
    const [m, n, k] = [411, 66, 201];
    expect(m * n * k).toBeGreaterThanOrEqual(THREADS_MIN_WORK);
    const previous = setKernelThreads(1);
    try {
      for (const form of ['nn', 'nt', 'tn'] as const) {
        const A = Float64Array.from({ length: m * k }, r);
        const B = Float64Array.from({ length: k * n }, r);
        const C = Float64Array.from({ length: m * n }, r);
        const reference = run(form, 'typescript', C, A, B, m, n, k);
        for (const threads of [1, 2, 3]) {
          setKernelThreads(threads);
          expectSameBits(run(form, 'wasm', C, A, B, m, n, k), reference);
        }
      }
    } finally {
      setKernelThreads(previous);
    }
  });

  it('gemm* returns C and leaves A and B unchanged', () => {
    const A = Float64Array.of(1, 2, 3, 4);
    const B = Float64Array.of(5, 6, 7, 8);
    const C = new Float64Array(4);
    expect(gemmNN(C, A, B, 2, 2, 2)).toBe(C);
    expect(Array.from(C)).toEqual([19, 22, 43, 50]);
    expect(Array.from(A)).toEqual([1, 2, 3, 4]);
    expect(Array.from(B)).toEqual([5, 6, 7, 8]);
  });
});
