import { describe, expect, it } from 'vitest';
import {
  DivergedError,
  ImplicitBiasError,
  InvalidInputError,
  NotSeparableError,
  SolverFailedError,
} from '../../src/index.js';
import { checkNumber, checkOneOf, toFiniteVector } from '../../src/util/validate.js';

describe('errors', () => {
  it('every error class is an ImplicitBiasError with its stable code', () => {
    const cases: [ImplicitBiasError, string][] = [
      [new InvalidInputError('gd', 'lr', 'must be > 0, got -1'), 'INVALID_INPUT'],
      [new NotSeparableError('x'), 'NOT_SEPARABLE'],
      [new DivergedError('x', 3, new Float64Array(2)), 'DIVERGED'],
      [new SolverFailedError('x'), 'SOLVER_FAILED'],
    ];
    for (const [err, code] of cases) {
      expect(err).toBeInstanceOf(ImplicitBiasError);
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe(code);
    }
  });

  it('checkNumber(fn, option, value, rule) names the function, the option and the value', () => {
    expect(() => checkNumber('gd', 'lr', -1, { min: 0, exclusiveMin: true })).toThrow(
      'gd: lr must be a finite number > 0, got -1',
    );
    expect(() => checkNumber('gd', 'lr', Number.NaN)).toThrow('got NaN');
    expect(() => checkNumber('f', 'steps', 1.5, { integer: true })).toThrow('must be an integer');
    expect(checkNumber('gd', 'lr', 0.1, { min: 0, exclusiveMin: true })).toBe(0.1);
  });

  it('checkOneOf and toFiniteVector reject bad values with the index', () => {
    expect(() => checkOneOf('f', 'norm', 'l3', ['l1', 'l2'])).toThrow('must be one of "l1", "l2", got "l3"');
    expect(() => toFiniteVector('f', 'weights', [1, Number.POSITIVE_INFINITY])).toThrow(
      'f: weights[1] must be finite, got Infinity',
    );
    expect(() => toFiniteVector('f', 'weights', [1, 2], 3)).toThrow('must have length 3, got length 2');
    expect(Array.from(toFiniteVector('f', 'w', new Float32Array([1, 2])))).toEqual([1, 2]);
  });
});
