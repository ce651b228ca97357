/**
 * Gives a schedule a `description` such as `inverseTime({ lr: 0.1, decay: 0.01 })`: its builder and its
 * validated options, every number written exactly. The training loops' resumable `state` fingerprints a
 * learning rate by it, so a state saved with one schedule is refused by a run with another (two closures of
 * the same builder have the same source text, so the text alone could not tell them apart). Internal.
 * @internal
 * @packageDocumentation
 */

/** Sets `description` on the schedule `f` (not enumerable, read-only) and returns `f`. */
export function describeSchedule(
  f: (step: number) => number,
  name: string,
  options: Readonly<Record<string, number>>,
): (step: number) => number {
  const fields = Object.entries(options)
    .map(([k, v]) => `${k}: ${Object.is(v, -0) ? '-0' : String(v)}`)
    .join(', ');
  Object.defineProperty(f, 'description', { value: `${name}({ ${fields} })` });
  return f;
}
