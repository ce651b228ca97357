/**
 * Plain-JSON encodings that round-trip float64 values exactly, and a fast non-cryptographic fingerprint
 * hash. Used by the resumable training state (`TrainState`) and by the recorders that carry state across
 * a resume. Internal.
 *
 * `JSON.stringify` writes every finite double with enough digits to read it back bit for bit, but turns −0
 * into 0 and NaN/±Infinity into null. {@link encodeNumber} writes those four as the strings '-0', 'NaN',
 * 'Infinity' and '-Infinity' instead, so `decodeNumber(JSON.parse(JSON.stringify(encodeNumber(x))))` is `x`
 * for every double (NaN payloads aside).
 * @internal
 * @packageDocumentation
 */
import { hashWords } from '../kernels/hash.js';

/** A JSON value: what `JSON.parse` returns. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A float64 as JSON: the number itself, or one of four strings for the values JSON has no literal for. */
export type JsonNumber = number | '-0' | 'NaN' | 'Infinity' | '-Infinity';

/** x as a {@link JsonNumber}. */
export function encodeNumber(x: number): JsonNumber {
  if (x === 0) return Object.is(x, -0) ? '-0' : 0;
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

/** The double a {@link JsonNumber} stands for; `undefined` for anything else. */
export function decodeNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  switch (v) {
    case '-0':
      return -0;
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** A vector as an array of {@link JsonNumber}s. */
export function encodeVector(a: ArrayLike<number>): JsonNumber[] {
  const out: JsonNumber[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = encodeNumber(a[i]!);
  return out;
}

/** The vector of an array of {@link JsonNumber}s, or null when `v` is not one (or not of `length`). */
export function decodeVector(v: unknown, length?: number): Float64Array | null {
  if (!Array.isArray(v) || (length !== undefined && v.length !== length)) return null;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = decodeNumber(v[i]);
    if (x === undefined) return null;
    out[i] = x;
  }
  return out;
}

/**
 * A value made of numbers, strings, booleans, null, `Float64Array`s, arrays and plain objects, as JSON:
 * numbers as {@link JsonNumber}s, a `Float64Array` as `{ f64: JsonNumber[] }`, an `Int32Array` as
 * `{ i32: number[] }`. Throws a `TypeError` naming the path on anything else (functions, other classes).
 * {@link decodeValue} inverts it.
 */
export function encodeValue(v: unknown, path = 'value'): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return encodeNumber(v);
  if (v instanceof Float64Array) return { f64: encodeVector(v) };
  if (v instanceof Int32Array) return { i32: Array.from(v) };
  if (Array.isArray(v)) return v.map((x, k) => encodeValue(x, `${path}[${k}]`));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== undefined) out[key] = encodeValue(x, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path} is not plain data (numbers, arrays, Float64Array, plain objects)`);
}

/** Inverts {@link encodeValue}. Throws a `TypeError` naming the path on a malformed value. */
export function decodeValue(v: unknown, path = 'value'): unknown {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'string') {
    const x = decodeNumber(v);
    return x === undefined ? v : x;
  }
  if (Array.isArray(v)) return v.map((x, k) => decodeValue(x, `${path}[${k}]`));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'f64') {
      const a = decodeVector(o.f64);
      if (a === null) throw new TypeError(`${path}.f64 is not an array of numbers`);
      return a;
    }
    if (keys.length === 1 && keys[0] === 'i32') {
      if (!Array.isArray(o.i32) || !o.i32.every((x) => Number.isInteger(x))) {
        throw new TypeError(`${path}.i32 is not an array of integers`);
      }
      return Int32Array.from(o.i32 as number[]);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = decodeValue(o[key], `${path}.${key}`);
    return out;
  }
  throw new TypeError(`${path} is not JSON`);
}

/**
 * A 64-bit fingerprint (16 hex digits) of a sequence of 32-bit words, strings and doubles: four murmur3-style
 * lanes (word i into lane i mod 4, see `hashWords`), finalized together with the word count. Fast (about 1 ns
 * per word), not cryptographic: it tells data apart, it does not resist an adversary.
 */
export class Fingerprint {
  private readonly lanes = Int32Array.of(0x9747b28c, 0x2545f491, 0x61c88647, 0x3c6ef372);
  private count = 0;
  private readonly one = new Int32Array(1);

  /** Mixes one 32-bit word. */
  word(k: number): this {
    this.one[0] = k;
    hashWords(this.lanes, this.one, 1, this.count);
    this.count++;
    return this;
  }

  /** Mixes the bytes of `a` (its length first), 32 bits at a time. */
  doubles(a: Float64Array): this {
    this.word(a.length);
    const w = new Int32Array(a.buffer, a.byteOffset, a.length * 2);
    hashWords(this.lanes, w, w.length, this.count);
    this.count += w.length;
    return this;
  }

  /** Mixes one double (its 8 bytes). */
  double(x: number): this {
    return this.doubles(Float64Array.of(x));
  }

  /** Mixes a string (its length, then its UTF-16 code units). */
  string(s: string): this {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    return this;
  }

  /** The 16-hex-digit digest (the state is not reset). */
  digest(): string {
    const fmix = (h: number): number => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      return (h ^ (h >>> 16)) >>> 0;
    };
    const [l0, l1, l2, l3] = this.lanes as unknown as [number, number, number, number];
    const a = fmix(l0 ^ Math.imul(l2, 0x9e3779b9) ^ this.count);
    const b = fmix(l1 ^ Math.imul(l3, 0x85ebca6b) ^ Math.imul(this.count, 0x9e3779b9));
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}

/** The fingerprint of one vector. */
export function hashVector(a: ArrayLike<number>): string {
  return new Fingerprint().doubles(a instanceof Float64Array ? a : Float64Array.from(a)).digest();
}
