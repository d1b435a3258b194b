// Owns what the words refer to: names, deixis from attention ("this"), anaphora from dialogue recency ("it"), combined into one distribution over scene objects.
import type { AttentionSnapshot, ObjectType } from '../../contracts/intent.js';
import { recentTargets, type Timeline } from './dialogue-timeline.js';
import { matchNames, typeFits, type SceneIndex } from './referent-names.js';
import type { Token } from './registry-lexicon.js';
import { ACTION_THAT_BEFORE, ANAPHORIC_PHRASES, DEICTIC_PHRASES } from './referent-words.js';

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
  readonly notes: readonly string[];
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

function findPhrases(tokens: readonly Token[], phrases: readonly string[], skip: ReadonlySet<number>): number[][] {
  const found: number[][] = [];
  const taken = new Set<number>();
  for (const phrase of phrases) {
    const words = phrase.split(' ');
    for (let i = 0; i + words.length <= tokens.length; i++) {
      const span = words.map((_, k) => i + k);
      if (span.some((k) => taken.has(k) || skip.has(k))) continue;
      if (words.every((w, k) => tokens[i + k]!.surface === w)) {
        found.push(span);
        for (const k of span) taken.add(k);
      }
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
  const nothing = Math.max(0, attention.background) * 0.5 + (1 - attention.evidence) * on;
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

/** Resolves what the words point at. Names come first; "this" reads the gaze; "it" the dialogue; a bare type ("the snapshot") every object of that type. */
export function resolveReferents(input: ResolveReferentsInput): ReferentReading {
  const { tokens, skip, index, attention, timeline } = input;
  const names = matchNames(tokens, skip, index, input.knownWord);
  const notes = [...names.notes];
  const used = new Set<number>([...names.nameTokens, ...names.typeTokens]);
  const blocked = new Set([...skip, ...used]);
  // "that" after "do", "undo", "why did you do" is the previous action, not an object.
  const actionThat = new Set<number>();
  tokens.forEach((t, i) => {
    if ((t.surface === 'that' || t.surface === 'it') && i > 0 && ACTION_THAT_BEFORE.has(tokens[i - 1]!.surface)) actionThat.add(i);
  });
  const free = new Set([...blocked, ...actionThat]);
  const anaphoric = findPhrases(tokens, ANAPHORIC_PHRASES, free);
  for (const span of anaphoric) for (const k of span) free.add(k);
  const deictic = findPhrases(tokens, DEICTIC_PHRASES, free);
  for (const span of [...deictic, ...anaphoric]) for (const k of span) used.add(k);

  const gaze = gazeReading(attention, index, names.types);
  const recency = recencyReading(timeline, index, names.types);
  const clearLook = gaze !== null && attention !== null && attention.evidence >= 0.5 && Math.max(...gaze.weights.values()) > 0.5;

  if (names.scores.size > 0) {
    const weights = new Map<string, number>();
    const best = Math.max(...names.scores.values());
    for (const [id, s] of names.scores) weights.set(id, Math.exp(NAME_SHARPNESS * (s - best)));
    // Gaze and recency lean on a name only softly: they break ties between equally named objects, they do not overrule words.
    const pointing = deictic.length > 0 && gaze !== null;
    for (const [id, w] of weights) {
      const look = gaze?.weights.get(id) ?? 0;
      const recent = recency.get(id) ?? 0;
      weights.set(id, w * (pointing ? 0.2 + look : 1 + 1.5 * look * (attention?.evidence ?? 0)) * (1 + 0.5 * recent));
    }
    if (pointing) notes.push('the name and where you looked were combined');
    return { candidates: normalise(weights), mode: 'named', types: names.types, used, notes };
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
    return { candidates: normalise(g.weights, total / (total + g.nothing)), mode: 'deictic', types: names.types, used, notes };
  };
  if (prefer === 'gaze' && gaze !== null) return fromGaze(`${quoted} read from where you looked`);
  if (prefer !== null && recency.size > 0) {
    notes.push(`${quoted} read from what was last talked about or acted on`);
    // What the person looks at now leans a little on which recent object is meant.
    const weights = new Map(recency);
    if (gaze !== null) for (const [id, look] of gaze.weights) if (weights.has(id)) weights.set(id, weights.get(id)! + 0.25 * look * (attention?.evidence ?? 0));
    return { candidates: normalise(weights), mode: 'anaphoric', types: names.types, used, notes };
  }
  if (prefer !== null && gaze !== null) return fromGaze(`nothing was talked about before, so ${quoted} was read from where you looked`);
  if (prefer !== null) {
    notes.push(`${quoted} was said, but there is no gaze or dialogue to read it from`);
    return { candidates: [], mode: prefer === 'gaze' ? 'deictic' : 'anaphoric', types: names.types, used, notes };
  }
  if (names.types.length > 0) {
    // "the snapshot", "the vm": every object of that kind, gaze and recency tipping the balance.
    const weights = new Map<string, number>();
    for (const o of index.objects) {
      if (!typeFits(o, names.types)) continue;
      weights.set(o.id, 1 + 2 * (gaze?.weights.get(o.id) ?? 0) * (attention?.evidence ?? 0) + (recency.get(o.id) ?? 0));
    }
    return { candidates: normalise(weights), mode: 'typed', types: names.types, used, notes };
  }
  return { candidates: [], mode: 'none', types: [], used, notes };
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
