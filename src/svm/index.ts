/**
 * The exact references that training runs are checked against: the ℓ2 hard-margin SVM (QP), the ℓ1/ℓ∞
 * max-margin directions (LP), the maximal separable subset and θ̃(w) of Proposition 2 (`partition/`), and the
 * min-norm / min-Bregman interpolants of regression (`interpolants/`). `lp/` is the internal HiGHS adapter.
 * @packageDocumentation
 */

export {
  type HardMarginSVMOptions,
  type HardMarginSVMResult,
  hardMarginSVM,
} from './hardMarginSVM.js';
export * from './interpolants/index.js';
export * from './lp/index.js';
export {
  type MaxMarginDirectionOptions,
  type MaxMarginDirectionResult,
  type MaxMarginNorm,
  maxMarginDirection,
  maxMarginDirectionSync,
} from './maxMarginDirection.js';
export * from './partition/index.js';
