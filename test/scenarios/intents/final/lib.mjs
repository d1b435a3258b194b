// Small builders shared by the final intent-eval set's case files. They only shorten the JSON; every utterance and
// expectation is written case by case in cases-*.mjs.
import { makeGaze } from './make-gaze.mjs';

export function vm(id, label, subsystem, state = {}, rect, z) {
  const o = { id, type: 'vm', label };
  if (subsystem) o.subsystem = subsystem;
  if (rect) { o.rect = rect; o.z = z ?? 1; }
  o.state = { power: 'running', presented: !!rect, network: 'on', ...state };
  return o;
}

export function surf(id, label, subsystem, rect, z, state = {}) {
  const o = { id, type: 'surface', label };
  if (subsystem) o.subsystem = subsystem;
  if (rect) { o.rect = rect; o.z = z ?? 1; }
  o.state = { presented: !!rect, ...state };
  return o;
}

function thing(type) {
  return (id, label, subsystem, rect, z) => {
    const o = { id, type, label };
    if (subsystem) o.subsystem = subsystem;
    if (rect) { o.rect = rect; o.z = z ?? 3; }
    return o;
  };
}
export const app = thing('app');
export const file = thing('file');
export const snap = thing('snapshot');

export const ex = (action, target, slots) => (slots ? { decision: 'execute', action, target, slots } : { decision: 'execute', action, target });
export const cl = (...options) => (options.length ? { decision: 'clarify', options } : { decision: 'clarify' });
export const inform = () => ({ decision: 'inform' });
export const oos = () => ({ decision: 'out_of_scope' });

/** A spoken/typed turn RayOS resolved earlier. */
export const turn = (t, text, action, target, slots) => ({ t, text, resolved: slots ? { action, target, slots } : { action, target } });
/** Something that happened to an object. */
export const ev = (t, event, target) => ({ t, event, target });

/**
 * One scenario (id filled in by the category). o: { objs, screen, tracker, gaze | look (makeGaze spec) + seed,
 * history, u (utterance text), t (utterance time), expect }.
 */
export function sc(o) {
  const screen = o.screen ?? [1920, 1080];
  const s = { id: '', scene: { screen, objects: o.objs } };
  if (o.tracker) s.tracker = o.tracker;
  s.gaze = o.look ? makeGaze(o.seed, { screen, ...o.look }) : (o.gaze ?? []);
  if (o.history) s.history = o.history;
  s.utterance = { t: o.t ?? 0, text: o.u };
  s.expect = o.expect;
  return s;
}

/** Numbers a category's scenarios <category>-NN. */
export function numbered(category, list) {
  return list.map((s, i) => ({ ...s, id: `${category}-${String(i + 1).padStart(2, '0')}` }));
}
