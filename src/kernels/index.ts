export {
  type LabeledRows,
  loadMarginBatch,
  loadMulticlassBatch,
  type MarginBatch,
  type MulticlassBatch,
  marginBatch,
  multiclassBatch,
  type Rows,
} from './batch.js';
export {
  createFactorizationScratch,
  type FactorizationScratch,
  factorizationForward,
  factorizationObjective,
  matmulOffset,
  matmulTransAOffset,
  matmulTransBOffset,
} from './factorization.js';
export {
  createMlpHvpScratch,
  linearHvp,
  lossSecondDerivative,
  type MlpHvpScratch,
  mlpHvp,
} from './hvp.js';
export { libExp, libLog1p } from './libm.js';
export {
  LINEAR_THREADS_MIN_WORK,
  LINEAR_WASM_MIN_WORK,
  type LinearPass,
  linearChunkRows,
  linearForward,
  linearObjective,
  linearObjectiveRows,
  linearPassObjective,
  linearPassTypeScript,
} from './linear.js';
export { forgetLinearData } from './linearWasm.js';
export { LOSS_ID, type LossId, scaledLossTerms } from './marginLoss.js';
export {
  createMlpScratch,
  MLP_ACTIVATION,
  MLP_ROWWISE_MAX_PARAMS,
  type MlpActivationId,
  type MlpScratch,
  type MlpSigma,
  mlpBackward,
  mlpForward,
  mlpObjective,
  mlpObjectiveByLayer,
  mlpObjectiveByRow,
  mlpObjectiveOneHidden,
  mlpSigma,
} from './mlp.js';
export {
  crossEntropyRow,
  linearMulticlassLogits,
  linearMulticlassObjective,
  multiclassMarginsFromLogits,
  softmaxCrossEntropy,
} from './multiclass.js';
export {
  adamUpdate,
  argMaxAbs,
  blockGdUpdate,
  dualStep,
  entropyStep,
  firstNonFinite,
  firstNotPositiveFinite,
  gdStep,
  gdUpdate,
  momentumUpdate,
  normP,
  pNormLink,
  sameValues,
  signUpdate,
  sumAbs,
} from './optimizers.js';
export { squaredLossObjective } from './squaredLoss.js';
export { addNormPowerGradient, allFinite, copy, dot, minMarginWhere, norm2 } from './vector.js';
export { weightingForward, weightingGradient, weightingValues } from './weighting.js';
