import { InvalidInputError } from '../errors/index.js';
import { crossEntropyRow } from '../kernels/multiclass.js';
import { checkNumber, toFiniteVector } from '../util/validate.js';

/** The softmax cross-entropy loss object {@link crossEntropy}. */
export interface CrossEntropyLoss {
  readonly name: 'crossEntropy';
  /** CE(z, y) = log Σⱼ e^{zⱼ} − z_y, stable for every finite z. */
  value(logits: ArrayLike<number>, label: number): number;
  /** Writes ∂CE/∂zⱼ = softmax(z)ⱼ − 1[j = y] into `out` (length k) and returns it. */
  gradient(out: Float64Array, logits: ArrayLike<number>, label: number): Float64Array;
  /** log CE(z, y), finite even where CE underflows to 0 (margins beyond ~745). */
  logValue(logits: ArrayLike<number>, label: number): number;
  /** The multiclass margin z_y − max_{j≠y} zⱼ. */
  margin(logits: ArrayLike<number>, label: number): number;
}

function inputs(fn: string, logits: ArrayLike<number>, label: number): Float64Array {
  const z = toFiniteVector(fn, 'logits', logits);
  if (z.length < 2) {
    throw new InvalidInputError(fn, 'logits', `must have length k >= 2, got length ${z.length}`);
  }
  checkNumber(fn, 'label', label, { integer: true, min: 0, max: z.length - 1 });
  return z;
}

const one = new Float64Array(1);

function rowTerms(fn: string, g: Float64Array | null, logits: ArrayLike<number>, label: number): number {
  const z = inputs(fn, logits, label);
  const out = g ?? new Float64Array(z.length);
  return crossEntropyRow(out, 0, one, 0, z, 0, label, z.length, 1, 0);
}

/**
 * The softmax cross-entropy of k logits z with class label y ∈ {0, …, k − 1}:
 *
 *   CE(z, y) = log Σⱼ e^{zⱼ} − z_y = log(1 + Σ_{j≠y} e^{−(z_y − zⱼ)}),
 *
 * a decreasing function of the k − 1 margins z_y − zⱼ with an exponential tail (for k = 2 it is the
 * logistic loss of the margin z_y − z_{1−y}). Evaluated as the training kernels evaluate it (the same
 * code): log1p of the sum of e^{zⱼ − z_y} when y leads, the log-sum-exp with the largest logit subtracted
 * otherwise, so CE([1000, −1000], 1) = 2000 and CE([1000, −1000], 0) ≈ e^{−2000} underflows to 0 while
 * `logValue` returns −2000. Inputs are validated (finite logits, k ≥ 2, an integer label in [0, k)).
 *
 * @example
 * crossEntropy.value([0, 0, 0], 1);          // Math.log(3)
 * crossEntropy.margin([2, 5, 1], 1);         // 3
 * crossEntropy.gradient(new Float64Array(2), [0, 0], 0); // [-0.5, 0.5]
 * crossEntropy.logValue([1000, -1000], 0);   // -2000
 */
export const crossEntropy: CrossEntropyLoss = Object.freeze({
  name: 'crossEntropy' as const,
  value(logits: ArrayLike<number>, label: number): number {
    return rowTerms('crossEntropy.value', null, logits, label);
  },
  gradient(out: Float64Array, logits: ArrayLike<number>, label: number): Float64Array {
    const z = inputs('crossEntropy.gradient', logits, label);
    if (!(out instanceof Float64Array) || out.length !== z.length) {
      throw new InvalidInputError(
        'crossEntropy.gradient',
        'out',
        `must be a Float64Array of length k = ${z.length}`,
      );
    }
    crossEntropyRow(out, 0, one, 0, z, 0, label, z.length, 1, 0);
    return out;
  },
  logValue(logits: ArrayLike<number>, label: number): number {
    const z = inputs('crossEntropy.logValue', logits, label);
    const k = z.length;
    const zy = z[label]!;
    let mo = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) if (j !== label && z[j]! > mo) mo = z[j]!;
    const m = zy - mo;
    if (m <= 30) return Math.log(crossEntropyRow(new Float64Array(k), 0, one, 0, z, 0, label, k, 1, 0));
    // CE = log1p(S) = S(1 − S/2 + …) with S = Σ_{j≠y} e^{zⱼ − z_y} < (k − 1)e^{−30}; log S by
    // log-sum-exp around the largest exponent −m, finite where S itself underflows.
    let t = 0;
    for (let j = 0; j < k; j++) if (j !== label) t += Math.exp(z[j]! - zy + m);
    const logS = -m + Math.log(t);
    return logS - 0.5 * Math.exp(logS);
  },
  margin(logits: ArrayLike<number>, label: number): number {
    const z = inputs('crossEntropy.margin', logits, label);
    let mo = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < z.length; j++) if (j !== label && z[j]! > mo) mo = z[j]!;
    return z[label]! - mo;
  },
});
