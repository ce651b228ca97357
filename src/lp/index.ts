export {
  type MaxMarginDirectionOptions,
  type MaxMarginDirectionResult,
  type MaxMarginNorm,
  maxMarginDirection,
  maxMarginDirectionSync,
} from './maxMarginDirection.js';
export { type ReadyOptions, ready } from './ready.js';
