// Owns the speech grammar: JSGF generated from the command registry's phrases plus the scene's names and deictic words, and its dictionary.
//
// Only words in pocketsphinx's dictionary can be decoded, so every phrase is checked word by word and a phrase with an
// unknown word ("unminimize", "airgap") is left out, counted. The registry's phrases are mostly cross products
// ("turn off|disable|cut" × "<object>" × "network|wifi|lan…"); written out one by one they would copy the <object>
// rule into the search graph some 800 times and make decoding ten times slower. So phrases with one <object> are
// grouped: all that share a suffix, then all suffixes that share the same prefixes, become one
// "(prefixes) <object> (suffixes)" alternative.
import { createHash } from 'node:crypto';
import type { GrammarPhrase } from '../cognition/api.js';
import { INTENT_ACTIONS } from '../../contracts/intent.js';

/** Words for kinds of things ("the linux desktop", "that window"); ones missing from the dictionary drop out. */
const KIND_WORDS = ['desktop', 'window', 'screen', 'machine', 'computer', 'box', 'system', 'subsystem', 'vm', 'guest', 'server', 'app', 'application', 'snapshot', 'checkpoint', 'backup'];
/** Pointing with the eyes: "this" is whatever the person looks at (perception resolves it). */
const DEICTIC_PHRASES = ['this', 'that', 'these', 'those', 'this one', 'that one', 'here', 'over there', 'right here', 'this thing', 'that thing', 'what i am looking at', 'the one i am looking at'];
/** Pointing back in the dialogue. */
const ANAPHORIC_PHRASES = ['it', 'them', 'the same one', 'the last one', 'the previous one', 'both of them'];
const DETERMINERS = ['the', 'my'];
/** Said before or after any command. */
const POLITE = 'please';
/** The subsystems every scene has; the scene adds its own VM names. */
export const DEFAULT_NAMES = ['linux', 'windows'];

const OBJECT = '<object>';
const WORD = /^[a-z][a-z']*$/;

export interface GrammarInput {
  readonly phrases: readonly GrammarPhrase[];
  /** Subsystem (VM) names; split on anything but letters ("dev-box" → "dev box"). */
  readonly names: readonly string[];
}

export interface BuiltGrammar {
  readonly jsgf: string;
  /** CMUdict-format lines for every word the grammar uses (all pronunciation variants). */
  readonly dict: string;
  /** sha256 of both, so a changed registry or scene gets new files and an unchanged one reuses them. */
  readonly key: string;
  readonly phrasesUsed: number;
  /** Phrases left out because a word is not in the dictionary, and those words. */
  readonly phrasesLeftOut: number;
  readonly unknownWords: readonly string[];
  readonly names: readonly string[];
}

const wordsOf = (text: string): string[] => text.split(' ').filter((w) => w !== '' && w !== OBJECT);
const namesOf = (names: readonly string[]): string[] => [...new Set(names.map((n) => n.toLowerCase().split(/[^a-z]+/).filter(Boolean).join(' ')).filter(Boolean))];
const actionWords = (): string[] => INTENT_ACTIONS.map((a) => a.replace(/_/g, ' '));

/** Every word the grammar could use, to look up in the dictionary in one pass. */
export function candidateWords(input: GrammarInput): Set<string> {
  const all = [
    ...input.phrases.flatMap((p) => wordsOf(p.text)),
    ...namesOf([...DEFAULT_NAMES, ...input.names]).flatMap(wordsOf),
    ...[...KIND_WORDS, ...DEICTIC_PHRASES, ...ANAPHORIC_PHRASES, ...DETERMINERS, POLITE, ...actionWords()].flatMap(wordsOf),
  ];
  return new Set(all.filter((w) => WORD.test(w)));
}

/** "(a | b)" for several, "a" for one, and in [brackets] when one of them is empty. */
function alternatives(items: readonly string[]): string {
  const said = [...new Set(items)].filter((i) => i !== '').sort();
  if (said.length === 0) return '';
  const body = said.length === 1 ? said[0]! : `(${said.join(' | ')})`;
  return said.length < new Set(items).size ? `[${body}]` : body;
}

function groupPhrases(phrases: readonly string[]): string[] {
  const prefixesBySuffix = new Map<string, Set<string>>();
  const whole: string[] = [];
  for (const phrase of phrases) {
    const parts = phrase.split(OBJECT).map((s) => s.trim());
    if (parts.length === 2 && !(parts[0] === '' && parts[1] === '')) {
      const [prefix, suffix] = parts as [string, string];
      prefixesBySuffix.set(suffix, (prefixesBySuffix.get(suffix) ?? new Set()).add(prefix));
    } else if (parts.length !== 2) {
      whole.push(phrase);
    }
  }
  const suffixesByPrefixes = new Map<string, string[]>();
  for (const [suffix, prefixes] of prefixesBySuffix) {
    const key = [...prefixes].sort().join('|');
    suffixesByPrefixes.set(key, [...(suffixesByPrefixes.get(key) ?? []), suffix]);
  }
  const grouped = [...suffixesByPrefixes].map(([prefixes, suffixes]) => [alternatives(prefixes.split('|')), OBJECT, alternatives(suffixes)].filter((s) => s !== '').join(' '));
  return [...grouped, ...whole].sort();
}

/**
 * The grammar for the registry's phrases and the scene's names, keeping only what `pronunciations` (word → CMUdict
 * phone strings) can say. Deterministic: the same input gives byte-identical files and the same key.
 */
export function buildGrammar(input: GrammarInput, pronunciations: ReadonlyMap<string, readonly string[]>): BuiltGrammar {
  const known = (phrase: string): boolean => wordsOf(phrase).every((w) => WORD.test(w) && pronunciations.has(w));
  const unknown = new Set<string>();
  const used: string[] = [];
  let leftOut = 0;
  for (const phrase of new Set(input.phrases.map((p) => p.text.trim().replace(/\s+/g, ' ')))) {
    if (known(phrase)) used.push(phrase);
    else {
      leftOut++;
      for (const w of wordsOf(phrase)) if (!pronunciations.has(w)) unknown.add(w);
    }
  }
  const names = namesOf([...DEFAULT_NAMES, ...input.names]).filter(known);
  const keep = (list: readonly string[]) => list.filter(known);
  const rule = (name: string, items: readonly string[]) => `<${name}> = ${items.length > 0 ? [...new Set(items)].sort().join(' | ') : '<VOID>'};`;
  const kinds = keep(KIND_WORDS);
  const optionalKind = kinds.length > 0 ? ' [<kind>]' : '';
  const jsgf = [
    '#JSGF V1.0;',
    'grammar rayos;',
    // A command, or a bare answer to a question ("linux", "hide"), with "please" around it as people say it.
    known(POLITE) ? `public <utterance> = [${POLITE}] (<command> | <object> | <option>) [${POLITE}];` : 'public <utterance> = <command> | <object> | <option>;',
    rule('command', groupPhrases(used)),
    `<object> = [${keep(DETERMINERS).join(' | ')}] <name>${optionalKind} | <deictic>${optionalKind} | <anaphor>${kinds.length > 0 ? ` | [${keep(DETERMINERS).join(' | ')}] <kind>` : ''};`,
    rule('name', names),
    ...(kinds.length > 0 ? [rule('kind', kinds)] : []),
    rule('deictic', keep(DEICTIC_PHRASES)),
    rule('anaphor', keep(ANAPHORIC_PHRASES)),
    rule('option', keep(actionWords())),
    '',
  ].join('\n');
  const spoken = [...used, ...names, ...kinds, ...keep(DEICTIC_PHRASES), ...keep(ANAPHORIC_PHRASES), ...keep(DETERMINERS), ...keep([POLITE]), ...keep(actionWords())];
  const vocabulary = [...new Set(spoken.flatMap(wordsOf))].filter((w) => pronunciations.has(w)).sort();
  const dict = vocabulary.flatMap((w) => (pronunciations.get(w) ?? []).map((phones, i) => `${i === 0 ? w : `${w}(${i + 1})`} ${phones}`)).join('\n') + '\n';
  const key = createHash('sha256').update(jsgf).update('\0').update(dict).digest('hex').slice(0, 16);
  return { jsgf, dict, key, phrasesUsed: used.length, phrasesLeftOut: leftOut, unknownWords: [...unknown].sort(), names };
}
