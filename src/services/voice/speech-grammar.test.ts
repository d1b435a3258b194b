// Tests the speech grammar built from registry phrases: unknown words leave their phrase out, names come in, phrases are grouped, files are keyed by content.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listPhrases } from '../cognition/api.js';
import { buildGrammar, candidateWords } from './speech-grammar.js';

const PHRASES = [
  { action: 'pause' as const, text: 'pause <object>' },
  { action: 'pause' as const, text: 'freeze <object>' },
  { action: 'hide' as const, text: 'put <object> away' },
  { action: 'present' as const, text: 'unminimize <object>' },
  { action: 'network_off' as const, text: 'turn off <object> network' },
  { action: 'network_off' as const, text: 'cut <object> network' },
  { action: 'network_off' as const, text: 'cut <object> wifi' },
  { action: 'network_off' as const, text: 'turn off <object> wifi' },
  { action: 'cancel' as const, text: 'never mind' },
];

/** A stand-in for the CMU dictionary: every candidate word except the ones named. */
const dictionaryWithout = (missing: readonly string[], names: readonly string[] = []) =>
  new Map([...candidateWords({ phrases: PHRASES, names })].filter((w) => !missing.includes(w)).map((w) => [w, [w === 'linux' ? 'L IH N AH K S' : 'AH']] as const));

test('a phrase with a word the dictionary lacks is left out and counted; the rest are kept', () => {
  const built = buildGrammar({ phrases: PHRASES, names: [] }, dictionaryWithout(['unminimize']));
  assert.equal(built.phrasesLeftOut, 1);
  assert.equal(built.phrasesUsed, PHRASES.length - 1);
  assert.deepEqual(built.unknownWords, ['unminimize']);
  assert.doesNotMatch(built.jsgf, /unminimize/);
  assert.match(built.jsgf, /never mind/);
  assert.doesNotMatch(built.dict, /^unminimize /m);
});

test('phrases that share their words around <object> become one alternative; "<object>" appears once per group', () => {
  const built = buildGrammar({ phrases: PHRASES, names: [] }, dictionaryWithout([]));
  assert.match(built.jsgf, /\(cut \| turn off\) <object> \(network \| wifi\)/);
  assert.match(built.jsgf, /\(freeze \| pause \| unminimize\) <object>/);
  assert.match(built.jsgf, /put <object> away/);
  const command = built.jsgf.split('\n').find((l) => l.startsWith('<command>'))!;
  assert.equal(command.match(/<object>/g)?.length, 3);
});

test('the scene names (split into words) and deictic words are in the object rule; names the dictionary lacks are not', () => {
  const names = ['dev-box', 'win11'];
  const built = buildGrammar({ phrases: PHRASES, names }, dictionaryWithout(['win'], names));
  assert.deepEqual(built.names, ['linux', 'windows', 'dev box']);
  assert.match(built.jsgf, /^<name> = dev box \| linux \| windows;$/m);
  assert.match(built.jsgf, /^<deictic> = .*\bthis\b.*;$/m);
  assert.match(built.jsgf, /^<anaphor> = .*\bit\b.*;$/m);
  assert.match(built.dict, /^linux L IH N AH K S$/m);
});

test('the same input gives the same files and key; another name gives another key', () => {
  const dictionary = dictionaryWithout([], ['dev']);
  const a = buildGrammar({ phrases: PHRASES, names: [] }, dictionary);
  const b = buildGrammar({ phrases: [...PHRASES].reverse(), names: [] }, dictionary);
  assert.equal(a.jsgf, b.jsgf);
  assert.equal(a.key, b.key);
  assert.notEqual(buildGrammar({ phrases: PHRASES, names: ['dev'] }, dictionary).key, a.key);
});

test('the whole registry turns into a grammar whose every word has a pronunciation', () => {
  const phrases = listPhrases();
  const words = candidateWords({ phrases, names: [] });
  const built = buildGrammar({ phrases, names: [] }, new Map([...words].map((w) => [w, ['AH']] as const)));
  assert.equal(built.phrasesUsed + built.phrasesLeftOut, new Set(phrases.map((p) => p.text)).size);
  const used = new Set(built.dict.split('\n').filter(Boolean).map((l) => l.split(' ')[0]));
  const grammarWords = built.jsgf.split('\n').slice(2).join(' ').replace(/<[^>]*>|public|[=|;[\]()]/g, ' ').split(/\s+/).filter(Boolean);
  for (const w of grammarWords) assert.ok(used.has(w), `"${w}" has no dictionary line`);
});
