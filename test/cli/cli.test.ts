import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reproduce } from '../../src/cli/reproduce.js';
import { runCli } from '../../src/cli/runCli.js';
import { gridPoints, parseShard, type SweepLine, sweep } from '../../src/cli/sweep.js';
import { traceToCsv, train } from '../../src/cli/train.js';
import { figure2a } from '../../src/experiments/index.js';
import { datasets, hardMarginSVM, mlp, momentum, trainWeighted } from '../../src/index.js';
import { expectWellFormedSvg, tempDirs } from '../helpers/index.js';

const tmp = tempDirs();

/** A collecting stand-in for process.stderr. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, write: (c: string) => chunks.push(c), text: () => chunks.join('') };
}

describe('implicit-bias reproduce', () => {
  it("runCli(['reproduce', '--only', 'figure2a', '--steps', 'small', '--out', dir]) writes a well-formed SVG and its JSON data", async () => {
    const out = await tmp();
    const err = process.stderr.write;
    const logged: string[] = [];
    process.stderr.write = ((c: string) => {
      logged.push(String(c));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runCli([
        'reproduce',
        '--only',
        'figure2a',
        '--steps',
        'small',
        '--out',
        out,
        '--seeds',
        '2',
      ]);
    } finally {
      process.stderr.write = err;
    }
    expect(code).toBe(0);
    const svg = await readFile(join(out, 'figure2a.svg'), 'utf8');
    expectWellFormedSvg(svg);
    expect(svg).toContain('angle to θ⋆');
    const data = JSON.parse(await readFile(join(out, 'figure2a.json'), 'utf8'));
    expect(data.name).toBe('figure2a');
    expect(data.settings.steps).toBe(300);
    expect(data.settings.seeds).toEqual([0, 1]);
    // The JSON is exactly the experiment's result (same seeds and steps, recomputed here).
    expect(data).toEqual(JSON.parse(JSON.stringify(await figure2a({ seeds: 2, steps: 'small' }))));
    expect(logged.join('')).toMatch(/figure2a: wrote .*figure2a\.svg/);
  });

  it("runCli(['reproduce', '--only', 'figure1', '--steps', 'small', '--out', dir]) writes all four panels of Figure 1 as valid SVG", async () => {
    const out = await tmp();
    const err = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runCli([
        'reproduce',
        '--only',
        'figure1',
        '--steps',
        'small',
        '--out',
        out,
        '--seeds',
        '2',
      ]);
    } finally {
      process.stderr.write = err;
    }
    expect(code).toBe(0);
    const svg = await readFile(join(out, 'figure1.svg'), 'utf8');
    expectWellFormedSvg(svg);
    for (const title of ['linearly separable', 'non-separable', 'balanced moons', 'unbalanced moons']) {
      expect(svg).toContain(title);
    }
    const data = JSON.parse(await readFile(join(out, 'figure1.json'), 'utf8'));
    expect(data.name).toBe('figure1');
    expect(data.panels.length).toBe(4);
    expect(data.panels.map((p: { kind: string }) => p.kind)).toEqual(['plane', 'plane', 'region', 'region']);
  });

  it('reproduce(options) prints plain lines when not a TTY and a redrawn bar on a TTY', async () => {
    const plain = sink(false);
    await reproduce({ only: ['slides-mirror'], steps: 'small', seeds: 1, out: await tmp(), stream: plain });
    expect(plain.text()).toMatch(/^slides-mirror: running\nslides-mirror: wrote .*\(\d+\.\d s\)\n$/);
    const tty = sink(true);
    await reproduce({ only: ['slides-mirror'], steps: 'small', seeds: 1, out: await tmp(), stream: tty });
    expect(tty.text()).toContain('\r');
    expect(tty.text()).toContain('█');
    expect(tty.text()).toContain('2/2');
  });

  it('reproduce(options) rejects an unknown experiment, naming the available ones', async () => {
    await expect(reproduce({ only: ['figure9'], out: await tmp(), stream: sink(false) })).rejects.toThrow(
      /unknown experiment 'figure9'; available: figure1, figure2a/,
    );
  });

  it('runCli(argv) rejects bad --steps and --seeds, and unknown commands exit 1', async () => {
    await expect(runCli(['reproduce', '--steps', 'lots'])).rejects.toThrow(
      /--steps must be small, default or an integer/,
    );
    await expect(runCli(['reproduce', '--seeds', '0'])).rejects.toThrow(/--seeds must be an integer ≥ 1/);
    await expect(runCli(['reproduce', '--nope'])).rejects.toThrow(/nope/);
    const err = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await runCli(['frobnicate'])).toBe(1);
    } finally {
      process.stderr.write = err;
    }
  });
});

describe('implicit-bias train and sweep', () => {
  const config = {
    data: { generator: 'figure1a', options: { seed: 0 } },
    weights: { class: { '1': 10 } },
    optimizer: { name: 'momentum', lr: 0.05, beta: 0.5 },
    steps: 500,
    seed: 3,
    record: { points: 5, metrics: ['loss', 'norm', 'angle'] },
    reference: 'svm',
  };

  it('train(config) is trainWeighted with the options the config names (bit-identical θ and rows)', () => {
    const trace = train(config);
    const data = datasets.figure1a({ seed: 0 });
    // Class weights by hand: 10 on +1, 1 on −1, scaled to mean 1.
    let sum = 0;
    for (let i = 0; i < data.n; i++) sum += data.y[i]! > 0 ? 10 : 1;
    const weights = Array.from(data.y, (y) => ((y > 0 ? 10 : 1) * data.n) / sum);
    const direct = trainWeighted({
      data,
      steps: 500,
      seed: 3,
      weights,
      optimizer: momentum({ lr: 0.05, beta: 0.5 }),
      reference: hardMarginSVM(data),
      record: { points: 5, metrics: ['loss', 'norm', 'angle'] },
    });
    expect(trace.status).toBe('completed');
    // The weights differ from the config's by rounding in the scaling (1 ulp), so compare to 1e-12.
    const close = (a: number, b: number): void => {
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
    };
    for (let j = 0; j < trace.theta.length; j++) close(trace.theta[j]!, direct.theta[j]!);
    expect(trace.history.map((r) => r.step)).toEqual(direct.history.map((r) => r.step));
    trace.history.forEach((row, k) => {
      for (const key of ['loss', 'norm', 'angle'] as const)
        close(row[key] as number, direct.history[k]![key]!);
    });
  });

  it('traceToCsv(trace) writes one line per recorded step that parses back to the JSON numbers', () => {
    const trace = train(config);
    const [header, ...rows] = traceToCsv(trace).trimEnd().split('\n');
    expect(header).toBe('step,loss,logLoss,norm,angle');
    expect(rows.length).toBe(trace.history.length);
    rows.forEach((line, k) => {
      const cells = line.split(',').map(Number);
      expect(cells).toEqual(header!.split(',').map((c) => trace.history[k]![c]));
    });
  });

  it('train(config) with an mlp model and regularization is trainWeighted with mlp(...) and the same λ, r (bit-identical)', () => {
    const mlpConfig = {
      data: { generator: 'figure1c', options: { seed: 1, n: 40, appendOne: true } },
      model: { name: 'mlp', widths: [3, 5, 1], activation: 'leakyRelu', slope: 0.1 },
      regularization: { lambda: 1e-3, r: 2 },
      steps: 200,
      seed: 2,
      record: { points: 4, metrics: ['loss', 'norm', 'margin'] },
    };
    const trace = train(mlpConfig);
    const data = datasets.figure1c({ seed: 1, n: 40, appendOne: true });
    const direct = trainWeighted({
      data,
      model: mlp({ widths: [3, 5, 1], activation: 'leakyRelu', slope: 0.1 }),
      regularization: { lambda: 1e-3, r: 2 },
      steps: 200,
      seed: 2,
      record: { points: 4, metrics: ['loss', 'norm', 'margin'] },
    });
    expect(Array.from(trace.theta)).toEqual(Array.from(direct.theta));
    expect(trace.history.map((r) => r.loss)).toEqual(direct.history.map((r) => r.loss));
    expect(() => train({ ...mlpConfig, model: { name: 'mlp', widths: [3, 5, 1], bias: true } })).toThrow(
      /model/,
    );
    expect(() => train({ ...mlpConfig, reference: 'svm' })).toThrow(/reference/);
    expect(() => train({ ...mlpConfig, model: { name: 'resnet' } })).toThrow(/model\.name/);
  });

  it('train(config) rejects a bad field with INVALID_INPUT naming it', () => {
    expect(() => train({ ...config, optimizer: { name: 'sgdx' } })).toThrow(/optimizer\.name/);
    expect(() => train({ ...config, steps: -1 })).toThrow(/steps/);
    expect(() => train({ ...config, data: { generator: 'mnist' } })).toThrow(/data\.generator/);
    expect(() => train({ ...config, colour: 'red' })).toThrow(/colour/);
    expect(() => train({ ...config, weights: 'heavy' })).toThrow(/weights/);
  });

  it('sweep(config, shard) splits the grid so that the shards concatenate to the whole sweep', () => {
    const sweepConfig = {
      base: { data: { generator: 'figure1a' }, steps: 200, record: { metrics: ['loss', 'norm'] } },
      grid: { 'optimizer.lr': [0.05, 0.1], seed: [0, 1, 2] },
    };
    expect(gridPoints(sweepConfig.grid)).toEqual([
      { 'optimizer.lr': 0.05, seed: 0 },
      { 'optimizer.lr': 0.05, seed: 1 },
      { 'optimizer.lr': 0.05, seed: 2 },
      { 'optimizer.lr': 0.1, seed: 0 },
      { 'optimizer.lr': 0.1, seed: 1 },
      { 'optimizer.lr': 0.1, seed: 2 },
    ]);
    const strip = ({ seconds: _, ...rest }: SweepLine) => rest;
    const all: SweepLine[] = [];
    sweep(sweepConfig, { index: 1, count: 1 }, (l) => all.push(l));
    const parts: SweepLine[] = [];
    for (let i = 1; i <= 4; i++) sweep(sweepConfig, { index: i, count: 4 }, (l) => parts.push(l));
    expect(parts.map(strip).sort((a, b) => a.index - b.index)).toEqual(all.map(strip));
    // A path into a missing object creates it: { optimizer: { lr } } is gd (the default name) with that lr.
    const third = all[4]!;
    expect(third.params).toEqual({ 'optimizer.lr': 0.1, seed: 1 });
    expect(third.final.step).toBe(200);
    expect(() => parseShard('0/2')).toThrow(/i\/N/);
    expect(() => parseShard('3/2')).toThrow(/i\/N/);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });
});
