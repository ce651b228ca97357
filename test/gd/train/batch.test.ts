/**
 * Mini-batches (`batch`) through the training driver: full-size ordered batches are full-batch GD bit for bit
 * (every golden case, every loop), runs are deterministic, a run interrupted anywhere and resumed from its
 * JSON state equals the uninterrupted one, a step is exactly the documented mini-batch step, metrics are
 * measured on the full training set, a step reads |B| rows (not n), and the sampler draws what its docs say.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSampler } from '../../../src/gd/train/sampler.js';
import {
  adam,
  createRng,
  type Dataset,
  datasets,
  gd,
  hardMarginSVM,
  linear,
  logistic,
  type Model,
  minNormInterpolant,
  mlp,
  momentum,
  normalizedMargins,
  RNG_STREAMS,
  ready,
  type TrainState,
  trainLearnedWeights,
  trainMatrixFactorization,
  trainMulticlass,
  trainRegression,
  trainWeighted,
  trainWeightedAsync,
} from '../../../src/index.js';
import { createFactorizationScratch, factorizationObjective } from '../../../src/kernels/factorization.js';
import { type GoldenCase, goldenCases, hashResult, runLoop } from '../../golden/cases.js';
import traces from '../../golden/traces.json' with { type: 'json' };
import { expectSameBits, invalid } from '../../helpers/index.js';

const jsonRoundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The rows a case's objective averages over: its points, or its observed entries. */
function rowsOf(options: Record<string, unknown>): number {
  const data = options.data as { n?: number; observed?: Int32Array };
  return data.observed === undefined ? data.n! : data.observed.length;
}

/** A signal that reports `aborted` from its (k + 1)-th read on (the loop reads it once per step). */
function abortAtStep(k: number): AbortSignal {
  let reads = 0;
  return {
    get aborted() {
      reads++;
      return reads > k;
    },
  } as AbortSignal;
}

/** The run's outcome, or the library error it threw. */
function attempt(c: GoldenCase, extra: Record<string, unknown>): Record<string, unknown> {
  try {
    return runLoop(c.loop, { ...c.options(), ...extra });
  } catch (e) {
    const err = e as { code?: string; message: string; step?: number; lastFiniteTheta?: Float64Array };
    if (err.code === undefined) throw e;
    return { error: err.code, message: err.message, step: err.step, lastFiniteTheta: err.lastFiniteTheta };
  }
}

/**
 * The documented 'epoch' order of one epoch: Fisher–Yates on the identity, i from n − 1 down to 1 swapping
 * entries i and rng.int(i + 1), written here from the docs rather than taken from the sampler.
 */
function epochOrder(rng: ReturnType<typeof createRng>, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

let cases: GoldenCase[] = [];

describe('batch: full-size ordered batches', () => {
  beforeAll(async () => {
    await ready();
    cases = goldenCases();
  });

  it('train*({ ..., batch: { size: n, sampling: "none" } }) gives every golden trace bit for bit: θ, every history row, status (all five loops, every optimizer, model, loss and recording option)', () => {
    const expected = traces as Record<string, string>;
    const mismatched: string[] = [];
    for (const c of cases) {
      const size = rowsOf(c.options());
      const r = attempt(c, { batch: { size, sampling: 'none' } });
      if (hashResult(r) !== expected[c.name]) mismatched.push(c.name);
    }
    expect(mismatched).toEqual([]);
  });
});

describe('batch: resumable state', () => {
  beforeAll(async () => {
    await ready();
    cases = goldenCases().filter((c) => !('signal' in c.options()));
  });

  it('train*({ ..., batch, resume: JSON(state) }) after an interruption at any step equals the uninterrupted mini-batch run bit for bit: θ, every history row, the final state (property over the golden cases, epoch and replacement sampling, dropout on the MLP cases)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('epoch', 'replacement'),
        fc.integer({ min: 1, max: 7 }),
        (pick, fraction, sampling, divisor) => {
          const c = cases[pick % cases.length]!;
          const o = c.options();
          const size = Math.max(1, Math.floor(rowsOf(o) / divisor));
          const extra: Record<string, unknown> = { batch: { size, sampling, seed: pick % 5 } };
          if (c.loop === 'trainWeighted' && (o.model as Model | undefined)?.hiddenUnits) extra.dropout = 0.25;
          const full = attempt(c, extra);
          const steps = o.steps as number;
          const k = Math.floor(fraction * steps);
          const part = attempt(c, { ...extra, signal: abortAtStep(k) });
          if ('error' in part || part.status === 'diverged') {
            expect(hashResult(part)).toBe(hashResult(full));
            return;
          }
          expect(part.steps).toBe(k);
          const resumed = attempt(c, { ...extra, resume: jsonRoundTrip(part.state) });
          expect(hashResult(resumed), `${c.name} split at ${k}`).toBe(hashResult(full));
          if (!('error' in full)) {
            expect(JSON.stringify(resumed.state)).toBe(JSON.stringify(full.state));
            expect(jsonRoundTrip(full.state)).toEqual(full.state);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('every loop resumes a mini-batch run interrupted mid-epoch (size not dividing n) and at an epoch boundary', () => {
    const byLoop = new Map<string, GoldenCase>();
    for (const c of cases) if (!byLoop.has(c.loop)) byLoop.set(c.loop, c);
    expect(byLoop.size).toBe(5);
    for (const c of byLoop.values()) {
      const o = c.options();
      const n = rowsOf(o);
      const size = Math.max(2, Math.floor(n / 3) + 1);
      const extra = { batch: { size, seed: 3 } };
      const full = attempt(c, extra);
      const epoch = Math.ceil(n / size);
      for (const k of [1, epoch - 1, epoch, epoch + 1].filter((k) => k >= 0 && k < (o.steps as number))) {
        const part = attempt(c, { ...extra, signal: abortAtStep(k) });
        const resumed = attempt(c, { ...extra, resume: jsonRoundTrip(part.state) });
        expect(hashResult(resumed), `${c.name} split at ${k}`).toBe(hashResult(full));
      }
    }
  });

  it('a state from a full-batch run, or from other batch settings, is refused naming batch', () => {
    const data = datasets.separable({ n: 20, seed: 1 });
    const a = trainWeighted({ data, steps: 10 });
    expect(() => trainWeighted({ data, steps: 20, batch: { size: 5 }, resume: a.state })).toThrow(
      invalid('batch'),
    );
    const b = trainWeighted({ data, steps: 10, batch: { size: 5 } });
    expect(() => trainWeighted({ data, steps: 20, batch: { size: 4 }, resume: b.state })).toThrow(
      invalid('batch'),
    );
    const broken = jsonRoundTrip(b.state) as TrainState & { sampler: { pos: number } };
    broken.sampler.pos = 99;
    expect(() => trainWeighted({ data, steps: 20, batch: { size: 5 }, resume: broken })).toThrow(
      invalid('resume.sampler'),
    );
  });
});

describe('batch: the step', () => {
  it('trainWeighted({ batch }) is deterministic: the same options give the same bits, another batch.seed another run', () => {
    const data = datasets.separable({ n: 50, seed: 2 });
    const opts = { data, steps: 300, optimizer: momentum({ lr: 0.1 }), batch: { size: 8, seed: 4 } } as const;
    const a = trainWeighted(opts);
    const b = trainWeighted(opts);
    expectSameBits(b.theta, a.theta);
    expect(hashResult(b as unknown as Record<string, unknown>)).toBe(
      hashResult(a as unknown as Record<string, unknown>),
    );
    const c = trainWeighted({ ...opts, batch: { size: 8, seed: 5 } });
    expect(Array.from(c.theta)).not.toEqual(Array.from(a.theta));
    // the default batch seed is the run's seed
    const d = trainWeighted({ ...opts, seed: 4, batch: { size: 8 } });
    const e = trainWeighted({ ...opts, seed: 4, batch: { size: 8, seed: 4 } });
    expectSameBits(d.theta, e.theta);
  });

  it('one gd step on a batch is θ − lr·∇[(1/|B|) Σ_{i∈B} wᵢ e^{−yᵢθᵀxᵢ}] over the first batch of the documented Fisher–Yates order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, size0, seed) => {
          const size = Math.min(size0, n);
          const data = datasets.separable({ n, seed: seed + 1 });
          const weights = Array.from({ length: n }, (_, i) => 0.5 + ((i * 7) % 5));
          const lr = 0.3;
          const init = [0.4, -0.7];
          const run = trainWeighted({
            data,
            weights,
            init,
            steps: 1,
            optimizer: gd({ lr }),
            batch: { size, seed },
          });
          const batch = epochOrder(createRng(seed, RNG_STREAMS.batch), n).slice(0, size);
          const g = [0, 0];
          for (const i of batch) {
            const x = [data.X[2 * i]!, data.X[2 * i + 1]!];
            const u = data.y[i]! * (init[0]! * x[0]! + init[1]! * x[1]!);
            const coef = (-weights[i]! * Math.exp(-u) * data.y[i]!) / size;
            g[0]! += coef * x[0]!;
            g[1]! += coef * x[1]!;
          }
          expect(run.theta[0]).toBeCloseTo(init[0]! - lr * g[0]!, 12);
          expect(run.theta[1]).toBeCloseTo(init[1]! - lr * g[1]!, 12);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('recorded metrics are measured on the full training set: loss = (1/n) Σ wᵢ ℓ(yᵢf(θ, xᵢ)) and margin = minᵢ of the normalized margins at the recorded θ', () => {
    const data = datasets.moons({ n: 60, seed: 3, appendOne: true });
    const model = mlp({ widths: [3, 6, 1] });
    const weights = Array.from({ length: 60 }, (_, i) => (data.y[i]! > 0 ? 2 : 0.5));
    const run = trainWeighted({
      data,
      model,
      weights,
      loss: logistic,
      steps: 200,
      batch: { size: 7, sampling: 'replacement', seed: 1 },
      record: { at: [0, 13, 77, 200], metrics: ['loss', 'margin', 'theta'] },
    });
    expect(run.history.map((r) => r.step)).toEqual([0, 13, 77, 200]);
    for (const row of run.history) {
      const f = model.predict(new Float64Array(60), row.theta!, data.X, 60);
      let loss = 0;
      for (let i = 0; i < 60; i++) loss += weights[i]! * logistic.value(data.y[i]! * f[i]!);
      loss /= 60;
      expect(row.loss).toBeCloseTo(loss, 13);
      expect(row.margin).toBeCloseTo(Math.min(...normalizedMargins(model, row.theta!, data)), 13);
    }
  });

  it('a mini-batch step reads |B| rows, not n: a model that counts the rows it is shown sees size·steps rows plus n per recorded step', () => {
    const data = datasets.separable({ n: 5000, seed: 4 });
    const base = linear(2);
    let rows = 0;
    const counting: Model = {
      ...base,
      objective(grad, theta, d, c, loss, shift, margins) {
        rows += d.n;
        return base.objective(grad, theta, d, c, loss, shift, margins);
      },
    };
    rows = 0;
    trainWeighted({ data, model: counting, steps: 400, batch: { size: 8 }, record: { at: [0, 400] } });
    expect(rows).toBe(400 * 8 + 2 * 5000);
    rows = 0;
    trainWeighted({ data, model: counting, steps: 10, record: { at: [0, 10] } });
    expect(rows).toBe(11 * 5000);
  });

  it('trainWeightedAsync({ batch }) gives the sync result bit for bit', async () => {
    const data = datasets.separable({ n: 40, seed: 5 });
    const opts = { data, steps: 500, optimizer: adam({ lr: 0.05 }), batch: { size: 6, seed: 2 } };
    const a = trainWeighted(opts);
    const b = await trainWeightedAsync(opts);
    expect(hashResult(b as unknown as Record<string, unknown>)).toBe(
      hashResult(a as unknown as Record<string, unknown>),
    );
    expect(JSON.stringify(b.state)).toBe(JSON.stringify(a.state));
  });

  it('SGD on under-determined least squares from w₀ = 0 converges to minNormInterpolant (its iterates stay in the row space), batch 1 with replacement', () => {
    const data = datasets.underdetermined({ n: 6, d: 15, seed: 2 });
    const target = minNormInterpolant(data.X, data.y, new Float64Array(15)).w;
    const run = trainRegression({
      data,
      steps: 20_000,
      optimizer: gd({ lr: 0.002 }),
      batch: { size: 1, sampling: 'replacement', seed: 1 },
    });
    let dist = 0;
    for (let j = 0; j < 15; j++) dist += (run.w[j]! - target[j]!) ** 2;
    expect(Math.sqrt(dist)).toBeLessThan(1e-6);
  });

  it('trainMulticlass, trainLearnedWeights and trainMatrixFactorization take batch (deterministic runs whose recorded loss is the full objective)', () => {
    const blobs = datasets.blobs({ n: 45, k: 3, seed: 5 });
    const m1 = trainMulticlass({ data: blobs, steps: 200, batch: { size: 9 } });
    const m2 = trainMulticlass({ data: blobs, steps: 200, batch: { size: 9 } });
    expectSameBits(m2.theta, m1.theta);
    const full = trainMulticlass({ data: blobs, steps: 0, init: m1.theta });
    expect(m1.history.at(-1)!.loss).toBe(full.history[0]!.loss);

    const sep = datasets.separable({ n: 30, seed: 6 });
    const lw = trainLearnedWeights({ data: sep, steps: 150, batch: { size: 4, sampling: 'replacement' } });
    const lwFull = trainLearnedWeights({
      data: sep,
      steps: 0,
      init: lw.theta,
      weightInit: { psi: lw.psi, bias: lw.bias },
    });
    expect(lw.history.at(-1)!.loss).toBe(lwFull.history[0]!.loss);

    const completion = datasets.matrixCompletion({ rows: 6, cols: 5, rank: 1, observed: 0.6, seed: 8 });
    const f = trainMatrixFactorization({
      data: completion,
      depth: 2,
      lr: 0.01,
      steps: 300,
      batch: { size: 5, sampling: 'replacement', seed: 2 },
      record: { at: [300], metrics: ['loss', 'endMatrix'] },
    });
    const W = f.history.at(-1)!.endMatrix!;
    let loss = 0;
    completion.observed.forEach((idx, s) => {
      loss += (W[idx]! - completion.values[s]!) ** 2;
    });
    expect(f.history.at(-1)!.loss).toBeCloseTo(loss, 12);
  });

  it('factorizationObjective counts an observed entry listed twice twice (mini-batches drawn with replacement)', () => {
    const s = createFactorizationScratch(1, 1, 2, 1);
    const once = new Float64Array(2);
    const twice = new Float64Array(2);
    const l1 = factorizationObjective(once, Float64Array.of(2, 3), Int32Array.of(0), Float64Array.of(5), s);
    const l2 = factorizationObjective(
      twice,
      Float64Array.of(2, 3),
      Int32Array.of(0, 0),
      Float64Array.of(5, 5),
      s,
    );
    expect(l2).toBe(2 * l1);
    expect(Array.from(twice)).toEqual([12, 8]);
  });

  it('bad batch options give INVALID_INPUT naming the function, the option and the value', () => {
    const data = datasets.separable({ n: 10, seed: 1 });
    expect(() => trainWeighted({ data, steps: 1, batch: { size: 0 } })).toThrow(
      invalid('trainWeighted: batch.size'),
    );
    expect(() => trainWeighted({ data, steps: 1, batch: { size: 11 } })).toThrow(invalid('got 11'));
    expect(() => trainWeighted({ data, steps: 1, batch: { size: 2.5 } })).toThrow(invalid('batch.size'));
    expect(() =>
      trainWeighted({ data, steps: 1, batch: { size: 2, sampling: 'shuffle' as 'epoch' } }),
    ).toThrow(invalid('batch.sampling'));
    expect(() => trainWeighted({ data, steps: 1, batch: { size: 2, seed: 0.5 } })).toThrow(
      invalid('batch.seed'),
    );
    expect(() =>
      trainWeighted({ data, steps: 1, batch: { size: 2, shuffle: true } as unknown as { size: number } }),
    ).toThrow(invalid('shuffle'));
    expect(() => trainWeighted({ data, steps: 1, batch: 32 as unknown as { size: number } })).toThrow(
      invalid('batch'),
    );
    const reg = datasets.underdetermined({ n: 4, d: 6, seed: 1 });
    expect(() => trainRegression({ data: reg, steps: 1, batch: { size: 5 } })).toThrow(
      invalid('trainRegression: batch.size'),
    );
  });
});

describe('createSampler (internal: the mini-batch sampler)', () => {
  it("'epoch' visits every row exactly once per epoch, in the documented Fisher–Yates order, the last batch of an epoch holding n mod size rows (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        (n, s, seed) => {
          const size = Math.min(s, n);
          const sampler = createSampler('test', { size, sampling: 'epoch', seed }, n);
          const rng = createRng(seed, RNG_STREAMS.batch);
          for (let epoch = 0; epoch < 3; epoch++) {
            const seen: number[] = [];
            while (seen.length < n) {
              const m = sampler.next();
              expect(m).toBe(Math.min(size, n - seen.length));
              seen.push(...sampler.indices.subarray(0, m));
            }
            expect(seen).toEqual(epochOrder(rng, n));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("'epoch' orders are uniform over permutations: the 6 orders of 3 rows over 6000 epochs pass a χ² test at the 0.1% level", () => {
    const sampler = createSampler('test', { size: 3, sampling: 'epoch', seed: 11 }, 3);
    const counts = new Map<string, number>();
    for (let e = 0; e < 6000; e++) {
      sampler.next();
      const key = Array.from(sampler.indices).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - 1000) ** 2 / 1000;
    expect(chi2).toBeLessThan(20.52); // χ²₅ 0.999 quantile
  });

  it("'replacement' draws each row uniformly and independently (χ² over 10 rows and 20 000 draws) and 'none' goes in order, epoch after epoch", () => {
    const sampler = createSampler('test', { size: 4, sampling: 'replacement', seed: 3 }, 10);
    const counts = new Array(10).fill(0);
    for (let b = 0; b < 5000; b++) {
      expect(sampler.next()).toBe(4);
      for (const i of sampler.indices) counts[i]++;
    }
    let chi2 = 0;
    for (const c of counts) chi2 += (c - 2000) ** 2 / 2000;
    expect(chi2).toBeLessThan(27.88); // χ²₉ 0.999 quantile
    const none = createSampler('test', { size: 4, sampling: 'none', seed: 3 }, 10);
    const batches: number[][] = [];
    for (let b = 0; b < 4; b++) {
      const m = none.next();
      batches.push(Array.from(none.indices.subarray(0, m)));
    }
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
      [0, 1, 2, 3],
    ]);
  });

  it('save() and load() continue the same draws, through JSON, at any point (property over samplings)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('epoch', 'replacement', 'none'),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        fc.nat(),
        (sampling, n, s, k, seed) => {
          const plan = { size: Math.min(s, n), sampling, seed } as const;
          const a = createSampler('test', plan, n);
          for (let j = 0; j < k; j++) a.next();
          const saved = jsonRoundTrip(a.save());
          const b = createSampler('test', plan, n);
          b.load(saved);
          for (let j = 0; j < 10; j++) {
            const m = a.next();
            expect(b.next()).toBe(m);
            expect(Array.from(b.indices.subarray(0, m))).toEqual(Array.from(a.indices.subarray(0, m)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('batch: with a learned model', () => {
  it('SGD (batch 4) on separable data from θ₀ = 0 heads for the ℓ2 max-margin direction with GD: its angle to θ⋆ falls from 10³ to 2·10⁴ steps by ≥ 1.5× and stays within 0.1° of GD’s, with and without class weights', () => {
    const data: Dataset = datasets.separable({ n: 40, seed: 0 });
    const svm = hardMarginSVM(data);
    const deg = (r: { angle?: number }) => (r.angle! * 180) / Math.PI;
    for (const weights of [undefined, Array.from(data.y, (y) => (y > 0 ? 5 : 1))]) {
      const run = (batch?: { size: number; seed: number }) =>
        trainWeighted({
          data,
          init: [0, 0],
          steps: 20_000,
          optimizer: gd({ lr: 0.1 }),
          reference: svm,
          ...(batch === undefined ? {} : { batch }),
          ...(weights === undefined ? {} : { weights }),
          record: { at: [1000, 20_000], metrics: ['angle'] },
        }).history;
      const [, sgd1000, sgdEnd] = run({ size: 4, seed: 1 });
      const [, , gdEnd] = run();
      expect(deg(sgd1000!)).toBeGreaterThan(1.5 * deg(sgdEnd!));
      expect(Math.abs(deg(sgdEnd!) - deg(gdEnd!))).toBeLessThan(0.1);
    }
  });
});
