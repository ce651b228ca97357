import { InvalidInputError } from '../../errors/index.js';
import { checkNumber, checkOneOf, show } from '../../util/validate.js';

/** Where a training loop records its metrics. */
export interface RecordSchedule {
  /** 'log' (default): about `points` steps spaced evenly in log t; 'linear': every ⌈steps/points⌉ steps. */
  scale?: 'log' | 'linear';
  /** About how many rows to keep (default 200). Step 0 and the last step are always kept. */
  points?: number;
  /** Exactly these steps (integers in [0, steps]); overrides `scale` and `points`. */
  at?: readonly number[];
}

/**
 * The sorted, distinct steps at which to record, always including 0 and `steps`.
 * Log spacing keeps a 10⁶-step run to a few hundred rows: steps round(10^(k·log₁₀(steps)/points)).
 *
 * @example
 * recordSteps(1000, { scale: 'log', points: 3 }); // [0, 1, 10, 100, 1000]
 */
export function recordSteps(steps: number, schedule: RecordSchedule = {}, fn = 'recordSteps'): Int32Array {
  checkNumber(fn, 'steps', steps, { integer: true, min: 0 });
  const set = new Set<number>([0, steps]);
  if (schedule.at !== undefined) {
    if (!Array.isArray(schedule.at)) {
      throw new InvalidInputError(fn, 'record.at', `must be an array of steps, got ${show(schedule.at)}`);
    }
    schedule.at.forEach((s, k) => {
      checkNumber(fn, `record.at[${k}]`, s, { integer: true, min: 0, max: steps });
      set.add(s);
    });
  } else {
    const scale =
      schedule.scale === undefined
        ? 'log'
        : checkOneOf(fn, 'record.scale', schedule.scale, ['log', 'linear']);
    const points =
      schedule.points === undefined
        ? 200
        : checkNumber(fn, 'record.points', schedule.points, { integer: true, min: 1 });
    if (scale === 'linear') {
      const every = Math.max(1, Math.ceil(steps / points));
      for (let s = 0; s <= steps; s += every) set.add(s);
    } else if (steps >= 1) {
      const top = Math.log10(steps);
      for (let k = 0; k <= points; k++) set.add(Math.min(steps, Math.round(10 ** ((k * top) / points))));
    }
  }
  return Int32Array.from([...set].sort((a, b) => a - b));
}
