/**
 * The bench's summary: a heatmap of the ratios ours / peer over the grid, and a log–log figure of time per
 * step against n with the fitted exponents, both as SVG (Vega-Lite through src/plot), for docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VegaLiteSpec } from '../src/plot/figureSpec.js';
import { specToSvg } from '../src/plot/specToSvg.js';
import type { BenchRow } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The slope of log(time) against log(n) by least squares: time ∝ n^slope. */
export function scalingExponent(points: readonly { n: number; ms: number }[]): number {
  const xs = points.map((p) => Math.log(p.n));
  const ys = points.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < xs.length; k++) {
    sxy += (xs[k]! - mx) * (ys[k]! - my);
    sxx += (xs[k]! - mx) ** 2;
  }
  return sxy / sxx;
}

/** The series of scaling rows: one per bench and workload family (the workload without its n). */
export function scalingSeries(rows: readonly BenchRow[]): Map<string, { n: number; ms: number }[]> {
  const series = new Map<string, { n: number; ms: number }[]>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (!r.scaling) continue;
    const id = `${r.bench}: ${r.workload.replace(/\s*n=\d+/, '')}`;
    if (seen.has(`${id}|${r.n}`)) continue;
    seen.add(`${id}|${r.n}`);
    const list = series.get(id) ?? [];
    list.push({ n: r.n, ms: r.oursMs });
    series.set(id, list);
  }
  return series;
}

function heatmapSpec(rows: readonly BenchRow[]): VegaLiteSpec {
  const values = rows
    .filter((r) => r.peerMs !== null && !r.scaling)
    .map((r) => ({
      workload: `${r.bench}: ${r.workload}`,
      peer: r.peer,
      ratio: r.oursMs / r.peerMs!,
      label: `${(r.oursMs / r.peerMs!).toFixed(2)}`,
    }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'ours / peer time (below 1: faster than the peer)',
    data: { values },
    width: 260,
    height: { step: 22 },
    encoding: {
      y: { field: 'workload', type: 'nominal', sort: null, title: null },
      x: { field: 'peer', type: 'nominal', title: null, axis: { labelAngle: 0 } },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'ratio',
            type: 'quantitative',
            scale: { type: 'log', scheme: 'redyellowgreen', reverse: true, domainMid: 1 },
            title: 'ratio',
          },
        },
      },
      { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'label', type: 'nominal' } } },
    ],
  } as unknown as VegaLiteSpec;
}

function scalingSpec(series: Map<string, { n: number; ms: number }[]>): VegaLiteSpec {
  const values = [...series].flatMap(([id, points]) => {
    const slope = scalingExponent(points);
    return points.map((p) => ({ series: `${id} (∝ n^${slope.toFixed(2)})`, n: p.n, ms: p.ms }));
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'time per step against n (log–log)',
    data: { values },
    width: 420,
    height: 260,
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'n', type: 'quantitative', scale: { type: 'log' }, title: 'n' },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms per step' },
      color: { field: 'series', type: 'nominal', legend: { orient: 'bottom', columns: 1 } },
    },
  } as unknown as VegaLiteSpec;
}

/** Writes docs/figures/bench-ratios.svg and docs/figures/bench-scaling.svg; returns their paths. */
export async function writeBenchFigures(rows: readonly BenchRow[]): Promise<string[]> {
  const dir = join(here, '..', 'docs', 'figures');
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  const heat = join(dir, 'bench-ratios.svg');
  writeFileSync(heat, await specToSvg(heatmapSpec(rows)));
  out.push(heat);
  const series = scalingSeries(rows);
  if (series.size > 0) {
    const scaling = join(dir, 'bench-scaling.svg');
    writeFileSync(scaling, await specToSvg(scalingSpec(series)));
    out.push(scaling);
  }
  return out;
}
