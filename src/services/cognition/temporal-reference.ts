// Owns references by when something happened: "the window I hid first", "the vm I paused about three minutes ago", "the snapshot before the latest one" — the event's verb, an ordinal or a relative time, read against the history.
import type { IntentAction, ObjectType } from '../../contracts/intent.js';
import type { Moment, Timeline } from './dialogue-timeline.js';
import type { Token } from './registry-lexicon.js';
import type { SceneIndex } from './referent-names.js';

/** When the referenced event happened: counted from the first or the last one, a time ago, or just before/after another event. */
export type TimeCue =
  | { readonly kind: 'ordinal'; readonly from: 'start' | 'end'; readonly index: number }
  | { readonly kind: 'ago'; readonly ms: number }
  | { readonly kind: 'anchor'; readonly side: 'before' | 'after'; readonly target: string | null; readonly actions: readonly IntentAction[] | null };

export interface TemporalReference {
  /** Word positions that said which event (kept away from command and name matching when `relative`). */
  readonly span: ReadonlySet<number>;
  /** The actions the referenced event records; null: any request of the person's ("what I did"). */
  readonly actions: readonly IntentAction[] | null;
  /** The verb sits in a relative clause ("the one I paused"), so it is not the request's command. */
  readonly relative: boolean;
  /** Kinds of object the words ask for beyond the verb ("the snapshot I took": snapshots, not the machine snapshotted). */
  readonly types: readonly ObjectType[];
  readonly cue: TimeCue | null;
  readonly said: string;
}

export interface TemporalPick {
  readonly candidates: readonly { id: string; p: number }[];
  readonly why: string;
}

/** Past forms (and participles) of what happens to objects, with the actions that record them. */
const PAST: ReadonlyMap<string, readonly IntentAction[] | null> = new Map<string, readonly IntentAction[] | null>([
  ...['hid', 'hidden', 'minimized', 'minimised'].map((w) => [w, ['hide']] as const),
  ['disappeared', ['hide', 'close']], ['vanished', ['hide', 'close']],
  ['closed', ['close']], ['opened', ['open', 'launch', 'present']], ['launched', ['launch', 'open']], ['ran', ['launch', 'open', 'start']],
  ...['presented', 'showed', 'shown', 'unhid', 'unhidden', 'displayed'].map((w) => [w, ['present', 'open']] as const),
  ['paused', ['pause']], ['resumed', ['resume']], ['unpaused', ['resume']], ['started', ['start']], ['booted', ['start']],
  ['stopped', ['stop']], ['shut', ['stop']], ['suspended', ['suspend']], ['snapshotted', ['snapshot']], ['took', ['snapshot']], ['taken', ['snapshot']],
  ['restored', ['restore']], ['focused', ['focus']], ['moved', ['move']], ['resized', ['resize']], ['did', null], ['done', null],
]);
/** Base forms, as in "why did windows pause", "what made ubuntu stop": the event a question asks about. */
const BASE: ReadonlyMap<string, readonly IntentAction[]> = new Map<string, readonly IntentAction[]>([
  ['hide', ['hide']], ['disappear', ['hide', 'close']], ['vanish', ['hide', 'close']], ['close', ['close']], ['open', ['open', 'launch', 'present']],
  ['pause', ['pause']], ['resume', ['resume']], ['start', ['start']], ['boot', ['start']], ['stop', ['stop']], ['shut', ['stop']], ['suspend', ['suspend']],
  ['lose', ['network_off']], ['restart', ['start', 'stop']],
]);
/** Words before a verb that make it a relative clause: "I paused", "that was paused", "that got hidden". */
const SUBJECTS: ReadonlySet<string> = new Set(['i', 'you', 'we', 'was', 'were', 'got', 'get', 'been', 'be', 'that', 'which', 'who', 'rayos']);
/** Heads of such a clause that name nothing ("whatever I paused last"). */
const HEADS: ReadonlySet<string> = new Set(['whatever', 'whichever', 'what', 'one']);
const SNAPSHOT_WORDS: ReadonlySet<string> = new Set(['snapshot', 'snapshots', 'checkpoint', 'backup']);
const QUESTION_OPENERS: ReadonlySet<string> = new Set(['why', 'what', 'how', 'explain', 'when']);

const NUMBERS: ReadonlyMap<string, number> = new Map(
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'
    .split(' ')
    .map((w, i) => [w, i] as const)
    .concat([['thirty', 30], ['forty', 40], ['fifty', 50], ['sixty', 60], ['ninety', 90], ['a', 1], ['an', 1], ['few', 3], ['couple', 2], ['several', 5], ['half', 0.5]]),
);
const UNITS: ReadonlyMap<string, number> = new Map([
  ...['second', 'seconds', 'sec', 'secs'].map((w) => [w, 1000] as const),
  ...['minute', 'minutes', 'min', 'mins'].map((w) => [w, 60_000] as const),
  ...['hour', 'hours', 'hr', 'hrs'].map((w) => [w, 3_600_000] as const),
  ...['day', 'days'].map((w) => [w, 86_400_000] as const),
  ...['week', 'weeks'].map((w) => [w, 604_800_000] as const),
]);
const APPROX: ReadonlySet<string> = new Set(['about', 'around', 'roughly', 'approximately', 'some', 'like', 'maybe', 'nearly', 'almost', 'over', 'from', 'since']);

/** A number said as digits or words ("20", "twenty five", "a couple of"); null when none ends at `end`. */
function quantityBefore(words: readonly string[], end: number): { value: number; start: number } | null {
  let k = end;
  if (words[k] === 'of' && words[k - 1] === 'couple') k--;
  const w = words[k];
  if (w === undefined) return null;
  let value = /^\d+(\.\d+)?$/.test(w) ? Number(w) : NUMBERS.get(w);
  if (value === undefined) return null;
  let start = k;
  // "twenty five": tens then units.
  if (value < 10 && NUMBERS.get(words[k - 1] ?? '')! >= 20) value += NUMBERS.get(words[--start]!)!;
  // "a few", "a couple", "half an hour".
  if ((w === 'few' || w === 'couple') && words[start - 1] === 'a') start--;
  if ((w === 'a' || w === 'an') && words[start - 1] === 'half') {
    value = 0.5;
    start--;
  }
  return { value, start };
}

/** The cue and the positions that said it, read from the words (surfaces). */
function readCue(words: readonly string[], rawJust: boolean, verbAt: number | null): { cue: TimeCue | null; span: number[] } | null {
  const at = (phrase: string) => {
    const p = phrase.split(' ');
    for (let i = 0; i + p.length <= words.length; i++) if (p.every((w, k) => words[i + k] === w)) return i;
    return -1;
  };
  const spanOf = (i: number, n: number) => Array.from({ length: n }, (_, k) => i + k);
  const ago = words.indexOf('ago');
  if (ago > 0) {
    // "an hour and a half ago": the unit before "and a half", and half of it more.
    const andHalf = words.slice(ago - 3, ago).join(' ') === 'and a half' ? 3 : 0;
    const unit = words[ago - 1 - andHalf]!;
    if (unit === 'moment' || unit === 'bit' || unit === 'while') {
      let s = ago - 1;
      while (s > 0 && ['a', 'little', 'short'].includes(words[s - 1]!)) s--;
      return { cue: unit === 'while' ? null : { kind: 'ordinal', from: 'end', index: 0 }, span: spanOf(s, ago - s + 1) };
    }
    const size = UNITS.get(unit);
    const q = size === undefined ? null : quantityBefore(words, ago - 2 - andHalf);
    if (size !== undefined) {
      let s = q?.start ?? ago - 1 - andHalf;
      while (s > 0 && APPROX.has(words[s - 1]!)) s--;
      return { cue: { kind: 'ago', ms: ((q?.value ?? 1) + (andHalf > 0 ? 0.5 : 0)) * size }, span: spanOf(s, ago - s + 1) };
    }
  }
  const fixed: [string, TimeCue | null][] = [
    ['before the most recent one', { kind: 'ordinal', from: 'end', index: 1 }], ['before the most recent', { kind: 'ordinal', from: 'end', index: 1 }],
    ['before the last one', { kind: 'ordinal', from: 'end', index: 1 }], ['before the latest one', { kind: 'ordinal', from: 'end', index: 1 }],
    ['before the latest', { kind: 'ordinal', from: 'end', index: 1 }], ['before last', { kind: 'ordinal', from: 'end', index: 1 }],
    ['second to last', { kind: 'ordinal', from: 'end', index: 1 }], ['next to last', { kind: 'ordinal', from: 'end', index: 1 }], ['second last', { kind: 'ordinal', from: 'end', index: 1 }],
    ['penultimate', { kind: 'ordinal', from: 'end', index: 1 }], ['previous', { kind: 'ordinal', from: 'end', index: 1 }],
    ['most recently', { kind: 'ordinal', from: 'end', index: 0 }], ['most recent', { kind: 'ordinal', from: 'end', index: 0 }], ['just now', { kind: 'ordinal', from: 'end', index: 0 }],
    ['yesterday', { kind: 'ago', ms: 86_400_000 }], ['last night', { kind: 'ago', ms: 43_200_000 }],
    ['earliest', { kind: 'ordinal', from: 'start', index: 0 }], ['oldest', { kind: 'ordinal', from: 'start', index: 0 }], ['first', { kind: 'ordinal', from: 'start', index: 0 }],
    ['second', { kind: 'ordinal', from: 'start', index: 1 }], ['third', { kind: 'ordinal', from: 'start', index: 2 }],
    ['latest', { kind: 'ordinal', from: 'end', index: 0 }], ['newest', { kind: 'ordinal', from: 'end', index: 0 }], ['last', { kind: 'ordinal', from: 'end', index: 0 }],
    ['recently', { kind: 'ordinal', from: 'end', index: 0 }], ['earlier', null], ['previously', null], ['a while back', null],
  ];
  for (const [phrase, cue] of fixed) {
    const i = at(phrase);
    if (i >= 0) return { cue, span: spanOf(i, phrase.split(' ').length) };
  }
  if (rawJust && verbAt !== null) return { cue: { kind: 'ordinal', from: 'end', index: 0 }, span: [] };
  return null;
}

/** An object named by all the words of its label among `words` (from `from` on): the anchor of "right before the dev box". */
function namedAfter(words: readonly string[], from: number, index: SceneIndex): { id: string; end: number } | null {
  let best: { id: string; end: number; n: number } | null = null;
  for (const [id, label] of index.labelWords) {
    if (label.length === 0) continue;
    for (let i = from; i + label.length <= words.length; i++) {
      if (label.every((w, k) => words[i + k] === w) && (best === null || label.length > best.n)) best = { id, end: i + label.length - 1, n: label.length };
    }
  }
  return best;
}

/**
 * Finds a reference by time in the words. `rawWords`: the words as said, before fillers were dropped ("I just hid"
 * loses its "just" to the normaliser). Null when nothing says when or through which event.
 */
export function findTemporalReference(tokens: readonly Token[], rawWords: readonly string[], index: SceneIndex): TemporalReference | null {
  const words = tokens.map((t) => t.surface);
  const side = words.findIndex((w, k) => (w === 'before' || w === 'after') && k > 0);
  // Verbs after "before"/"after" say what the anchor was, not which event is meant.
  const limit = side >= 0 ? side : words.length;
  let verbAt: number | null = null;
  let relative = false;
  for (let i = 1; i < limit; i++) {
    if (!PAST.has(words[i]!) || !(SUBJECTS.has(words[i - 1]!) || HEADS.has(words[i - 1]!))) continue;
    verbAt = i;
    relative = true;
    break;
  }
  if (verbAt === null && QUESTION_OPENERS.has(words[0] ?? '')) {
    const i = words.findIndex((w, k) => k > 0 && k < limit && (PAST.has(w) || BASE.has(w)) && w !== 'did' && w !== 'done');
    if (i > 0) verbAt = i;
  }
  const verb = verbAt === null ? null : words[verbAt]!;
  const rawJust = verb !== null && rawWords.some((w, k) => w === 'just' && (rawWords[k + 1] === verb || rawWords[k + 1] === 'now'));
  // "before"/"after" with something named or done after it: the event just before (after) that one.
  const span = new Set<number>();
  let cue: TimeCue | null = null;
  const ordinalAfter = side >= 0 && /^(the )?(most recent|last|latest)( one)?$/.test(words.slice(side + 1).join(' '));
  if (side >= 0 && !ordinalAfter && side + 1 < words.length) {
    const anchorVerb = words.findIndex((w, k) => k > side && PAST.has(w) && w !== 'did');
    const named = namedAfter(words, side + 1, index);
    if (named !== null || anchorVerb > side) {
      cue = { kind: 'anchor', side: words[side] === 'before' ? 'before' : 'after', target: named?.id ?? null, actions: anchorVerb > side ? (PAST.get(words[anchorVerb]!) ?? null) : null };
      let s = side;
      while (s > 0 && ['right', 'just', 'from', 'shortly', 'soon', 'immediately'].includes(words[s - 1]!)) s--;
      const end = Math.max(named?.end ?? side, anchorVerb);
      for (let k = s; k <= end; k++) span.add(k);
    }
  }
  // A cue word that is also in a name ("yesterday's ubuntu snapshot" labelled "yesterday 17:10") names, it does not date.
  const read0 = cue === null ? readCue(words, rawJust, verbAt) : null;
  const read = read0 !== null && read0.span.some((k) => index.names.has(words[k]!)) ? null : read0;
  if (read !== null) {
    cue = read.cue;
    for (const k of read.span) span.add(k);
  }
  const snapshotWord = words.some((w) => SNAPSHOT_WORDS.has(w));
  // An ordinal or a time alone needs an event to count: a verb, or snapshots (which are taken).
  if (verbAt === null && !(snapshotWord && (cue !== null || span.size > 0))) return null;
  if (verbAt === null && cue === null) return null;
  if (verbAt !== null && !relative && cue === null && read === null && span.size === 0 && !QUESTION_OPENERS.has(words[0] ?? '')) return null;
  if (relative && verbAt !== null) {
    let s = verbAt - 1;
    while (s >= 0 && (SUBJECTS.has(words[s]!) || HEADS.has(words[s]!) || words[s] === 'ever')) s--;
    for (let k = s + 1; k <= verbAt; k++) span.add(k);
    if (words[verbAt + 1] === 'down' && verb === 'shut') span.add(verbAt + 1);
  }
  const actions = verb === null ? ['snapshot' as IntentAction] : verb === 'took' || verb === 'taken' ? ['snapshot' as IntentAction] : ((PAST.has(verb) ? PAST.get(verb) : BASE.get(verb)) ?? null);
  const types: readonly ObjectType[] = snapshotWord && actions?.includes('snapshot') === true ? ['snapshot'] : [];
  return { span, actions, types, relative, cue, said: [...span].sort((a, b) => a - b).map((k) => words[k]).join(' ') || (verb ?? '') };
}

interface Occurrence {
  readonly t: number;
  readonly target: string;
}

/** The moments the reference can mean, oldest first, a turn and the event it caused (same target, within 15 s) counted once. */
function occurrences(ref: TemporalReference, timeline: Timeline, index: SceneIndex, fits: (id: string) => boolean): Occurrence[] {
  const matching = (m: Moment) => m.target !== null && !m.unresolved && m.action !== null && fits(m.target) && (ref.types.length === 0 || ref.types.includes(index.byId.get(m.target)?.type ?? 'app')) && (ref.actions === null ? m.kind === 'turn' : ref.actions.includes(m.action));
  const out: Occurrence[] = [];
  for (const m of [...timeline.moments].reverse()) {
    if (!matching(m)) continue;
    if (out.some((o) => o.target === m.target && Math.abs(o.t - m.t) <= 15_000)) continue;
    out.push({ t: m.t, target: m.target! });
  }
  return out;
}

/** Occurrences at the same time happened together: one slot, several targets (RayOS then asks which). */
function slots(occ: readonly Occurrence[]): Occurrence[][] {
  const out: Occurrence[][] = [];
  for (const o of occ) {
    const last = out.at(-1);
    if (last !== undefined && last[0]!.t === o.t) last.push(o);
    else out.push([o]);
  }
  return out;
}

/** Two times this close (as a ratio, in log terms: about 1.4×) are equally near what was said; RayOS asks which. */
const TIME_TOLERANCE = 0.35;

/** Which objects the reference picks, by the cue, among the history's matching events; null when the history has none. */
export function pickByTime(ref: TemporalReference, timeline: Timeline, index: SceneIndex, now: number, fits: (id: string) => boolean): TemporalPick | null {
  const all = slots(occurrences(ref, timeline, index, fits));
  if (all.length === 0) return null;
  const what = ref.actions === null ? 'your requests' : `${ref.actions[0]} events`;
  const cue = ref.cue;
  let chosen: Occurrence[] = [];
  let why: string;
  if (cue === null) {
    chosen = all.flat();
    why = `"${ref.said}" fits ${chosen.length === 1 ? 'one' : 'several'} of the ${what}`;
  } else if (cue.kind === 'ordinal') {
    const i = cue.from === 'start' ? cue.index : all.length - 1 - cue.index;
    chosen = all[i] ?? [];
    why = `"${ref.said}" counted ${cue.index + 1} from the ${cue.from === 'start' ? 'first' : 'latest'} of the ${what}`;
  } else if (cue.kind === 'ago') {
    const distance = (s: Occurrence[]) => Math.abs(Math.log(Math.max(1, now - s[0]!.t) / cue.ms));
    const best = Math.min(...all.map(distance));
    chosen = all.filter((s) => distance(s) <= best + TIME_TOLERANCE).flat();
    why = `"${ref.said}": the ${what} nearest ${Math.round(cue.ms / 1000)} s ago`;
  } else {
    const anchor = timeline.moments.find((m) => (cue.target === null || m.target === cue.target) && (cue.actions === null || (m.action !== null && cue.actions.includes(m.action))) && m.action !== null);
    if (anchor === undefined) return null;
    const others = all.map((s) => s.filter((o) => o.target !== cue.target)).filter((s) => s.length > 0);
    chosen = (cue.side === 'before' ? others.filter((s) => s[0]!.t < anchor.t).at(-1) : others.find((s) => s[0]!.t > anchor.t)) ?? [];
    why = `"${ref.said}": the ${what} ${cue.side} ${anchor.said}`;
  }
  const ids = [...new Set(chosen.map((o) => o.target))];
  if (ids.length === 0) return null;
  return { candidates: ids.map((id) => ({ id, p: 1 / ids.length })), why };
}
