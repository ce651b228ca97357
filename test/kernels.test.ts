import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CACHE_RESIDENT_MAX, linearForward, linearObjective } from '../src/kernels/linear.js';
import { scaledLossTerms } from '../src/kernels/marginLoss.js';
import { allFinite, dot, norm2 } from '../src/kernels/vector.js';
import { exponential, logistic } from '../src/losses/index.js';

const losses = [exponential, logistic];

/** Reference: the objective straight from the definitions, one scalar loop, no fusion, no blocking. */
function naiveObjective(
  theta: number[],
  X: number[][],
  y: number[],
  c: number[],
  lossIdx: number,
  bias: boolean,
) {
  const loss = losses[lossIdx]!;
  const d = X[0]!.length;
  const grad = new Array(d + (bias ? 1 : 0)).fill(0);
  let value = 0;
  const margins: number[] = [];
  X.forEach((x, i) => {
    let f = bias ? theta[d]! : 0;
    for (let j = 0; j < d; j++) f += theta[j]! * x[j]!;
    const u = y[i]! * f;
    margins.push(u);
    value += c[i]! * loss.value(u);
    const g = c[i]! * loss.derivative(u) * y[i]!;
    for (let j = 0; j < d; j++) grad[j] += g * x[j]!;
    if (bias) grad[d] += g;
  });
  return { value, grad, margins };
}

const problem = fc
  .record({ n: fc.integer({ min: 1, max: 13 }), d: fc.integer({ min: 1, max: 7 }), bias: fc.boolean() })
  .chain(({ n, d, bias }) =>
    fc.record({
      X: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }), {
        minLength: n,
        maxLength: n,
      }),
      y: fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n }),
      c: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      theta: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
        minLength: d + (bias ? 1 : 0),
        maxLength: d + (bias ? 1 : 0),
      }),
      bias: fc.constant(bias),
      lossIdx: fc.integer({ min: 0, max: 1 }),
    }),
  );

function run(
  p: { X: number[][]; y: number[]; c: number[]; theta: number[]; bias: boolean; lossIdx: number },
  shift = 0,
) {
  const n = p.X.length;
  const d = p.X[0]!.length;
  const grad = new Float64Array(p.theta.length);
  const margins = new Float64Array(n);
  const value = linearObjective(
    grad,
    Float64Array.from(p.theta),
    Float64Array.from(p.X.flat()),
    Float64Array.from(p.y),
    Float64Array.from(p.c),
    n,
    d,
    p.bias ? 1 : 0,
    losses[p.lossIdx]!.id,
    shift,
    margins,
  );
  return { value, grad, margins };
}

describe('linearObjective', () => {
  it('linearObjective(grad, theta, X, y, c, …) equals the naive per-row computation (property)', () => {
    fc.assert(
      fc.property(problem, (p) => {
        const got = run(p);
        const ref = naiveObjective(p.theta, p.X, p.y, p.c, p.lossIdx, p.bias);
        const tol = 1e-12 * (1 + Math.abs(ref.value));
        expect(Math.abs(got.value - ref.value)).toBeLessThanOrEqual(tol);
        ref.margins.forEach((u, i) => {
          expect(Math.abs(got.margins[i]! - u)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(u)));
        });
        ref.grad.forEach((g, j) => {
          expect(Math.abs(got.grad[j]! - g)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(g)));
        });
      }),
    );
  });

  it('linearObjective with shift s returns e^{s}·L and e^{s}·∇L (property)', () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 1, max: 50, noNaN: true }), (p, s) => {
        const plain = run(p);
        const shifted = run(p, s);
        const e = Math.exp(s);
        expect(Math.abs(shifted.value - e * plain.value)).toBeLessThanOrEqual(1e-12 * e * (1 + plain.value));
        plain.grad.forEach((g, j) => {
          expect(Math.abs(shifted.grad[j]! - e * g)).toBeLessThanOrEqual(1e-12 * e * (1 + Math.abs(g)));
        });
      }),
    );
  });

  it('linearObjective(...) on data larger than the cache (the streaming path) equals the naive computation', () => {
    const n = 3001;
    const d = 100; // n·d > CACHE_RESIDENT_MAX, and n is not a multiple of the block size
    expect(n * d).toBeGreaterThan(CACHE_RESIDENT_MAX);
    let state = 12345;
    const next = () => {
      state = (state * 48271) % 2147483647;
      return (2 * state) / 2147483647 - 1;
    };
    const X = Array.from({ length: n }, () => Array.from({ length: d }, next));
    const y = Array.from({ length: n }, () => (next() > 0 ? 1 : -1));
    const c = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : (1 + next()) / n));
    for (const bias of [false, true]) {
      const theta = Array.from({ length: d + (bias ? 1 : 0) }, () => 0.1 * next());
      for (const lossIdx of [0, 1]) {
        const got = run({ X, y, c, theta, bias, lossIdx });
        const ref = naiveObjective(theta, X, y, c, lossIdx, bias);
        expect(Math.abs(got.value - ref.value)).toBeLessThanOrEqual(1e-12 * (1 + ref.value));
        ref.grad.forEach((g, j) => {
          expect(Math.abs(got.grad[j]! - g)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(g)));
        });
        ref.margins.forEach((u, i) => {
          expect(got.margins[i]).toBeCloseTo(u, 12);
        });
      }
    }
  });

  it('linearObjective keeps the far tail representable: margins near 2000 with shift 2000', () => {
    // θ = (1000), x = (2), y = +1: u = 2000, e^{−u} underflows; with shift 2000 the term is c·e^0.
    for (const loss of losses) {
      const grad = new Float64Array(1);
      const m = new Float64Array(1);
      const v = linearObjective(
        grad,
        Float64Array.of(1000),
        Float64Array.of(2),
        Float64Array.of(1),
        Float64Array.of(0.5),
        1,
        1,
        0,
        loss.id,
        2000,
        m,
      );
      expect(m[0]).toBe(2000);
      expect(v).toBeCloseTo(0.5, 14);
      expect(grad[0]).toBeCloseTo(-0.5 * 2, 14);
    }
  });

  it('linearObjective drops rows with c = 0 exactly, even where ℓ overflows', () => {
    const grad = new Float64Array(1);
    const m = new Float64Array(2);
    const v = linearObjective(
      grad,
      Float64Array.of(1),
      Float64Array.of(-1e4, 1),
      Float64Array.of(1, 1),
      Float64Array.of(0, 1),
      2,
      1,
      0,
      0,
      0,
      m,
    );
    expect(v).toBe(Math.exp(-1));
    expect(grad[0]).toBe(-Math.exp(-1));
  });

  it('scaledLossTerms(out, id, u, 0) agrees bit for bit with the loss objects', () => {
    const out = new Float64Array(2);
    for (const loss of losses) {
      for (const u of [-800, -30, -1.5, -1e-3, 0, 1e-3, 2.5, 40, 800]) {
        scaledLossTerms(out, loss.id, u, 0);
        if (Number.isFinite(loss.value(u))) expect(out[0]).toBe(loss.value(u));
        expect(out[1]).toBe(loss.derivative(u));
      }
    }
  });
});

describe('vector kernels', () => {
  it('linearForward(out, …) returns out and matches the naive dot products', () => {
    const X = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1, -2, -3, -4, -5);
    const out = new Float64Array(3);
    expect(linearForward(out, Float64Array.of(1, 0, -1, 2, 0.5, 3), X, 3, 5, 1)).toBe(out);
    expect(Array.from(out)).toEqual([1 - 3 + 8 + 2.5 + 3, 6 - 8 + 18 + 5 + 3, -1 + 3 - 8 - 2.5 + 3]);
  });

  it('dot(a, b) and norm2(a) against closed forms, including overflow and underflow ranges', () => {
    expect(dot(Float64Array.of(1, 2, 3, 4, 5), Float64Array.of(5, 4, 3, 2, 1))).toBe(35);
    expect(norm2(Float64Array.of(3, 4))).toBe(5);
    expect(norm2(Float64Array.of(3e200, 4e200))).toBeCloseTo(5e200, -186);
    expect(norm2(Float64Array.of(3e-200, 4e-200)) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2(new Float64Array(3))).toBe(0);
  });

  it('allFinite(a) detects NaN and ±Infinity', () => {
    expect(allFinite(Float64Array.of(1, 2))).toBe(true);
    expect(allFinite(Float64Array.of(1, Number.NaN))).toBe(false);
    expect(allFinite(Float64Array.of(Number.NEGATIVE_INFINITY))).toBe(false);
  });
});
