import type { Dataset } from '../datasets/types.js';
import { InvalidInputError } from '../errors/index.js';
import type { Model } from '../models/types.js';
import { show } from '../util/validate.js';

/** Throws INVALID_INPUT unless θ fits the model and the model fits the data. */
export function checkModelTheta(fn: string, model: Model, theta: unknown, data?: Dataset): Float64Array {
  if (typeof model !== 'object' || model === null || typeof model.objective !== 'function') {
    throw new InvalidInputError(fn, 'model', `must be a model such as linear(d), got ${show(model)}`);
  }
  if (!(theta instanceof Float64Array) && !Array.isArray(theta)) {
    throw new InvalidInputError(fn, 'theta', `must be a Float64Array or number[], got ${show(theta)}`);
  }
  const t = theta instanceof Float64Array ? theta : Float64Array.from(theta as number[]);
  if (t.length !== model.size) {
    throw new InvalidInputError(
      fn,
      'theta',
      `must have length ${model.size} (model.size), got length ${t.length}`,
    );
  }
  for (let j = 0; j < t.length; j++) {
    if (!Number.isFinite(t[j]))
      throw new InvalidInputError(fn, `theta[${j}]`, `must be finite, got ${show(t[j])}`);
  }
  if (data !== undefined && data.d !== model.inputDim) {
    throw new InvalidInputError(
      fn,
      'data',
      `has d = ${data.d} but the model expects inputDim = ${model.inputDim}`,
    );
  }
  return t;
}
