/**
 * Global setup of the `build` test project (test/build/*.test.ts, the tests that load dist/). `npm test` builds
 * with tsup before it starts vitest. A bare `npx vitest run` may find no dist/, or one older than the sources:
 * then this builds it first, as `npm run build` does, so those tests never run against a missing or stale build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built files the tests in test/build load. */
const OUTPUTS = ['dist/index.js', 'dist/index.cjs', 'dist/node.js', 'dist/node.cjs', 'dist/cli.js'];
/** What the build reads. A folder counts with its own mtime too (it changes when a file is added or removed). */
const INPUTS = ['src', 'package.json', 'tsup.config.ts'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why dist/ must be built before the tests in test/build run, or null when it is up to date. */
export function buildNeeded(): string | null {
  const missing = OUTPUTS.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) return `${missing.join(', ')} missing`;
  const built = Math.min(...OUTPUTS.map((f) => statSync(join(root, f)).mtimeMs));
  const changed = INPUTS.filter((f) => newestMtime(join(root, f)) > built);
  return changed.length > 0 ? `dist/ older than ${changed.join(', ')}` : null;
}

export default function setup(): void {
  const reason = buildNeeded();
  if (reason === null) return;
  process.stderr.write(`test/build: ${reason}; building it with tsup first (npm test always builds first)\n`);
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsup/package.json');
  const bin = join(dirname(manifest), (require(manifest) as { bin: { tsup: string } }).bin.tsup);
  try {
    execFileSync(process.execPath, [bin, '--silent'], { cwd: root, stdio: 'inherit' });
  } catch (err) {
    throw new Error(
      'test/build: the tsup build failed (see its output above); the tests in test/build need dist/',
      {
        cause: err,
      },
    );
  }
}
