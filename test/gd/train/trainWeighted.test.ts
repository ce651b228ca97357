import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordSteps } from '../../../src/gd/train/recordSteps.js';
import {
  adam,
  type Dataset,
  DivergedError,
  exponential,
  gd,
  linear,
  logistic,
  mirrorDescent,
  momentum,
  normalizedGd,
  trainWeighted,
  weightedRisk,
} from '../../../src/index.js';
import { rawDataset, smallSeparable } from '../../helpers/index.js';

/** Objective straight from the definitions: (1/n) Σ wᵢ ℓ(yᵢ θᵀxᵢ) + λ‖θ‖^r. */
function objective(
  theta: number[],
  data: Dataset,
  w: number[],
  loss = exponential,
  lambda = 0,
  r = 2,
): number {
  const margins: number[] = [];
  for (let i = 0; i < data.n; i++) {
    let f = 0;
    for (let j = 0; j < data.d; j++) f += theta[j]! * data.X[i * data.d + j]!;
    margins.push(data.y[i]! * f);
  }
  const nrm = Math.hypot(...theta);
  return weightedRisk(loss, margins, w) + lambda * nrm ** r;
}

function fdGradient(theta: number[], f: (t: number[]) => number): number[] {
  return theta.map((_, j) => {
    const h = 1e-6;
    const a = theta.slice();
    const b = theta.slice();
    a[j]! += h;
    b[j]! -= h;
    return (f(a) - f(b)) / (2 * h);
  });
}

describe('trainWeighted', () => {
  it('trainWeighted({ optimizer: gd({ lr }) }) takes exactly θ ← θ − lr·∇L(θ; w): one step against a finite difference (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom(exponential, logistic),
        fc.constantFrom(0, 0.01),
        fc.constantFrom(1.5, 2, 3),
        (init, w, loss, lambda, r) => {
          fc.pre(Math.hypot(...init) > 0.05);
          const lr = 0.1;
          const res = trainWeighted({
            data: smallSeparable,
            steps: 1,
            init,
            weights: w,
            loss,
            optimizer: gd({ lr }),
            ...(lambda > 0 ? { regularization: { lambda, r } } : {}),
          });
          const g = fdGradient(init, (t) => objective(t, smallSeparable, w, loss, lambda, r));
          init.forEach((t0, j) => {
            const expected = t0 - lr * g[j]!;
            expect(Math.abs(res.theta[j]! - expected)).toBeLessThan(1e-7);
          });
          expect(res.history[0]!.loss).toBeCloseTo(objective(init, smallSeparable, w, loss, lambda, r), 12);
        },
      ),
    );
  });

  it('trainWeighted(...) records the loss at θ(t) and steps at 0 and the end', () => {
    const res = trainWeighted({
      data: smallSeparable,
      steps: 50,
      init: [0.3, -0.2],
      record: { scale: 'linear', points: 5 },
    });
    expect(res.history.map((r) => r.step)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(res.history[0]!.loss).toBeCloseTo(objective([0.3, -0.2], smallSeparable, [1, 1, 1, 1, 1, 1]), 14);
    expect(res.steps).toBe(50);
    expect(res.status).toBe('completed');
  });

  it('trainWeighted(...) is deterministic: the same seed and options give bit-identical θ', () => {
    for (const optimizer of [
      gd({ lr: 0.1 }),
      momentum({ lr: 0.05 }),
      adam({ lr: 0.01 }),
      normalizedGd({ lr: 0.1 }),
    ]) {
      const a = trainWeighted({ data: smallSeparable, steps: 300, seed: 7, optimizer });
      const b = trainWeighted({ data: smallSeparable, steps: 300, seed: 7, optimizer });
      expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
      expect(a.history).toEqual(b.history);
    }
    const c = trainWeighted({ data: smallSeparable, steps: 10, seed: 8 });
    expect(Array.from(c.init)).not.toEqual(
      Array.from(trainWeighted({ data: smallSeparable, steps: 10, seed: 7 }).init),
    );
  });

  it('trainWeighted(...) drops a zero-weight point exactly, even one whose loss overflows', () => {
    // 4 points, one of them (index 3) would have e^{−u} = e^{1e4}: weight 0 must remove it exactly.
    const X = [
      [1, 0.5],
      [0.5, 1],
      [-1, -0.2],
      [-1e4, 0],
    ];
    const full = rawDataset(X, [1, 1, -1, 1]);
    const res = trainWeighted({ data: full, steps: 200, init: [1, 1], weights: [2, 2, 2, 0] });
    // Same objective on the first three points with 1/n = 1/4: weights 2·3/4 on a 3-point set give
    // (1/3)·Σ 1.5 ℓ = (1/4)·Σ 2 ℓ; compare the whole trajectory to a hand-written GD on that objective.
    let t = [1, 1];
    const part = rawDataset(X.slice(0, 3), [1, 1, -1]);
    for (let s = 0; s < 200; s++) {
      const g = [0, 0];
      for (let i = 0; i < 3; i++) {
        const u = part.y[i]! * (t[0]! * part.X[2 * i]! + t[1]! * part.X[2 * i + 1]!);
        const coef = (2 / 4) * -Math.exp(-u) * part.y[i]!;
        g[0]! += coef * part.X[2 * i]!;
        g[1]! += coef * part.X[2 * i + 1]!;
      }
      t = [t[0]! - 0.1 * g[0]!, t[1]! - 0.1 * g[1]!];
    }
    expect(res.theta[0]).toBeCloseTo(t[0]!, 12);
    expect(res.theta[1]).toBeCloseTo(t[1]!, 12);
  });

  it('trainWeighted(...) throws DIVERGED with the step and the last finite θ, or stops when asked', () => {
    // 1-D, x = 1 with both labels: L(θ) = cosh(θ); GD with lr = 50 overshoots ever further.
    const bad = rawDataset([[1], [1]], [1, -1]);
    let err: unknown;
    try {
      trainWeighted({ data: bad, steps: 1000, init: [0.5], optimizer: gd({ lr: 50 }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergedError);
    const de = err as DivergedError;
    expect(de.code).toBe('DIVERGED');
    expect(de.step).toBeGreaterThan(0);
    expect(de.step).toBeLessThan(1000);
    expect(Number.isFinite(de.lastFiniteTheta[0]!)).toBe(true);
    expect(de.message).toMatch(/trainWeighted: .* at step \d+/);
    const res = trainWeighted({
      data: bad,
      steps: 1000,
      init: [0.5],
      optimizer: gd({ lr: 50 }),
      onDiverge: 'stop',
    });
    expect(res.status).toBe('diverged');
    expect(res.divergedAt).toBe(de.step);
    expect(Number.isFinite(res.theta[0]!)).toBe(true);
  });

  it("trainWeighted(...) routes an optimizer's own DIVERGED (mirror descent leaving its domain) through onDiverge", () => {
    // lr = 1e4 with the entropy potential: w ⊙ exp(−lr·g) overflows on the first step.
    const optimizer = mirrorDescent({ lr: 1e4, potential: 'entropy' });
    const stopped = trainWeighted({
      data: smallSeparable,
      steps: 10,
      init: [1, 1],
      optimizer,
      onDiverge: 'stop',
    });
    expect(stopped.status).toBe('diverged');
    expect(stopped.divergedAt).toBe(1);
    expect(Array.from(stopped.theta)).toEqual([1, 1]);
    expect(() => trainWeighted({ data: smallSeparable, steps: 10, init: [1, 1], optimizer })).toThrow(
      /trainWeighted: the optimizer reported divergence \(mirrorDescent: .*\) at step 1/,
    );
  });

  it('trainWeighted(...) stops with status aborted when the signal fires from onProgress', () => {
    const ctl = new AbortController();
    const res = trainWeighted({
      data: smallSeparable,
      steps: 100_000,
      record: { scale: 'linear', points: 1000 },
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.step >= 500) ctl.abort();
      },
    });
    expect(res.status).toBe('aborted');
    expect(res.steps).toBe(500);
    expect(res.history.at(-1)!.step).toBe(500);
  });

  it('trainWeighted(...) with normalizedGd keeps a finite log-loss deep in the underflow tail', () => {
    const res = trainWeighted({
      data: smallSeparable,
      steps: 20_000,
      init: [0.1, 0.1],
      optimizer: normalizedGd({ lr: 1 }),
      record: { scale: 'linear', points: 20 },
    });
    const last = res.history.at(-1)!;
    expect(last.loss).toBe(0); // e^{−margin} underflows ...
    expect(Number.isFinite(last.logLoss)).toBe(true); // ... but log L is tracked
    expect(last.logLoss).toBeLessThan(-1000);
    // the log-loss keeps falling at a steady rate: no stall
    const a = res.history.at(-3)!.logLoss;
    const b = res.history.at(-2)!.logLoss;
    expect(last.logLoss - b).toBeLessThan(-10);
    expect(Math.abs(last.logLoss - b - (b - a))).toBeLessThan(0.05 * Math.abs(b - a));
    expect(res.stalledAt).toBeNull();
  });

  it('trainWeighted(...) reports stalledAt when a GD step falls below float64 resolution', () => {
    // ‖θ‖ = 2000 along a separating direction: every e^{−u} < e^{−1000}, so −lr·∇L underflows relative to θ.
    const res = trainWeighted({ data: smallSeparable, steps: 10, init: [1414, 1414] });
    expect(res.stalledAt).toBe(1);
    expect(Number.isFinite(res.history.at(-1)!.logLoss)).toBe(true);
  });

  it('trainWeighted(...) rejects bad options with INVALID_INPUT naming the option', () => {
    const cases: [object, RegExp][] = [
      [{ data: smallSeparable, steps: -1 }, /trainWeighted: steps must be an integer >= 0, got -1/],
      [{ data: smallSeparable, steps: 1.5 }, /steps must be an integer/],
      [{ data: smallSeparable, steps: 10, lr: 0.1 }, /trainWeighted: lr is not a known option/],
      [{ data: smallSeparable, steps: 10, weights: [1, 1] }, /weights must have length 6, got length 2/],
      [
        { data: smallSeparable, steps: 10, weights: [1, 1, 1, 1, 1, -2] },
        /weights\[5\] must be >= 0, got -2/,
      ],
      [{ data: smallSeparable, steps: 10, weights: [0, 0, 0, 0, 0, 0] }, /weights must not be all zero/],
      [{ data: smallSeparable, steps: 10, init: [1, Number.NaN] }, /init\[1\] must be finite, got NaN/],
      [{ data: smallSeparable, steps: 10, init: [1] }, /init must have length 2/],
      [
        { data: smallSeparable, steps: 10, model: linear(3) },
        /model expects inputDim = 3 but data has d = 2/,
      ],
      [{ data: smallSeparable, steps: 10, record: { metrics: ['angle'] } }, /reference is required/],
      [
        { data: smallSeparable, steps: 10, record: { metrics: ['nope'] } },
        /record.metrics\[0\] must be one of/,
      ],
      [{ data: smallSeparable, steps: 10, reference: [0, 0] }, /reference must be nonzero/],
      [{ data: { X: [1], y: [1] }, steps: 10 }, /data must be a Dataset \(build one with dataset\(X, y\)\)/],
      [
        { data: smallSeparable, steps: 10, regularization: { lambda: -1, r: 2 } },
        /regularization.lambda must be a finite number >= 0/,
      ],
      [{ data: smallSeparable, steps: 10, onDiverge: 'ignore' }, /onDiverge must be one of "throw", "stop"/],
    ];
    for (const [opts, msg] of cases) {
      let err: { code?: string; message?: string } = {};
      try {
        trainWeighted(opts as never);
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.code, String(msg)).toBe('INVALID_INPUT');
      expect(err.message).toMatch(msg);
    }
  });
});

describe('recordSteps', () => {
  it('recordSteps(1e6, { scale: "log" }) keeps a few hundred rows including 0 and 1e6', () => {
    const s = recordSteps(1_000_000);
    expect(s.length).toBeGreaterThan(100);
    expect(s.length).toBeLessThanOrEqual(201);
    expect(s[0]).toBe(0);
    expect(s.at(-1)).toBe(1_000_000);
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
  });

  it('recordSteps(steps, { at }) uses exactly the given steps plus 0 and the end', () => {
    expect(Array.from(recordSteps(100, { at: [5, 50, 5] }))).toEqual([0, 5, 50, 100]);
    expect(() => recordSteps(100, { at: [101] })).toThrow(
      /record.at\[0\] must be an integer >= 0 and <= 100/,
    );
  });
});
