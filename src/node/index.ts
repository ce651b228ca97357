/**
 * implicit-bias/node: the Node-only parts (worker threads). The core (`implicit-bias`) stays browser-safe.
 */
export { type ParallelLinearModel, type ParallelLinearOptions, parallelLinear } from './parallelLinear.js';
