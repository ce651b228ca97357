/**
 * implicit-bias: run and check the implicit bias of gradient methods under importance weighting.
 * Flat public API (see docs/ and DESIGN.md); every folder re-exports its public names here.
 */
export * from './bounds/index.js';
export * from './datasets/index.js';
export * from './errors/index.js';
export * from './experiments/index.js';
export * from './gd/index.js';
export { type KernelBackend, kernelBackend, setKernelBackend } from './kernels/wasm/index.js';
export { kernelThreads, setKernelThreads } from './kernels/wasm/threads.js';
export * from './linalg/index.js';
export * from './losses/index.js';
export * from './metrics/index.js';
export * from './mlp/index.js';
export * from './models/index.js';
export * from './rng/index.js';
export * from './svm/completion/index.js';
export * from './svm/index.js';
export * from './svm/interpolants/index.js';
export * from './svm/lp/index.js';
export * from './svm/partition/index.js';
export * from './weights/index.js';
