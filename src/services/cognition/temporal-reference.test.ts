// Tests references by when something happened: event verbs, ordinals, times ago (words or digits), anchors, ties that ask.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryEntry, Scene } from '../../contracts/intent.js';
import { resolveIntent } from './api.js';
import { buildTimeline } from './dialogue-timeline.js';
import { indexScene } from './referent-names.js';
import { findTemporalReference, pickByTime } from './temporal-reference.js';
import { normaliseUtterance } from './utterance-normaliser.js';

const scene: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'alpha', type: 'vm', label: 'Alpha', state: { power: 'paused' } },
    { id: 'beta', type: 'vm', label: 'Beta', state: { power: 'paused' } },
    { id: 'gamma', type: 'vm', label: 'Gamma', state: { power: 'paused' } },
    { id: 'notes', type: 'surface', label: 'Notes', subsystem: 'alpha', state: { presented: false } },
    { id: 'mail', type: 'surface', label: 'Mail', subsystem: 'alpha', state: { presented: false } },
    { id: 'cp-1', type: 'snapshot', label: 'Checkpoint one' },
    { id: 'cp-2', type: 'snapshot', label: 'Checkpoint two' },
  ],
};
const pauses: HistoryEntry[] = [
  { t: -1_200_000, event: 'vm.paused', target: 'alpha' },
  { t: -240_000, text: 'pause beta', resolved: { action: 'pause', target: 'beta' } },
  { t: -239_800, event: 'vm.paused', target: 'beta' },
  { t: -20_000, event: 'vm.paused', target: 'gamma' },
];
const hides: HistoryEntry[] = [
  { t: -400_000, text: 'hide notes', resolved: { action: 'hide', target: 'notes' } },
  { t: -399_900, event: 'surface.hidden', target: 'notes' },
  { t: -5_000, text: 'hide mail', resolved: { action: 'hide', target: 'mail' } },
  { t: -4_900, event: 'surface.hidden', target: 'mail' },
];
const say = (text: string, history: HistoryEntry[]) => resolveIntent({ scene, history, utterance: { t: 0, text } }, null);
const picked = (text: string, history: HistoryEntry[]) => {
  const norm = normaliseUtterance(text);
  assert.ok(norm.ok);
  const index = indexScene(scene);
  const ref = findTemporalReference(norm.tokens, text.split(' '), index);
  if (ref === null) return null;
  return pickByTime(ref, buildTimeline(history, 0), index, 0, () => true)?.candidates.map((c) => c.id) ?? null;
};

describe('cognition: references by time', () => {
  test('ordinals count the matching events from either end', () => {
    assert.deepEqual(picked('resume the one i paused first', pauses), ['alpha']);
    assert.deepEqual(picked('resume the one i paused last', pauses), ['gamma']);
    assert.deepEqual(picked('resume the second one i paused', pauses), ['beta']);
    assert.deepEqual(picked('resume the vm that was paused before the most recent one', pauses), ['beta']);
  });

  test('a time ago picks the nearest event, in words or digits', () => {
    assert.deepEqual(picked('resume the vm i paused four minutes ago', pauses), ['beta']);
    assert.deepEqual(picked('resume the vm i paused about 4 minutes ago', pauses), ['beta']);
    assert.deepEqual(picked('resume the vm i paused twenty minutes ago', pauses), ['alpha']);
    assert.deepEqual(picked('resume the vm that was paused a few seconds ago', pauses), ['gamma']);
  });

  test('two events about equally near the time said are both offered', () => {
    const close: HistoryEntry[] = [{ t: -250_000, event: 'vm.paused', target: 'alpha' }, { t: -350_000, event: 'vm.paused', target: 'beta' }];
    assert.deepEqual(picked('resume the vm i paused five minutes ago', close)?.sort(), ['alpha', 'beta']);
    const d = say('resume the vm i paused five minutes ago', close);
    assert.equal(d.decision, 'clarify');
  });

  test('the verb chooses which events count; "just" survives the normaliser', () => {
    const d = say('unhide what i just hid', hides);
    assert.deepEqual([d.decision, d.action, d.target], ['execute', 'present', 'mail']);
    const first = say('bring back the window i hid first', hides);
    assert.deepEqual([first.action, first.target], ['present', 'notes']);
  });

  test('snapshots are ordered by when they were taken; an anchor picks the one just before', () => {
    const taken: HistoryEntry[] = [
      { t: -900_000, event: 'snapshot.taken', target: 'cp-1' },
      { t: -600_000, text: 'launch mail', resolved: { action: 'launch', target: 'mail' } },
      { t: -60_000, event: 'snapshot.taken', target: 'cp-2' },
    ];
    assert.equal(say('restore the latest snapshot', taken).target, 'cp-2');
    assert.equal(say('restore the earliest snapshot', taken).target, 'cp-1');
    assert.equal(say('restore the snapshot from fifteen minutes ago', taken).target, 'cp-1');
    assert.deepEqual(picked('restore the snapshot from before i launched mail', taken), ['cp-1']);
  });

  test('"why" about an event with no name is about the object that event happened to', () => {
    const h: HistoryEntry[] = [{ t: -600_000, event: 'vm.suspended', target: 'alpha' }, { t: -5_000, event: 'vm.paused', target: 'beta' }];
    const d = say('why did the vm get suspended earlier?', h);
    assert.deepEqual([d.action, d.target], ['explain', 'alpha']);
  });

  test('"what I did N minutes ago" again repeats that request', () => {
    const h: HistoryEntry[] = [
      { t: -300_000, text: 'pause beta', resolved: { action: 'pause', target: 'beta' } },
      { t: -8_000, text: 'hide mail', resolved: { action: 'hide', target: 'mail' } },
    ];
    const d = say('do what i did five minutes ago again', h);
    assert.deepEqual([d.action, d.target], ['replay', 'beta']);
  });

  test('words with no event or time in them are no reference by time', () => {
    assert.equal(picked('close the last one', pauses), null);
    assert.equal(picked('pause alpha', pauses), null);
  });
});
