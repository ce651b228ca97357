/**
 * Global setup of every test project: builds the WebAssembly kernels (scripts/build-wasm.mjs, which does
 * nothing when src/kernels/wasm/module.ts is newer than assembly/), so a bare `npx vitest run` on a fresh
 * clone finds the generated module the kernels import.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')], { stdio: 'inherit' });
}
