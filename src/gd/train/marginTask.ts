/**
 * The margin-based tasks (`trainWeighted`, `trainMulticlass`): their objective as a training problem with
 * its tail shift — in long runs every loss term e^{−uᵢ} underflows, so the pass is shifted by the smallest
 * margin and the loss is carried in log domain; the shift is state carried from step to step, saved with
 * the run's resumable state — and the preparation both loops share (weights, optimizer, initial θ,
 * regularization, the margin metrics, the fingerprint, the result). Internal.
 * @internal
 * @packageDocumentation
 */
import { addNormPowerGradient, minMarginWhere } from '../../kernels/vector.js';
import { checkWeights } from '../../losses/weightedRisk.js';
import type { MetricGroup, Recorder } from '../../metrics/recorder.js';
import { copyRecorder, marginMetricGroups } from '../../metrics/recorders.js';
import type { Rng } from '../../rng/types.js';
import { decodeNumber, encodeNumber, hashVector, type JsonValue } from '../../util/json.js';
import { gd } from '../optimizers/gd.js';
import type { PreparedRun, Problem } from './driver.js';
import { type CommonOptions, checkOptimizer, checkRegularization, initialParameters } from './options.js';
import { describe, describeData, describeModel } from './state.js';
import type { TrainRunResult } from './types.js';

/** What {@link shiftedObjective} builds: a training {@link Problem} that also reports its shift. */
export interface ShiftedObjective extends Problem {
  /** Evaluates at θ into grad/margins; returns the loss scaled by e^{shift} (plus the regularizer). */
  evaluate(): number;
  /** The current shift s: the returned loss and gradient are e^{s} times the true ones. */
  shift(): number;
  /** Re-centres the shift after an update (undefined with a regularizer, where no shift is used). */
  afterUpdate: (() => void) | undefined;
}

/**
 * The objective of a margin-based loop with its tail shift. `objective(shift)` fills grad and margins and
 * returns Σᵢ cᵢ e^{shift} ℓᵢ. Without a regularizer: when that underflows to 0 (or a shifted value stops
 * being finite and positive) the pass is redone shifted by the smallest margin among cᵢ ≠ 0, and after each
 * update the shift follows that margin once it passes 600 (so e^{−u} terms stay representable in long
 * runs). With λ > 0 the shift stays 0 and λ‖θ‖^r (value and gradient λ r ‖θ‖^{r−2} θ) is added.
 *
 * `expBound`: the caller promises ℓ(u) ≤ e^{−u} (exponential, logistic) and fixed cᵢ ≥ 0. Then the
 * value itself often proves that the smallest margin is ≤ 600 (value > 2·Σcᵢ·e^{shift−600}), and
 * `afterUpdate` sets the shift to 0 without its O(n) scan of the margins: the same shift as the scan
 * gives, so results are unchanged to the bit.
 */
export function shiftedObjective(spec: {
  objective: (shift: number) => number;
  theta: Float64Array;
  grad: Float64Array;
  c: Float64Array;
  margins: Float64Array;
  lambda: number;
  r: number;
  expBound?: boolean;
}): ShiftedObjective {
  const { objective, theta, grad, c, margins, lambda, r } = spec;
  const n = c.length;
  const p = theta.length;
  let shift = 0;
  if (lambda > 0) {
    return {
      params: theta,
      grad,
      evaluate(): number {
        return objective(0) + addNormPowerGradient(grad, theta, lambda, r, p);
      },
      shift: () => 0,
      logScale: () => -0,
      afterUpdate: undefined,
    };
  }
  // Σcᵢ for the bound of afterUpdate (NaN, never used, without expBound).
  let cSum = Number.NaN;
  if (spec.expBound === true) {
    cSum = 0;
    for (let i = 0; i < n; i++) cSum += c[i]!;
  }
  /** The value of the last evaluation, at the current shift. */
  let last = Number.NaN;
  return {
    params: theta,
    grad,
    evaluate(): number {
      let value = objective(shift);
      const underflow = value === 0;
      const lostScale = shift !== 0 && !(value > 0 && value < Number.POSITIVE_INFINITY);
      if (underflow || lostScale) {
        const m = minMarginWhere(margins, c, n);
        const s = Number.isFinite(m) && m > 0 ? m : 0;
        if (s !== shift) {
          shift = s;
          value = objective(shift);
        }
      }
      last = value;
      return value;
    },
    shift: () => shift,
    logScale: () => -shift,
    save: (): JsonValue => ({ shift: encodeNumber(shift) }),
    load(saved: JsonValue): void {
      shift = decodeNumber((saved as { shift?: unknown } | null)?.shift) ?? 0;
    },
    afterUpdate(): void {
      // With every uᵢ > 600 (cᵢ ≠ 0) the value would be at most Σcᵢ·e^{shift−600} (up to rounding, far
      // below the factor 2), so a larger value means the scan below would return a margin ≤ 600: shift 0.
      // The bound is used only where it is a normal number (no subnormal rounding).
      const bound = 2 * cSum * Math.exp(shift - 600);
      if (bound > 1e-300 && last > bound) {
        shift = 0;
        return;
      }
      const m = minMarginWhere(margins, c, n);
      shift = m > 600 ? m : 0;
    },
  };
}

/**
 * The first fields of a row of a shifted objective: `loss` = L (e^{logLoss}, which underflows to 0 in the far
 * tail) and `logLoss` = log(value) − shift, finite even there.
 */
export function shiftedRow(
  objective: ShiftedObjective,
): (step: number, value: number) => { step: number; loss: number; logLoss: number } {
  return (step, value) => {
    const shift = objective.shift();
    const logLoss = Math.log(value) - shift;
    return { step, loss: shift === 0 ? value : Math.exp(logLoss), logLoss };
  };
}

/** What a margin-based loop returns: the driver's fields and θ, θ₀ and the weights. */
export type MarginTaskResult<Row> = TrainRunResult<Row> & {
  /** θ after the last update performed. */
  theta: Float64Array;
  /** The initial θ. */
  init: Float64Array;
  /** The validated weights. */
  weights: Float64Array;
};

/** What a margin-based loop has checked itself before {@link prepareMarginTask} does the rest. */
export interface MarginTask {
  fn: string;
  /** The options object (its `weights`, `optimizer`, `init` and `regularization` are read here). */
  opts: Record<string, unknown>;
  common: CommonOptions;
  data: { readonly n: number };
  model: { readonly size: number; readonly alpha: number; init(rng: Rng): Float64Array };
  /** The model's fused pass: fills `grad` and `margins`, returns Σᵢ cᵢ e^{shift} ℓᵢ (see `Model.objective`). */
  objective(
    grad: Float64Array,
    theta: Float64Array,
    c: Float64Array,
    shift: number,
    margins: Float64Array,
  ): number;
  /** Whether ℓ(u) ≤ e^{−u} holds for every term (see {@link shiftedObjective}). */
  expBound: boolean;
  /** Binary (u ≤ 0 is an error) or multiclass (u > 0 fails) margins. */
  multiclass: boolean;
  reference: Float64Array | null;
  referenceHint?: string;
  test: object | null;
  /** The `testError` recorder of θ (when `test` is given). */
  testError(theta: Float64Array): Recorder;
  /** The loop's own metrics, between the shared ones and `theta`. */
  extraMetrics?(run: {
    theta: Float64Array;
    c: Float64Array;
    margins: Float64Array;
    lambda: number;
    r: number;
  }): MetricGroup[];
  /** The loop's own fingerprints (e.g. the loss). */
  extraFingerprint?: Readonly<Record<string, string>>;
}

/**
 * The rest of a margin-based loop's preparation: weights (default all 1), optimizer (default
 * `gd({ lr: 0.1 })`), initial θ, regularization, the coefficients cᵢ = wᵢ/n, the shifted objective, the
 * metric table, the fingerprint and the result.
 */
export function prepareMarginTask<Row>(task: MarginTask): PreparedRun<MarginTaskResult<Row>, Row> {
  const { fn, opts, common, data, model, reference, test } = task;
  const { n } = data;
  const p = model.size;
  const weights =
    opts.weights === undefined ? new Float64Array(n).fill(1) : checkWeights(fn, opts.weights, n);
  const optimizer = checkOptimizer(fn, opts.optimizer, () => gd({ lr: 0.1 }));
  const theta = initialParameters(fn, opts.init, p, common.seed, (rng) => model.init(rng));
  const init = Float64Array.from(theta);
  const { lambda, r } = checkRegularization(fn, opts.regularization);

  // Per-point coefficients cᵢ = wᵢ/n: the kernel then computes ∇L directly.
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = weights[i]! / n;
  // Buffers, allocated once: the step loop allocates nothing but recorded rows.
  const grad = new Float64Array(p);
  const margins = new Float64Array(n);
  const objective = shiftedObjective({
    objective: (shift) => task.objective(grad, theta, c, shift, margins),
    theta,
    grad,
    c,
    margins,
    lambda,
    r,
    expBound: task.expBound,
  });
  const metrics: MetricGroup[] = [
    ...marginMetricGroups({
      theta,
      margins,
      alpha: model.alpha,
      multiclass: task.multiclass,
      reference,
      ...(task.referenceHint === undefined ? {} : { referenceHint: task.referenceHint }),
      testError: test === null ? null : () => task.testError(theta),
    }),
    ...(task.extraMetrics?.({ theta, c, margins, lambda, r }) ?? []),
    { names: ['theta'], make: () => copyRecorder('theta', () => theta) },
  ];
  return {
    spec: {
      fn,
      param: 'θ',
      common,
      problem: objective,
      optimizer,
      metrics,
      row: shiftedRow(objective),
      fingerprint: {
        data: describeData(data),
        model: describeModel(model),
        weights: hashVector(weights),
        init: hashVector(init),
        regularization: describe({ lambda, r }),
        reference: reference === null ? 'none' : hashVector(reference),
        test: test === null ? 'none' : describeData(test),
        ...task.extraFingerprint,
      },
    },
    finish: (outcome) => ({ theta, ...outcome, init, weights }),
  };
}
