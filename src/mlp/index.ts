export type { MlpActivation, MlpLayer, MlpModel, MlpOptions } from './mlp.js';
export { mlp } from './mlp.js';
export { type MlpMulticlassModel, type MlpMulticlassOptions, mlpMulticlass } from './mlpMulticlass.js';
