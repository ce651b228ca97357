export { angle, directionGap } from './angle.js';
export { multiclassMargin, multiclassMargins } from './multiclassMargins.js';
export {
  averageMargin,
  classificationError,
  normalizedMargin,
  normalizedMargins,
} from './normalizedMargins.js';
export { type SupportCountOptions, supportCount } from './supportCount.js';
