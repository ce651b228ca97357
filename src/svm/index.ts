export {
  type HardMarginSVMOptions,
  type HardMarginSVMResult,
  hardMarginSVM,
} from './hardMarginSVM.js';
