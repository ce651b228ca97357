/**
 * kktResidual against references computed elsewhere: the hard-margin SVM's dual (a QP, solved by
 * hardMarginSVM) for the linear model — at θ⋆ the multipliers must be p⋆/γ⋆² — hand computations, and for the
 * MLP an independent rebuild of the definition (finite-difference gradients of `predict`, and the NNLS minimum
 * by enumerating supports).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Dataset,
  dataset,
  datasets,
  hardMarginSVM,
  kktResidual,
  linear,
  mlp,
  trainWeighted,
} from '../../src/index.js';
import { invalid, lcg, normalEquations } from '../helpers/index.js';

/** A random linearly separable set through the origin (planted direction, gap 0.1), from `seed`. */
function separableSet(n: number, d: number, seed: number): Dataset {
  const r = lcg(seed);
  const u = Array.from({ length: d }, () => r() - 0.5);
  const nu = Math.hypot(...u);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: d }, () => 2 * r() - 1);
    let s = 0;
    for (let j = 0; j < d; j++) s += (x[j]! * u[j]!) / nu;
    const label = i === 0 ? 1 : i === 1 ? -1 : s >= 0 ? 1 : -1;
    const target = label * (label * s > 0 ? Math.abs(s) + 0.1 : 0.1);
    X.push(x.map((v, j) => v + ((target - s) * u[j]!) / nu));
    y.push(label);
  }
  return dataset(X, y);
}

/** The definition rebuilt from scratch: central-difference ∇qᵢ, then min over supports S of the stacked LS. */
function referenceResidual(
  model: ReturnType<typeof mlp>,
  theta: Float64Array,
  data: Dataset,
): { residual: number; scale: number } {
  const { n, d } = data;
  const q = (t: Float64Array, i: number) => {
    const out = new Float64Array(1);
    model.predict(out, t, data.X.subarray(i * d, (i + 1) * d), 1);
    return data.y[i]! * out[0]!;
  };
  const qs = Array.from({ length: n }, (_, i) => q(theta, i));
  const qmin = Math.min(...qs);
  const scale = qmin ** (-1 / model.alpha);
  const th = theta.map((v) => v * scale);
  const p = th.length;
  const h = 1e-6;
  const cols = Array.from({ length: n }, (_, i) => {
    const g = Array.from({ length: p }, (_, j) => {
      const a = th.slice();
      const b = th.slice();
      a[j] = a[j]! + h;
      b[j] = b[j]! - h;
      return (q(a, i) - q(b, i)) / (2 * h);
    });
    return [...g, qs[i]! / qmin - 1];
  });
  const target = [...th, 0];
  // Enumerate every support S ⊆ {1…n} (n is small) and solve each LS by the normal equations.
  let best = Math.hypot(...target);
  for (let mask = 1; mask < 1 << n; mask++) {
    const S = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
    const z = normalEquations(
      S.map((i) => cols[i]!),
      target,
    );
    if (z === null) continue;
    if (z.some((v) => !(v >= 0) || !Number.isFinite(v))) continue;
    const res = target.map((t, r) => t - S.reduce((s, i, c) => s + z[c]! * cols[i]![r]!, 0));
    best = Math.min(best, Math.hypot(...res));
  }
  return { residual: best / Math.hypot(...th), scale };
}

describe('kktResidual', () => {
  it('kktResidual(model, theta, data) follows the definition on a hand example', () => {
    // θ = (1, 1), points (2, 0) +1, (0, 1) +1, (−1, −1) −1: q = (2, 1, 2), min 1, so θ̂ = θ, scale 1.
    // Columns (∇qᵢ, qᵢ − 1) = (2, 0, 1), (0, 1, 0), (1, 1, 1); target (1, 1, 0). With λ₃ = 0:
    // (1 − 2λ₁)² + (1 − λ₂)² + λ₁² is smallest at λ₂ = 1, λ₁ = 0.4: 0.04 + 0.16 = 0.2; the derivative in λ₃
    // there, −2(0.2) − 0 + 2(0.4) = 0.4 > 0, so λ₃ = 0 is optimal. residual = √0.2/√2 = √0.1,
    // stationarity = ‖(0.2, 0)‖/√2, complementarity = 0.4/√2.
    const data = dataset(
      [
        [2, 0],
        [0, 1],
        [-1, -1],
      ],
      [1, 1, -1],
    );
    const r = kktResidual(linear(2), [1, 1], data);
    expect(r.scale).toBe(1);
    expect(r.residual).toBeCloseTo(Math.sqrt(0.1), 14);
    expect(r.stationarity).toBeCloseTo(0.2 / Math.SQRT2, 14);
    expect(r.complementarity).toBeCloseTo(0.4 / Math.SQRT2, 14);
    expect(r.residual ** 2).toBeCloseTo(r.stationarity ** 2 + r.complementarity ** 2, 14);
    expect(Array.from(r.multipliers).map((v) => Number(v.toFixed(12)))).toEqual([0.4, 1, 0]);
    // Scale-free: 3θ gives the same residual, and a scale 3^(−1) times smaller.
    const r3 = kktResidual(linear(2), [3, 3], data);
    expect(r3.residual).toBeCloseTo(r.residual, 14);
    expect(r3.scale).toBeCloseTo(1 / 3, 15);
  });

  it("kktResidual(linear, θ⋆, data) ≈ 0 at hardMarginSVM's θ⋆, with multipliers = the SVM dual p⋆/γ⋆² (hard-margin duality; property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (n, d, seed) => {
        const data = separableSet(n, d, seed);
        const svm = hardMarginSVM(data);
        const r = kktResidual(linear(d), svm.theta, data);
        expect(r.residual).toBeLessThan(1e-12);
        // θ̂ = θ⋆/γ⋆ and θ̂ = Σλᵢyᵢxᵢ = Σ(p⋆ᵢ/γ⋆²)yᵢxᵢ (Eq. A.4 of the paper): the multipliers are the dual.
        expect(r.scale).toBeCloseTo(1 / svm.gamma, 9);
        const sum = r.multipliers.reduce((a, b) => a + b, 0);
        // Euler (α = 1): Σλᵢ = Σλᵢqᵢ = ⟨θ̂, Σλᵢ∇qᵢ⟩ = ‖θ̂‖² = 1/γ⋆².
        expect(sum * svm.gamma ** 2).toBeCloseTo(1, 9);
        // Where the support vectors are linearly independent (at most d of them), λ is unique.
        if (svm.support.length <= d) {
          for (let i = 0; i < n; i++) expect(r.multipliers[i]! * svm.gamma ** 2).toBeCloseTo(svm.dual[i]!, 8);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('kktResidual(linear(d, { bias: true }), …) ≈ 0 at the max-margin θ of the augmented points (x, 1)', () => {
    const data = datasets.separable({ n: 30, d: 2, seed: 4, margin: 0.2 });
    const aug = dataset(
      Array.from({ length: data.n }, (_, i) => [data.X[2 * i]!, data.X[2 * i + 1]!, 1]),
      Array.from(data.y),
    );
    const svm = hardMarginSVM(aug);
    const r = kktResidual(linear(2, { bias: true }), svm.theta, data);
    expect(r.residual).toBeLessThan(1e-12);
    for (let i = 0; i < data.n; i++) expect(r.multipliers[i]! * svm.gamma ** 2).toBeCloseTo(svm.dual[i]!, 8);
  });

  it('kktResidual(linear, θ, data) is clearly positive at a separating θ that is not θ⋆ (property)', () => {
    // Rotate θ⋆ by a small angle φ (keeping it separating): the residual grows with φ.
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 30 }),
        fc.nat(),
        fc.double({ min: 0.02, max: 0.3 }),
        (n, seed, phi) => {
          const data = separableSet(n, 2, seed);
          const svm = hardMarginSVM(data);
          const [a, b] = svm.theta as unknown as [number, number];
          const theta = [Math.cos(phi) * a - Math.sin(phi) * b, Math.sin(phi) * a + Math.cos(phi) * b];
          const turned = [Math.cos(-phi) * a - Math.sin(-phi) * b, Math.sin(-phi) * a + Math.cos(-phi) * b];
          for (const t of [theta, turned]) {
            let qmin = Number.POSITIVE_INFINITY;
            for (let i = 0; i < n; i++)
              qmin = Math.min(qmin, data.y[i]! * (t[0]! * data.X[2 * i]! + t[1]! * data.X[2 * i + 1]!));
            fc.pre(qmin > 0);
            expect(kktResidual(linear(2), t, data).residual).toBeGreaterThan(1e-3);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('kktResidual(mlp, θ, data) equals the definition rebuilt from finite-difference gradients and an enumerated NNLS', () => {
    const data = datasets.separable({ n: 6, d: 2, seed: 3, margin: 0.3 });
    for (const activation of ['relu', 'leakyRelu', 'reluPower'] as const) {
      const model = mlp({ widths: [2, 3, 1], activation });
      // A separating θ from a short GD run from the first of seeds 1… that separates (reluPower is smooth, so
      // finite differences are exact to O(h²); for relu and leakyRelu no pre-activation sits at a kink here).
      let theta: Float64Array | undefined;
      for (let seed = 1; theta === undefined && seed < 30; seed++) {
        const run = trainWeighted({
          data,
          model,
          steps: 300,
          seed,
          onDiverge: 'stop',
          record: { metrics: ['margin'] },
        });
        if (run.status === 'completed' && run.history.at(-1)!.margin! > 1e-3) theta = run.theta;
      }
      if (theta === undefined) throw new Error(`no separating run for ${activation}`);
      const ref = referenceResidual(model, theta, data);
      const got = kktResidual(model, theta, data);
      expect(got.scale).toBeCloseTo(ref.scale, 10);
      expect(got.residual).toBeCloseTo(ref.residual, 6);
      expect(got.residual).toBeGreaterThan(1e-3); // a real comparison: θ is not a KKT point
      // At most p + 1 positive multipliers, and none on a point the reference could not use.
      expect(got.multipliers.every((v) => v >= 0)).toBe(true);
    }
  });

  it("kktResidual(mlp, θ(t), data) falls along gradient descent once the data are separated (the paper's 2-5-1 net)", () => {
    // Lyu & Li (Thm 4.4): GD on a homogeneous net with exponential loss approaches a KKT point in direction.
    // Measured on separable({ n: 40, d: 2, seed: s + 1, margin: 0.1 }), seeds 0–3 and 5 (seed 4 diverges at
    // lr 0.1): 0.88 → 0.64 → 0.41 → 0.26 → 0.19 → 0.15 at t = 10, 10², …, 10⁶ on seed 0, and 0.30–0.43 at
    // 10⁶ on the others — falling, at the slow pace of the direction itself.
    const model = mlp({ widths: [2, 5, 1] });
    for (const seed of [0, 1, 3]) {
      const data = datasets.separable({ n: 40, d: 2, seed: seed + 1, margin: 0.1 });
      const res = trainWeighted({
        data,
        model,
        steps: 10_000,
        seed,
        record: { at: [100, 1000, 10_000], metrics: ['theta', 'margin'] },
      });
      const k = res.history.filter((r) => r.step > 0).map((r) => kktResidual(model, r.theta!, data).residual);
      expect(k[1]!).toBeLessThan(k[0]!);
      expect(k[2]!).toBeLessThan(k[1]!);
      expect(k[2]!).toBeLessThan(0.7);
    }
  });

  it("trainWeighted({ record: { metrics: ['kktResidual'] } }) records kktResidual(model, θ, data, { weights }).residual at each recorded step, null before separation", () => {
    const data = datasets.moons({ seed: 0, appendOne: true });
    const model = mlp({ widths: [3, 5, 1] });
    // A weight of 0 on one point (not a constraint), 1 elsewhere; seed 2 separates the moons between steps
    // 2000 and 3000.
    const weights = Array.from({ length: data.n }, (_, i) => (i === 7 ? 0 : 1));
    const run = trainWeighted({
      data,
      model,
      weights,
      steps: 5000,
      seed: 2,
      record: { at: [100, 2000, 3000, 4000, 5000], metrics: ['theta', 'margin', 'kktResidual'] },
    });
    let separated = 0;
    for (const row of run.history) {
      if (row.margin! > 0) {
        separated++;
        expect(row.kktResidual).toBe(kktResidual(model, row.theta!, data, { weights }).residual);
      } else expect(row.kktResidual).toBeNull();
    }
    expect(separated).toBeGreaterThan(0);
    expect(separated).toBeLessThan(run.history.length);
    // Opt-in: not recorded by default; the linear closed form too.
    expect(trainWeighted({ data, steps: 3 }).history[0]!.kktResidual).toBeUndefined();
    const lin = datasets.separable({ n: 20, d: 2, seed: 1 });
    const lr = trainWeighted({
      data: lin,
      steps: 50,
      seed: 1,
      record: { metrics: ['theta', 'kktResidual'] },
    });
    for (const row of lr.history) {
      const ok = Array.from({ length: lin.n }).every(
        (_, i) => lin.y[i]! * (row.theta![0]! * lin.X[2 * i]! + row.theta![1]! * lin.X[2 * i + 1]!) > 0,
      );
      expect(row.kktResidual).toBe(ok ? kktResidual(linear(2), row.theta!, lin).residual : null);
    }
  });

  it('kktResidual(model, θ, data, { weights }) drops zero-weight points and ignores positive weights', () => {
    const data = datasets.separable({ n: 12, d: 2, seed: 2, margin: 0.2 });
    const theta = [0.3, 1];
    const base = kktResidual(linear(2), theta, data);
    // Positive weights do not enter the KKT conditions.
    const w = Array.from({ length: data.n }, (_, i) => 0.25 + (i % 4));
    expect(kktResidual(linear(2), theta, data, { weights: w })).toEqual(base);
    // A zero weight removes the point: the same as the data without it, with multiplier 0 there.
    const dropped = kktResidual(linear(2), theta, data, { weights: data.y.map((_, i) => (i === 0 ? 0 : 1)) });
    const rest = dataset(
      Array.from({ length: data.n - 1 }, (_, i) => [data.X[2 * (i + 1)]!, data.X[2 * (i + 1) + 1]!]),
      Array.from(data.y).slice(1),
    );
    const ref = kktResidual(linear(2), theta, rest);
    expect(dropped.residual).toBeCloseTo(ref.residual, 14);
    expect(dropped.multipliers[0]).toBe(0);
    expect(Array.from(dropped.multipliers.slice(1))).toEqual(Array.from(ref.multipliers));
  });

  it('kktResidual(model, theta, data, options) rejects a non-separating θ and bad input with INVALID_INPUT', () => {
    const data = dataset(
      [
        [1, 0],
        [0, 1],
      ],
      [1, -1],
    );
    expect(() => kktResidual(linear(2), [1, 1], data)).toThrow(
      invalid('kktResidual: theta must separate the points with positive weight'),
    );
    expect(() => kktResidual(linear(2), [0, 0], data)).toThrow(invalid('got min yᵢ f(θ; xᵢ) = 0'));
    // …unless the misclassified point has weight 0.
    expect(kktResidual(linear(2), [1, 1], data, { weights: [1, 0] }).residual).toBeGreaterThanOrEqual(0);
    expect(() => kktResidual(linear(2), [1], data)).toThrow(invalid('kktResidual: theta must have length 2'));
    expect(() => kktResidual(linear(3), [1, 1, 1], data)).toThrow(invalid('kktResidual: data has d = 2'));
    expect(() => kktResidual(linear(2), [1, -1], data, { weights: [1] })).toThrow(
      invalid('kktResidual: weights must have length 2'),
    );
    expect(() => kktResidual(linear(2), [1, -1], data, { weights: [0, 0] })).toThrow(
      invalid('weights must not be all zero'),
    );
    expect(() => kktResidual(linear(2), [1, -1], data, { weight: [1, 1] } as never)).toThrow(
      invalid('weight is not a known option'),
    );
    expect(() => kktResidual({} as never, [1, -1], data)).toThrow(
      invalid('kktResidual: model must be a model'),
    );
  });
});
