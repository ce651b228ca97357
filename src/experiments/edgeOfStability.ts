import { datasets } from '../datasets/datasets.js';
import { gd } from '../gd/optimizers/gd.js';
import { trainWeighted } from '../gd/train/trainWeighted.js';
import { logistic } from '../losses/logistic.js';
import { mlp } from '../mlp/mlp.js';
import { band, bands, resolveOptions } from './internal.js';
import type { ExperimentOptions, ExperimentResult, LineSeries } from './types.js';

export const EDGE_OF_STABILITY = {
  name: 'edge-of-stability',
  description:
    'GD on a ReLU net: the sharpness rises to 2/η (progressive sharpening) and hovers there while the loss keeps falling, non-monotonically',
  seeds: 10,
  steps: { small: 400, default: 10_000 },
} as const;

const LR = 1;
const WIDTHS = [2, 20, 1] as const;
/** Sharpness is read at steps k·SPACING and k·SPACING + 1 (GD at the edge oscillates with period 2). */
const SPACING = 100;
/** "Reached 2/η": the pair mean within 5 % of it. */
const REACHED = 0.95;

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The slides' "Dynamics of GD: Edge of Stability" (Cohen et al., ICLR 2021) on a small ReLU network: full-batch
 * GD with step η = 1 on `mlp({ widths: [2, 20, 1] })`, logistic loss, `datasets.moons({ n: 100, seed: s + 1 })`,
 * init N(0, 1) from seed s. The sharpness λ_max(∇²L) (`sharpness`, Lanczos, recorded by `trainWeighted`) is read
 * at steps 100k and 100k + 1 and averaged per pair — at the edge GD oscillates with period 2 and single readings
 * alternate by up to a factor 3. A second run of the same seed records the loss at every step, to count the
 * steps on which it rose. Panels: the pair-mean sharpness against 2/η (dashed), the loss, and the share of
 * steps in each window of 100 on which the loss went up; mean and min–max band over seeds. Runs that diverge
 * are left out and counted in the summary.
 *
 * @example
 * ```ts
 * const result = await edgeOfStability({ seeds: 2, steps: 'small' });
 * result.panels.map((p) => p.id); // ['sharpness', 'loss', 'lossRises']
 * ```
 */
export async function edgeOfStability(options?: ExperimentOptions): Promise<ExperimentResult> {
  const r = resolveOptions('edge-of-stability', EDGE_OF_STABILITY, options);
  r.total(r.seeds.length);
  const pairs = Math.floor(r.steps / SPACING);
  const xs = Array.from({ length: pairs }, (_, k) => k * SPACING);
  const at = xs.flatMap((t) => [t, t + 1]);
  const edge = 2 / LR;
  const sharp: number[][] = [];
  const loss: number[][] = [];
  const rises: number[][] = [];
  const crossing: number[] = [];
  const medianAfter: number[] = [];
  const nearShare: number[] = [];
  const riseShare: number[] = [];
  const single: number[] = [];
  let diverged = 0;
  for (const seed of r.seeds) {
    const data = datasets.moons({ n: 100, seed: seed + 1 });
    const common = {
      data,
      model: mlp({ widths: [...WIDTHS] }),
      loss: logistic,
      optimizer: gd({ lr: LR }),
      seed,
      steps: r.steps,
      onDiverge: 'stop',
    } as const;
    const run = trainWeighted({ ...common, record: { at, metrics: ['loss', 'sharpness'] } });
    const every = trainWeighted({
      ...common,
      record: { scale: 'linear', points: r.steps + 1, metrics: ['loss'] },
    });
    r.tick();
    if (run.status !== 'completed' || every.status !== 'completed') {
      diverged++;
      continue;
    }
    const bySteps = new Map(run.history.map((row) => [row.step, row]));
    const s = xs.map((t) => (bySteps.get(t)!.sharpness! + bySteps.get(t + 1)!.sharpness!) / 2);
    for (const t of at) single.push(bySteps.get(t)!.sharpness!);
    sharp.push(s);
    loss.push(xs.map((t) => bySteps.get(t)!.loss));
    const l = every.history.map((row) => row.loss);
    const up = xs.map((t) => {
      let k = 0;
      for (let j = t + 1; j <= Math.min(t + SPACING, r.steps); j++) if (l[j]! > l[j - 1]!) k++;
      return k / SPACING;
    });
    rises.push(up);
    let total = 0;
    for (let j = 1; j < l.length; j++) if (l[j]! > l[j - 1]!) total++;
    riseShare.push(total / (l.length - 1));
    const first = s.findIndex((v) => v >= REACHED * edge);
    if (first >= 0) {
      crossing.push(xs[first]!);
      const after = s.slice(first);
      medianAfter.push(median(after) / edge);
      nearShare.push(after.filter((v) => v >= 0.75 * edge && v <= 1.25 * edge).length / after.length);
    }
  }
  const completed = sharp.length;
  const summary: Record<string, number> = {
    'runs completed': completed,
    'runs diverged': diverged,
    'runs whose sharpness reached 0.95·2/η': crossing.length,
  };
  if (crossing.length > 0) {
    const c = band(0, crossing);
    summary['first step at 0.95·2/η (min)'] = c.min;
    summary['first step at 0.95·2/η (max)'] = c.max;
    const m = band(0, medianAfter);
    summary['median sharpness after the crossing / (2/η) (min)'] = m.min;
    summary['median sharpness after the crossing / (2/η) (max)'] = m.max;
    summary['runs hovering above 2/η (median after the crossing > 2/η)'] = medianAfter.filter(
      (v) => v > 1,
    ).length;
    summary['share of later readings within [0.75, 1.25]·2/η (min)'] = band(0, nearShare).min;
  }
  if (completed > 0) {
    summary['sharpness at step 0, pair mean (min)'] = band(
      0,
      sharp.map((t) => t[0]!),
    ).min;
    summary['sharpness at step 0, pair mean (max)'] = band(
      0,
      sharp.map((t) => t[0]!),
    ).max;
    summary['single sharpness readings (min)'] = Math.min(...single);
    summary['single sharpness readings (max)'] = Math.max(...single);
    const rs = band(0, riseShare);
    summary['share of steps on which the loss rose (min)'] = rs.min;
    summary['share of steps on which the loss rose (max)'] = rs.max;
    const l0 = band(
      0,
      loss.map((t) => t[0]!),
    );
    const lEnd = band(
      0,
      loss.map((t) => t.at(-1)!),
    );
    summary['loss at step 0 (min)'] = l0.min;
    summary['loss at step 0 (max)'] = l0.max;
    summary['loss at the last reading (min)'] = lEnd.min;
    summary['loss at the last reading (max)'] = lEnd.max;
  }
  const edgeSeries: LineSeries = {
    label: '2/η',
    points: xs.map((x) => ({ x, mean: edge, std: 0, min: edge, max: edge })),
    reference: true,
  };
  const measured = (label: string, traces: number[][]): LineSeries[] =>
    traces.length === 0 ? [] : [{ label, points: bands(xs, traces) }];
  return {
    name: 'edge-of-stability',
    title: 'Edge of stability: the sharpness rises to 2/η and stays there while the loss keeps falling',
    caption:
      `Full-batch GD, η = ${LR}, on a bias-free ReLU net [${WIDTHS.join(', ')}] with the logistic loss on ` +
      `moons (n = 100), init N(0, 1), ${completed} of ${r.seeds.length} seeds (${diverged} diverged); ` +
      `sharpness λ_max(∇²L) by Lanczos, the mean of the readings at steps t and t + 1 every ${SPACING} steps ` +
      '(GD oscillates with period 2 at the edge); loss at the same steps; share of steps in each window of ' +
      `${SPACING} on which the loss rose. Mean and min–max band over seeds; dashed: 2/η.`,
    settings: {
      seeds: r.seeds,
      steps: r.steps,
      lr: LR,
      widths: [...WIDTHS],
      loss: 'logistic',
      data: 'moons({ n: 100, seed: s + 1 })',
      sharpnessEvery: SPACING,
    },
    panels: [
      {
        kind: 'lines',
        id: 'sharpness',
        title: 'sharpness (pair mean) against 2/η',
        x: { label: 'step t', scale: 'linear' },
        y: { label: 'λ_max(∇²L(θ))', scale: 'linear' },
        series: [...measured('GD, η = 1', sharp), edgeSeries],
      },
      {
        kind: 'lines',
        id: 'loss',
        title: 'training loss',
        x: { label: 'step t', scale: 'linear' },
        y: { label: 'L(θ)', scale: 'log' },
        series: measured('GD, η = 1', loss),
      },
      {
        kind: 'lines',
        id: 'lossRises',
        title: `share of steps on which the loss rose (windows of ${SPACING})`,
        x: { label: 'step t', scale: 'linear' },
        y: { label: 'share of steps with L(θₜ₊₁) > L(θₜ)', scale: 'linear' },
        series: measured('GD, η = 1', rises),
      },
    ],
    summary,
  };
}
