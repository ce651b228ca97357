import { dataset } from '../datasets/dataset.js';
import type { Dataset } from '../datasets/types.js';
import { createRng } from '../rng/createRng.js';

/**
 * The 2-D data of Figure 3, in augmented coordinates (x₁, x₂, 1) so that the paper's homogeneous
 * linear model θᵀ(x, 1) carries an intercept θ₃. A separable core (`nSep` points, yᵢx₁ ≥ 0.5, x₂ spread
 * out) and a non-separable part (`nNonSep` points on the line x₁ = 0, x₂ ~ N(0.6·yᵢ, 1): two overlapping
 * classes). The maximal separable subset is the core, and S = span{e₂, e₃}: GD's iterate grows along
 * e₁ while its (x₂, intercept) part converges to θ̃(w), so every limit hyperplane crosses x₁ = 0 at
 * x₂ = −θ̃₃/θ̃₂, a point that moves with the class weights. Internal (not a public generator yet).
 */
export function figure3Data(seed: number, nSep = 40, nNonSep = 40): Dataset {
  const rng = createRng(seed, 7);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nSep; i++) {
    const yi = i % 2 === 0 ? -1 : 1;
    rows.push([yi * (0.5 + Math.abs(rng.normal())), 1.5 * rng.normal(), 1]);
    y.push(yi);
  }
  for (let i = 0; i < nNonSep; i++) {
    const yi = i % 2 === 0 ? -1 : 1;
    rows.push([0, 0.6 * yi + rng.normal(), 1]);
    y.push(yi);
  }
  return dataset(rows, y);
}
