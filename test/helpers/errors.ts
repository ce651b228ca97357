import { expect } from 'vitest';
import { ImplicitBiasError } from '../../src/errors/index.js';

/**
 * An asymmetric matcher for an INVALID_INPUT error whose message contains `fragment`:
 * `expect(() => f()).toThrow(invalid('lr'))`.
 */
export const invalid = (fragment: string) =>
  expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(fragment) });

/** The error thrown by `fn` (which must be an ImplicitBiasError with this code), or a failed expectation. */
export function thrown(code: string, fn: () => unknown): ImplicitBiasError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImplicitBiasError);
    expect((err as ImplicitBiasError).code).toBe(code);
    return err as ImplicitBiasError;
  }
  throw new Error(`expected an ${code} error, but nothing was thrown`);
}

/** The INVALID_INPUT error thrown by `fn`, or a failed expectation. */
export const invalidInput = (fn: () => unknown): ImplicitBiasError => thrown('INVALID_INPUT', fn);
