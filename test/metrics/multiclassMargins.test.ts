import { describe, expect, it } from 'vitest';
import {
  dataset,
  linear,
  linearMulticlass,
  multiclassDataset,
  multiclassMargin,
  multiclassMargins,
} from '../../src/index.js';
import { invalid } from '../helpers/index.js';
import { tiny } from '../helpers/multiclass.js';

describe('multiclassMargins', () => {
  it('multiclassMargins(model, theta, data) are (z_y − max_{j≠y} zⱼ)/‖W‖_F, computed by hand', () => {
    const data = multiclassDataset(
      [
        [1, 0],
        [0, 1],
        [-1, -1],
        [1, 1],
      ],
      [0, 1, 2, 2],
    );
    const W = [1, 0, 0, 1, -1, -1]; // ‖W‖_F = 2
    // logits: (1, 0, −1), (0, 1, −1), (−1, −1, 2), (1, 1, −2) → margins 1, 1, 3, −3.
    expect(Array.from(multiclassMargins(linearMulticlass(2, 3), W, data))).toEqual([0.5, 0.5, 1.5, -1.5]);
    expect(multiclassMargin(linearMulticlass(2, 3), W, data)).toBe(-1.5);
    // Scale-free (α = 1).
    expect(
      Array.from(
        multiclassMargins(
          linearMulticlass(2, 3),
          W.map((v) => 7 * v),
          data,
        ),
      ),
    ).toEqual([0.5, 0.5, 1.5, -1.5]);
    expect(Array.from(multiclassMargins(linearMulticlass(2, 3), new Array(6).fill(0), data))).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('multiclassMargins(model, theta, data) rejects mismatched models, θ and data', () => {
    const m = linearMulticlass(2, 3);
    expect(() => multiclassMargins(linearMulticlass(2, 4), new Array(8).fill(1), tiny)).toThrow(
      invalid('multiclassMargins: model has 4 outputs but data has k = 3 classes'),
    );
    expect(() => multiclassMargins(m, [1, 2], tiny)).toThrow(invalid('theta must have length 6'));
    expect(() => multiclassMargins(m, new Array(6).fill(1), dataset([[1, 2]], [1]) as never)).toThrow(
      invalid('multiclassMargins: data must be a MulticlassDataset'),
    );
    expect(() => multiclassMargins(linear(2) as never, new Array(6).fill(1), tiny)).toThrow(
      invalid('must be a multiclass model'),
    );
  });
});
