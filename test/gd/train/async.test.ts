/**
 * The async twins of the training loops: the same result as the sync call bit for bit (every golden case),
 * responsive (timers fire while they run), stopped from outside by `signal` with a state that resumes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  datasets,
  gd,
  ImplicitBiasError,
  ready,
  trainLearnedWeightsAsync,
  trainMatrixFactorizationAsync,
  trainMulticlassAsync,
  trainRegressionAsync,
  trainWeighted,
  trainWeightedAsync,
} from '../../../src/index.js';
import { type GoldenCase, goldenCases, hashResult, type Loop, runCase } from '../../golden/cases.js';
import traces from '../../golden/traces.json' with { type: 'json' };

const ASYNC: Record<Loop, (options: never) => Promise<unknown>> = {
  trainWeighted: trainWeightedAsync,
  trainMulticlass: trainMulticlassAsync,
  trainRegression: trainRegressionAsync,
  trainLearnedWeights: trainLearnedWeightsAsync,
  trainMatrixFactorization: trainMatrixFactorizationAsync,
};

async function runAsyncCase(c: GoldenCase): Promise<Record<string, unknown>> {
  try {
    return (await ASYNC[c.loop](c.options() as never)) as Record<string, unknown>;
  } catch (e) {
    const err = e as ImplicitBiasError & { step?: number; lastFiniteTheta?: Float64Array };
    if (!(e instanceof ImplicitBiasError)) throw e;
    return { error: err.code, message: err.message, step: err.step, lastFiniteTheta: err.lastFiniteTheta };
  }
}

describe('train*Async', () => {
  beforeAll(async () => {
    await ready();
  });

  it('trainWeightedAsync, trainMulticlassAsync, trainRegressionAsync, trainLearnedWeightsAsync and trainMatrixFactorizationAsync give every golden trace bit for bit, and the sync call’s state', async () => {
    const expected = traces as Record<string, string>;
    const mismatched: string[] = [];
    for (const c of goldenCases()) {
      const a = await runAsyncCase(c);
      if (hashResult(a) !== expected[c.name]) mismatched.push(c.name);
      const s = runCase(c);
      if ('state' in s && JSON.stringify(a.state) !== JSON.stringify(s.state))
        mismatched.push(`${c.name} (state)`);
    }
    expect(mismatched).toEqual([]);
  });

  it('trainWeightedAsync({ steps: 1e8, signal: AbortSignal.timeout(200) }) resolves with status aborted while timers keep firing, and its state resumes to the uninterrupted run', async () => {
    const data = datasets.separable({ n: 40, seed: 3 });
    const options = { data, optimizer: gd({ lr: 0.1 }), record: { points: 30 } };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const start = performance.now();
    const run = await trainWeightedAsync({ ...options, steps: 1e8, signal: AbortSignal.timeout(200) });
    const elapsed = performance.now() - start;
    clearInterval(timer);
    expect(run.status).toBe('aborted');
    expect(run.steps).toBeGreaterThan(0);
    expect(run.steps).toBeLessThan(1e8);
    // a liveness bound, not a speed claim: the abort is seen within a slice of ~16 ms after it fires
    expect(elapsed).toBeLessThan(5000);
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(run.history.at(-1)!.step).toBe(run.steps);
    // resume to a total a little past the abort, and compare with one uninterrupted run of that total
    const total = run.steps + 1000;
    const resumed = trainWeighted({
      ...options,
      steps: total,
      resume: JSON.parse(JSON.stringify(run.state)),
    });
    const full = trainWeighted({ ...options, steps: total });
    expect(Array.from(resumed.theta)).toEqual(Array.from(full.theta));
    expect(resumed.history.at(-1)).toEqual(full.history.at(-1));
  });

  it('train*Async with a signal aborted before the call resolves at step 0 with status aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = await trainRegressionAsync({
      data: datasets.underdetermined({ n: 5, d: 10, seed: 1 }),
      steps: 100,
      signal: controller.signal,
    });
    expect(run.status).toBe('aborted');
    expect(run.steps).toBe(0);
    expect(run.history.map((r) => r.step)).toEqual([0]);
  });

  it('train*Async rejects bad options with INVALID_INPUT (it does not throw synchronously)', async () => {
    const data = datasets.separable({ n: 10, seed: 1 });
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = trainWeightedAsync({ data, steps: -1 });
    }).not.toThrow();
    await expect(promise).rejects.toMatchObject({ code: 'INVALID_INPUT', option: 'steps' });
    await expect(trainMulticlassAsync({ data: data as never, steps: 1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
