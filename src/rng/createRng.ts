import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { InvalidInputError } from '../errors/index.js';
import { checkNumber, show } from '../util/validate.js';
import type { RngState, SeededRng } from './types.js';

const TWO_26 = 67108864;
const TWO_31 = 2147483648;
const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/** The murmur3 32-bit finalizer: a bijection on uint32 that spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The 128-bit xoroshiro128+ state for a safe-integer seed. The seed is split as hi·2³² + lo
 * (lo ∈ [0, 2³²), |hi| ≤ 2²¹); two state words are bijective hashes of lo and hi, so distinct seeds give
 * distinct states, and `hi ^ 0x85ebca6b` is never 0, so the state is never all zero (xoroshiro's fixed
 * point). pure-rand's own `xoroshiro128plus(seed)` keeps only the low 32 bits of the seed and puts nearby
 * seeds in nearby states, hence this seeding.
 */
function seedState(seed: number, stream: number): number[] {
  const hi = Math.floor(seed / TWO_32);
  const lo = seed - hi * TWO_32;
  const a = fmix32((lo ^ 0x9e3779b9) >>> 0);
  const b = fmix32(((hi | 0) ^ 0x85ebca6b) >>> 0);
  let c = fmix32((a ^ Math.imul(b, 0x9e3779b9) ^ 0xbb67ae85) >>> 0);
  let e = fmix32((b ^ Math.imul(a, 0x85ebca6b) ^ 0x3c6ef372) >>> 0);
  if (stream !== 0) {
    // Stream 0 keeps the plain seeding; other streams perturb the low state words by bijective hashes of
    // the stream index, so (seed, stream) pairs give unrelated states (word b, never 0, is untouched).
    c = fmix32((c ^ fmix32((stream ^ 0xa54ff53a) >>> 0)) >>> 0);
    e = fmix32((e ^ Math.imul(fmix32((stream ^ 0x510e527f) >>> 0), 0x9e3779b9)) >>> 0);
  }
  return [b, a, e, c];
}

/**
 * Named streams: independent sequences from one user seed. The datasets draw from stream 0
 * (`createRng(seed)`); `trainWeighted` draws its initialization from `createRng(seed, RNG_STREAMS.init)`,
 * so `datasets.separable({ seed: 0 })` and `trainWeighted({ seed: 0 })` do not share draws. The training
 * loops' mini-batch sampler draws from `createRng(batch.seed, RNG_STREAMS.batch)` and the dropout masks from
 * `createRng(seed, RNG_STREAMS.dropout)`.
 */
export const RNG_STREAMS = Object.freeze({ data: 0, init: 1, batch: 2, dropout: 3 });

/**
 * Creates a seeded {@link Rng} on pure-rand's xoroshiro128+ generator. The same seed gives bit-identical
 * draws on every platform; the library never uses the global unseeded generator.
 *
 * - `uniform()`: U = (⌊a / 2⁵⌋ · 2²⁶ + ⌊b / 2⁶⌋) / 2⁵³ from two 32-bit outputs a, b (53 random bits,
 *   U ∈ [0, 1); the weak low bits of xoroshiro128+ are discarded).
 * - `normal()`: N(0, 1) by the Marsaglia polar method: draw (v₁, v₂) uniform on the unit disc (s = v₁² + v₂²
 *   ∈ (0, 1)), return v₁·√(−2 ln s / s) and cache v₂·√(−2 ln s / s) for the next call.
 * - `int(n)`: uniform on {0, …, n − 1} for any integer 1 ≤ n ≤ 2⁵³, exactly unbiased: a 53-bit integer r is
 *   redrawn while r ≥ 2⁵³ − (2⁵³ mod n), then r mod n is returned.
 *
 * @param seed - any safe integer (|seed| ≤ 2⁵³ − 1); distinct seeds give distinct streams.
 * @param stream - an integer in [0, 2³²) selecting an independent stream for the same seed (default 0;
 *   see {@link RNG_STREAMS}).
 * - `state()` / `restore(state)`: the exact state (the 128 bits and the cached second normal) as plain JSON,
 *   and back: a generator restored from a saved state draws what the original drew after saving, bit for bit
 *   (the training loops keep their samplers' states in their resumable `state` this way).
 *
 * @returns a stateful generator; each call advances it.
 * @throws InvalidInputError (`INVALID_INPUT`) if `seed` is not a safe integer, or `int(n)` gets a bad `n`.
 * @example
 * ```ts
 * const rng = createRng(42);
 * const u = rng.uniform(); // in [0, 1)
 * const z = rng.normal();  // standard normal
 * const k = rng.int(10);   // in {0, …, 9}
 * ```
 */
export function createRng(seed: number, stream = 0): SeededRng {
  checkNumber('createRng', 'seed', seed, { integer: true });
  checkNumber('createRng', 'stream', stream, { integer: true, min: 0, max: 4294967295 });
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidInputError(
      'createRng',
      'seed',
      `must be a safe integer (|seed| <= 2^53 - 1), got ${show(seed)}`,
    );
  }
  let g = xoroshiro128plusFromState(seedState(seed, stream));
  let spare = 0;
  let hasSpare = false;

  const bits53 = (): number => (g.next() >>> 5) * TWO_26 + (g.next() >>> 6);

  const uniform = (): number => bits53() / TWO_53;

  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let v1: number;
    let v2: number;
    let s: number;
    do {
      v1 = 2 * uniform() - 1;
      v2 = 2 * uniform() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v2 * f;
    hasSpare = true;
    return v1 * f;
  };

  const int = (n: number): number => {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_53)) {
      throw new InvalidInputError('rng.int', 'n', `must be an integer >= 1 and <= 2^53, got ${show(n)}`);
    }
    // 2⁵³ mod n and r mod n are exact in float64 (fmod is exact); rejecting the top partial block
    // leaves a multiple of n equally likely outcomes.
    const limit = TWO_53 - (TWO_53 % n);
    let r = bits53();
    while (r >= limit) r = bits53();
    return r % n;
  };

  const state = (): RngState => ({ words: [...g.getState()], spare: hasSpare ? spare : null });

  const restore = (saved: RngState): void => {
    const s = saved as { words?: unknown; spare?: unknown } | null;
    const words = typeof s === 'object' && s !== null ? s.words : undefined;
    const isWord = (w: unknown): boolean =>
      Number.isInteger(w) && (w as number) >= -TWO_31 && (w as number) < TWO_31;
    if (!Array.isArray(words) || words.length !== 4 || !words.every(isWord) || words.every((w) => w === 0)) {
      throw new InvalidInputError(
        'rng.restore',
        'state.words',
        `must be four 32-bit integers, not all 0 (from rng.state()), got ${show(words)}`,
      );
    }
    const sp = (s as { spare?: unknown }).spare;
    if (sp !== null && !(typeof sp === 'number' && Number.isFinite(sp))) {
      throw new InvalidInputError(
        'rng.restore',
        'state.spare',
        `must be null or a finite number, got ${show(sp)}`,
      );
    }
    g = xoroshiro128plusFromState(words as number[]);
    hasSpare = sp !== null;
    spare = sp === null ? 0 : sp;
  };

  return { uniform, normal, int, state, restore };
}
