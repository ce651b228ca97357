/**
 * The built binary: `npm test` builds with tsup first (and test/build/globalSetup.ts builds dist/ when it is
 * missing or older than the sources), so these tests run dist/cli.js the way the package.json "bin" does.
 */

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectWellFormedSvg, repoRoot, tempDirs } from '../helpers/index.js';

const tmp = tempDirs();

describe('the built binary (dist/cli.js, package.json "bin")', () => {
  it('node dist/cli.js reproduce --only figure2b --steps small writes the figure', async () => {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.bin['implicit-bias']).toBe('./dist/cli.js');
    const out = await tmp();
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [
        join(repoRoot, 'dist/cli.js'),
        'reproduce',
        '--only',
        'figure2b',
        '--steps',
        'small',
        '--seeds',
        '1',
        '--out',
        out,
      ],
      { cwd: repoRoot },
    );
    expect(stderr).toMatch(/1 experiment in \d+\.\d s: figure2b/);
    expectWellFormedSvg(await readFile(join(out, 'figure2b.svg'), 'utf8'));
  });

  it('node dist/cli.js reproduce --jobs 2 writes the same data as one process (experiments sharing runs kept together)', async () => {
    const run = async (jobs: number) => {
      const out = await tmp();
      const args = [
        'reproduce',
        '--only',
        'figure2a,slides-mirror,figure2b',
        '--steps',
        'small',
        '--seeds',
        '1',
      ];
      await promisify(execFile)(process.execPath, [
        join(repoRoot, 'dist/cli.js'),
        ...args,
        '--jobs',
        String(jobs),
        '--out',
        out,
      ]);
      const read = (name: string) => readFile(join(out, `${name}.json`), 'utf8');
      return Promise.all(['figure2a', 'figure2b', 'slides-mirror'].map(read));
    };
    const [one, two] = await Promise.all([run(1), run(2)]);
    expect(two).toEqual(one);
  });
});
