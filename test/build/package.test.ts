/**
 * The published shape: `npm test` builds with tsup first (and test/build/globalSetup.ts builds dist/ when it is
 * missing or older than the sources), so these tests load the real dist files the way users do (ESM import
 * and CommonJS require) and check the core bundle stays browser-safe.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/index.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const contract = [
  'dataset',
  'datasets',
  'exponential',
  'logistic',
  'linear',
  'mlp',
  'gd',
  'momentum',
  'adam',
  'normalizedGd',
  'mirrorDescent',
  'steepestDescent',
  'trainWeighted',
  'trainRegression',
  'trainMulticlass',
  'trainLearnedWeights',
  'trainMatrixFactorization',
  'trainWeightedAsync',
  'trainMulticlassAsync',
  'trainRegressionAsync',
  'trainLearnedWeightsAsync',
  'trainMatrixFactorizationAsync',
  'hardMarginSVM',
  'separablePartition',
  'normalizedMargins',
  'normalizedMargin',
  'angle',
  'proposition1Bound',
  'theorem1Bound',
  'kktResidual',
  'minNuclearNormCompletion',
  'maxMarginDirection',
  'ready',
  'loadLPSolver',
  'ImplicitBiasError',
  'readCsv',
  'readLibsvm',
  'standardize',
  'createRng',
];

/** A signal whose `aborted` turns true at its 11th read: the training loop reads it once per step. */
function abortAfter(steps: number): { aborted: boolean } {
  let reads = 0;
  return {
    get aborted() {
      reads++;
      return reads > steps;
    },
  };
}

describe('package', () => {
  it('package.json declares a dual ESM/CJS package with types for both conditions', () => {
    expect(pkg.name).toBe('implicit-bias');
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.files).toEqual(['dist']);
    const dot = pkg.exports['.'];
    expect(dot.import.types).toBe('./dist/index.d.ts');
    expect(dot.require.types).toBe('./dist/index.d.cts');
    expect(pkg.scripts.preinstall ?? pkg.scripts.install ?? pkg.scripts.postinstall).toBeUndefined();
  });

  it('the ESM and CJS builds export the API contract names and compute the same result', async () => {
    const esm = await import(join(repoRoot, 'dist/index.js'));
    const cjs = createRequire(import.meta.url)(join(repoRoot, 'dist/index.cjs'));
    for (const name of contract) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
    const run = (lib: typeof esm) => {
      const data = lib.dataset(
        [
          [1, 2],
          [-2, -1],
        ],
        [1, -1],
      );
      const res = lib.trainWeighted({ data, steps: 20, seed: 3 });
      return { theta: Array.from(res.theta as Float64Array), state: JSON.stringify(res.state) };
    };
    expect(run(cjs)).toEqual(run(esm));
    // a state written by one build resumes in the other
    const data = esm.dataset(
      [
        [1, 2],
        [-2, -1],
      ],
      [1, -1],
    );
    const half = cjs.trainWeighted({ data, steps: 10, seed: 3, signal: abortAfter(10) });
    expect(half.state.step).toBe(10);
    const resumed = esm.trainWeighted({
      data,
      steps: 20,
      seed: 3,
      resume: JSON.parse(JSON.stringify(half.state)),
    });
    expect(Array.from(resumed.theta as Float64Array)).toEqual(run(esm).theta);
  });

  it('the core bundle imports no Node built-in (it must run in a browser)', () => {
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const code = readFileSync(join(repoRoot, file), 'utf8');
      expect(code).not.toMatch(/from\s+['"](node:|fs['"]|path['"]|os['"]|worker_threads|child_process)/);
      expect(code).not.toMatch(/require\(['"](node:|fs['"]|path['"]|os['"]|worker_threads|child_process)/);
      expect(code).not.toMatch(/Math\.random/);
    }
  });
});
