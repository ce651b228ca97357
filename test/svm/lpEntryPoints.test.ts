/**
 * The async/sync entry points of the LP-backed references (src/svm/lp/withLPSolver.ts) and the
 * `loadLPSolver` alias of `ready`. Runs in its own module graph, so the solver starts unloaded.
 */
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import {
  dataset,
  loadLPSolver,
  maxMarginDirection,
  maxMarginDirectionSync,
  ready,
  separablePartition,
  separablePartitionSync,
} from '../../src/index.js';

const data = dataset(
  [
    [1, 0],
    [-1, 0],
    [0, 1],
  ],
  [1, 1, 1],
);

describe('LP entry points', () => {
  it('separablePartitionSync(data) checks its arguments before it looks for the solver', () => {
    expect(() => separablePartitionSync(data, { tol: 2 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^separablePartitionSync: /),
      }),
    );
    expect(() => maxMarginDirectionSync(data, { norm: 'l2' as never })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/^maxMarginDirectionSync: /),
      }),
    );
  });

  it('separablePartitionSync(data) before the solver is loaded throws SOLVER_FAILED naming itself and its async form', () => {
    expect(() => separablePartitionSync(data)).toThrow(
      expect.objectContaining({
        code: 'SOLVER_FAILED',
        message: expect.stringMatching(/^separablePartitionSync: .*await ready\(\).*\(separablePartition\)/),
      }),
    );
  });

  it('separablePartition(data) rejects bad arguments with INVALID_INPUT naming the async form', async () => {
    await expect(separablePartition(data, { tol: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^separablePartition: options\.tol /),
    });
    await expect(maxMarginDirection(data, { norm: 'l3' as never })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^maxMarginDirection: options\.norm /),
    });
  });

  it('loadLPSolver is ready under a telling name, exported from the package root', async () => {
    expect(loadLPSolver).toBe(ready);
    expect(root.loadLPSolver).toBe(root.ready);
    await loadLPSolver();
  });

  it('after loadLPSolver() the sync forms return what the async forms return', async () => {
    await loadLPSolver();
    expect(separablePartitionSync(data)).toEqual(await separablePartition(data));
    const separable = dataset(
      [
        [2, 0],
        [0, 1],
      ],
      [1, 1],
    );
    for (const norm of ['l1', 'linf'] as const) {
      expect(maxMarginDirectionSync(separable, { norm })).toEqual(
        await maxMarginDirection(separable, { norm }),
      );
    }
  });
});
