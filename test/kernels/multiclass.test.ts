import { describe, expect, it } from 'vitest';
import { datasets } from '../../src/index.js';
import {
  linearMulticlassLogits,
  linearMulticlassObjective,
  multiclassMarginsFromLogits,
  softmaxCrossEntropy,
} from '../../src/kernels/multiclass.js';
import { createRng } from '../../src/rng/createRng.js';

describe('multiclass kernels', () => {
  it('linearMulticlassLogits / softmaxCrossEntropy / multiclassMarginsFromLogits return out, leave inputs alone, and compose to the fused pass', () => {
    const { X, labels, n, d, k } = datasets.blobs({ n: 23, k: 4, d: 3, seed: 8 });
    const rng = createRng(3);
    const theta = Float64Array.from({ length: k * d }, () => rng.normal());
    const c = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1 / n));
    const copies = [X, labels, theta, c].map((a) => a.slice());
    const z = new Float64Array(n * k);
    expect(linearMulticlassLogits(z, theta, X, n, d, k)).toBe(z);
    const dz = new Float64Array(n * k);
    const m1 = new Float64Array(n);
    const batch = { X, labels, c, n, d, k };
    const L1 = softmaxCrossEntropy(dz, m1, z, batch, 0);
    const m2 = new Float64Array(n);
    expect(multiclassMarginsFromLogits(m2, z, labels, n, k)).toBe(m2);
    // The fused pass: same loss (same row order), same margins bit for bit, gradient = Σᵢ dzᵢ xᵢᵀ.
    const grad = new Float64Array(k * d);
    const m3 = new Float64Array(n);
    const L3 = linearMulticlassObjective(grad, m3, theta, batch, 0, new Float64Array(2 * k));
    expect(L3).toBe(L1);
    expect(Array.from(m3)).toEqual(Array.from(m1));
    expect(Array.from(m2)).toEqual(Array.from(m1));
    for (let r = 0; r < k; r++) {
      for (let j = 0; j < d; j++) {
        let g = 0;
        for (let i = 0; i < n; i++) g += dz[i * k + r]! * X[i * d + j]!;
        expect(grad[r * d + j]!).toBeCloseTo(g, 14);
      }
    }
    // Zero-weight rows contribute exactly zero to dlogits.
    for (let i = 0; i < n; i += 5) for (let r = 0; r < k; r++) expect(dz[i * k + r]).toBe(0);
    [X, labels, theta, c].forEach((a, t) => {
      expect(Array.from(a)).toEqual(Array.from(copies[t]!));
    });
  });
});
