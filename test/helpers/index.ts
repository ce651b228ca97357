/** Helpers shared by the test files: one implementation each. Import from 'test/helpers/index.js'. */
export { expectClose, expectCloseOnScale, expectSameBits } from './close.js';
export { rawDataset, smallSeparable } from './data.js';
export { invalid, invalidInput, thrown } from './errors.js';
export { lcg, minstd } from './random.js';
