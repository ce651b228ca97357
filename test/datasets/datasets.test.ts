import { describe, expect, it } from 'vitest';
import { type Dataset, datasets } from '../../src/index.js';
import { invalid } from '../helpers/index.js';

const row = (data: Dataset, i: number) => Array.from(data.X.subarray(i * data.d, (i + 1) * data.d));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
};
/** Rows with their labels, as sorted strings: a multiset of (x, y). */
const rowMultiset = (...parts: Dataset[]) =>
  parts.flatMap((p) => Array.from({ length: p.n }, (_, i) => `${row(p, i).join(',')}|${p.y[i]}`)).sort();

/** Checks the shared Dataset invariants and the class layout (⌊n/2⌋ × −1 first, then +1). */
function expectLayout(data: Dataset, n: number, d: number) {
  expect(data.n).toBe(n);
  expect(data.d).toBe(d);
  expect(data.X).toBeInstanceOf(Float64Array);
  expect(data.X.length).toBe(n * d);
  expect(data.X.every(Number.isFinite)).toBe(true);
  expect(Array.from(data.y)).toEqual([
    ...new Array(Math.floor(n / 2)).fill(-1),
    ...new Array(n - Math.floor(n / 2)).fill(1),
  ]);
  expect(Object.isFrozen(data)).toBe(true);
}

const generators = [
  ['separable', datasets.separable, 100],
  ['nonSeparable', datasets.nonSeparable, 100],
  ['moons', datasets.moons, 200],
  ['unbalancedMoons', datasets.unbalancedMoons, 100],
] as const;

describe('datasets', () => {
  it('datasets.figure1a…figure1d are separable, nonSeparable, moons, unbalancedMoons', () => {
    expect(datasets.figure1a).toBe(datasets.separable);
    expect(datasets.figure1b).toBe(datasets.nonSeparable);
    expect(datasets.figure1c).toBe(datasets.moons);
    expect(datasets.figure1d).toBe(datasets.unbalancedMoons);
    expect(Object.isFrozen(datasets)).toBe(true);
  });

  for (const [name, gen, defaultN] of generators) {
    it(`datasets.${name}(options) is deterministic in the seed (default seed 0) and 2-D by default`, () => {
      const a = gen({ seed: 5 });
      const b = gen({ seed: 5 });
      const c = gen({ seed: 6 });
      expect(a.X).toEqual(b.X);
      expect(a.y).toEqual(b.y);
      expect(a.X).not.toEqual(c.X);
      expect(gen().X).toEqual(gen({ seed: 0 }).X);
      expect(a.n).toBe(defaultN);
      expect(a.d).toBe(2);
      expect(a.y.every((v) => v === 1 || v === -1)).toBe(true);
    });

    it(`datasets.${name}(options) rejects unknown options, bad n and bad seeds with INVALID_INPUT`, () => {
      expect(() => gen({ nn: 5 } as never)).toThrow(`datasets.${name}: nn is not a known option`);
      expect(() => gen({ n: 1 })).toThrow(`datasets.${name}: n must be an integer >= 2, got 1`);
      expect(() => gen({ seed: 0.5 })).toThrow(`datasets.${name}: seed must be an integer, got 0.5`);
      expect(() => gen({ seed: 2 ** 60 })).toThrow(invalid('seed must be a safe integer'));
      expect(() => gen(3 as never)).toThrow(`datasets.${name}: options must be an object, got 3`);
    });
  }
});

describe('datasets.separable', () => {
  it('datasets.separable(options) has the layout n = 100, d = 2 with ⌊n/2⌋ negatives first', () => {
    expectLayout(datasets.separable(), 100, 2);
    expectLayout(datasets.separable({ n: 7, d: 5, seed: 2 }), 7, 5);
  });

  it('datasets.separable(options) gives every point y·plantedᵀx ≥ margin > 0 (separable through the origin)', () => {
    for (const opts of [{}, { seed: 1, d: 5, n: 301 }, { seed: 2, distance: 0.5, margin: 0.5, std: 2 }]) {
      const data = datasets.separable(opts);
      const margin = (opts as { margin?: number }).margin ?? 0.5;
      expect(dot(data.planted, data.planted)).toBeCloseTo(1, 14);
      for (let i = 0; i < data.n; i++) {
        expect(data.y[i]! * dot(data.planted, row(data, i))).toBeGreaterThanOrEqual(margin);
      }
    }
  });

  it('datasets.separable({ direction }) plants the normalized given direction', () => {
    const data = datasets.separable({ direction: [3, 4], seed: 4 });
    expect(Array.from(data.planted)).toEqual([0.6, 0.8]);
    for (let i = 0; i < data.n; i++)
      expect(data.y[i]! * (0.6 * data.X[2 * i]! + 0.8 * data.X[2 * i + 1]!)).toBeGreaterThan(0);
  });

  it('datasets.separable(options) places the class means at ±distance·planted', () => {
    // distance 5, margin 0.5: the rejection truncates N(5, 1) along u at 0.5 (4.5σ), a shift of ~2e-5.
    const data = datasets.separable({ n: 4000, seed: 8, distance: 5 });
    const mean = [0, 0];
    for (let i = 0; i < data.n; i++)
      for (let k = 0; k < 2; k++) mean[k]! += (data.y[i]! * data.X[2 * i + k]!) / data.n;
    // Mean of y·x is 5u up to sampling error σ/√n ≈ 0.016 per coordinate; 5 SE tolerance.
    expect(Math.abs(mean[0]! - 5 * data.planted[0]!)).toBeLessThan(0.08);
    expect(Math.abs(mean[1]! - 5 * data.planted[1]!)).toBeLessThan(0.08);
  });

  it('datasets.separable(options) rejects a margin above the distance and a zero direction', () => {
    expect(() => datasets.separable({ distance: 1, margin: 2 })).toThrow(
      invalid('datasets.separable: margin must be'),
    );
    expect(() => datasets.separable({ distance: 1, margin: 2 })).toThrow(invalid('<= 1, got 2'));
    expect(() => datasets.separable({ margin: 0 })).toThrow(invalid('margin must be a finite number > 0'));
    expect(() => datasets.separable({ direction: [0, 0] })).toThrow(
      'datasets.separable: direction must be a non-zero vector',
    );
    expect(() => datasets.separable({ direction: [1, 2, 3] })).toThrow(
      invalid('direction must have length 2'),
    );
    expect(() => datasets.separable({ std: 0 })).toThrow(invalid('std must be a finite number > 0'));
  });
});

describe('datasets.nonSeparable', () => {
  it('datasets.nonSeparable(options) has the layout n = 100, d = 2 with ⌊n/2⌋ negatives first', () => {
    expectLayout(datasets.nonSeparable(), 100, 2);
    expectLayout(datasets.nonSeparable({ n: 2, d: 3, seed: 9 }), 2, 3);
  });

  it('datasets.nonSeparable(options) carries a Gordan certificate: p ≥ 0, p ≠ 0, Σ pᵢyᵢxᵢ = 0 exactly', () => {
    for (const opts of [{}, { seed: 3, d: 6, n: 51 }, { seed: 4, distance: 5, std: 0.1 }]) {
      const data = datasets.nonSeparable(opts);
      const p = data.certificate;
      expect(p.every((v) => v >= 0)).toBe(true);
      expect(p.some((v) => v > 0)).toBe(true);
      const s = new Float64Array(data.d);
      for (let i = 0; i < data.n; i++)
        for (let k = 0; k < data.d; k++) s[k]! += p[i]! * data.y[i]! * data.X[i * data.d + k]!;
      expect(Array.from(s)).toEqual(new Array(data.d).fill(0));
      // The planted pair itself: row n−1 is exactly half of row 0, with the opposite label.
      expect(row(data, data.n - 1)).toEqual(row(data, 0).map((v) => v / 2));
      expect(data.y[data.n - 1]).toBe(-data.y[0]!);
    }
  });

  it('datasets.nonSeparable(options) is not separated by any direction on a fine grid, and the blobs overlap', () => {
    // Independent of the certificate: scan 3600 directions θ and count the points with y·θᵀx ≤ 0.
    const data = datasets.nonSeparable();
    let fewestErrors = Number.POSITIVE_INFINITY;
    for (let a = 0; a < 3600; a++) {
      const t = (2 * Math.PI * a) / 3600;
      let errors = 0;
      for (let i = 0; i < data.n; i++) {
        if (data.y[i]! * (Math.cos(t) * data.X[2 * i]! + Math.sin(t) * data.X[2 * i + 1]!) <= 0) errors++;
      }
      fewestErrors = Math.min(fewestErrors, errors);
    }
    // With μ = σ = 1 the Bayes error is Φ(−1) ≈ 16%; at least 5 of 100 points are always misclassified.
    expect(fewestErrors).toBeGreaterThanOrEqual(5);
  });

  it('datasets.nonSeparable(options) rejects bad distance and std', () => {
    expect(() => datasets.nonSeparable({ distance: -1 })).toThrow(
      'datasets.nonSeparable: distance must be a finite number >= 0, got -1',
    );
    expect(() => datasets.nonSeparable({ std: -1 })).toThrow(invalid('std must be a finite number > 0'));
    expect(datasets.nonSeparable({ distance: 0 }).n).toBe(100);
  });
});

describe('datasets.moons', () => {
  it('datasets.moons(options) has the layout n = 200, d = 2, balanced, outer (−1) moon first', () => {
    expectLayout(datasets.moons(), 200, 2);
    expectLayout(datasets.moons({ n: 7 }), 7, 2);
  });

  it('datasets.moons({ center: false, noise: 0 }) matches scikit-learn make_moons(4, shuffle=False)', () => {
    // make_moons(n_samples=4, shuffle=False) = [[1, 0], [-1, 0], [0, 0.5], [2, 0.5]], labels [0, 0, 1, 1].
    const data = datasets.moons({ n: 4, noise: 0, center: false });
    const expected = [1, 0, -1, 0, 0, 0.5, 2, 0.5];
    data.X.forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k]!, 15);
    });
    expect(Array.from(data.y)).toEqual([-1, -1, 1, 1]);
  });

  it('datasets.moons({ noise: 0 }) lies on the two centred half circles, point-symmetric about the origin', () => {
    const data = datasets.moons({ noise: 0 });
    const half = data.n / 2;
    for (let i = 0; i < data.n; i++) {
      const [x, y] = row(data, i) as [number, number];
      // Outer: unit half circle around (−0.5, −0.25), upper half; inner: around (0.5, 0.25), lower half.
      const [cx, cy, side] = i < half ? [-0.5, -0.25, 1] : [0.5, 0.25, -1];
      expect(Math.hypot(x - cx, y - cy)).toBeCloseTo(1, 12);
      expect(side * (y - cy)).toBeGreaterThanOrEqual(-1e-12);
    }
    for (let k = 0; k < half; k++) expect(row(data, half + k)).toEqual(row(data, k).map((v) => -v));
    const mean = [0, 0];
    for (let i = 0; i < data.n; i++) for (let k = 0; k < 2; k++) mean[k]! += data.X[2 * i + k]!;
    expect(Math.abs(mean[0]!) + Math.abs(mean[1]!)).toBeLessThan(1e-12);
  });

  it('datasets.moons({ noise }) adds N(0, noise²) to each coordinate', () => {
    const noisy = datasets.moons({ n: 2000, noise: 0.3, seed: 12 });
    const clean = datasets.moons({ n: 2000, noise: 0, seed: 12 });
    const diff = Array.from(noisy.X, (v, k) => v - clean.X[k]!);
    const m = diff.reduce((a, b) => a + b, 0) / diff.length;
    const sd = Math.sqrt(diff.reduce((a, b) => a + (b - m) ** 2, 0) / (diff.length - 1));
    // 4000 draws: SE(mean) = 0.3/√4000 ≈ 0.0047, SE(sd) ≈ 0.3/√8000 ≈ 0.0034; 5 SE tolerances.
    expect(Math.abs(m)).toBeLessThan(0.024);
    expect(Math.abs(sd - 0.3)).toBeLessThan(0.017);
  });

  it('datasets.moons({ appendOne: true }) appends a constant coordinate 1 (d = 3)', () => {
    const lifted = datasets.moons({ appendOne: true, seed: 3 });
    const plain = datasets.moons({ seed: 3 });
    expect(lifted.d).toBe(3);
    for (let i = 0; i < plain.n; i++) expect(row(lifted, i)).toEqual([...row(plain, i), 1]);
  });

  it('datasets.moons(options) rejects bad noise and non-boolean flags', () => {
    expect(() => datasets.moons({ noise: -0.1 })).toThrow(
      'datasets.moons: noise must be a finite number >= 0, got -0.1',
    );
    expect(() => datasets.moons({ center: 1 as never })).toThrow(
      'datasets.moons: center must be true or false, got 1',
    );
    expect(() => datasets.moons({ appendOne: 'yes' as never })).toThrow(
      invalid('appendOne must be true or false'),
    );
  });
});

describe('datasets.unbalancedMoons', () => {
  it('datasets.unbalancedMoons(options) keeps round(0.2·n₋) negatives and round(0.8·n₊) positives by default', () => {
    const train = datasets.unbalancedMoons();
    const count = (d: Dataset, label: number) => d.y.filter((v) => v === label).length;
    expect(train.n).toBe(100);
    expect(count(train, -1)).toBe(20);
    expect(count(train, 1)).toBe(80);
    expect(train.test.n).toBe(100);
    expect(count(train.test, -1)).toBe(80);
    expect(count(train.test, 1)).toBe(20);
    expect(Object.isFrozen(train)).toBe(true);
    expect(Object.isFrozen(train.test)).toBe(true);
  });

  it('datasets.unbalancedMoons(options) splits exactly the full moons set: train ∪ test as multisets, no overlap', () => {
    for (const opts of [
      {},
      { n: 51, seed: 3, keepNegative: 0.3, keepPositive: 0.5, noise: 0.2 },
      { appendOne: true },
    ]) {
      const train = datasets.unbalancedMoons(opts);
      const { keepNegative: _a, keepPositive: _b, ...moonOpts } = opts as Record<string, unknown>;
      const full = datasets.moons(moonOpts);
      expect(rowMultiset(train, train.test)).toEqual(rowMultiset(full));
      const kept = Array.from(train.keptIndices);
      const test = Array.from(train.testIndices);
      expect([...kept, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: full.n }, (_, i) => i));
      expect(kept).toEqual([...kept].sort((a, b) => a - b));
      expect(test).toEqual([...test].sort((a, b) => a - b));
      kept.forEach((j, i) => {
        expect(row(train, i)).toEqual(row(full, j));
        expect(train.y[i]).toBe(full.y[j]);
      });
      test.forEach((j, i) => {
        expect(row(train.test, i)).toEqual(row(full, j));
      });
    }
  });

  it('datasets.unbalancedMoons(options) rounds the kept counts with Math.round', () => {
    // n = 51: n₋ = 25, n₊ = 26; round(0.3·25) = round(7.5) = 8, round(0.5·26) = 13.
    const train = datasets.unbalancedMoons({ n: 51, keepNegative: 0.3, keepPositive: 0.5 });
    expect(train.y.filter((v) => v === -1).length).toBe(8);
    expect(train.y.filter((v) => v === 1).length).toBe(13);
    expect(train.test.n).toBe(51 - 21);
  });

  it('datasets.unbalancedMoons(options) draws the kept subset from the seed', () => {
    const a = datasets.unbalancedMoons({ seed: 1 });
    const b = datasets.unbalancedMoons({ seed: 1 });
    const c = datasets.unbalancedMoons({ seed: 2 });
    expect(a.keptIndices).toEqual(b.keptIndices);
    expect(a.keptIndices).not.toEqual(c.keptIndices);
  });

  it('datasets.unbalancedMoons(options) rejects fractions outside (0, 1] and splits that leave a set empty', () => {
    expect(() => datasets.unbalancedMoons({ keepNegative: 0 })).toThrow(
      invalid('datasets.unbalancedMoons: keepNegative must be a finite number > 0'),
    );
    expect(() => datasets.unbalancedMoons({ keepNegative: 0 })).toThrow(invalid('<= 1, got 0'));
    expect(() => datasets.unbalancedMoons({ keepPositive: 1.5 })).toThrow(invalid('keepPositive must be'));
    expect(() => datasets.unbalancedMoons({ keepNegative: 1, keepPositive: 1 })).toThrow(
      invalid('which leaves the test set empty'),
    );
    expect(() => datasets.unbalancedMoons({ n: 2, keepNegative: 0.2, keepPositive: 0.2 })).toThrow(
      invalid('which leaves the training set empty'),
    );
  });
});
