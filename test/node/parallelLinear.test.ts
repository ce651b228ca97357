/**
 * The Node-only parallel linear model (src/node) and the blocked kernel paths it relies on. The worker
 * threads run from the TypeScript source here (through tsx); test/build/node.test.ts runs them from the
 * built dist files.
 */

import { afterAll, describe, expect, it } from 'vitest';
import { gd, trainWeighted } from '../../src/gd/index.js';
import { linearChunkRows, linearObjective } from '../../src/kernels/linear.js';
import { exponential, logistic } from '../../src/losses/index.js';
import { linear } from '../../src/models/linear.js';
import { parallelLinear } from '../../src/node/index.js';
import { expectIdentical, expectMatchesNaive, problem, run } from './problems.js';

// Shapes chosen to cover: several chunks, a partial last chunk, n mod 8 ≠ 0, odd d, data in cache and
// not (n·d on either side of 2¹⁸).
const shapes: Array<[number, number, boolean]> = [
  [2003, 100, false],
  [3001, 100, true],
  [30001, 7, false],
  [40000, 7, true],
];

describe('linearObjective (blocked kernel) on small and large data', () => {
  it('linearObjective(grad, margins, theta, batch, …) equals the naive loop in cache and from memory', () => {
    for (const [n, d, bias] of shapes) {
      const pr = problem(n, d, bias, n + d);
      for (const loss of [exponential, logistic]) {
        for (const shift of [0, 2.5]) {
          const grad = new Float64Array(pr.theta.length);
          const margins = new Float64Array(n);
          const batch = { X: pr.data.X, y: pr.data.y, c: pr.c, n, d };
          const value = linearObjective(grad, margins, pr.theta, batch, bias, loss.id, shift);
          expectMatchesNaive({ value, grad, margins }, pr, loss, shift);
        }
      }
    }
    expect(shapes.some(([n, d]) => n * d > 1 << 18)).toBe(true);
    expect(shapes.some(([n, d]) => n * d <= 1 << 18)).toBe(true);
  });
});

describe('parallelLinear(d, options)', () => {
  const models: Array<{ close(): void }> = [];
  const make = (d: number, options: Parameters<typeof parallelLinear>[1]) => {
    const model = parallelLinear(d, options);
    models.push(model);
    return model;
  };
  afterAll(() => {
    for (const model of models) model.close();
  });

  it('parallelLinear(d, { threads: 2, minWork: 0 }).objective equals the naive loop (both losses, bias, shift)', () => {
    for (const [n, d, bias] of shapes) {
      const pr = problem(n, d, bias, 7 * n + d);
      expect(n).toBeGreaterThan(linearChunkRows(d));
      const model = make(d, { bias, threads: 2, minWork: 0 });
      for (const loss of [exponential, logistic]) {
        for (const shift of [0, 2.5]) expectMatchesNaive(run(model, pr, loss, shift), pr, loss, shift);
      }
    }
  });

  it('parallelLinear(d) gives bit-identical results for threads 1, 2 and 3 and on repeated calls', () => {
    const [n, d, bias] = [5003, 33, true];
    const pr = problem(n, d, bias, 11);
    const one = make(d, { bias, threads: 1 });
    const two = make(d, { bias, threads: 2, minWork: 0 });
    const three = make(d, { bias, threads: 3, minWork: 0 });
    for (const loss of [exponential, logistic]) {
      const ref = run(one, pr, loss);
      expectIdentical(run(two, pr, loss), ref);
      expectIdentical(run(three, pr, loss), ref);
      expectIdentical(run(two, pr, loss), ref);
    }
  });

  it('parallelLinear(d) is bit-identical to linear(d) when n fits in one chunk', () => {
    const d = 20;
    const pr = problem(linearChunkRows(d) - 3, d, false, 5);
    expectIdentical(run(make(d, { threads: 2, minWork: 0 }), pr), run(linear(d), pr));
  });

  it('parallelLinear(d) sees a new dataset and in-place changes of the weights between calls', () => {
    const [n, d] = [3000, 40];
    const model = make(d, { threads: 2, minWork: 0 });
    const single = make(d, { threads: 1 });
    const a = problem(n, d, false, 1);
    const b = problem(n, d, false, 2);
    expectIdentical(run(model, a), run(single, a));
    expectIdentical(run(model, b), run(single, b));
    b.c.fill(1 / n);
    expectIdentical(run(model, b), run(single, b));
    const larger = problem(2 * n + 5, d, false, 3);
    expectIdentical(run(model, larger), run(single, larger));
  });

  it('trainWeighted({ model: parallelLinear(d) }) runs unchanged and matches threads: 1 bit for bit', () => {
    const [n, d] = [4000, 30];
    const pr = problem(n, d, false, 9);
    // Row 0's loss overflows (see problem()); its zero weight drops it exactly.
    const weights = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : 0.5 + (i % 3)));
    const train = (model: ReturnType<typeof linear>) =>
      trainWeighted({
        data: pr.data,
        model,
        weights,
        steps: 25,
        init: pr.theta,
        optimizer: gd({ lr: 0.05 }),
      });
    const par = train(make(d, { threads: 2, minWork: 0 }));
    const seq = train(make(d, { threads: 1 }));
    const plain = train(linear(d));
    expect(Array.from(par.theta)).toEqual(Array.from(seq.theta));
    expect(par.history.map((h) => h.loss)).toEqual(seq.history.map((h) => h.loss));
    for (let j = 0; j < d; j++) {
      expect(Math.abs(par.theta[j]! - plain.theta[j]!)).toBeLessThanOrEqual(
        1e-12 * (1 + Math.abs(plain.theta[j]!)),
      );
    }
  });

  it('close() is idempotent and the model keeps working on the calling thread; Symbol.dispose closes', () => {
    const [n, d] = [2500, 50];
    const pr = problem(n, d, false, 4);
    const model = parallelLinear(d, { threads: 2, minWork: 0 });
    const before = run(model, pr);
    model.close();
    model.close();
    expectIdentical(run(model, pr), before);
    expect(model[Symbol.dispose]).toBe(model.close);
  });

  it('parallelLinear(d, options) validates its options', () => {
    expect(() => parallelLinear(0)).toThrow(/parallelLinear: d must be an integer >= 1/);
    expect(() => parallelLinear(3, { threads: 0 })).toThrow(/threads/);
    expect(() => parallelLinear(3, { threads: 1.5 })).toThrow(/threads/);
    expect(() => parallelLinear(3, { minWork: -1 })).toThrow(/minWork/);
    expect(() => parallelLinear(3, { bias: 1 as unknown as boolean })).toThrow(/bias/);
    expect(() => parallelLinear(3, { thread: 2 } as never)).toThrow(/not a known option/);
    const model = parallelLinear(3, { threads: 2 });
    expect(model.name).toBe('linear');
    expect(model.size).toBe(3);
    expect(model.threads).toBe(2);
    model.close();
  });
});
