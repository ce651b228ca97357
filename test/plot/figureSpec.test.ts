import { describe, expect, it } from 'vitest';
import { figure2a, figure3 } from '../../src/experiments/index.js';
import { figureSpec, specToSvg } from '../../src/plot/index.js';
import { expectWellFormedSvg } from '../helpers/index.js';

describe('figureSpec(result) and specToSvg(spec)', () => {
  it('figureSpec(result) puts the claim in the title, the measurement in the subtitle, log axes where asked', async () => {
    const result = await figure2a({ seeds: 2, steps: 'small' });
    const spec = figureSpec(result) as {
      title: { text: string[]; subtitle: string[] };
      hconcat: { layer: { encoding: { x: { scale: { type?: string } } } }[] }[];
    };
    expect(spec.title.text.join(' ')).toBe(result.title);
    expect(spec.title.subtitle.join(' ')).toBe(result.caption);
    expect(spec.hconcat[0]!.layer[1]!.encoding.x.scale.type).toBe('log');
  });

  it('specToSvg(figureSpec(result)) renders plane panels with lines and markers (figure3)', async () => {
    const svg = await specToSvg(figureSpec(await figure3({ seeds: 1, steps: 'small' })));
    expectWellFormedSvg(svg);
    expect(svg).toContain('(a) hyperplanes under class weights');
  });
});
