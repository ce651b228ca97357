/**
 * Deterministic generators for test data (no Math.random, no library code). Two kinds, kept apart because
 * the data a test was written and tuned on depend on which one it used.
 */

/** A 64-bit LCG (Knuth's MMIX constants), the top 53 bits of the state: uniform in [0, 1). */
export function lcg(seed: number): () => number {
  let s = BigInt(seed) & 0xffffffffffffffffn;
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(s >> 11n) / 2 ** 53;
  };
}

/** Park–Miller's minimal standard generator (multiplier 48271, modulus 2³¹ − 1): uniform in (0, 1). */
export function minstd(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

/** A random symmetric positive definite d×d matrix BᵀB + 0.3·I with B uniform in [−1, 1], drawn from `rand`. */
export function randomSpd(d: number, rand: () => number): number[][] {
  const B = Array.from({ length: d }, () => Array.from({ length: d }, () => 2 * rand() - 1));
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => {
      let s = i === j ? 0.3 : 0;
      for (let k = 0; k < d; k++) s += B[k]![i]! * B[k]![j]!;
      return s;
    }),
  );
}
