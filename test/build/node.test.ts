/**
 * implicit-bias/node from the built package: `npm test` builds with tsup first (and test/build/globalSetup.ts
 * builds dist/ when it is missing or older than the sources), so the worker threads start from the dist files
 * the way users load them (ESM import and CommonJS require).
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parallelLinear } from '../../src/node/index.js';
import { repoRoot } from '../helpers/index.js';
import { expectIdentical, problem, run } from '../node/problems.js';

describe('implicit-bias/node from the built package', () => {
  it('package.json exports ./node with import/require conditions and types', () => {
    const pkg = JSON.parse(
      createRequire(import.meta.url)('node:fs').readFileSync(join(repoRoot, 'package.json'), 'utf8'),
    );
    expect(pkg.exports['./node']).toEqual({
      import: { types: './dist/node.d.ts', default: './dist/node.js' },
      require: { types: './dist/node.d.cts', default: './dist/node.cjs' },
    });
  });

  it('dist/node.js (ESM) and dist/node.cjs (CJS) export readCsvFile and readLibsvmFile, which read a file as readCsv/readLibsvm read its text', async () => {
    const esm = await import(join(repoRoot, 'dist/node.js'));
    const cjs = createRequire(import.meta.url)(join(repoRoot, 'dist/node.cjs'));
    const core = await import(join(repoRoot, 'dist/index.js'));
    const file = join(repoRoot, 'src/datasets/data/wine.csv');
    const text = createRequire(import.meta.url)('node:fs').readFileSync(file, 'utf8');
    const expected = core.readCsv(text, { label: 'class', positive: '0' });
    for (const lib of [esm, cjs]) {
      const data = lib.readCsvFile(file, { label: 'class', positive: '0' });
      expect(Array.from(data.X)).toEqual(Array.from(expected.X));
      expect(Array.from(data.y)).toEqual(Array.from(expected.y));
      expect(typeof lib.readLibsvmFile).toBe('function');
    }
  });

  it('dist/node.js (ESM) and dist/node.cjs (CJS) start their workers and match threads: 1 bit for bit', async () => {
    expect(existsSync(join(repoRoot, 'dist/node.js')), 'run `npm test` (it builds first)').toBe(true);
    const esm = await import(join(repoRoot, 'dist/node.js'));
    const cjs = createRequire(import.meta.url)(join(repoRoot, 'dist/node.cjs'));
    const pr = problem(3000, 60, true, 21);
    const ref = run(parallelLinear(60, { bias: true, threads: 1 }), pr);
    for (const lib of [esm, cjs]) {
      const model = lib.parallelLinear(60, { bias: true, threads: 2, minWork: 0 });
      try {
        expectIdentical(run(model, pr), ref);
      } finally {
        model.close();
      }
    }
  });
});
