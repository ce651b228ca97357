export { type AdamOptimizer, type AdamOptions, type AdamState, adam } from './optimizers/adam.js';
export { type GdOptimizer, type GdOptions, type GdState, gd } from './optimizers/gd.js';
export {
  type LinkFunction,
  type MirrorDescentOptimizer,
  type MirrorDescentOptions,
  type MirrorDescentState,
  type MirrorPotential,
  mirrorDescent,
} from './optimizers/mirrorDescent.js';
export {
  type MomentumOptimizer,
  type MomentumOptions,
  type MomentumState,
  momentum,
} from './optimizers/momentum.js';
export {
  type NormalizedGdOptimizer,
  type NormalizedGdOptions,
  type NormalizedGdState,
  normalizedGd,
} from './optimizers/normalizedGd.js';
export {
  type SteepestDescentOptimizer,
  type SteepestDescentOptions,
  type SteepestDescentState,
  type SteepestNorm,
  steepestDescent,
} from './optimizers/steepestDescent.js';
export type { GradientInfo, LearningRate, Optimizer } from './optimizers/types.js';
export { constant } from './schedules/constant.js';
export { type CosineDecayOptions, cosineDecay } from './schedules/cosineDecay.js';
export { type ExponentialDecayOptions, exponentialDecay } from './schedules/exponentialDecay.js';
export { type InverseTimeOptions, inverseTime } from './schedules/inverseTime.js';
export { type StepDecayOptions, stepDecay } from './schedules/stepDecay.js';
export type { RecordSchedule } from './train/recordSteps.js';
export { recordSteps } from './train/recordSteps.js';
export {
  type LearnedWeightsProgress,
  type LearnedWeightsRow,
  type TrainLearnedWeightsOptions,
  type TrainLearnedWeightsResult,
  trainLearnedWeights,
  trainLearnedWeightsAsync,
} from './train/trainLearnedWeights.js';
export {
  type FactorizationHistoryRow,
  type FactorizationMetricName,
  type TrainMatrixFactorizationOptions,
  type TrainMatrixFactorizationResult,
  trainMatrixFactorization,
  trainMatrixFactorizationAsync,
} from './train/trainMatrixFactorization.js';
export {
  type MulticlassHistoryRow,
  type MulticlassMetricName,
  type MulticlassProgress,
  type TrainMulticlassOptions,
  type TrainMulticlassResult,
  trainMulticlass,
  trainMulticlassAsync,
} from './train/trainMulticlass.js';
export type {
  RegressionHistoryRow,
  RegressionMetricName,
  TrainRegressionOptions,
  TrainRegressionResult,
} from './train/trainRegression.js';
export { trainRegression, trainRegressionAsync } from './train/trainRegression.js';
export type {
  HistoryRow,
  MetricName,
  TrainWeightedOptions,
  TrainWeightedResult,
} from './train/trainWeighted.js';
export { trainWeighted, trainWeightedAsync } from './train/trainWeighted.js';
export type {
  CommonTrainOptions,
  TrainProgress,
  TrainRunResult,
  TrainState,
  TrainStatus,
} from './train/types.js';
