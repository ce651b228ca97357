/**
 * The layer-at-a-time Hessian-vector pass (paired matrix products) gives the same bits as the row-at-a-time
 * pass, for every activation and both losses, with weights (zeros included), on nets of any depth.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { gemm2NN, gemm2NT, gemm2TN } from '../../src/kernels/gemm.js';
import { createMlpHvpScratch, mlpHvpByLayer, mlpHvpByRow } from '../../src/kernels/hvp.js';
import { LOSS_ID } from '../../src/kernels/marginLoss.js';
import { mlpSigma } from '../../src/kernels/mlp.js';
import { expectSameBits } from '../helpers/index.js';

/** The definition of the paired products: c_ij + Σ_q (a1·b1 + a2·b2), q in order. */
function naive2(
  form: 'nn' | 'nt' | 'tn',
  C: Float64Array,
  A1: Float64Array,
  B1: Float64Array,
  A2: Float64Array,
  B2: Float64Array,
  m: number,
  n: number,
  k: number,
) {
  const out = Float64Array.from(C);
  const a = (A: Float64Array, i: number, q: number) => (form === 'tn' ? A[q * m + i]! : A[i * k + q]!);
  const b = (B: Float64Array, q: number, j: number) => (form === 'nt' ? B[j * k + q]! : B[q * n + j]!);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = out[i * n + j]!;
      for (let q = 0; q < k; q++) s += a(A1, i, q) * b(B1, q, j) + a(A2, i, q) * b(B2, q, j);
      out[i * n + j] = s;
    }
  return out;
}

const small = fc.double({ min: -2, max: 2, noNaN: true });

describe('paired products and the layer-at-a-time Hessian-vector pass', () => {
  it('gemm2NN, gemm2NT, gemm2TN equal the paired triple loop (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('nn', 'nt', 'tn'),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1e9 }),
        (form, m, n, k, seed) => {
          const v = fc.sample(small, { seed, numRuns: 2 * m * k + 2 * k * n + m * n });
          let at = 0;
          const take = (len: number) => Float64Array.from(v.slice(at, (at += len)));
          const A1 = take(m * k);
          const A2 = take(m * k);
          const B1 = take(k * n);
          const B2 = take(k * n);
          const C = take(m * n);
          const f = form === 'nn' ? gemm2NN : form === 'nt' ? gemm2NT : gemm2TN;
          expectSameBits(
            f(Float64Array.from(C), A1, B1, A2, B2, m, n, k),
            naive2(form, C, A1, B1, A2, B2, m, n, k),
          );
        },
      ),
    );
  });

  it('mlpHvpByLayer(out, θ, v, batch, loss, scratch) equals mlpHvpByRow bit for bit (property over activations, losses, depths, weights)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('relu', 'leakyRelu', 'quadratic', 'reluPower', 'identity') as fc.Arbitrary<
          'relu' | 'leakyRelu' | 'quadratic' | 'reluPower' | 'identity'
        >,
        fc.constantFrom(LOSS_ID.exponential, LOSS_ID.logistic),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1e9 }),
        (activation, loss, hidden, n, seed) => {
          const widths = [3, ...hidden.slice(0, -1), 1];
          const sigma = mlpSigma(activation, { slope: 0.2, power: 3 });
          let p = 0;
          for (let l = 0; l + 1 < widths.length; l++) p += widths[l]! * widths[l + 1]!;
          const v = fc.sample(small, { seed, numRuns: 2 * p + n * 3 + 2 * n });
          let at = 0;
          const take = (len: number) => Float64Array.from(v.slice(at, (at += len)));
          const theta = take(p);
          const dir = take(p);
          const X = take(n * 3);
          const y = take(n).map((t) => (t >= 0 ? 1 : -1));
          const c = take(n).map((t, i) => (i % 4 === 3 ? 0 : Math.abs(t) + 0.1));
          const batch = { X, y, c, n, d: 3 };
          const byRow = mlpHvpByRow(
            new Float64Array(p),
            theta,
            dir,
            batch,
            loss,
            createMlpHvpScratch(widths, sigma),
          );
          const byLayer = mlpHvpByLayer(
            new Float64Array(p),
            theta,
            dir,
            batch,
            loss,
            createMlpHvpScratch(widths, sigma, n),
          );
          expectSameBits(byLayer, byRow);
        },
      ),
      { numRuns: 200 },
    );
  });
});
