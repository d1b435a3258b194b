// Tests the resolver's less common references: position words, landmarks, "the other one", plural pointers, pronoun vs gaze, kind words, queries quoted back, clauses, two requests at once, idioms.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryEntry, Scene } from '../../contracts/intent.js';
import { resolveIntent } from './api.js';

const grid: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'mail', type: 'surface', label: 'Mail', subsystem: 'linux', rect: [0, 0, 940, 520], state: { presented: true } },
    { id: 'chat', type: 'surface', label: 'Chat', subsystem: 'linux', rect: [980, 0, 940, 520], state: { presented: true } },
    { id: 'docs', type: 'surface', label: 'Documents', subsystem: 'windows', rect: [0, 560, 940, 520], state: { presented: true } },
    { id: 'sheet', type: 'surface', label: 'Spreadsheet', subsystem: 'windows', rect: [980, 560, 940, 520], state: { presented: true } },
    { id: 'terminal', type: 'app', label: 'Terminal', subsystem: 'linux' },
    { id: 'linux', type: 'vm', label: 'Linux', state: { power: 'running' } },
    { id: 'windows', type: 'vm', label: 'Windows', state: { power: 'running' } },
  ],
};
const say = (text: string, history: HistoryEntry[] = []) => resolveIntent({ scene: grid, history, utterance: { t: 0, text } }, null);

describe('cognition: position, landmarks and other references', () => {
  test('position words pick among what is on screen; two of them narrow it down', () => {
    assert.deepEqual([say('close the top left window').decision, say('close the top left window').target], ['execute', 'mail']);
    assert.equal(say('hide the bottom right one').target, 'sheet');
    const left = say('focus the window on the left');
    assert.equal(left.decision, 'clarify');
    assert.ok(left.options.includes('mail') && left.options.includes('docs'));
  });

  test('"move it to the left" is a destination, not a position reference', () => {
    const d = say('move it to the left', [{ t: -1000, text: 'open chat', resolved: { action: 'open', target: 'chat' } }]);
    assert.deepEqual([d.action, d.target], ['move', 'chat']);
  });

  test('a name after a place word is where, not what', () => {
    const d = say('put it next to the spreadsheet', [{ t: -1000, text: 'open mail', resolved: { action: 'open', target: 'mail' } }]);
    assert.deepEqual([d.decision, d.action, d.target], ['execute', 'move', 'mail']);
  });

  test('"the other one" is the one before the last; "them" asks which', () => {
    const history: HistoryEntry[] = [{ t: -8000, text: 'open mail', resolved: { action: 'open', target: 'mail' } }, { t: -3000, text: 'open chat', resolved: { action: 'open', target: 'chat' } }];
    assert.equal(say('close the other one', history).target, 'mail');
    const both = say('close them', history);
    assert.equal(both.decision, 'clarify');
    assert.ok(both.options.includes('mail') && both.options.includes('chat'));
  });

  test('"the linux window" is one of Linux\'s windows, not the Linux VM', () => {
    const d = say('hide the linux window');
    assert.equal(d.decision, 'clarify');
    assert.deepEqual([...d.options].sort(), ['chat', 'mail']);
  });

  test('a search query is quoted back as typed, file names and possessives included', () => {
    assert.equal(say('find resume.pdf on windows').slots['query'], 'resume.pdf');
    assert.equal(say("search linux for bob's photos").slots['query'], "bob's photos");
  });

  test('two requests joined by "and" are asked about, not half done', () => {
    const d = say('hide the chat and then show the mail');
    assert.equal(d.decision, 'clarify');
    assert.deepEqual(d.options, ['hide', 'present']);
  });

  test('a kind word is the name of what is called so ("the spreadsheet" window), else it says the kind', () => {
    assert.equal(say('close the spreadsheet').target, 'sheet');
  });

  test('"it" is the dialogue\'s object unless the eyes clearly rest on another; then RayOS asks', () => {
    const history: HistoryEntry[] = [{ t: -3000, text: 'focus the mail', resolved: { action: 'focus', target: 'mail' } }];
    const at = (id: string) => ({ t: 0, objects: [{ id, p: 0.95 }], background: 0.05, evidence: 1 });
    const asked = resolveIntent({ scene: grid, history, utterance: { t: 0, text: 'close it' } }, at('chat'));
    assert.equal(asked.decision, 'clarify');
    assert.deepEqual([...asked.options].sort(), ['chat', 'mail']);
    const agreed = resolveIntent({ scene: grid, history, utterance: { t: 0, text: 'close it' } }, at('mail'));
    assert.deepEqual([agreed.decision, agreed.target], ['execute', 'mail']);
    // a bare "that" points with the eyes
    const pointed = resolveIntent({ scene: grid, history, utterance: { t: 0, text: 'close that' } }, at('chat'));
    assert.deepEqual([pointed.decision, pointed.target], ['execute', 'chat']);
  });

  test('a pronoun and a name mean what the action can apply to ("stop it" after a snapshot was taken is the machine)', () => {
    const withSnap: Scene = { ...grid, objects: [...grid.objects, { id: 'snap', type: 'snapshot', label: 'Linux before update', subsystem: 'linux' }] };
    const history: HistoryEntry[] = [{ t: -3000, text: 'snapshot linux', resolved: { action: 'snapshot', target: 'linux' } }, { t: -2500, event: 'snapshot.taken', target: 'snap' }];
    const d = resolveIntent({ scene: withSnap, history, utterance: { t: 0, text: 'pause it' } }, null);
    assert.deepEqual([d.decision, d.action, d.target], ['execute', 'pause', 'linux']);
  });

  test('the request inside what was said: after a self-correction, without a trailing reason', () => {
    assert.deepEqual([say('what is the weather, no wait, hide the chat').action, say('what is the weather, no wait, hide the chat').target], ['hide', 'chat']);
    assert.deepEqual([say('hide the chat because my boss is coming').decision, say('hide the chat because my boss is coming').target], ['execute', 'chat']);
  });

  test('idioms made of command words, and commands about other things, are out of scope', () => {
    for (const text of ['move on', 'focus', 'cancel my subscription', 'start the washing machine', 'turn off the tv', 'wake me up at six', 'start a new document', 'show me pictures of cats', 'look for cheap flights in it']) {
      assert.equal(say(text).decision, 'out_of_scope', text);
    }
  });
});
