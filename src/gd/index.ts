export type { GradientInfo, LearningRate, Optimizer } from './types.js';
