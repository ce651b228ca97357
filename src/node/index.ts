/**
 * implicit-bias/node: the Node-only parts (worker threads, reading data files). The core (`implicit-bias`)
 * stays browser-safe.
 */
export { type ParallelLinearModel, type ParallelLinearOptions, parallelLinear } from './parallelLinear.js';
export { readCsvFile, readLibsvmFile } from './readFiles.js';
