/**
 * Kept only so that the existing test/geometry-optimizers.test.ts, which imports `dualExponent`, `normP` and
 * `pNormLink` from this path, keeps working: the ℓ_r norms and link maps now live in
 * `src/linalg/potentials.ts` (one geometry module for mirror descent, steepest descent and the Bregman
 * interpolant). No source file imports this path; delete it once that test imports potentials.ts.
 * @internal
 * @packageDocumentation
 */

export { dualExponent, normP, pNormLink } from '../../linalg/potentials.js';
