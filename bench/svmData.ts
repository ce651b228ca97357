/**
 * The real data sets of bench/svm.ts (bench/data, UCI, CC BY 4.0), read and standardized; also used by
 * test/svm/hardMarginActiveSet.test.ts, whose references were computed on exactly these numbers.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../src/datasets/types.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** Zero mean and unit (population) variance per column, as scikit-learn's StandardScaler; in place. */
export function standardize(X: Float64Array, n: number, d: number): Float64Array {
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += X[i * d + j]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + j]! - mean) ** 2;
    const sd = Math.sqrt(v / n);
    for (let i = 0; i < n; i++) X[i * d + j] = (X[i * d + j]! - mean) / (sd > 0 ? sd : 1);
  }
  return X;
}

/** A bench/data CSV (header row, label last) as a standardized Dataset with y = +1 where `positive(label)`. */
export function csvDataset(file: string, positive: (label: number) => boolean): Dataset {
  const lines = readFileSync(join(DATA, file), 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const d = lines[0]!.split(',').length - 1;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  lines.forEach((line, i) => {
    const cells = line.split(',').map(Number);
    for (let j = 0; j < d; j++) X[i * d + j] = cells[j]!;
    y[i] = positive(cells[d]!) ? 1 : -1;
  });
  return { X: standardize(X, n, d), y, n, d };
}
