import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { VegaLiteSpec } from './figureSpec.js';

/**
 * Renders a Vega-Lite specification to an SVG string, headless: compiles it with vega-lite and renders
 * with vega's SVG string renderer (no browser, no canvas package).
 *
 * @example
 * ```ts
 * const svg = await specToSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point',
 *   encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
 * svg.startsWith('<svg'); // true
 * ```
 */
export async function specToSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
