import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  edgeOfStability,
  experiments,
  figure1,
  figure2a,
  figure2b,
  figure2c,
  figure2d,
  figure3,
  figure4,
  slidesFactorization,
  slidesMirror,
  slidesOptimizers,
  slidesRates,
  slidesSteepest,
} from '../../src/experiments/index.js';
import { band, bands } from '../../src/experiments/internal.js';
import { moonsWeightings } from '../../src/experiments/moonsRuns.js';
import type { ExperimentResult, LinePanel, PlanePanel, RegionPanel } from '../../src/experiments/types.js';
import {
  createRng,
  datasets,
  hardMarginSVM,
  ImplicitBiasError,
  mlp,
  RNG_STREAMS,
  trainWeighted,
} from '../../src/index.js';
import { figureSpec } from '../../src/plot/figureSpec.js';
import { regionCells } from '../../src/plot/internal.js';

const TINY = { seeds: 2, steps: 'small' } as const;

/** Every number in a JSON value, with its path. */
function numbers(value: unknown, path = '$', out: [string, unknown][] = []): [string, unknown][] {
  if (typeof value === 'number') out.push([path, value]);
  else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      numbers(v, `${path}[${i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) numbers(v, `${path}.${k}`, out);
  }
  return out;
}

/** Shape checks shared by every experiment: JSON-safe, bands ordered, x increasing. */
function checkShape(result: ExperimentResult, name: string): void {
  expect(result.name).toBe(name);
  expect(result.title.length).toBeGreaterThan(10);
  expect(result.caption.length).toBeGreaterThan(10);
  expect(result.panels.length).toBeGreaterThan(0);
  // JSON-safe: plain data, every number finite (JSON would turn NaN into null).
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  for (const [path, v] of numbers(result)) {
    if (!Number.isFinite(v)) throw new Error(`${name}: ${path} = ${v} is not finite`);
  }
  for (const panel of result.panels) {
    if (panel.kind === 'region') {
      const { x1, x2, values } = panel.grid;
      expect(values.length).toBe(x1.length * x2.length);
      for (const v of values) expect(v >= 0 && v <= 1).toBe(true);
      expect(panel.points.length).toBeGreaterThan(0);
      expect(panel.window[0]).toBeLessThan(panel.window[1]);
      continue;
    }
    if (panel.kind === 'plane') {
      expect(panel.points.length).toBeGreaterThan(0);
      expect(panel.window[0]).toBeLessThan(panel.window[1]);
      expect(panel.window[2]).toBeLessThan(panel.window[3]);
      continue;
    }
    expect(panel.series.length).toBeGreaterThan(0);
    for (const s of panel.series) {
      expect(s.points.length, `${name}/${panel.id}/${s.label}`).toBeGreaterThan(0);
      for (let k = 0; k < s.points.length; k++) {
        const p = s.points[k]!;
        if (k > 0) expect(p.x).toBeGreaterThan(s.points[k - 1]!.x);
        const tol = 1e-12 * Math.max(1, Math.abs(p.mean));
        expect(p.min).toBeLessThanOrEqual(p.mean + tol);
        expect(p.mean).toBeLessThanOrEqual(p.max + tol);
        expect(p.std).toBeGreaterThanOrEqual(0);
        expect(p.std).toBeLessThanOrEqual(p.max - p.min + tol);
        if (panel.x.scale === 'log') expect(p.x).toBeGreaterThanOrEqual(0);
      }
    }
  }
}

const lines = (r: ExperimentResult, id: string): LinePanel => r.panels.find((p) => p.id === id) as LinePanel;
const series = (p: LinePanel, label: string) => {
  const s = p.series.find((q) => q.label === label);
  if (s === undefined) throw new Error(`no series '${label}' in ${p.id}: ${p.series.map((q) => q.label)}`);
  return s.points;
};

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

describe('band(x, values) and bands(xs, traces)', () => {
  it('band(x, values) is the mean, population std, min and max (closed form on a small sample)', () => {
    expect(band(3, [1, 2, 6])).toEqual({ x: 3, mean: 3, std: Math.sqrt(14 / 3), min: 1, max: 6 });
    expect(band(0, [5])).toEqual({ x: 0, mean: 5, std: 0, min: 5, max: 5 });
  });

  it('bands(xs, traces) keeps min ≤ mean ≤ max and std ≤ max − min for any traces', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (_, traces) => {
          for (const b of bands([1, 2, 3, 4], traces)) {
            const tol = 1e-9 * Math.max(1, Math.abs(b.mean));
            expect(b.min).toBeLessThanOrEqual(b.mean + tol);
            expect(b.mean).toBeLessThanOrEqual(b.max + tol);
            expect(b.std).toBeLessThanOrEqual(b.max - b.min + tol);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('experiments registry', () => {
  it('experiments lists the paper and slides experiments under their file names', () => {
    expect(Object.keys(experiments)).toEqual([
      'figure1',
      'figure2a',
      'figure2b',
      'figure2c',
      'figure2d',
      'figure3',
      'figure4',
      'slides-rates',
      'slides-optimizers',
      'slides-steepest',
      'slides-mirror',
      'slides-factorization',
      'edge-of-stability',
    ]);
    for (const [name, e] of Object.entries(experiments)) {
      expect(e.name).toBe(name);
      expect(e.steps.small).toBeLessThan(e.steps.default);
      expect(e.seeds).toBeGreaterThanOrEqual(1);
    }
  });

  it('experiment(options) rejects bad options with INVALID_INPUT naming the option', async () => {
    for (const [bad, option] of [
      [{ seeds: 0 }, 'seeds'],
      [{ seeds: [] }, 'seeds'],
      [{ seeds: [1.5] }, 'seeds[0]'],
      [{ steps: -3 }, 'steps'],
      [{ steps: 'tiny' }, 'steps'],
      [{ stepz: 3 }, 'stepz'],
      [{ onProgress: 3 }, 'onProgress'],
    ] as const) {
      const err = await figure2a(bad as never).catch((e: unknown) => e);
      expect(err, JSON.stringify(bad)).toBeInstanceOf(ImplicitBiasError);
      expect((err as ImplicitBiasError).code).toBe('INVALID_INPUT');
      expect((err as Error).message).toContain(option);
    }
  });
});

describe('figure2a / figure2b / figure1 (linear model on Figure 1a)', () => {
  it('figure2a(options) starts at the angle between the seed’s N(0, I) init and θ⋆, and the mean angle falls', async () => {
    const r = await figure2a(TINY);
    checkShape(r, 'figure2a');
    const data = datasets.figure1a({ seed: 0 });
    const star = hardMarginSVM(data).theta;
    // Step 0 is the initialization: recompute it from the documented stream and take the angle by hand.
    const angles0 = [0, 1].map((seed) => {
      const rng = createRng(seed, RNG_STREAMS.init);
      const t = [rng.normal(), rng.normal()];
      return (Math.acos(dot(t, star) / Math.hypot(t[0]!, t[1]!)) * 180) / Math.PI;
    });
    const panel = lines(r, 'angle');
    expect(panel.series.map((s) => s.label)).toEqual([
      'uniform',
      'class +1 ×10',
      'class −1 ×10',
      'inverse margin',
      'dual p⋆ (M = 10)',
    ]);
    for (const s of panel.series) {
      expect(s.points[0]!.x).toBe(0);
      expect(s.points[0]!.mean).toBeCloseTo((angles0[0]! + angles0[1]!) / 2, 9);
      expect(s.points.at(-1)!.mean).toBeLessThan(s.points[0]!.mean);
      expect(s.points.at(-1)!.x).toBe(300);
    }
  });

  it('figure2a(options): weights matching the SVM dual p⋆ end nearer θ⋆ than uniform weights (the KL(p⋆‖w̄) term of Prop. 1)', async () => {
    const r = await figure2a({ seeds: 3, steps: 3000 });
    const panel = lines(r, 'angle');
    const uniform = series(panel, 'uniform').at(-1)!;
    const dual = series(panel, 'dual p⋆ (M = 10)').at(-1)!;
    // Measured at 10⁴ steps, paired over 20 initializations: smaller on 20/20, mean 2.6° vs 6.2°.
    expect(dual.mean).toBeLessThan(0.75 * uniform.mean);
  });

  it('figure2b(options) has the average margin of θ⋆ as its reference, and the curves approach it', async () => {
    const r = await figure2b(TINY);
    checkShape(r, 'figure2b');
    const data = datasets.figure1a({ seed: 0 });
    const star = hardMarginSVM(data).theta;
    let avg = 0;
    for (let i = 0; i < data.n; i++)
      avg += (data.y[i]! * dot(data.X.subarray(2 * i, 2 * i + 2), star)) / data.n;
    const panel = lines(r, 'averageMargin');
    const ref = series(panel, 'θ⋆ (max margin)');
    for (const p of ref) expect(p.mean).toBeCloseTo(avg, 12);
    for (const s of panel.series.filter((q) => q.reference !== true)) {
      expect(Math.abs(s.points.at(-1)!.mean - avg)).toBeLessThan(Math.abs(s.points[0]!.mean - avg));
    }
  });

  it('figure1, figure2a and figure2b share their runs through options.cache (identical traces, no retraining)', async () => {
    const cache = new Map<string, unknown>();
    const calls: [number, number][] = [];
    const a = await figure2a({ ...TINY, cache });
    const t0 = performance.now();
    const b = await figure2b({ ...TINY, cache, onProgress: (d, t) => calls.push([d, t]) });
    expect(performance.now() - t0).toBeLessThan(200);
    expect(calls.at(-1)).toEqual([10, 10]);
    const fresh = await figure2a(TINY);
    expect(fresh).toEqual(a);
    expect(b.settings).toEqual(a.settings);
  });

  it('figure1(options) draws lines that separate Figure 1a and the SVM θ⋆ dashed', async () => {
    const r = await figure1({ seeds: 2, steps: 3000 });
    checkShape(r, 'figure1');
    const a = r.panels[0] as PlanePanel;
    const data = datasets.figure1a({ seed: 0 });
    const svm = hardMarginSVM(data);
    const ref = a.lines.find((l) => l.reference === true)!;
    expect([ref.w1, ref.w2]).toEqual([svm.theta[0], svm.theta[1]]);
    // Every trained mean line classifies all of Figure 1a correctly (checked point by point).
    for (const l of a.lines) {
      for (const p of a.points) expect(p.y * (l.w1 * p.x1 + l.w2 * p.x2 + l.b), l.label).toBeGreaterThan(0);
    }
    expect(r.panels.map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.panels.slice(2).map((p) => p.kind)).toEqual(['region', 'region']);
  });
});

/** f(θ, x) of the [3, 5, 1] ReLU net written out by hand (W₁ 5×3 row-major, then W₂ 1×5): an independent forward pass. */
function netByHand(theta: ArrayLike<number>, x: readonly number[]): number {
  let f = 0;
  for (let h = 0; h < 5; h++) {
    let z = 0;
    for (let j = 0; j < 3; j++) z += theta[h * 3 + j]! * x[j]!;
    f += theta[15 + h]! * Math.max(0, z);
  }
  return f;
}

describe('the MLP experiments on the moons (figure1 c/d, figure2c, figure2d)', () => {
  it('figure1(options): the region of one seed is the sign of the trained net at every cell (hand-written forward pass)', async () => {
    const steps = 400;
    const r = await figure1({ seeds: [3], steps });
    for (const [id, data] of [
      ['c', datasets.moons({ seed: 0, appendOne: true })],
      ['d', datasets.unbalancedMoons({ seed: 0, appendOne: true })],
    ] as const) {
      const panel = r.panels.find((p) => p.id === id) as RegionPanel;
      const { theta } = trainWeighted({
        data,
        model: mlp({ widths: [3, 5, 1], activation: 'relu' }),
        steps,
        seed: 3,
        onDiverge: 'stop',
      });
      const { x1, x2, values } = panel.grid;
      let positive = 0;
      for (let j = 0; j < x2.length; j++) {
        for (let i = 0; i < x1.length; i++) {
          const want = netByHand(theta, [x1[i]!, x2[j]!, 1]) > 0 ? 1 : 0;
          expect(values[j * x1.length + i], `${id} (${i}, ${j})`).toBe(want);
          positive += want;
        }
      }
      // Cells tile the window: first and last centres half a cell inside it.
      const dx = x1[1]! - x1[0]!;
      expect(x1[0]! - dx / 2).toBeCloseTo(panel.window[0], 12);
      expect(x1.at(-1)! + dx / 2).toBeCloseTo(panel.window[1], 12);
      expect(panel.points.length).toBe(id === 'c' ? data.n : 200);
      expect(positive, id).toBeGreaterThan(0);
    }
  });

  it('figure2c(options): test error on the held-out split matches a direct count, and every weighting is the documented one', async () => {
    const r = await figure2c(TINY);
    checkShape(r, 'figure2c');
    const data = datasets.unbalancedMoons({ seed: 0, appendOne: true });
    // Class-balanced on 20 (−1) + 80 (+1) points: n/(2n_c) = 2.5 and 0.625; ×10 classes scaled to mean 1.
    const ws = Object.fromEntries(moonsWeightings('d', data).map((w) => [w.label, w.weights]));
    const neg = data.y.indexOf(-1);
    const pos = data.y.indexOf(1);
    expect([ws['class-balanced']![neg], ws['class-balanced']![pos]]).toEqual([2.5, 0.625]);
    // minority ×10: 20·10c + 80c = 100 → c = 1/2.8
    expect(ws['minority (−1) ×10']![neg]).toBeCloseTo(10 / 2.8, 12);
    // majority ×10: 80·10c + 20c = 100 → c = 100/820, weight 10c
    expect(ws['majority (+1) ×10']![pos]).toBeCloseTo(1000 / 820, 12);
    const test = lines(r, 'testError');
    expect(test.series.map((s) => s.label)).toEqual(Object.keys(ws));
    // Seed 1, minority ×10: train directly and count the held-out errors with the hand-written net.
    const { theta } = trainWeighted({
      data,
      model: mlp({ widths: [3, 5, 1] }),
      weights: ws['minority (−1) ×10'],
      steps: experiments.figure2c.steps.small,
      seed: 1,
      onDiverge: 'stop',
    });
    let errors = 0;
    const T = data.test;
    for (let i = 0; i < T.n; i++) {
      const f = netByHand(theta, [T.X[3 * i]!, T.X[3 * i + 1]!, T.X[3 * i + 2]!]);
      if (!(T.y[i]! * f > 0)) errors++;
    }
    const last = series(test, 'minority (−1) ×10').at(-1)!;
    expect([last.min, last.max]).toContain(errors / T.n);
    for (const s of test.series) for (const p of s.points) expect(p.min >= 0 && p.max <= 1).toBe(true);
  });

  it('figure2d(options): the minimum normalized margin never exceeds the average one, and the uniform runs are figure1’s (shared cache)', async () => {
    const cache = new Map<string, unknown>();
    await figure1({ ...TINY, cache });
    const calls: [number, number][] = [];
    const r = await figure2d({ ...TINY, cache, onProgress: (d, t) => calls.push([d, t]) });
    checkShape(r, 'figure2d');
    expect(calls.at(-1)).toEqual([6, 6]);
    const fresh = await figure2d(TINY);
    expect(fresh).toEqual(r);
    const avg = lines(r, 'averageMargin');
    const min = lines(r, 'margin');
    expect(avg.series.map((s) => s.label)).toEqual(['uniform', 'class +1 ×10', 'class −1 ×10']);
    for (const s of avg.series) {
      const m = series(min, s.label);
      s.points.forEach((p, k) => {
        // Per seed min ≤ mean, so the same holds for the seed means and the band ends.
        expect(m[k]!.mean).toBeLessThanOrEqual(p.mean + 1e-12);
        expect(m[k]!.max).toBeLessThanOrEqual(p.max + 1e-12);
      });
    }
    // No seed separates 1c in 300 steps: no KKT panel then; over 10⁴ steps (docs/networks.md) three uniform
    // seeds do, and their residual falls after separation.
    expect(r.panels.map((p) => p.id)).toEqual(['averageMargin', 'margin']);
  });

  it('figure2d(options): the KKT residual of the seeds that separate 1c is in (0, 1] and lower at the end than at separation', async () => {
    const r = await figure2d({ seeds: [2, 5], steps: 6000 });
    checkShape(r, 'figure2d');
    const kkt = lines(r, 'kktResidual');
    expect(kkt.series.map((s) => s.label)).toEqual(['uniform']);
    for (const p of kkt.series[0]!.points) expect(p.min > 0 && p.max <= 1).toBe(true);
    expect(
      r.summary['seeds separated at the end with a KKT residual below its value at separation, uniform'],
    ).toBe(2);
  });
});

describe('figure4(options)', () => {
  it('figure4(options): quantiles are ordered inside (1, 2), and the MLP’s learned weights concentrate (std falls ≥ 10×)', async () => {
    const r = await figure4(TINY);
    checkShape(r, 'figure4');
    expect(r.panels.map((p) => p.id)).toEqual(['linear', 'mlp', 'spread', 'correlation']);
    for (const id of ['linear', 'mlp']) {
      const q = lines(r, id).series;
      expect(q.map((s) => s.label)).toEqual(['5%', '25%', 'median', '75%', '95%']);
      for (let k = 0; k < q[0]!.points.length; k++) {
        for (let j = 1; j < q.length; j++) {
          expect(q[j - 1]!.points[k]!.mean).toBeLessThanOrEqual(q[j]!.points[k]!.mean + 1e-12);
        }
        expect(q[0]!.points[k]!.min).toBeGreaterThanOrEqual(1);
        expect(q[4]!.points[k]!.max).toBeLessThanOrEqual(2);
      }
    }
    const spread = series(lines(r, 'spread'), 'MLP, weight step 1');
    expect(spread.at(-1)!.max).toBeLessThan(spread[0]!.mean / 10);
    for (const s of lines(r, 'correlation').series) {
      for (const p of s.points) expect(p.min >= -1 && p.max <= 1).toBe(true);
    }
  });
});

describe('figureSpec region panels', () => {
  it('regionCells(grid) merges equal neighbours in a row and tiles the window exactly (areas add up)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.constantFrom(0, 0.5, 1), { minLength: 49, maxLength: 49 }),
        (nx, ny, pool) => {
          const x1 = Array.from({ length: nx }, (_, i) => -1 + (i + 0.5) * (2 / nx));
          const x2 = Array.from({ length: ny }, (_, j) => (j + 0.5) * (3 / ny));
          const values = pool.slice(0, nx * ny);
          const cells = regionCells({ x1, x2, values });
          let area = 0;
          for (const c of cells) area += (c.x1b - c.x1) * (c.x2b - c.x2);
          const w1 = nx > 1 ? 2 : 1; // one column: half-width 0.5 by convention
          const w2 = ny > 1 ? 3 : 1;
          expect(area).toBeCloseTo(w1 * w2, 9);
          // Runs: a row has as many cells as value changes + 1.
          let runs = 0;
          for (let j = 0; j < ny; j++) {
            runs++;
            for (let i = 1; i < nx; i++) if (values[j * nx + i] !== values[j * nx + i - 1]) runs++;
          }
          expect(cells.length).toBe(runs);
          // Each rectangle starts at its first cell (index from the left edge) and carries that cell's value.
          for (const c of cells) {
            const i = Math.round((c.x1 + 1) / (2 / nx));
            const j = Math.round(c.x2 / (3 / ny));
            expect(values[j * nx + i]).toBe(c.value);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('figureSpec(result) draws a region panel as rects under the points, one chart per panel', async () => {
    const r = await figure1({ seeds: 1, steps: 'small' });
    const spec = figureSpec(r) as { hconcat: { layer: { mark: { type: string } }[] }[] };
    expect(spec.hconcat).toHaveLength(4);
    expect(spec.hconcat[2]!.layer.map((l) => l.mark.type)).toEqual(['rect', 'circle']);
    expect(spec.hconcat[3]!.layer.map((l) => l.mark.type)).toEqual(['rect', 'circle']);
  });
});

describe('figure3(options)', () => {
  it('figure3(options) finds the constructed partition, and the exact crossing moves monotonically with the class weights', async () => {
    const r = await figure3(TINY);
    checkShape(r, 'figure3');
    expect(r.summary['a: |D_sep|']).toBe(40);
    expect(r.summary['a: |D_non-sep|']).toBe(40);
    const exact = series(lines(r, 'b'), 'limit −θ̃₃/θ̃₂ (exact)');
    // More weight on the +1 class pushes the boundary into the −1 side (smaller x₂ on the line x₁ = 0).
    for (let k = 1; k < exact.length; k++) expect(exact[k]!.mean).toBeLessThan(exact[k - 1]!.mean);
    // Proposition 2: the S-part of θ(t) approaches θ̃(w) (over 300 steps, on every ratio).
    for (const s of lines(r, 'c').series) expect(s.points.at(-1)!.mean).toBeLessThan(s.points[0]!.mean);
  });

  it('figure3(options): the trained crossing approaches the exact one θ̃(w) gives (Proposition 2 on the picture)', async () => {
    const error = async (steps: number): Promise<number[]> => {
      const r = await figure3({ seeds: 1, steps });
      const trained = series(lines(r, 'b'), `trained, t = ${steps}`);
      return trained.map((p) => {
        const label = p.x === 1 ? '×1' : p.x > 1 ? '×4' : '×1/4';
        return Math.abs(p.mean - r.summary[`a: exact crossing x₂, class +1 ${label}`]!);
      });
    };
    const early = await error(300);
    const late = await error(4000);
    for (let k = 0; k < late.length; k++) {
      expect(late[k]).toBeLessThan(early[k]!);
      expect(late[k]).toBeLessThan(0.1);
    }
  });
});

describe('slides experiments', () => {
  it('slidesRates(options): the loss falls at every recorded step and the norm grows (GD from 0 on separable data)', async () => {
    const r = await slidesRates(TINY);
    checkShape(r, 'slides-rates');
    const loss = series(lines(r, 'loss'), 'GD');
    for (let k = 1; k < loss.length; k++) expect(loss[k]!.max).toBeLessThanOrEqual(loss[k - 1]!.max);
    const norm = series(lines(r, 'norm'), 'GD');
    for (let k = 1; k < norm.length; k++) expect(norm[k]!.mean).toBeGreaterThan(norm[k - 1]!.mean);
    // The dashed c/t reference meets the measured mean at the last step, by construction.
    const ref = series(lines(r, 'loss'), 'c/t');
    expect(ref.at(-1)!.mean).toBeCloseTo(loss.at(-1)!.mean, 12);
  });

  it('slidesOptimizers(options): Adam with tiny ε sits nearer the ℓ∞ max margin than the ℓ2 one; GD nearer ℓ2', async () => {
    const r = await slidesOptimizers(TINY);
    checkShape(r, 'slides-optimizers');
    const last = (id: string, label: string) => series(lines(r, id), label).at(-1)!.mean;
    const adamLabel = 'Adam (lr 0.1/√(t+1), ε 1e-300)';
    expect(last('linf', adamLabel)).toBeLessThan(last('l2', adamLabel));
    expect(last('l2', 'GD (lr 0.1)')).toBeLessThan(last('linf', 'GD (lr 0.1)'));
    for (const p of lines(r, 'l2').series.flatMap((s) => s.points)) {
      expect(p.max).toBeLessThanOrEqual(180);
      expect(p.min).toBeGreaterThanOrEqual(0);
    }
  });

  it('slidesSteepest(options): gaps are ≥ 0 (γ⋆ is the max) and shrink; the ℓ4/3 limit moves with the step size', async () => {
    const r = await slidesSteepest({ seeds: 2, steps: 3000 });
    checkShape(r, 'slides-steepest');
    for (const s of lines(r, 'classification').series) {
      // 1 − margin/γ⋆ ≥ 0 by the definition of γ⋆ (it exceeds 1 early on, while some margin is negative).
      for (const p of s.points) expect(p.min).toBeGreaterThanOrEqual(-1e-9);
      expect(s.points.at(-1)!.mean).toBeLessThan(0.1);
      expect(s.points.at(-1)!.mean).toBeLessThan(s.points[0]!.mean);
    }
    // Slides' example: the limits at the smallest and largest step sizes differ (docs: 0.289 vs 0.384 for w1).
    const w1 = series(lines(r, 'regression'), 'w1 − w⋆1');
    expect(w1.at(-1)!.mean - w1[0]!.mean).toBeGreaterThan(0.05);
    expect(w1[0]!.mean).toBeGreaterThan(0.2);
  });

  it('slidesMirror(options): GD’s distance to the min-ℓ2 interpolant never increases; the limits are the two references', async () => {
    const small = await slidesMirror(TINY);
    checkShape(small, 'slides-mirror');
    // wₜ − w⋆ stays in the row space of X where GD with lr < 2/σ²max contracts: a theorem, per seed, so for the max.
    const gd = series(lines(small, 'toL2'), 'gradient descent');
    for (let k = 1; k < gd.length; k++) expect(gd[k]!.max).toBeLessThanOrEqual(gd[k - 1]!.max * (1 + 1e-12));
    const r = await slidesMirror({ seeds: 2, steps: 5000 });
    expect(r.summary['GD: final distance to min-ℓ2 (mean)']).toBeLessThan(1e-8);
    expect(r.summary['MD: final distance to min-ℓp (mean)']).toBeLessThan(1e-8);
    expect(r.summary['GD: final distance to min-ℓp (mean)']).toBeGreaterThan(1e-2);
    expect(r.summary['MD: final distance to min-ℓ2 (mean)']).toBeGreaterThan(1e-2);
  });
});

describe('slidesFactorization(options)', () => {
  it('slidesFactorization(options): depth 1 learns nothing off Ω; deeper runs end with lower error and effective rank', async () => {
    const small = await slidesFactorization({ seeds: 2, steps: 'small' });
    checkShape(small, 'slides-factorization');
    expect(small.panels.map((p) => p.id)).toEqual([
      'unobservedError',
      'effectiveRank',
      'nuclearDistance',
      'nuclearRatio',
    ]);
    const r = await slidesFactorization({ seeds: 2, steps: 1500 });
    const s = r.summary;
    // Depth 1 moves only the observed entries; off Ω it stays at its N(0, 0.01²) init: error ≈ 1.
    expect(s['depth 1: final unobserved error (mean)']).toBeGreaterThan(0.95);
    expect(s['depth 2: final unobserved error (mean)']).toBeLessThan(0.5);
    expect(s['depth 3: final unobserved error (mean)']).toBeLessThan(
      s['depth 2: final unobserved error (mean)']!,
    );
    expect(s['depth 3: final effective rank (mean)']).toBeLessThan(
      s['depth 2: final effective rank (mean)']!,
    );
    expect(s['depth 2: final effective rank (mean)']).toBeLessThan(
      s['depth 1: final effective rank (mean)']!,
    );
    // The minimum-nuclear-norm reference: certified, and depth 2 ends much nearer to it than depth 1 (which
    // keeps its random entries off Ω), with a nuclear norm near the minimum (measured 1.3% above at 10 seeds).
    expect(s['Z⋆: largest certified gap']).toBeLessThanOrEqual(1e-6);
    expect(s['depth 2: final distance to Z⋆ (mean)']).toBeLessThan(
      0.5 * s['depth 1: final distance to Z⋆ (mean)']!,
    );
    expect(s['depth 2: final ‖W_e‖_*/‖Z⋆‖_* (mean)']).toBeLessThan(
      s['depth 1: final ‖W_e‖_*/‖Z⋆‖_* (mean)']!,
    );
    expect(s['depth 2: final ‖W_e‖_*/‖Z⋆‖_* (mean)']).toBeGreaterThan(0.95);
  });
});

describe('edgeOfStability(options)', () => {
  it('edgeOfStability(options): the pair-mean sharpness rises to 2/η and stays near it while the loss falls, rising on a large share of steps', async () => {
    const small = await edgeOfStability(TINY);
    checkShape(small, 'edge-of-stability');
    expect(small.panels.map((p) => p.id)).toEqual(['sharpness', 'loss', 'lossRises']);
    // The edge itself needs thousands of steps (first crossing at 2800–8700 over seeds 0–9): seeds 0 and 3
    // cross at 2800 and 4000 (measured), so 5000 steps show it on both.
    const r = await edgeOfStability({ seeds: [0, 3], steps: 5000 });
    const s = r.summary;
    expect(s['runs completed']).toBe(2);
    expect(s['runs whose sharpness reached 0.95·2/η']).toBe(2);
    // Progressive sharpening from well below 2/η = 2, then hovering: every later pair mean within 25 % of 2/η.
    expect(s['sharpness at step 0, pair mean (max)']).toBeLessThan(1.6);
    expect(s['share of later readings within [0.75, 1.25]·2/η (min)']).toBe(1);
    // The loss is non-monotone step to step (rising on a third or more of the steps) yet falls overall.
    expect(s['share of steps on which the loss rose (min)']).toBeGreaterThan(0.2);
    expect(s['loss at the last reading (max)']).toBeLessThan(s['loss at step 0 (min)']!);
    const sharp = lines(r, 'sharpness');
    const edge = series(sharp, '2/η');
    expect(edge.every((b) => b.mean === 2)).toBe(true);
  });
});
