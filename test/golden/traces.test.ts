/**
 * Every golden case (test/golden/cases.ts: the five training loops over every optimizer, schedule, norm,
 * potential, loss, model and recording option) gives the same bits as the code before the single training
 * driver: θ, every history row, the status, and for a run that throws, the error's step and last finite θ.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../src/index.js';
import { goldenCases, hashResult, runCase } from './cases.js';
import traces from './traces.json' with { type: 'json' };

describe('golden traces', () => {
  beforeAll(async () => {
    await ready();
  });
  it('every case of test/golden/cases.ts is in traces.json and vice versa', () => {
    const names = goldenCases().map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.keys(traces).sort());
  });
  it('trainWeighted, trainMulticlass, trainRegression, trainLearnedWeights and trainMatrixFactorization reproduce every recorded trace bit for bit', () => {
    const expected = traces as Record<string, string>;
    const mismatched: string[] = [];
    for (const c of goldenCases()) {
      if (hashResult(runCase(c)) !== expected[c.name]) mismatched.push(c.name);
    }
    expect(mismatched).toEqual([]);
  });
});
