// Owns "again", "back" and "undo": words whose action comes from the history (the last thing that happened to the object) rather than from a verb.
import type { IntentAction } from '../../contracts/intent.js';
import { LOOK_AGAIN_OF, RETURN_OF, TEMPORAL_PHRASES, UNDO_OF, type TemporalFamily } from './command-registry.js';
import { lastAction, lastActionOn, lastResolvedTurn, latestTargetGroup, type Moment, type Timeline } from './dialogue-timeline.js';
import { findPhrase, type Token } from './registry-lexicon.js';
import type { ReferentCandidate } from './referent-resolver.js';

/** One reading: an action (or several equally likely ones) on a target, with its weight and why. */
export interface TemporalCandidate {
  readonly actions: readonly IntentAction[];
  readonly target: string | null;
  readonly weight: number;
  readonly why: string;
  readonly slots?: Readonly<Record<string, string>>;
}

export interface TemporalReading {
  readonly family: TemporalFamily;
  readonly phrase: string;
  readonly span: readonly number[];
  readonly candidates: readonly TemporalCandidate[];
  /** Set when the history has nothing the words can refer to ("do that again" with nothing done yet). */
  readonly missing: string | null;
}

/** Which family the words belong to, if any. A bare "again" counts only when no verb says what to do again. */
export function detectTemporal(tokens: readonly Token[], hasVerb: boolean): { family: TemporalFamily; phrase: string; span: number[] } | null {
  for (const family of ['undo', 'look_again', 'return'] as const) {
    for (const phrase of TEMPORAL_PHRASES[family]) {
      const span = findPhrase(tokens, phrase);
      if (span !== null) return { family, phrase, span };
    }
  }
  if (!hasVerb) {
    const back = tokens.findIndex((t) => t.surface === 'back');
    if (back >= 0) return { family: 'return', phrase: 'back', span: [back] };
    const again = tokens.findIndex((t) => t.surface === 'again');
    if (again >= 0) return { family: 'replay', phrase: 'again', span: [again] };
  }
  return null;
}

const describe = (m: Moment): string => (m.kind === 'event' ? `the event ${m.said}` : `your request "${m.said}"`);

/**
 * Reads the family against the history. `referents`: what the words point at ("it", a name); when they point at
 * nothing, the target of the latest moment (or moments that happened together) is meant.
 */
export function readTemporal(
  found: { family: TemporalFamily; phrase: string; span: number[] },
  timeline: Timeline,
  referents: readonly ReferentCandidate[],
  exists: (id: string) => boolean,
): TemporalReading {
  const base = { family: found.family, phrase: found.phrase, span: found.span };
  if (found.family === 'replay' || found.family === 'undo') {
    const last = found.family === 'replay' ? (lastResolvedTurn(timeline) ?? lastAction(timeline)) : lastAction(timeline);
    if (last === null || last.action === null) return { ...base, candidates: [], missing: `nothing was done before that could be ${found.family === 'replay' ? 'repeated' : 'undone'}` };
    if (found.family === 'replay') {
      return { ...base, candidates: [{ actions: ['replay'], target: last.target, weight: 1, why: `"${found.phrase}" repeats the last action: ${last.action}${last.target === null ? '' : ` on ${last.target}`} (${describe(last)})` }], missing: null };
    }
    const inverse = UNDO_OF[last.action];
    if (inverse === undefined) return { ...base, candidates: [], missing: `the last action (${last.action}) cannot be undone by another action` };
    return { ...base, candidates: [{ actions: inverse, target: last.target, weight: 1, why: `"undo" reverses the last action, ${last.action}${last.target === null ? '' : ` on ${last.target}`} (${describe(last)})` }], missing: null };
  }

  const table = found.family === 'return' ? RETURN_OF : LOOK_AGAIN_OF;
  const targets: ReferentCandidate[] =
    referents.length > 0 ? [...referents] : latestTargetGroup(timeline, exists).map((m, _i, all) => ({ id: m.target!, p: 1 / all.length }));
  const candidates: TemporalCandidate[] = [];
  for (const { id, p } of targets) {
    // "bring it back" is about the last thing that changed what it is like: a snapshot or a look since changed nothing.
    const last = found.family === 'return' ? (timeline.moments.find((m) => m.target === id && m.action !== null && RETURN_OF[m.action] !== undefined) ?? lastActionOn(timeline, id)) : lastActionOn(timeline, id);
    if (last === null || last.action === null) {
      // Nothing recorded about it: "show me X again" still means show it.
      if (found.family === 'look_again') candidates.push({ actions: ['present'], target: id, weight: p, why: `nothing happened to ${id} lately, so "${found.phrase}" means show it` });
      continue;
    }
    const actions = table[last.action] ?? (found.family === 'look_again' ? ['present'] : []);
    if (actions.length === 0) continue;
    candidates.push({
      actions,
      target: id,
      weight: p,
      why: `"${found.phrase}": the last thing that happened to ${id} was ${last.action} (${describe(last)}), so it means ${actions.join(' or ')}`,
    });
  }
  if (candidates.length === 0) return { ...base, candidates, missing: `nothing in the history was taken away that "${found.phrase}" could bring back` };
  // Merge one target seen twice (as a turn and as its event): keep the strongest.
  const merged = new Map<string, TemporalCandidate>();
  for (const c of candidates) {
    const key = `${c.target}|${c.actions.join(',')}`;
    const had = merged.get(key);
    merged.set(key, had === undefined ? c : { ...had, weight: had.weight + c.weight });
  }
  return { ...base, candidates: [...merged.values()], missing: null };
}
