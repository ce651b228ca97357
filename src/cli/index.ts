export { type ReproduceEntry, type ReproduceOptions, reproduce } from './reproduce.js';
export { runCli } from './runCli.js';
