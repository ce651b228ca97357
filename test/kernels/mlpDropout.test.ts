/**
 * The MLP passes with a dropout mask: the row-at-a-time and layer-at-a-time passes give the same bits with a
 * mask too (TypeScript and WebAssembly kernels), the gradient is that of the masked network (central finite
 * differences of a plain nested-array forward pass written here), and an all-ones mask changes nothing.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LOSS_ID } from '../../src/kernels/marginLoss.js';
import {
  createMlpScratch,
  mlpObjective,
  mlpObjectiveByLayer,
  mlpObjectiveByRow,
  mlpSigma,
} from '../../src/kernels/mlp.js';
import { setKernelBackend } from '../../src/kernels/wasm/index.js';
import { expectSameBits } from '../helpers/index.js';

// Moderate entries on a grid (no subnormals): deep quadratic nets are polynomials of degree up to 15, whose
// central differences need inputs of ordinary size.
const entry = fc.integer({ min: -2000, max: 2000 }).map((k) => k / 1000);
type Act = 'relu' | 'leakyRelu' | 'quadratic' | 'reluPower' | 'identity';

/** A random net, rows and mask (entries 0 or 1/(1 − p)) from one seed. */
function problem(widths: number[], n: number, seed: number, rate: number, scale = 0.6) {
  const H = widths.length - 1;
  let p = 0;
  for (let l = 0; l < H; l++) p += widths[l]! * widths[l + 1]!;
  let units = 0;
  for (let l = 1; l < H; l++) units += widths[l]!;
  const d = widths[0]!;
  const v = fc.sample(entry, { seed, numRuns: p + n * d + 2 * n + n * units });
  let at = 0;
  const take = (len: number) => Float64Array.from(v.slice(at, (at += len)));
  const theta = take(p).map((t) => t * scale);
  const batch = {
    X: take(n * d).map((t) => t * (scale / 0.6)),
    y: take(n).map((t) => (t >= 0 ? 1 : -1)),
    c: take(n).map((t, i) => (i % 4 === 3 ? 0 : (Math.abs(t) + 0.1) / n)),
    n,
    d,
  };
  const mask = take(n * units).map((t) => ((t + 2) / 4 < rate ? 0 : 1 / (1 - rate)));
  return { theta, batch, mask, p, units };
}

describe('MLP passes with a dropout mask', () => {
  afterAll(() => setKernelBackend('auto'));

  it('mlpObjectiveByRow and mlpObjectiveByLayer with the same mask give the same loss, gradient and margins bit for bit, on the TypeScript and the WebAssembly kernels (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Act>('relu', 'leakyRelu', 'quadratic', 'reluPower', 'identity'),
        fc.constantFrom(LOSS_ID.exponential, LOSS_ID.logistic),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 70 }),
        fc.constantFrom(0.1, 0.5, 0.9),
        fc.integer({ min: 0, max: 1e9 }),
        (activation, loss, hidden, d, n, rate, seed) => {
          const widths = [d, ...hidden, 1];
          const scratch = createMlpScratch(widths, mlpSigma(activation, { slope: 0.1, power: 3 }), n);
          const { theta, batch, mask, p } = problem(widths, n, seed, rate);
          const run = (pass: typeof mlpObjectiveByRow, backend: 'typescript' | 'wasm') => {
            setKernelBackend(backend);
            const grad = new Float64Array(p);
            const margins = new Float64Array(n);
            const value = pass(grad, margins, theta, batch, loss, 0.5, scratch, mask);
            return { value, grad, margins };
          };
          const a = run(mlpObjectiveByRow, 'typescript');
          for (const b of [run(mlpObjectiveByLayer, 'typescript'), run(mlpObjectiveByLayer, 'wasm')]) {
            expect(Object.is(b.value, a.value)).toBe(true);
            expectSameBits(b.grad, a.grad);
            expectSameBits(b.margins, a.margins);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('mlpObjective(…, mask) is the objective of the masked network a_l = σ(W_l a_{l−1}) ⊙ m_l: margins exactly as a nested-array forward pass, gradient as its central differences (property, smooth activations)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Act>('quadratic', 'identity', 'reluPower'),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1e9 }),
        (activation, hidden, d, n, seed) => {
          const widths = [d, ...hidden, 1];
          const H = widths.length - 1;
          const scratch = createMlpScratch(widths, mlpSigma(activation, { power: 3 }), n);
          // Small weights and inputs: values of a depth-3 quadratic or cubic net stay where e^{−u} is finite.
          const { theta, batch, mask, p, units } = problem(widths, n, seed, 0.3, 0.3);
          const sigma = (z: number) =>
            activation === 'quadratic' ? z * z : activation === 'identity' ? z : z > 0 ? z ** 3 : 0;
          const forward = (th: Float64Array, i: number): number => {
            let a = Array.from(batch.X.subarray(i * d, (i + 1) * d));
            let off = 0;
            let unit = 0;
            for (let l = 0; l < H; l++) {
              const rows = widths[l + 1]!;
              const cols = widths[l]!;
              const z = Array.from({ length: rows }, (_, o) => {
                let s = 0;
                for (let j = 0; j < cols; j++) s += th[off + o * cols + j]! * a[j]!;
                return s;
              });
              off += rows * cols;
              if (l === H - 1) return z[0]!;
              a = z.map((zo) => sigma(zo) * mask[i * units + unit++]!);
            }
            throw new Error('unreachable');
          };
          const objective = (th: Float64Array) => {
            let s = 0;
            for (let i = 0; i < n; i++)
              if (batch.c[i] !== 0) s += batch.c[i]! * Math.exp(-batch.y[i]! * forward(th, i));
            return s;
          };
          const grad = new Float64Array(p);
          const margins = new Float64Array(n);
          const value = mlpObjective(grad, margins, theta, batch, LOSS_ID.exponential, 0, scratch, mask);
          const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
          for (let i = 0; i < n; i++)
            expect(rel(margins[i]!, batch.y[i]! * forward(theta, i))).toBeLessThan(1e-12);
          expect(rel(value, objective(theta))).toBeLessThan(1e-12);
          // Richardson-extrapolated central differences (error O(h⁴)): deep quadratic nets are polynomials
          // of high degree, where a plain central difference is off by O(h²·f‴).
          const central = (q: number, h: number) => {
            const plus = Float64Array.from(theta);
            const minus = Float64Array.from(theta);
            plus[q]! += h;
            minus[q]! -= h;
            return (objective(plus) - objective(minus)) / (2 * h);
          };
          for (let q = 0; q < p; q++) {
            const fd = (4 * central(q, 1e-5) - central(q, 2e-5)) / 3;
            expect(Math.abs(grad[q]! - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd) + Math.abs(value)));
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an all-ones mask gives the bits of no mask on the row and layer passes (multiplying by 1 is exact)', () => {
    const widths = [3, 7, 5, 1];
    const scratch = createMlpScratch(widths, mlpSigma('relu', {}), 40);
    const { theta, batch, p, units } = problem(widths, 40, 7, 0.5);
    const ones = new Float64Array(40 * units).fill(1);
    for (const pass of [mlpObjectiveByRow, mlpObjectiveByLayer]) {
      const g1 = new Float64Array(p);
      const g2 = new Float64Array(p);
      const m1 = new Float64Array(40);
      const m2 = new Float64Array(40);
      const v1 = pass(g1, m1, theta, batch, LOSS_ID.logistic, 0, scratch);
      const v2 = pass(g2, m2, theta, batch, LOSS_ID.logistic, 0, scratch, ones);
      expect(Object.is(v1, v2)).toBe(true);
      expectSameBits(g2, g1);
      expectSameBits(m2, m1);
    }
  });
});
