/**
 * The recorders of the metrics that training runs record on the training set and on a held-out set: the
 * parameter norm, the normalized margin statistics, the direction to a reference, test errors, the support
 * count, copies of the parameters, and the regression residual and distance. Each reads the run's shared
 * buffers (θ and the margins of the last evaluation) and allocates its scratch once, when built.
 * Internal: the public training loops document what each field means.
 * @internal
 * @packageDocumentation
 */
import type { Dataset } from '../datasets/types.js';
import { multiclassMarginsFromLogits } from '../kernels/multiclass.js';
import { norm2 } from '../kernels/vector.js';
import type { Model, MulticlassModel } from '../models/types.js';
import { directionGapAndAngle } from './angle.js';
import type { MetricGroup, Recorder, RowFields } from './recorder.js';
import { countSupport } from './supportCount.js';

/** `norm` = ‖θ‖₂. */
export function normRecorder(theta: Float64Array): Recorder {
  return {
    write(row: RowFields): void {
      row.norm = norm2(theta);
    },
  };
}

/**
 * `margin` = minᵢ uᵢ/‖θ‖^α, `averageMargin` = (1/n) Σᵢ uᵢ/‖θ‖^α (both 0 at θ = 0) and `trainError` = the
 * fraction of margins that are errors, over all n points, from the margins uᵢ of the last evaluation.
 * `isError` is `u ≤ 0` for binary margins and `!(u > 0)` for multiclass ones (a tie for the top score counts).
 */
export function marginStatsRecorder(spec: {
  theta: Float64Array;
  margins: Float64Array;
  alpha: number;
  multiclass: boolean;
  selected: ReadonlySet<string>;
}): Recorder {
  const { theta, margins, alpha, multiclass, selected } = spec;
  const n = margins.length;
  return {
    write(row: RowFields): void {
      const nrm = norm2(theta);
      const denom = nrm ** alpha;
      let min = Number.POSITIVE_INFINITY;
      let sum = 0;
      let errors = 0;
      for (let i = 0; i < n; i++) {
        const u = margins[i]!;
        if (u < min) min = u;
        sum += u;
        if (multiclass ? !(u > 0) : u <= 0) errors++;
      }
      if (selected.has('margin')) row.margin = nrm === 0 ? 0 : min / denom;
      if (selected.has('averageMargin')) row.averageMargin = nrm === 0 ? 0 : sum / n / denom;
      if (selected.has('trainError')) row.trainError = errors / n;
    },
  };
}

/** `gap` = ‖θ/‖θ‖ − r/‖r‖‖ and `angle` (radians) between θ and the reference r; NaN at θ = 0. */
export function directionRecorder(
  theta: Float64Array,
  reference: Float64Array,
  selected: ReadonlySet<string>,
): Recorder {
  const pair = new Float64Array(2);
  return {
    write(row: RowFields): void {
      if (norm2(theta) === 0) {
        if (selected.has('gap')) row.gap = Number.NaN;
        if (selected.has('angle')) row.angle = Number.NaN;
        return;
      }
      directionGapAndAngle(pair, theta, reference);
      if (selected.has('gap')) row.gap = pair[0]!;
      if (selected.has('angle')) row.angle = pair[1]!;
    },
  };
}

/** `testError` = the fraction of test points with yᵢ f(θ, xᵢ) ≤ 0. */
export function testErrorRecorder(model: Model, theta: Float64Array, test: Dataset): Recorder {
  const out = new Float64Array(test.n);
  return {
    write(row: RowFields): void {
      model.predict(out, theta, test.X, test.n);
      let errors = 0;
      for (let i = 0; i < test.n; i++) if (test.y[i]! * out[i]! <= 0) errors++;
      row.testError = errors / test.n;
    },
  };
}

/** `testError` of a k-output model: the fraction of test points whose multiclass margin is not > 0. */
export function multiclassTestErrorRecorder(
  model: MulticlassModel,
  theta: Float64Array,
  test: { X: Float64Array; labels: Int32Array; n: number; k: number },
): Recorder {
  const logits = new Float64Array(test.n * test.k);
  const margins = new Float64Array(test.n);
  return {
    write(row: RowFields): void {
      model.logits(logits, theta, test.X, test.n);
      multiclassMarginsFromLogits(margins, logits, test.labels, test.n, test.k);
      let errors = 0;
      for (let i = 0; i < test.n; i++) if (!(margins[i]! > 0)) errors++;
      row.testError = errors / test.n;
    },
  };
}

/** `supportCount` = #{i : uᵢ ≤ min u + tol·|min u|} over all points (see `supportCount`). */
export function supportCountRecorder(margins: Float64Array, tol: number): Recorder {
  return {
    write(row: RowFields): void {
      row.supportCount = countSupport(margins, margins.length, tol);
    },
  };
}

/** `row[name]` = a copy of `source()` (θ, w, or the end matrix). */
export function copyRecorder(name: string, source: () => Float64Array): Recorder {
  return {
    write(row: RowFields): void {
      row[name] = Float64Array.from(source());
    },
  };
}

/** `residualNorm` = ‖Xw − y‖₂ from the residuals of the last evaluation. */
export function residualNormRecorder(residuals: Float64Array): Recorder {
  return {
    write(row: RowFields): void {
      row.residualNorm = norm2(residuals, residuals.length);
    },
  };
}

/** `distance` = ‖w − reference‖₂. */
export function distanceRecorder(w: Float64Array, reference: Float64Array): Recorder {
  const diff = new Float64Array(w.length);
  return {
    write(row: RowFields): void {
      for (let j = 0; j < w.length; j++) diff[j] = w[j]! - reference[j]!;
      row.distance = norm2(diff, diff.length);
    },
  };
}

/**
 * The metric table shared by the margin-based loops (binary `trainWeighted`, multiclass `trainMulticlass`):
 * `norm`, the margin statistics (`margin`, `averageMargin`, `trainError`), `gap`/`angle` to a reference and
 * `testError` on a held-out set, with their defaults (norm, margin; gap and angle with a reference;
 * testError with a test set).
 */
export function marginMetricGroups(spec: {
  theta: Float64Array;
  margins: Float64Array;
  alpha: number;
  multiclass: boolean;
  reference: Float64Array | null;
  /** Appended to the message when angle or gap is asked for without a reference. */
  referenceHint?: string;
  /** The `testError` recorder, or null without a test set. */
  testError: (() => Recorder) | null;
}): MetricGroup[] {
  const { theta, margins, alpha, multiclass, reference, testError } = spec;
  return [
    { names: ['norm'], defaults: ['norm'], make: () => normRecorder(theta) },
    {
      names: ['margin', 'averageMargin', 'trainError'],
      defaults: ['margin'],
      make: (selected) => marginStatsRecorder({ theta, margins, alpha, multiclass, selected }),
    },
    {
      names: ['gap', 'angle'],
      defaults: ['gap', 'angle'],
      needs: {
        option: 'reference',
        given: reference !== null,
        label: 'angle or gap',
        ...(spec.referenceHint === undefined ? {} : { hint: spec.referenceHint }),
      },
      make: (selected) => directionRecorder(theta, reference!, selected),
    },
    {
      names: ['testError'],
      defaults: ['testError'],
      needs: { option: 'test', given: testError !== null },
      make: () => testError!(),
    },
  ];
}
