/** The geometry optimizers (steepestDescent, mirrorDescent) inside the training loops. */

import { describe, expect, it } from 'vitest';
import { dataset, datasets } from '../../../src/datasets/index.js';
import {
  mirrorDescent,
  type Optimizer,
  steepestDescent,
  trainRegression,
  trainWeighted,
} from '../../../src/gd/index.js';
import { LX, LY } from '../optimizers/geometry.js';

describe('geometry optimizers in trainWeighted', () => {
  const data = dataset(LX, LY);

  it.each([
    ['steepestDescent l1', steepestDescent({ lr: 0.5, norm: 'l1' })],
    ['steepestDescent linf', steepestDescent({ lr: 0.2, norm: 'linf' })],
    [
      'steepestDescent { quadratic }',
      steepestDescent({
        lr: 0.5,
        norm: {
          quadratic: [
            [2, 0],
            [0, 1],
          ],
        },
      }),
    ],
    ['mirrorDescent entropy', mirrorDescent({ lr: 0.5, potential: 'entropy' })],
    ['mirrorDescent { p: 3 }', mirrorDescent({ lr: 0.5, potential: { p: 3 } })],
  ] as [string, Optimizer][])(
    'trainWeighted({ optimizer: %s }) runs and decreases the loss',
    (_, optimizer) => {
      const res = trainWeighted({ data, optimizer, steps: 200, init: [0.2, 0.1] });
      expect(res.status).toBe('completed');
      const first = res.history[0].loss;
      const lastRow = res.history[res.history.length - 1];
      expect(lastRow.loss).toBeLessThan(0.5 * first);
    },
  );
});

describe('geometry optimizers in trainRegression', () => {
  it.each([
    ['steepestDescent { p: 4/3 }', steepestDescent({ lr: 0.01, norm: { p: 4 / 3 } })],
    ['steepestDescent l1', steepestDescent({ lr: 0.05, norm: 'l1' })],
    ['steepestDescent linf', steepestDescent({ lr: 0.005, norm: 'linf' })],
    ['mirrorDescent { p: 3 }', mirrorDescent({ lr: 0.01, potential: { p: 3 } })],
  ] as [string, Optimizer][])(
    'trainRegression({ data: datasets.slidesRegression(), optimizer: %s }) reaches an interpolant',
    (_, optimizer) => {
      const data = datasets.slidesRegression();
      const res = trainRegression({ data, optimizer, steps: 20_000, init: 'zeros' });
      expect(res.status).toBe('completed');
      // Xw = y for X = [[1, 1, 1], [1, 2, 0]], y = [1, 10]
      const w = res.w;
      expect(Math.abs(w[0] + w[1] + w[2] - 1)).toBeLessThan(1e-6);
      expect(Math.abs(w[0] + 2 * w[1] - 10)).toBeLessThan(1e-6);
    },
  );
});
