export {
  type MinNuclearNormCompletion,
  type MinNuclearNormCompletionOptions,
  minNuclearNormCompletion,
} from './minNuclearNormCompletion.js';
