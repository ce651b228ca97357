/**
 * The `kktResidual` recorder of `trainWeighted`: Lyu & Li's KKT residual of the max-margin problem at each
 * recorded step (see `kktResidual`), with its buffers allocated once per run.
 * @internal
 * @packageDocumentation
 */
import type { Dataset } from '../datasets/types.js';
import type { Model } from '../models/types.js';
import { kktResidualInto, kktWork } from './kktResidual.js';
import type { Recorder, RowFields } from './recorder.js';

/**
 * `kktResidual` = `kktResidual(model, θ, data, { weights }).residual` at θ (the points with cᵢ = 0 are not
 * constraints; any positive cᵢ, e.g. wᵢ/n, counts the same); null while θ does not separate the weighted
 * points, where the residual is undefined.
 */
export function kktResidualRecorder(spec: {
  model: Model;
  theta: Float64Array;
  data: Dataset;
  c: Float64Array;
}): Recorder {
  const { model, theta, data, c } = spec;
  const work = kktWork(model, data);
  return {
    write(row: RowFields): void {
      row.kktResidual = kktResidualInto(work, model, theta, data, c)?.residual ?? null;
    },
  };
}
