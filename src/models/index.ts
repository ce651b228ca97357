export type { LinearModel } from './linear.js';
export { linear } from './linear.js';
export type { Model } from './types.js';
