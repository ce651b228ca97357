export {
  projectNonSep,
  projectSep,
  type SeparablePartition,
  type SeparablePartitionOptions,
  separablePartition,
  separablePartitionSync,
} from './separablePartition.js';
