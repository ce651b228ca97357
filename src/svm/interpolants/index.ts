export {
  type InterpolantPotential,
  type MinBregmanInterpolant,
  type MinBregmanInterpolantOptions,
  minBregmanInterpolant,
} from './minBregmanInterpolant.js';
export {
  type MinNormInterpolant,
  type MinNormInterpolantOptions,
  minNormInterpolant,
} from './minNormInterpolant.js';
