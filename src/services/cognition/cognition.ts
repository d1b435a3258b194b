// Owns System 2's one entry: utterance (+ scene, history, attention) → normalise → actions → referents → lattice → decision, with a trace; never throws.
import type { AttentionSnapshot, HistoryEntry, IntentAction, IntentDecision, Scene, TraceStep, Tracker, Utterance } from '../../contracts/intent.js';
import { focusRequest } from './clause-focus.js';
import { specOf } from './command-registry.js';
import { buildTimeline, lastResolvedTurn, type Timeline } from './dialogue-timeline.js';
import { ADDITIVE_WORDS, FUNCTION_WORDS, QUESTION_STARTS } from './english-words.js';
import { classify, OBJECT_PLACEHOLDER } from './intent-classifier.js';
import { decide } from './intent-decider.js';
import { buildLattice, type ActionBelief } from './intent-lattice.js';
import { indexScene, type SceneIndex } from './referent-names.js';
import { resolveReferents, type ReferentReading } from './referent-resolver.js';
import { applyNegation, findPhrase, LEXICON_WORDS, matchLexicon, type LexiconMatch, type Token } from './registry-lexicon.js';
import { POINTING_PHRASES } from './referent-words.js';
import { outOfScopeReason, twoRequests, unknownWords } from './scope-checks.js';
import { extractSearch, type SearchSlot } from './slot-extraction.js';
import { detectTemporal, readTemporal, type TemporalCandidate } from './temporal-reading.js';
import { findTemporalReference, pickByTime, type TemporalReference } from './temporal-reference.js';
import { typeFits } from './referent-names.js';
import { foldText, normaliseUtterance } from './utterance-normaliser.js';
import { OUT_OF_SCOPE_SENTENCES, OUT_OF_SCOPE_WORDS } from './out-of-scope-corpus.js';

export interface ResolveIntentInput {
  readonly scene: Scene;
  readonly tracker?: Tracker;
  readonly history?: readonly HistoryEntry[];
  readonly utterance: Utterance;
}

const CAPABILITIES = 'RayOS can show, hide, open, close, focus, move or resize windows; start, stop, pause, resume, suspend, snapshot or restore its machines; turn their network on or off; launch apps; search a machine; and say what is running or why it did something.';

/** Imperative actions are weakened in a question ("is linux paused?" asks, it does not pause). */
const ASKING_ACTIONS: ReadonlySet<IntentAction> = new Set(['status', 'inspect', 'explain', 'search']);
const QUESTION_DAMPING = 0.5;
/** How much sharper than the lexicon's weights the action belief is: a specific phrase (1.5) beats a generic verb (0.9) about 8:1. */
const LEXICON_SHARPNESS = 4;

interface Context {
  readonly index: SceneIndex;
  readonly timeline: Timeline;
  readonly attention: AttentionSnapshot | null;
  readonly trace: TraceStep[];
  readonly knownWord: (w: string) => boolean;
  /** The utterance's time, on the history's clock. */
  readonly now: number;
  /** The words as said, fillers included ("I just hid" keeps its "just"). */
  readonly rawWords: readonly string[];
}

function outOfScope(trace: TraceStep[], message: string, confidence = 1): IntentDecision {
  return { decision: 'out_of_scope', action: null, target: null, slots: {}, options: [], question: null, message: `${message} ${CAPABILITIES}`, confidence, candidates: [], trace };
}

/**
 * Resolves an utterance in its scene to a decision: execute, clarify, inform or out_of_scope. Pure and synchronous;
 * anything unexpected (a malformed scene from a caller that skipped validation) becomes an out_of_scope decision
 * whose trace says what went wrong — it never throws.
 */
export function resolveIntent(input: ResolveIntentInput, attention: AttentionSnapshot | null): IntentDecision {
  const trace: TraceStep[] = [];
  try {
    return resolve(input, attention, trace);
  } catch (error) {
    trace.push({ stage: 'error', detail: `Cognition failed on this input: ${error instanceof Error ? error.message : String(error)}`.slice(0, 2000) });
    return outOfScope(trace, 'Something in that request could not be read.', 0);
  }
}

function resolve(input: ResolveIntentInput, attention: AttentionSnapshot | null, trace: TraceStep[]): IntentDecision {
  const scene: Scene = Array.isArray(input?.scene?.objects) ? input.scene : { screen: [1, 1], objects: [] };
  const index = indexScene(scene);
  const untrustedText: unknown = input?.utterance?.text;
  const norm = normaliseUtterance(untrustedText, index.words);
  if (!norm.ok) {
    trace.push({ stage: 'normalise', detail: `Refused (${norm.reason}): ${norm.message}` });
    return outOfScope(trace, norm.message);
  }
  const fixes = norm.corrections.map((c) => `"${c.from}" → "${c.to}"`).join(', ');
  trace.push({ stage: 'normalise', detail: `Read as "${norm.text}"${fixes === '' ? '' : `; corrected ${fixes}`}${norm.dropped.length === 0 ? '' : `; left out ${norm.dropped.map((d) => `"${d}"`).join(', ')}`}${norm.question ? '; a question' : ''}.` });
  const now = typeof input.utterance.t === 'number' && Number.isFinite(input.utterance.t) ? input.utterance.t : Number.MAX_SAFE_INTEGER;
  const timeline = buildTimeline(Array.isArray(input.history) ? input.history : [], now);
  if (OUT_OF_SCOPE_SENTENCES.has(norm.text)) {
    trace.push({ stage: 'decision', detail: `"${norm.text}" is one of the requests RayOS knows are not its own.` });
    return outOfScope(trace, "That doesn't sound like something RayOS does.");
  }
  const knownWord = (w: string) => FUNCTION_WORDS.has(w) || LEXICON_WORDS.has(w) || OUT_OF_SCOPE_WORDS.has(w) || QUESTION_STARTS.has(w);
  const rawWords = foldText(String(untrustedText)).split(/[^a-z0-9']+/).filter((w) => w.length > 0);
  const ctx: Context = { index, timeline, attention, trace, knownWord, now, rawWords };
  const focused = focusRequest(norm.tokens, norm.question, /\?\s*$/.test(String(untrustedText)));
  if (focused.note !== null) trace.push({ stage: 'normalise', detail: `${focused.note}.` });
  return understand(focused.tokens, focused.question, ctx, true);
}

function beliefFromLexicon(tokens: readonly Token[], all: readonly LexiconMatch[], question: boolean): ActionBelief {
  const weights = new Map<IntentAction, number>();
  // "why is it paused" asks for a reason; its other words say what about.
  // So does any request that opens by asking for a cause ("what made linux stop", "how come it is paused").
  const why = all.some((m) => m.action === 'explain' && m.start === 0);
  const matches = why && all.some((m) => m.action === 'explain') ? all.filter((m) => m.action === 'explain') : all;
  for (const m of matches) {
    const w = question && !ASKING_ACTIONS.has(m.action) ? m.weight * QUESTION_DAMPING : m.weight;
    weights.set(m.action, Math.max(weights.get(m.action) ?? 0, w));
  }
  const sharpened = new Map([...weights].map(([a, w]) => [a, Math.pow(w, LEXICON_SHARPNESS)] as const));
  const total = [...sharpened.values()].reduce((a, b) => a + b, 0);
  return { scores: new Map([...sharpened].map(([a, w]) => [a, w / total] as const)), outOfScope: 0 };
}

const describeBelief = (b: ActionBelief) =>
  [...b.scores].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([a, p]) => `${a} ${Math.round(p * 100)}%`).join(', ');

function understand(tokens: readonly Token[], question: boolean, ctx: Context, firstPass: boolean): IntentDecision {
  const { index, timeline, attention, trace } = ctx;
  // "what I am looking at" points; its "look at" is not a command.
  const pointing = new Set(POINTING_PHRASES.flatMap((p) => findPhrase(tokens, p) ?? []));
  // "the one I paused first": which event is meant, by its verb and when; those words are not the command.
  const when = findTemporalReference(tokens, ctx.rawWords, index);
  const matches = applyNegation(tokens, matchLexicon(tokens, new Set([...pointing, ...(when?.span ?? [])])));
  const consumed = new Set(matches.flatMap((m) => m.literal));
  const compound = twoRequests(tokens, matches);
  if (compound !== null && firstPass) {
    trace.push({ stage: 'actions', detail: `Two requests joined by "${tokens[compound.at]!.surface}": ${compound.actions.join(' and ')}; RayOS does one at a time.` });
    trace.push({ stage: 'decision', detail: 'Asking which to do first.' });
    return { decision: 'clarify', action: compound.actions[0]!, target: null, slots: {}, options: compound.actions, question: `That is two requests (${compound.actions.join(', then ')}). Which first?`, message: null, confidence: 0.5, candidates: [], trace };
  }
  const lexBelief = matches.length > 0 ? beliefFromLexicon(tokens, matches, question) : null;
  const topLexical = lexBelief === null ? null : [...lexBelief.scores].sort((a, b) => b[1] - a[1])[0]![0];
  const exists = (id: string) => index.byId.has(id);

  // "again", "back", "undo": the action comes from what happened before.
  let temporal = detectTemporal(tokens, matches.length > 0);
  if (temporal === null && topLexical === 'replay') temporal = { family: 'replay', phrase: matches.find((m) => m.action === 'replay')!.phrase, span: [] };
  // "run that search again", "show me those details one more time": the command said is the last one, so it is repeated.
  const repeated = repeatsLastTurn(tokens, matches, index, timeline);
  if (temporal === null && repeated !== null) temporal = repeated;
  // A specific command said alongside ("put linux back online") is what is meant; "back" then only says "as before".
  const outside = temporal === null ? matches : matches.filter((m) => m.action !== 'replay' && m.literal.some((i) => !temporal!.span.includes(i)));
  if (temporal !== null && (!outside.some((m) => m.weight >= 1.5) || (temporal.family === 'replay' && repeated !== null))) {
    const skip = new Set([...consumed, ...temporal.span, ...(when?.span ?? [])]);
    const picked = byTime(when, resolveReferents({ tokens, skip, index, attention, timeline, knownWord: ctx.knownWord }), ctx);
    const refs = picked.refs;
    // "do what I did five minutes ago again": that request, repeated.
    if (temporal.family === 'replay' && picked.replay !== null) {
      trace.push({ stage: 'actions', detail: `"${temporal.phrase}" repeats the request picked by when it was made.` });
      const lattice = buildLattice({ belief: { scores: new Map(), outOfScope: 0 }, referents: [], index, timeline, attention, slots: {}, temporal: picked.replay, onScreenOnly: false });
      return decide(lattice, { index, trace });
    }
    trace.push({ stage: 'referents', detail: refs.notes.join('; ') || 'no object named' });
    const pointed = refs.mode === 'named' || refs.mode === 'deictic' || refs.mode === 'anaphoric' ? refs.candidates : [];
    // "do that again but for linux": the last action, on the object now named.
    const last = lastResolvedTurn(timeline);
    if (temporal.family === 'replay' && refs.mode === 'named' && pointed.length > 0 && last?.action != null && !pointed.some((c) => c.id === last.target)) {
      trace.push({ stage: 'actions', detail: `"${temporal.phrase}" with another object named: the last action (${last.action}) on it.` });
      const lattice = buildLattice({ belief: { scores: new Map([[last.action, 1]]), outOfScope: 0 }, referents: pointed, index, timeline, attention, slots: last.slots, temporal: null, onScreenOnly: false });
      return decide(lattice, { index, trace });
    }
    const reading = readTemporal(temporal, timeline, temporal.family === 'replay' || temporal.family === 'undo' ? [] : pointed, exists);
    trace.push({ stage: 'actions', detail: `"${reading.phrase}" takes its meaning from the history: ${reading.missing ?? reading.candidates.map((c) => c.why).join('; ')}` });
    if (reading.missing === null) {
      const lattice = buildLattice({ belief: { scores: new Map(), outOfScope: 0 }, referents: [], index, timeline, attention, slots: {}, temporal: reading.candidates, onScreenOnly: false });
      return decide(lattice, { index, trace });
    }
    if (outside.length === 0) {
      trace.push({ stage: 'decision', detail: `Understood, but ${reading.missing}.` });
      const action = temporal.family === 'replay' ? 'replay' : null;
      return { decision: 'inform', action, target: null, slots: {}, options: [], question: null, message: `I understood "${reading.phrase}", but ${reading.missing}.`, confidence: 0.8, candidates: [], trace };
    }
    trace.push({ stage: 'actions', detail: 'The history does not say, so the other command words decide.' });
  }

  let belief = temporal === null || outside.length === matches.length ? lexBelief : outside.length > 0 ? beliefFromLexicon(tokens, outside, question) : null;
  let search: SearchSlot | null = null;
  const searchMatch = matches.filter((m) => m.action === 'search').sort((a, b) => b.weight - a.weight)[0];
  const canPoint = timeline.moments.some((m) => m.target !== null) || (attention?.evidence ?? 0) >= 0.05;
  if (belief !== null && searchMatch !== undefined && (belief.scores.get('search') ?? 0) >= 0.3) search = extractSearch(tokens, searchMatch, index, canPoint, when?.span);
  const skip = new Set([...consumed, ...(search?.queryTokens ?? []), ...(when?.span ?? [])]);
  const refs = byTime(when, resolveReferents({ tokens, skip, index, attention, timeline, knownWord: ctx.knownWord }), ctx).refs;
  trace.push({ stage: 'referents', detail: describeReferents(refs, index) });

  if (belief === null) {
    const elliptical = ellipsis(tokens, refs, ctx, firstPass);
    if (elliptical !== null) return elliptical;
    const words = placeholderWords(tokens, refs.used);
    const c = classify(words);
    const top = c.ranked[0]!;
    trace.push({ stage: 'actions', detail: `No command phrase found; the fallback classifier read "${words.join(' ')}" as ${c.ranked.slice(0, 3).map((r) => `${r.label} ${Math.round(r.p * 100)}%`).join(', ')} (knew ${Math.round(c.coverage * 100)}% of it).` });
    // A name is evidence the words are about RayOS's things; a bare "it" is not ("what time is it").
    const pointsAtSomething = (refs.mode === 'named' || refs.mode === 'typed') && refs.candidates.length > 0;
    const outOfScopeP = c.ranked.find((r) => r.label === 'out_of_scope')?.p ?? 0;
    // Without a command word the classifier must be fairly sure, and RayOS commands do not start with who/when/where.
    const worldQuestion = ['who', 'when', 'where', 'whose'].includes(tokens[0]?.surface ?? '');
    // With neither a command word nor an object, an action that needs an object has nothing to act on.
    const nothingToActOn = top.label !== 'out_of_scope' && refs.mode === 'none' && specOf(top.label).target === 'required';
    if (top.label === 'out_of_scope' || worldQuestion || nothingToActOn || c.coverage < 0.5 || top.p < (pointsAtSomething ? 0.45 : 0.6) || outOfScopeP > 0.3) {
      trace.push({ stage: 'decision', detail: 'Nothing in it is a RayOS command, so it is out of scope.' });
      return outOfScope(trace, "That doesn't sound like something RayOS does.", top.label === 'out_of_scope' ? top.p : 1 - top.p);
    }
    const scores = new Map<IntentAction, number>();
    for (const r of c.ranked) if (r.label !== 'out_of_scope' && r.p >= 0.05) scores.set(r.label, r.p);
    belief = { scores, outOfScope: c.ranked.find((r) => r.label === 'out_of_scope')?.p ?? 0 };
  } else {
    trace.push({ stage: 'actions', detail: `Command words: ${matches.map((m) => `"${m.phrase}" (${m.action})`).join(', ')} → ${describeBelief(belief)}${question ? ' (a question: commands weakened)' : ''}.` });
  }

  const asksWhy = (belief.scores.get('explain') ?? 0) + (belief.scores.get('status') ?? 0) >= 0.5;
  const unknown = unknownWords(tokens, new Set([...skip, ...refs.used, ...pointing]), asksWhy);
  const oos = outOfScopeReason(tokens, belief, refs, unknown, search, matches);
  if (oos !== null) {
    trace.push({ stage: 'decision', detail: oos });
    return outOfScope(trace, oos);
  }
  const slots: Record<string, string> = {};
  if (search?.query != null) slots['query'] = search.query;
  // "this" with nothing to read it from still means something on screen.
  const newInstance = tokens.some((t, i) => NEW_WORDS.has(t.surface) && (refs.named.has(i + 1) || refs.named.has(i + 2)));
  const lattice = buildLattice({ belief, referents: refs.candidates, index, timeline, attention, slots, temporal: null, onScreenOnly: refs.mode === 'deictic', selective: refs.mode === 'anaphoric' || refs.mode === 'named', newInstance });
  const decision = decide(lattice, { index, trace, ...(refs.byGaze === true ? { looked: refs.candidates } : {}) });
  if (decision.decision === 'execute' && decision.action === 'search' && decision.slots['query'] === undefined) {
    // "the same search on linux", "search it again": what was looked for last time.
    const again = tokens.some((t) => t.surface === 'same' || t.surface === 'again');
    const previous = again ? timeline.moments.find((m) => m.action === 'search' && m.slots['query'] !== undefined) : undefined;
    if (previous !== undefined) {
      trace.push({ stage: 'decision', detail: `The same search as before: for "${previous.slots['query']}".` });
      return { ...decision, slots: { ...decision.slots, query: previous.slots['query']! } };
    }
    trace.push({ stage: 'decision', detail: 'A search needs something to look for; asking for it.' });
    return { ...decision, decision: 'clarify', question: 'What should I search for?', options: [] };
  }
  return decision;
}

/**
 * A reference by time ("the window I hid first") picks its objects from the history, unless a name already said which.
 * `replay`: for "what I did …", the picked requests as readings of "again".
 */
function byTime(when: TemporalReference | null, refs: ReferentReading, ctx: Context): { refs: ReferentReading; replay: TemporalCandidate[] | null } {
  if (when === null) return { refs, replay: null };
  const fits = (id: string) => {
    const o = ctx.index.byId.get(id);
    return o !== undefined && (refs.types.length === 0 || typeFits(o, refs.types));
  };
  const pick = pickByTime(when, ctx.timeline, ctx.index, ctx.now, fits);
  if (pick === null) return { refs, replay: null };
  // A name already said which; the time only chooses among the objects so named ("the windows snapshot from ten minutes ago").
  const named = refs.mode === 'named' && refs.candidates.length > 0;
  const both = named ? pick.candidates.filter((c) => refs.candidates.some((r) => r.id === c.id)) : pick.candidates;
  if (both.length === 0) return { refs, replay: null };
  if (named && both.length === pick.candidates.length && refs.candidates.length === both.length) return { refs, replay: null };
  const candidates = both.map((c) => ({ id: c.id, p: 1 / both.length }));
  ctx.trace.push({ stage: 'referents', detail: `${pick.why} → ${candidates.map((c) => c.id).join(', ')}.` });
  const replay = when.actions === null ? candidates.map((c) => ({ actions: ['replay' as IntentAction], target: c.id, weight: c.p, why: pick.why })) : null;
  return { refs: { ...refs, candidates, mode: 'named', used: new Set([...refs.used, ...when.span]), notes: [...refs.notes, pick.why] }, replay };
}

const AGAIN_PHRASES = ['again', 'one more time', 'once more'];
/** Words that ask for another instance of a named app ("a new terminal", "a fresh excel window"). */
const NEW_WORDS: ReadonlySet<string> = new Set(['new', 'fresh', 'another']);

/**
 * "run that search again", "show me those details one more time": the last turn's command said as a thing pointed at
 * ("that search") with "again" is that turn itself, repeated — a replay (README), when nothing new is given for it (a
 * new query). "launch it again" is not: there the command acts on "it". The span is the "again" words; null otherwise.
 */
function repeatsLastTurn(tokens: readonly Token[], matches: readonly LexiconMatch[], index: SceneIndex, timeline: Timeline): { family: 'replay'; phrase: string; span: number[] } | null {
  const phrase = AGAIN_PHRASES.find((p) => findPhrase(tokens, p) !== null);
  const last = lastResolvedTurn(timeline);
  if (phrase === undefined || last === null || last.action === null) return null;
  const commands = matches.filter((m) => m.action !== 'replay');
  const strongest = Math.max(0, ...commands.map((m) => m.weight));
  const said = commands.find((m) => m.weight === strongest && m.action === last.action && ['that', 'those', 'same', 'this'].includes(tokens[m.start - 1]?.surface ?? ''));
  if (said === undefined) return null;
  if (said.action === 'search') {
    const query = extractSearch(tokens, said, index).query?.replace(phrase, '').trim() ?? '';
    if (query !== '' && query !== last.slots['query']) return null;
  }
  return { family: 'replay', phrase, span: findPhrase(tokens, phrase)! };
}

function describeReferents(refs: ReferentReading, index: SceneIndex): string {
  const top = refs.candidates.slice(0, 3).map((c) => `${index.byId.get(c.id)?.label ?? c.id} ${Math.round(c.p * 100)}%`).join(', ');
  return `${refs.notes.join('; ') || 'no object named or pointed at'}${top === '' ? '' : ` → ${top}`}.`;
}

/** The words with the object's words replaced by one placeholder, as the classifier was trained. */
function placeholderWords(tokens: readonly Token[], used: ReadonlySet<number>): string[] {
  const out: string[] = [];
  tokens.forEach((t, i) => {
    const w = used.has(i) ? OBJECT_PLACEHOLDER : t.lemma;
    if (!(w === OBJECT_PLACEHOLDER && out.at(-1) === OBJECT_PLACEHOLDER)) out.push(w);
  });
  return out;
}

/**
 * No command words: an answer to RayOS's last question ("the linux one" after "which terminal?") is read together
 * with the question's request; "windows too" / "what about windows" repeats the last action on a new object.
 */
function ellipsis(tokens: readonly Token[], refs: ReferentReading, ctx: Context, firstPass: boolean): IntentDecision | null {
  if (!firstPass || refs.mode === 'none' || refs.candidates.length === 0) return null;
  const latestTurn = ctx.timeline.moments.find((m) => m.kind === 'turn');
  if (latestTurn?.unresolved === true) {
    const previous = normaliseUtterance(latestTurn.said, ctx.index.words);
    if (previous.ok) {
      ctx.trace.push({ stage: 'actions', detail: `No command words: read as the answer to the open question about "${latestTurn.said}".` });
      return understand([...previous.tokens, ...tokens], previous.question, ctx, false);
    }
  }
  const words = tokens.map((t) => t.surface);
  // "the other one" (or "no, I meant the other one") contrasts with the last object: the last request, on the other.
  const contrast = tokens.some((t, i) => t.surface === 'other' && refs.used.has(i));
  const additive = contrast || words.some((w) => ADDITIVE_WORDS.has(w)) || /\b(what|how) about\b/.test(words.join(' '));
  const last = lastResolvedTurn(ctx.timeline);
  if (!additive || last === null || last.action === null) return null;
  ctx.trace.push({ stage: 'actions', detail: `No command words, but "${words.join(' ')}" asks for the same as before: ${last.action}.` });
  const lattice = buildLattice({ belief: { scores: new Map([[last.action, 0.9]]), outOfScope: 0.1 }, referents: refs.candidates, index: ctx.index, timeline: ctx.timeline, attention: ctx.attention, slots: last.slots, temporal: null, onScreenOnly: false, selective: refs.mode === 'anaphoric' || refs.mode === 'named' });
  return decide(lattice, { index: ctx.index, trace: ctx.trace });
}
