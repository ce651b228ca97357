import type { JsonValue } from '../../util/json.js';

/** What the training loop tells an optimizer about the current gradient. */
export interface GradientInfo {
  /** 0-based index of this update (the schedule is evaluated at it). */
  step: number;
  /**
   * The gradient buffer passed to `update` holds e^{−logScale}·∇L; the true gradient is
   * e^{logScale}·grad. `logScale` is 0 except in the far tail of long runs, where every loss term
   * underflows (see `Model.objective`).
   */
  logScale: number;
  /** L = e^{logScale}·lossScaled. */
  lossScaled: number;
}

/** A learning rate: a positive number or a schedule `step ↦ lr` evaluated at the 0-based step. */
export type LearningRate = number | ((step: number) => number);

/**
 * A gradient method as an init/update pair with explicit state (optax style). Deviation on purpose:
 * `update` writes θ in place so that the step loop allocates nothing.
 */
export interface Optimizer<S = unknown> {
  readonly name: string;
  /** The validated settings the optimizer was built with. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Fresh state for a parameter vector of this length. */
  init(theta: Float64Array): S;
  /** One update: θ ← θ + Δ(grad, state); mutates `theta` and `state`, returns `theta`. */
  update(theta: Float64Array, grad: Float64Array, state: S, info: GradientInfo): Float64Array;
  /**
   * Optional: the state as JSON, for the resumable `state` of the training loops. Without it the state is
   * saved as plain data: its numbers, booleans, `Float64Array`s and nested plain objects (every optimizer of
   * this library is saved so). Give it, with {@link Optimizer.loadState}, for a state of other kinds.
   */
  saveState?(state: S): JsonValue;
  /**
   * Optional: the state {@link Optimizer.saveState} saved, rebuilt for θ (the parameters at the saved step).
   * Without it the loop calls `init(θ)` and copies the saved plain data into the fresh state.
   */
  loadState?(saved: JsonValue, theta: Float64Array): S;
}
