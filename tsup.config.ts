import { defineConfig } from 'tsup';

const external = ['ml-matrix', 'quadprog', 'pure-rand', 'highs', 'vega', 'vega-lite', /^node:/];

export default defineConfig([
  {
    // `index` is the browser-safe core; `node` (implicit-bias/node) holds the worker-thread parts.
    entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    // plot.d.ts is emitted here, not by the second build: this build's cleaning of declaration files
    // runs concurrently with the second build and would race with its output.
    dts: { entry: { index: 'src/index.ts', node: 'src/node/index.ts', plot: 'src/plot/index.ts' } },
    sourcemap: true,
    // Everything in dist except the second build's files (written concurrently, fixed names).
    clean: ['!cli.js', '!cli.js.map', '!plot.js', '!plot.js.map'],
    target: 'es2022',
    platform: 'neutral',
    // The core must run in a browser: resolve dependencies as packages, never bundle Node built-ins (only
    // the `node` entry imports them, as `node:` specifiers).
    external,
    // The `node` entry locates its own file for its worker threads via import.meta.url; in the CJS build
    // this shim supplies it (it is tree-shaken from bundles that do not use import.meta.url).
    shims: true,
  },
  {
    // The `implicit-bias` binary (`cli`, package.json "bin") and the figure renderer (`implicit-bias/plot`):
    // Node-only, ESM-only (vega and vega-lite ship ESM only), self-contained (no chunks shared with the core
    // build, whose `clean` runs concurrently), and never imported by `index`.
    entry: { cli: 'src/cli/main.ts', plot: 'src/plot/index.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
    target: 'node20',
    platform: 'node',
    removeNodeProtocol: false,
    external,
  },
]);
