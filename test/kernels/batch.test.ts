import { describe, expect, it } from 'vitest';
import { dataset, multiclassDataset } from '../../src/datasets/index.js';
import {
  loadMarginBatch,
  loadMulticlassBatch,
  marginBatch,
  multiclassBatch,
} from '../../src/kernels/batch.js';
import { linearObjective } from '../../src/kernels/linear.js';
import { exponential } from '../../src/losses/index.js';

describe('marginBatch(d) / loadMarginBatch(batch, data, c)', () => {
  it('loadMarginBatch(batch, data, c) returns batch, points it at the arrays of data and c (no copy) and keeps d', () => {
    const batch = marginBatch(2);
    const data = dataset(
      [
        [1, 2],
        [3, -1],
      ],
      [1, -1],
    );
    const c = Float64Array.of(0.5, 0.25);
    expect(loadMarginBatch(batch, data, c)).toBe(batch);
    expect(batch.X).toBe(data.X);
    expect(batch.y).toBe(data.y);
    expect(batch.c).toBe(c);
    expect(batch.n).toBe(2);
    expect(batch.d).toBe(2);
    // Reloading replaces every view: one batch serves every call of a model.
    const other = dataset([[0, 1]], [1]);
    loadMarginBatch(batch, other, Float64Array.of(1));
    expect([batch.X, batch.y, batch.n]).toEqual([other.X, other.y, 1]);
  });

  it('a kernel reads a loaded batch exactly as the same views in a literal', () => {
    const data = dataset(
      [
        [1, 2],
        [3, -1],
        [-2, 0.5],
      ],
      [1, -1, 1],
    );
    const c = Float64Array.of(0.5, 0.25, 1);
    const theta = Float64Array.of(0.3, -0.2);
    const run = (batch: Parameters<typeof linearObjective>[3]) => {
      const grad = new Float64Array(2);
      const margins = new Float64Array(3);
      const value = linearObjective(grad, margins, theta, batch, false, exponential.id, 0);
      return [value, ...grad, ...margins];
    };
    const literal = run({ X: data.X, y: data.y, c, n: 3, d: 2 });
    expect(run(loadMarginBatch(marginBatch(2), data, c))).toEqual(literal);
  });
});

describe('multiclassBatch(d, k) / loadMulticlassBatch(batch, data, c)', () => {
  it('loadMulticlassBatch(batch, data, c) returns batch, points it at the arrays of data and c and keeps d and k', () => {
    const batch = multiclassBatch(2, 3);
    const data = multiclassDataset(
      [
        [1, 2],
        [3, -1],
      ],
      [0, 2],
      3,
    );
    const c = Float64Array.of(1, 1);
    expect(loadMulticlassBatch(batch, data, c)).toBe(batch);
    expect(batch.X).toBe(data.X);
    expect(batch.labels).toBe(data.labels);
    expect(batch.c).toBe(c);
    expect([batch.n, batch.d, batch.k]).toEqual([2, 2, 3]);
  });
});
