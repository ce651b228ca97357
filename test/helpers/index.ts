/**
 * Helpers shared by the test files, one implementation each. The multi-class references and data sets are
 * in ./multiclass.js (imported from there).
 */
export { expectClose, expectCloseOnScale, expectSameBits } from './close.js';
export { rawDataset, smallSeparable } from './data.js';
export { invalid, invalidInput, thrown } from './errors.js';
export { expectWellFormedSvg, repoRoot, tempDirs } from './files.js';
export { normalEquations } from './leastSquares.js';
export { lcg, minstd, randomSpd } from './random.js';
