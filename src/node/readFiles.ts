import { readFileSync } from 'node:fs';
import type { MulticlassDataset } from '../datasets/multiclassDataset.js';
import { parseCsv, type ReadCsvOptions } from '../datasets/readCsv.js';
import { parseLibsvm, type ReadLibsvmOptions } from '../datasets/readLibsvm.js';
import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';

/** The UTF-8 text of the file at `path`, or INVALID_INPUT naming `fn`, the path and the reason. */
function readText(fn: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') {
    throw new InvalidInputError(fn, 'path', `must be a file path (a non-empty string), got ${show(path)}`);
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidInputError(fn, 'path', `${show(path)} could not be read: ${(e as Error).message}`);
  }
}

/**
 * `readCsv` on a file (Node only: import it from `implicit-bias/node`): reads `path` as UTF-8 and parses it with
 * the same options and rules; errors name the function, the file and the line and column.
 *
 * @example
 * ```ts
 * import { readCsvFile } from 'implicit-bias/node';
 * const data = readCsvFile('wine.csv', { label: 'class', positive: '0' });
 * ```
 */
export function readCsvFile(
  path: string,
  options: ReadCsvOptions & { classes: readonly (string | number)[] },
): MulticlassDataset;
export function readCsvFile(path: string, options?: ReadCsvOptions): Dataset;
export function readCsvFile(path: string, options?: ReadCsvOptions): Dataset | MulticlassDataset {
  const text = readText('readCsvFile', path);
  return parseCsv({ fn: 'readCsvFile', option: path }, text, options);
}

/**
 * `readLibsvm` on a file (Node only: import it from `implicit-bias/node`): reads `path` as UTF-8 and parses it
 * with the same options and rules; errors name the function, the file and the line and column.
 *
 * @example
 * ```ts
 * import { readLibsvmFile } from 'implicit-bias/node';
 * const data = readLibsvmFile('a1a.txt'); // labels ±1
 * ```
 */
export function readLibsvmFile(
  path: string,
  options: ReadLibsvmOptions & { classes: readonly (string | number)[] },
): MulticlassDataset;
export function readLibsvmFile(path: string, options?: ReadLibsvmOptions): Dataset;
export function readLibsvmFile(path: string, options?: ReadLibsvmOptions): Dataset | MulticlassDataset {
  const text = readText('readLibsvmFile', path);
  return parseLibsvm({ fn: 'readLibsvmFile', option: path }, text, options);
}
