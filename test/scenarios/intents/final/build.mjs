// Writes the final intent-eval set: test/scenarios/intents/final/<category>.jsonl from cases-<category>.mjs.
// Deterministic: gaze traces come from make-gaze.mjs with fixed seeds. Run: node test/scenarios/intents/final/build.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numbered } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const CATEGORIES = ['named', 'deictic', 'anaphoric', 'temporal', 'precondition', 'out_of_scope', 'ambiguous'];

for (const category of CATEGORIES) {
  const { default: cases } = await import(`./cases-${category.replace(/_/g, '-')}.mjs`);
  const lines = numbered(category, cases).map((s) => JSON.stringify(s));
  writeFileSync(join(here, `${category}.jsonl`), lines.join('\n') + '\n');
  console.log(`${category}: ${lines.length}`);
}
