import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearChunkRows, linearForward, linearObjective } from '../../src/kernels/linear.js';
import { LOSS_ID, scaledLossTerms } from '../../src/kernels/marginLoss.js';
import {
  adamUpdate,
  argMaxAbs,
  blockGdUpdate,
  dualStep,
  entropyStep,
  firstNonFinite,
  firstNotPositiveFinite,
  gdStep,
  gdUpdate,
  momentumUpdate,
  sameValues,
  signUpdate,
  sumAbs,
} from '../../src/kernels/optimizers.js';
import { allFinite, dot, norm2 } from '../../src/kernels/vector.js';
import { exponential, logistic } from '../../src/losses/index.js';
import { expectSameBits } from '../helpers/index.js';

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
  const batch = {
    X: Float64Array.from(p.X.flat()),
    y: Float64Array.from(p.y),
    c: Float64Array.from(p.c),
    n,
    d,
  };
  const value = linearObjective(
    grad,
    margins,
    Float64Array.from(p.theta),
    batch,
    p.bias,
    losses[p.lossIdx]!.id,
    shift,
  );
  return { value, grad, margins };
}

describe('linearObjective', () => {
  it('linearObjective(grad, margins, theta, batch, …) equals the naive per-row computation (property)', () => {
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

  it('linearObjective(...) over many chunks of rows equals the naive computation', () => {
    const n = 3001;
    const d = 100; // many chunks, and n is not a multiple of the block size
    expect(n).toBeGreaterThan(10 * linearChunkRows(d));
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
      const batch = { X: Float64Array.of(2), y: Float64Array.of(1), c: Float64Array.of(0.5), n: 1, d: 1 };
      const v = linearObjective(grad, m, Float64Array.of(1000), batch, false, loss.id, 2000);
      expect(m[0]).toBe(2000);
      expect(v).toBeCloseTo(0.5, 14);
      expect(grad[0]).toBeCloseTo(-0.5 * 2, 14);
    }
  });

  it('linearObjective drops rows with c = 0 exactly, even where ℓ overflows', () => {
    const grad = new Float64Array(1);
    const m = new Float64Array(2);
    const batch = {
      X: Float64Array.of(-1e4, 1),
      y: Float64Array.of(1, 1),
      c: Float64Array.of(0, 1),
      n: 2,
      d: 1,
    };
    const v = linearObjective(grad, m, Float64Array.of(1), batch, false, LOSS_ID.exponential, 0);
    expect(v).toBe(Math.exp(-1));
    expect(grad[0]).toBe(-Math.exp(-1));
  });

  it('LOSS_ID names the id of each loss object (the selector a kernel takes as loss.id)', () => {
    expect(LOSS_ID.exponential).toBe(exponential.id);
    expect(LOSS_ID.logistic).toBe(logistic.id);
    expect(Object.isFrozen(LOSS_ID)).toBe(true);
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
    expect(linearForward(out, Float64Array.of(1, 0, -1, 2, 0.5, 3), X, 3, 5, true)).toBe(out);
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

// Lengths 0…13 cover every remainder of the unrolled loops (by 2 and by 4) and several full blocks.
const entries = fc.double({ min: -1e3, max: 1e3, noNaN: true });
const vec = (n: number) => fc.array(entries, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
const vectors = (k: number) =>
  fc.integer({ min: 0, max: 13 }).chain((n) => fc.tuple(...Array.from({ length: k }, () => vec(n))));
const scalar = fc.double({ min: 1e-4, max: 10, noNaN: true });

describe('optimizer kernels (bit-exact against the scalar loops they replaced)', () => {
  it('gdUpdate(theta, grad, lr, n) returns theta and equals theta[j] -= lr·grad[j] bit for bit (property)', () => {
    fc.assert(
      fc.property(vectors(2), scalar, ([theta, grad], lr) => {
        const ref = theta.slice();
        for (let j = 0; j < ref.length; j++) ref[j]! -= lr * grad[j]!;
        expect(gdUpdate(theta, grad, lr, theta.length)).toBe(theta);
        expectSameBits(theta, ref);
      }),
    );
  });

  it('gdStep(out, theta, grad, c, n) returns out, leaves theta, and equals theta[j] − c·grad[j] (property)', () => {
    fc.assert(
      fc.property(vectors(2), scalar, ([theta, grad], c) => {
        const before = theta.slice();
        const ref = theta.map((t, j) => t - c * grad[j]!);
        const out = new Float64Array(theta.length);
        expect(gdStep(out, theta, grad, c, theta.length)).toBe(out);
        expectSameBits(out, ref);
        expectSameBits(theta, before);
      }),
    );
  });

  it('blockGdUpdate(theta, grad, lr, split, lr2, n) uses lr before split and lr2 after it (property)', () => {
    fc.assert(
      fc.property(vectors(2), scalar, scalar, fc.nat(), ([theta, grad], lr, lr2, k) => {
        const split = theta.length === 0 ? 0 : k % (theta.length + 1);
        const ref = theta.slice();
        for (let j = 0; j < split; j++) ref[j]! -= lr * grad[j]!;
        for (let j = split; j < ref.length; j++) ref[j]! -= lr2 * grad[j]!;
        expect(blockGdUpdate(theta, grad, lr, split, lr2, theta.length)).toBe(theta);
        expectSameBits(theta, ref);
      }),
    );
  });

  it('momentumUpdate(theta, v, grad, s, lr, beta, nesterov, n) is PyTorch SGD momentum, Polyak and Nesterov (property)', () => {
    fc.assert(
      fc.property(
        vectors(3),
        scalar,
        scalar,
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.boolean(),
        ([theta, v, grad], s, lr, beta, nesterov) => {
          const rt = theta.slice();
          const rv = v.slice();
          for (let j = 0; j < rt.length; j++) {
            const g = s * grad[j]!;
            rv[j] = beta * rv[j]! + g;
            rt[j]! -= nesterov ? lr * (g + beta * rv[j]!) : lr * rv[j]!;
          }
          expect(momentumUpdate(theta, v, grad, s, lr, beta, nesterov, theta.length)).toBe(theta);
          expectSameBits(theta, rt);
          expectSameBits(v, rv);
        },
      ),
    );
  });

  it('adamUpdate(theta, m, v, grad, …) follows torch.optim.Adam operation by operation, both lerp branches (property)', () => {
    fc.assert(
      fc.property(
        vectors(3),
        scalar,
        scalar,
        fc.constantFrom(0, 0.3, 0.5, 0.9, 0.99),
        fc.constantFrom(0.9, 0.999),
        fc.integer({ min: 1, max: 50 }),
        ([theta, m, grad], s, lr, beta1, beta2, t) => {
          const v = m.map((x) => x * x);
          const eps = 1e-8;
          const stepSize = lr / (1 - beta1 ** t);
          const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
          const rt = theta.slice();
          const rm = m.slice();
          const rv = v.slice();
          for (let j = 0; j < rt.length; j++) {
            const g = s * grad[j]!;
            // torch.lerp(m, g, weight): m + weight·(g − m) if |weight| < 0.5, else g − (g − m)·(1 − weight)
            const weight = 1 - beta1;
            rm[j] = Math.abs(weight) < 0.5 ? rm[j]! + weight * (g - rm[j]!) : g - (g - rm[j]!) * (1 - weight);
            // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value = 1 − beta2)
            rv[j] = rv[j]! * beta2 + (1 - beta2) * g * g;
            // param.addcdiv_(exp_avg, exp_avg_sq.sqrt() / bias_correction2_sqrt + eps, value = −step_size)
            rt[j]! -= (stepSize * rm[j]!) / (Math.sqrt(rv[j]!) / bc2Sqrt + eps);
          }
          expect(adamUpdate(theta, m, v, grad, s, stepSize, bc2Sqrt, beta1, beta2, eps, theta.length)).toBe(
            theta,
          );
          expectSameBits(theta, rt);
          expectSameBits(m, rm);
          expectSameBits(v, rv);
        },
      ),
    );
  });

  it('entropyStep(out, theta, grad, c, n) returns out and equals theta[j]·exp(−c·grad[j]) (property)', () => {
    fc.assert(
      fc.property(vectors(2), scalar, ([theta, grad], c) => {
        const ref = theta.map((t, j) => t * Math.exp(-c * grad[j]!));
        const out = new Float64Array(theta.length);
        expect(entropyStep(out, theta, grad, c, theta.length)).toBe(out);
        expectSameBits(out, ref);
      }),
    );
  });

  it('dualStep(dual, grad, c, n) writes dual − c·grad and reports no move, the first non-finite index, or n', () => {
    fc.assert(
      fc.property(vectors(2), scalar, ([dual, grad], c) => {
        const ref = dual.map((z, j) => z - c * grad[j]!);
        const moved = grad.some((g) => c * g !== 0);
        expect(dualStep(dual, grad, c, dual.length)).toBe(moved ? dual.length : -1);
        expectSameBits(dual, ref);
      }),
    );
    const dual = Float64Array.of(1, 1e308, 2, 1e308, 3);
    expect(dualStep(dual, Float64Array.of(0, -1e308, 1, -1e308, 0), 1, 5)).toBe(1);
    expectSameBits(dual, Float64Array.of(1, Number.POSITIVE_INFINITY, 1, Number.POSITIVE_INFINITY, 3));
    expect(dualStep(Float64Array.of(5, Number.NaN), Float64Array.of(0, 0), 1, 2)).toBe(-1);
  });

  it('signUpdate(theta, grad, k, n) returns theta and equals theta[j] −= k·sign(grad[j]) (property)', () => {
    fc.assert(
      fc.property(vectors(2), scalar, fc.boolean(), ([theta, grad], k, zeros) => {
        if (zeros) for (let j = 0; j < grad.length; j += 3) grad[j] = j % 2 === 0 ? 0 : -0;
        const ref = theta.map((t, j) => t - k * Math.sign(grad[j]!));
        expect(signUpdate(theta, grad, k, theta.length)).toBe(theta);
        expectSameBits(theta, ref);
      }),
    );
  });

  it('sumAbs(a, n) equals the sequential sum of |aⱼ| bit for bit (property)', () => {
    fc.assert(
      fc.property(vectors(1), ([a]) => {
        let s = 0;
        for (let j = 0; j < a.length; j++) s += Math.abs(a[j]!);
        expect(Object.is(sumAbs(a, a.length), s)).toBe(true);
      }),
    );
    // a sum whose value depends on the order: 1 + 2⁻⁵³ + 2⁻⁵³ + … rounds back to 1 at every step
    const a = Float64Array.of(1, 2 ** -53, 2 ** -53, 2 ** -53, 2 ** -53);
    expect(sumAbs(a, 5)).toBe(1);
  });

  it('argMaxAbs(a, n) picks the largest |aⱼ|, the lowest index on ties, the first NaN, and −1 for zeros', () => {
    expect(argMaxAbs(Float64Array.of(1, -3, 3, 2), 4)).toBe(1);
    expect(argMaxAbs(Float64Array.of(0, -0, 0), 3)).toBe(-1);
    expect(argMaxAbs(Float64Array.of(5, Number.NaN, 9, Number.NaN), 4)).toBe(1);
    expect(argMaxAbs(new Float64Array(0), 0)).toBe(-1);
    fc.assert(
      fc.property(vectors(1), ([a]) => {
        const m = Math.max(0, ...Array.from(a, Math.abs));
        expect(argMaxAbs(a, a.length)).toBe(m === 0 ? -1 : Array.from(a, Math.abs).indexOf(m));
      }),
    );
  });

  it('firstNonFinite(a, n), firstNotPositiveFinite(a, n) and sameValues(a, b, n) against closed cases', () => {
    expect(firstNonFinite(Float64Array.of(1, -2, 3), 3)).toBe(-1);
    expect(firstNonFinite(Float64Array.of(1, Number.NEGATIVE_INFINITY, Number.NaN), 3)).toBe(1);
    expect(firstNonFinite(Float64Array.of(1, 2, Number.NaN), 2)).toBe(-1);
    expect(firstNotPositiveFinite(Float64Array.of(1, 2e-300), 2)).toBe(-1);
    expect(firstNotPositiveFinite(Float64Array.of(1, 0), 2)).toBe(1);
    expect(firstNotPositiveFinite(Float64Array.of(Number.POSITIVE_INFINITY, -1), 2)).toBe(0);
    expect(firstNotPositiveFinite(Float64Array.of(3, Number.NaN), 2)).toBe(1);
    expect(sameValues(Float64Array.of(0, 1), Float64Array.of(-0, 1), 2)).toBe(true);
    expect(sameValues(Float64Array.of(Number.NaN), Float64Array.of(Number.NaN), 1)).toBe(false);
    expect(sameValues(Float64Array.of(1, 2), Float64Array.of(1, 3), 1)).toBe(true);
    expect(sameValues(Float64Array.of(1, 2), Float64Array.of(1, 3), 2)).toBe(false);
  });
});
