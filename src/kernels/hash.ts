/**
 * The bulk loop of the fingerprint hash (`util/json.ts` `Fingerprint`): four murmur3-style lanes, word i of
 * the stream going to lane (first + i) mod 4. Four independent lanes let the multiplies of consecutive words
 * overlap (one lane would be one long dependency chain): about 1 ns per word here.
 */

/** Mixes one word into one lane (murmur3's body step). */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Mixes words[0…n) into `lanes` (length 4, updated in place and returned), the first word into lane
 * `first` mod 4. No allocation.
 */
export function hashWords(lanes: Int32Array, words: Int32Array, n: number, first: number): Int32Array {
  let l0 = lanes[0]!;
  let l1 = lanes[1]!;
  let l2 = lanes[2]!;
  let l3 = lanes[3]!;
  let i = 0;
  let lane = first & 3;
  // Head: one word at a time until the next word goes to lane 0.
  for (; i < n && lane !== 0; i++, lane = (lane + 1) & 3) {
    if (lane === 1) l1 = mix(l1, words[i]!);
    else if (lane === 2) l2 = mix(l2, words[i]!);
    else l3 = mix(l3, words[i]!);
  }
  for (; i + 4 <= n; i += 4) {
    l0 = mix(l0, words[i]!);
    l1 = mix(l1, words[i + 1]!);
    l2 = mix(l2, words[i + 2]!);
    l3 = mix(l3, words[i + 3]!);
  }
  for (lane = 0; i < n; i++, lane++) {
    if (lane === 0) l0 = mix(l0, words[i]!);
    else if (lane === 1) l1 = mix(l1, words[i]!);
    else l2 = mix(l2, words[i]!);
  }
  lanes[0] = l0;
  lanes[1] = l1;
  lanes[2] = l2;
  lanes[3] = l3;
  return lanes;
}
