/**
 * createRng's state and restore: the exact state of the generator (128 bits and the cached normal) as JSON,
 * and back — what the training loops keep in their resumable state for the mini-batch sampler and dropout.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/index.js';
import { invalid } from '../helpers/index.js';

const jsonRoundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('createRng: state and restore', () => {
  it('rng.restore(JSON(rng.state())) continues uniform, normal (with its cached spare) and int draws bit for bit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.nat({ max: 4 }),
        fc.array(fc.nat({ max: 2 }), { maxLength: 12 }),
        (seed, stream, ops) => {
          const draw = (rng: ReturnType<typeof createRng>, op: number) =>
            op === 0 ? rng.uniform() : op === 1 ? rng.normal() : rng.int(1000);
          const a = createRng(seed, stream);
          for (const op of ops) draw(a, op);
          const saved = jsonRoundTrip(a.state());
          const b = createRng(12345);
          b.restore(saved);
          for (const op of [1, 0, 1, 1, 2, 0, 1]) expect(Object.is(draw(b, op), draw(a, op))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rng.restore rejects what rng.state() cannot return', () => {
    const rng = createRng(1);
    expect(() => rng.restore({ words: [0, 0, 0, 0], spare: null })).toThrow(invalid('state.words'));
    expect(() => rng.restore({ words: [1, 2, 3], spare: null })).toThrow(invalid('state.words'));
    expect(() => rng.restore({ words: [1, 2, 3, 2 ** 40], spare: null })).toThrow(invalid('state.words'));
    expect(() => rng.restore({ words: [1, 2, 3, 4], spare: Number.NaN })).toThrow(invalid('state.spare'));
    expect(() => rng.restore(null as unknown as { words: number[]; spare: null })).toThrow(
      invalid('state.words'),
    );
  });
});
