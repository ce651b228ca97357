import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  createRng,
  DivergedError,
  datasets,
  gd,
  minNormInterpolant,
  momentum,
  type RegressionDataset,
  regressionDataset,
  rowSpaceBasis,
  trainRegression,
} from '../../../src/index.js';
import { squaredLossObjective } from '../../../src/kernels/squaredLoss.js';
import { invalid } from '../../helpers/index.js';

/** L(w) = Σᵢ (wᵀxᵢ − yᵢ)² straight from the definition. */
function loss(data: RegressionDataset, w: ArrayLike<number>): number {
  let L = 0;
  for (let i = 0; i < data.n; i++) {
    let s = 0;
    for (let j = 0; j < data.d; j++) s += data.X[i * data.d + j]! * w[j]!;
    L += (s - data.y[i]!) ** 2;
  }
  return L;
}

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const sigmaMax = (data: RegressionDataset): number =>
  rowSpaceBasis(data.X, data.n, data.d).singularValues[0]!;

function gaussian(seed: number, n: number, d: number): RegressionDataset {
  const rng = createRng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => 3 * rng.normal());
  return regressionDataset(X, y, d);
}

describe('squaredLossObjective (kernel)', () => {
  it('squaredLossObjective(grad, residuals, w, { X, y, n, d }) matches a plain loop for every n mod 4', () => {
    for (let n = 0; n <= 11; n++) {
      const d = 1 + (n % 5);
      const data = n === 0 ? { X: new Float64Array(0), y: new Float64Array(0), n: 0, d } : gaussian(n, n, d);
      const rng = createRng(100 + n);
      const w = Float64Array.from({ length: d }, () => rng.normal());
      const X = Float64Array.from(data.X);
      const y = Float64Array.from(data.y);
      const grad = new Float64Array(d).fill(Number.NaN);
      const residuals = new Float64Array(n).fill(Number.NaN);
      const L = squaredLossObjective(grad, residuals, w, { X, y, n, d });
      const want = new Float64Array(d);
      let wantL = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += X[i * d + j]! * w[j]!;
        const r = s - y[i]!;
        expect(residuals[i]).toBeCloseTo(r, 12);
        wantL += r * r;
        for (let j = 0; j < d; j++) want[j]! += 2 * r * X[i * d + j]!;
      }
      expect(L).toBeCloseTo(wantL, 10);
      for (let j = 0; j < d; j++) expect(grad[j]).toBeCloseTo(want[j]!, 10);
      // Inputs untouched.
      expect(X).toEqual(data.X);
      expect(y).toEqual(data.y);
    }
  });

  it('squaredLossObjective returns a gradient equal to a central finite difference of L', () => {
    const data = gaussian(5, 7, 9);
    const rng = createRng(6);
    const w = Float64Array.from({ length: 9 }, () => rng.normal());
    const grad = new Float64Array(9);
    squaredLossObjective(grad, new Float64Array(7), w, data);
    const h = 1e-5;
    for (let j = 0; j < 9; j++) {
      const plus = Float64Array.from(w);
      const minus = Float64Array.from(w);
      plus[j]! += h;
      minus[j]! -= h;
      const fd = (loss(data, plus) - loss(data, minus)) / (2 * h);
      expect(Math.abs(grad[j]! - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
    }
  });
});

describe('regression datasets', () => {
  it('regressionDataset(X, y) keeps real targets and reads rows, flat arrays and ml-matrix alike', () => {
    const a = regressionDataset(
      [
        [1, 1, 1],
        [1, 2, 0],
      ],
      [1, 10],
    );
    expect(a.n).toBe(2);
    expect(a.d).toBe(3);
    expect(Array.from(a.y)).toEqual([1, 10]);
    expect(Object.isFrozen(a)).toBe(true);
    expect(regressionDataset([1, 1, 1, 1, 2, 0], [1, 10], 3)).toEqual(a);
    expect(
      regressionDataset(
        new Matrix([
          [1, 1, 1],
          [1, 2, 0],
        ]),
        Float64Array.of(1, 10),
      ),
    ).toEqual(a);
    expect(regressionDataset([[0.5]], [-3.25]).y[0]).toBe(-3.25);
  });

  it('regressionDataset rejects what dataset rejects (except labels), naming regressionDataset', () => {
    expect(() => regressionDataset([[1, 2], [1]], [1, 2])).toThrow(
      invalid('regressionDataset: X[1] must have length 2'),
    );
    expect(() => regressionDataset([[1, Number.NaN]], [1])).toThrow(
      invalid('regressionDataset: X[0][1] must be finite (row 0, column 1)'),
    );
    expect(() => regressionDataset([1, 2, 3, 4], [1, 2])).toThrow(
      invalid('d is required when X is a flat array'),
    );
    expect(() => regressionDataset([], [])).toThrow(invalid('X must have at least one row'));
    expect(() => regressionDataset([[1], [2]], [1])).toThrow(invalid('y must have length n = 2'));
    expect(() => regressionDataset([[1]], [Number.POSITIVE_INFINITY])).toThrow(
      invalid('y[0] must be finite'),
    );
    expect(() => regressionDataset([[1, 2]], [1], 3)).toThrow(invalid('d must equal the number of columns'));
  });

  it('datasets.underdetermined({ n, d, seed }) is Gaussian, deterministic in the seed, and has n < d', () => {
    const a = datasets.underdetermined({ n: 4, d: 9, seed: 3 });
    expect([a.n, a.d, a.X.length, a.y.length]).toEqual([4, 9, 36, 4]);
    expect(datasets.underdetermined({ n: 4, d: 9, seed: 3 })).toEqual(a);
    expect(datasets.underdetermined({ n: 4, d: 9, seed: 4 }).X).not.toEqual(a.X);
    const def = datasets.underdetermined();
    expect([def.n, def.d]).toEqual([10, 30]);
    expect(rowSpaceBasis(def.X, def.n, def.d).rank).toBe(10);
    // Draws are standard normal: mean ≈ 0, variance ≈ 1 over many entries.
    const big = datasets.underdetermined({ n: 100, d: 200, seed: 1 });
    const mean = big.X.reduce((s, v) => s + v, 0) / big.X.length;
    const variance = big.X.reduce((s, v) => s + (v - mean) ** 2, 0) / big.X.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(() => datasets.underdetermined({ n: 5, d: 5 })).toThrow(
      invalid('datasets.underdetermined: d must be'),
    );
    expect(() => datasets.underdetermined({ m: 5 } as never)).toThrow(invalid('m is not a known option'));
  });

  it('datasets.slidesRegression() is {([1,1,1], 1), ([1,2,0], 10)}', () => {
    const s = datasets.slidesRegression();
    expect(Array.from(s.X)).toEqual([1, 1, 1, 1, 2, 0]);
    expect(Array.from(s.y)).toEqual([1, 10]);
    expect([s.n, s.d]).toEqual([2, 3]);
  });
});

describe('trainRegression', () => {
  it('trainRegression({ optimizer: gd({ lr }) }) takes exactly w ← w − lr·∇L, with ∇L a central finite difference of L', () => {
    const data = gaussian(11, 5, 8);
    const rng = createRng(12);
    const init = Float64Array.from({ length: 8 }, () => rng.normal());
    const lr = 1e-3;
    const { w } = trainRegression({ data, steps: 1, init, optimizer: gd({ lr }) });
    const h = 1e-5;
    for (let j = 0; j < 8; j++) {
      const plus = Float64Array.from(init);
      const minus = Float64Array.from(init);
      plus[j]! += h;
      minus[j]! -= h;
      const fd = (loss(data, plus) - loss(data, minus)) / (2 * h);
      const g = (init[j]! - w[j]!) / lr;
      expect(Math.abs(g - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
    }
  });

  it('trainRegression records loss = Σ (wᵀxᵢ − yᵢ)² (a sum), residualNorm, norm and distance', () => {
    const data = datasets.slidesRegression();
    const ref = minNormInterpolant(data.X, data.y).w;
    const res = trainRegression({
      data,
      steps: 10,
      optimizer: gd({ lr: 0.01 }),
      reference: ref,
      record: { metrics: ['loss', 'residualNorm', 'norm', 'distance', 'w'], scale: 'linear', points: 10 },
    });
    expect(res.history.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(res.history[0]!.loss).toBe(101); // w0 = 0: 1² + 10²
    for (const row of res.history) {
      expect(row.loss).toBeCloseTo(loss(data, row.w!), 10);
      expect(row.residualNorm).toBeCloseTo(Math.sqrt(row.loss), 12);
      expect(row.norm).toBeCloseTo(norm(row.w!), 12);
      expect(row.distance).toBeCloseTo(norm(row.w!.map((x, j) => x - ref[j]!)), 12);
    }
    expect(Array.from(res.init)).toEqual([0, 0, 0]);
  });

  it('Proposition 1: for any Gaussian X (n < d), y and w0, GD converges to minNormInterpolant(X, y, w0)', () => {
    let worst = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.double({ min: 0.2, max: 0.9, noNaN: true }),
        (n, extra, seed, frac) => {
          const d = n + extra;
          const data = gaussian(seed, n, d);
          const rng = createRng(seed, 5);
          const init = Float64Array.from({ length: d }, () => 2 * rng.normal());
          const sv = rowSpaceBasis(data.X, n, d).singularValues;
          const kappa = sv[0]! / sv[n - 1]!;
          // Gaussian X with n close to d can be badly conditioned; GD then needs ~κ² steps.
          fc.pre(kappa <= 50);
          const ref = minNormInterpolant(data.X, data.y, init);
          // Any constant lr below the stability limit 1/σ_max² minimizes L; here frac/σ_max². The slowest
          // row-space direction contracts by 1 − 2·frac/κ² per step: run until that is below e^{−40}.
          const steps = Math.ceil((20 * kappa * kappa) / frac) + 100;
          const res = trainRegression({
            data,
            steps,
            init,
            optimizer: gd({ lr: frac / (sv[0]! * sv[0]!) }),
            reference: ref.w,
            record: { points: 2 },
          });
          const err = res.history.at(-1)!.distance! / (1 + norm(ref.w));
          worst = Math.max(worst, err);
          expect(err).toBeLessThan(1e-8);
        },
      ),
      { numRuns: 40 },
    );
    // The measured worst relative error is at rounding level (reported in docs/geometry.md).
    expect(worst).toBeLessThan(1e-8);
  });

  it('trainRegression with the default optimizer gd({ lr: 1/(2σ²) }) converges on the slides example', () => {
    const data = datasets.slidesRegression();
    const ref = minNormInterpolant(data.X, data.y).w;
    const res = trainRegression({ data, steps: 2000, reference: ref });
    expect(res.history.at(-1)!.distance!).toBeLessThan(1e-12);
    expect(res.history.at(-1)!.loss).toBeLessThan(1e-24);
  });

  it('trainRegression works with other optimizers (momentum converges to the same interpolant)', () => {
    const data = datasets.underdetermined({ n: 5, d: 12, seed: 2 });
    const s = sigmaMax(data);
    const ref = minNormInterpolant(data.X, data.y).w;
    const res = trainRegression({
      data,
      steps: 5000,
      optimizer: momentum({ lr: 0.1 / (s * s), beta: 0.9 }),
      reference: ref,
    });
    expect(res.history.at(-1)!.distance!).toBeLessThan(1e-9);
  });

  it("trainRegression({ init: 'normal', seed }) is deterministic: the same options give bit-identical results", () => {
    const data = datasets.underdetermined({ seed: 9 });
    const opts = {
      data,
      steps: 300,
      init: 'normal' as const,
      seed: 4,
      record: { metrics: ['loss', 'w'] as const },
    };
    const a = trainRegression({ ...opts, record: { metrics: ['loss', 'w'] } });
    const b = trainRegression({ ...opts, record: { metrics: ['loss', 'w'] } });
    expect(b.w).toEqual(a.w);
    expect(b.history).toEqual(a.history);
    expect(b.init).toEqual(a.init);
    const c = trainRegression({ ...opts, seed: 5, record: { metrics: ['loss'] } });
    expect(c.init).not.toEqual(a.init);
  });

  it('trainRegression throws DIVERGED with the step when lr is above the stability limit 1/σ²', () => {
    const data = datasets.underdetermined({ n: 4, d: 8, seed: 1 });
    const s = sigmaMax(data);
    const optimizer = gd({ lr: 3 / (s * s) });
    let err: unknown;
    try {
      trainRegression({ data, steps: 100_000, optimizer });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergedError);
    const de = err as DivergedError;
    expect(de.code).toBe('DIVERGED');
    expect(de.message).toMatch(/trainRegression: .* at step \d+ .*last finite w/);
    expect(de.step).toBeGreaterThan(10);
    expect(de.lastFiniteTheta.every(Number.isFinite)).toBe(true);
    const stopped = trainRegression({ data, steps: 100_000, optimizer, onDiverge: 'stop' });
    expect(stopped.status).toBe('diverged');
    expect(stopped.divergedAt).toBe(de.step);
    expect(stopped.w.every(Number.isFinite)).toBe(true);
    // Just below the limit it converges.
    expect(trainRegression({ data, steps: 2000, optimizer: gd({ lr: 0.9 / (s * s) }) }).status).toBe(
      'completed',
    );
  });

  it('trainRegression stops with status aborted when the signal is aborted (from onProgress or before the call)', () => {
    const data = datasets.underdetermined({ seed: 1 });
    const controller = new AbortController();
    const seen: number[] = [];
    const res = trainRegression({
      data,
      steps: 1000,
      record: { scale: 'linear', points: 100 },
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.step);
        expect(p.steps).toBe(1000);
        expect(p.logLoss).toBeCloseTo(Math.log(p.loss), 12);
        if (p.step === 50) controller.abort();
      },
    });
    expect(res.status).toBe('aborted');
    expect(res.steps).toBe(50);
    expect(res.history.at(-1)!.step).toBe(50);
    expect(seen).toEqual([0, 10, 20, 30, 40, 50]);
    const pre = new AbortController();
    pre.abort();
    const none = trainRegression({ data, steps: 1000, signal: pre.signal });
    expect(none.status).toBe('aborted');
    expect(none.steps).toBe(0);
    expect(none.history.map((r) => r.step)).toEqual([0]);
  });

  it('trainRegression reports stalledAt when an update leaves w unchanged (already an interpolant)', () => {
    const data = regressionDataset([[1, 0]], [1]);
    const res = trainRegression({ data, steps: 5, init: [1, 5], optimizer: gd({ lr: 0.1 }) });
    expect(res.stalledAt).toBe(1);
    expect(Array.from(res.w)).toEqual([1, 5]);
    expect(res.status).toBe('completed');
  });

  it('trainRegression rejects bad options with INVALID_INPUT before the first step', () => {
    const data = datasets.slidesRegression();
    const bad: Array<[unknown, string]> = [
      [undefined, 'trainRegression: options must be an object'],
      [{ data: { X: [1], y: [1], n: 1, d: 1 }, steps: 1 }, 'data must be a RegressionDataset'],
      [{ data, steps: -1 }, 'steps must be an integer >= 0'],
      [{ data, steps: 1.5 }, 'steps must be an integer'],
      [{ data, steps: 1, init: [1, 2] }, 'init must have length 3'],
      [{ data, steps: 1, init: 'ones' }, "init must be a vector of length 3, 'zeros' or 'normal'"],
      [{ data, steps: 1, init: [1, Number.NaN, 0] }, 'init[1] must be finite'],
      [{ data, steps: 1, optimizer: {} }, 'optimizer must be an optimizer'],
      [{ data, steps: 1, lr: 0.1 }, 'lr is not a known option'],
      [{ data, steps: 1, record: { metrics: ['distance'] } }, 'reference is required to record distance'],
      [{ data, steps: 1, record: { metrics: ['margin'] } }, 'record.metrics[0] must be one of'],
      [{ data, steps: 1, reference: [1, 2] }, 'reference must have length 3'],
      [{ data, steps: 1, onDiverge: 'ignore' }, 'onDiverge must be one of'],
      [{ data, steps: 1, onProgress: 3 }, 'onProgress must be a function'],
      [{ data, steps: 1, seed: 0.5 }, 'seed must be an integer'],
      [{ data, steps: 1, record: { at: [2] } }, 'record.at[0]'],
    ];
    for (const [options, fragment] of bad) {
      expect(() => trainRegression(options as never), fragment).toThrow(invalid(fragment));
    }
  });
});
