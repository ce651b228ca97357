/**
 * `dropout` in trainWeighted: rate 0 is no dropout bit for bit (every golden MLP case), a step uses the masks
 * the docs describe, metrics are those of the network without dropout, runs are deterministic and resume
 * exactly, and models without hidden units are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRng,
  datasets,
  exponential,
  gd,
  linear,
  logistic,
  type Model,
  mlp,
  RNG_STREAMS,
  ready,
  trainWeighted,
  weightedRisk,
} from '../../../src/index.js';
import { goldenCases, hashResult, runLoop } from '../../golden/cases.js';
import traces from '../../golden/traces.json' with { type: 'json' };
import { expectSameBits, invalid } from '../../helpers/index.js';

const jsonRoundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('trainWeighted({ dropout })', () => {
  beforeAll(async () => {
    await ready();
  });

  it('dropout: 0 gives every golden MLP trace of trainWeighted bit for bit', () => {
    const expected = traces as Record<string, string>;
    const mlpCases = goldenCases().filter(
      (c) => c.loop === 'trainWeighted' && ((c.options().model as Model | undefined)?.hiddenUnits ?? 0) > 0,
    );
    expect(mlpCases.length).toBeGreaterThan(5);
    for (const c of mlpCases) {
      let r: Record<string, unknown>;
      try {
        r = runLoop(c.loop, { ...c.options(), dropout: 0 });
      } catch (e) {
        const err = e as { code: string; message: string; step?: number; lastFiniteTheta?: Float64Array };
        r = { error: err.code, message: err.message, step: err.step, lastFiniteTheta: err.lastFiniteTheta };
      }
      expect(hashResult(r), c.name).toBe(expected[c.name]);
    }
  });

  it('one gd step with dropout p is θ − lr·∇ of the objective with the documented masks: row by row, units layer by layer, 0 when createRng(seed, RNG_STREAMS.dropout).uniform() < p, else 1/(1 − p)', () => {
    const data = datasets.moons({ n: 30, seed: 2, appendOne: true });
    const model = mlp({ widths: [3, 4, 3, 1] });
    expect(model.hiddenUnits).toBe(7);
    const init = model.init(createRng(5));
    const rate = 0.4;
    const lr = 0.2;
    for (const seed of [0, 9]) {
      const run = trainWeighted({ data, model, init, seed, steps: 1, optimizer: gd({ lr }), dropout: rate });
      const rng = createRng(seed, RNG_STREAMS.dropout);
      const mask = new Float64Array(30 * 7);
      for (let q = 0; q < mask.length; q++) mask[q] = rng.uniform() < rate ? 0 : 1 / (1 - rate);
      const grad = new Float64Array(model.size);
      const c = new Float64Array(30).fill(1 / 30);
      model.objective(grad, init, data, c, exponential, 0, new Float64Array(30), mask);
      const expected = init.map((t, j) => t - lr * grad[j]!);
      expectSameBits(run.theta, expected);
    }
  });

  it('records the network without dropout: loss = (1/n) Σ wᵢ ℓ(yᵢ f(θ, xᵢ)) at the recorded θ, and the run differs from p = 0', () => {
    const data = datasets.moons({ n: 40, seed: 3, appendOne: true });
    const model = mlp({ widths: [3, 16, 1] });
    const weights = Array.from(data.y, (y) => (y > 0 ? 3 : 1));
    const opts = { data, model, weights, loss: logistic, steps: 150, seed: 1 } as const;
    const run = trainWeighted({
      ...opts,
      dropout: 0.5,
      record: { at: [0, 50, 150], metrics: ['loss', 'theta'] },
    });
    for (const row of run.history) {
      const f = model.predict(new Float64Array(40), row.theta!, data.X, 40);
      const u = Array.from(f, (v, i) => data.y[i]! * v);
      expect(row.loss).toBeCloseTo(weightedRisk(logistic, u, weights), 13);
    }
    const none = trainWeighted(opts);
    expect(Array.from(run.theta)).not.toEqual(Array.from(none.theta));
  });

  it('is deterministic, and a run with dropout interrupted at any step resumes bit for bit from its JSON state', () => {
    const data = datasets.moons({ n: 50, seed: 4, appendOne: true });
    const opts = {
      data,
      model: mlp({ widths: [3, 8, 8, 1] }),
      loss: logistic,
      steps: 120,
      dropout: 0.3,
      optimizer: gd({ lr: 0.01 }),
      record: { points: 15 },
    } as const;
    const full = trainWeighted(opts);
    const again = trainWeighted(opts);
    expect(hashResult(again as unknown as Record<string, unknown>)).toBe(
      hashResult(full as unknown as Record<string, unknown>),
    );
    for (const k of [0, 1, 37, 119]) {
      let reads = 0;
      const signal = {
        get aborted() {
          return ++reads > k;
        },
      } as AbortSignal;
      const part = trainWeighted({ ...opts, signal });
      const resumed = trainWeighted({ ...opts, resume: jsonRoundTrip(part.state) });
      expect(hashResult(resumed as unknown as Record<string, unknown>), `split at ${k}`).toBe(
        hashResult(full as unknown as Record<string, unknown>),
      );
      expect(JSON.stringify(resumed.state)).toBe(JSON.stringify(full.state));
    }
    const other = trainWeighted({ ...opts, dropout: 0.2 });
    expect(() => trainWeighted({ ...opts, dropout: 0.2, resume: full.state })).toThrow(invalid('dropout'));
    expect(other.status).toBe('completed');
  });

  it('bad dropout options give INVALID_INPUT naming the function, the option and the value', () => {
    const data = datasets.separable({ n: 10, seed: 1 });
    expect(() => trainWeighted({ data, steps: 1, dropout: 0.2 })).toThrow(
      invalid(
        'trainWeighted: dropout needs a model with hidden units (e.g. mlp({ widths: [d, h, 1] })), but "linear" has none',
      ),
    );
    expect(() => trainWeighted({ data, model: linear(2), steps: 1, dropout: 0.2 })).toThrow(invalid('0.2'));
    expect(() => trainWeighted({ data, model: mlp({ widths: [2, 1] }), steps: 1, dropout: 0.5 })).toThrow(
      invalid('"mlp" has none'),
    );
    const net = mlp({ widths: [2, 3, 1] });
    for (const bad of [1, -0.1, Number.NaN, 1.5]) {
      expect(() => trainWeighted({ data, model: net, steps: 1, dropout: bad })).toThrow(
        invalid('trainWeighted: dropout'),
      );
    }
    expect(() => trainWeighted({ data, model: net, steps: 1, dropout: '0.2' as unknown as number })).toThrow(
      invalid('dropout'),
    );
    // p = 0 is accepted on any model (it is no dropout)
    expect(trainWeighted({ data, steps: 1, dropout: 0 }).status).toBe('completed');
  });
});
