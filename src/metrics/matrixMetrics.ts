/**
 * The recorders of `trainMatrixFactorization`: the spectrum of the end matrix W_e (singular values,
 * nuclear norm, effective rank) and its recovery error against the true matrix. Internal: the public loop
 * documents each field.
 * @internal
 * @packageDocumentation
 */
import { singularValues } from '../linalg/singularValues.js';
import type { Recorder, RowFields } from './recorder.js';

/**
 * `singularValues` (decreasing), `nuclearNorm` = Σσ and `effectiveRank` = exp(−Σ p ln p), p = σ/Σσ (0 when
 * the matrix is 0), of the rows×cols matrix `matrix()`.
 */
export function spectrumRecorder(
  matrix: () => Float64Array,
  rows: number,
  cols: number,
  selected: ReadonlySet<string>,
): Recorder {
  return {
    write(row: RowFields): void {
      const sv = singularValues(matrix(), rows, cols);
      if (selected.has('singularValues')) row.singularValues = sv;
      let sum = 0;
      for (const s of sv) sum += s;
      if (selected.has('nuclearNorm')) row.nuclearNorm = sum;
      if (selected.has('effectiveRank')) {
        let h = 0;
        for (const s of sv) {
          if (s > 0) {
            const p = s / sum;
            h -= p * Math.log(p);
          }
        }
        row.effectiveRank = sum > 0 ? Math.exp(h) : 0;
      }
    },
  };
}

/**
 * `recoveryError` = ‖W − M‖_F/‖M‖_F over all entries and `unobservedError` = the same over the entries not in
 * `observed` (null when there are none or M is 0 there), for W = `matrix()` and the truth M.
 */
export function recoveryRecorder(
  matrix: () => Float64Array,
  truth: Float64Array,
  observed: Int32Array,
  selected: ReadonlySet<string>,
): Recorder {
  const size = truth.length;
  const isObserved = new Uint8Array(size);
  for (let s = 0; s < observed.length; s++) isObserved[observed[s]!] = 1;
  let truthSq = 0;
  let truthSqUnobserved = 0;
  for (let q = 0; q < size; q++) {
    const v = truth[q]! * truth[q]!;
    truthSq += v;
    if (isObserved[q] === 0) truthSqUnobserved += v;
  }
  return {
    write(row: RowFields): void {
      const we = matrix();
      let all = 0;
      let unobs = 0;
      for (let q = 0; q < size; q++) {
        const e = (we[q]! - truth[q]!) ** 2;
        all += e;
        if (isObserved[q] === 0) unobs += e;
      }
      if (selected.has('recoveryError')) row.recoveryError = Math.sqrt(all / truthSq);
      if (selected.has('unobservedError')) {
        row.unobservedError = truthSqUnobserved > 0 ? Math.sqrt(unobs / truthSqUnobserved) : null;
      }
    },
  };
}
