export { type AdamOptimizer, type AdamOptions, type AdamState, adam } from './adam.js';
export { constant } from './constant.js';
export { type CosineDecayOptions, cosineDecay } from './cosineDecay.js';
export { type ExponentialDecayOptions, exponentialDecay } from './exponentialDecay.js';
export { type GdOptimizer, type GdOptions, type GdState, gd } from './gd.js';
export { type InverseTimeOptions, inverseTime } from './inverseTime.js';
export { type MomentumOptimizer, type MomentumOptions, type MomentumState, momentum } from './momentum.js';
export {
  type NormalizedGdOptimizer,
  type NormalizedGdOptions,
  type NormalizedGdState,
  normalizedGd,
} from './normalizedGd.js';
export type { RecordSchedule } from './recordSteps.js';
export { recordSteps } from './recordSteps.js';
export { type StepDecayOptions, stepDecay } from './stepDecay.js';
export type {
  HistoryRow,
  MetricName,
  TrainProgress,
  TrainWeightedOptions,
  TrainWeightedResult,
} from './trainWeighted.js';
export { trainWeighted } from './trainWeighted.js';
export type { GradientInfo, LearningRate, Optimizer } from './types.js';
