import type { HistoryRow, TrainWeightedResult } from '../gd/train/trainWeighted.js';
import { trainWeighted } from '../gd/train/trainWeighted.js';
import { trainOptions } from './trainConfig.js';

/** A training trace as plain JSON: the config, the outcome and the recorded rows (θ rows as arrays). */
export interface TrainTrace {
  config: unknown;
  status: TrainWeightedResult['status'];
  steps: number;
  divergedAt: number | null;
  stalledAt: number | null;
  theta: number[];
  history: Record<string, number | number[]>[];
}

function plainRow(row: HistoryRow): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const [k, v] of Object.entries(row))
    out[k] = v instanceof Float64Array ? Array.from(v) : (v as number);
  return out;
}

/**
 * Runs one training from a `TrainConfig` (parsed JSON; see trainConfig.ts) and returns its trace. A
 * divergence does not throw: the trace reports `status: 'diverged'` and the step.
 *
 * @example
 * ```ts
 * const trace = train({ data: { generator: 'figure1a' }, steps: 1000, reference: 'svm' });
 * trace.history.at(-1)?.angle;
 * ```
 */
export function train(config: unknown): TrainTrace {
  const res = trainWeighted(trainOptions(config));
  return {
    config,
    status: res.status,
    steps: res.steps,
    divergedAt: res.divergedAt,
    stalledAt: res.stalledAt,
    theta: Array.from(res.theta),
    history: res.history.map(plainRow),
  };
}

/**
 * The history of a trace as CSV: a header `step,loss,logLoss,…` (the scalar metrics, in the order of the
 * first row) and one line per recorded step; vector columns (θ) are left out. Numbers are written with
 * full precision (`String(x)`), so the CSV round-trips.
 *
 * @example
 * ```ts
 * traceToCsv(train({ data: { generator: 'figure1a' }, steps: 10 })).split('\n')[0]; // 'step,loss,logLoss,norm,margin'
 * ```
 */
export function traceToCsv(trace: TrainTrace): string {
  const first = trace.history[0] ?? {};
  const columns = Object.keys(first).filter((k) => typeof first[k] === 'number');
  const lines = [columns.join(',')];
  for (const row of trace.history) lines.push(columns.map((c) => String(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}
