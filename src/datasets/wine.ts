import { InvalidInputError } from '../errors/index.js';
import { checkKnownKeys, checkObject, show } from '../util/validate.js';
import { readCsv } from './readCsv.js';
import { standardize as standardizeColumns } from './standardize.js';
import type { Dataset } from './types.js';
import { WINE_CSV } from './wineCsv.js';

/** Options of `datasets.wine`. */
export interface WineOptions {
  /** The cultivar that gets label +1, the two others −1 (0, 1 or 2; default 0: 59 wines against 119). */
  positive?: 0 | 1 | 2;
  /** Centre and scale every feature to unit variance (`standardize`; default true). */
  standardize?: boolean;
}

/**
 * The UCI Wine data set (a real one: 178 wines from three cultivars of one Italian region, 13 chemical
 * measurements each; CC BY 4.0, Aeberhard & Forina 1991, https://doi.org/10.24432/C5PC7J) as a binary
 * `Dataset`: cultivar `positive` against the rest. Standardized by default. The rows are the file's, in order;
 * the data ship inside the library (src/datasets/data/wine.csv and its README), so this works offline and in a
 * browser. Class 0 is linearly separable from the rest (through the origin, after standardizing).
 *
 * @example
 * ```ts
 * const data = datasets.wine(); // n = 178, d = 13, 59 labels +1
 * ```
 */
export function wine(options?: WineOptions): Dataset {
  const o = checkObject('datasets.wine', 'options', options);
  checkKnownKeys('datasets.wine', o, ['positive', 'standardize']);
  const positive = o.positive ?? 0;
  if (positive !== 0 && positive !== 1 && positive !== 2) {
    throw new InvalidInputError('datasets.wine', 'positive', `must be 0, 1 or 2, got ${show(positive)}`);
  }
  if (o.standardize !== undefined && typeof o.standardize !== 'boolean') {
    throw new InvalidInputError(
      'datasets.wine',
      'standardize',
      `must be a boolean, got ${show(o.standardize)}`,
    );
  }
  const data = readCsv(WINE_CSV, { label: 'class', positive: String(positive) });
  return o.standardize === false ? data : standardizeColumns(data);
}
