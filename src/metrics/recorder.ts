/**
 * The recorder contract of the training driver: a metric recorded along a run is a small object that writes
 * its fields into a history row at the recorded steps. Recorders are built once per run (they allocate their
 * buffers then) and read the run's shared buffers (θ, the margins of the last evaluation), so the step loop
 * itself allocates nothing. A recorder that carries state from one recorded step to the next (the warm start
 * of `sharpness`) saves and restores it with the run's resumable state.
 *
 * {@link selectRecorders} turns a task's table of metric groups and the user's `record.metrics` into the
 * recorders to run: the names are checked, a metric that needs an option (a reference, a test set) without
 * it is an `INVALID_INPUT` naming the option, and the defaults are the groups' defaults.
 * @packageDocumentation
 */
import { InvalidInputError } from '../errors/index.js';
import type { JsonValue } from '../util/json.js';
import { checkOneOf, show } from '../util/validate.js';

/** A history row under construction: `step` and `loss` are set by the driver, recorders add the rest. */
export type RowFields = Record<string, unknown>;

/** A metric recorded along a run. */
export interface Recorder {
  /** Writes this metric's fields into `row`, the state after `step` updates. */
  write(row: RowFields, step: number): void;
  /** The state carried between recorded steps, as JSON (only for recorders that have one). */
  save?(): JsonValue;
  /** Restores what {@link Recorder.save} returned. */
  load?(saved: JsonValue): void;
}

/**
 * Metrics that one recorder writes together (e.g. `angle` and `gap` from one pass), with the option they
 * need and which of them are recorded by default.
 */
export interface MetricGroup {
  /** The metric names this group writes. */
  readonly names: readonly string[];
  /** Which of `names` are recorded when `record.metrics` is not given (and `needs` is met). Default none. */
  readonly defaults?: readonly string[];
  /**
   * The option that must be given to record any of `names`: its path in messages, whether it was given, the
   * words for what cannot be recorded without it (default: the first name asked for), and a hint.
   */
  readonly needs?: { option: string; given: boolean; label?: string; hint?: string };
  /** Builds the recorder for the selected names (called only when at least one of `names` is selected). */
  make(selected: ReadonlySet<string>): Recorder;
}

/**
 * Checks `record.metrics` (an array of names, default the groups' defaults plus 'loss') against the groups'
 * names and their options, and builds the recorders of the groups that have a selected name, in group
 * order. 'loss' is always recorded by the driver and allowed in the list.
 */
export function selectRecorders(
  fn: string,
  list: unknown,
  groups: readonly MetricGroup[],
): { metrics: Set<string>; recorders: Recorder[] } {
  const known = ['loss', ...groups.flatMap((g) => g.names)];
  let names: readonly unknown[];
  if (list === undefined) {
    names = ['loss', ...groups.flatMap((g) => (g.needs?.given === false ? [] : (g.defaults ?? [])))];
  } else if (Array.isArray(list)) {
    names = list;
  } else {
    throw new InvalidInputError(fn, 'record.metrics', `must be an array of metric names, got ${show(list)}`);
  }
  const metrics = new Set(names.map((m, k) => checkOneOf(fn, `record.metrics[${k}]`, m, known)));
  const recorders: Recorder[] = [];
  for (const group of groups) {
    const selected = group.names.filter((m) => metrics.has(m));
    if (selected.length === 0) continue;
    const needs = group.needs;
    if (needs !== undefined && !needs.given) {
      const hint = needs.hint === undefined ? '' : ` (${needs.hint})`;
      throw new InvalidInputError(
        fn,
        needs.option,
        `is required to record ${needs.label ?? selected[0]}${hint}`,
      );
    }
    recorders.push(group.make(new Set(selected)));
  }
  return { metrics, recorders };
}
