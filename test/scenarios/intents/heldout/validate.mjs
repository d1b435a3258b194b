// Validates the held-out intent scenarios: every line parses with the zod ScenarioSchema, ids are unique and
// named <category>-<NN> after their file, expected targets / clarify options / history targets exist, slots
// follow the README conventions. Prints counts per category and per decision, and advisory gaze-geometry notes
// (where the gaze rests vs. what is within the tracker's accuracy of it) for review.
// Run: cd /work/main && npx tsc -b && node test/scenarios/intents/heldout/validate.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioSchema, INTENT_ACTIONS, DEFAULT_TRACKER } from '../../../../dist/src/contracts/intent.js';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here).filter((f) => f.endsWith('.jsonl')).sort();
const errors = [];
const notes = [];
const ids = new Map();
const perCategory = {};
const perDecision = {};
const perCategoryDecision = {};
let total = 0;

const ACTIONS = new Set(INTENT_ACTIONS);
// Object types each action may target in these scenarios (a sanity check on the expectations written here).
const VM = ['vm'];
const TARGET_TYPES = {
  pause: VM, resume: VM, start: VM, stop: VM, suspend: VM, snapshot: VM, status: VM, search: VM, network_on: VM, network_off: VM,
  close: ['surface'], focus: ['surface'], move: ['surface'], resize: ['surface'],
  hide: ['surface', 'vm'], present: ['surface', 'vm'], open: ['surface', 'vm', 'file'],
  launch: ['app'], restore: ['snapshot'], inspect: ['vm', 'surface', 'app', 'file', 'snapshot'],
};

/** Where gaze rests around the utterance: median of on-screen samples in [t-400, t+300]. */
function restingPoint(s) {
  const [W, H] = s.scene.screen;
  const t = s.utterance.t;
  const pts = s.gaze.filter(([ts, x, y]) => ts >= t - 400 && ts <= t + 300 && x >= 0 && y >= 0 && x < W && y < H);
  if (pts.length < 3) return null;
  const med = (a) => {
    const b = [...a].sort((p, q) => p - q);
    return b[Math.floor(b.length / 2)];
  };
  return [med(pts.map((p) => p[1])), med(pts.map((p) => p[2]))];
}

/** The topmost on-screen objects seen within `radius` px of point p (sampled on a 4 px grid). */
function objectsNear(s, p, radius) {
  const onScreen = s.scene.objects.filter((o) => o.rect);
  const hit = new Set();
  const step = 4;
  for (let dx = -radius; dx <= radius; dx += step) {
    for (let dy = -radius; dy <= radius; dy += step) {
      if (dx * dx + dy * dy > radius * radius) continue;
      const x = p[0] + dx;
      const y = p[1] + dy;
      let top = null;
      for (const o of onScreen) {
        const [rx, ry, rw, rh] = o.rect;
        if (x >= rx && x < rx + rw && y >= ry && y < ry + rh && (top === null || (o.z ?? 0) > (top.z ?? 0))) top = o;
      }
      if (top) hit.add(top.id);
    }
  }
  return [...hit].sort();
}

for (const f of files) {
  const category = basename(f, '.jsonl');
  const lines = readFileSync(join(here, f), 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${f}:${i + 1}`;
    let raw;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      errors.push(`${where}: not JSON: ${e.message}`);
      return;
    }
    const parsed = ScenarioSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push(`${where}: schema: ${parsed.error.message}`);
      return;
    }
    const s = parsed.data;
    total++;
    if (!new RegExp(`^${category}-\\d{2,3}$`).test(s.id)) errors.push(`${where}: id ${s.id} is not ${category}-<NN>`);
    if (ids.has(s.id)) errors.push(`${where}: duplicate id ${s.id} (also ${ids.get(s.id)})`);
    ids.set(s.id, where);

    const byId = new Map();
    for (const o of s.scene.objects) {
      if (byId.has(o.id)) errors.push(`${where}: duplicate object id ${o.id}`);
      byId.set(o.id, o);
    }
    const e = s.expect;
    perCategory[category] = (perCategory[category] ?? 0) + 1;
    perDecision[e.decision] = (perDecision[e.decision] ?? 0) + 1;
    perCategoryDecision[category] ??= {};
    perCategoryDecision[category][e.decision] = (perCategoryDecision[category][e.decision] ?? 0) + 1;

    if (e.decision === 'execute') {
      if (!e.action) errors.push(`${where}: execute without action`);
      if (!e.target) errors.push(`${where}: execute without target`);
    } else {
      if (e.action || e.target || e.slots) errors.push(`${where}: ${e.decision} must not carry action/target/slots`);
    }
    if (e.decision !== 'clarify' && e.options) errors.push(`${where}: options only belong to clarify`);
    if (e.target && !byId.has(e.target)) errors.push(`${where}: expected target ${e.target} not in scene`);
    for (const o of e.options ?? []) {
      if (!byId.has(o) && !ACTIONS.has(o)) errors.push(`${where}: clarify option ${o} is neither an object id nor an action`);
    }
    const target = e.target ? byId.get(e.target) : undefined;
    if (e.action === 'launch') {
      if (target && target.type !== 'app') errors.push(`${where}: launch target must be an app`);
      if (e.slots?.app !== e.target) errors.push(`${where}: launch needs slots.app = target id`);
    }
    if (e.action === 'restore' && target && target.type !== 'snapshot') errors.push(`${where}: restore target must be a snapshot`);
    const allowed = TARGET_TYPES[e.action];
    if (allowed && target && !allowed.includes(target.type)) errors.push(`${where}: ${e.action} on a ${target.type} (${target.id})`);
    if (e.action === 'search') {
      if (!e.slots?.query) errors.push(`${where}: search needs slots.query`);
      else if (e.slots.query !== e.slots.query.toLowerCase()) errors.push(`${where}: slots.query must be lower-case`);
      if (target && target.type !== 'vm') errors.push(`${where}: search target must be a subsystem (vm)`);
    }
    for (const h of s.history ?? []) {
      if (h.t >= s.utterance.t) errors.push(`${where}: history entry at t=${h.t} is not before the utterance`);
      const ht = 'event' in h ? h.target : h.resolved?.target;
      if (ht && !byId.has(ht)) errors.push(`${where}: history target ${ht} not in scene`);
    }
    for (const o of s.scene.objects) {
      if (o.rect) {
        const [x, y, w, h] = o.rect;
        const [W, H] = s.scene.screen;
        if (x < 0 || y < 0 || x + w > W || y + h > H) notes.push(`${s.id}: object ${o.id} extends off screen`);
      }
    }

    // Advisory geometry: what lies within the tracker's accuracy of where gaze rests. Skipped where history is
    // present (there the conversation may outweigh gaze on purpose).
    if (s.gaze.length > 0 && !(s.history?.length)) {
      const tr = s.tracker ?? DEFAULT_TRACKER;
      const acc = tr.accuracyDeg * tr.pxPerDeg;
      const p = restingPoint(s);
      if (!p) {
        notes.push(`${s.id}: gaze present but no resting point near the utterance`);
        return;
      }
      const near = objectsNear(s, p, acc);
      const desc = `rest=(${p[0]},${p[1]}) acc=${acc}px near=[${near.join(', ')}]`;
      if (e.decision === 'execute' && target?.rect) {
        if (!near.includes(e.target)) notes.push(`${s.id}: execute ${e.target} but it is not within accuracy: ${desc}`);
        else if (near.length > 1) notes.push(`${s.id}: execute ${e.target} with others within accuracy (words must decide): ${desc}`);
      }
      if (e.decision === 'clarify') {
        const objOpts = (e.options ?? []).filter((o) => byId.get(o)?.rect);
        const missing = objOpts.filter((o) => !near.includes(o));
        if (objOpts.length && missing.length) notes.push(`${s.id}: clarify option(s) ${missing.join(', ')} not within accuracy: ${desc}`);
        if (objOpts.length && near.length < 2) notes.push(`${s.id}: clarify but only [${near.join(', ')}] within accuracy: ${desc}`);
      }
    }
  });
}

console.log(JSON.stringify({ total, perCategory, perDecision, perCategoryDecision }, null, 2));
if (notes.length) {
  console.log(`\n${notes.length} geometry note(s) (advisory; review that the words justify them):`);
  for (const n of notes) console.log('  ' + n);
}
if (errors.length) {
  console.error(`\n${errors.length} error(s):`);
  for (const e of errors) console.error('  ' + e);
  process.exit(1);
}
console.log('\nOK');
