export { type AdamOptimizer, type AdamOptions, type AdamState, adam } from './adam.js';
export { constant } from './constant.js';
export { type CosineDecayOptions, cosineDecay } from './cosineDecay.js';
export { type ExponentialDecayOptions, exponentialDecay } from './exponentialDecay.js';
export { type GdOptimizer, type GdOptions, type GdState, gd } from './gd.js';
export { type InverseTimeOptions, inverseTime } from './inverseTime.js';
export {
  type LinkFunction,
  type MirrorDescentOptimizer,
  type MirrorDescentOptions,
  type MirrorDescentState,
  type MirrorPotential,
  mirrorDescent,
} from './mirrorDescent.js';
export { type MomentumOptimizer, type MomentumOptions, type MomentumState, momentum } from './momentum.js';
export {
  type NormalizedGdOptimizer,
  type NormalizedGdOptions,
  type NormalizedGdState,
  normalizedGd,
} from './normalizedGd.js';
export type { RecordSchedule } from './recordSteps.js';
export { recordSteps } from './recordSteps.js';
export {
  type SteepestDescentOptimizer,
  type SteepestDescentOptions,
  type SteepestDescentState,
  type SteepestNorm,
  steepestDescent,
} from './steepestDescent.js';
export { type StepDecayOptions, stepDecay } from './stepDecay.js';
export {
  type FactorizationHistoryRow,
  type FactorizationMetricName,
  type TrainMatrixFactorizationOptions,
  type TrainMatrixFactorizationResult,
  trainMatrixFactorization,
} from './trainMatrixFactorization.js';
export {
  type MulticlassHistoryRow,
  type MulticlassMetricName,
  type MulticlassProgress,
  type TrainMulticlassOptions,
  type TrainMulticlassResult,
  trainMulticlass,
} from './trainMulticlass.js';
export type {
  RegressionHistoryRow,
  RegressionMetricName,
  TrainRegressionOptions,
  TrainRegressionResult,
} from './trainRegression.js';
export { trainRegression } from './trainRegression.js';
export type {
  HistoryRow,
  MetricName,
  TrainProgress,
  TrainWeightedOptions,
  TrainWeightedResult,
} from './trainWeighted.js';
export { trainWeighted } from './trainWeighted.js';
export type { GradientInfo, LearningRate, Optimizer } from './types.js';
