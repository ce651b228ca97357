/**
 * supportCount(model, theta, data, { tol }) and trainWeighted's 'supportCount' metric. References: margins
 * computed by hand, and the support set of `hardMarginSVM` (an independent QP solver) after a long
 * normalized-GD run.
 */

import { describe, expect, it } from 'vitest';
import { dataset } from '../../src/datasets/dataset.js';
import { datasets } from '../../src/datasets/index.js';
import { gd } from '../../src/gd/optimizers/gd.js';
import { normalizedGd } from '../../src/gd/optimizers/normalizedGd.js';
import { trainWeighted } from '../../src/gd/train/trainWeighted.js';
import { normalizedMargins, supportCount } from '../../src/metrics/index.js';
import { linear } from '../../src/models/linear.js';
import { hardMarginSVM } from '../../src/svm/hardMarginSVM.js';

describe('supportCount', () => {
  // θ = (1, 1): margins (1, 1, 1.0005, 4, 4)/√2 — two exact ties, one point 5e-4 (relative) above them
  const hand = dataset(
    [
      [1, 0],
      [0, 1],
      [1.0005, 0],
      [2, 2],
      [-3, -1],
    ],
    [1, 1, 1, 1, -1],
  );

  it('supportCount(model, theta, data, { tol }) counts the margins within tol·|γ̃| of the minimum (hand example)', () => {
    const model = linear(2);
    expect(supportCount(model, [1, 1], hand)).toBe(3); // default 1e-3 > 5e-4
    expect(supportCount(model, [1, 1], hand, { tol: 1e-4 })).toBe(2);
    expect(supportCount(model, [1, 1], hand, { tol: 0 })).toBe(2); // exact ties only
    expect(supportCount(model, [1, 1], hand, { tol: 3 })).toBe(5); // 4 ≤ 1 + 3·1
    // scale-free: θ and 1000θ give the same count
    expect(supportCount(model, Float64Array.of(1000, 1000), hand, { tol: 1e-4 })).toBe(2);
  });

  it('supportCount(...) with γ̃ < 0 counts relative to |γ̃|, and at θ = 0 every point counts', () => {
    const model = linear(2);
    // θ = (1, 0): margins −1, −0.9995, 1 (all labelled +1)
    const data = dataset(
      [
        [-1, 0],
        [-0.9995, 0],
        [1, 0],
      ],
      [1, 1, 1],
    );
    expect(supportCount(model, [1, 0], data)).toBe(2);
    expect(supportCount(model, [1, 0], data, { tol: 1e-4 })).toBe(1);
    expect(supportCount(model, [0, 0], data)).toBe(3);
  });

  it('supportCount(...) rejects bad input with INVALID_INPUT naming the option', () => {
    const model = linear(2);
    const cases: [() => unknown, RegExp][] = [
      [
        () => supportCount(model, [1, 1], hand, { tol: -1 }),
        /supportCount: options.tol must be a finite number >= 0, got -1/,
      ],
      [
        () => supportCount(model, [1, 1], hand, { tol: Number.NaN }),
        /options.tol must be a finite number >= 0, got NaN/,
      ],
      [() => supportCount(model, [1, 1], hand, { tl: 1 } as never), /tl is not a known option/],
      [() => supportCount(model, [1, 1, 1], hand), /theta must have length 2/],
      [() => supportCount(model, [1, Number.POSITIVE_INFINITY], hand), /theta\[1\] must be finite/],
      [() => supportCount(linear(3), [1, 1, 1], hand), /inputDim = 3/],
    ];
    for (const [f, msg] of cases) {
      let err: { code?: string; message?: string } = {};
      try {
        f();
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.code, String(msg)).toBe('INVALID_INPUT');
      expect(err.message).toMatch(msg);
    }
  });

  it("supportCount(...) after 10⁵ normalized-GD steps equals the size of hardMarginSVM's support, and the recorded 'supportCount' matches", () => {
    for (const [seed, d] of [
      [1, 2],
      [2, 2],
      [3, 2],
      [4, 2],
      [5, 2],
      [6, 3],
      [7, 3],
    ] as const) {
      const data = datasets.separable({ n: 12, d, seed });
      const svm = hardMarginSVM(data);
      // the reference support is well defined: active (margin within 1e-9 of γ*) = support (p* > 0)
      expect(Array.from(svm.active)).toEqual(Array.from(svm.support));
      const run = trainWeighted({
        data,
        steps: 100_000,
        optimizer: normalizedGd({ lr: 0.1 }),
        init: new Float64Array(d),
        record: { points: 5, metrics: ['theta', 'supportCount'], supportTol: 1e-3 },
      });
      for (const row of run.history) {
        expect(row.supportCount).toBe(supportCount(linear(d), row.theta!, data, { tol: 1e-3 }));
      }
      const theta = run.theta;
      expect(supportCount(linear(d), theta, data)).toBe(svm.support.length);
      // and the counted points are the SVM's: the support's margins are the smallest ones
      const m = normalizedMargins(linear(d), theta, data);
      const order = Array.from(m.keys()).sort((a, b) => m[a]! - m[b]!);
      expect(order.slice(0, svm.support.length).sort((a, b) => a - b)).toEqual(Array.from(svm.support));
      // the SVM solution itself: its support vectors tie to rounding
      expect(supportCount(linear(d), svm.theta, data, { tol: 1e-9 })).toBe(svm.support.length);
    }
  });

  it('finding: under plain GD the support margins equalize only like 1/log t, so at 10⁵ steps tol = 1e-3 counts 1 of 2 support vectors', () => {
    const data = datasets.separable({ n: 12, d: 2, seed: 1 });
    const svm = hardMarginSVM(data);
    expect(svm.support.length).toBe(2);
    const run = trainWeighted({
      data,
      steps: 100_000,
      optimizer: gd({ lr: 1 }),
      init: new Float64Array(2),
      record: { at: [1000, 100_000], metrics: ['theta', 'supportCount'] },
    });
    const last = run.history.at(-1)!;
    expect(last.supportCount).toBe(1);
    const m = normalizedMargins(linear(2), last.theta!, data);
    const [i, j] = svm.support;
    const spread = Math.abs(m[i!]! - m[j!]!) / Math.min(m[i!]!, m[j!]!);
    expect(spread).toBeGreaterThan(0.05); // measured 0.12
  });

  it("trainWeighted(...) rejects a bad record.supportTol; 'supportCount' is n at θ = 0", () => {
    const data = datasets.separable({ n: 6, d: 2, seed: 1 });
    expect(() => trainWeighted({ data, steps: 1, record: { supportTol: -1 } })).toThrow(
      /trainWeighted: record.supportTol must be a finite number >= 0, got -1/,
    );
    const run = trainWeighted({
      data,
      steps: 1,
      init: [0, 0],
      record: { metrics: ['supportCount'] },
    });
    expect(run.history[0]!.supportCount).toBe(6);
  });
});
