// Owns turning raw words into clean tokens: refuses empty, huge, binary and non-English text with a reason; folds case, punctuation, contractions, fillers, politeness and typos.
import { boundedEditDistance, MAX_CORRECTABLE_LENGTH } from './edit-distance.js';
import { CONTRACTIONS, FILLER_PHRASES, FILLER_WORDS, FOREIGN_MARKERS, FUNCTION_WORDS, LEAD_IN_WORDS, QUESTION_STARTS } from './english-words.js';
import { OUT_OF_SCOPE_WORDS } from './out-of-scope-corpus.js';
import { LEMMAS, LEXICON_WORDS, PHRASE_STARTS, type Token } from './registry-lexicon.js';
import { DEICTIC_PHRASES, SUBSYSTEM_ALIASES, TYPE_WORDS } from './referent-words.js';

/** Marks a clause boundary (a comma, a full stop) while words are corrected. */
const CLAUSE = '\u0001';
/** Stands for a dot inside a word while punctuation is stripped. */
const DOT = '\u0002';

/** Longer text is not one spoken request; reading it would only cost time. */
export const MAX_UTTERANCE_CHARS = 500;

export type RefusalReason = 'empty' | 'too_long' | 'binary' | 'no_words' | 'not_english';

export interface Normalised {
  readonly ok: true;
  readonly tokens: readonly Token[];
  /** The tokens joined, for the trace. */
  readonly text: string;
  /** Asked, not told ("is linux running?"): imperative readings are weakened. */
  readonly question: boolean;
  readonly corrections: readonly { from: string; to: string }[];
  readonly dropped: readonly string[];
}
export interface Refused {
  readonly ok: false;
  readonly reason: RefusalReason;
  readonly message: string;
}

const refuse = (reason: RefusalReason, message: string): Refused => ({ ok: false, reason, message });

/** Lower case, compatibility forms folded, accents dropped (so "öffne" reads as "offne" and "résumé" as "resume"). */
export function foldText(text: string): string {
  // Plain ASCII (nearly every request and label) needs no Unicode folding.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase().replace(/`/g, "'");
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[\u2018\u2019\u02bc`´]/g, "'");
}

/** Labels repeat request after request; their words are remembered (a pure function of the text, bounded). */
const labelWords = new Map<string, readonly string[]>();
const MAX_REMEMBERED_LABELS = 4096;

/** The words of a label or id ("linux-desktop" → linux, desktop). */
export function wordsOf(text: string): readonly string[] {
  const known = labelWords.get(text);
  if (known !== undefined) return known;
  const words = foldText(text).split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  if (labelWords.size >= MAX_REMEMBERED_LABELS) labelWords.clear();
  labelWords.set(text, words);
  return words;
}

function isBinary(text: string): boolean {
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd || (c >= 0xd800 && c <= 0xdfff && !isPairedSurrogate(text, i))) odd++;
  }
  return odd > 0 && odd / text.length > 0.02;
}

function isPairedSurrogate(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c <= 0xdbff) return i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
  return i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
}

function expandContraction(word: string): string[] {
  const mapped = CONTRACTIONS[word];
  if (mapped !== undefined) return mapped.split(' ');
  let w = word;
  let tail: string | null = null;
  if (w.endsWith("n't")) [w, tail] = [w.slice(0, -3), 'not'];
  else if (w.endsWith("'ll")) [w, tail] = [w.slice(0, -3), 'will'];
  else if (w.endsWith("'re")) [w, tail] = [w.slice(0, -3), 'are'];
  else if (w.endsWith("'ve")) [w, tail] = [w.slice(0, -3), 'have'];
  else if (w.endsWith("'d")) [w, tail] = [w.slice(0, -2), 'would'];
  else if (w.endsWith("'s")) w = w.slice(0, -2); // a possessive ("linux's window") names the owner
  else if (w.endsWith("s'")) w = w.slice(0, -1);
  w = w.replace(/'/g, '');
  return [w, ...(tail === null ? [] : [tail])].filter((x) => x.length > 0);
}

/**
 * Words RayOS means something by: typos are corrected towards these (and the scene's names), never towards ordinary
 * English. Command verbs are targets only where a command starts ("pase linux" → pause), so an ordinary word later
 * in the sentence is not turned into one ("stop the clock" is not "stop the block").
 */
/** Glue words that still mean something to RayOS, so their typos are worth fixing ("taht" → that, "dwon" → down). */
const MEANINGFUL_GLUE = new Set(['this', 'that', 'these', 'those', 'here', 'there', 'down', 'off', 'out', 'away', 'over', 'back', 'again', 'another', 'left', 'right', 'top', 'bottom']);
const targetWords = (words: Iterable<string>) => [...new Set(words)].filter((w) => !w.includes(' ') && w.length >= 3 && (!FUNCTION_WORDS.has(w) || MEANINGFUL_GLUE.has(w)));
const VERB_TARGETS: ReadonlySet<string> = new Set(targetWords(PHRASE_STARTS));
const CORRECTION_TARGETS: readonly string[] = targetWords([
  ...LEXICON_WORDS, ...TYPE_WORDS.keys(), ...Object.keys(SUBSYSTEM_ALIASES), ...Object.values(SUBSYSTEM_ALIASES).flat(), ...DEICTIC_PHRASES.filter((d) => !d.includes(' ')),
  'please', 'snapshot', 'network', 'internet', ...MEANINGFUL_GLUE,
]);
/** The targets by length, so a word is compared only with words it could be a typo of. */
const TARGETS_BY_LENGTH: readonly (readonly string[])[] = (() => {
  const buckets: string[][] = [];
  for (const w of CORRECTION_TARGETS) (buckets[w.length] ??= []).push(w);
  return Array.from({ length: buckets.length }, (_, i) => buckets[i] ?? []);
})();
const MAX_SCENE_WORDS_FOR_TYPOS = 5000;

/** Words after which a command may (still) start: politeness, fillers, joiners. */
const BEFORE_COMMAND = new Set(['could', 'can', 'would', 'will', 'you', 'i', 'we', 'want', 'need', 'like', 'to', 'mind', 'go', 'ahead', 'and', 'then', 'also', 'lets', 'let', 'us', 'me', 'if', 'kindly', 'u', 'pls', 'plz']);

/** Words left alone: RayOS's own, ordinary English glue, and the everyday words of out-of-scope requests ("weather" is not a typo of "whether"). */
const KNOWN = new Set<string>([...CORRECTION_TARGETS, ...FUNCTION_WORDS, ...FILLER_WORDS, ...LEMMAS.keys(), ...OUT_OF_SCOPE_WORDS, ...QUESTION_STARTS]);

function correct(word: string, sceneWords: ReadonlySet<string>, commandMayStart: boolean, atEnd = false): string | null {
  if (word.length < 3 || /\d/.test(word) || KNOWN.has(word) || sceneWords.has(word)) return null;
  const max = word.length >= 7 ? 2 : 1;
  // Three letters are too few to guess from, except a name on screen missing one ("txt" → "text").
  if (word.length === 3) {
    const near = [...sceneWords].filter((c) => c.length === 4 && boundedEditDistance(word, c, 1) === 1);
    return near.length === 1 ? near[0]! : null;
  }
  let best: string | null = null;
  let bestCost = Infinity;
  let tie = false;
  const consider = (candidate: string) => {
    if (candidate.length < 3 || Math.abs(candidate.length - word.length) > max || (!commandMayStart && VERB_TARGETS.has(candidate))) return;
    // "please" stands before a request or after it; a word inside one ("look for lease agreements") is meant as said.
    if (candidate === 'please' && !commandMayStart && !atEnd) return;
    const d = boundedEditDistance(word, candidate, max);
    if (d > max) return;
    // Between equally near words, one of the same length (a swapped or mistyped letter) is the likelier slip.
    const cost = d + (candidate.length === word.length ? 0 : 0.5);
    if (cost < bestCost) [best, bestCost, tie] = [candidate, cost, false];
    else if (cost === bestCost && candidate !== best) tie = true;
  };
  if (word.length > MAX_CORRECTABLE_LENGTH) return null;
  for (let len = word.length - max; len <= word.length + max; len++) for (const candidate of TARGETS_BY_LENGTH[len] ?? []) consider(candidate);
  // A scene of thousands of names is searched only so far: a typo is worth a bounded look.
  let looked = 0;
  for (const candidate of sceneWords) {
    if (++looked > MAX_SCENE_WORDS_FOR_TYPOS) break;
    consider(candidate);
  }
  // Two equally near words: guessing would be a coin toss, so the word stays as said.
  return best !== null && !tie ? best : null;
}

/**
 * Spellings of please and thanks that no list holds ("plzz", "pleeease", "thanx"). Each starts as the word does: an
 * English word that only looks like a part of it ("lease", "less") is meant as said.
 */
const POLITE = /^(pl[sz]+e?|ple+a*s+e*|pl[eai]+[sz]+e*|pl[eai]+a[sz]e*|pel[ae]+se|thx+|thanx+|thanks+|thnx|tnx|tq|ty+)$/;

const FILLER_SEQUENCES = [...FILLER_PHRASES].map((f) => f.split(' ')).sort((a, b) => b.length - a.length);

interface Word {
  readonly w: string;
  readonly raw: string;
  /** Said first after a clause mark ("windows. snapshot."): a command may start here. */
  readonly clause?: boolean;
}

function removeFillers(words: readonly Word[], dropped: string[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < words.length; ) {
    const seq = FILLER_SEQUENCES.find((s) => s.every((w, k) => words[i + k]?.w === w));
    if (seq !== undefined) {
      dropped.push(seq.join(' '));
      i += seq.length;
      continue;
    }
    const word = words[i]!;
    if (FILLER_WORDS.has(word.w) || POLITE.test(word.w)) dropped.push(word.w);
    else out.push(word);
    i++;
  }
  while (out.length > 1 && LEAD_IN_WORDS.has(out[0]!.w)) dropped.push(out.shift()!.w);
  return out;
}

/** "do" before an object, not a subject, is an imperative: "do the same search", "do that again" (a "?" still asks). */
const DO_OBJECTS: ReadonlySet<string> = new Set(['the', 'that', 'this', 'it', 'same', 'a', 'an', 'another', 'one', 'so']);
const asks = (words: readonly string[]): boolean => QUESTION_STARTS.has(words[0]!) && !(words[0] === 'do' && DO_OBJECTS.has(words[1] ?? ''));

/**
 * Normalises what was said. `sceneWords`: the words of the scene's names, so a typo of a label ("fierfox") is
 * corrected too. Never throws; anything that is not a readable English request is refused with a reason.
 */
export function normaliseUtterance(untrustedText: unknown, sceneWords: ReadonlySet<string> = new Set()): Normalised | Refused {
  if (typeof untrustedText !== 'string') return refuse('empty', 'Nothing was said.');
  if (untrustedText.trim().length === 0) return refuse('empty', 'Nothing was said.');
  if (untrustedText.length > MAX_UTTERANCE_CHARS) return refuse('too_long', `That is ${untrustedText.length} characters — too long for one request (at most ${MAX_UTTERANCE_CHARS}).`);
  if (isBinary(untrustedText)) return refuse('binary', 'That looks like binary data, not words.');
  // Invisible characters (zero-width spaces and joiners, byte-order marks) split no words.
  const folded = foldText(untrustedText.replace(/[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g, ''));
  const letters = folded.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return refuse('no_words', 'There were no words in that.');
  const latin = letters.filter((c) => c >= 'a' && c <= 'z').length;
  if (latin / letters.length < 0.7) return refuse('not_english', 'RayOS reads English only for now.');
  const question = /\?\s*$/.test(folded);

  // Stretched letters ("pleeease", "sooo") are one letter; a doubled letter may be real ("off"), so two stay.
  // Clause marks are kept as a marker for now: a command may start after one ("ok, hide it"). A dot inside a word
  // ("resume.pdf", "11.2") is part of it.
  const pieces = folded
    .replace(/([a-z0-9])\.(?=[a-z0-9])/g, `$1${DOT}`)
    .replace(/[,.;:!?]+/g, ` ${CLAUSE} `)
    .replace(/[^a-z0-9' \u0001\u0002]+/g, ' ')
    .replace(/([a-z])\1{2,}/g, '$1$1')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => w.replace(/\u0002/g, '.'));
  const raw: Word[] = pieces.flatMap((piece) => (piece === CLAUSE ? [{ w: CLAUSE, raw: '' }] : expandContraction(piece).map((w, k) => ({ w, raw: k === 0 ? piece : '' }))));
  const foreign = raw.filter(({ w }) => FOREIGN_MARKERS.has(w)).length;
  const english = raw.filter(({ w }) => FUNCTION_WORDS.has(w) || LEXICON_WORDS.has(w)).length;
  if (foreign >= 2 && foreign > english) return refuse('not_english', 'RayOS reads English only for now.');

  const corrections: { from: string; to: string }[] = [];
  let commandMayStart = true;
  const corrected: Word[] = [];
  for (const [k, { w, raw: typed }] of raw.entries()) {
    const clause = k > 0 && raw[k - 1]!.w === CLAUSE;
    if (w === CLAUSE) {
      commandMayStart = true;
      continue;
    }
    const fixed: string | null = w.includes('.') || POLITE.test(w) ? null : correct(w, sceneWords, commandMayStart, k === raw.length - 1 || raw[k + 1]!.w === CLAUSE);
    const word: string = fixed ?? w;
    if (fixed !== null) corrections.push({ from: w, to: fixed });
    commandMayStart = FILLER_WORDS.has(word) || LEAD_IN_WORDS.has(word) || BEFORE_COMMAND.has(word) || POLITE.test(word);
    corrected.push({ w: word, raw: fixed !== null ? fixed : typed, ...(clause ? { clause } : {}) });
  }
  const dropped: string[] = [];
  const kept = removeFillers(corrected, dropped);
  if (kept.length === 0) return refuse('empty', `Only "${dropped.join(' ')}" was said — no request.`);
  const words = kept.map((k) => k.w);
  const tokens = kept.map(({ w, raw: typed, clause }, i) => ({ surface: w, lemma: LEMMAS.get(w) ?? w, ...(typed === '' ? {} : { raw: typed }), ...(clause === true && i > 0 ? { clauseStart: true } : {}) }));
  return { ok: true, tokens, text: words.join(' '), question: question || asks(words), corrections, dropped };
}
