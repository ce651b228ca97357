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
