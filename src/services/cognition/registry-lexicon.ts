// Owns what is derived from the command registry: the compiled lexicon and its matcher, verb inflections, the vocabulary, and the phrase list for a speech grammar.
import type { IntentAction } from '../../contracts/intent.js';
import { REGISTRY, TEMPORAL_PHRASES, type Phrase } from './command-registry.js';
import { FUNCTION_WORDS, PERSONAL_OBJECTS } from './english-words.js';
import { TYPE_WORDS } from './referent-words.js';

/** A normalised word: what was said (`surface`) and its base form (`lemma`: "paused" → "pause"). */
export interface Token {
  readonly surface: string;
  readonly lemma: string;
  /** As typed (lower case, apostrophes and dots kept, before typo correction), for slots quoted back ("bob's photos"); absent when made up. */
  readonly raw?: string;
  /** The first word after a clause mark ("windows. snapshot. now."), where a command may start. */
  readonly clauseStart?: boolean;
}

interface CompiledPhrase {
  readonly action: IntentAction;
  readonly words: readonly string[];
  readonly weight: number;
  readonly final: boolean;
  readonly text: string;
}

/** One place the lexicon matched: which words (not the `*` gaps) said it. */
export interface LexiconMatch {
  readonly action: IntentAction;
  readonly weight: number;
  readonly phrase: string;
  readonly literal: readonly number[];
  readonly start: number;
  readonly end: number;
}

const MAX_GAP = 4;
const GAP_STOPPERS = new Set(['on', 'off', 'not', 'and', 'then', 'but']);

const compiled: CompiledPhrase[] = [];
for (const spec of REGISTRY.values()) {
  for (const phrase of spec.phrases as readonly Phrase[]) {
    compiled.push({ action: spec.action, words: phrase.words.split(' '), weight: phrase.weight, final: phrase.final === true, text: phrase.words });
  }
}
/** Phrases by their first word, so matching looks only at phrases that can start at a token. */
const byFirstWord = new Map<string, CompiledPhrase[]>();
for (const c of compiled) {
  const first = c.words[0]!;
  const list = byFirstWord.get(first) ?? [];
  list.push(c);
  byFirstWord.set(first, list);
}

/** Every word of every phrase. */
export const LEXICON_WORDS: ReadonlySet<string> = new Set(compiled.flatMap((c) => c.words.filter((w) => w !== '*' && w !== '+')));
/** The words phrases start with: the command verbs (and a few nouns that command alone, like "status"). */
export const PHRASE_STARTS: ReadonlySet<string> = new Set(compiled.map((c) => c.words[0]!));

// Inflections of the lexicon's verbs, so "pausing", "hid" and "shutting" read as "pause", "hide" and "shut".
const IRREGULAR: Readonly<Record<string, readonly string[]>> = {
  hide: ['hid', 'hidden'], show: ['shown', 'showed'], bring: ['brought'], take: ['took', 'taken'], run: ['ran'], freeze: ['froze', 'frozen'], wake: ['woke', 'woken'],
  make: ['made'], go: ['went', 'gone'], get: ['got', 'gotten'], see: ['saw', 'seen'], find: ['found'], give: ['gave', 'given'], tell: ['told'], do: ['did', 'done'],
  hold: ['held'], send: ['sent'], spin: ['spun'], shrink: ['shrank', 'shrunk'], sleep: ['slept'], dig: ['dug'], keep: ['kept'], undo: ['undid', 'undone'],
  redo: ['redid', 'redone'], unfreeze: ['unfroze', 'unfrozen'], unhide: ['unhid', 'unhidden'],
};
const DOUBLES = new Set(['stop', 'shut', 'run', 'quit', 'put', 'get', 'drop', 'snap', 'grab', 'plan', 'spin', 'cut', 'dig', 'drag', 'let', 'set', 'begin', 'unplug', 'zip', 'pin', 'x']);
const VOWELS = /[aeiou]/;

function inflections(verb: string): string[] {
  const out = [...(IRREGULAR[verb] ?? [])];
  const last = verb.at(-1) ?? '';
  const beforeLast = verb.at(-2) ?? '';
  if (/(s|x|z|ch|sh)$/.test(verb)) out.push(`${verb}es`);
  else if (last === 'y' && !VOWELS.test(beforeLast)) out.push(`${verb.slice(0, -1)}ies`);
  else out.push(`${verb}s`);
  if (DOUBLES.has(verb)) out.push(`${verb}${last}ed`, `${verb}${last}ing`);
  else if (last === 'e') out.push(`${verb}d`, verb.endsWith('ee') ? `${verb}ing` : `${verb.slice(0, -1)}ing`);
  else if (last === 'y' && !VOWELS.test(beforeLast)) out.push(`${verb.slice(0, -1)}ied`, `${verb}ing`);
  else out.push(`${verb}ed`, `${verb}ing`);
  return out;
}

const lemmas = new Map<string, string>();
for (const word of LEXICON_WORDS) {
  if (word.length < 2 || (FUNCTION_WORDS.has(word) && !['get', 'make', 'put', 'take', 'give', 'let', 'go', 'see', 'look', 'keep', 'tell', 'do', 'need'].includes(word))) continue;
  for (const form of inflections(word)) {
    // A form that is itself a word of the lexicon or a type word keeps its own meaning ("details", "running", "windows").
    if (LEXICON_WORDS.has(form) || TYPE_WORDS.has(form) || lemmas.has(form)) continue;
    if (form === 'left') continue;
    lemmas.set(form, word);
  }
}
/** Inflected form → base form, for the lexicon's verbs only. */
export const LEMMAS: ReadonlyMap<string, string> = lemmas;
/** Every form of every command verb ("pause", "paused", "pausing"): RayOS's own words, whatever else they are. */
export const VERB_FORMS: ReadonlySet<string> = new Set([...PHRASE_STARTS].flatMap((w) => (w.length < 3 || FUNCTION_WORDS.has(w) ? [] : [w, ...inflections(w)])));

const matchesWord = (token: Token, word: string): boolean => token.surface === word || token.lemma === word;

/** Tries a phrase at `start`; `*` takes the fewest words (0 to MAX_GAP) that let the rest match. */
function matchAt(tokens: readonly Token[], words: readonly string[], wi: number, ti: number, literal: number[]): number[] | null {
  if (wi === words.length) return literal;
  const word = words[wi]!;
  if (word === '*' || word === '+') {
    for (let gap = word === '+' ? 1 : 0; gap <= MAX_GAP && ti + gap <= tokens.length; gap++) {
      // A gap that holds only the person ("wake me up") is not an object slot; one holding "on"/"off" or a joining word
      // crosses into another meaning ("turn off networking on linux" is not "turn … networking on").
      if (gap > 0 && tokens.slice(ti, ti + gap).every((t) => PERSONAL_OBJECTS.has(t.surface))) continue;
      if (gap > 0 && tokens.slice(ti, ti + gap).some((t) => GAP_STOPPERS.has(t.surface))) break;
      const found = matchAt(tokens, words, wi + 1, ti + gap, literal);
      if (found !== null) return found;
    }
    return null;
  }
  const token = tokens[ti];
  if (token === undefined || !matchesWord(token, word)) return null;
  return matchAt(tokens, words, wi + 1, ti + 1, [...literal, ti]);
}

const splitPhrases = new Map<string, readonly string[]>();

/** Where a phrase (same syntax as the registry's) first occurs: its word positions, or null. */
export function findPhrase(tokens: readonly Token[], phrase: string): number[] | null {
  let words = splitPhrases.get(phrase);
  if (words === undefined) splitPhrases.set(phrase, (words = phrase.split(' ')));
  const first = words[0]!;
  for (let start = 0; start < tokens.length; start++) {
    if (!matchesWord(tokens[start]!, first)) continue;
    const literal = matchAt(tokens, words, 0, start, []);
    if (literal !== null) return literal;
  }
  return null;
}

/**
 * A word that is both a verb and a type ("snapshot", "backup") is the verb only where a command starts: first, or after
 * a joining word ("and snapshot it"); elsewhere it names an object ("restore the friday snapshot").
 */
const VERB_STARTS = new Set(['and', 'then', 'to', 'also', 'please', 'just', 'now', 'can', 'could', 'would', 'will', 'you', 'me', 'lets', 'us']);

/**
 * Every phrase of the lexicon found in the words, minus those that share a word with a longer match ("hold on" is
 * not "hold"; "turn off the network" is not only "turn off").
 */
export function matchLexicon(tokens: readonly Token[], blocked: ReadonlySet<number> = new Set()): LexiconMatch[] {
  const found: LexiconMatch[] = [];
  for (let start = 0; start < tokens.length; start++) {
    if (blocked.has(start)) continue;
    const token = tokens[start]!;
    const candidates = new Set([...(byFirstWord.get(token.surface) ?? []), ...(byFirstWord.get(token.lemma) ?? [])]);
    for (const phrase of candidates) {
      const literal = matchAt(tokens, phrase.words, 0, start, []);
      if (literal === null || literal.some((i) => blocked.has(i))) continue;
      const end = literal.at(-1)!;
      if (phrase.final && end !== tokens.length - 1) continue;
      if (phrase.words.length === 1 && TYPE_WORDS.has(phrase.words[0]!) && start > 0 && token.clauseStart !== true && !VERB_STARTS.has(tokens[start - 1]!.surface)) continue;
      found.push({ action: phrase.action, weight: phrase.weight, phrase: phrase.text, literal, start, end });
    }
  }
  return found.filter((m) => !found.some((other) => other !== m && outweighs(other.literal, m.literal)));
}

/** A match saying more words wins over one it shares a word with ("turn off networking on linux" is not "networking on"). */
function outweighs(longer: readonly number[], shorter: readonly number[]): boolean {
  return longer.length > shorter.length && shorter.some((i) => longer.includes(i));
}

/** Pairs where "do not" before one means the other ("don't let windows online" turns its network off). */
const NEGATABLE: ReadonlySet<IntentAction> = new Set(['network_on', 'network_off', 'present', 'hide']);

/** Flips a command said under a negation ("do not", "never", "no longer") to its inverse where that is what it means; otherwise the words stand. */
export function applyNegation(tokens: readonly Token[], matches: readonly LexiconMatch[]): LexiconMatch[] {
  return matches.map((m) => {
    const before = tokens.slice(Math.max(0, m.start - 2), m.start).map((t) => t.surface).join(' ');
    const negated = /(^| )(not|never)$/.test(before) || /^(no longer|stop letting)/.test(before);
    const inverse = REGISTRY.get(m.action)?.inverse;
    if (!negated || !NEGATABLE.has(m.action) || inverse === undefined) return m;
    return { ...m, action: inverse, phrase: `not ${m.phrase}` };
  });
}

/** A phrase of the registry for a speech grammar: `<object>` stands where the object's name goes. */
export interface GrammarPhrase {
  /** The action the phrase says, or null for phrases whose action comes from the history ("bring <object> back"). */
  readonly action: IntentAction | null;
  readonly text: string;
}

/** Every phrase of the registry, with gaps as `<object>` (a JSGF grammar puts its object rule there) and a trailing `<object>` where the action takes one. */
export function listPhrases(): GrammarPhrase[] {
  const out = new Map<string, GrammarPhrase>();
  for (const c of compiled) {
    const needsObject = REGISTRY.get(c.action)?.target !== 'none';
    const gapped = c.words.includes('*') || c.words.includes('+');
    const text = gapped ? c.words.map((w) => (w === '*' || w === '+' ? '<object>' : w)).join(' ') : needsObject ? `${c.text} <object>` : c.text;
    out.set(`${c.action}:${text}`, { action: c.action, text });
  }
  // The history-dependent phrases ("bring it back") belong to no one action; the grammar needs them all the same.
  for (const [family, phrases] of Object.entries(TEMPORAL_PHRASES)) {
    for (const phrase of phrases) out.set(`${family}:${phrase}`, { action: family === 'replay' ? 'replay' : null, text: phrase.replace(/\*/g, '<object>') });
  }
  return [...out.values()];
}
