import { InvalidInputError } from '../errors/index.js';
import { createRng } from '../rng/createRng.js';
import { readOptions } from '../util/validate.js';
import { numberOption } from './internal.js';
import { drawMoons, MOONS_KEYS, type MoonsOptions, moonsConfig } from './moons.js';
import { subset } from './subset.js';
import type { Dataset } from './types.js';

/** Options of {@link unbalancedMoons}: those of {@link moons} plus the kept fractions (all optional). */
export interface UnbalancedMoonsOptions extends MoonsOptions {
  /** Fraction of the −1 class (blue, outer moon) kept for training, in (0, 1]. Default 0.2. */
  keepNegative?: number;
  /** Fraction of the +1 class (orange, inner moon) kept for training, in (0, 1]. Default 0.8. */
  keepPositive?: number;
}

/** {@link unbalancedMoons}'s result: the kept (training) points, with the held-out rest as `test`. */
export interface UnbalancedMoonsDataset extends Dataset {
  /** Exactly the points of the full moons set that were not kept. */
  readonly test: Dataset;
  /** Row indices (ascending) of the kept points in the full set `moons(options)`; row i here is row keptIndices[i] there. */
  readonly keptIndices: Int32Array;
  /** Row indices (ascending) of the test points in the full set; disjoint from `keptIndices`, together all of 0 … n − 1. */
  readonly testIndices: Int32Array;
}

const FN = 'datasets.unbalancedMoons';

/**
 * Figure 1d of Xu, Ye & Ruan (ICLR 2021): the moons of {@link moons} after down-sampling both classes —
 * "20% for the blue class, and 80% for the orange class" (Figure 1 caption; we read blue as the −1 class,
 * scikit-learn's class 0). The points not kept form the test set of Figure 2c.
 *
 * Construction: the full set is exactly `moons(options)` (same n, noise, seed, center, appendOne). The same
 * generator then continues: from the −1 rows it keeps k₋ = Math.round(keepNegative · n₋) chosen uniformly
 * at random without replacement (a partial Fisher–Yates shuffle), then from the +1 rows
 * k₊ = Math.round(keepPositive · n₊) (halves round up). The kept rows, in ascending row order, are the
 * returned dataset; the others, in ascending order, are `test`. With the defaults (n = 200, so
 * n₋ = n₊ = 100) that is 20 + 80 = 100 training and 80 + 20 = 100 test points.
 *
 * Defaults: those of {@link moons} (n = 200, noise = 0.1, seed = 0, center = true, appendOne = false),
 * keepNegative = 0.2, keepPositive = 0.8.
 *
 * @param options - see {@link UnbalancedMoonsOptions}.
 * @returns a frozen {@link UnbalancedMoonsDataset} `{ X, y, n, d, test, keptIndices, testIndices }`.
 * @throws InvalidInputError (`INVALID_INPUT`) for bad or unknown options, or when the rounding leaves the
 *   training or the test set empty.
 * @example
 * ```ts
 * const train = datasets.unbalancedMoons({ seed: 0 });
 * train.n;      // 100 (20 of the −1 class, 80 of the +1 class)
 * train.test.n; // 100
 * ```
 */
export function unbalancedMoons(options: UnbalancedMoonsOptions = {}): UnbalancedMoonsDataset {
  const o = readOptions(FN, options, [...MOONS_KEYS, 'keepNegative', 'keepPositive']);
  const c = moonsConfig(FN, o);
  const keepNeg = numberOption(FN, o, 'keepNegative', 0.2, { min: 0, exclusiveMin: true, max: 1 });
  const keepPos = numberOption(FN, o, 'keepPositive', 0.8, { min: 0, exclusiveMin: true, max: 1 });
  const rng = createRng(c.seed);
  const full = drawMoons(c, rng);
  const kept = new Uint8Array(full.n);
  for (const [label, frac] of [
    [-1, keepNeg],
    [1, keepPos],
  ] as const) {
    const rows: number[] = [];
    for (let i = 0; i < full.n; i++) if (full.y[i] === label) rows.push(i);
    const k = Math.round(frac * rows.length);
    for (let j = 0; j < k; j++) {
      const r = j + rng.int(rows.length - j);
      const tmp = rows[j]!;
      rows[j] = rows[r]!;
      rows[r] = tmp;
      kept[rows[j]!] = 1;
    }
  }
  const keptList: number[] = [];
  const testList: number[] = [];
  for (let i = 0; i < full.n; i++) (kept[i] ? keptList : testList).push(i);
  if (keptList.length === 0 || testList.length === 0) {
    const which = keptList.length === 0 ? 'training' : 'test';
    throw new InvalidInputError(
      FN,
      'keepNegative/keepPositive',
      `must leave both sets non-empty, got keepNegative = ${keepNeg}, keepPositive = ${keepPos} with n = ${c.n}, which leaves the ${which} set empty`,
    );
  }
  const train = subset(full, keptList);
  return Object.freeze({
    ...train,
    test: subset(full, testList),
    keptIndices: Int32Array.from(keptList),
    testIndices: Int32Array.from(testList),
  });
}
