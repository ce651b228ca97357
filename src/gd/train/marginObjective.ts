/**
 * The objective of the margin-based tasks (`trainWeighted`, `trainMulticlass`) as a training problem, with
 * its tail shift: in long runs every loss term e^{−uᵢ} underflows, so the pass is shifted by the smallest
 * margin and the loss is carried in log domain. The shift is state carried from step to step, saved with
 * the run's resumable state. Internal.
 * @internal
 * @packageDocumentation
 */
import { addNormPowerGradient, minMarginWhere } from '../../kernels/vector.js';
import { decodeNumber, encodeNumber, type JsonValue } from '../../util/json.js';
import type { Problem } from './driver.js';

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
