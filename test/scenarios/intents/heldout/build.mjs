// Writes test/scenarios/intents/heldout/<category>.jsonl from the hand-written cases in gen/<category>.mjs.
// Run: node test/scenarios/intents/heldout/build.mjs   (deterministic: seeded PRNG per category)
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as h from './make-gaze.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CATEGORIES = ['named', 'deictic', 'anaphoric', 'temporal', 'precondition', 'out_of_scope', 'ambiguous'];

let seed = 20240611;
for (const category of CATEGORIES) {
  if (!existsSync(join(here, 'gen', `${category}.mjs`))) {
    console.log(`${category}: (no gen/${category}.mjs)`);
    seed++;
    continue;
  }
  const mod = await import(`./gen/${category}.mjs`);
  const r = h.makeRng(seed++);
  const cases = mod.default({ ...h, r });
  // Move some gaze scenarios off a clock that starts at 0 (the clock's origin means nothing; only order and gaps do).
  const shifts = [0, 0, 250, 1500, 3210, 12000, 86400];
  for (const c of cases) {
    if (!c.gaze?.length) continue;
    const ut = typeof c.u === 'string' ? 0 : c.u[0];
    const d = shifts[r.int(0, shifts.length - 1)];
    if (d === 0) continue;
    c.gaze = c.gaze.map(([t, x, y]) => [t + d, x, y]);
    c.history = c.history?.map((e) => ({ ...e, t: e.t + d }));
    c.u = [ut + d, typeof c.u === 'string' ? c.u : c.u[1]];
  }
  const width = cases.length > 99 ? 3 : 2;
  const lines = cases.map((c, i) => {
    const utterance = typeof c.u === 'string' ? { t: 0, text: c.u } : { t: c.u[0], text: c.u[1] };
    const s = { id: `${category}-${String(i + 1).padStart(width, '0')}`, scene: c.scene };
    if (c.tracker) s.tracker = c.tracker;
    s.gaze = c.gaze ?? [];
    if (c.history) s.history = c.history;
    s.utterance = utterance;
    s.expect = c.expect;
    return JSON.stringify(s);
  });
  writeFileSync(join(here, `${category}.jsonl`), lines.join('\n') + '\n');
  console.log(`${category}: ${lines.length}`);
}
