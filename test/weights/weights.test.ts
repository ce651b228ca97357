/**
 * Weight schemes (src/weights). References: hand computations, the defining properties of each scheme
 * (equal class totals, mean 1, order reversal of margins), the limits β = 0 and β → 1 of the effective
 * number against the uniform and class-balanced schemes, and directly computed margins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampWeights,
  classBalancedWeights,
  dataset,
  datasets,
  densityRatioWeights,
  effectiveNumberWeights,
  hardMarginSVM,
  inverseMarginWeights,
  normalizeWeights,
  uniformWeights,
} from '../../src/index.js';
import { invalid } from '../helpers/index.js';

const sum = (w: ArrayLike<number>) => Array.from(w).reduce((a, b) => a + b, 0);

/** Labels: a non-empty ±1 array; the inputs are irrelevant to the class-based schemes. */
const labelsArb = fc.array(fc.constantFrom(-1, 1), { minLength: 1, maxLength: 60 });
const fromLabels = (y: number[]) =>
  dataset(
    y.map((_, i) => [i]),
    y,
  );

const skewed = dataset([[1], [2], [3], [-1]], [1, 1, 1, -1]);

describe('uniformWeights and classBalancedWeights', () => {
  it('uniformWeights(data) is n ones', () => {
    expect(Array.from(uniformWeights(skewed))).toEqual([1, 1, 1, 1]);
    expect(uniformWeights(skewed)).toBeInstanceOf(Float64Array);
    expect(() => uniformWeights({} as never)).toThrow(invalid('uniformWeights: data must be a Dataset'));
  });

  it('classBalancedWeights(data) is n/(K·n_c): hand values', () => {
    // n = 4, K = 2: positives 4/(2·3) = 2/3, the negative 4/(2·1) = 2.
    const w = classBalancedWeights(skewed);
    expect(w[0]).toBeCloseTo(2 / 3, 15);
    expect(w[3]).toBe(2);
    expect(Array.from(classBalancedWeights(dataset([[1], [2]], [1, 1])))).toEqual([1, 1]);
  });

  it('classBalancedWeights(data) gives every present class the same total n/K and mean 1 (property)', () => {
    fc.assert(
      fc.property(labelsArb, (y) => {
        const w = classBalancedWeights(fromLabels(y));
        const pos = y.reduce((s, v, i) => (v === 1 ? s + w[i]! : s), 0);
        const neg = y.reduce((s, v, i) => (v === -1 ? s + w[i]! : s), 0);
        const K = (y.includes(1) ? 1 : 0) + (y.includes(-1) ? 1 : 0);
        if (y.includes(1)) expect(pos).toBeCloseTo(y.length / K, 10);
        if (y.includes(-1)) expect(neg).toBeCloseTo(y.length / K, 10);
        expect(sum(w) / y.length).toBeCloseTo(1, 12);
        // Within a class the weight is constant, and the smaller class never weighs less per point.
        const nPos = y.filter((v) => v === 1).length;
        for (let i = 0; i < y.length; i++) {
          const j = y.indexOf(y[i]!);
          expect(w[i]).toBe(w[j]);
          const minority = (y[i] === 1 ? nPos : y.length - nPos) <= y.length / 2;
          if (minority) expect(w[i]).toBeGreaterThanOrEqual(1 - 1e-15);
        }
      }),
    );
  });
});

describe('effectiveNumberWeights', () => {
  it('effectiveNumberWeights(data, options) matches hand values for both normalizations', () => {
    // β = 0.5: 1/E(3) = 0.5/(1 − 0.125) = 4/7, 1/E(1) = 0.5/0.5 = 1.
    // mean 1: factor 4/(3·4/7 + 1) = 28/19 → 16/19 and 28/19. Cui: factor 2/(4/7 + 1) = 14/11 → 8/11, 14/11.
    const w = effectiveNumberWeights(skewed, { beta: 0.5 });
    expect(w[0]).toBeCloseTo(16 / 19, 15);
    expect(w[3]).toBeCloseTo(28 / 19, 15);
    const c = effectiveNumberWeights(skewed, { beta: 0.5, normalization: 'classes' });
    expect(c[0]).toBeCloseTo(8 / 11, 15);
    expect(c[3]).toBeCloseTo(14 / 11, 15);
  });

  it('effectiveNumberWeights(data, options) is uniform at β = 0 and tends to classBalancedWeights as β → 1 (property)', () => {
    fc.assert(
      fc.property(labelsArb, (y) => {
        const data = fromLabels(y);
        expect(Array.from(effectiveNumberWeights(data, { beta: 0 }))).toEqual(
          Array.from(uniformWeights(data)),
        );
        // 1/E(n_c) = (1 − β)/(1 − β^{n_c}) = 1/n_c + O(1 − β) · (n_c − 1)/2/n_c; with 1 − β = 1e-9 the
        // relative deviation is below 1e-7 for n_c ≤ 60.
        const near = effectiveNumberWeights(data, { beta: 1 - 1e-9 });
        const bal = classBalancedWeights(data);
        for (let i = 0; i < y.length; i++) expect(Math.abs(near[i]! - bal[i]!)).toBeLessThan(1e-7 * bal[i]!);
      }),
    );
  });

  it('effectiveNumberWeights(data, options) has mean 1, or class weights summing to K, and favours the smaller class (property)', () => {
    fc.assert(
      fc.property(labelsArb, fc.double({ min: 0.01, max: 0.9999, noNaN: true }), (y, beta) => {
        const data = fromLabels(y);
        const w = effectiveNumberWeights(data, { beta });
        expect(sum(w) / y.length).toBeCloseTo(1, 12);
        const c = effectiveNumberWeights(data, { beta, normalization: 'classes' });
        const iPos = y.indexOf(1);
        const iNeg = y.indexOf(-1);
        const K = (iPos >= 0 ? 1 : 0) + (iNeg >= 0 ? 1 : 0);
        expect((iPos >= 0 ? c[iPos]! : 0) + (iNeg >= 0 ? c[iNeg]! : 0)).toBeCloseTo(K, 12);
        if (iPos >= 0 && iNeg >= 0) {
          const nPos = y.filter((v) => v === 1).length;
          const nNeg = y.length - nPos;
          if (nPos < nNeg) expect(w[iPos]).toBeGreaterThan(w[iNeg]!);
          if (nPos === nNeg) expect(w[iPos]).toBe(w[iNeg]);
        }
      }),
    );
  });

  it('effectiveNumberWeights(data, options) rejects bad options with INVALID_INPUT', () => {
    expect(() => effectiveNumberWeights(skewed, { beta: 1 })).toThrow(
      invalid('effectiveNumberWeights: beta must be a finite number >= 0 and < 1, got 1'),
    );
    expect(() => effectiveNumberWeights(skewed, {} as never)).toThrow(invalid('beta must be'));
    expect(() => effectiveNumberWeights(skewed, undefined as never)).toThrow(
      invalid('options must be an object'),
    );
    expect(() => effectiveNumberWeights(skewed, { beta: 0.5, normalization: 'sum' as never })).toThrow(
      invalid('normalization must be one of "mean", "classes"'),
    );
    expect(() => effectiveNumberWeights(skewed, { beta: 0.5, b: 1 } as never)).toThrow(
      invalid('b is not a known option'),
    );
  });
});

describe('inverseMarginWeights', () => {
  const line = dataset(
    [
      [1, 0],
      [2, 0],
      [4, 0],
    ],
    [1, 1, 1],
  );

  it('inverseMarginWeights(data, options) matches hand values (SVM oracle, given margins, given theta)', () => {
    // θ* = (1, 0): margins 1, 2, 4 → ∝ 1, 1/2, 1/4 (sum 7/4) → mean 1: 12/7, 6/7, 3/7.
    const w = inverseMarginWeights(line);
    [12 / 7, 6 / 7, 3 / 7].forEach((v, i) => {
      expect(w[i]).toBeCloseTo(v, 9);
    });
    // power 2: ∝ 1, 1/4, 1/16 (sum 21/16) → 48/21, 12/21, 3/21.
    const w2 = inverseMarginWeights(line, { margins: [1, 2, 4], power: 2 });
    [48 / 21, 12 / 21, 3 / 21].forEach((v, i) => {
      expect(w2[i]).toBeCloseTo(v, 14);
    });
    // θ = (3, 4): normalized margins 3/5, 6/5, 12/5 — the same ratios as above.
    const w3 = inverseMarginWeights(line, { theta: [3, 4] });
    [12 / 7, 6 / 7, 3 / 7].forEach((v, i) => {
      expect(w3[i]).toBeCloseTo(v, 14);
    });
    // ε = 1: ∝ 1/2, 1/3, 1/5 (sum 31/30) → 45/31, 30/31, 18/31.
    const w4 = inverseMarginWeights(line, { margins: [1, 2, 4], epsilon: 1 });
    [45 / 31, 30 / 31, 18 / 31].forEach((v, i) => {
      expect(w4[i]).toBeCloseTo(v, 14);
    });
    expect(Array.from(inverseMarginWeights(line, { margins: [1, 2, 4], power: 0 }))).toEqual([1, 1, 1]);
  });

  it('inverseMarginWeights(data) puts the largest weight on the SVM support vectors and reverses the margin order', () => {
    const data = datasets.separable({ n: 40, seed: 3 });
    const svm = hardMarginSVM(data);
    const w = inverseMarginWeights(data);
    const m = Array.from({ length: data.n }, (_, i) => {
      let s = 0;
      for (let k = 0; k < data.d; k++) s += svm.theta[k]! * data.X[i * data.d + k]!;
      return data.y[i]! * s;
    });
    const wMax = Math.max(...w);
    for (const i of svm.support) expect(w[i]).toBeCloseTo(wMax, 6);
    for (let i = 0; i < data.n; i++) {
      for (let j = 0; j < data.n; j++) if (m[i]! < m[j]! - 1e-9) expect(w[i]).toBeGreaterThan(w[j]!);
      // wᵢ·mᵢ is the same for every i (p = 1): c = wᵢ mᵢ.
      expect(w[i]! * m[i]!).toBeCloseTo(w[0]! * m[0]!, 8);
    }
    expect(sum(w) / data.n).toBeCloseTo(1, 12);
  });

  it('inverseMarginWeights(data, options) has mean 1 and max/min ratio ((m_max + ε)/(m_min + ε))^p (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (margins, power, epsilon) => {
          const data = fromLabels(margins.map(() => 1));
          const w = inverseMarginWeights(data, { margins, power, epsilon });
          expect(sum(w) / w.length).toBeCloseTo(1, 12);
          const ratio = ((Math.max(...margins) + epsilon) / (Math.min(...margins) + epsilon)) ** power;
          expect(Math.max(...w) / Math.min(...w)).toBeCloseTo(ratio, 8 - Math.ceil(Math.log10(ratio + 1)));
        },
      ),
    );
  });

  it('inverseMarginWeights(data, options) stays finite for tiny margins and large powers (log-domain scaling)', () => {
    const w = inverseMarginWeights(line, { margins: [1e-200, 1, 2], power: 3 });
    expect(w.every(Number.isFinite)).toBe(true);
    expect(w[0]).toBeCloseTo(3, 12);
    expect(w[1]).toBeLessThan(1e-300); // ∝ 1e-600 relative to w[0]: underflows to 0
  });

  it('inverseMarginWeights(data, options) rejects non-separating θ, conflicts and non-separable data', () => {
    expect(() => inverseMarginWeights(line, { theta: [-1, 0] })).toThrow(
      invalid(
        'inverseMarginWeights: theta must give every point margin + epsilon > 0, got margin -1 at point 0',
      ),
    );
    expect(() => inverseMarginWeights(line, { margins: [1, 0, 2] })).toThrow(invalid('margins[1] must give'));
    expect(Array.from(inverseMarginWeights(line, { margins: [1, 0, 2], epsilon: 1, power: 0 }))).toEqual([
      1, 1, 1,
    ]);
    expect(() => inverseMarginWeights(line, { margins: [1, 2] })).toThrow(
      invalid('margins must have length 3'),
    );
    expect(() => inverseMarginWeights(line, { margins: [1, 2, 3], theta: [1, 0] })).toThrow(
      invalid('margins cannot be combined with theta or model'),
    );
    expect(() => inverseMarginWeights(line, { power: -1 })).toThrow(
      invalid('power must be a finite number >= 0'),
    );
    expect(() => inverseMarginWeights(line, { theta: [1, 0, 0] })).toThrow(
      invalid('theta must have length 2'),
    );
    const xor = dataset(
      [
        [1, 0],
        [-1, 0],
      ],
      [1, 1],
    );
    expect(() => inverseMarginWeights(xor)).toThrow(expect.objectContaining({ code: 'NOT_SEPARABLE' }));
  });
});

describe('densityRatioWeights', () => {
  it('densityRatioWeights(data, ratio) evaluates η row by row, from a function or a covariate-shift set', () => {
    const data = dataset(
      [
        [0, 1],
        [1, 2],
      ],
      [1, -1],
    );
    expect(Array.from(densityRatioWeights(data, (x) => Math.exp(x[0]! - 0.5)))).toEqual([
      Math.exp(-0.5),
      Math.exp(0.5),
    ]);
    expect(Array.from(densityRatioWeights(data, { densityRatio: (x) => x[1]! }))).toEqual([1, 2]);
    const shift = datasets.covariateShift({ n: 50, seed: 3 });
    const w = densityRatioWeights(shift, (x) => Math.exp(x[0]! - 0.5)); // μ_s = 0, μ_t = (1, 0), σ = 1
    for (let i = 0; i < shift.n; i++) expect(w[i]).toBeCloseTo(shift.eta[i]!, 13);
    // The callback gets a copy: writing into it does not change the data.
    const before = Array.from(data.X);
    densityRatioWeights(data, (x) => {
      x[0] = 99;
      return 1;
    });
    expect(Array.from(data.X)).toEqual(before);
  });

  it('densityRatioWeights(data, ratio) rejects bad ratios with INVALID_INPUT naming the row', () => {
    const data = dataset([[0], [1]], [1, -1]);
    expect(() => densityRatioWeights(data, (x) => x[0]! - 0.5)).toThrow(
      invalid('densityRatioWeights: ratio must return a finite number >= 0, got -0.5 at row 0'),
    );
    expect(() => densityRatioWeights(data, () => Number.NaN)).toThrow(invalid('got NaN at row 0'));
    expect(() => densityRatioWeights(data, () => 0)).toThrow(
      invalid('must not be 0 at every training point'),
    );
    expect(() => densityRatioWeights(data, 3 as never)).toThrow(invalid('ratio must be a function'));
  });
});

describe('normalizeWeights and clampWeights', () => {
  it('normalizeWeights(weights, to) scales to sum 1 or mean 1 (hand values)', () => {
    expect(Array.from(normalizeWeights([1, 3]))).toEqual([0.25, 0.75]);
    expect(Array.from(normalizeWeights([1, 3], 'mean'))).toEqual([0.5, 1.5]);
    expect(Array.from(normalizeWeights([0, 2], 'sum'))).toEqual([0, 1]);
    // No overflow for huge weights.
    expect(Array.from(normalizeWeights([1e308, 1e308]))).toEqual([0.5, 0.5]);
  });

  it('normalizeWeights(weights, to) keeps ratios and hits the target (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('sum' as const, 'mean' as const),
        (w, to) => {
          const v = normalizeWeights(w, to);
          expect(sum(v)).toBeCloseTo(to === 'sum' ? 1 : w.length, 10);
          for (let i = 1; i < w.length; i++)
            expect(Math.abs((v[i]! * w[0]!) / (v[0]! * w[i]!) - 1)).toBeLessThan(1e-14);
          // Idempotent up to rounding.
          const again = normalizeWeights(v, to);
          for (let i = 0; i < w.length; i++) expect(again[i]).toBeCloseTo(v[i]!, 12);
        },
      ),
    );
  });

  it('normalizeWeights(weights, to) rejects bad input with INVALID_INPUT', () => {
    expect(() => normalizeWeights([0, 0])).toThrow(invalid('normalizeWeights: weights must not be all zero'));
    expect(() => normalizeWeights([])).toThrow(invalid('weights must not be empty'));
    expect(() => normalizeWeights([1, -1])).toThrow(invalid('weights[1] must be >= 0, got -1'));
    expect(() => normalizeWeights([1, Number.NaN])).toThrow(invalid('weights[1] must be finite'));
    expect(() => normalizeWeights([1], 'max' as never)).toThrow(invalid('to must be one of "sum", "mean"'));
  });

  it('clampWeights(weights, M) clamps into [1/M, M] (hand values)', () => {
    expect(Array.from(clampWeights([0, 0.5, 3, 10], 4))).toEqual([0.25, 0.5, 3, 4]);
    expect(Array.from(clampWeights([0, 0.5, 3], 1))).toEqual([1, 1, 1]);
    expect(() => clampWeights([1], 0.5)).toThrow(
      invalid('clampWeights: M must be a finite number >= 1, got 0.5'),
    );
    expect(() => clampWeights([-1], 2)).toThrow(invalid('weights[0] must be >= 0'));
  });

  it('clampWeights(weights, M) is within bounds, idempotent, and the identity on in-range weights (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 1, max: 1e3, noNaN: true }),
        (w, M) => {
          const c = clampWeights(w, M);
          for (const v of c) {
            expect(v).toBeGreaterThanOrEqual(1 / M);
            expect(v).toBeLessThanOrEqual(M);
          }
          expect(clampWeights(c, M)).toEqual(c);
          for (let i = 0; i < w.length; i++) if (w[i]! >= 1 / M && w[i]! <= M) expect(c[i]).toBe(w[i]);
          // Monotone: the order of the weights is kept (ties may appear).
          for (let i = 1; i < w.length; i++) if (w[i]! <= w[0]!) expect(c[i]).toBeLessThanOrEqual(c[0]!);
        },
      ),
    );
  });
});
