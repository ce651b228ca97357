export type { Dataset } from './types.js';
