export type { Model } from './types.js';
