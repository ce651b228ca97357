import { describe, expect, it } from 'vitest';
import { type Dataset, gd, logistic, normalizedGd, trainWeighted } from '../../src/index.js';

const data: Dataset = {
  X: Float64Array.from([2, 1, 1, 3, -1, -2, -2, -0.5]),
  y: Float64Array.from([1, 1, -1, -1]),
  n: 4,
  d: 2,
};

describe('long runs', () => {
  it('trainWeighted({ steps: 1e7 }) neither overflows nor stalls, keeps < 201 rows, and L falls like 1/t', () => {
    const res = trainWeighted({
      data,
      steps: 10_000_000,
      optimizer: gd({ lr: 0.1 }),
      record: { scale: 'log', points: 100 },
    });
    expect(res.status).toBe('completed');
    expect(res.stalledAt).toBeNull();
    expect(res.history.length).toBeLessThanOrEqual(101);
    const last = res.history.at(-1)!;
    expect(last.step).toBe(10_000_000);
    expect(last.loss).toBeGreaterThan(0);
    expect(Number.isFinite(last.norm!)).toBe(true);
    // the loss decreases monotonically across recorded rows (GD at a stable step size) ...
    for (let k = 1; k < res.history.length; k++)
      expect(res.history[k]!.logLoss).toBeLessThan(res.history[k - 1]!.logLoss);
    // ... and like 1/t: t·L(t) changes by < 5% over the last decade
    const at = (t: number) => res.history.find((r) => r.step >= t)!;
    const a = at(1_000_000);
    expect(Math.abs((last.step * last.loss) / (a.step * a.loss) - 1)).toBeLessThan(0.05);
  });

  it('trainWeighted with the logistic loss and normalizedGd runs 1e5 steps into the underflow tail without NaN', () => {
    const res = trainWeighted({ data, steps: 100_000, loss: logistic, optimizer: normalizedGd({ lr: 1 }) });
    expect(res.status).toBe('completed');
    const last = res.history.at(-1)!;
    expect(last.loss).toBe(0);
    expect(last.logLoss).toBeLessThan(-1e4);
    expect(Number.isFinite(last.logLoss)).toBe(true);
    expect(res.stalledAt).toBeNull();
  });
});
