import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

/** The repository root (the folder of package.json), wherever the test file that asks lives. */
export const repoRoot: string = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A maker of fresh temporary directories (under the OS temp folder, named `prefix…`), all removed after the
 * calling test file's tests. Call it once at the top level of a test file.
 */
export function tempDirs(prefix = 'implicit-bias-cli-'): () => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  return async () => {
    const d = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

/**
 * Well-formedness of an SVG string, checked independently of vega: one root <svg …> element, and every
 * start tag closed in order (a stack over the tags; self-closing tags, comments and declarations skipped).
 */
export function expectWellFormedSvg(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let roots = 0;
  for (const m of svg.matchAll(tag)) {
    if (m[2] === undefined) continue;
    const [, close, name, , selfClose] = m;
    if (close === '/') {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (selfClose !== '/') {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}
