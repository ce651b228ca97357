export { linearForward, linearObjective } from './linear.js';
export { scaledLossTerms } from './marginLoss.js';
export { squaredLossObjective } from './squaredLoss.js';
export { allFinite, copy, dot, norm2 } from './vector.js';
