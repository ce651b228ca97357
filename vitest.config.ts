import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // The WebAssembly kernels are generated at build time (not in git): build them before any test.
    globalSetup: ['test/wasmSetup.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    projects: [
      // Everything that runs from src/ (test/golden included).
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/build/**'],
        },
      },
      // The tests that load the tsup build (dist/). `npm test` builds first; the global setup builds dist/ when
      // it is missing or older than the sources, so a bare `npx vitest run` works too. It only runs when a test
      // of this project is selected (`npx vitest run test/linalg` never builds).
      {
        extends: true,
        test: {
          name: 'build',
          include: ['test/build/**/*.test.ts'],
          globalSetup: ['test/wasmSetup.ts', 'test/build/globalSetup.ts'],
        },
      },
    ],
  },
});
