export { chi2Divergence } from './chi2Divergence.js';
export { type GaussianChi2DivergenceArgs, gaussianChi2Divergence } from './gaussianChi2Divergence.js';
export { klDivergence } from './klDivergence.js';
export { type Proposition1BoundArgs, type Proposition1Form, proposition1Bound } from './proposition1Bound.js';
export {
  type Proposition3MarginBoundArgs,
  proposition3MarginBound,
} from './proposition3MarginBound.js';
export {
  type Theorem1BoundArgs,
  type Theorem1BoundResult,
  type Theorem1Constants,
  theorem1Bound,
} from './theorem1Bound.js';
