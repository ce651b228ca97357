import { describe, expect, it } from 'vitest';
import { sumOfOuterProducts } from '../../src/kernels/lowRank.js';

describe('sumOfOuterProducts', () => {
  it('sumOfOuterProducts(out, U, s, V, rows, cols, k) = Σ s_r u_r v_rᵀ over s_r > 0, returns out, leaves inputs alone', () => {
    // U = [[1, 0], [2, 1]] (2×2), V = [[1, 1], [0, 3], [−1, 0]] (3×2), s = (2, −1): only r = 0 counts,
    // 2·(1, 2)ᵀ(1, 0, −1) = [[2, 0, −2], [4, 0, −4]].
    const U = Float64Array.of(1, 0, 2, 1);
    const V = Float64Array.of(1, 1, 0, 3, -1, 0);
    const s = Float64Array.of(2, -1);
    const out = new Float64Array(6).fill(9);
    expect(sumOfOuterProducts(out, U, s, V, 2, 3, 2)).toBe(out);
    expect(Array.from(out)).toEqual([2, 0, -2, 4, 0, -4]);
    expect(Array.from(U)).toEqual([1, 0, 2, 1]);
    expect(Array.from(s)).toEqual([2, -1]);
    // Both terms: s = (2, 0.5) adds 0.5·(0, 1)ᵀ(1, 3, 0).
    sumOfOuterProducts(out, U, Float64Array.of(2, 0.5), V, 2, 3, 2);
    expect(Array.from(out)).toEqual([2, 0, -2, 4.5, 1.5, -4]);
  });
});
