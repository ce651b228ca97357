import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashWords } from '../../src/kernels/hash.js';
import { Fingerprint, hashVector } from '../../src/util/json.js';

describe('hashWords (the fingerprint kernel)', () => {
  it('hashWords(lanes, words, n, first) equals mixing the words one at a time, for every lane offset and length (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 23 }),
        fc.integer({ min: 0, max: 7 }),
        (list, first) => {
          const words = Int32Array.from(list);
          const start = Int32Array.of(1, 2, 3, 4);
          const bulk = hashWords(Int32Array.from(start), words, words.length, first);
          const single = Int32Array.from(start);
          for (let i = 0; i < words.length; i++) hashWords(single, words.subarray(i, i + 1), 1, first + i);
          expect(Array.from(bulk)).toEqual(Array.from(single));
        },
      ),
    );
  });

  it('returns its lanes argument and changes only lanes that received a word', () => {
    const lanes = Int32Array.of(5, 6, 7, 8);
    expect(hashWords(lanes, Int32Array.of(9, 10), 2, 1)).toBe(lanes);
    expect(lanes[0]).toBe(5);
    expect(lanes[3]).toBe(8);
    expect(lanes[1]).not.toBe(6);
    expect(lanes[2]).not.toBe(7);
  });
});

describe('Fingerprint', () => {
  it('tells apart vectors that differ in one bit, in order, or in length, and −0 from 0', () => {
    const a = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const b = Float64Array.from(a);
    b[517] = b[517]! * (1 + 2 ** -52);
    const c = Float64Array.from(a).reverse();
    const digests = [a, b, c, a.subarray(0, 999), Float64Array.of(0), Float64Array.of(-0)].map(hashVector);
    expect(new Set(digests).size).toBe(digests.length);
    expect(hashVector(Float64Array.from(a))).toBe(hashVector(a));
  });

  it('a vector fed in pieces at any offset gives the same digest as the same words fed one by one', () => {
    const a = Float64Array.from({ length: 37 }, (_, i) => i * 1.5 - 7);
    const words = new Int32Array(a.buffer);
    const f = new Fingerprint().string('x').doubles(a);
    const g = new Fingerprint().string('x').word(a.length);
    for (const w of words) g.word(w);
    expect(f.digest()).toBe(g.digest());
    expect(f.digest()).toMatch(/^[0-9a-f]{16}$/);
  });
});
