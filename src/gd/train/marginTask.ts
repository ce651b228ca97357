/**
 * The margin-based tasks (`trainWeighted`, `trainMulticlass`): their objective as a training problem with
 * its tail shift — in long runs every loss term e^{−uᵢ} underflows, so the pass is shifted by the smallest
 * margin and the loss is carried in log domain; the shift is state carried from step to step, saved with
 * the run's resumable state — and the preparation both loops share (weights, optimizer, initial θ,
 * regularization, the margin metrics, the fingerprint, the result). Internal.
 * @internal
 * @packageDocumentation
 */

import { InvalidInputError } from '../../errors/index.js';
import { addNormPowerGradient, minMarginWhere } from '../../kernels/vector.js';
import { checkWeights } from '../../losses/weightedRisk.js';
import type { MetricGroup, Recorder } from '../../metrics/recorder.js';
import { copyRecorder, marginMetricGroups } from '../../metrics/recorders.js';
import { createRng, RNG_STREAMS } from '../../rng/createRng.js';
import type { Rng, RngState } from '../../rng/types.js';
import { decodeNumber, encodeNumber, hashVector, type JsonValue } from '../../util/json.js';
import { gd } from '../optimizers/gd.js';
import { rowBatches } from './batchRows.js';
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
  /** The shift of the last value returned (by `evaluate` or `evaluateOther`), for the row's `logLoss`. */
  valueShift(): number;
  /** Re-centres the shift after an update (undefined with a regularizer, where no shift is used). */
  afterUpdate: (() => void) | undefined;
  /**
   * Points `evaluate` and the shift's scan at other rows (a mini-batch): `objective` must then fill these
   * `margins` with cᵢ = these `c`, n rows. O(n) (the bound's Σcᵢ).
   */
  useRows(c: Float64Array, margins: Float64Array, n: number): void;
  /**
   * Another objective over other rows (the full training set while the steps use mini-batches), by
   * `evaluate`'s rule — the run's shift, or the smallest margin among cᵢ ≠ 0 when the value underflows or
   * stops being finite — without changing the run's shift; with a regularizer its value and gradient are
   * added. Sets `valueShift`.
   */
  evaluateOther(
    objective: (shift: number) => number,
    c: Float64Array,
    margins: Float64Array,
    n: number,
  ): number;
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
 * gives, so results are unchanged to the bit. With mini-batches (`useRows`) the scan and the bound cover
 * the batch's rows only: O(|B|) per step, never O(n).
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
  const { objective, theta, grad, lambda, r } = spec;
  let c = spec.c;
  let margins = spec.margins;
  let n = c.length;
  const p = theta.length;
  const expBound = spec.expBound === true;
  let shift = 0;
  let valueShift = 0;
  /** Σcᵢ for the bound of afterUpdate (NaN, never used, without expBound). */
  let cSum = Number.NaN;
  const sumC = (): void => {
    if (!expBound) return;
    cSum = 0;
    for (let i = 0; i < n; i++) cSum += c[i]!;
  };
  const useRows = (rowsC: Float64Array, rowsMargins: Float64Array, rowsN: number): void => {
    c = rowsC;
    margins = rowsMargins;
    n = rowsN;
    sumC();
  };
  if (lambda > 0) {
    return {
      params: theta,
      grad,
      evaluate(): number {
        return objective(0) + addNormPowerGradient(grad, theta, lambda, r, p);
      },
      shift: () => 0,
      valueShift: () => 0,
      logScale: () => -0,
      afterUpdate: undefined,
      useRows,
      evaluateOther(other: (shift: number) => number): number {
        return other(0) + addNormPowerGradient(grad, theta, lambda, r, p);
      },
    };
  }
  sumC();
  /** evaluate's rule at shift s over (cc, mm, nn): [value, the shift used]. */
  const shifted = (
    f: (shift: number) => number,
    s: number,
    cc: Float64Array,
    mm: Float64Array,
    nn: number,
  ): number => {
    let value = f(s);
    const underflow = value === 0;
    const lostScale = s !== 0 && !(value > 0 && value < Number.POSITIVE_INFINITY);
    if (underflow || lostScale) {
      const m = minMarginWhere(mm, cc, nn);
      const s2 = Number.isFinite(m) && m > 0 ? m : 0;
      if (s2 !== s) {
        s = s2;
        value = f(s);
      }
    }
    valueShift = s;
    return value;
  };
  /** The value of the last evaluation, at the current shift. */
  let last = Number.NaN;
  return {
    params: theta,
    grad,
    evaluate(): number {
      last = shifted(objective, shift, c, margins, n);
      shift = valueShift;
      return last;
    },
    shift: () => shift,
    valueShift: () => valueShift,
    logScale: () => -shift,
    save: (): JsonValue => ({ shift: encodeNumber(shift) }),
    load(saved: JsonValue): void {
      shift = decodeNumber((saved as { shift?: unknown } | null)?.shift) ?? 0;
    },
    useRows,
    evaluateOther(
      other: (shift: number) => number,
      otherC: Float64Array,
      otherMargins: Float64Array,
      otherN: number,
    ): number {
      return shifted(other, shift, otherC, otherMargins, otherN);
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
    const shift = objective.valueShift();
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
export interface MarginTask<D extends MarginData = MarginData> {
  fn: string;
  /** The options object (its `weights`, `optimizer`, `init` and `regularization` are read here). */
  opts: Record<string, unknown>;
  common: CommonOptions;
  data: D;
  /** The per-row arrays of `data` besides X that a mini-batch gathers ('y' or 'labels'). */
  rowKeys: readonly (keyof D & string)[];
  model: { readonly size: number; readonly alpha: number; init(rng: Rng): Float64Array };
  /**
   * The model's fused pass over `rows` (the training set or a mini-batch of it): fills `grad` and `margins`,
   * returns Σᵢ cᵢ e^{shift} ℓᵢ (see `Model.objective`); `mask` is the dropout mask (or undefined).
   */
  objective(
    grad: Float64Array,
    theta: Float64Array,
    rows: D,
    c: Float64Array,
    shift: number,
    margins: Float64Array,
    mask: Float64Array | undefined,
  ): number;
  /** Inverted dropout on the model's `units` hidden units with rate p ∈ (0, 1) (checked), or null. */
  dropout?: { rate: number; units: number } | null;
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

/** The rows of a margin-based loop's data: X (n×d) and per-row labels. */
export interface MarginData {
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
}

/**
 * Draws inverted-dropout masks: mask[i·units + u] = 0 with probability `rate`, else 1/(1 − rate), i.i.d. over
 * rows and units (row by row, units in order), from `createRng(seed, RNG_STREAMS.dropout)`. Its generator's
 * state is saved with the run's.
 */
function dropoutMasks(rate: number, units: number, capacity: number, seed: number) {
  const rng = createRng(seed, RNG_STREAMS.dropout);
  const mask = new Float64Array(capacity * units);
  const keep = 1 / (1 - rate);
  return {
    mask,
    /** Fills the masks of the first `rows` rows. O(rows · units). */
    draw(rows: number): Float64Array {
      const m = rows * units;
      for (let q = 0; q < m; q++) mask[q] = rng.uniform() < rate ? 0 : keep;
      return mask;
    },
    save: (): JsonValue => {
      const s = rng.state();
      return { words: [...s.words], spare: s.spare };
    },
    load(saved: unknown): void {
      rng.restore(saved as RngState);
    },
  };
}

/**
 * The rest of a margin-based loop's preparation: weights (default all 1), optimizer (default
 * `gd({ lr: 0.1 })`), initial θ, regularization, the coefficients cᵢ = wᵢ/n, the shifted objective, the
 * metric table, the fingerprint and the result.
 *
 * With mini-batches (`common.batch`) a step's objective is (1/|B|) Σ_{i∈B} wᵢ ℓᵢ: coefficients wᵢ/|B| over
 * the batch's rows (gathered by {@link rowBatches}); with dropout the step's pass gets fresh masks. Either way
 * the problem gets `evaluateRecord`: the full objective (every row, cᵢ = wᵢ/n, no dropout) at the run's
 * shift, for the recorded rows, so every metric is measured on the full training set. Without either, the
 * problem is exactly the full-batch one (the same bits as before mini-batches existed).
 */
export function prepareMarginTask<Row, D extends MarginData = MarginData>(
  task: MarginTask<D>,
): PreparedRun<MarginTaskResult<Row>, Row> {
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
  // Buffers, allocated once: the step loop allocates nothing but recorded rows (and a mini-batch's views).
  const grad = new Float64Array(p);
  const margins = new Float64Array(n);
  const batch = common.batch;
  const dropout = task.dropout ?? null;
  const capacity = batch === null ? n : Math.min(batch.size, n);
  const masks = dropout === null ? null : dropoutMasks(dropout.rate, dropout.units, capacity, common.seed);
  // The rows of the step's pass: the training set, or the current mini-batch.
  let rows: D = data;
  let rowsC = c;
  let rowsMargins = margins;
  let mask: Float64Array | undefined;
  const objective = shiftedObjective({
    objective: (shift) => task.objective(grad, theta, rows, rowsC, shift, rowsMargins, mask),
    theta,
    grad,
    c,
    margins,
    lambda,
    r,
    expBound: task.expBound,
  });
  let problem: Problem = objective;
  if (batch !== null || masks !== null) {
    // The step's objective is a mini-batch's or has dropout: the recorded rows get the full one.
    const full = (shift: number): number => task.objective(grad, theta, data, c, shift, margins, undefined);
    const stochastic: { -readonly [K in keyof Problem]: Problem[K] } = {
      params: theta,
      grad,
      evaluate: () => {
        if (masks !== null) mask = masks.draw(rows.n);
        return objective.evaluate();
      },
      evaluateRecord: () => objective.evaluateOther(full, c, margins, n),
      logScale: () => objective.logScale!(),
      afterUpdate: objective.afterUpdate,
    };
    if (objective.save !== undefined || masks !== null) {
      stochastic.save = () => ({
        shift: encodeNumber(objective.shift()),
        ...(masks === null ? {} : { dropout: masks.save() }),
      });
      stochastic.load = (saved) => {
        objective.load?.(saved);
        if (masks === null) return;
        try {
          masks.load((saved as { dropout?: unknown } | null)?.dropout);
        } catch (e) {
          throw new InvalidInputError(fn, 'resume.problem.dropout', (e as Error).message);
        }
      };
    }
    if (batch !== null) {
      const gather = rowBatches(data, capacity, task.rowKeys);
      const batchC = new Float64Array(capacity);
      const batchMargins = new Float64Array(capacity);
      stochastic.rows = n;
      stochastic.selectRows = (indices, m) => {
        rows = gather(indices, m);
        // (1/|B|) Σ_{i∈B} wᵢ ℓᵢ: with |B| = n in order, cᵢ = wᵢ/n as in the full pass, bit for bit.
        for (let k = 0; k < m; k++) batchC[k] = weights[indices[k]!]! / m;
        rowsC = m === capacity ? batchC : batchC.subarray(0, m);
        rowsMargins = m === capacity ? batchMargins : batchMargins.subarray(0, m);
        objective.useRows(rowsC, rowsMargins, m);
      };
    }
    problem = stochastic;
  }
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
      problem,
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
        ...(dropout === null ? {} : { dropout: describe(dropout.rate) }),
        ...task.extraFingerprint,
      },
    },
    finish: (outcome) => ({ theta, ...outcome, init, weights }),
  };
}
