/**
 * The linear pass on its two backends: the WebAssembly SIMD kernel (assembly/linear.ts, through
 * src/kernels/linearWasm.ts) gives the same bits as the TypeScript reference (linearPassTypeScript) on random
 * shapes — weights with zeros, both losses, shifts, with and without an intercept, n and d on every side of
 * the block (8 rows), column-pair and chunk boundaries — and on every thread count; the default model and the
 * parallel one agree bit for bit past one chunk.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gd, trainWeighted } from '../../src/gd/index.js';
import type { MarginBatch } from '../../src/kernels/batch.js';
import {
  LINEAR_THREADS_MIN_WORK,
  type LinearPass,
  linearChunkRows,
  linearObjective,
  linearPassTypeScript,
} from '../../src/kernels/linear.js';
import { forgetLinearData, linearThreadStats, wasmLinearPass } from '../../src/kernels/linearWasm.js';
import { LOSS_ID, type LossId } from '../../src/kernels/marginLoss.js';
import { kernelBackend, setKernelBackend } from '../../src/kernels/wasm/index.js';
import { setChunkPoolPatience, setKernelThreads } from '../../src/kernels/wasm/threads.js';
import { exponential, logistic } from '../../src/losses/index.js';
import { linear } from '../../src/models/linear.js';
import { parallelLinear } from '../../src/node/index.js';
import { expectSameBits, minstd } from '../helpers/index.js';
import { problem, run } from '../node/problems.js';

interface Result {
  value: number;
  grad: Float64Array;
  margins: Float64Array;
}

/**
 * A random batch: X in [−1, 1), ~15% zero weights, and every 13th row scaled by 10⁴ with weight 0 (its
 * loss overflows; a zero weight must drop it exactly).
 */
function randomBatch(n: number, d: number, seed: number): MarginBatch {
  const r = minstd(seed);
  const X = new Float64Array(n * d).map(() => 2 * r() - 1);
  const y = new Float64Array(n).map(() => (r() < 0.5 ? -1 : 1));
  const c = new Float64Array(n).map(() => (r() < 0.15 ? 0 : r() / n));
  for (let i = 0; i < n; i += 13) {
    for (let j = 0; j < d; j++) X[i * d + j]! *= 1e4;
    c[i] = 0;
  }
  return { X, y, c, n, d };
}

/** θ with entries scale·[−1, 1)/√p: margins of order `scale`. */
function randomTheta(p: number, seed: number, scale: number): Float64Array {
  const r = minstd(seed + 7);
  return new Float64Array(p).map(() => (scale * (2 * r() - 1)) / Math.sqrt(p));
}

function typescriptPass(batch: MarginBatch, theta: Float64Array, pass: LinearPass): Result {
  const grad = new Float64Array(theta.length);
  const margins = new Float64Array(batch.n);
  const value = linearPassTypeScript(grad, margins, theta, batch, pass);
  return { value, grad, margins };
}

function wasmPass(batch: MarginBatch, theta: Float64Array, pass: LinearPass, threads: number): Result {
  const grad = new Float64Array(theta.length);
  const margins = new Float64Array(batch.n);
  const value = wasmLinearPass(grad, margins, theta, batch, pass, linearChunkRows(batch.d), threads);
  if (value === null) throw new Error('the WebAssembly linear pass did not run');
  return { value, grad, margins };
}

function expectSameResult(got: Result, want: Result): void {
  // Finite, so that equal bits mean something (NaN would compare equal to NaN).
  expect(Number.isFinite(want.value)).toBe(true);
  expect(want.grad.every(Number.isFinite)).toBe(true);
  expectSameBits([got.value], [want.value]);
  expectSameBits(got.grad, want.grad);
  expectSameBits(got.margins, want.margins);
}

describe('the linear pass: TypeScript and WebAssembly kernels, threads', () => {
  afterAll(() => {
    setKernelBackend('auto');
    setKernelThreads('auto');
  });

  it('the WebAssembly kernels load in Node 20', () => {
    expect(kernelBackend().backend).toBe('wasm');
  });

  it('wasmLinearPass gives the same bits as linearPassTypeScript on random shapes, weights with zeros, both losses, shifts, with and without bias (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 150, max: 1300 })),
        fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 130 })),
        fc.boolean(),
        fc.constantFrom<LossId>(LOSS_ID.exponential, LOSS_ID.logistic),
        fc.constantFrom(0, 0.75, 40),
        fc.constantFrom(0.05, 1, 30, 300),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (n, d, bias, loss, shift, scale, seed) => {
          const batch = randomBatch(n, d, seed);
          const theta = randomTheta(bias ? d + 1 : d, seed, scale);
          const pass: LinearPass = { bias, loss, shift };
          expectSameResult(wasmPass(batch, theta, pass, 1), typescriptPass(batch, theta, pass));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('wasmLinearPass on 1, 2 and 3 threads gives the same bits as the TypeScript reference, pass after pass', () => {
    for (const [n, d, bias] of [
      [4001, 37, true],
      [20_000, 100, false],
      [3000, 1001, true],
    ] as const) {
      const batch = randomBatch(n, d, n + d);
      expect(Math.ceil(n / linearChunkRows(d))).toBeGreaterThan(3);
      for (const loss of [LOSS_ID.exponential, LOSS_ID.logistic]) {
        const pass: LinearPass = { bias, loss, shift: loss === LOSS_ID.logistic ? 0.5 : 0 };
        for (let step = 0; step < 2; step++) {
          const theta = randomTheta(bias ? d + 1 : d, 31 * step + n, 0.3);
          const want = typescriptPass(batch, theta, pass);
          for (const threads of [1, 2, 3]) expectSameResult(wasmPass(batch, theta, pass, threads), want);
        }
      }
    }
  });

  it('the calling thread recomputing chunks workers hold (no patience) changes no bit, pass after pass', () => {
    const previous = setChunkPoolPatience(0);
    try {
      for (const [n, d, bias] of [
        [6000, 48, false],
        [2500, 301, true],
      ] as const) {
        const batch = randomBatch(n, d, 3 * n);
        for (const loss of [LOSS_ID.exponential, LOSS_ID.logistic]) {
          const pass: LinearPass = { bias, loss, shift: 0 };
          for (let step = 0; step < 8; step++) {
            const theta = randomTheta(bias ? d + 1 : d, step + d, 2);
            const want = typescriptPass(batch, theta, pass);
            expectSameResult(wasmPass(batch, theta, pass, 2 + (step % 2)), want);
          }
        }
      }
    } finally {
      setChunkPoolPatience(previous);
    }
  });

  it('worker threads take chunks of a threaded pass (they start in the background)', () => {
    const batch = randomBatch(20_000, 50, 9);
    const theta = randomTheta(50, 9, 1);
    const pass: LinearPass = { bias: false, loss: LOSS_ID.exponential, shift: 0 };
    const want = typescriptPass(batch, theta, pass);
    const before = linearThreadStats().workerChunks;
    const deadline = performance.now() + 10_000;
    let passes = 0;
    while (linearThreadStats().workerChunks === before && performance.now() < deadline) {
      expectSameResult(wasmPass(batch, theta, pass, 3), want);
      passes++;
    }
    expect(linearThreadStats().workers).toBeGreaterThanOrEqual(2);
    expect(linearThreadStats().workerChunks, `after ${passes} passes`).toBeGreaterThan(before);
  });

  it('linearObjective gives the same bits on either backend and any setKernelThreads', () => {
    const batch = randomBatch(9000, 64, 5);
    expect(batch.n * batch.d).toBeGreaterThanOrEqual(LINEAR_THREADS_MIN_WORK);
    const theta = randomTheta(65, 5, 0.2);
    const runWith = (backend: 'typescript' | 'wasm', threads: number): Result => {
      setKernelBackend(backend);
      setKernelThreads(threads);
      const grad = new Float64Array(65);
      const margins = new Float64Array(batch.n);
      const value = linearObjective(grad, margins, theta, batch, true, LOSS_ID.logistic, 0);
      return { value, grad, margins };
    };
    const want = runWith('typescript', 1);
    for (const threads of [1, 2, 3]) expectSameResult(runWith('wasm', threads), want);
  });

  it('a new X array is copied again, an X changed in place only after forgetLinearData(); the weights are read on every pass', () => {
    setKernelBackend('wasm');
    const pass: LinearPass = { bias: false, loss: LOSS_ID.exponential, shift: 0 };
    const a = randomBatch(3000, 50, 1);
    const b = randomBatch(3000, 50, 2);
    const theta = randomTheta(50, 3, 0.5);
    expectSameResult(wasmPass(a, theta, pass, 2), typescriptPass(a, theta, pass));
    expectSameResult(wasmPass(b, theta, pass, 2), typescriptPass(b, theta, pass));
    for (let i = 0; i < b.n; i++) b.c[i]! *= 2;
    expectSameResult(wasmPass(b, theta, pass, 2), typescriptPass(b, theta, pass));
    // The same X array rewritten in place: not seen (taken as immutable) until forgetLinearData().
    const before = wasmPass(b, theta, pass, 1);
    const copy = Float64Array.from(b.X);
    b.X.set(a.X);
    expectSameResult(wasmPass(b, theta, pass, 1), before);
    forgetLinearData();
    expectSameResult(wasmPass(b, theta, pass, 1), typescriptPass(b, theta, pass));
    b.X.set(copy);
    forgetLinearData();
    const larger = randomBatch(7001, 50, 4);
    expectSameResult(wasmPass(larger, theta, pass, 1), typescriptPass(larger, theta, pass));
  });

  it('linear(d) and parallelLinear(d, { threads }) give the same bits past one chunk, on either backend', () => {
    const [n, d] = [5003, 33];
    const pr = problem(n, d, true, 11);
    expect(n).toBeGreaterThan(linearChunkRows(d));
    setKernelBackend('typescript');
    const reference = run(linear(d, { bias: true }), pr, logistic, 0.5);
    setKernelBackend('auto');
    for (const threads of [1, 2, 3]) {
      const model = parallelLinear(d, { bias: true, threads, minWork: 0 });
      const got = run(model, pr, logistic, 0.5);
      expectSameResult(got, reference);
      model.close();
    }
    expectSameResult(run(linear(d, { bias: true }), pr, logistic, 0.5), reference);
  });

  it('trainWeighted with the default linear model gives the same θ and history on every backend and thread count', () => {
    const pr = problem(6000, 40, false, 17);
    const weights = Array.from({ length: 6000 }, (_, i) => (i % 11 === 0 ? 0 : 0.5 + (i % 3)));
    const train = () =>
      trainWeighted({
        data: pr.data,
        loss: exponential,
        weights,
        steps: 30,
        init: pr.theta,
        optimizer: gd({ lr: 0.05 }),
      });
    setKernelBackend('typescript');
    const want = train();
    for (const threads of [1, 2, 3]) {
      setKernelBackend('auto');
      setKernelThreads(threads);
      const got = train();
      expectSameBits(got.theta, want.theta);
      expect(got.history).toEqual(want.history);
    }
  });
});
