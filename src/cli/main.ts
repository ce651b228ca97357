#!/usr/bin/env node
// The `implicit-bias` binary (package.json "bin" → dist/cli.js). The logic is in runCli.ts.
import { runCli } from './runCli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`implicit-bias: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
