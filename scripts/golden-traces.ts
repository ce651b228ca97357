/**
 * Writes test/golden/traces.json: the SHA-256 of every golden case's result (see test/golden/cases.ts).
 * Run only when a change is meant to alter trajectories, and say so in the commit:
 *   npx tsx scripts/golden-traces.ts
 */
import { writeFileSync } from 'node:fs';
import { ready } from '../src/index.js';
import { goldenCases, hashResult, runCase } from '../test/golden/cases.js';

await ready(); // the Proposition 2 cases build their partition with the LP solver

const out: Record<string, string> = {};
for (const c of goldenCases()) {
  if (c.name in out) throw new Error(`duplicate case ${c.name}`);
  out[c.name] = hashResult(runCase(c));
}
writeFileSync(new URL('../test/golden/traces.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log(`${Object.keys(out).length} cases written`);
