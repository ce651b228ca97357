import { defineConfig } from 'tsup';

export default defineConfig({
  // `index` is the browser-safe core; `node` (implicit-bias/node) holds the worker-thread parts.
  entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // The core must run in a browser: resolve dependencies as packages, never bundle Node built-ins (only
  // the `node` entry imports them, as `node:` specifiers).
  external: ['ml-matrix', 'quadprog', 'pure-rand', 'highs', /^node:/],
  // The `node` entry locates its own file for its worker threads via import.meta.url; in the CJS build
  // this shim supplies it (it is tree-shaken from bundles that do not use import.meta.url).
  shims: true,
});
