export { type ExperimentName, experiments } from './experiments.js';
export { figure1 } from './figure1.js';
export { figure2a } from './figure2a.js';
export { figure2b } from './figure2b.js';
export { figure3 } from './figure3.js';
export { slidesMirror } from './slidesMirror.js';
export { slidesOptimizers } from './slidesOptimizers.js';
export { slidesRates } from './slidesRates.js';
export { slidesSteepest } from './slidesSteepest.js';
export type {
  Axis,
  Band,
  Experiment,
  ExperimentOptions,
  ExperimentResult,
  LinePanel,
  LineSeries,
  Panel,
  PlaneLine,
  PlanePanel,
  PlanePoint,
} from './types.js';
