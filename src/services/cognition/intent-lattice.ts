// Owns the intent lattice: every (action, referent, slots) reading with a score — action belief × referent belief × how well the action fits the object — and the mass no reading explains.
import type { IntentAction, SceneObject } from '../../contracts/intent.js';
import { specOf } from './command-registry.js';
import { checkPrecondition, fitOf, isPresented, nearMiss } from './action-fit.js';
import { sameThing } from './intent-decider.js';
import type { Timeline } from './dialogue-timeline.js';
import { implicitReferents, type ReferentCandidate } from './referent-resolver.js';
import type { SceneIndex } from './referent-names.js';
import type { TemporalCandidate } from './temporal-reading.js';
import type { AttentionSnapshot } from '../../contracts/intent.js';

export interface LatticeEntry {
  readonly action: IntentAction;
  readonly target: string | null;
  readonly slots: Readonly<Record<string, string>>;
  /** Probability after normalising over all readings and the unexplained mass. */
  readonly p: number;
  /** A failed precondition, in words ("Windows is already paused"), or null. */
  readonly failed: string | null;
  /** What the words alone give it, before a failed precondition lowered it (what a question may still offer). */
  readonly said: number;
  readonly why: string;
}

export interface Lattice {
  readonly entries: readonly LatticeEntry[];
  /** Share of belief that fits no reading (the words asked for something no object allows, or nothing at all). */
  readonly unexplained: number;
  readonly outOfScope: number;
  /**
   * "this" said while the look rests on little (mostly off everything): the objects on screen that the best-believed
   * action fits, which a question should offer, since the eyes did not say which. Empty otherwise.
   */
  readonly onScreenFits?: readonly string[];
}

/** What the words say about the action: a probability per action, and the share that is "none of RayOS's actions". */
export interface ActionBelief {
  readonly scores: ReadonlyMap<IntentAction, number>;
  readonly outOfScope: number;
}

export interface LatticeInput {
  readonly belief: ActionBelief;
  readonly referents: readonly ReferentCandidate[];
  readonly index: SceneIndex;
  readonly timeline: Timeline;
  readonly attention: AttentionSnapshot | null;
  readonly slots: Readonly<Record<string, string>>;
  /** Readings from the history ("bring it back"), which replace the action belief. */
  readonly temporal: readonly TemporalCandidate[] | null;
  /** When nothing is named, only objects on screen are candidates ("this" said without a look to read). */
  readonly onScreenOnly: boolean;
  /**
   * The referents are what words said ("ubuntu") or a pronoun ("it") may mean: only those the action can apply to are
   * candidates (a snapshot cannot be snapshotted or paused, so "ubuntu" is the machine, not its snapshot), so their
   * shares are renormalised over those. Not for gaze: a look at something the action does not fit says RayOS misread.
   */
  readonly selective?: boolean;
  /** "a new terminal", "a fresh excel": another instance of an app, which only launching makes (opening one is launch). */
  readonly newInstance?: boolean;
}

/**
 * A failed precondition lowers a reading's weight, so the object the action can apply to is meant: to a quarter when it
 * asks for what is already so while another object of the same kind could have it done (people seldom ask for what
 * already holds: "start the vm" is the stopped one), else to a half (a near miss — "start" a paused machine, resume was
 * likely meant — or nothing of its kind to prefer, where the words' own choice should still count).
 */
const ALREADY_SO_PENALTY = 0.25;
const NEAR_MISS_PENALTY = 0.5;
/** Readings below this share of an action's belief are dropped (they only add noise to the question). */
const MIN_ACTION_BELIEF = 0.02;
/** Below this share of "this" placed on objects, the look is too weak to narrow a question to what it touched. */
const WEAK_LOOK = 0.5;

/** Snapshots of a VM, most recently taken first (restore "linux" means one of Linux's snapshots). */
function snapshotsOf(vm: SceneObject, index: SceneIndex, timeline: Timeline): { id: string; w: number }[] {
  const mine = index.objects.filter((o) => o.type === 'snapshot' && (o.subsystem === vm.id || (vm.subsystem !== undefined && o.subsystem === vm.subsystem) || o.id.startsWith(`${vm.id}@`)));
  const order = timeline.moments.filter((m) => m.action === 'snapshot' && m.target !== null).map((m) => m.target!);
  return mine.map((o) => {
    const at = order.indexOf(o.id);
    return { id: o.id, w: at === 0 ? 1 : at > 0 ? 0.3 : mine.length === 1 ? 1 : 0.5 };
  });
}

export function buildLattice(input: LatticeInput): Lattice {
  const { belief, index, timeline, attention, slots } = input;
  const raw = new Map<string, { action: IntentAction; target: string | null; said: number; failed: string | null; near: boolean; why: string }>();
  let unexplained = 0;
  const onScreenFits = new Set<string>();
  const add = (action: IntentAction, target: string | null, score: number, why: string, knownFailure: string | null = null) => {
    if (score <= 0) return;
    const object = target === null ? null : (index.byId.get(target) ?? null);
    const failed = knownFailure ?? (object === null ? null : checkPrecondition(action, object, index));
    const near = failed !== null && object !== null && nearMiss(action, object, index);
    const key = `${action}|${target ?? ''}`;
    const had = raw.get(key);
    raw.set(key, had === undefined ? { action, target, said: score, failed, near, why } : { ...had, said: had.said + score });
  };
  const kindOf = (id: string | null) => (id === null ? '' : (index.byId.get(id)?.type ?? ''));

  if (input.temporal !== null) {
    for (const c of input.temporal) for (const action of c.actions) add(action, c.target, c.weight / c.actions.length, c.why);
  } else {
    for (const [action, pa] of belief.scores) {
      if (pa < MIN_ACTION_BELIEF) continue;
      const spec = specOf(action);
      if (spec.target === 'none') {
        add(action, null, pa, 'needs no object');
        continue;
      }
      let refs = input.referents;
      if (refs.length === 0 && spec.target === 'optional') {
        // "why did that happen" is about whatever happened last.
        const last = action === 'explain' ? timeline.moments.find((m) => m.target !== null && index.byId.has(m.target)) : undefined;
        if (last !== undefined) add(action, last.target, pa, `"why" without an object is about the last thing that happened: ${last.said}`);
        else add(action, null, pa, 'about nothing in particular');
        continue;
      }
      if (refs.length === 0) {
        const fits = index.objects.filter((o) => fitOf(action, o).factor > 0 && (!input.onScreenOnly || isPresented(o)));
        // A machine and its desktop window are one candidate: keep whichever the action fits better.
        const vms = new Map(fits.filter((o) => o.type === 'vm').map((o) => [o.subsystem ?? o.id, o] as const));
        const better = (o: SceneObject, other: SceneObject | undefined) => other !== undefined && other !== o && sameThing(o, other) && fitOf(action, other).factor > fitOf(action, o).factor;
        const desktopOf = new Map<string, SceneObject>();
        for (const o of fits) if (o.type === 'surface' && o.subsystem !== undefined && vms.has(o.subsystem) && sameThing(o, vms.get(o.subsystem))) desktopOf.set(o.subsystem, o);
        const fitting = fits.filter((o) => !better(o, o.type === 'surface' ? vms.get(o.subsystem ?? '') : desktopOf.get(o.subsystem ?? o.id))).map((o) => o.id);
        refs = implicitReferents(fitting, attention, timeline, index);
        if (refs.length === 0) {
          unexplained += pa;
          continue;
        }
      }
      if (input.selective === true) {
        const all = refs.reduce((a, r) => a + r.p, 0);
        const fits = (r: ReferentCandidate) => {
          const o = index.byId.get(r.id);
          return o !== undefined && fitOf(action, o).factor > 0;
        };
        const fitting = refs.filter(fits);
        const kept = fitting.reduce((a, r) => a + r.p, 0);
        if (kept > 0 && kept < all) refs = fitting.map((r) => ({ id: r.id, p: (r.p * all) / kept }));
      }
      let placed = 0;
      for (const { id, p } of refs) {
        const object = index.byId.get(id);
        if (object === undefined) continue;
        const fit = fitOf(action, object);
        placed += p;
        if (fit.factor === 0) {
          unexplained += pa * p;
          continue;
        }
        if (fit.action === 'restore' && object.type === 'vm') {
          const snaps = snapshotsOf(object, index, timeline);
          const total = snaps.reduce((a, s) => a + s.w, 0);
          if (total === 0) add('restore', id, pa * p * fit.factor, `${object.label} has no snapshot in view`, `${object.label} has no snapshot to go back to; take one first ("snapshot ${object.label.toLowerCase()}").`);
          for (const s of snaps) add('restore', s.id, (pa * p * fit.factor * s.w) / total, `a snapshot of ${object.label}`);
          continue;
        }
        if (input.newInstance === true && object.type === 'app' && fit.action === 'open') add('launch', id, pa * p * fit.factor, 'a new one of an app is launched');
        else add(fit.action, id, pa * p * fit.factor, fit.why);
      }
      unexplained += pa * Math.max(0, 1 - placed);
      if (input.onScreenOnly && placed < WEAK_LOOK && pa >= WEAK_LOOK) for (const o of index.objects) if (isPresented(o) && fitOf(action, o).factor > 0) onScreenFits.add(o.id);
    }
  }

  // Whether the same action can be done to another object of the same kind (then a failing one is very likely not meant).
  const doable = new Set([...raw.values()].filter((e) => e.failed === null).map((e) => `${e.action}|${kindOf(e.target)}`));
  const penalty = (e: { action: IntentAction; target: string | null; failed: string | null; near: boolean }) =>
    e.failed === null ? 1 : !e.near && doable.has(`${e.action}|${kindOf(e.target)}`) ? ALREADY_SO_PENALTY : NEAR_MISS_PENALTY;
  const entries = [...raw.values()].map((e) => ({ ...e, score: e.said * penalty(e) }));
  const total = entries.reduce((a, e) => a + e.score, 0) + unexplained + belief.outOfScope;
  const norm = total > 0 ? total : 1;
  return {
    entries: entries
      .map((e) => ({ action: e.action, target: e.target, slots: slotsFor(e.action, e.target, slots), p: e.score / norm, said: e.said / norm, failed: e.failed, why: e.why }))
      .sort((a, b) => b.p - a.p),
    unexplained: unexplained / norm,
    outOfScope: belief.outOfScope / norm,
    ...(onScreenFits.size > 0 ? { onScreenFits: [...onScreenFits] } : {}),
  };
}

/** The slots an action carries: launch names its app; search carries the query. */
function slotsFor(action: IntentAction, target: string | null, slots: Readonly<Record<string, string>>): Record<string, string> {
  const wanted = specOf(action).slots ?? [];
  const out: Record<string, string> = {};
  for (const name of wanted) {
    if (name === 'app' && target !== null) out['app'] = target;
    else if (slots[name] !== undefined) out[name] = slots[name]!;
  }
  return out;
}
