export { klDivergence } from './klDivergence.js';
export { type Proposition1BoundArgs, proposition1Bound } from './proposition1Bound.js';
