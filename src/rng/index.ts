export type { Rng } from './types.js';
