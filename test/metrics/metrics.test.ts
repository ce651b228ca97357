import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  angle,
  averageMargin,
  classificationError,
  dataset,
  directionGap,
  exponential,
  linear,
  logistic,
  normalizedMargin,
  normalizedMargins,
  weightedRisk,
} from '../../src/index.js';

const data = dataset(
  [
    [1, 0],
    [0, 1],
    [-2, 1],
  ],
  [1, -1, 1],
);

describe('margin metrics', () => {
  it('normalizedMargins(model, theta, data) = yᵢθᵀxᵢ/‖θ‖ by hand', () => {
    // θ = (3, −4), ‖θ‖ = 5: margins 3, 4, −10 → 0.6, 0.8, −2
    expect(Array.from(normalizedMargins(linear(2), [3, -4], data))).toEqual([0.6, 0.8, -2]);
    expect(normalizedMargin(linear(2), [3, -4], data)).toBe(-2);
    expect(averageMargin(linear(2), [3, -4], data)).toBeCloseTo((0.6 + 0.8 - 2) / 3, 15);
    expect(classificationError(linear(2), [3, -4], data)).toBeCloseTo(1 / 3, 15);
  });

  it('normalizedMargins with bias divides by the norm of the full θ = (w, b)', () => {
    // θ = (0, 0, 2), f = 2 for every x, ‖θ‖ = 2 → margins yᵢ
    expect(Array.from(normalizedMargins(linear(2, { bias: true }), [0, 0, 2], data))).toEqual([1, -1, 1]);
  });

  it('normalizedMargins(model, cθ, data) = normalizedMargins(model, θ, data) for c > 0 (α = 1, property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (theta, c) => {
          fc.pre(Math.hypot(...theta) > 1e-3);
          const model = linear(2, { bias: true });
          const a = normalizedMargins(model, theta, data);
          const b = normalizedMargins(
            model,
            theta.map((v) => c * v),
            data,
          );
          a.forEach((v, i) => {
            expect(b[i]).toBeCloseTo(v, 12);
          });
        },
      ),
    );
  });

  it('normalizedMargins rejects a θ of the wrong length, non-finite θ and a model/data mismatch', () => {
    expect(() => normalizedMargins(linear(2), [1], data)).toThrow(
      /normalizedMargins: theta must have length 2/,
    );
    expect(() => normalizedMargin(linear(2), [1, Number.NaN], data)).toThrow(
      /theta\[1\] must be finite, got NaN/,
    );
    expect(() => averageMargin(linear(3), [1, 1, 1], data)).toThrow(
      /has d = 2 but the model expects inputDim = 3/,
    );
    expect(() => classificationError(linear(2), [1, 1], { X: [1], y: [1] } as never)).toThrow(
      /data must be a Dataset/,
    );
  });
});

describe('angle and directionGap', () => {
  it('angle(a, b) and directionGap(a, b) by hand', () => {
    expect(angle([1, 0], [1, 1])).toBeCloseTo(Math.PI / 4, 15);
    expect(angle([1, 0], [-1, 0])).toBeCloseTo(Math.PI, 15);
    expect(angle([2, 0], [5, 0])).toBe(0);
    expect(directionGap([2, 0], [0, 5])).toBeCloseTo(Math.SQRT2, 15);
  });

  it('angle(a, b) resolves tiny angles that acos of the cosine cannot', () => {
    // the angle between (1, 0) and (1, ε) is atan(ε) ≈ ε; acos(cos) returns 0 below ε ≈ 1e−8
    for (const eps of [1e-6, 1e-9, 1e-12]) {
      expect(angle([1, 0], [1, eps]) / Math.atan(eps)).toBeCloseTo(1, 6);
    }
  });

  it('directionGap(a, b) = 2 sin(angle(a, b)/2) (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (a, b) => {
          fc.pre(Math.hypot(...a) > 1e-6 && Math.hypot(...b) > 1e-6);
          expect(directionGap(a, b)).toBeCloseTo(2 * Math.sin(angle(a, b) / 2), 12);
        },
      ),
    );
  });

  it('angle rejects zero vectors, length mismatch and non-finite entries', () => {
    expect(() => angle([0, 0], [1, 0])).toThrow(/angle: a must be nonzero/);
    expect(() => directionGap([1, 0], [1, 0, 0])).toThrow(/directionGap: b must have length 2/);
    expect(() => angle([1, Number.POSITIVE_INFINITY], [1, 0])).toThrow(/a\[1\] must be finite/);
  });
});

describe('linear model gradient', () => {
  it('linear(d, { bias }).objective gradient equals a central finite difference of the weighted risk (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(exponential, logistic),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (bias, loss, t, w) => {
          fc.pre(w.some((v) => v > 0));
          const model = linear(2, { bias });
          const theta = Float64Array.from(bias ? t : t.slice(0, 2));
          const risk = (th: Float64Array) => {
            const f = model.predict(new Float64Array(3), th, data.X, 3);
            return weightedRisk(
              loss,
              Array.from(f, (v, i) => data.y[i]! * v),
              w,
            );
          };
          const c = Float64Array.from(w, (v) => v / 3);
          const grad = new Float64Array(model.size);
          const value = model.objective(grad, theta, data, c, loss, 0, new Float64Array(3));
          expect(value).toBeCloseTo(risk(theta), 13);
          for (let j = 0; j < model.size; j++) {
            const h = 1e-6;
            const up = Float64Array.from(theta);
            const dn = Float64Array.from(theta);
            up[j]! += h;
            dn[j]! -= h;
            expect(Math.abs(grad[j]! - (risk(up) - risk(dn)) / (2 * h))).toBeLessThan(1e-7);
          }
        },
      ),
    );
  });

  it('linear(d, options) rejects bad d and options when built', () => {
    expect(() => linear(0)).toThrow(/linear: d must be an integer >= 1, got 0/);
    expect(() => linear(2, { bias: 1 } as never)).toThrow(/linear: bias must be a boolean, got 1/);
    expect(() => linear(2, { bais: true } as never)).toThrow(/linear: bais is not a known option/);
  });
});
