// Validates test/scenarios/intents/final2/*.jsonl: schema, unique ids, targets in scene, clarify options, launch/search slots.
// Usage: (cd /work/main && npx tsc -b) && node test/scenarios/intents/final2/validate.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioSchema, INTENT_ACTIONS } from '../../../../dist/src/contracts/intent.js';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.jsonl')).sort();
const ids = new Set();
const errors = [];
const counts = {};
const HISTORY_EVENTS = new Set(['vm.started', 'vm.stopped', 'vm.paused', 'vm.suspended', 'vm.presented', 'vm.network_off', 'surface.presented', 'surface.hidden', 'surface.closed', 'snapshot.taken']);

for (const f of files) {
  const cat = f.replace(/\.jsonl$/, '');
  const lines = readFileSync(join(here, f), 'utf8').split('\n').filter((l) => l.trim());
  lines.forEach((line, i) => {
    const where = `${f}:${i + 1}`;
    let raw;
    try { raw = JSON.parse(line); } catch (e) { errors.push(`${where}: bad JSON: ${e.message}`); return; }
    const r = ScenarioSchema.safeParse(raw);
    if (!r.success) { errors.push(`${where}: schema: ${r.error.message}`); return; }
    const sc = r.data;
    if (!new RegExp(`^${cat}-\\d{2,}$`).test(sc.id)) errors.push(`${where}: id ${sc.id} is not ${cat}-NN`);
    if (ids.has(sc.id)) errors.push(`${where}: duplicate id ${sc.id}`);
    ids.add(sc.id);
    const objIds = new Set();
    for (const o of sc.scene.objects) {
      if (objIds.has(o.id)) errors.push(`${where}: duplicate object id ${o.id}`);
      objIds.add(o.id);
    }
    for (const h of sc.history ?? []) {
      if (h.t >= sc.utterance.t) errors.push(`${where}: history entry at ${h.t} is not before the utterance`);
      if ('event' in h && !HISTORY_EVENTS.has(h.event)) errors.push(`${where}: unknown history event ${h.event}`);
      const tgt = 'event' in h ? h.target : h.resolved?.target;
      if (tgt && !objIds.has(tgt)) errors.push(`${where}: history target ${tgt} not in scene`);
    }
    const e = sc.expect;
    const c = (counts[cat] ??= {});
    c[e.decision] = (c[e.decision] ?? 0) + 1;
    if (e.decision === 'execute') {
      if (!e.action) errors.push(`${where}: execute without action`);
      if (!e.target) errors.push(`${where}: execute without target`);
      else if (!objIds.has(e.target)) errors.push(`${where}: target ${e.target} not in scene`);
      const tgt = sc.scene.objects.find((o) => o.id === e.target);
      if (e.action === 'launch') {
        if (tgt?.type !== 'app') errors.push(`${where}: launch target is not an app`);
        if (e.slots?.app !== e.target) errors.push(`${where}: launch needs slots.app = ${e.target}`);
      }
      if (e.action === 'restore' && tgt?.type !== 'snapshot') errors.push(`${where}: restore target is not a snapshot`);
      if (e.action === 'search') {
        const q = e.slots?.query;
        if (!q || q !== q.toLowerCase() || q !== q.trim()) errors.push(`${where}: search needs a lower-case slots.query`);
      }
    } else {
      if (e.action || e.target || e.slots) errors.push(`${where}: ${e.decision} should not carry action/target/slots`);
    }
    if (e.decision === 'clarify') {
      for (const o of e.options ?? []) if (!objIds.has(o) && !INTENT_ACTIONS.includes(o)) errors.push(`${where}: clarify option ${o} is neither a scene id nor an action`);
    } else if (e.options) errors.push(`${where}: options on a ${e.decision}`);
    const screen = sc.scene.screen;
    for (const o of sc.scene.objects) if (o.rect && (o.rect[0] >= screen[0] || o.rect[1] >= screen[1])) errors.push(`${where}: ${o.id} rect starts off-screen`);
  });
}

const total = Object.values(counts).reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
console.log(JSON.stringify({ total, counts }, null, 1));
if (errors.length) { console.error(errors.join('\n')); process.exit(1); }
console.log('OK');
