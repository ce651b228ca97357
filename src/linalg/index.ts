export { type CholeskyFactor, cholesky } from './cholesky.js';
export { dot } from './dot.js';
export { matmul } from './matmul.js';
export { type NnlsOptions, type NnlsResult, nnls } from './nnls.js';
export { norm2 } from './norm2.js';
export { type RowSpaceBasis, type RowSpaceBasisOptions, rowSpaceBasis } from './rowSpaceBasis.js';
