import type { ExperimentResult, LinePanel, Panel, PlanePanel, RegionPanel } from '../experiments/types.js';
import { clipLine, regionCells, wrap } from './internal.js';

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** Options of {@link figureSpec}. */
export interface FigureSpecOptions {
  /** Width of one panel in pixels (default 300). */
  width?: number;
  /** Height of one panel in pixels (default 240). */
  height?: number;
}

/** Labels only at powers of ten on log axes (vega draws 2…9 × 10ᵏ ticks too), in plain or e-notation. */
const LOG_LABEL =
  "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) > 1e-6 ? '' : " +
  "(datum.value >= 1e-3 && datum.value <= 1e4 ? format(datum.value, '~g') : format(datum.value, '.0e'))";

/** Panels and layers keep their own scales and legends (one panel's series are not another's). */
const INDEPENDENT = {
  scale: { color: 'independent', opacity: 'independent', strokeDash: 'independent' },
  legend: { color: 'independent', opacity: 'independent' },
};

/** Opacity of a point group: training points solid, held-out ones faint, other groups in between. */
const GROUP_OPACITY: Record<string, number> = { train: 0.75, test: 0.2 };

const CLASS_COLORS = ['#1f77b4', '#ff7f0e']; // the paper's blue (−1) and orange (+1)

function lineSpec(panel: LinePanel, width: number, height: number): VegaLiteSpec {
  const logX = panel.x.scale === 'log';
  const logY = panel.y.scale === 'log';
  const values: Record<string, unknown>[] = [];
  for (const s of panel.series) {
    for (const p of s.points) {
      if (logX && !(p.x > 0)) continue;
      if (logY && !(p.mean > 0)) continue;
      const lo = logY && !(p.min > 0) ? p.mean : p.min;
      values.push({
        series: s.label,
        kind: s.reference === true ? 'reference' : 'measured',
        x: p.x,
        mean: p.mean,
        min: lo,
        max: p.max,
      });
    }
  }
  const xsAll = values.map((v) => v.x as number);
  const span = xsAll.length > 0 ? Math.max(...xsAll) / Math.min(...xsAll) : 1;
  const x = {
    field: 'x',
    type: 'quantitative',
    title: panel.x.label,
    scale: logX ? { type: 'log', nice: false } : { zero: false, nice: false },
    axis: logX && span >= 30 ? { labelExpr: LOG_LABEL, grid: true } : {},
  };
  // On a log y axis a band reaching far below every mean (a seed at exactly 0, or 1e-15) would squash the
  // curves: the domain follows the means (down to 1/30 of the smallest) and the band is clipped there.
  let scaleY: Record<string, unknown> = { zero: false };
  if (logY) {
    const means = values.map((v) => v.mean as number);
    const highs = values.map((v) => v.max as number);
    const lo = Math.min(...means) / 30;
    const hi = Math.max(...highs, ...means);
    scaleY = means.length > 0 ? { type: 'log', domain: [lo, hi], nice: false } : { type: 'log' };
    for (const v of values) v.min = Math.max(v.min as number, lo);
  }
  const axisY = logY ? { labelExpr: LOG_LABEL } : {};
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: panel.series.map((s) => s.label),
    legend: { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolOpacity: 1, labelLimit: 360 },
  };
  return {
    title: panel.title,
    width,
    height,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18, clip: true },
        transform: [{ filter: "datum.kind === 'measured'" }],
        encoding: {
          x,
          y: {
            field: 'min',
            type: 'quantitative',
            scale: scaleY,
            title: panel.y.label,
            axis: axisY,
            stack: null,
          },
          y2: { field: 'max' },
          color,
        },
      },
      {
        mark: { type: 'line', strokeWidth: 1.8, clip: true },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', scale: scaleY, title: panel.y.label, axis: axisY },
          color,
          strokeDash: {
            field: 'kind',
            type: 'nominal',
            scale: {
              domain: ['measured', 'reference'],
              range: [
                [1, 0],
                [5, 4],
              ],
            },
            legend: null,
          },
        },
      },
    ],
  };
}

function planeSpec(panel: PlanePanel, width: number, height: number): VegaLiteSpec {
  const win = panel.window;
  const segs: Record<string, unknown>[] = [];
  for (const l of panel.lines) {
    const s = clipLine(l.w1, l.w2, l.b, win);
    if (s === null) continue;
    const kind = l.reference === true ? 'reference' : 'trained';
    segs.push({ line: l.label, kind, x1: s[0], x2: s[1], order: 0 });
    segs.push({ line: l.label, kind, x1: s[2], x2: s[3], order: 1 });
  }
  const xs = {
    field: 'x1',
    type: 'quantitative',
    title: 'x₁',
    scale: { domain: [win[0], win[1]], nice: false },
  };
  const ys = {
    field: 'x2',
    type: 'quantitative',
    title: 'x₂',
    scale: { domain: [win[2], win[3]], nice: false },
  };
  const layers: VegaLiteSpec[] = [pointLayer(panel, xs, ys)];
  if (segs.length > 0) {
    layers.push({
      data: { values: segs },
      mark: { type: 'line', strokeWidth: 2, clip: true },
      encoding: {
        x: xs,
        y: ys,
        order: { field: 'order' },
        detail: { field: 'line' },
        color: {
          field: 'line',
          type: 'nominal',
          title: 'separator',
          sort: panel.lines.map((l) => l.label),
          scale: { scheme: 'dark2' },
        },
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          scale: {
            domain: ['trained', 'reference'],
            range: [
              [1, 0],
              [6, 4],
            ],
          },
          legend: null,
        },
      },
    });
  }
  if (panel.markers !== undefined && panel.markers.length > 0) {
    layers.push({
      data: { values: panel.markers },
      mark: { type: 'point', shape: 'diamond', size: 90, filled: true, color: 'black' },
      encoding: { x: xs, y: ys, tooltip: { field: 'label' } },
    });
  }
  return {
    title: panel.title,
    width,
    height,
    layer: layers,
    resolve: INDEPENDENT,
  };
}

function pointLayer(panel: PlanePanel | RegionPanel, xs: unknown, ys: unknown): VegaLiteSpec {
  const points = panel.points.map((p) => ({
    x1: p.x1,
    x2: p.x2,
    class: p.y > 0 ? '+1' : '−1',
    group: p.group ?? 'train',
  }));
  const groups = [...new Set(points.map((p) => p.group))];
  return {
    data: { values: points },
    mark: { type: 'circle', size: 22 },
    encoding: {
      x: xs,
      y: ys,
      color: {
        field: 'class',
        type: 'nominal',
        title: 'label',
        scale: { domain: ['−1', '+1'], range: CLASS_COLORS },
      },
      // One group: a constant (an ordinal scale with a one-value range gives vega opacity NaN).
      opacity:
        groups.length > 1
          ? {
              field: 'group',
              type: 'ordinal',
              title: null,
              scale: { domain: groups, range: groups.map((g) => GROUP_OPACITY[g] ?? 0.45) },
            }
          : { value: GROUP_OPACITY[groups[0] ?? 'train'] ?? 0.45 },
    },
  };
}

function regionSpec(panel: RegionPanel, width: number, height: number): VegaLiteSpec {
  const win = panel.window;
  const xs = {
    field: 'x1',
    type: 'quantitative',
    title: 'x₁',
    scale: { domain: [win[0], win[1]], nice: false },
  };
  const ys = {
    field: 'x2',
    type: 'quantitative',
    title: 'x₂',
    scale: { domain: [win[2], win[3]], nice: false },
  };
  return {
    title: panel.title,
    width,
    height,
    layer: [
      {
        data: { values: regionCells(panel.grid) },
        mark: { type: 'rect', clip: true, opacity: 0.45, aria: false },
        encoding: {
          x: xs,
          x2: { field: 'x1b' },
          y: ys,
          y2: { field: 'x2b' },
          fill: {
            field: 'value',
            type: 'quantitative',
            title: panel.valueLabel,
            scale: { domain: [0, 1], range: ['#aec7e8', '#f7f7f7', '#ffbb78'] },
            legend: { gradientLength: 120, titleLimit: 200 },
          },
        },
      },
      pointLayer(panel, xs, ys),
    ],
    resolve: INDEPENDENT,
  };
}

function panelSpec(p: Panel, width: number, height: number): VegaLiteSpec {
  if (p.kind === 'lines') return lineSpec(p, width, height);
  if (p.kind === 'region') return regionSpec(p, width, height);
  return planeSpec(p, width, height);
}

/**
 * A Vega-Lite specification drawing an experiment's result: one chart per panel, side by side. Line
 * panels draw the mean over seeds as a line and the min–max over seeds as a band (references dashed);
 * log axes where the panel says so (points with x ≤ 0, or y ≤ 0 on a log y axis, are not drawn). Plane
 * panels draw the data with the separating lines clipped to the panel's window; region panels shade a grid
 * of values in [0, 1] (blue 0 … orange 1, the class colours) under the data. The title is the claim
 * being illustrated; the subtitle says what was measured.
 *
 * @example
 * ```ts
 * const spec = figureSpec(await experiments.figure2a.run({ seeds: 2, steps: 'small' }));
 * const svg = await specToSvg(spec);
 * ```
 */
export function figureSpec(result: ExperimentResult, options: FigureSpecOptions = {}): VegaLiteSpec {
  const width = options.width ?? 300;
  const height = options.height ?? 240;
  const charts = result.panels.map((p) => panelSpec(p, width, height));
  const total = result.panels.length * (width + 170);
  const chars = Math.max(60, Math.floor(total / 6.2));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: wrap(result.title, Math.floor(chars / 1.25)),
      subtitle: wrap(result.caption, chars),
      anchor: 'start',
      fontSize: 14,
      subtitleFontSize: 11,
      subtitleColor: '#444',
      offset: 12,
    },
    background: 'white',
    padding: 12,
    hconcat: charts,
    resolve: INDEPENDENT,
    config: { legend: { labelLimit: 220 }, axis: { labelFontSize: 10, titleFontSize: 11 } },
  };
}
