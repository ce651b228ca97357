/**
 * The shape check of a {@link MulticlassDataset} for functions that take one as an option. Internal (not
 * re-exported).
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../errors/index.js';
import { show } from '../util/validate.js';
import type { MulticlassDataset } from './multiclassDataset.js';

/**
 * Throws `INVALID_INPUT` unless `data` has the shape of a {@link MulticlassDataset}: Float64Array `X` of
 * length n·d, Int32Array `labels` of length n with every entry in [0, k), k ≥ 2. O(n).
 * @internal
 */
export function checkMulticlassDataset(fn: string, option: string, data: unknown): MulticlassDataset {
  const o = data as Partial<MulticlassDataset> | null;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    o.X instanceof Float64Array &&
    o.labels instanceof Int32Array &&
    Number.isInteger(o.n) &&
    Number.isInteger(o.d) &&
    Number.isInteger(o.k) &&
    (o.n as number) >= 1 &&
    (o.d as number) >= 1 &&
    (o.k as number) >= 2 &&
    o.X.length === (o.n as number) * (o.d as number) &&
    o.labels.length === o.n;
  if (!ok) {
    const hint =
      typeof o === 'object' && o !== null && 'y' in o
        ? ' (this looks like a binary Dataset: use trainWeighted, or build labels 0..k-1)'
        : '';
    throw new InvalidInputError(
      fn,
      option,
      `must be a MulticlassDataset (build one with multiclassDataset(X, labels)), got ${show(data)}${hint}`,
    );
  }
  const { labels, k } = o as MulticlassDataset;
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (c < 0 || c >= k)
      throw new InvalidInputError(fn, `${option}.labels[${i}]`, `must be in [0, ${k}), got ${c}`);
  }
  return o as MulticlassDataset;
}
