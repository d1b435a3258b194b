// Owns what the words refer to: names, deixis from attention ("this"), anaphora from dialogue recency ("it"), combined into one distribution over scene objects.
import type { AttentionSnapshot, ObjectType } from '../../contracts/intent.js';
import { recentTargets, type Timeline } from './dialogue-timeline.js';
import { matchNames, typeFits, type SceneIndex } from './referent-names.js';
import type { Token } from './registry-lexicon.js';
import { ACTION_THAT_BEFORE, ANAPHORIC_PHRASES, DEICTIC_PHRASES, PLURAL_POINTERS, TYPE_WORDS } from './referent-words.js';
import { readSpatial } from './referent-spatial.js';

export type ReferenceMode = 'named' | 'deictic' | 'anaphoric' | 'typed' | 'none';

export interface ReferentCandidate {
  readonly id: string;
  readonly p: number;
}

export interface ReferentReading {
  /** Objects and how likely each is meant, best first; sums to at most 1 (the rest: nothing in particular). */
  readonly candidates: readonly ReferentCandidate[];
  readonly mode: ReferenceMode;
  readonly types: readonly ObjectType[];
  /** Token positions that were about the object (names, type words, "this", "it"). */
  readonly used: ReadonlySet<number>;
  /** Of those, the positions that named an object. */
  readonly named: ReadonlySet<number>;
  readonly notes: readonly string[];
  /** The candidates are where the person looked (the tracker's accuracy then limits how sure the choice can be). */
  readonly byGaze?: boolean;
}

export interface ResolveReferentsInput {
  readonly tokens: readonly Token[];
  /** Positions the action's phrase took ("turn * off" takes turn and off). */
  readonly skip: ReadonlySet<number>;
  readonly index: SceneIndex;
  readonly attention: AttentionSnapshot | null;
  readonly timeline: Timeline;
  readonly knownWord: (w: string) => boolean;
}

/** Words that point either way: with the eyes when the look is clear, else back into the dialogue. */
const FLEXIBLE: ReadonlySet<string> = new Set(['that', 'those', 'that one', 'that thing', 'the one']);

/** How sharply name scores become probabilities: a full distinctive name against a shared word is about 20:1. */
const NAME_SHARPNESS = 4;
/** Gaze with less evidence than this says nothing about what "this" is. */
const MIN_EVIDENCE = 0.05;

const compiledPhrases = new Map<readonly string[], readonly (readonly string[])[]>();
const wordsOfPhrases = (phrases: readonly string[]) => {
  let compiled = compiledPhrases.get(phrases);
  if (compiled === undefined) compiledPhrases.set(phrases, (compiled = phrases.map((p) => p.split(' '))));
  return compiled;
};

/** Where the phrases occur (longest listed first wins a word), skipping words already taken. */
function findPhrases(tokens: readonly Token[], phrases: readonly string[], skip: ReadonlySet<number>): number[][] {
  const found: number[][] = [];
  const taken = new Set<number>();
  for (const words of wordsOfPhrases(phrases)) {
    for (let i = 0; i + words.length <= tokens.length; i++) {
      if (tokens[i]!.surface !== words[0]) continue;
      let k = 0;
      while (k < words.length && tokens[i + k]!.surface === words[k] && !taken.has(i + k) && !skip.has(i + k)) k++;
      if (k < words.length) continue;
      const span = words.map((_, j) => i + j);
      found.push(span);
      for (const j of span) taken.add(j);
    }
  }
  return found;
}

const normalise = (weights: Map<string, number>, keep = 1): ReferentCandidate[] => {
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return [];
  return [...weights.entries()].map(([id, w]) => ({ id, p: (keep * w) / total })).sort((a, b) => b.p - a.p);
};

/** Where the person looked: each on-screen object's share, and how much of the look was on nothing in particular. */
export function gazeReading(attention: AttentionSnapshot | null, index: SceneIndex, types: readonly ObjectType[]): { weights: Map<string, number>; nothing: number } | null {
  if (attention === null || attention.evidence < MIN_EVIDENCE) return null;
  const weights = new Map<string, number>();
  for (const a of attention.objects) {
    const o = index.byId.get(a.id);
    if (o === undefined || a.p <= 0 || (types.length > 0 && !typeFits(o, types))) continue;
    weights.set(a.id, a.p);
  }
  const on = [...weights.values()].reduce((x, y) => x + y, 0);
  if (on <= 0) return null;
  // Thin evidence leaves room for "I can't tell": the share not on any object, plus what the evidence does not cover.
  const nothing = Math.max(0, attention.background) * 0.5 + (1 - attention.evidence) ** 2 * on * 0.6;
  return { weights, nothing };
}

/** Who was talked about or acted on lately, most recent strongest; objects of the said type only. */
function recencyReading(timeline: Timeline, index: SceneIndex, types: readonly ObjectType[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const r of recentTargets(timeline, (id) => index.byId.has(id))) {
    const o = index.byId.get(r.id)!;
    if (types.length > 0 && !typeFits(o, types)) continue;
    weights.set(r.id, r.weight);
  }
  return weights;
}

const LANDMARK_PHRASES = ['to the left of', 'to the right of', 'on top of', 'in front of', 'next to', 'beside', 'near', 'behind', 'under', 'below', 'above', 'left of', 'right of'].map((p) => p.split(' '));
const POINTER_WORDS = new Set(['it', 'this', 'that', 'them', 'these', 'those']);

/**
 * "put it next to the terminal": the name after a place word is where, not what — when something else says what (a
 * pointer, or a name before it). Those words are then left out of naming.
 */
function withoutLandmark(tokens: readonly Token[], skip: ReadonlySet<number>, index: SceneIndex): ReadonlySet<number> {
  for (let i = 1; i < tokens.length; i++) {
    const phrase = LANDMARK_PHRASES.find((p) => p.every((w, k) => tokens[i + k]?.surface === w));
    if (phrase === undefined) continue;
    const before = tokens.slice(0, i);
    const saysWhat = before.some((t, k) => !skip.has(k) && (POINTER_WORDS.has(t.surface) || index.names.has(t.surface) || index.names.has(t.lemma)));
    if (!saysWhat) return skip;
    const out = new Set(skip);
    for (let k = i; k < tokens.length; k++) out.add(k);
    return out;
  }
  return skip;
}

/** Resolves what the words point at. Names come first; "this" reads the gaze; "it" the dialogue; a bare type ("the snapshot") every object of that type. */
export function resolveReferents(input: ResolveReferentsInput): ReferentReading {
  const { tokens, skip, index, attention, timeline } = input;
  const landmarkSkip = withoutLandmark(tokens, skip, index);
  const names = matchNames(tokens, landmarkSkip, index, input.knownWord);
  const notes = [...names.notes];
  const used = new Set<number>([...names.nameTokens, ...names.typeTokens]);
  // A landmark's name is about an object too (just not the one acted on): it is not an unknown word.
  for (const k of landmarkSkip) if (!skip.has(k) && (index.names.has(tokens[k]!.surface) || index.qualifiers.has(tokens[k]!.surface) || TYPE_WORDS.has(tokens[k]!.surface))) used.add(k);
  const blocked = new Set([...skip, ...used]);
  // "that" after "do", "undo", "why did you do" is the previous action, not an object.
  const actionThat = new Set<number>();
  tokens.forEach((t, i) => {
    if ((t.surface === 'that' || t.surface === 'it') && i > 0 && ACTION_THAT_BEFORE.has(tokens[i - 1]!.surface)) actionThat.add(i);
  });
  const free = new Set([...blocked, ...actionThat]);
  const anaphoric = findPhrases(tokens, ANAPHORIC_PHRASES, free);
  for (const span of anaphoric) for (const k of span) free.add(k);
  // "here"/"there" beside another pointer is where to put it ("move it over here"), not what.
  const pointers = findPhrases(tokens, DEICTIC_PHRASES, free);
  const placeWords = new Set(['here', 'there', 'over here', 'over there', 'right here']);
  const deictic = pointers.filter((span) => !(placeWords.has(span.map((k) => tokens[k]!.surface).join(' ')) && (pointers.length > 1 || anaphoric.length > 0 || names.scores.size > 0)));
  for (const span of [...deictic, ...anaphoric]) for (const k of span) used.add(k);
  const spatial = readSpatial(tokens, new Set([...free, ...used]), index, names.types, index.screen);
  if (spatial !== null) for (const k of spatial.used) used.add(k);

  const gaze = gazeReading(attention, index, names.types);
  const recency = recencyReading(timeline, index, names.types);
  const clearLook = gaze !== null && attention !== null && attention.evidence >= 0.5 && Math.max(...gaze.weights.values()) > 0.5;

  if (names.scores.size > 0) {
    const weights = new Map<string, number>();
    const best = Math.max(...names.scores.values());
    for (const [id, s] of names.scores) weights.set(id, Math.exp(NAME_SHARPNESS * (s - best)));
    // "the left terminal": the position narrows the named ones down, when any of them is on screen.
    if (spatial !== null && [...weights.keys()].some((id) => spatial.weights.has(id))) {
      for (const [id, w] of weights) weights.set(id, w * (spatial.weights.get(id) ?? 0.02));
      notes.push(`"${spatial.said}" picked among them by position`);
    }
    // Gaze and recency lean on a name only softly: they break ties between equally named objects, they do not overrule words.
    const pointing = deictic.length > 0 && gaze !== null;
    for (const [id, w] of weights) {
      const look = gaze?.weights.get(id) ?? 0;
      const recent = recency.get(id) ?? 0;
      weights.set(id, w * (pointing ? 0.2 + look : 1 + 1.5 * look * (attention?.evidence ?? 0)) * (1 + 0.5 * recent));
    }
    if (pointing) notes.push('the name and where you looked were combined');
    return { candidates: normalise(weights), mode: 'named', types: names.types, used, named: names.nameTokens, notes };
  }

  if (spatial !== null && deictic.length === 0 && anaphoric.length === 0) {
    notes.push(`"${spatial.said}" read as a position on screen`);
    return { candidates: normalise(new Map(spatial.weights)), mode: 'named', types: names.types, used, named: new Set(spatial.used), notes };
  }

  const said = [...deictic, ...anaphoric].map((span) => span.map((k) => tokens[k]!.surface).join(' '));
  // "this"/"here" point with the eyes; "it"/"the same" point into the dialogue; "that (one)" is whichever is clearer.
  const kinds = said.map((w) => (FLEXIBLE.has(w) ? 'flexible' : ANAPHORIC_PHRASES.includes(w) ? 'anaphoric' : 'deictic'));
  let prefer: 'gaze' | 'dialogue' | null = null;
  if (kinds.includes('deictic')) prefer = 'gaze';
  else if (kinds.includes('flexible')) prefer = clearLook || recency.size === 0 ? 'gaze' : 'dialogue';
  else if (kinds.includes('anaphoric')) prefer = recency.size > 0 ? 'dialogue' : 'gaze';
  const quoted = said.map((w) => `"${w}"`).join(', ');
  const fromGaze = (why: string): ReferentReading => {
    const g = gaze!;
    notes.push(why);
    const total = [...g.weights.values()].reduce((a, b) => a + b, 0);
    return { candidates: normalise(g.weights, total / (total + g.nothing)), mode: 'deictic', types: names.types, used, named: names.nameTokens, notes, byGaze: true };
  };
  // "it", "that one": the dialogue's object, unless the eyes clearly rest on another one; then either may be meant.
  const eitherWay = !kinds.includes('deictic') && said.some((w) => ANAPHORIC_PHRASES.includes(w)) && !said.some((w) => PLURAL_POINTERS.has(w) || w.includes('other'));
  if (eitherWay && clearLook && recency.size > 0) {
    const [looked, share] = [...gaze!.weights].sort((a, b) => b[1] - a[1])[0]!;
    const latest = Math.max(...recency.values());
    if ((recency.get(looked) ?? 0) < latest) {
      notes.push(`${quoted} may be what was last talked about or what you are looking at (${index.byId.get(looked)?.label ?? looked})`);
      const weights = new Map(recency);
      weights.set(looked, Math.max(weights.get(looked) ?? 0, latest * share));
      return { candidates: normalise(weights), mode: 'anaphoric', types: names.types, used, named: names.nameTokens, notes };
    }
  }
  if (prefer === 'gaze' && gaze !== null) return fromGaze(`${quoted} read from where you looked`);
  if (prefer !== null && recency.size > 0) {
    notes.push(`${quoted} read from what was last talked about or acted on`);
    // What the person looks at now leans a little on which recent object is meant.
    const weights = new Map(recency);
    // "them", "both": every recently mentioned object equally (RayOS will ask which, one request acts on one object).
    if (said.some((w) => PLURAL_POINTERS.has(w))) for (const [id, w] of weights) weights.set(id, w >= 0.09 ? 1 : w);
    // "the other one": not the one just talked about — the one before it, or else another of the same kind.
    if (said.some((w) => w.includes('other'))) {
      const latest = [...recency.entries()].filter(([, w]) => w === 1).map(([id]) => id);
      for (const id of latest) weights.delete(id);
      if (weights.size === 0) {
        const kinds = new Set(latest.map((id) => index.byId.get(id)!.type));
        for (const o of index.objects) if (kinds.has(o.type) && !latest.includes(o.id) && (names.types.length === 0 || typeFits(o, names.types))) weights.set(o.id, 1);
      }
      if (weights.size === 0) for (const id of latest) weights.set(id, 1);
      const rest = Math.max(...weights.values());
      for (const [id, w] of weights) weights.set(id, w / rest);
    }
    if (gaze !== null) for (const [id, look] of gaze.weights) if (weights.has(id)) weights.set(id, weights.get(id)! + 0.25 * look * (attention?.evidence ?? 0));
    return { candidates: normalise(weights), mode: 'anaphoric', types: names.types, used, named: names.nameTokens, notes };
  }
  if (prefer !== null && gaze !== null) return fromGaze(`nothing was talked about before, so ${quoted} was read from where you looked`);
  if (prefer !== null) {
    notes.push(`${quoted} was said, but there is no gaze or dialogue to read it from`);
    // "this" still means something on screen; "it" or "that" with nothing to go back to may be anything the action fits.
    return { candidates: [], mode: kinds.includes('deictic') ? 'deictic' : 'anaphoric', types: names.types, used, named: names.nameTokens, notes };
  }
  if (names.types.length > 0) {
    // "the snapshot", "the vm": every object of that kind, gaze and recency tipping the balance.
    const weights = new Map<string, number>();
    for (const o of index.objects) {
      if (!typeFits(o, names.types)) continue;
      weights.set(o.id, 1 + 2 * (gaze?.weights.get(o.id) ?? 0) * (attention?.evidence ?? 0) + (recency.get(o.id) ?? 0));
    }
    return { candidates: normalise(weights), mode: 'typed', types: names.types, used, named: names.nameTokens, notes };
  }
  return { candidates: [], mode: 'none', types: [], used, named: names.nameTokens, notes };
}

/**
 * When the words name nothing at all ("pause"): the objects the action can apply to, leaning on what was looked at and
 * talked about last. With one such object it is that one; with several and nothing to lean on, RayOS asks.
 */
export function implicitReferents(ids: readonly string[], attention: AttentionSnapshot | null, timeline: Timeline, index: SceneIndex): ReferentCandidate[] {
  const gaze = gazeReading(attention, index, []);
  const recency = recencyReading(timeline, index, []);
  const weights = new Map<string, number>();
  for (const id of ids) weights.set(id, 0.3 + 1.5 * (gaze?.weights.get(id) ?? 0) * (attention?.evidence ?? 0) + (recency.get(id) ?? 0));
  return normalise(weights);
}
