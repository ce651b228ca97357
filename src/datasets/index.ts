export { type DataMatrix, dataset, type MatrixLike, type NdArrayLike } from './dataset.js';
export { datasets } from './datasets.js';
export type { MoonsOptions } from './moons.js';
export type { NonSeparableDataset, NonSeparableOptions } from './nonSeparable.js';
export type { PlantedDataset, SeparableOptions } from './separable.js';
export { subset } from './subset.js';
export type { Dataset } from './types.js';
export type { UnbalancedMoonsDataset, UnbalancedMoonsOptions } from './unbalancedMoons.js';
