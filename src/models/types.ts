import type { MulticlassDataset } from '../datasets/multiclassDataset.js';
import type { Dataset } from '../datasets/types.js';
import type { MarginLoss } from '../losses/types.js';
import type { Rng } from '../rng/types.js';

/**
 * A predictor f(θ, x) on one flat parameter vector θ (stax style): every optimizer works with every model.
 *
 * The fused pass {@link Model.objective} is the hot path of training: it computes all margins and the
 * (shift-scaled) gradient of Σᵢ cᵢ ℓ(uᵢ) in one pass over the data.
 */
export interface Model {
  readonly name: string;
  /** Input dimension d. */
  readonly inputDim: number;
  /** Number of parameters p = θ.length. */
  readonly size: number;
  /** Homogeneity degree α: f(cθ, x) = c^α f(θ, x) for c > 0. */
  readonly alpha: number;
  /**
   * The number of hidden units (the sum of the hidden layers' widths) that `dropout` may drop; absent or 0
   * for models without hidden units (then `trainWeighted` refuses `dropout`).
   */
  readonly hiddenUnits?: number;
  /** A fresh parameter vector with i.i.d. standard normal entries drawn from `rng`. */
  init(rng: Rng): Float64Array;
  /** Writes f(θ, xᵢ) for the n rows of the row-major `X` into `out` and returns `out`. */
  predict(out: Float64Array, theta: Float64Array, X: Float64Array, n: number): Float64Array;
  /**
   * Fused pass. Writes uᵢ = yᵢ f(θ, xᵢ) into `margins`, writes
   * grad = Σᵢ cᵢ e^{shift} ℓ′(uᵢ) yᵢ ∇θ f(θ, xᵢ) into `grad`, and returns Σᵢ cᵢ e^{shift} ℓ(uᵢ).
   * `shift` = 0 is the plain objective; a positive shift keeps terms representable when every ℓ(uᵢ)
   * underflows (long runs): then ∇ = e^{−shift}·grad and L = e^{−shift}·(return value).
   *
   * `dropoutMask` (only for models with `hiddenUnits` > 0, only passed by training with `dropout`): row i's
   * hidden unit u (units numbered layer by layer) has its output multiplied by dropoutMask[i·hiddenUnits + u]
   * (0 or 1/(1 − p): inverted dropout), in the forward and the backward pass alike.
   */
  objective(
    grad: Float64Array,
    theta: Float64Array,
    data: Dataset,
    c: Float64Array,
    loss: MarginLoss,
    shift: number,
    margins: Float64Array,
    dropoutMask?: Float64Array,
  ): number;
  /**
   * Optional exact Hessian-vector product: writes out = ∇²_θ [Σᵢ cᵢ ℓ(yᵢ f(θ, xᵢ))] · v (the plain objective,
   * shift 0) and returns `out`. `out` must not alias θ or v. Used by `sharpness` and the `sharpness` metric of
   * `trainWeighted`; a model without it still trains, and those throw INVALID_INPUT naming the model.
   */
  hvp?(
    out: Float64Array,
    theta: Float64Array,
    v: Float64Array,
    data: Dataset,
    c: Float64Array,
    loss: MarginLoss,
  ): Float64Array;
}

/**
 * A k-output predictor (class scores, "logits") f(θ, x) ∈ ℝᵏ on one flat parameter vector θ, trained with
 * softmax cross-entropy by `trainMulticlass`. Built by `linearMulticlass(d, k)`, or from any model that
 * computes logits and back-propagates dL/dlogits by `multiclassModel(spec)`.
 */
export interface MulticlassModel {
  readonly name: string;
  /** Input dimension d. */
  readonly inputDim: number;
  /** Number of outputs (classes) k ≥ 2. */
  readonly outputs: number;
  /** Number of parameters p = θ.length. */
  readonly size: number;
  /** Homogeneity degree α: f(cθ, x) = c^α f(θ, x) for c > 0. */
  readonly alpha: number;
  /** A fresh parameter vector with i.i.d. standard normal entries drawn from `rng`. */
  init(rng: Rng): Float64Array;
  /** Writes the logits f(θ, xᵢ) of the n rows of `X` into `out` (n×k row-major) and returns `out`. */
  logits(out: Float64Array, theta: Float64Array, X: Float64Array, n: number): Float64Array;
  /**
   * Fused pass. Writes the multiclass margins mᵢ = f_{yᵢ}(θ, xᵢ) − max_{j≠yᵢ} fⱼ(θ, xᵢ) into `margins`,
   * grad = Σᵢ cᵢ e^{shift} ∇θ CE(f(θ, xᵢ), yᵢ) into `grad`, and returns Σᵢ cᵢ e^{shift} CE(f(θ, xᵢ), yᵢ).
   * `shift` as in {@link Model.objective}: 0 is the plain objective; a positive shift keeps the terms
   * representable when every CE term underflows.
   */
  objective(
    grad: Float64Array,
    theta: Float64Array,
    data: MulticlassDataset,
    c: Float64Array,
    shift: number,
    margins: Float64Array,
  ): number;
}
