/**
 * Option checks and the tail-shifted objective shared by the classification loops (`trainWeighted`,
 * `trainMulticlass`, `trainLearnedWeights`). Not part of the public API (not re-exported).
 * @internal
 * @packageDocumentation
 */
import { InvalidInputError } from '../../errors/index.js';
import { addNormPowerGradient, minMarginWhere, norm2 } from '../../kernels/vector.js';
import {
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkOneOf,
  show,
  toFiniteVector,
} from '../../util/validate.js';
import type { Optimizer } from '../optimizers/types.js';

/**
 * A reference direction for angle metrics: a vector of length `size`, or `{ theta, bias? }` as returned by
 * `hardMarginSVM` (with `withBias`, a theta of length size − 1 plus a finite bias is accepted: the bias is
 * appended). Must be nonzero. @internal
 */
export function resolveReference(fn: string, ref: unknown, size: number, withBias = true): Float64Array {
  let v: Float64Array;
  if (Array.isArray(ref) || ArrayBuffer.isView(ref)) {
    v = toFiniteVector(fn, 'reference', ref, size);
  } else if (typeof ref === 'object' && ref !== null && 'theta' in ref) {
    const { theta, bias } = ref as { theta: unknown; bias?: unknown };
    if (!withBias) {
      v = toFiniteVector(fn, 'reference.theta', theta, size);
    } else {
      const t = toFiniteVector(fn, 'reference.theta', theta);
      if (t.length === size) v = t;
      else if (t.length === size - 1 && typeof bias === 'number' && Number.isFinite(bias)) {
        v = new Float64Array(size);
        v.set(t);
        v[size - 1] = bias;
      } else {
        throw new InvalidInputError(
          fn,
          'reference.theta',
          `must have length ${size} (model.size), or ${size - 1} with a finite bias, got length ${t.length}`,
        );
      }
    }
  } else {
    const shape = withBias ? '{ theta, bias }' : '{ theta }';
    throw new InvalidInputError(fn, 'reference', `must be a vector or ${shape}, got ${show(ref)}`);
  }
  if (norm2(v) === 0) throw new InvalidInputError(fn, 'reference', 'must be nonzero');
  return v;
}

/** The `optimizer` option: an object with `init`/`update` (default `fallback`). @internal */
export function checkOptimizer(
  fn: string,
  optimizer: unknown,
  fallback: () => Optimizer<unknown>,
): Optimizer<unknown> {
  const o = optimizer === undefined ? fallback() : optimizer;
  if (typeof o !== 'object' || o === null || typeof (o as Optimizer<unknown>).update !== 'function') {
    throw new InvalidInputError(
      fn,
      'optimizer',
      `must be an optimizer such as gd({ lr: 0.1 }), got ${show(o)}`,
    );
  }
  return o as Optimizer<unknown>;
}

/** The `regularization: { lambda, r }` option (λ ≥ 0, r > 0); λ = 0 without it. @internal */
export function checkRegularization(fn: string, regularization: unknown): { lambda: number; r: number } {
  if (regularization === undefined) return { lambda: 0, r: 2 };
  const reg = checkObject(fn, 'regularization', regularization, false);
  checkKnownKeys(`${fn}: regularization`, reg, ['lambda', 'r']);
  const lambda = checkNumber(fn, 'regularization.lambda', reg.lambda, { min: 0 });
  const r = checkNumber(fn, 'regularization.r', reg.r, { min: 0, exclusiveMin: true });
  return { lambda, r };
}

/** The `onDiverge` option (default 'throw'). @internal */
export function checkOnDiverge(fn: string, onDiverge: unknown): 'throw' | 'stop' {
  return onDiverge === undefined ? 'throw' : checkOneOf(fn, 'onDiverge', onDiverge, ['throw', 'stop']);
}

/** The `onProgress` option: a function or undefined. @internal */
export function checkOnProgress(fn: string, onProgress: unknown): void {
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidInputError(fn, 'onProgress', `must be a function, got ${show(onProgress)}`);
  }
}

/** What {@link shiftedObjective} builds: the `evaluate`/`logScale`/`afterUpdate` of a training loop. @internal */
export interface ShiftedObjective {
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
 * gives, so results are unchanged to the bit. @internal
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
      evaluate(): number {
        return objective(0) + addNormPowerGradient(grad, theta, lambda, r, p);
      },
      shift: () => 0,
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
