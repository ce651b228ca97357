export { edgeOfStability } from './edgeOfStability.js';
export { type ExperimentName, experiments } from './experiments.js';
export { figure1 } from './figure1.js';
export { figure2a } from './figure2a.js';
export { figure2b } from './figure2b.js';
export { figure2c } from './figure2c.js';
export { figure2d } from './figure2d.js';
export { figure3 } from './figure3.js';
export { figure4 } from './figure4.js';
export { slidesFactorization } from './slidesFactorization.js';
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
  RegionGrid,
  RegionPanel,
} from './types.js';
