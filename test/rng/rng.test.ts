import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRng, datasets, normalVector, RNG_STREAMS } from '../../src/index.js';

const N = 100_000;

/** Kolmogorov–Smirnov statistic D = sup |F_n − F| of a sample against the continuous cdf F. */
function ksStatistic(sample: number[], cdf: (x: number) => number): number {
  const s = [...sample].sort((a, b) => a - b);
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** KS 1% critical value, asymptotic: K⁻¹(0.99)/√n = 1.6276/√n. */
const ksCritical1 = (n: number) => 1.6276 / Math.sqrt(n);

/** erfc by Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7): an independent Φ for the KS test. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

/** Pearson chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
}

describe('createRng', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('createRng(seed) gives identical sequences for the same seed', () => {
    const a = createRng(123);
    const b = createRng(123);
    for (let i = 0; i < 1000; i++) {
      expect(a.uniform()).toBe(b.uniform());
      expect(a.normal()).toBe(b.normal());
      expect(a.int(17)).toBe(b.int(17));
    }
  });

  it('createRng(seed) pins the stream of seed 0 (bit-identical across versions)', () => {
    const r = createRng(0);
    expect([r.uniform(), r.uniform(), r.uniform()]).toEqual([
      0.6719554005164757, 0.5278188406951212, 0.06997541890337444,
    ]);
    expect([r.normal(), r.normal()]).toEqual([1.1736864960973408, -0.4149868143924476]);
    expect([r.int(1000), r.int(1000)]).toEqual([52, 127]);
  });

  it('createRng(seed) gives different sequences for different seeds, including seeds beyond 32 bits', () => {
    const seeds = [
      0,
      1,
      -1,
      2,
      2 ** 32,
      1 + 2 ** 32,
      -(2 ** 32),
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ];
    const firsts = seeds.map((s) => {
      const r = createRng(s);
      return [r.uniform(), r.uniform()].join(',');
    });
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it('createRng(seed) rejects non-integer and unsafe seeds with INVALID_INPUT', () => {
    for (const bad of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 60), '1', undefined]) {
      expect(() => createRng(bad as number)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(() => createRng(0.5)).toThrow('createRng: seed must be an integer, got 0.5');
    expect(() => createRng(2 ** 53)).toThrow('createRng: seed must be a safe integer');
  });

  it('rng.uniform() stays in [0, 1) and carries 53 random bits', () => {
    const r = createRng(7);
    let oddLowBit = 0;
    let bad = 0;
    for (let i = 0; i < N; i++) {
      const u = r.uniform();
      const k = u * 2 ** 53;
      if (!(u >= 0 && u < 1 && Number.isInteger(k))) bad++;
      if (k % 2 === 1) oddLowBit++;
    }
    expect(bad).toBe(0);
    // The lowest of the 53 bits is a fair coin: N/2 ± 5·√N/2.
    expect(Math.abs(oddLowBit - N / 2)).toBeLessThan((5 * Math.sqrt(N)) / 2);
  });

  it('rng.uniform() passes Kolmogorov–Smirnov against U(0, 1) at the 1% level', () => {
    const r = createRng(11);
    const sample = Array.from({ length: N }, () => r.uniform());
    expect(ksStatistic(sample, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical1(N));
  });

  it('rng.normal() has mean 0, variance 1 and fourth moment 3 within 5 standard errors', () => {
    const r = createRng(3);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (let i = 0; i < N; i++) {
      const z = r.normal();
      m1 += z;
      m2 += z * z;
      m4 += z ** 4;
    }
    m1 /= N;
    m2 /= N;
    m4 /= N;
    // Standard errors for Z ~ N(0,1): sd(Z) = 1, sd(Z²) = √2, sd(Z⁴) = √(E Z⁸ − 9) = √96.
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it('rng.normal() passes Kolmogorov–Smirnov against Φ at the 1% level', () => {
    const r = createRng(5);
    const sample = Array.from({ length: N }, () => r.normal());
    expect(ksStatistic(sample, phi)).toBeLessThan(ksCritical1(N));
  });

  it('rng.int(n) is uniform on {0, …, n − 1} (chi-square at the 1% level)', () => {
    const r = createRng(9);
    const counts = new Array<number>(10).fill(0);
    let bad = 0;
    for (let i = 0; i < N; i++) {
      const k = r.int(10);
      if (Number.isInteger(k) && k >= 0 && k < 10) counts[k]!++;
      else bad++;
    }
    expect(bad).toBe(0);
    // χ²(9) 99th percentile = 21.666.
    expect(chiSquare(counts)).toBeLessThan(21.666);
  });

  it('rng.int(n) is unbiased when n does not divide 2^53 (rejection, not plain modulo)', () => {
    // n = 3·2⁵¹: plain "r mod n" on 53 bits would put probability 1/2 on the first third of the range.
    const n = 3 * 2 ** 51;
    const r = createRng(10);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[Math.floor(r.int(n) / 2 ** 51)]!++;
    // χ²(2) 99th percentile = 9.210.
    expect(chiSquare(counts)).toBeLessThan(9.21);
  });

  it('rng.int(n) returns 0 for n = 1 and rejects bad n with INVALID_INPUT', () => {
    const r = createRng(0);
    expect(r.int(1)).toBe(0);
    for (const bad of [0, -3, 2.5, Number.NaN, 2 ** 53 + 2]) {
      expect(() => r.int(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(() => r.int(0)).toThrow('rng.int: n must be an integer >= 1 and <= 2^53, got 0');
  });

  it('normalVector(rng, length) draws length normals in the order of rng.normal()', () => {
    const v = normalVector(createRng(4), 5);
    const r = createRng(4);
    expect(v).toBeInstanceOf(Float64Array);
    expect(Array.from(v)).toEqual([r.normal(), r.normal(), r.normal(), r.normal(), r.normal()]);
    expect(normalVector(createRng(4), 0).length).toBe(0);
  });

  it('normalVector(rng, length) rejects a bad length with INVALID_INPUT', () => {
    expect(() => normalVector(createRng(0), -1)).toThrow(
      'normalVector: length must be an integer >= 0, got -1',
    );
    expect(() => normalVector(createRng(0), 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('createRng(seed) and the dataset generators never call Math.random', () => {
    const spy = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    const r = createRng(1);
    r.uniform();
    r.normal();
    r.int(5);
    normalVector(r, 3);
    datasets.separable();
    datasets.nonSeparable();
    datasets.moons();
    datasets.unbalancedMoons();
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('createRng streams', () => {
  it('createRng(seed, stream) gives unrelated sequences per stream; stream 0 is createRng(seed)', () => {
    const draw = (r: ReturnType<typeof createRng>) => Array.from({ length: 64 }, () => r.normal());
    expect(draw(createRng(5, 0))).toEqual(draw(createRng(5)));
    const a = draw(createRng(0));
    const b = draw(createRng(0, RNG_STREAMS.init));
    expect(b).toEqual(draw(createRng(0, RNG_STREAMS.init)));
    // no shared values and no correlation beyond chance between the two streams
    const shared = a.filter((v) => b.includes(v));
    expect(shared).toEqual([]);
    const corr =
      a.reduce((s, v, i) => s + v * b[i]!, 0) /
      Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
    expect(Math.abs(corr)).toBeLessThan(0.5); // 4 standard errors at 64 draws
    expect(() => createRng(0, -1)).toThrow(/createRng: stream must be an integer >= 0/);
  });
});
