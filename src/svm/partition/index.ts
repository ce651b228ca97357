export {
  type NonSeparableOptimum,
  type NonSeparableOptimumOptions,
  nonSeparableOptimum,
  type PartitionSubspaces,
} from './nonSeparableOptimum.js';
export {
  projectNonSep,
  projectSep,
  type SeparablePartition,
  type SeparablePartitionOptions,
  separablePartition,
  separablePartitionSync,
} from './separablePartition.js';
