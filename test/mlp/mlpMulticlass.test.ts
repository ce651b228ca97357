import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crossEntropy,
  datasets,
  gd,
  mlpMulticlass,
  multiclassDataset,
  multiclassMargin,
  trainMulticlass,
} from '../../src/index.js';
import { createRng } from '../../src/rng/createRng.js';
import { invalid } from '../helpers/index.js';
import { fdGradient, lseCE, rowsOf } from '../helpers/multiclass.js';

/** Naive bias-free MLP logits from the definition: layers W_l row-major (out × in), σ between layers. */
function mlpLogitsRef(
  theta: number[],
  widths: number[],
  x: number[],
  sigma: (z: number) => number,
  pre: number[] = [],
): number[] {
  let a = x;
  let off = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const inW = widths[l]!;
    const outW = widths[l + 1]!;
    const z = Array.from({ length: outW }, (_, o) =>
      a.reduce((s, v, j) => s + theta[off + o * inW + j]! * v, 0),
    );
    off += inW * outW;
    if (l + 2 < widths.length) {
      pre.push(...z);
      a = z.map(sigma);
    } else a = z;
  }
  return a;
}

const SIGMAS = {
  relu: (z: number) => Math.max(0, z),
  leakyRelu: (z: number) => (z > 0 ? z : 0.1 * z),
  quadratic: (z: number) => z * z,
  reluPower: (z: number) => Math.max(0, z) ** 3,
  identity: (z: number) => z,
};

describe('mlpMulticlass', () => {
  const mlpArb = fc
    .record({
      widths: fc.tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 2, max: 3 }),
      ),
      activation: fc.constantFrom('relu', 'leakyRelu', 'quadratic', 'reluPower', 'identity') as fc.Arbitrary<
        keyof typeof SIGMAS
      >,
      n: fc.integer({ min: 1, max: 4 }),
      seed: fc.integer({ min: 0, max: 1000 }),
    })
    .map(({ widths: [d, hidden, k], activation, n, seed }) => ({
      widths: [d, ...hidden, k],
      activation,
      n,
      seed,
    }));

  const build = (activation: keyof typeof SIGMAS, widths: number[]) =>
    mlpMulticlass({
      widths,
      activation,
      ...(activation === 'leakyRelu' ? { slope: 0.1 } : {}),
      ...(activation === 'reluPower' ? { power: 3 } : {}),
    });

  it('mlpMulticlass(options).objective(...) gradient equals central finite differences of the naive CE objective, for every activation and depth (property)', () => {
    fc.assert(
      fc.property(mlpArb, ({ widths, activation, n, seed }) => {
        const model = build(activation, widths);
        const d = widths[0]!;
        const k = widths.at(-1)!;
        const rng = createRng(seed);
        const theta = Array.from({ length: model.size }, () => rng.normal());
        const X = Array.from({ length: n * d }, () => rng.normal());
        const labels = Array.from({ length: n }, () => rng.int(k));
        const w = Array.from({ length: n }, () => 0.5 + rng.uniform());
        const data = multiclassDataset(X, labels, k, d);
        const rows = rowsOf(data);
        const sigma = SIGMAS[activation];
        // Keep away from the kinks of relu/leakyRelu/reluPower so the central difference is meaningful.
        const pre: number[] = [];
        for (const x of rows) mlpLogitsRef(theta, widths, x, sigma, pre);
        fc.pre(pre.every((z) => Math.abs(z) > 1e-3));
        const obj = (t: number[]) =>
          rows.reduce((s, x, i) => s + w[i]! * lseCE(mlpLogitsRef(t, widths, x, sigma), labels[i]!), 0) / n;
        const grad = new Float64Array(model.size);
        const margins = new Float64Array(n);
        const L = model.objective(
          grad,
          Float64Array.from(theta),
          data,
          Float64Array.from(w, (v) => v / n),
          0,
          margins,
        );
        expect(Math.abs(L - obj(theta))).toBeLessThanOrEqual(1e-12 * Math.max(1, L));
        const fd = fdGradient(theta, obj, 1e-6);
        grad.forEach((g, j) => {
          expect(Math.abs(g - fd[j]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd[j]!)));
        });
        rows.forEach((x, i) => {
          const z = mlpLogitsRef(theta, widths, x, sigma);
          expect(margins[i]!).toBeCloseTo(crossEntropy.margin(z, labels[i]!), 10);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('mlpMulticlass(options) is α-homogeneous: logits(cθ) = c^α logits(θ) (property)', () => {
    fc.assert(
      fc.property(
        mlpArb,
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        ({ widths, activation, n, seed }, c) => {
          const model = build(activation, widths);
          const d = widths[0]!;
          const k = widths.at(-1)!;
          const rng = createRng(seed);
          const theta = Float64Array.from({ length: model.size }, () => rng.normal());
          const X = Float64Array.from({ length: n * d }, () => rng.normal());
          const a = model.logits(new Float64Array(n * k), theta, X, n);
          const b = model.logits(
            new Float64Array(n * k),
            theta.map((v) => c * v),
            X,
            n,
          );
          const s = c ** model.alpha;
          a.forEach((v, i) => {
            expect(Math.abs(b[i]! - s * v)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(s * v)));
          });
        },
      ),
      { numRuns: 60 },
    );
    expect(mlpMulticlass({ widths: [2, 5, 3] }).alpha).toBe(2);
    expect(mlpMulticlass({ widths: [2, 5, 5, 3], activation: 'leakyRelu' }).alpha).toBe(3);
    expect(mlpMulticlass({ widths: [2, 5, 3], activation: 'quadratic' }).alpha).toBe(3);
    expect(mlpMulticlass({ widths: [2, 5, 5, 3], activation: 'reluPower', power: 3 }).alpha).toBe(13);
  });

  it('trainMulticlass({ model: mlpMulticlass(...) }) separates blobs and its normalized margin is positive', () => {
    const data = datasets.blobs({ n: 60, k: 3, seed: 4 });
    const model = mlpMulticlass({ widths: [2, 8, 3] });
    const res = trainMulticlass({
      data,
      model,
      steps: 3000,
      seed: 1,
      optimizer: gd({ lr: 0.05 }),
      record: { at: [3000], metrics: ['loss', 'margin', 'trainError'] },
    });
    const last = res.history.at(-1)!;
    expect(last.trainError).toBe(0);
    expect(last.margin!).toBeGreaterThan(0);
    expect(last.margin!).toBeCloseTo(multiclassMargin(model, res.theta, data), 12);
  });

  it('mlpMulticlass(options) rejects bad options', () => {
    expect(() => mlpMulticlass({ widths: [2, 5, 1] })).toThrow(
      invalid('mlpMulticlass: widths[2] (the number of classes k) must be >= 2, got 1'),
    );
    expect(() => mlpMulticlass({ widths: [2] })).toThrow(invalid('widths must be an array'));
    expect(() => mlpMulticlass({ widths: [2, 0, 3] })).toThrow(
      invalid('widths[1] must be an integer >= 1, got 0'),
    );
    expect(() => mlpMulticlass({ widths: [2, 3], activation: 'tanh' as never })).toThrow(
      invalid('activation must be one of'),
    );
    expect(() => mlpMulticlass({ widths: [2, 3], slope: 0.1 })).toThrow(
      invalid("slope only applies to activation 'leakyRelu'"),
    );
    expect(() => mlpMulticlass({ widths: [2, 3], activation: 'reluPower', power: 1 })).toThrow(
      invalid('power must be a finite number >= 2, got 1'),
    );
  });
});
