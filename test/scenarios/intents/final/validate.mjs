// Checks the final intent-eval set against shared/eval/README.md and contracts/intent.ts.
// Needs the compiled contracts: cd /work/main && npx tsc -b. Run: node test/scenarios/intents/final/validate.mjs
// Exits 1 on any error. Also prints counts per category and decision.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioSchema, INTENT_ACTIONS } from '../../../../dist/src/contracts/intent.js';

const here = dirname(fileURLToPath(import.meta.url));
const REQUIRED = { named: 50, deictic: 70, anaphoric: 45, temporal: 45, precondition: 45, out_of_scope: 55, ambiguous: 40 };
const EVENTS = new Set(['vm.started', 'vm.stopped', 'vm.paused', 'vm.suspended', 'vm.presented', 'vm.network_off',
  'surface.presented', 'surface.hidden', 'surface.closed', 'snapshot.taken']);
const ACTIONS = new Set(INTENT_ACTIONS);
const FILLER = new Set(['please', 'pls', 'plz', 'um', 'uh', 'umm', 'uhh', 'like', 'the', 'a', 'an', 'my', 'for', 'some', 'any',
  'on', 'in', 'me', 'thanks', 'thx', 'just', 'could', 'you', 'can']);
const TOP_KEYS = new Set(['id', 'scene', 'tracker', 'gaze', 'history', 'utterance', 'expect']);

const errors = [];
const warnings = [];
const err = (id, m) => errors.push(`${id}: ${m}`);
const warn = (id, m) => warnings.push(`${id}: ${m}`);

// ---------- geometry (deictic) ----------
function covered(objs, o, x, y) {
  const z = o.z ?? 0;
  return objs.some((q) => q !== o && q.rect && (q.z ?? 0) > z && x >= q.rect[0] && x <= q.rect[0] + q.rect[2] && y >= q.rect[1] && y <= q.rect[1] + q.rect[3]);
}
/** Distance from p to the visible part of o's rect (not covered by higher z), or Infinity beyond maxR. */
function visDist(objs, o, [px, py], maxR) {
  const [x, y, w, h] = o.rect;
  const x0 = Math.max(x, px - maxR), x1 = Math.min(x + w, px + maxR);
  const y0 = Math.max(y, py - maxR), y1 = Math.min(y + h, py + maxR);
  let best = Infinity;
  for (let gx = x0; gx <= x1; gx += 2) {
    for (let gy = y0; gy <= y1; gy += 2) {
      const dd = Math.hypot(gx - px, gy - py);
      if (dd < best && dd <= maxR && !covered(objs, o, gx, gy)) best = dd;
    }
  }
  return best;
}
function restPoint(s) {
  const [W, H] = s.scene.screen;
  const t = s.utterance.t;
  const pts = s.gaze.filter(([ts, x, y]) => ts >= t - 700 && ts <= t + 200 && x >= 0 && y >= 0 && x < W && y < H);
  if (pts.length < 3) return null;
  const med = (a) => { const b = [...a].sort((m, n) => m - n); return b[Math.floor(b.length / 2)]; };
  return [med(pts.map((p) => p[1])), med(pts.map((p) => p[2]))];
}
function checkDeictic(s) {
  const tr = { accuracyDeg: 1, pxPerDeg: 40, ...(s.tracker ?? {}) };
  const acc = tr.accuracyDeg * tr.pxPerDeg;
  const on = s.scene.objects.filter((o) => o.rect);
  for (let i = 0; i < on.length; i++) for (let j = i + 1; j < on.length; j++) {
    const a = on[i].rect, b = on[j].rect;
    const overlap = a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    if (overlap && (on[i].z ?? 0) === (on[j].z ?? 0)) err(s.id, `${on[i].id} and ${on[j].id} overlap at the same z`);
  }
  const p = restPoint(s);
  const e = s.expect;
  const R = 2 * acc + 4;
  if (process.env.VERBOSE) {
    const ds = on.map((o) => `${o.id}:${p ? Math.round(visDist(on, o, p, 1e4)) : '-'}`).join(' ');
    console.log(`${s.id} acc=${acc}px n=${s.gaze.length} rest=${p} ${e.decision} ${e.target ?? e.options} | ${ds}`);
  }
  if (e.decision === 'execute') {
    if (!p) return err(s.id, 'execute with no usable gaze around the utterance');
    const tgt = on.find((o) => o.id === e.target);
    if (!tgt) return err(s.id, 'deictic target has no rect');
    if (visDist(on, tgt, p, R) > 2) err(s.id, `rest point ${p} not on the visible part of ${tgt.id}`);
    for (const o of on) if (o !== tgt) {
      const dd = visDist(on, o, p, R);
      if (dd <= 2 * acc) err(s.id, `${o.id} is ${dd.toFixed(0)} px from the rest point ${p}; accuracy ${acc} px`);
    }
  } else if (e.decision === 'clarify') {
    if (!p) {
      for (const id of e.options ?? []) if (!on.find((o) => o.id === id)) err(s.id, `option ${id} not on screen`);
      return;
    }
    const near = on.filter((o) => visDist(on, o, p, acc) <= acc).map((o) => o.id).sort();
    const mid = on.filter((o) => { const dd = visDist(on, o, p, R); return dd > acc && dd <= 2 * acc; }).map((o) => o.id);
    const opts = [...(e.options ?? [])].sort();
    if (mid.length) err(s.id, `objects between 1x and 2x accuracy of the rest point: ${mid}`);
    if (near.length === 0) {
      if (on.length < 2) err(s.id, 'background gaze with fewer than two candidates');
    } else if (JSON.stringify(near) !== JSON.stringify(opts)) {
      err(s.id, `objects within accuracy ${near} differ from options ${opts}`);
    }
  }
}

// ---------- preconditions ----------
function precondition(action, o) {
  const st = o.state ?? {};
  switch (action) {
    case 'pause': case 'suspend': return st.power === undefined || st.power === 'running';
    case 'resume': return st.power === undefined || st.power === 'paused' || st.power === 'suspended';
    case 'start': return st.power === undefined || st.power === 'stopped';
    case 'stop': return st.power !== 'stopped';
    case 'hide': return st.presented !== false || !!o.rect;
    case 'present': return !o.rect && st.presented !== true && (o.type !== 'vm' || st.power === undefined || st.power === 'running');
    case 'network_off': return st.network !== 'off';
    case 'network_on': return st.network !== 'on';
    default: return true;
  }
}

// ---------- main ----------
const counts = {};
const ids = new Set();
let total = 0;
for (const [category, min] of Object.entries(REQUIRED)) {
  let lines;
  try { lines = readFileSync(join(here, `${category}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()); } catch {
    err(category, 'file missing'); continue;
  }
  counts[category] = {};
  if (lines.length < min) err(category, `${lines.length} scenarios, need ${min}`);
  lines.forEach((line, n) => {
    let raw;
    try { raw = JSON.parse(line); } catch (x) { return err(`${category}:${n + 1}`, `bad JSON: ${x.message}`); }
    const id = raw.id ?? `${category}:${n + 1}`;
    const r = ScenarioSchema.safeParse(raw);
    if (!r.success) return err(id, `schema: ${r.error.message}`);
    for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) err(id, `unknown key ${k}`);
    const s = r.data;
    total++;
    if (!new RegExp(`^${category}-\\d{2,}$`).test(s.id)) err(id, 'id is not <category>-<NN>');
    if (ids.has(s.id)) err(id, 'duplicate id');
    ids.add(s.id);
    const objs = new Map();
    for (const o of s.scene.objects) {
      if (objs.has(o.id)) err(id, `duplicate object id ${o.id}`);
      objs.set(o.id, o);
      if (o.rect) {
        const [x, y, w, h] = o.rect;
        if (x < 0 || y < 0 || x + w > s.scene.screen[0] || y + h > s.scene.screen[1]) err(id, `${o.id} rect leaves the screen`);
        if (o.state?.presented === false) err(id, `${o.id} has a rect but presented=false`);
      } else if (o.state?.presented === true) err(id, `${o.id} presented=true but has no rect (not on screen)`);
    }
    for (const h of s.history ?? []) {
      if (h.t >= s.utterance.t) err(id, 'history entry not earlier than the utterance');
      if ('event' in h) {
        if (!EVENTS.has(h.event)) err(id, `unknown event ${h.event}`);
        if (h.target && !objs.has(h.target)) err(id, `history target ${h.target} not in scene`);
      } else if (h.resolved?.target && !objs.has(h.resolved.target)) err(id, `history target ${h.resolved.target} not in scene`);
    }
    const e = s.expect;
    const d = e.decision;
    counts[category][d] = (counts[category][d] ?? 0) + 1;
    if (d === 'execute') {
      if (!e.action || !e.target) return err(id, 'execute without action and target');
      const o = objs.get(e.target);
      if (!o) return err(id, `target ${e.target} not in scene`);
      if (e.options) err(id, 'execute with options');
      if (!precondition(e.action, o)) err(id, `precondition of ${e.action} fails on ${o.id}`);
      if (e.action === 'launch') {
        if (o.type !== 'app') err(id, 'launch target is not an app');
        if (e.slots?.app !== o.id) err(id, 'launch needs slots.app = the app id');
      } else if (e.action === 'search') {
        const q = e.slots?.query;
        if (!q) err(id, 'search needs slots.query');
        else {
          if (q !== q.toLowerCase() || q !== q.trim() || /\s\s/.test(q)) err(id, `query "${q}" not lower-case/trimmed`);
          const ws = q.split(' ');
          if (FILLER.has(ws[0]) || FILLER.has(ws[ws.length - 1])) err(id, `query "${q}" keeps filler at an edge`);
          const u = s.utterance.text.toLowerCase();
          if (!ws.every((w) => u.includes(w))) warn(id, `query "${q}" words not all in the utterance`);
        }
        if (!(o.type === 'vm' || (o.type === 'surface' && o.subsystem))) err(id, 'search target is not a subsystem');
      } else if (e.slots && Object.keys(e.slots).length) warn(id, `slots on ${e.action}`);
      if (e.action === 'restore' && o.type !== 'snapshot') err(id, 'restore target is not a snapshot');
      if (['pause', 'resume', 'start', 'stop', 'suspend', 'network_on', 'network_off'].includes(e.action) && o.type !== 'vm') {
        err(id, `${e.action} target is not a vm`);
      }
      if (e.action === 'explain' && !(s.history ?? []).some((h) => 'event' in h && h.target === e.target)) err(id, 'explain without an event on the target');
      if (e.action === 'replay' && !(s.history ?? []).some((h) => 'resolved' in h && h.resolved?.target === e.target)) err(id, 'replay without an earlier turn on the target');
    } else {
      if (e.action || e.target || e.slots) err(id, `${d} with action/target/slots`);
      if (d === 'clarify') {
        if (!e.options || e.options.length < 2) err(id, 'clarify should name at least two options');
        for (const op of e.options ?? []) if (!objs.has(op) && !ACTIONS.has(op)) err(id, `option ${op} is neither a scene id nor an action`);
      } else if (e.options) err(id, `${d} with options`);
    }
    if (category === 'deictic') checkDeictic(s);
  });
}

console.log(JSON.stringify({ total, counts }, null, 1));
for (const w of warnings) console.log('warning:', w);
for (const x of errors) console.log('ERROR:', x);
console.log(errors.length ? `${errors.length} errors` : 'OK');
process.exit(errors.length ? 1 : 0);
