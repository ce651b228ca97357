export { angle, directionGap } from './angle.js';
export { type KktResidualOptions, type KktResidualResult, kktResidual } from './kktResidual.js';
export { multiclassMargin, multiclassMargins } from './multiclassMargins.js';
export {
  averageMargin,
  classificationError,
  normalizedMargin,
  normalizedMargins,
} from './normalizedMargins.js';
export {
  type Proposition2Form,
  type Proposition2Metrics,
  type Proposition2Optimum,
  type Proposition2RateOptions,
  proposition2Metrics,
  proposition2Rate,
} from './proposition2.js';
export { type SharpnessOptions, type SharpnessResult, sharpness } from './sharpness.js';
export { type SupportCountOptions, supportCount } from './supportCount.js';
