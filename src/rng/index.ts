export { createRng, RNG_STREAMS } from './createRng.js';
export { normalVector } from './normalVector.js';
export type { Rng, RngState, SeededRng } from './types.js';
