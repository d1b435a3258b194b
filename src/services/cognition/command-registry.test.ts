// Tests the command registry's consistency: every action has words, examples and types; inverses pair up; derived phrases and grammar cover every action.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INTENT_ACTIONS } from '../../contracts/intent.js';
import { REGISTRY, RISK_THRESHOLDS, TEMPORAL_PHRASES } from './command-registry.js';
import { listPhrases, matchLexicon } from './registry-lexicon.js';
import { ANAPHORIC_PHRASES, DEICTIC_PHRASES } from './referent-words.js';

const tokens = (s: string) => s.split(' ').map((w) => ({ surface: w, lemma: w }));

describe('command registry', () => {
  test('every canonical action has one entry with phrases, examples and object types (cancel needs none)', () => {
    assert.deepEqual([...REGISTRY.keys()].sort(), [...INTENT_ACTIONS].sort());
    for (const spec of REGISTRY.values()) {
      assert.ok(spec.phrases.length > 0, `${spec.action} has phrases`);
      assert.ok(spec.examples.length > 0, `${spec.action} has examples`);
      assert.ok(spec.gloss.length > 0);
      if (spec.target !== 'none') assert.ok(spec.appliesTo.length > 0, `${spec.action} applies to something`);
    }
  });

  test('inverse actions pair up both ways, except the one-way ones', () => {
    const oneWay = new Set(['suspend']); // suspend is undone by resume, but resume's own inverse is pause
    const pairs = [['hide', 'present'], ['pause', 'resume'], ['stop', 'start'], ['network_on', 'network_off'], ['open', 'close'], ['snapshot', 'restore']];
    for (const [a, b] of pairs) {
      assert.equal(REGISTRY.get(a as never)!.inverse, b);
      assert.equal(REGISTRY.get(b as never)!.inverse, a);
    }
    for (const spec of REGISTRY.values()) {
      if (spec.inverse === undefined || oneWay.has(spec.action)) continue;
      assert.equal(REGISTRY.get(spec.inverse)!.inverse, spec.action, `${spec.action} ↔ ${spec.inverse}`);
    }
  });

  test('riskier actions need more confidence and a larger margin', () => {
    assert.ok(RISK_THRESHOLDS.low.margin < RISK_THRESHOLDS.medium.margin && RISK_THRESHOLDS.medium.margin < RISK_THRESHOLDS.high.margin);
    assert.ok(RISK_THRESHOLDS.low.minConfidence < RISK_THRESHOLDS.high.minConfidence);
    assert.equal(REGISTRY.get('stop')!.risk, 'high');
    assert.equal(REGISTRY.get('present')!.risk, 'low');
  });

  test('launch carries the app slot and search the query slot', () => {
    assert.deepEqual(REGISTRY.get('launch')!.slots, ['app']);
    assert.deepEqual(REGISTRY.get('search')!.slots, ['query']);
  });

  test('no phrase holds a word that points at an object ("this", "it"): those are for the referent resolver', () => {
    const pointers = new Set([...DEICTIC_PHRASES, ...ANAPHORIC_PHRASES].filter((p) => !p.includes(' ')));
    for (const spec of REGISTRY.values()) {
      for (const phrase of spec.phrases) {
        if (phrase.final) continue; // whole-request phrases ("stop that") point at the last action, not an object
        // "what was that" is about what happened: explain may say "that".
        for (const w of phrase.words.split(' ')) assert.ok(!pointers.has(w) || (spec.action === 'explain' && w === 'that'), `${spec.action}: "${phrase.words}" holds "${w}"`);
      }
    }
  });

  test('each action is found by its own phrases', () => {
    for (const spec of REGISTRY.values()) {
      const phrase = spec.phrases.find((p) => !p.final && !p.words.includes('*'))!;
      const found = matchLexicon(tokens(phrase.words));
      assert.ok(found.some((m) => m.action === spec.action), `${spec.action}: "${phrase.words}"`);
    }
  });

  test('the grammar phrase list covers every action and the history-dependent phrases, with <object> where the object goes', () => {
    const phrases = listPhrases();
    for (const action of INTENT_ACTIONS) assert.ok(phrases.some((p) => p.action === action), action);
    assert.ok(phrases.some((p) => p.text === 'bring <object> back'));
    assert.ok(phrases.some((p) => p.text === 'pause <object>'));
    assert.ok(phrases.every((p) => !p.text.includes('*')));
    for (const family of Object.values(TEMPORAL_PHRASES)) for (const t of family) assert.ok(phrases.some((p) => p.text === t.replace(/\*/g, '<object>')));
  });
});
