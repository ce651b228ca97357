/**
 * The resumable state of the training driver, as properties over the golden cases (every loop, optimizer,
 * schedule, norm, potential, loss, model, weighting and recording option): a run interrupted at any step,
 * its `state` sent through JSON, and resumed with the same options and total gives the uninterrupted run bit
 * for bit — θ, every history row and the final state; a finished run extended keeps its own rows and matches
 * the longer run from there on; and a state from other data or options is refused naming what differs.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  datasets,
  gd,
  ImplicitBiasError,
  inverseTime,
  linear,
  momentum,
  ready,
  type TrainState,
  trainWeighted,
} from '../../../src/index.js';
import { type GoldenCase, goldenCases, hashResult, runLoop } from '../../golden/cases.js';

/** A signal that reports `aborted` from its (k + 1)-th read on: the loop reads it once per step, so it stops at step k. */
function abortAtStep(k: number): AbortSignal {
  let reads = 0;
  return {
    get aborted() {
      reads++;
      return reads > k;
    },
  } as AbortSignal;
}

/** The run's outcome, or the library error it threw (code, message, step, last finite θ). */
function attempt(c: GoldenCase, extra: Record<string, unknown>): Record<string, unknown> {
  try {
    return runLoop(c.loop, { ...c.options(), ...extra });
  } catch (e) {
    const err = e as ImplicitBiasError & { step?: number; lastFiniteTheta?: Float64Array };
    if (!(e instanceof ImplicitBiasError)) throw e;
    return { error: err.code, message: err.message, step: err.step, lastFiniteTheta: err.lastFiniteTheta };
  }
}

const jsonRoundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

let cases: GoldenCase[] = [];

describe('resume: state', () => {
  beforeAll(async () => {
    await ready();
    // Cases that bring their own signal abort from onProgress; the others are split at any step.
    cases = goldenCases().filter((c) => !('signal' in c.options()));
  });

  it('every train* result carries a state that survives JSON.parse(JSON.stringify(state)) unchanged', () => {
    for (const c of cases) {
      const r = attempt(c, {});
      if ('error' in r) continue;
      const state = r.state as TrainState;
      expect(state.format).toBe('implicit-bias/train-state');
      expect(state.step, c.name).toBe(r.steps);
      expect(jsonRoundTrip(state), c.name).toEqual(state);
      expect(JSON.stringify(jsonRoundTrip(state))).toBe(JSON.stringify(state));
    }
  });

  it('train*({ ..., resume: JSON(state) }) after an interruption at any step equals the uninterrupted run bit for bit: θ, every history row, the final state (property over all golden cases)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (pick, fraction) => {
        const c = cases[pick % cases.length]!;
        const full = attempt(c, {});
        const steps = c.options().steps as number;
        const k = Math.floor(fraction * steps);
        const part = attempt(c, { signal: abortAtStep(k) });
        if ('error' in part) {
          // the run diverged (and threw) before step k: the uninterrupted run throws the same
          expect(hashResult(part)).toBe(hashResult(full));
          return;
        }
        if (part.status === 'diverged') {
          expect(hashResult(part)).toBe(hashResult(full));
          return;
        }
        // at k = steps the run ends before it looks at the signal
        expect(part.status).toBe(k === steps ? 'completed' : 'aborted');
        expect(part.steps).toBe(k);
        const resumed = attempt(c, { resume: jsonRoundTrip(part.state) });
        expect(hashResult(resumed), `${c.name} split at ${k}`).toBe(hashResult(full));
        if (!('error' in full)) {
          expect(JSON.stringify(resumed.state)).toBe(JSON.stringify(full.state));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('train*({ ..., resume }) equals the uninterrupted run for every golden case split at steps 1, ⌊steps/3⌋ and steps − 1 (the recorders’ state too: a sharpness run aborted between recorded steps keeps its warm start as it was before the abort row)', () => {
    for (const c of cases) {
      const steps = c.options().steps as number;
      const full = attempt(c, {});
      for (const k of new Set([1, Math.floor(steps / 3), steps - 1].filter((k) => k >= 0 && k <= steps))) {
        const part = attempt(c, { signal: abortAtStep(k) });
        if ('error' in part || part.status === 'diverged') {
          expect(hashResult(part), `${c.name} split at ${k}`).toBe(hashResult(full));
          continue;
        }
        const resumed = attempt(c, { resume: jsonRoundTrip(part.state) });
        expect(hashResult(resumed), `${c.name} split at ${k}`).toBe(hashResult(full));
      }
    }
  });

  it('resuming twice (interrupted at k₁, then at k₂ > k₁) still equals the uninterrupted run', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (pick, f1, f2) => {
          const c = cases[pick % cases.length]!;
          const full = attempt(c, {});
          fc.pre(!('error' in full) && full.status === 'completed');
          const steps = c.options().steps as number;
          const k1 = Math.floor(Math.min(f1, f2) * steps);
          const k2 = Math.floor(Math.max(f1, f2) * steps);
          const a = attempt(c, { signal: abortAtStep(k1) });
          // the second leg reads the signal once per step from k₁ on
          const b = attempt(c, { resume: jsonRoundTrip(a.state), signal: abortAtStep(k2 - k1) });
          expect(b.steps).toBe(k2);
          const end = attempt(c, { resume: jsonRoundTrip(b.state) });
          expect(hashResult(end), c.name).toBe(hashResult(full));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a run aborted at an unscheduled step shows that step as its last row, but its state does not, so the resumed history has exactly the scheduled rows', () => {
    const data = datasets.separable({ n: 30, seed: 2 });
    const opts = { data, steps: 100, optimizer: momentum({ lr: 0.1 }), record: { at: [10, 50] } };
    const full = trainWeighted(opts);
    const part = trainWeighted({ ...opts, signal: abortAtStep(37) });
    expect(part.history.map((r) => r.step)).toEqual([0, 10, 37]);
    expect(part.state.history.length).toBe(2);
    const resumed = trainWeighted({ ...opts, resume: jsonRoundTrip(part.state) });
    expect(resumed.history.map((r) => r.step)).toEqual([0, 10, 50, 100]);
    expect(hashResult(resumed as unknown as Record<string, unknown>)).toBe(
      hashResult(full as unknown as Record<string, unknown>),
    );
  });

  it('a finished run extended to more steps keeps its own rows and matches the longer run from where it ended (θ bit for bit, later rows too)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (pick, fraction) => {
        const c = cases[pick % cases.length]!;
        const steps = c.options().steps as number;
        const s1 = Math.floor(fraction * steps);
        const long = attempt(c, {});
        fc.pre(!('error' in long) && long.status === 'completed' && s1 > 0);
        const short = attempt(c, { steps: s1 });
        fc.pre(!('error' in short) && short.status === 'completed');
        const extended = attempt(c, { resume: jsonRoundTrip(short.state) });
        const rows = extended.history as { step: number }[];
        const own = short.history as { step: number }[];
        expect(hashResult({ rows: rows.slice(0, own.length) })).toBe(hashResult({ rows: own }));
        const later = (long.history as { step: number }[]).filter((r) => r.step > s1);
        expect(hashResult({ rows: rows.slice(own.length) })).toBe(hashResult({ rows: later }));
        for (const key of [
          'theta',
          'w',
          'endMatrix',
          'psi',
          'bias',
          'weights',
          'stalledAt',
          'steps',
          'status',
        ]) {
          if (key in long)
            expect(hashResult({ v: extended[key] }), `${c.name}: ${key}`).toBe(hashResult({ v: long[key] }));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('resume: refused', () => {
  const data = datasets.separable({ n: 20, seed: 1 });
  const base = { data, steps: 50, optimizer: gd({ lr: 0.1 }) };
  const state = (): TrainState => trainWeighted({ ...base, steps: 20 }).state;
  const refused = (options: Record<string, unknown>, pattern: RegExp): void => {
    let error: unknown;
    try {
      trainWeighted({ ...base, ...options } as Parameters<typeof trainWeighted>[0]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImplicitBiasError);
    expect((error as ImplicitBiasError).code).toBe('INVALID_INPUT');
    expect((error as Error).message).toMatch(pattern);
  };

  it('trainWeighted({ resume }) with other data, weights, optimizer, model options, seed or record options throws INVALID_INPUT naming what differs', () => {
    const s = state();
    refused({ resume: s, data: datasets.separable({ n: 20, seed: 2 }) }, /trainWeighted: resume .*data/);
    refused(
      { resume: s, weights: Array.from({ length: 20 }, (_, i) => 1 + (i % 2)) },
      /what differs: weights/,
    );
    refused(
      { resume: s, optimizer: gd({ lr: 0.2 }) },
      /what differs: optimizer \(saved gd\{lr:0\.1\}, now gd\{lr:0\.2\}\)/,
    );
    refused({ resume: s, optimizer: momentum({ lr: 0.1 }) }, /optimizer/);
    refused({ resume: s, seed: 3 }, /what differs: init/);
    refused({ resume: s, record: { points: 7 } }, /what differs: record/);
    refused({ resume: s, regularization: { lambda: 1e-3, r: 2 } }, /regularization/);
  });

  it('trainWeighted({ resume }) tells schedules apart by their description: another decay of the same builder is refused, the same one resumes', () => {
    const withSchedule = (decay: number) => ({
      ...base,
      optimizer: gd({ lr: inverseTime({ lr: 0.1, decay }) }),
    });
    const s = trainWeighted({ ...withSchedule(0.01), steps: 20 }).state;
    refused(
      { ...withSchedule(0.02), resume: s },
      /optimizer \(saved gd\{lr:inverseTime\(\{ lr: 0.1, decay: 0.01 \}\)\}/,
    );
    const resumed = trainWeighted({ ...withSchedule(0.01), resume: s });
    expect(Array.from(resumed.theta)).toEqual(Array.from(trainWeighted(withSchedule(0.01)).theta));
  });

  it('resume with steps below the state step, a diverged state, another loop, or a malformed state throws INVALID_INPUT', () => {
    const s = state();
    refused({ resume: s, steps: 10 }, /steps must be at least the resumed state's step 20/);
    refused({ resume: { ...s, fn: 'trainMulticlass' } }, /is the state of a "trainMulticlass" run/);
    refused(
      { resume: { ...s, status: 'diverged', divergedAt: 7 } },
      /diverged at step 7; it cannot be resumed/,
    );
    refused({ resume: { ...s, format: 'x' } }, /must be the state of a training run/);
    refused({ resume: { ...s, theta: [1] } }, /resume.theta must be 2 numbers/);
    refused(
      { resume: { ...s, history: [{ step: 5 }, { step: 3 }] } },
      /resume.history\[1\].step must increase/,
    );
    refused({ resume: 'state' }, /resume must be/);
  });

  it('a model that differs only in an execution setting (threads, as parallelLinear) resumes: the fingerprint ignores it', () => {
    const a = trainWeighted({ ...base, steps: 20 });
    const model = { ...linear(2), threads: 4 };
    const b = trainWeighted({ ...base, model, resume: a.state });
    const full = trainWeighted(base);
    expect(Array.from(b.theta)).toEqual(Array.from(full.theta));
    refused({ resume: a.state, model: linear(2, { bias: true }) }, /what differs: model/);
  });
});
