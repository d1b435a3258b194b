// Validates final3/*.jsonl: schema, unique ids, targets in scene, clarify options, launch/search slots. Prints counts.
import { readFileSync, readdirSync } from 'node:fs';
import { ScenarioSchema, INTENT_ACTIONS } from '../../../../dist/src/contracts/intent.js';
const dir = new URL('./', import.meta.url); const ids = new Set(); const errs = []; const counts = {};
for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
  const cat = f.replace(/\.jsonl$/, '');
  readFileSync(new URL(f, dir), 'utf8').split('\n').filter((l) => l.trim()).forEach((line, i) => {
    const where = `${f}:${i + 1}`; let s;
    try { s = ScenarioSchema.parse(JSON.parse(line)); } catch (e) { errs.push(`${where}: ${e.message.slice(0, 200)}`); return; }
    if (!new RegExp(`^${cat}-\\d{2,}$`).test(s.id)) errs.push(`${where}: bad id ${s.id}`);
    if (ids.has(s.id)) errs.push(`${where}: duplicate id ${s.id}`); ids.add(s.id);
    const objs = new Map(s.scene.objects.map((o) => [o.id, o]));
    if (objs.size !== s.scene.objects.length) errs.push(`${where}: duplicate object ids`);
    const x = s.expect;
    if (x.decision === 'execute') {
      if (!x.action || !x.target) errs.push(`${where}: execute needs action and target`);
      else if (!objs.has(x.target)) errs.push(`${where}: target ${x.target} not in scene`);
      if (x.action === 'launch' && (x.slots?.app !== x.target || objs.get(x.target)?.type !== 'app')) errs.push(`${where}: launch needs slots.app = app id`);
      if (x.action === 'search' && (!x.slots?.query || x.slots.query !== x.slots.query.toLowerCase())) errs.push(`${where}: search needs lower-case slots.query`);
      if (x.action === 'restore' && objs.get(x.target)?.type !== 'snapshot') errs.push(`${where}: restore target must be a snapshot`);
    } else if (x.action || x.target) errs.push(`${where}: non-execute with action/target`);
    for (const o of x.options || []) if (!objs.has(o) && !INTENT_ACTIONS.includes(o)) errs.push(`${where}: option ${o} neither scene id nor action`);
    for (const h of s.history || []) { const t = h.resolved?.target ?? h.target; if (t && !objs.has(t)) errs.push(`${where}: history target ${t} not in scene`); if (h.t >= s.utterance.t) errs.push(`${where}: history not earlier`); }
    const c = (counts[cat] ||= {}); const k = x.decision === 'execute' ? `execute` : x.decision; c[k] = (c[k] || 0) + 1; c.total = (c.total || 0) + 1;
  });
}
console.log(JSON.stringify(counts, null, 1)); console.log('scenarios', ids.size);
if (errs.length) { console.error(errs.join('\n')); process.exit(1); } else console.log('OK');
