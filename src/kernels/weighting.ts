import type { Rows } from './batch.js';
import { LOSS_ID, type LossId, scaledLossTerms } from './marginLoss.js';

// Scratch for the logistic loss terms (kernels are synchronous: one call at a time per thread).
const terms = new Float64Array(2);

/**
 * Forward pass of the learned weighting model g(ψ, x) = σ(ψᵀx + b) + 1 (Eq. 4 / Figure 4 of the paper).
 *
 * For every row i of `rows` (X row-major n×d; a `Dataset` is one): zᵢ = ψᵀxᵢ + b → z[i], and
 * cᵢ = scale·(1 + σ(zᵢ)) → c[i], with b the intercept of the weighting model (a number).
 * With scale = 1/n, `c` is exactly the per-point coefficient vector that `Model.objective` takes for the
 * objective (1/n) Σᵢ g(ψ, xᵢ) ℓ(uᵢ). Returns `c`. No validation, no allocation; `c` and `z` must not alias
 * `psi` or `X` (they may not alias each other either).
 *
 * σ is evaluated with the sign split (1/(1 + e^{−z}) for z ≥ 0, e^{z}/(1 + e^{z}) otherwise), so neither
 * branch overflows for any finite z.
 */
export function weightingForward(
  c: Float64Array,
  z: Float64Array,
  psi: Float64Array,
  b: number,
  rows: Rows,
  scale: number,
): Float64Array {
  const { X, n, d } = rows;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    // Two accumulators: independent chains, and the row is walked once in memory order.
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j + 2 <= d; j += 2) {
      s0 += psi[j]! * X[o + j]!;
      s1 += psi[j + 1]! * X[o + j + 1]!;
    }
    if (j < d) s0 += psi[j]! * X[o + j]!;
    const zi = s0 + s1 + b;
    z[i] = zi;
    let sig: number;
    if (zi >= 0) sig = 1 / (1 + Math.exp(-zi));
    else {
      const e = Math.exp(zi);
      sig = e / (1 + e);
    }
    c[i] = scale * (1 + sig);
  }
  return c;
}

/**
 * Gradient of (scale)·Σᵢ g(ψ, xᵢ) ℓ(uᵢ) with respect to the weighting model's (ψ, b), from the margins
 * uᵢ and the pre-activations zᵢ = ψᵀxᵢ + b of {@link weightingForward} over the same `rows`:
 *
 *   gradPsi = scale·Σᵢ ℓ(uᵢ) σ′(zᵢ) xᵢ (written into `gradPsi`, length d), and the return value
 *   ∂/∂b = scale·Σᵢ ℓ(uᵢ) σ′(zᵢ).
 *
 * ℓ is the loss `loss` (one of {@link LOSS_ID}), computed exactly as
 * {@link scaledLossTerms} computes it (the values of `exponential`/`logistic` in src/losses, bit for bit).
 * σ′(z) = e^{−|z|}/(1 + e^{−|z|})², the form that neither overflows nor cancels for large |z| (σ(1 − σ)
 * would lose every digit of 1 − σ past z ≈ 37). A row whose σ′ underflows to 0 contributes nothing, even
 * where ℓ(uᵢ) overflows. No validation, no allocation; `gradPsi` must not alias the inputs.
 */
export function weightingGradient(
  gradPsi: Float64Array,
  z: Float64Array,
  margins: Float64Array,
  rows: Rows,
  loss: LossId,
  scale: number,
): number {
  const { X, n, d } = rows;
  for (let j = 0; j < d; j++) gradPsi[j] = 0;
  let gb = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(-Math.abs(z[i]!));
    const q = 1 + e;
    const sp = e / (q * q);
    if (sp === 0) continue;
    const u = margins[i]!;
    const l = loss === LOSS_ID.exponential ? Math.exp(-u) : scaledLossTerms(terms, loss, u, 0)[0]!;
    const coef = scale * l * sp;
    gb += coef;
    const o = i * d;
    // Row i is read sequentially while gradPsi (length d) stays in L1.
    for (let j = 0; j < d; j++) gradPsi[j]! += coef * X[o + j]!;
  }
  return gb;
}

/**
 * The learned weights gᵢ = g(ψ, xᵢ) = 1 + σ(zᵢ) from the pre-activations z of {@link weightingForward},
 * with the same sign-split σ: out[i] = 1 + σ(z[i]) for i < n. Returns `out` (which may alias `z`).
 */
export function weightingValues(out: Float64Array, z: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const zi = z[i]!;
    let sig: number;
    if (zi >= 0) sig = 1 / (1 + Math.exp(-zi));
    else {
      const e = Math.exp(zi);
      sig = e / (1 + e);
    }
    out[i] = 1 + sig;
  }
  return out;
}
