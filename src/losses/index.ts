export type { MarginLoss } from './types.js';
