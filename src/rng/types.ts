/**
 * A seeded source of randomness. The library never uses the global unseeded generator: every random draw goes
 * through an `Rng` built from a seed, so the same seed gives bit-identical draws.
 */
export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Uniform integer in [0, n) (n a positive integer). */
  int(n: number): number;
}

/**
 * The exact state of a generator made by `createRng`: xoroshiro128+'s 128-bit state as four signed 32-bit
 * words (pure-rand's `getState()` order) and the second normal of the last Marsaglia pair, cached for the
 * next `normal()` call (null when none is cached). Plain JSON: `JSON.parse(JSON.stringify(state))` restores
 * it exactly (every entry is a finite double).
 */
export interface RngState {
  readonly words: readonly number[];
  readonly spare: number | null;
}

/** The {@link Rng} of `createRng`, whose state can be read and restored exactly. */
export interface SeededRng extends Rng {
  /** The current state (a fresh plain object; later draws do not change it). */
  state(): RngState;
  /**
   * Puts the generator in `state` (from {@link SeededRng.state}): the draws that follow are those that
   * followed when the state was read, bit for bit. Throws INVALID_INPUT for anything else.
   */
  restore(state: RngState): void;
}
