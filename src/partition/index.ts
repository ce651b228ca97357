export {
  type NonSeparableOptimum,
  type NonSeparableOptimumOptions,
  nonSeparableOptimum,
  type PartitionSubspaces,
} from './nonSeparableOptimum.js';
export { type Proposition2Metrics, proposition2Metrics, proposition2Rate } from './proposition2.js';
export {
  projectNonSep,
  projectSep,
  type SeparablePartition,
  type SeparablePartitionOptions,
  separablePartition,
  separablePartitionSync,
} from './separablePartition.js';
