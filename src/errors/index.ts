/**
 * Every error the library throws is an {@link ImplicitBiasError} with a stable `code`, so callers can
 * branch on `err.code` instead of parsing messages.
 *
 * - `INVALID_INPUT`: bad data or options; the message names the function, the option and the value.
 * - `NOT_SEPARABLE`: a max-margin solver was given data that no hyperplane separates.
 * - `DIVERGED`: a run produced a non-finite loss or parameter; carries the step and the last finite θ.
 * - `SOLVER_FAILED`: an inner solver (QP, LP, Newton) did not reach its result.
 */
export type ImplicitBiasErrorCode = 'INVALID_INPUT' | 'NOT_SEPARABLE' | 'DIVERGED' | 'SOLVER_FAILED';

/** Base class of every error thrown by implicit-bias. */
export class ImplicitBiasError extends Error {
  readonly code: ImplicitBiasErrorCode;
  constructor(code: ImplicitBiasErrorCode, message: string) {
    super(message);
    this.name = 'ImplicitBiasError';
    this.code = code;
  }
}

/** Bad data or options. `fn` and `option` are also available as fields. */
export class InvalidInputError extends ImplicitBiasError {
  readonly fn: string;
  readonly option: string;
  constructor(fn: string, option: string, message: string) {
    super('INVALID_INPUT', `${fn}: ${option} ${message}`);
    this.name = 'InvalidInputError';
    this.fn = fn;
    this.option = option;
  }
}

/** The data is not linearly separable, so a max-margin solution does not exist. */
export class NotSeparableError extends ImplicitBiasError {
  constructor(message: string) {
    super('NOT_SEPARABLE', message);
    this.name = 'NotSeparableError';
  }
}

/** A run produced a non-finite loss or parameter vector. */
export class DivergedError extends ImplicitBiasError {
  /** The step at which the non-finite value appeared (steps count from 1). */
  readonly step: number;
  /** The last parameter vector that was entirely finite (a copy). */
  readonly lastFiniteTheta: Float64Array;
  constructor(message: string, step: number, lastFiniteTheta: Float64Array) {
    super('DIVERGED', message);
    this.name = 'DivergedError';
    this.step = step;
    this.lastFiniteTheta = lastFiniteTheta;
  }
}

/** An inner solver (QP, LP, Newton) could not produce its result. */
export class SolverFailedError extends ImplicitBiasError {
  constructor(message: string) {
    super('SOLVER_FAILED', message);
    this.name = 'SolverFailedError';
  }
}
