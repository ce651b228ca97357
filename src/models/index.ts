export type { LinearModel } from './linear.js';
export { linear } from './linear.js';
export { type LinearMulticlassModel, linearMulticlass } from './linearMulticlass.js';
export { type MulticlassModelSpec, multiclassModel } from './multiclassModel.js';
export type { Model, MulticlassModel } from './types.js';
