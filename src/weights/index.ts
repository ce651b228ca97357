export { clampWeights } from './clampWeights.js';
export { classBalancedWeights } from './classBalancedWeights.js';
export { type DensityRatio, densityRatioWeights } from './densityRatioWeights.js';
export { type EffectiveNumberWeightsOptions, effectiveNumberWeights } from './effectiveNumberWeights.js';
export { type InverseMarginWeightsOptions, inverseMarginWeights } from './inverseMarginWeights.js';
export { normalizeWeights } from './normalizeWeights.js';
export { uniformWeights } from './uniformWeights.js';
