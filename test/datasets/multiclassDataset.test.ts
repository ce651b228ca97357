import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { datasets, multiclassDataset } from '../../src/index.js';
import { invalid } from '../helpers/index.js';
import { rowsOf } from '../helpers/multiclass.js';

describe('multiclassDataset', () => {
  it('multiclassDataset(X, labels, k?, d?) returns a frozen copy { X, labels, n, d, k } from every input form', () => {
    const rows = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const labels = [2, 0, 1];
    for (const data of [
      multiclassDataset(rows, labels),
      multiclassDataset([1, 2, 3, 4, 5, 6], labels, 3, 2),
      multiclassDataset(new Matrix(rows), Int32Array.from(labels)),
      multiclassDataset(rows, labels, 3),
    ]) {
      expect(Array.from(data.X)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(data.labels).toBeInstanceOf(Int32Array);
      expect(Array.from(data.labels)).toEqual(labels);
      expect([data.n, data.d, data.k]).toEqual([3, 2, 3]);
      expect(Object.isFrozen(data)).toBe(true);
    }
    // k larger than the largest label (a class with no rows, e.g. in a test split).
    expect(multiclassDataset(rows, [0, 1, 1], 5).k).toBe(5);
    // Not aliased.
    const src = [[1, 2]];
    const lab = [1];
    const data = multiclassDataset(src, lab, 2);
    src[0]![0] = 9;
    lab[0] = 0;
    expect(data.X[0]).toBe(1);
    expect(data.labels[0]).toBe(1);
  });

  it('multiclassDataset(X, labels, k?, d?) rejects bad labels, k and shapes with messages naming the option', () => {
    expect(() => multiclassDataset([[1], [2]], [0, 1.5])).toThrow(
      invalid('multiclassDataset: labels[1] must be an integer class index in [0, k), got 1.5'),
    );
    expect(() => multiclassDataset([[1], [2]], [-1, 1])).toThrow(
      invalid('for ±1 labels use y.map(v => (v + 1) / 2)'),
    );
    expect(() => multiclassDataset([[1], [2]], [0, 3], 3)).toThrow(
      invalid('labels[1] must be < k = 3, got 3'),
    );
    expect(() => multiclassDataset([[1], [2]], [0, 0])).toThrow(invalid('must name at least 2 classes'));
    expect(() => multiclassDataset([[1], [2]], [0])).toThrow(invalid('labels must have length n = 2'));
    expect(() => multiclassDataset([[1], [2]], [0, Number.NaN])).toThrow(
      invalid('labels[1] must be finite, got NaN'),
    );
    expect(() => multiclassDataset([[1], [2]], [0, 1], 1)).toThrow(
      invalid('multiclassDataset: k must be an integer >= 2, got 1'),
    );
    expect(() => multiclassDataset([1, 2], [0, 1])).toThrow(
      invalid('multiclassDataset: d is required when X is a flat array'),
    );
    expect(() => multiclassDataset([[1, 2], [3]], [0, 1])).toThrow(invalid('X[1] must have length 2'));
    expect(() => multiclassDataset([[1, Number.POSITIVE_INFINITY]], [0], 2)).toThrow(
      invalid('X[0][1] must be finite'),
    );
    expect(() => multiclassDataset([], [])).toThrow(invalid('must have at least one row'));
  });
});

describe('datasets.blobs', () => {
  it('datasets.blobs(options) is deterministic, balanced, and every row has the guaranteed planted margin', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (k, d, seed) => {
          const n = 4 * k + 1;
          const a = datasets.blobs({ n, k, d, seed });
          const b = datasets.blobs({ n, k, d, seed });
          expect(Array.from(a.X)).toEqual(Array.from(b.X));
          expect([a.n, a.d, a.k]).toEqual([n, d, k]);
          // Class sizes ⌊n/k⌋ (+1 for the first n mod k classes), rows grouped by class.
          const counts = new Array<number>(k).fill(0);
          for (const c of a.labels) counts[c]!++;
          expect(counts).toEqual(Array.from({ length: k }, (_, c) => 4 + (c < 1 ? 1 : 0)));
          expect(Array.from(a.labels)).toEqual([...a.labels].sort((p, q) => p - q));
          // Planted margin by hand: centres at angles 2πc/k in the first two coordinates.
          rowsOf(a).forEach((x, i) => {
            const y = a.labels[i]!;
            const s = (c: number) =>
              Math.cos((2 * Math.PI * c) / k) * x[0]! + Math.sin((2 * Math.PI * c) / k) * x[1]!;
            for (let c = 0; c < k; c++) if (c !== y) expect(s(y) - s(c)).toBeGreaterThanOrEqual(0.5 - 1e-12);
          });
        },
      ),
      { numRuns: 30 },
    );
    expect(Array.from(datasets.blobs({ seed: 1 }).X)).not.toEqual(Array.from(datasets.blobs({ seed: 2 }).X));
  });

  it('datasets.blobs(options) rejects bad options', () => {
    expect(() => datasets.blobs({ k: 1 })).toThrow(invalid('datasets.blobs: k must be an integer >= 2'));
    expect(() => datasets.blobs({ k: 5, n: 4 })).toThrow(
      invalid('datasets.blobs: n must be an integer >= 5'),
    );
    expect(() => datasets.blobs({ d: 1 })).toThrow(invalid('datasets.blobs: d must be an integer >= 2'));
    expect(() => datasets.blobs({ margin: 10 })).toThrow(invalid('datasets.blobs: margin must be <= spread'));
    expect(() => datasets.blobs({ sigma: 1 } as never)).toThrow(invalid('sigma is not a known option'));
  });
});
