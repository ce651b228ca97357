/**
 * The `sharpness` recorder of `trainWeighted`: λ_max(∇²L(θ; w)) by Lanczos at each recorded step, warm-started
 * from the previous recorded eigenvector plus `WARM_START_MIX` × a fixed random unit vector. The warm start is
 * state carried between recorded steps, so it is saved with the run's resumable state.
 * @internal
 * @packageDocumentation
 */
import type { Dataset } from '../datasets/types.js';
import type { MarginLoss } from '../losses/types.js';
import type { Model } from '../models/types.js';
import { decodeVector, encodeVector, type JsonValue } from '../util/json.js';
import type { Recorder, RowFields } from './recorder.js';
import { hessianOperator, sharpnessSettings, topEigenpair } from './sharpness.js';

/**
 * How much of the seeded random unit vector is added to the warm start before normalizing, so that the
 * top eigenvalue is still found after another eigenvalue overtakes the previous one between recorded steps.
 */
export const WARM_START_MIX = 0.1;

/** `sharpness` = the top Hessian eigenvalue of the objective at θ (at most `iterations` Lanczos steps). */
export function sharpnessRecorder(spec: {
  fn: string;
  model: Model;
  theta: Float64Array;
  data: Dataset;
  c: Float64Array;
  loss: MarginLoss;
  lambda: number;
  r: number;
  iterations: number | undefined;
}): Recorder {
  const { fn, model, theta, data, c, loss, lambda, r } = spec;
  const p = theta.length;
  const hessian = hessianOperator(fn, model, theta, data, c, loss, lambda, r);
  const settings = sharpnessSettings(fn, '', {}, p);
  settings.mix = WARM_START_MIX;
  if (spec.iterations !== undefined) settings.iterations = spec.iterations;
  return {
    write(row: RowFields): void {
      const top = topEigenpair(hessian, p, settings);
      row.sharpness = top.value;
      settings.init = top.vector;
    },
    save(): JsonValue {
      return settings.init === null ? null : encodeVector(settings.init);
    },
    load(saved: JsonValue): void {
      settings.init = saved === null ? null : decodeVector(saved, p);
    },
  };
}
