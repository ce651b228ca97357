import { expect } from 'vitest';

/** Same length and |a − b| ≤ tol·max(1, |b|) entrywise (absolute near 0, relative for large entries). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < expected.length; j++) {
    const err = Math.abs(actual[j]! - expected[j]!);
    if (!(err <= tol * Math.max(1, Math.abs(expected[j]!)))) {
      throw new Error(`entry ${j}: got ${actual[j]}, expected ${expected[j]} (|diff| = ${err}, tol ${tol})`);
    }
  }
}

/**
 * |a − b| < rel·scale for every entry of `expected`, on one scale for the whole vector: the largest |bₖ|
 * (at least 1e-8). For gradients whose small entries are sums with cancellation.
 */
export function expectCloseOnScale(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rel: number,
): void {
  const scale = Math.max(1e-8, ...Array.from(expected, Math.abs));
  for (let k = 0; k < expected.length; k++) {
    expect(Math.abs(actual[k]! - expected[k]!), `component ${k}`).toBeLessThan(rel * scale);
  }
}

/** Same length and the same bits entry by entry (Object.is: −0 ≠ 0, NaN = NaN). */
export function expectSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < expected.length; j++) {
    if (!Object.is(actual[j], expected[j])) {
      throw new Error(`entry ${j}: got ${actual[j]}, expected ${expected[j]} (not bit-identical)`);
    }
  }
}
