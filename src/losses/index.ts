export { type CrossEntropyLoss, crossEntropy } from './crossEntropy.js';
export { exponential } from './exponential.js';
export { logistic } from './logistic.js';
export type { MarginLoss } from './types.js';
export { logWeightedRisk, weightedRisk } from './weightedRisk.js';
