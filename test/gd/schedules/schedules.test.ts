import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constant,
  cosineDecay,
  exponentialDecay,
  gd,
  inverseTime,
  momentum,
  stepDecay,
} from '../../../src/gd/index.js';
import { expectClose, invalidInput } from '../../helpers/index.js';
import { info } from '../optimizers/problems.js';

// Fixed seeds: fast-check then never draws its own seed, and every failure is reproducible.
const FC = { seed: 1_234_567, numRuns: 200 };

describe('schedules', () => {
  it('constant(lr)(step) returns lr at every step', () => {
    const s = constant(0.25);
    expect([0, 1, 10, 1e7].map(s)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(invalidInput(() => constant(-1)).message).toBe('constant: lr must be a finite number > 0, got -1');
    invalidInput(() => constant(0));
    invalidInput(() => constant(Number.NaN));
  });

  it('inverseTime({ lr, decay })(t) = lr/(1 + decay·t)', () => {
    const s = inverseTime({ lr: 2, decay: 0.5 });
    expect([0, 1, 2, 6].map(s)).toEqual([2, 2 / 1.5, 1, 0.5]);
    expect(inverseTime({ lr: 2, decay: 0 })(1e6)).toBe(2);
    invalidInput(() => inverseTime({ lr: 2, decay: -1 }));
    invalidInput(() => inverseTime({ lr: 0, decay: 1 }));
    invalidInput(() => inverseTime({ lr: 1 } as never));
    expect(invalidInput(() => inverseTime({ lr: 1, decay: 1, rate: 2 } as never)).message).toContain(
      'inverseTime: rate is not a known option',
    );
  });

  it('exponentialDecay({ lr, rate, min })(t) = max(min, lr·rateᵗ)', () => {
    const s = exponentialDecay({ lr: 1, rate: 0.5 });
    expect([0, 1, 2, 10].map(s)).toEqual([1, 0.5, 0.25, 1 / 1024]);
    expect(exponentialDecay({ lr: 1, rate: 0.5, min: 0.1 })(10)).toBe(0.1);
    expect(exponentialDecay({ lr: 3, rate: 1 })(1e6)).toBe(3);
    for (const rate of [0, -0.5, 1.5]) invalidInput(() => exponentialDecay({ lr: 1, rate }));
    invalidInput(() => exponentialDecay({ lr: 1, rate: 0.5, min: 2 }));
    invalidInput(() => exponentialDecay({ lr: 1, rate: 0.5, min: -1 }));
  });

  it('exponentialDecay({ lr, rate }) with min = 0 underflows to 0, which gd rejects naming the step', () => {
    const s = exponentialDecay({ lr: 1, rate: 0.5 });
    const opt = gd({ lr: s });
    const theta = Float64Array.of(1);
    const grad = Float64Array.of(0);
    let k = 0;
    while (s(k) > 0) opt.update(theta, grad, {}, info(k++));
    expect(k).toBe(1075); // 2^−1074 is the smallest subnormal
    expect(invalidInput(() => opt.update(theta, grad, {}, info(k))).message).toBe(
      'gd: lr schedule must return a finite number > 0, got 0 at step 1075',
    );
  });

  it('cosineDecay({ lr, steps, alpha })(t) = lr·((1 − α)·½(1 + cos(πt/T)) + α), then α·lr', () => {
    const s = cosineDecay({ lr: 2, steps: 100, alpha: 0.1 });
    expect(s(0)).toBe(2);
    expectClose([s(50)], [2 * (0.9 * 0.5 + 0.1)], 1e-15);
    expectClose([s(25)], [2 * (0.9 * 0.5 * (1 + Math.SQRT1_2) + 0.1)], 1e-15);
    expectClose([s(100), s(101), s(1e6)], [0.2, 0.2, 0.2], 1e-15);
    const s0 = cosineDecay({ lr: 1, steps: 10 });
    expect(s0(9)).toBeGreaterThan(0);
    expect(s0(10)).toBe(0);
    invalidInput(() => cosineDecay({ lr: 1, steps: 0 }));
    invalidInput(() => cosineDecay({ lr: 1, steps: 2.5 }));
    invalidInput(() => cosineDecay({ lr: 1, steps: 10, alpha: 1.5 }));
  });

  it('cosineDecay({ lr, steps }) gives T positive steps; step T throws INVALID_INPUT naming it', () => {
    const opt = momentum({ lr: cosineDecay({ lr: 0.1, steps: 10 }) });
    const theta = Float64Array.of(1);
    const state = opt.init(theta);
    for (let t = 0; t < 10; t++) opt.update(theta, Float64Array.of(theta[0]), state, info(t));
    const err = invalidInput(() => opt.update(theta, Float64Array.of(theta[0]), state, info(10)));
    expect(err.message).toBe('momentum: lr schedule must return a finite number > 0, got 0 at step 10');
  });

  it('stepDecay({ lr, every, factor })(t) = lr·factor^⌊t/every⌋', () => {
    const s = stepDecay({ lr: 1, every: 3, factor: 0.5 });
    expect([0, 1, 2, 3, 5, 6, 9].map(s)).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.125]);
    invalidInput(() => stepDecay({ lr: 1, every: 0, factor: 0.5 }));
    invalidInput(() => stepDecay({ lr: 1, every: 1.5, factor: 0.5 }));
    invalidInput(() => stepDecay({ lr: 1, every: 2, factor: 0 }));
    invalidInput(() => stepDecay({ lr: 1, every: 2, factor: 1.1 }));
  });

  it('every decay schedule is positive at step 0, equals lr there, and never increases', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        (lr, r, n) => {
          const schedules = [
            inverseTime({ lr, decay: 1 - r }),
            exponentialDecay({ lr, rate: r, min: lr * 1e-3 }),
            cosineDecay({ lr, steps: n, alpha: 1e-3 }),
            stepDecay({ lr, every: Math.max(1, n % 17), factor: r }),
          ];
          for (const s of schedules) {
            expect(s(0)).toBe(lr);
            let prev = s(0);
            for (let t = 1; t <= 600; t += 7) {
              const v = s(t);
              expect(v).toBeGreaterThan(0);
              expect(v).toBeLessThanOrEqual(prev);
              prev = v;
            }
          }
        },
      ),
      { ...FC, numRuns: 100 },
    );
  });

  it('schedule builders reject non-object options', () => {
    for (const build of [inverseTime, exponentialDecay, cosineDecay, stepDecay] as ((
      o: unknown,
    ) => unknown)[]) {
      expect(invalidInput(() => build(3)).message).toContain('options must be an object, got 3');
      invalidInput(() => build(undefined));
    }
  });
});
