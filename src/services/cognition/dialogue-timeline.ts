// Owns reading the history (turns and events) as one timeline, most recent first: who was talked about, and what last happened to what.
import type { HistoryEntry, IntentAction } from '../../contracts/intent.js';
import { EVENT_ACTIONS } from './command-registry.js';

/** One thing that happened: a person's turn (with what it resolved to, if anything) or an event. */
export interface Moment {
  readonly t: number;
  readonly kind: 'turn' | 'event';
  /** The action a turn resolved to, or the action an event records (surface.hidden → hide); null when neither is known. */
  readonly action: IntentAction | null;
  readonly target: string | null;
  readonly slots: Readonly<Record<string, string>>;
  /** A turn's words, or an event's name. */
  readonly said: string;
  /** A turn that was not resolved: RayOS asked back, or did nothing. */
  readonly unresolved: boolean;
}

export interface Timeline {
  /** Most recent first; equal times keep the order they were given in. */
  readonly moments: readonly Moment[];
}

export function buildTimeline(history: readonly HistoryEntry[] | undefined, now: number): Timeline {
  const moments: { m: Moment; order: number }[] = [];
  (history ?? []).forEach((entry, order) => {
    // Entries from the future of the utterance are not history.
    if (!Number.isFinite(entry.t) || entry.t > now) return;
    if ('event' in entry) {
      moments.push({ m: { t: entry.t, kind: 'event', action: EVENT_ACTIONS[entry.event] ?? null, target: entry.target ?? null, slots: {}, said: entry.event, unresolved: false }, order });
    } else {
      const resolved = entry.resolved;
      moments.push({
        m: { t: entry.t, kind: 'turn', action: resolved?.action ?? null, target: resolved?.target ?? null, slots: resolved?.slots ?? {}, said: entry.text, unresolved: resolved === undefined },
        order,
      });
    }
  });
  moments.sort((a, b) => b.m.t - a.m.t || b.order - a.order);
  return { moments: moments.map((x) => x.m) };
}

/** Targets in order of how recently they were talked about or acted on, each once, with a weight that halves-and-more per step back. */
export function recentTargets(timeline: Timeline, exists: (id: string) => boolean): { id: string; weight: number; t: number }[] {
  const out: { id: string; weight: number; t: number }[] = [];
  let rank = 0;
  let lastT: number | null = null;
  for (const m of timeline.moments) {
    if (m.target === null || !exists(m.target) || out.some((o) => o.id === m.target)) continue;
    // Things that happened together (same time) are equally recent: "bring it back" after two hides is ambiguous.
    if (lastT !== null && m.t !== lastT) rank++;
    lastT = m.t;
    out.push({ id: m.target, weight: Math.pow(0.3, rank), t: m.t });
  }
  return out;
}

/** The most recent moment that did something to `target` (an event, or a turn that resolved to an action on it). */
export function lastActionOn(timeline: Timeline, target: string): Moment | null {
  return timeline.moments.find((m) => m.target === target && m.action !== null) ?? null;
}

/** The most recent resolved turn (what "do that again" repeats). */
export function lastResolvedTurn(timeline: Timeline): Moment | null {
  return timeline.moments.find((m) => m.kind === 'turn' && m.action !== null) ?? null;
}

/** The most recent moment with an action, event or turn. */
export function lastAction(timeline: Timeline): Moment | null {
  return timeline.moments.find((m) => m.action !== null) ?? null;
}

/** The most recent moments that carry a target and happened at the same time (the latest "group"). */
export function latestTargetGroup(timeline: Timeline, exists: (id: string) => boolean): Moment[] {
  const withTarget = timeline.moments.filter((m) => m.target !== null && exists(m.target));
  const first = withTarget[0];
  if (first === undefined) return [];
  return withTarget.filter((m) => m.t === first.t);
}
