import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // The core must run in a browser: resolve dependencies as packages, never bundle Node built-ins.
  external: ['ml-matrix', 'quadprog', 'pure-rand'],
});
