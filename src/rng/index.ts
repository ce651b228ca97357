export { createRng } from './createRng.js';
export { normalVector } from './normalVector.js';
export type { Rng } from './types.js';
