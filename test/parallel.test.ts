/**
 * The Node-only parallel linear model (src/node) and the blocked kernel paths it relies on. The worker
 * threads run from the TypeScript source here (through tsx) and from the built dist files (`npm test`
 * builds with tsup first) in the last tests.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../src/datasets/types.js';
import { gd, trainWeighted } from '../src/gd/index.js';
import { dataset } from '../src/index.js';
import { CACHE_RESIDENT_MAX, linearObjective } from '../src/kernels/linear.js';
import { exponential, logistic } from '../src/losses/index.js';
import type { MarginLoss } from '../src/losses/types.js';
import { linear } from '../src/models/linear.js';
import { parallelLinear } from '../src/node/index.js';
import { chunkRows } from '../src/node/protocol.js';
import { minstd } from './helpers/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Problem {
  data: Dataset;
  c: Float64Array;
  theta: Float64Array;
  bias: boolean;
}

/** Random data with ~10% zero weights; row 0 has weight 0 and a margin so negative that e^{−u} overflows. */
function problem(n: number, d: number, bias: boolean, seed: number): Problem {
  const r = minstd(seed);
  const X = new Float64Array(n * d).map(() => 2 * r() - 1);
  const y = new Float64Array(n).map(() => (r() < 0.5 ? -1 : 1));
  const c = new Float64Array(n).map(() => (r() < 0.1 ? 0 : r() / n));
  const theta = new Float64Array(d + (bias ? 1 : 0)).map(() => 0.2 * r() - 0.1);
  X[0] = -1e5;
  theta[0] = 1;
  y[0] = 1;
  c[0] = 0;
  return { data: dataset(X, y, d), c, theta, bias };
}

/** Reference: the objective straight from the definitions, one row at a time. */
function naive(pr: Problem, loss: MarginLoss, shift: number) {
  const { data, c, theta, bias } = pr;
  const { n, d, X, y } = data;
  const grad = new Float64Array(theta.length);
  const margins = new Float64Array(n);
  const scale = Math.exp(shift);
  let value = 0;
  for (let i = 0; i < n; i++) {
    let f = bias ? theta[d]! : 0;
    for (let j = 0; j < d; j++) f += theta[j]! * X[i * d + j]!;
    const u = y[i]! * f;
    margins[i] = u;
    if (c[i] === 0) continue;
    value += c[i]! * loss.value(u) * scale;
    const g = c[i]! * loss.derivative(u) * scale * y[i]!;
    for (let j = 0; j < d; j++) grad[j]! += g * X[i * d + j]!;
    if (bias) grad[d]! += g;
  }
  return { value, grad, margins };
}

function expectClose(
  got: { value: number; grad: Float64Array; margins: Float64Array },
  pr: Problem,
  loss: MarginLoss,
  shift: number,
): void {
  const ref = naive(pr, loss, shift);
  expect(Number.isFinite(got.value)).toBe(true);
  expect(Math.abs(got.value - ref.value)).toBeLessThanOrEqual(1e-12 * Math.abs(ref.value));
  // Gradient entries are sums with cancellation: compare on the scale of the largest entry.
  let scale = 0;
  for (const g of ref.grad) scale = Math.max(scale, Math.abs(g));
  let gradErr = 0;
  for (let j = 0; j < ref.grad.length; j++)
    gradErr = Math.max(gradErr, Math.abs(got.grad[j]! - ref.grad[j]!));
  expect(gradErr).toBeLessThanOrEqual(1e-12 * scale);
  let marginErr = 0;
  for (let i = 0; i < ref.margins.length; i++) {
    const u = ref.margins[i]!;
    marginErr = Math.max(marginErr, Math.abs(got.margins[i]! - u) / (1 + Math.abs(u)));
  }
  expect(marginErr).toBeLessThanOrEqual(1e-12);
}

function run(
  model: ReturnType<typeof linear>,
  pr: Problem,
  loss: MarginLoss = exponential,
  shift = 0,
): { value: number; grad: Float64Array; margins: Float64Array } {
  const grad = new Float64Array(pr.theta.length);
  const margins = new Float64Array(pr.data.n);
  const value = model.objective(grad, pr.theta, pr.data, pr.c, loss, shift, margins);
  return { value, grad, margins };
}

function expectIdentical(a: ReturnType<typeof run>, b: ReturnType<typeof run>): void {
  expect(a.value).toBe(b.value);
  expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
  expect(Array.from(a.margins)).toEqual(Array.from(b.margins));
}

// Shapes chosen to cover: several chunks, a partial last chunk, n mod 8 ≠ 0, odd d, the kernel's cache
// and streaming paths (n·d on either side of CACHE_RESIDENT_MAX).
const shapes: Array<[number, number, boolean]> = [
  [2003, 100, false],
  [3001, 100, true],
  [30001, 7, false],
  [40000, 7, true],
];

describe('linearObjective (blocked kernel) on both dot-product paths', () => {
  it('linearObjective(grad, theta, X, …) equals the naive loop in cache and streaming from memory', () => {
    for (const [n, d, bias] of shapes) {
      const pr = problem(n, d, bias, n + d);
      for (const loss of [exponential, logistic]) {
        for (const shift of [0, 2.5]) {
          const grad = new Float64Array(pr.theta.length);
          const margins = new Float64Array(n);
          const value = linearObjective(
            grad,
            pr.theta,
            pr.data.X,
            pr.data.y,
            pr.c,
            n,
            d,
            bias ? 1 : 0,
            loss.id,
            shift,
            margins,
          );
          expectClose({ value, grad, margins }, pr, loss, shift);
        }
      }
    }
    expect(shapes.some(([n, d]) => n * d > CACHE_RESIDENT_MAX)).toBe(true);
    expect(shapes.some(([n, d]) => n * d <= CACHE_RESIDENT_MAX)).toBe(true);
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
      expect(n).toBeGreaterThan(chunkRows(d));
      const model = make(d, { bias, threads: 2, minWork: 0 });
      for (const loss of [exponential, logistic]) {
        for (const shift of [0, 2.5]) expectClose(run(model, pr, loss, shift), pr, loss, shift);
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
    const pr = problem(chunkRows(d) - 3, d, false, 5);
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

describe('implicit-bias/node from the built package', () => {
  it('package.json exports ./node with import/require conditions and types', () => {
    const pkg = JSON.parse(
      createRequire(import.meta.url)('node:fs').readFileSync(join(root, 'package.json'), 'utf8'),
    );
    expect(pkg.exports['./node']).toEqual({
      import: { types: './dist/node.d.ts', default: './dist/node.js' },
      require: { types: './dist/node.d.cts', default: './dist/node.cjs' },
    });
  });

  it('dist/node.js (ESM) and dist/node.cjs (CJS) start their workers and match threads: 1 bit for bit', async () => {
    expect(existsSync(join(root, 'dist/node.js')), 'run `npm test` (it builds first)').toBe(true);
    const esm = await import(join(root, 'dist/node.js'));
    const cjs = createRequire(import.meta.url)(join(root, 'dist/node.cjs'));
    const pr = problem(3000, 60, true, 21);
    const ref = run(parallelLinear(60, { bias: true, threads: 1 }), pr);
    for (const lib of [esm, cjs]) {
      const model = lib.parallelLinear(60, { bias: true, threads: 2, minWork: 0 });
      try {
        expectIdentical(run(model, pr), ref);
      } finally {
        model.close();
      }
    }
  });
});
