// Tests resolveIntent end to end on hand-made scenes and attention: names, deixis (and its split), anaphora, again/back, preconditions, slots, bad input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttentionSnapshot, HistoryEntry, Scene } from '../../contracts/intent.js';
import { IntentDecisionSchema } from '../../contracts/intent.js';
import { resolveIntent } from './api.js';

const scene: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'linux', type: 'vm', label: 'Linux', state: { power: 'running', network: 'on' } },
    { id: 'windows', type: 'vm', label: 'Windows', state: { power: 'paused', network: 'off' } },
    { id: 'linux-desktop', type: 'surface', label: 'Linux desktop', subsystem: 'linux', rect: [0, 0, 900, 700], z: 1, state: { presented: true } },
    { id: 'browser', type: 'surface', label: 'Browser', subsystem: 'linux', state: { presented: false } },
    { id: 'files', type: 'app', label: 'Files', subsystem: 'linux', rect: [1000, 990, 64, 64], z: 2 },
    { id: 'terminal', type: 'app', label: 'Terminal', subsystem: 'linux', rect: [1072, 990, 64, 64], z: 2 },
    { id: 'linux@clean', type: 'snapshot', label: 'clean install', subsystem: 'linux' },
  ],
};

const look = (objects: Record<string, number>, evidence = 1): AttentionSnapshot => {
  const sum = Object.values(objects).reduce((a, b) => a + b, 0);
  return { t: 0, objects: Object.entries(objects).map(([id, p]) => ({ id, p })), background: Math.max(0, 1 - sum), evidence };
};
const say = (text: string, opts: { history?: HistoryEntry[]; attention?: AttentionSnapshot | null; scene?: Scene } = {}) =>
  resolveIntent({ scene: opts.scene ?? scene, history: opts.history ?? [], utterance: { t: 0, text } }, opts.attention ?? null);

describe('cognition: names', () => {
  test('a name, a nickname and a type word pick the object', () => {
    assert.deepEqual([say('pause the linux vm').decision, say('pause the linux vm').target], ['execute', 'linux']);
    assert.equal(say('snapshot the ubuntu machine').target, 'linux');
    assert.equal(say('hide the linux desktop').target, 'linux-desktop');
  });

  test('every decision has the contract shape and a trace in words', () => {
    for (const text of ['show the browser', 'pause windows', 'what is the weather', 'close this', '']) {
      const d = say(text);
      assert.ok(IntentDecisionSchema.safeParse(d).success, text);
      assert.ok(d.trace.length > 0 && d.trace.every((t) => t.detail.length > 0), text);
    }
  });
});

describe('cognition: deixis from attention', () => {
  test('"this" is the object looked at', () => {
    const d = say('open this', { attention: look({ 'linux-desktop': 0.9 }) });
    assert.equal(d.decision, 'execute');
    assert.equal(d.target, 'linux-desktop');
  });

  test('two objects splitting the look is a question offering both', () => {
    const d = say('open this', { attention: look({ files: 0.46, terminal: 0.44 }) });
    assert.equal(d.decision, 'clarify');
    assert.ok(d.options.includes('files') && d.options.includes('terminal'));
  });

  test('no gaze evidence: "this" cannot be read from the eyes, so RayOS asks', () => {
    const d = say('close this', { attention: look({ 'linux-desktop': 0.6, files: 0.3 }, 0) });
    assert.equal(d.decision, 'clarify');
  });

  test('"this window" only considers windows', () => {
    const d = say('hide this window', { attention: look({ files: 0.5, 'linux-desktop': 0.45 }) });
    assert.equal(d.target, 'linux-desktop');
  });
});

describe('cognition: anaphora and the history', () => {
  const shown: HistoryEntry[] = [{ t: -5000, text: 'show me the terminal', resolved: { action: 'open', target: 'terminal' } }];

  test('"it" is the most recently resolved target', () => {
    const d = say('close it', { history: shown });
    assert.deepEqual([d.decision, d.action, d.target], ['execute', 'close', 'terminal']);
  });

  test('"bring it back" after a hide presents; after a pause resumes', () => {
    const hidden = say('bring it back', { history: [{ t: -3000, event: 'surface.hidden', target: 'browser' }] });
    assert.deepEqual([hidden.decision, hidden.action, hidden.target], ['execute', 'present', 'browser']);
    const paused = say('bring it back', { history: [{ t: -3000, event: 'vm.paused', target: 'windows' }] });
    assert.deepEqual([paused.action, paused.target], ['resume', 'windows']);
  });

  test('"do that again" replays the last action on its target; with nothing done before, RayOS says so', () => {
    const d = say('do that again', { history: shown });
    assert.deepEqual([d.decision, d.action, d.target], ['execute', 'replay', 'terminal']);
    assert.equal(say('do that again').decision, 'inform');
  });

  test('"take another look" after a close asks between restore and inspect', () => {
    const d = say('take another look', { history: [{ t: -3000, event: 'surface.closed', target: 'browser' }] });
    assert.equal(d.decision, 'clarify');
    assert.ok(d.options.includes('restore') && d.options.includes('inspect'));
  });

  test('two things hidden together: "bring it back" asks which', () => {
    const bothHidden: Scene = { ...scene, objects: scene.objects.map((o) => (o.id === 'linux-desktop' ? { ...o, state: { presented: false } } : o)) };
    const d = say('bring it back', { scene: bothHidden, history: [{ t: -3000, event: 'surface.hidden', target: 'browser' }, { t: -3000, event: 'surface.hidden', target: 'linux-desktop' }] });
    assert.equal(d.decision, 'clarify');
    assert.ok(d.options.includes('browser') && d.options.includes('linux-desktop'));
  });

  test('an answer to a question is read with the question ("the files one")', () => {
    const d = say('the files one', { history: [{ t: -2000, text: 'launch the app' }] });
    assert.deepEqual([d.decision, d.action, d.target], ['execute', 'launch', 'files']);
  });
});

describe('cognition: preconditions, slots, out of scope', () => {
  test('pausing a paused VM informs, naming why', () => {
    const d = say('pause windows');
    assert.equal(d.decision, 'inform');
    assert.match(d.message ?? '', /already paused/);
  });

  test('launch names its app; search carries the query and the machine searched', () => {
    assert.deepEqual(say('launch the terminal').slots, { app: 'terminal' });
    const s = say('search my ubuntu machine for tax forms');
    assert.deepEqual([s.decision, s.action, s.target, s.slots['query']], ['execute', 'search', 'linux', 'tax forms']);
  });

  test('requests RayOS does not handle are out of scope with a message saying what it can do', () => {
    for (const text of ['what is the weather in paris', 'tell me a joke', 'open the pod bay doors', 'pause the music', 'search the web for flights', 'what is 12 times 7']) {
      const d = say(text);
      assert.equal(d.decision, 'out_of_scope', text);
      assert.match(d.message ?? '', /RayOS can/);
    }
  });
});

describe('cognition: bad input never throws', () => {
  test('empty, huge, binary and non-English utterances are out of scope with a reason', () => {
    for (const text of ['', '    ', 'x'.repeat(100_000), '\u0000\u0001\u0002\u0003', '打开终端', 'ouvre le bureau linux, s\'il vous plait']) {
      const d = say(text);
      assert.equal(d.decision, 'out_of_scope');
      assert.ok(d.trace.some((t) => t.stage === 'normalise'));
    }
  });

  test('malformed input from a caller that skipped validation is answered, not thrown', () => {
    const bad: unknown[] = [null, {}, { scene: null, utterance: { t: 0, text: 'pause linux' } }, { scene, utterance: null }, { scene: { objects: 'x' }, utterance: { text: 42 } }];
    for (const input of bad) {
      const d = resolveIntent(input as never, null);
      assert.equal(d.decision, 'out_of_scope');
    }
    const weird = resolveIntent({ scene, history: [{ t: Number.NaN, event: 'surface.hidden' }] as never, utterance: { t: 0, text: 'bring it back' } }, { t: 0, objects: [{ id: 'nope', p: 2 }], background: -1, evidence: 7 } as never);
    assert.ok(['inform', 'clarify', 'out_of_scope', 'execute'].includes(weird.decision));
  });
});
