/**
 * Writes test/golden/traces.json: the SHA-256 of every golden case's result (see test/golden/cases.ts).
 * Run only when a change is meant to alter trajectories, and say so in the commit:
 *   npx tsx scripts/golden-traces.ts            (keeps test/golden/inputs.json)
 *   npx tsx scripts/golden-traces.ts --inputs   (recomputes the frozen solver outputs too)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { ready } from '../src/index.js';

await ready(); // the Proposition 2 inputs come from the LP partition
// Freeze the solver outputs the cases use as inputs (inputs.json) before the cases module reads them.
const inputsFile = new URL('../test/golden/inputs.json', import.meta.url);
if (process.argv.includes('--inputs') || !existsSync(inputsFile)) {
  const { computeInputs } = await import('../test/golden/cases.js');
  writeFileSync(inputsFile, `${JSON.stringify(computeInputs())}\n`);
}
const { goldenCases, hashResult, runCase } = await import('../test/golden/cases.js');

const out: Record<string, string> = {};
for (const c of goldenCases()) {
  if (c.name in out) throw new Error(`duplicate case ${c.name}`);
  out[c.name] = hashResult(runCase(c));
}
writeFileSync(new URL('../test/golden/traces.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log(`${Object.keys(out).length} cases written`);
