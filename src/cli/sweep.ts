import { InvalidInputError } from '../errors/index.js';
import { checkKnownKeys, checkNumber, checkObject, show } from '../util/validate.js';
import { train } from './train.js';

/** A sweep: a base `TrainConfig` and a grid of values for dotted paths into it. */
export interface SweepConfig {
  base: Record<string, unknown>;
  /** path → values, e.g. `{ "optimizer.lr": [0.01, 0.1], "seed": [0, 1, 2] }`. */
  grid: Record<string, unknown[]>;
}

/** One line of a sweep's output (JSON lines: shards merge by concatenation; sort by `index` if needed). */
export interface SweepLine {
  index: number;
  params: Record<string, unknown>;
  status: string;
  steps: number;
  seconds: number;
  /** The last recorded row (scalars only). */
  final: Record<string, number>;
}

const FN = 'sweep';

/**
 * The grid's points in a fixed order: the cartesian product of the value lists, the last path varying
 * fastest (like nested loops written in the grid's key order). Point k of the product is the same on every
 * machine, which is what makes `--shard` splits reproducible.
 *
 * @example
 * ```ts
 * gridPoints({ lr: [1, 2], seed: [0, 1] }); // [{ lr: 1, seed: 0 }, { lr: 1, seed: 1 }, { lr: 2, seed: 0 }, { lr: 2, seed: 1 }]
 * ```
 */
export function gridPoints(grid: Record<string, unknown[]>): Record<string, unknown>[] {
  const keys = Object.keys(grid);
  let points: Record<string, unknown>[] = [{}];
  for (const key of keys) {
    const values = grid[key];
    if (!Array.isArray(values) || values.length === 0) {
      throw new InvalidInputError(
        FN,
        `grid.${key}`,
        `must be a non-empty array of values, got ${show(values)}`,
      );
    }
    const next: Record<string, unknown>[] = [];
    for (const p of points) for (const v of values) next.push({ ...p, [key]: v });
    points = next;
  }
  return points;
}

/**
 * Reads `"i/N"` (1 ≤ i ≤ N): shard i of N takes the grid points k with k mod N = i − 1.
 *
 * @example
 * ```ts
 * parseShard('2/4'); // { index: 2, count: 4 }
 * ```
 */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) {
    throw new InvalidInputError(FN, 'shard', `must be i/N with 1 ≤ i ≤ N (e.g. 2/4), got ${show(value)}`);
  }
  return { index, count };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (let k = 0; k < parts.length - 1; k++) {
    const key = parts[k]!;
    const next = o[key];
    o[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as object) } : {};
    o = o[key] as Record<string, unknown>;
  }
  o[parts.at(-1)!] = value;
}

/**
 * Runs this shard's points of a sweep, calling `emit` with one {@link SweepLine} per point as it finishes.
 *
 * @example
 * ```ts
 * const lines: SweepLine[] = [];
 * sweep({ base: { data: { generator: 'figure1a' }, steps: 1000 }, grid: { 'optimizer.lr': [0.01, 0.1] } },
 *   { index: 1, count: 1 }, (l) => lines.push(l));
 * ```
 */
export function sweep(
  config: unknown,
  shard: { index: number; count: number },
  emit: (line: SweepLine) => void,
): number {
  const c = checkObject(FN, 'config', config, false);
  checkKnownKeys(FN, c, ['base', 'grid']);
  const base = checkObject(FN, 'base', c.base, false);
  const grid = checkObject(FN, 'grid', c.grid, false) as Record<string, unknown[]>;
  checkNumber(FN, 'shard.count', shard.count, { integer: true, min: 1 });
  const points = gridPoints(grid);
  let ran = 0;
  points.forEach((params, index) => {
    if (index % shard.count !== shard.index - 1) return;
    const cfg: Record<string, unknown> = structuredClone(base);
    for (const [path, v] of Object.entries(params)) setPath(cfg, path, v);
    const t0 = performance.now();
    const trace = train({ ...cfg, record: { ...(cfg.record as object | undefined), points: 1 } });
    const last = trace.history.at(-1) ?? {};
    const final: Record<string, number> = {};
    for (const [k, v] of Object.entries(last)) if (typeof v === 'number') final[k] = v;
    emit({
      index,
      params,
      status: trace.status,
      steps: trace.steps,
      seconds: (performance.now() - t0) / 1000,
      final,
    });
    ran++;
  });
  return ran;
}
