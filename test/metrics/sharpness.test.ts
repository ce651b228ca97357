import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix, QrDecomposition, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { type Dataset, datasets } from '../../src/datasets/index.js';
import { type ImplicitBiasError, InvalidInputError } from '../../src/errors/index.js';
import { gd, trainWeighted } from '../../src/gd/index.js';
import { createMlpHvpScratch, linearHvp, lossSecondDerivative, mlpHvp } from '../../src/kernels/hvp.js';
import { LOSS_ID } from '../../src/kernels/marginLoss.js';
import { mlpSigma } from '../../src/kernels/mlp.js';
import { exponential, logistic } from '../../src/losses/index.js';
import type { MarginLoss } from '../../src/losses/types.js';
import { sharpness } from '../../src/metrics/index.js';
import { type MlpActivation, mlp } from '../../src/mlp/index.js';
import { linear } from '../../src/models/index.js';
import type { Model } from '../../src/models/types.js';
import { createRng } from '../../src/rng/index.js';

// ── References built in the test, independent of the HVP kernels ────────────────────────────────────

/** A random data set (Gaussian rows, random ±1 labels) from `seed`. */
function randomData(seed: number, n: number, d: number): Dataset {
  const rng = createRng(seed);
  const X = new Float64Array(n * d).map(() => rng.normal());
  const y = new Float64Array(n).map(() => (rng.uniform() < 0.5 ? -1 : 1));
  return { X, y, n, d };
}

function randomVector(seed: number, p: number, scale = 1): Float64Array {
  const rng = createRng(seed, 7);
  return new Float64Array(p).map(() => scale * rng.normal());
}

/** The gradient of Σᵢ cᵢ ℓ(uᵢ) (+ λ‖θ‖^r) from the model's fused objective (tested in mlp/linear tests). */
function gradient(
  model: Model,
  theta: Float64Array,
  data: Dataset,
  c: Float64Array,
  loss: MarginLoss,
  reg?: { lambda: number; r: number },
): Float64Array {
  const g = new Float64Array(model.size);
  model.objective(g, theta, data, c, loss, 0, new Float64Array(data.n));
  if (reg) {
    const nrm = Math.hypot(...theta);
    for (let j = 0; j < g.length; j++) g[j]! += reg.lambda * reg.r * nrm ** (reg.r - 2) * theta[j]!;
  }
  return g;
}

function objectiveValue(
  model: Model,
  theta: Float64Array,
  data: Dataset,
  c: Float64Array,
  loss: MarginLoss,
): number {
  return model.objective(new Float64Array(model.size), theta, data, c, loss, 0, new Float64Array(data.n));
}

/** (∇L(θ + hv) − ∇L(θ − hv)) / 2h. */
function fdHvp(
  model: Model,
  theta: Float64Array,
  v: Float64Array,
  data: Dataset,
  c: Float64Array,
  loss: MarginLoss,
  h = 1e-5,
  reg?: { lambda: number; r: number },
): Float64Array {
  const plus = theta.map((t, j) => t + h * v[j]!);
  const minus = theta.map((t, j) => t - h * v[j]!);
  const gp = gradient(model, plus, data, c, loss, reg);
  const gm = gradient(model, minus, data, c, loss, reg);
  return gp.map((g, j) => (g - gm[j]!) / (2 * h));
}

/** The full Hessian by central differences of the gradient, column by column, symmetrized. */
function fdHessian(
  model: Model,
  theta: Float64Array,
  data: Dataset,
  c: Float64Array,
  loss: MarginLoss,
  reg?: { lambda: number; r: number },
): Matrix {
  const p = model.size;
  const H = Matrix.zeros(p, p);
  for (let k = 0; k < p; k++) {
    const e = new Float64Array(p);
    e[k] = 1;
    const col = fdHvp(model, theta, e, data, c, loss, 1e-5, reg);
    for (let j = 0; j < p; j++) H.set(j, k, col[j]!);
  }
  return H.add(H.transpose()).mul(0.5);
}

function topEigen(H: Matrix): { value: number; vector: number[] } {
  const eig = new EigenvalueDecomposition(H, { assumeSymmetric: true });
  const vals = eig.realEigenvalues;
  let top = 0;
  for (let i = 1; i < vals.length; i++) if (vals[i]! > vals[top]!) top = i;
  return { value: vals[top]!, vector: eig.eigenvectorMatrix.getColumn(top) };
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]!));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]! - b[j]!));
  return m;
}

const LOSSES: MarginLoss[] = [exponential, logistic];
type ActSpec = { activation: MlpActivation; slope?: number; power?: number };
const ACTS: ActSpec[] = [
  { activation: 'relu' },
  { activation: 'leakyRelu', slope: 0.2 },
  { activation: 'quadratic' },
  { activation: 'reluPower', power: 2 },
  { activation: 'reluPower', power: 3 },
  { activation: 'identity' },
];

function mlpOf(widths: readonly number[], a: ActSpec) {
  return mlp({ widths, ...a });
}

// ── ℓ″ ─────────────────────────────────────────────────────────────────────────────────────────────

describe('lossSecondDerivative(id, u)', () => {
  it('lossSecondDerivative(id, u) equals the central difference of loss.derivative', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.double({ min: -30, max: 30, noNaN: true }), (id, u) => {
        const loss = LOSSES[id]!;
        const h = 1e-5 * Math.max(1, Math.abs(u));
        const fd = (loss.derivative(u + h) - loss.derivative(u - h)) / (2 * h);
        const v = lossSecondDerivative(id, u);
        expect(Math.abs(v - fd)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
      }),
    );
  });

  it('lossSecondDerivative(id, u) has the closed forms e^{−u} and σ(u)σ(−u), finite at |u| = 1000', () => {
    for (const u of [-5, -1, 0, 0.5, 3, 20]) {
      expect(lossSecondDerivative(LOSS_ID.exponential, u)).toBeCloseTo(Math.exp(-u), 12);
      const s = 1 / (1 + Math.exp(-u));
      expect(lossSecondDerivative(LOSS_ID.logistic, u)).toBeCloseTo(s * (1 - s), 14);
    }
    expect(lossSecondDerivative(LOSS_ID.logistic, 0)).toBe(0.25);
    expect(lossSecondDerivative(LOSS_ID.logistic, 1000)).toBe(0);
    expect(lossSecondDerivative(LOSS_ID.logistic, -1000)).toBe(0);
    expect(lossSecondDerivative(LOSS_ID.logistic, 40)).toBeCloseTo(Math.exp(-40), 30);
  });
});

// ── Hessian-vector products ────────────────────────────────────────────────────────────────────────

describe('model.hvp(out, theta, v, data, c, loss)', () => {
  it('model.hvp(...) equals a central difference of the exact gradient: linear (±bias) and mlp, every activation and loss', () => {
    const modelArb = fc.oneof(
      fc.record({
        kind: fc.constant('linear' as const),
        bias: fc.boolean(),
        d: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({
        kind: fc.constant('mlp' as const),
        act: fc.constantFrom(...ACTS),
        widths: fc.constantFrom([2, 3, 1], [3, 4, 1], [2, 3, 2, 1], [1, 1], [2, 2, 3, 2, 1]),
      }),
    );
    fc.assert(
      fc.property(
        modelArb,
        fc.constantFrom(...LOSSES),
        fc.integer({ min: 0, max: 1e6 }),
        (spec, loss, seed) => {
          const model: Model =
            spec.kind === 'linear' ? linear(spec.d, { bias: spec.bias }) : mlpOf(spec.widths, spec.act);
          const data = randomData(seed, 9, model.inputDim);
          const theta = randomVector(seed + 1, model.size, 0.6);
          const v = randomVector(seed + 2, model.size);
          const c = randomVector(seed + 3, data.n).map((t) => Math.abs(t) / data.n);
          c[0] = 0; // a zero weight drops its row
          const out = new Float64Array(model.size);
          const ret = model.hvp!(out, theta, v, data, c, loss);
          expect(ret).toBe(out);
          const fd = fdHvp(model, theta, v, data, c, loss);
          expect(maxDiff(out, fd)).toBeLessThanOrEqual(1e-5 * (1 + maxAbs(fd)));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('model.hvp(...) gives vᵀHv equal to the second difference of the loss value (no gradient involved)', () => {
    for (const a of ACTS) {
      for (const loss of LOSSES) {
        const model = mlpOf([2, 4, 3, 1], a);
        const data = randomData(11, 12, 2);
        const theta = randomVector(12, model.size, 0.5);
        const v = randomVector(13, model.size);
        const c = new Float64Array(data.n).fill(1 / data.n);
        const hv = model.hvp!(new Float64Array(model.size), theta, v, data, c, loss);
        let vhv = 0;
        for (let j = 0; j < v.length; j++) vhv += v[j]! * hv[j]!;
        const h = 1e-4;
        const f0 = objectiveValue(model, theta, data, c, loss);
        const fp = objectiveValue(
          model,
          theta.map((t, j) => t + h * v[j]!),
          data,
          c,
          loss,
        );
        const fm = objectiveValue(
          model,
          theta.map((t, j) => t - h * v[j]!),
          data,
          c,
          loss,
        );
        const second = (fp - 2 * f0 + fm) / (h * h);
        expect(Math.abs(vhv - second)).toBeLessThanOrEqual(2e-4 * (1 + Math.abs(second)));
      }
    }
  });

  it('model.hvp(...) equals the full finite-difference Hessian times v, and uᵀHv = vᵀHu', () => {
    for (const a of ACTS) {
      const model = mlpOf([3, 3, 2, 1], a);
      const data = randomData(21, 10, 3);
      const theta = randomVector(22, model.size, 0.7);
      const c = new Float64Array(data.n).fill(1 / data.n);
      const H = fdHessian(model, theta, data, c, logistic);
      const v = randomVector(23, model.size);
      const u = randomVector(24, model.size);
      const hv = model.hvp!(new Float64Array(model.size), theta, v, data, c, logistic);
      const hu = model.hvp!(new Float64Array(model.size), theta, u, data, c, logistic);
      const ref = H.mmul(Matrix.columnVector(Array.from(v))).getColumn(0);
      expect(maxDiff(hv, ref)).toBeLessThanOrEqual(1e-5 * (1 + maxAbs(ref)));
      let uhv = 0;
      let vhu = 0;
      for (let j = 0; j < u.length; j++) {
        uhv += u[j]! * hv[j]!;
        vhu += v[j]! * hu[j]!;
      }
      expect(Math.abs(uhv - vhu)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(uhv)));
    }
  });

  it('linearHvp(out, ...) equals the closed-form Hessian Σ cᵢ ℓ″(uᵢ) x̃ᵢx̃ᵢᵀ built from plain loops', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(0, 1), fc.integer({ min: 0, max: 1e6 }), (bias, id, seed) => {
        const d = 3;
        const b = bias ? 1 : 0;
        const p = d + b;
        const data = randomData(seed, 7, d);
        const theta = randomVector(seed + 1, p);
        const v = randomVector(seed + 2, p);
        const c = randomVector(seed + 3, data.n).map(Math.abs);
        // ℓ″ written independently: exponential e^{−u}, logistic e^{u}/(1 + e^{u})².
        const l2 = (u: number) => (id === 0 ? Math.exp(-u) : Math.exp(u) / (1 + Math.exp(u)) ** 2);
        const ref = new Array<number>(p).fill(0);
        for (let i = 0; i < data.n; i++) {
          const xt = [...data.X.subarray(i * d, (i + 1) * d), ...(bias ? [1] : [])];
          const u = data.y[i]! * xt.reduce((s, x, j) => s + x * theta[j]!, 0);
          for (let j = 0; j < p; j++)
            for (let k = 0; k < p; k++) ref[j]! += c[i]! * l2(u) * xt[j]! * xt[k]! * v[k]!;
        }
        const batch = { X: data.X, y: data.y, c, n: data.n, d };
        const out = linearHvp(new Float64Array(p), theta, v, batch, bias, id);
        expect(maxDiff(out, ref)).toBeLessThanOrEqual(1e-12 * (1 + maxAbs(ref)));
      }),
      { numRuns: 50 },
    );
  });

  it('mlpHvp(out, ...) does not modify its inputs and allocates its scratch once (any n)', () => {
    const model = mlpOf([2, 3, 1], { activation: 'quadratic' });
    const data = randomData(31, 6, 2);
    const theta = randomVector(32, model.size);
    const v = randomVector(33, model.size);
    const c = new Float64Array(6).fill(1 / 6);
    const copies = [theta, v, data.X, data.y, c].map((a) => Float64Array.from(a));
    const scratch = createMlpHvpScratch([2, 3, 1], mlpSigma('quadratic', {}));
    const batch = { X: data.X, y: data.y, c, n: 6, d: 2 };
    const a1 = mlpHvp(new Float64Array(model.size), theta, v, batch, LOSS_ID.logistic, scratch);
    for (const [k, a] of [theta, v, data.X, data.y, c].entries()) expect(a).toEqual(copies[k]);
    const a2 = mlpHvp(new Float64Array(model.size), theta, v, batch, LOSS_ID.logistic, scratch);
    expect(a2).toEqual(a1);
    expect(model.hvp!(new Float64Array(model.size), theta, v, data, c, logistic)).toEqual(a1);
  });
});

// ── sharpness ──────────────────────────────────────────────────────────────────────────────────────

describe('sharpness(model, theta, data, options)', () => {
  it('sharpness(...) equals the top eigenvalue of the finite-difference Hessian (ml-matrix), both methods', () => {
    for (const a of ACTS) {
      for (const loss of LOSSES) {
        const model = mlpOf([2, 4, 1], a);
        const data = randomData(41, 15, 2);
        const theta = randomVector(42, model.size, 0.6);
        const weights = randomVector(43, data.n).map((t) => 0.5 + Math.abs(t));
        const c = weights.map((w) => w / data.n);
        const ref = topEigen(fdHessian(model, theta, data, c, loss));
        for (const method of ['lanczos', 'power'] as const) {
          const s = sharpness(model, theta, data, { weights, loss, method, iterations: 5000 });
          expect(s.converged).toBe(true);
          expect(Math.abs(s.value - ref.value)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ref.value)));
          expect(s.residual).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(s.value)));
          expect(Math.hypot(...s.vector)).toBeCloseTo(1, 12);
        }
      }
    }
  });

  it('sharpness(linear) equals the top eigenvalue of the closed-form Hessian (1/n) Σ wᵢ ℓ″(uᵢ) x̃ᵢx̃ᵢᵀ', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(...LOSSES),
        fc.integer({ min: 0, max: 1e6 }),
        (bias, loss, seed) => {
          const d = 4;
          const model = linear(d, { bias });
          const data = randomData(seed, 10, d);
          const theta = randomVector(seed + 1, model.size, 0.5);
          const p = model.size;
          const H = Matrix.zeros(p, p);
          for (let i = 0; i < data.n; i++) {
            const xt = [...data.X.subarray(i * d, (i + 1) * d), ...(bias ? [1] : [])];
            const u = data.y[i]! * xt.reduce((s, x, j) => s + x * theta[j]!, 0);
            const l2 = loss === exponential ? Math.exp(-u) : Math.exp(-u) / (1 + Math.exp(-u)) ** 2;
            for (let j = 0; j < p; j++)
              for (let k = 0; k < p; k++) H.set(j, k, H.get(j, k) + (l2 * xt[j]! * xt[k]!) / data.n);
          }
          const ref = topEigen(H).value;
          const s = sharpness(model, theta, data, { loss });
          expect(Math.abs(s.value - ref)).toBeLessThanOrEqual(1e-10 * (1 + ref));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sharpness(...) with regularization adds the Hessian of λ‖θ‖^r (finite differences of the regularized gradient)', () => {
    for (const r of [1.5, 2, 3]) {
      const model = mlpOf([2, 3, 1], { activation: 'relu' });
      const data = randomData(51, 8, 2);
      const theta = randomVector(52, model.size, 0.8);
      const reg = { lambda: 0.3, r };
      const c = new Float64Array(data.n).fill(1 / data.n);
      const ref = topEigen(fdHessian(model, theta, data, c, exponential, reg)).value;
      const s = sharpness(model, theta, data, { regularization: reg });
      expect(Math.abs(s.value - ref)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ref)));
    }
    // At θ = 0: 2λI for r = 2 (plus the data Hessian).
    const data = datasets.moons({ n: 20, seed: 1 });
    const base = sharpness(linear(2), [0, 0], data).value;
    expect(sharpness(linear(2), [0, 0], data, { regularization: { lambda: 0.5, r: 2 } }).value).toBeCloseTo(
      base + 1,
      10,
    );
    expect(() => sharpness(linear(2), [0, 0], data, { regularization: { lambda: 0.5, r: 1 } })).toThrow(
      /regularization\.r/,
    );
  });

  it('sharpness(...) reports the largest algebraic eigenvalue when a negative one is larger in magnitude', () => {
    // A user model whose Hessian is Q diag(−5, 2, 1, −1) Qᵀ for a fixed rotation Q.
    const p = 4;
    const lambdas = [-5, 2, 1, -1];
    const Qm = new Matrix(
      Array.from({ length: p }, (_, i) => Array.from(randomVector(60 + i, p))),
    ).transpose();
    const Q = new QrDecomposition(Qm).orthogonalMatrix;
    const Hm = Q.mmul(Matrix.diag(lambdas)).mmul(Q.transpose());
    const quad: Model = {
      name: 'quadraticForm',
      inputDim: 1,
      size: p,
      alpha: 2,
      init: () => new Float64Array(p),
      predict: (out) => out,
      objective: () => 0,
      hvp: (out, _theta, v) => {
        const r = Hm.mmul(Matrix.columnVector(Array.from(v))).getColumn(0);
        out.set(r);
        return out;
      },
    };
    const data = randomData(1, 2, 1);
    for (const method of ['lanczos', 'power'] as const) {
      const s = sharpness(quad, new Float64Array(p), data, { method, iterations: 2000 });
      expect(s.value).toBeCloseTo(2, 8);
      expect(s.converged).toBe(true);
    }
  });

  it('sharpness(...) warm-started from the top eigenvector converges in one step', () => {
    const model = mlpOf([2, 5, 1], { activation: 'relu' });
    const data = datasets.moons({ n: 40, seed: 2 });
    const theta = randomVector(70, model.size);
    const cold = sharpness(model, theta, data, { method: 'power', iterations: 10_000 });
    const warm = sharpness(model, theta, data, { method: 'power', init: cold.vector });
    expect(warm.iterations).toBeLessThanOrEqual(2);
    expect(warm.value).toBeCloseTo(cold.value, 8);
  });

  it('sharpness(...) throws INVALID_INPUT for a model without hvp, naming the model, and for bad options', () => {
    const data = datasets.moons({ n: 10, seed: 1 });
    const noHvp: Model = { ...linear(2), name: 'myModel', hvp: undefined };
    const expectInvalid = (f: () => unknown, pattern: RegExp) => {
      try {
        f();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidInputError);
        expect((err as ImplicitBiasError).code).toBe('INVALID_INPUT');
        expect((err as Error).message).toMatch(pattern);
      }
    };
    expectInvalid(() => sharpness(noHvp, [1, 1], data), /sharpness: model .*"myModel".*hvp/);
    expectInvalid(
      () => trainWeighted({ data, steps: 5, model: noHvp, record: { metrics: ['sharpness'] } }),
      /trainWeighted: model .*"myModel"/,
    );
    const m = linear(2);
    expectInvalid(() => sharpness(m, [1], data), /theta/);
    expectInvalid(() => sharpness(m, [1, Number.NaN], data), /theta/);
    expectInvalid(() => sharpness(m, [1, 1], data, { method: 'qr' as never }), /method/);
    expectInvalid(() => sharpness(m, [1, 1], data, { iterations: 0 }), /iterations/);
    expectInvalid(() => sharpness(m, [1, 1], data, { iterations: 2.5 }), /iterations/);
    expectInvalid(() => sharpness(m, [1, 1], data, { tol: 0 }), /tol/);
    expectInvalid(() => sharpness(m, [1, 1], data, { seed: 0.5 }), /seed/);
    expectInvalid(() => sharpness(m, [1, 1], data, { init: [0, 0] }), /init/);
    expectInvalid(() => sharpness(m, [1, 1], data, { init: [1, 0, 0] }), /init/);
    expectInvalid(() => sharpness(m, [1, 1], data, { weights: new Array(10).fill(-1) }), /weights/);
    expectInvalid(() => sharpness(m, [1, 1], data, { loss: { id: 3 } as never }), /loss/);
    expectInvalid(() => sharpness(m, [1, 1], data, { foo: 1 } as never), /foo/);
    expectInvalid(() => sharpness(linear(3), [1, 1, 1], data), /inputDim/);
    // ℓ″ = e^{−u} overflows at u = −1000: a thrown SOLVER_FAILED, not a NaN.
    const one = { X: Float64Array.of(1), y: Float64Array.of(1), n: 1, d: 1 };
    expect(() => sharpness(linear(1), [-1000], one)).toThrow(
      expect.objectContaining({ code: 'SOLVER_FAILED', message: expect.stringMatching(/^sharpness: /) }),
    );
    expect(sharpness(linear(1), [-1000], one, { loss: logistic }).value).toBe(0);
    expectInvalid(
      () => trainWeighted({ data, steps: 5, record: { metrics: ['sharpness'], sharpnessIterations: 0 } }),
      /record\.sharpnessIterations/,
    );
  });
});

// ── During training, and the edge of stability ─────────────────────────────────────────────────────

describe('trainWeighted({ record: { metrics: ["sharpness"] } })', () => {
  it('trainWeighted(...) records sharpness equal to the standalone sharpness at the recorded θ', () => {
    const data = datasets.moons({ n: 50, seed: 3 });
    const model = mlp({ widths: [2, 8, 1] });
    const weights = Array.from({ length: 50 }, (_, i) => 1 + (i % 3));
    const reg = { lambda: 0.01, r: 2 };
    const { history } = trainWeighted({
      data,
      steps: 200,
      model,
      loss: logistic,
      weights,
      regularization: reg,
      optimizer: gd({ lr: 0.5 }),
      record: { metrics: ['loss', 'sharpness', 'theta'], points: 8 },
    });
    expect(history.length).toBeGreaterThan(4);
    for (const row of history) {
      const ref = sharpness(model, row.theta!, data, { weights, loss: logistic, regularization: reg });
      expect(row.sharpness!).toBeCloseTo(ref.value, 6);
    }
  });

  it('λ_max ≤ L(θ)·maxᵢ‖x̃ᵢ‖² for the linear model (ℓ″ ≤ ℓ for both losses), so sharpness → 0 as the loss does', () => {
    // For any θ and weights: H = (1/n) Σ wᵢ ℓ″(uᵢ) x̃ᵢx̃ᵢᵀ ⪯ (1/n) Σ wᵢ ℓ(uᵢ) ‖x̃ᵢ‖² I.
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(...LOSSES),
        fc.integer({ min: 0, max: 1e6 }),
        (bias, loss, seed) => {
          const d = 3;
          const model = linear(d, { bias });
          const data = randomData(seed, 12, d);
          const theta = randomVector(seed + 1, model.size, 2);
          const weights = randomVector(seed + 2, data.n).map(Math.abs);
          const c = weights.map((w) => w / data.n);
          const L = objectiveValue(model, theta, data, c, loss);
          let R2 = 0;
          for (let i = 0; i < data.n; i++) {
            let s = bias ? 1 : 0;
            for (let j = 0; j < d; j++) s += data.X[i * d + j]! ** 2;
            R2 = Math.max(R2, s);
          }
          const s = sharpness(model, theta, data, { weights, loss });
          expect(s.value).toBeGreaterThanOrEqual(0);
          expect(s.value).toBeLessThanOrEqual(L * R2 * (1 + 1e-12));
        },
      ),
      { numRuns: 60 },
    );
    // And along a GD run on separable data the recorded sharpness decays with the loss.
    const data = datasets.separable({ n: 40, seed: 4 });
    const { history } = trainWeighted({
      data,
      steps: 2000,
      record: { metrics: ['loss', 'sharpness'], points: 10 },
    });
    expect(history.at(-1)!.sharpness!).toBeLessThan(history[0]!.sharpness! * 1e-2);
  });

  it('GD near a minimizer with lr η converges iff η < 2/sharpness (linear, logistic, non-separable data)', () => {
    // The slides' quadratic stability claim, at the unique minimizer θ̂ of the logistic loss on
    // non-separable data: the linearized map θ − θ̂ ↦ (I − ηH)(θ − θ̂) contracts iff η·λ_max < 2.
    const data = datasets.moons({ n: 60, seed: 5, noise: 0.3 });
    const model = linear(2, { bias: true });
    const c = new Float64Array(data.n).fill(1 / data.n);
    // θ̂ by Newton's method with the closed-form Hessian built here.
    const theta = new Float64Array(3);
    for (let it = 0; it < 50; it++) {
      const g = gradient(model, theta, data, c, logistic);
      const H = Matrix.zeros(3, 3);
      for (let i = 0; i < data.n; i++) {
        const xt = [data.X[2 * i]!, data.X[2 * i + 1]!, 1];
        const u = data.y[i]! * (xt[0]! * theta[0]! + xt[1]! * theta[1]! + theta[2]!);
        const l2 = Math.exp(-Math.abs(u)) / (1 + Math.exp(-Math.abs(u))) ** 2;
        for (let j = 0; j < 3; j++)
          for (let k = 0; k < 3; k++) H.set(j, k, H.get(j, k) + (l2 * xt[j]! * xt[k]!) / data.n);
      }
      const step = solve(H, Matrix.columnVector(Array.from(g)));
      for (let j = 0; j < 3; j++) theta[j]! -= step.get(j, 0);
    }
    expect(maxAbs(gradient(model, theta, data, c, logistic))).toBeLessThan(1e-12);
    const s = sharpness(model, theta, data, { loss: logistic });
    const start = theta.map((t, j) => t + 1e-4 * s.vector[j]!);
    const run = (lr: number) =>
      trainWeighted({
        data,
        steps: 3000,
        model,
        loss: logistic,
        init: start,
        optimizer: gd({ lr }),
        record: { metrics: ['theta'], points: 2 },
      }).theta;
    const dist = (t: Float64Array) => Math.hypot(...t.map((x, j) => x - theta[j]!));
    expect(dist(run(1.9 / s.value))).toBeLessThan(1e-8);
    expect(dist(run(2.1 / s.value))).toBeGreaterThan(1e-3);
  });

  it('edge of stability (measured): ReLU net, logistic loss, lr 1: sharpness rises to 2/η and then hovers around it', () => {
    // widths [2, 20, 1], moons n = 100 (seed 1), init N(0, 1) from seed 0, GD lr = 1 (2/η = 2).
    const data = datasets.moons({ n: 100, seed: 1 });
    const model = mlp({ widths: [2, 20, 1] });
    const lr = 1;
    const res = trainWeighted({
      data,
      steps: 4000,
      model,
      loss: logistic,
      optimizer: gd({ lr }),
      record: { metrics: ['loss', 'sharpness', 'theta'], at: Array.from({ length: 81 }, (_, k) => 50 * k) },
    });
    expect(res.status).toBe('completed');
    const S = res.history.map((r) => r.sharpness!);
    // The warm-started recorded values are the cold-start standalone ones.
    for (let k = 0; k < S.length; k += 16) {
      const ref = sharpness(model, res.history[k]!.theta!, data, { loss: logistic }).value;
      expect(S[k]!).toBeCloseTo(ref, 6);
    }
    // Progressive sharpening: well below 2/η at first...
    expect(Math.max(...S.slice(1, 20))).toBeLessThan(0.6 * (2 / lr));
    // ...then it reaches 2/η...
    const first = S.findIndex((x) => x >= 2 / lr);
    expect(first).toBeGreaterThan(20);
    // ...and afterwards hovers about it: never far above, never back near the start.
    const after = S.slice(first);
    expect(Math.max(...after)).toBeLessThan(1.3 * (2 / lr));
    expect(Math.min(...after)).toBeGreaterThan(0.5 * (2 / lr));
  });
});
