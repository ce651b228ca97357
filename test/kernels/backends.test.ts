/**
 * A result never depends on the kernels' backend or on the number of threads: whole training runs whose
 * passes go through the matrix-product kernels (layer-at-a-time MLPs, binary and multiclass) give the same
 * bits with the TypeScript reference, with WebAssembly SIMD on one thread, and on two and three threads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  dataset,
  gd,
  logistic,
  mlp,
  mlpMulticlass,
  multiclassDataset,
  setKernelBackend,
  setKernelThreads,
  trainMulticlass,
  trainWeighted,
} from '../../src/index.js';
import { THREADS_MIN_WORK } from '../../src/kernels/gemm.js';
import { expectSameBits, lcg } from '../helpers/index.js';

function data(n: number, d: number) {
  const r = lcg(99);
  const X = Float64Array.from({ length: n * d }, () => 2 * r() - 1);
  const y = Float64Array.from({ length: n }, (_, i) => (X[i * d]! + 0.5 * X[i * d + 1]! > 0 ? 1 : -1));
  return { X, y };
}

function settings(): Array<[backend: 'typescript' | 'wasm', threads: number]> {
  return [
    ['typescript', 1],
    ['wasm', 1],
    ['wasm', 2],
    ['wasm', 3],
  ];
}

describe('backends and threads', () => {
  afterAll(() => {
    setKernelBackend('auto');
    setKernelThreads('auto');
  });

  it('trainWeighted with a layer-at-a-time MLP gives the same θ and history on every backend and thread count', () => {
    const n = 2000;
    const widths = [64, 64, 32, 1];
    expect(n * 64 * 64).toBeGreaterThanOrEqual(THREADS_MIN_WORK);
    const { X, y } = data(n, widths[0]!);
    const ds = dataset(X, y, widths[0]);
    const runs = settings().map(([backend, threads]) => {
      setKernelBackend(backend);
      setKernelThreads(threads);
      return trainWeighted({
        data: ds,
        model: mlp({ widths }),
        loss: logistic,
        steps: 3,
        seed: 5,
        optimizer: gd({ lr: 0.05 }),
      });
    });
    for (const run of runs.slice(1)) {
      expectSameBits(run.theta, runs[0]!.theta);
      expect(run.history).toEqual(runs[0]!.history);
    }
  });

  it('trainMulticlass with a layer-at-a-time MLP gives the same θ on every backend and thread count', () => {
    const n = 1500;
    const { X } = data(n, 48);
    const labels = Array.from({ length: n }, (_, i) => (X[i * 48]! > 0.3 ? 2 : X[i * 48 + 1]! > 0 ? 1 : 0));
    const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * 48, i * 48 + 48)));
    const ds = multiclassDataset(rows, labels);
    const thetas = settings().map(([backend, threads]) => {
      setKernelBackend(backend);
      setKernelThreads(threads);
      return trainMulticlass({ data: ds, model: mlpMulticlass({ widths: [48, 96, 3] }), steps: 3, seed: 2 })
        .theta;
    });
    for (const theta of thetas.slice(1)) expectSameBits(theta, thetas[0]!);
  });
});
