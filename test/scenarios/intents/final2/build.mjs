// Builds test/scenarios/intents/final2/<category>.jsonl from the cat-*.mjs sources. Deterministic (seeded gaze).
// Usage: node test/scenarios/intents/final2/build.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genGaze, topAt, visibleWithin } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CATS = ['named', 'deictic', 'anaphoric', 'temporal', 'precondition', 'out_of_scope', 'ambiguous'];
const WANT = { named: 45, deictic: 60, anaphoric: 40, temporal: 40, precondition: 40, out_of_scope: 45, ambiguous: 30 };

function fromDeictic(d, seed, id) {
  const tracker = d.tracker;
  const accPx = tracker.accuracyDeg * tracker.pxPerDeg;
  const gaze = d.g ? genGaze(seed, tracker, d.screen, d.g) : [];
  const cands = d.cands ?? d.objects.filter((o) => o.rect).map((o) => o.id);
  // sanity: where the gaze rests (last segment + bias)
  if (d.g) {
    const [x0, y0] = d.g.segs.at(-1);
    const bias = d.g.bias ?? [0, 0];
    const x = x0 + bias[0] * accPx, y = y0 + bias[1] * accPx;
    const onScreen = x >= 0 && y >= 0 && x < d.screen[0] && y < d.screen[1];
    if (d.expect.decision === 'execute') {
      const top = topAt(d.objects, x, y);
      const seen = visibleWithin(d.objects, cands, x, y, 1.5 * accPx);
      if (!top || top.id !== d.expect.target || seen.size !== 1) throw new Error(`${id}: gaze not clearly on ${d.expect.target}: top=${top?.id} near=${[...seen]}`);
      const last = d.g.segs.at(-1);
      if (!(last[2] <= d.t - 300 && last[3] >= d.t)) throw new Error(`${id}: final fixation must span the utterance onset`);
    } else if (d.expect.decision === 'clarify' && onScreen) {
      const near = visibleWithin(d.objects, cands, x, y, 0.75 * accPx);
      const far = visibleWithin(d.objects, cands, x, y, 2 * accPx);
      const both = d.expect.options.every((o) => near.has(o));
      const nothing = far.size === 0;
      if (!both && !nothing) throw new Error(`${id}: clarify gaze neither between options nor on background: near=${[...near]}`);
    }
  }
  return {
    scene: { screen: d.screen, objects: d.objects },
    tracker, gaze,
    ...(d.history ? { history: d.history } : {}),
    utterance: { t: d.t, text: d.text },
    expect: d.expect,
  };
}

let total = 0;
for (const cat of CATS) {
  let mod; try { mod = await import(`./cat-${cat}.mjs`); } catch (e) { if (e.code === "ERR_MODULE_NOT_FOUND") { console.warn("missing", cat); continue; } throw e; }
  const items = mod.default;
  const lines = items.map((it, i) => {
    const id = `${cat}-${String(i + 1).padStart(2, '0')}`;
    const sc = 'g' in it ? fromDeictic(it, 1000 + i * 7 + cat.length, id) : it;
    return JSON.stringify({ id, ...sc });
  });
  if (lines.length < WANT[cat]) console.warn(`${cat}: ${lines.length} < ${WANT[cat]}`);
  writeFileSync(join(here, `${cat}.jsonl`), lines.join('\n') + '\n');
  console.log(cat, lines.length);
  total += lines.length;
}
console.log('total', total);
