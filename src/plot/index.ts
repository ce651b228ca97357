export { type FigureSpecOptions, figureSpec, type VegaLiteSpec } from './figureSpec.js';
export { specToSvg } from './specToSvg.js';
