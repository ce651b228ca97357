/**
 * `trainWeighted`'s `proposition2` option: the recorded Proposition 2 metrics equal `proposition2Metrics`
 * and `proposition2Rate` evaluated on the recorded `theta` rows, and bad options fail with INVALID_INPUT.
 * A second reference for the distance comes from `projectNonSep` (a different projection routine).
 */

import { describe, expect, it } from 'vitest';
import { dataset } from '../src/datasets/dataset.js';
import { datasets } from '../src/datasets/index.js';
import { gd } from '../src/gd/optimizers/gd.js';
import { trainWeighted } from '../src/gd/train/trainWeighted.js';
import { proposition2Metrics, proposition2Rate } from '../src/metrics/proposition2.js';
import { linear } from '../src/models/linear.js';
import { ready } from '../src/svm/lp/index.js';
import {
  nonSeparableOptimum,
  type PartitionSubspaces,
  projectNonSep,
  separablePartition,
} from '../src/svm/partition/index.js';

describe('trainWeighted({ proposition2 })', () => {
  it('trainWeighted({ proposition2: { partition, optimum } }) records nonSepDistance, sepAngle, sepNorm and proposition2Rate equal to proposition2Metrics on the recorded θ', async () => {
    const data = datasets.partitioned({ nSep: 12, nNonSep: 6, d: 4, seed: 3 });
    const partition = await separablePartition(data);
    expect(Array.from(partition.separable)).toEqual(Array.from(data.knownSeparable));
    const weights = Array.from({ length: data.n }, (_, i) => 0.5 + (i % 3) * 0.75);
    const optimum = nonSeparableOptimum(data, partition, { weights });
    const run = trainWeighted({
      data,
      steps: 3000,
      weights,
      optimizer: gd({ lr: 0.05 }),
      proposition2: { partition, optimum },
      record: {
        points: 12,
        metrics: ['theta', 'nonSepDistance', 'sepAngle', 'sepNorm', 'proposition2Rate'],
      },
    });
    expect(run.history.length).toBeGreaterThan(8);
    for (const row of run.history) {
      const ref = proposition2Metrics(row.theta!, partition, optimum);
      expect(row.nonSepDistance).toBe(ref.nonSepDistance);
      expect(row.sepAngle).toBe(ref.sepAngle);
      expect(row.sepNorm).toBe(ref.sepNorm);
      expect(row.proposition2Rate).toBe(
        row.step === 0 ? null : proposition2Rate(row.step, optimum.gammaSep!),
      );
      // an independent projection: ‖projectNonSep(θ) − θ̃‖
      const a = projectNonSep(new Float64Array(data.d), partition, row.theta!);
      const dist = Math.hypot(...a.map((v, j) => v - optimum.theta[j]!));
      expect(Math.abs(row.nonSepDistance! - dist)).toBeLessThan(1e-12 * (1 + dist));
    }
    expect(run.history[1]!.step).toBe(1);
    expect(run.history[1]!.proposition2Rate).toBe(0); // log² 1 = 0
    // the run moves toward θ̃
    expect(run.history.at(-1)!.nonSepDistance!).toBeLessThan(run.history[0]!.nonSepDistance!);
  });

  it('trainWeighted({ proposition2 }) records the four metrics by default; sepAngle and the rate are null when D_sep = ∅', async () => {
    await ready();
    // every point non-separable: (1, 0) and (−1, 0) both +1, (0, 1) and (0, −2) both −1
    const data = dataset(
      [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -2],
      ],
      [1, 1, -1, -1],
    );
    const partition = await separablePartition(data);
    expect(partition.separable.length).toBe(0);
    const optimum = nonSeparableOptimum(data, partition);
    const run = trainWeighted({
      data,
      steps: 50,
      proposition2: { partition, optimum },
      record: { at: [10] },
    });
    for (const row of run.history) {
      expect(row.nonSepDistance).toBeGreaterThanOrEqual(0);
      expect(row.sepNorm).toBeLessThan(1e-12); // S = ℝ²
      expect(row.sepAngle).toBeNull();
      expect(row.proposition2Rate).toBeNull();
      expect(row.margin).toBeDefined(); // the usual defaults stay
    }
  });

  it('trainWeighted({ proposition2 }) rejects bad options with INVALID_INPUT naming the option', () => {
    const data = dataset(
      [
        [1, 0],
        [0.5, 1],
        [-0.3, -2],
        [0, 1],
        [0, -1],
      ],
      [1, 1, -1, 1, 1],
    );
    // S = span{e₂} (the pair (0, ±1), both +1), D_sep = {0, 1, 2}
    const partition: PartitionSubspaces = {
      separable: Int32Array.of(0, 1, 2),
      nonSeparable: Int32Array.of(3, 4),
      nonSepBasis: Float64Array.of(0, 1),
      sepBasis: Float64Array.of(1, 0),
      rank: 1,
    };
    const optimum = nonSeparableOptimum(data, partition);
    expect(optimum.theta[1]).toBeCloseTo(0, 12);
    const cases: [object, RegExp][] = [
      [{ proposition2: 1 }, /trainWeighted: proposition2 must be an object, got 1/],
      [{ proposition2: { partition, optimum, x: 1 } }, /x is not a known option/],
      [{ proposition2: { optimum } }, /proposition2.partition must be a SeparablePartition/],
      [
        { proposition2: { partition: { ...partition, separable: Int32Array.of(0, 1) }, optimum } },
        /proposition2.partition must cover all 5 points/,
      ],
      [
        { proposition2: { partition: { ...partition, sepBasis: Float64Array.of(1, 1) }, optimum } },
        /proposition2.partition bases are not orthonormal/,
      ],
      [{ proposition2: { partition } }, /proposition2.optimum must be an object/],
      [
        { proposition2: { partition, optimum: { ...optimum, theta: [0, Number.NaN] } } },
        /proposition2.optimum.theta\[1\] must be finite/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, theta: [1, 0] } } },
        /proposition2.optimum.theta must lie in S/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, sepDirection: [0, 1] } } },
        /proposition2.optimum.sepDirection must lie in S⊥/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, sepDirection: null } } },
        /proposition2.optimum.sepDirection must be/,
      ],
      [
        { proposition2: { partition, optimum: { ...optimum, gammaSep: 0 } } },
        /proposition2.optimum.gammaSep must be a finite number > 0, got 0/,
      ],
      [{ record: { metrics: ['sepAngle'] } }, /proposition2 is required to record sepAngle/],
      [{ model: { ...linear(2), size: 3 }, proposition2: { partition, optimum } }, /needs a linear model/],
    ];
    for (const [extra, msg] of cases) {
      let err: { code?: string; message?: string } = {};
      try {
        trainWeighted({ data, steps: 5, ...extra } as never);
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.code, String(msg)).toBe('INVALID_INPUT');
      expect(err.message, String(msg)).toMatch(msg);
    }
    // and with D_sep = ∅ the SVM fields must be null
    const allNon = dataset(
      [
        [1, 0],
        [-1, 0],
      ],
      [1, 1],
    );
    const pAll: PartitionSubspaces = {
      separable: new Int32Array(0),
      nonSeparable: Int32Array.of(0, 1),
      nonSepBasis: Float64Array.of(1, 0),
      sepBasis: Float64Array.of(0, 1),
      rank: 1,
    };
    expect(() =>
      trainWeighted({
        data: allNon,
        steps: 1,
        proposition2: {
          partition: pAll,
          optimum: { theta: Float64Array.of(0, 0), sepDirection: null, gammaSep: 1 },
        },
      }),
    ).toThrow(/proposition2.optimum.gammaSep must be null when D_sep = ∅/);
  });
});
