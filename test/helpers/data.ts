import type { Dataset } from '../../src/datasets/types.js';

/**
 * A Dataset assembled directly from rows and ±1 labels, without `dataset()`'s checks or copies: for tests of
 * the functions that receive data, so that their own validation is what is exercised.
 */
export function rawDataset(rows: number[][], y: number[]): Dataset {
  return { X: Float64Array.from(rows.flat()), y: Float64Array.from(y), n: rows.length, d: rows[0]!.length };
}

/** A small separable set in ℝ² (separable through the origin by θ = (1, 1)): three +1 points, three −1. */
export const smallSeparable: Dataset = rawDataset(
  [
    [2, 1],
    [1, 3],
    [3, 0.5],
    [-1, -2],
    [-2, -0.5],
    [-0.5, -3],
  ],
  [1, 1, 1, -1, -1, -1],
);
