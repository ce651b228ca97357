/**
 * The row-at-a-time and the layer-at-a-time MLP passes give the same bits (loss, gradient, margins) — on
 * the TypeScript and the WebAssembly kernels alike — so `mlpObjective` may choose between them by speed
 * without a result depending on the choice.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LOSS_ID } from '../../src/kernels/marginLoss.js';
import { createMlpScratch, mlpObjectiveByLayer, mlpObjectiveByRow, mlpSigma } from '../../src/kernels/mlp.js';
import { setKernelBackend } from '../../src/kernels/wasm/index.js';
import { expectSameBits } from '../helpers/index.js';

const entry = fc.double({ min: -2, max: 2, noNaN: true });

describe('mlpObjectiveByRow and mlpObjectiveByLayer', () => {
  afterAll(() => setKernelBackend('auto'));

  it('give the same loss, gradient and margins bit for bit, with the TypeScript and the WebAssembly kernels (property over activations, losses, depths, widths, shifts, zero weights)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('relu', 'leakyRelu', 'quadratic', 'reluPower', 'identity') as fc.Arbitrary<
          'relu' | 'leakyRelu' | 'quadratic' | 'reluPower' | 'identity'
        >,
        fc.constantFrom(LOSS_ID.exponential, LOSS_ID.logistic),
        fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 90 }),
        fc.constantFrom(0, 0.5, 3),
        fc.integer({ min: 0, max: 1e9 }),
        (activation, loss, hidden, d, n, shift, seed) => {
          const widths = [d, ...hidden, 1];
          const sigma = mlpSigma(activation, { slope: 0.1, power: 3 });
          const scratch = createMlpScratch(widths, sigma, n);
          const p = scratch.offsets[widths.length - 1]!;
          const v = fc.sample(entry, { seed, numRuns: p + n * d + 2 * n });
          let at = 0;
          const take = (len: number) => Float64Array.from(v.slice(at, (at += len)));
          const theta = take(p).map((t) => t * 0.5);
          const batch = {
            X: take(n * d),
            y: take(n).map((t) => (t >= 0 ? 1 : -1)),
            c: take(n).map((t, i) => (i % 5 === 2 ? 0 : (Math.abs(t) + 0.05) / n)),
            n,
            d,
          };
          const run = (pass: typeof mlpObjectiveByRow, backend: 'typescript' | 'wasm') => {
            setKernelBackend(backend);
            const grad = new Float64Array(p);
            const margins = new Float64Array(n);
            const value = pass(grad, margins, theta, batch, loss, shift, scratch);
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
      { numRuns: 150 },
    );
  });
});
