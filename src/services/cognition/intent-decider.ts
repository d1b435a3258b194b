// Owns the decision on a lattice: execute when the best reading is confident and clearly ahead (further for riskier actions), inform when its precondition fails, else ask with the top options.
import type { IntentCandidate, IntentDecision, SceneObject, TraceStep } from '../../contracts/intent.js';
import { RISK_THRESHOLDS, specOf } from './command-registry.js';
import type { Lattice, LatticeEntry } from './intent-lattice.js';
import type { SceneIndex } from './referent-names.js';
import type { ReferentCandidate } from './referent-resolver.js';

const MAX_OPTIONS = 4;
const MAX_GROUPED = 64;
/** Readings weaker than this share of the best one are not worth offering in a question. */
const OPTION_FLOOR = 0.3;
/**
 * When gaze picked the object: the share of the look that a neighbour gets when its edge lies one tracker accuracy from
 * where the eyes rested (perception spreads a look with sigma = 0.8 × accuracy, so the mass past a straight edge at that
 * distance is Φ(−1/0.8) ≈ 0.106). A neighbour with at least this share is within the tracker's accuracy of the look, and
 * no averaging of samples makes that choice certain (shared/eval/README.md): RayOS asks.
 */
export const GAZE_RIVAL_SHARE = 0.106;

const labelOf = (index: SceneIndex, id: string | null): string => (id === null ? 'nothing in particular' : (index.byId.get(id)?.label || id));

/**
 * A subsystem's VM and its desktop window are one thing to a person ("linux"): readings that differ only in which of
 * the two they name are not rivals, so the margin is measured against the next *different* reading.
 */
export function sameThing(a: SceneObject | undefined, b: SceneObject | undefined): boolean {
  if (a === undefined || b === undefined || a.id === b.id) return a?.id === b?.id;
  const pair = a.type === 'vm' ? [a, b] : [b, a];
  const [vm, other] = pair as [SceneObject, SceneObject];
  if (vm.type !== 'vm' || other.type !== 'surface' || other.subsystem === undefined) return false;
  const vmNames = new Set([vm.id, vm.subsystem ?? vm.id, vm.label.toLowerCase()]);
  if (!vmNames.has(other.subsystem)) return false;
  // Only a window that is the subsystem's desktop, not one app's window on it.
  const extra = other.label.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '' && !vmNames.has(w) && !['desktop', 'screen', 'display', 'window', 'vm', 'session'].includes(w));
  return extra.length === 0;
}

/** Readings grouped when they are the same action on the same thing (a VM and its desktop); a group's share is its members' sum. */
export function groupReadings(entries: readonly LatticeEntry[], index: SceneIndex): { head: LatticeEntry; p: number }[] {
  const groups: { head: LatticeEntry; p: number }[] = [];
  // Only readings that could matter are grouped (entries come sorted): a scene of thousands of objects stays cheap.
  const floor = (entries[0]?.p ?? 0) * 0.01;
  for (const e of entries.slice(0, MAX_GROUPED)) {
    if (e.p < floor) break;
    const g = groups.find((x) => x.head.action === e.action && (x.head.target === e.target || sameThing(index.byId.get(x.head.target ?? ''), index.byId.get(e.target ?? ''))));
    if (g === undefined) groups.push({ head: e, p: e.p });
    else g.p += e.p;
  }
  return groups.sort((a, b) => b.p - a.p);
}

function candidatesOf(entries: readonly LatticeEntry[]): IntentCandidate[] {
  return entries.slice(0, 8).map((e) => ({ action: e.action, target: e.target, slots: { ...e.slots }, score: Math.round(e.p * 1000) / 1000 }));
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export interface DecideContext {
  readonly index: SceneIndex;
  readonly trace: TraceStep[];
  /** The objects were picked by gaze (and how much of the look each got): a neighbour within the tracker's accuracy makes RayOS ask. */
  readonly looked?: readonly ReferentCandidate[];
}

/**
 * Gaze picked the object: the other things the request could act on (a reading of them whose precondition holds) that
 * got at least GAZE_RIVAL_SHARE of the look — neighbours the tracker cannot tell apart from the best one. Empty if none.
 */
export function gazeRivals(best: LatticeEntry, entries: readonly LatticeEntry[], looked: readonly ReferentCandidate[], index: SceneIndex): string[] {
  if (best.target === null || best.failed !== null) return [];
  const same = (a: string, b: string) => a === b || sameThing(index.byId.get(a), index.byId.get(b));
  const viable = (id: string) => entries.some((e) => e.target === id && e.failed === null);
  const share = new Map<string, number>();
  for (const c of looked) {
    if (same(c.id, best.target) || !viable(c.id)) continue;
    const head = [...share.keys()].find((t) => same(t, c.id)) ?? c.id;
    share.set(head, (share.get(head) ?? 0) + c.p);
  }
  return [...share].filter(([, p]) => p >= GAZE_RIVAL_SHARE).sort((a, b) => b[1] - a[1]).map(([t]) => t);
}

export function decide(lattice: Lattice, ctx: DecideContext): IntentDecision {
  const { index, trace } = ctx;
  const entries = lattice.entries;
  const groups = groupReadings(entries, index);
  const best = groups[0]?.head;
  const base = { slots: {}, options: [], question: null, message: null, candidates: candidatesOf(entries), trace };
  if (best === undefined) {
    trace.push({ stage: 'decision', detail: 'No reading fits anything on screen or in the scene, so this is out of scope.' });
    return { ...base, decision: 'out_of_scope', action: null, target: null, confidence: lattice.outOfScope, message: "I couldn't match that to anything RayOS can do here." };
  }
  const confidence = groups[0]!.p;
  const second = groups[1]?.head ?? null;
  const margin = confidence - (groups[1]?.p ?? 0);
  const risk = specOf(best.action).risk;
  const need = RISK_THRESHOLDS[risk];
  const reading = `${best.action}${best.target === null ? '' : ` on ${labelOf(index, best.target)}`}`;
  trace.push({
    stage: 'lattice',
    detail: `Best reading: ${reading} (${pct(confidence)})${second === null ? '' : `; next: ${second.action}${second.target === null ? '' : ` on ${labelOf(index, second.target)}`} (${pct(groups[1]!.p)})`}; unexplained ${pct(lattice.unexplained)}, out of scope ${pct(lattice.outOfScope)}.`,
  });
  let clear = confidence >= need.minConfidence && margin >= need.margin;
  const rivals = ctx.looked !== undefined && clear && best.failed === null ? gazeRivals(best, entries, ctx.looked, index) : [];
  if (rivals.length > 0) {
    clear = false;
    trace.push({ stage: 'decision', detail: `Where you looked is within the tracker's accuracy of ${rivals.map((t) => labelOf(index, t)).join(' and ')} too, so gaze cannot make the choice certain.` });
    const options = [best.target!, ...rivals].slice(0, MAX_OPTIONS);
    return { ...base, decision: 'clarify', action: best.action, target: best.target, slots: { ...best.slots }, options, question: `Which one do you mean: ${options.map((t) => labelOf(index, t)).join(', or ')}?`, confidence };
  }

  // A precondition that fails is worth saying as soon as RayOS is fairly sure what was meant: saying it does no harm.
  const informNeed = RISK_THRESHOLDS.low;
  if (best.failed !== null && confidence >= informNeed.minConfidence && margin >= informNeed.margin) {
    trace.push({ stage: 'decision', detail: `Understood as ${reading}, but it cannot be done now: ${best.failed}` });
    return { ...base, decision: 'inform', action: best.action, target: best.target, slots: { ...best.slots }, confidence, message: best.failed };
  }
  if (clear && best.failed === null) {
    trace.push({ stage: 'decision', detail: `Doing it: ${reading} is ${pct(confidence)} likely and ${pct(margin)} ahead of the next reading (a ${risk}-risk action needs ${pct(need.minConfidence)} and ${pct(need.margin)}).` });
    return { ...base, decision: 'execute', action: best.action, target: best.target, slots: { ...best.slots }, confidence };
  }
  if (lattice.outOfScope > confidence && lattice.outOfScope >= 0.5) {
    trace.push({ stage: 'decision', detail: `More likely not a RayOS request at all (${pct(lattice.outOfScope)}) than any reading.` });
    return { ...base, decision: 'out_of_scope', action: null, target: null, confidence: lattice.outOfScope, message: "That doesn't sound like something RayOS does." };
  }
  return clarify(best, confidence, lattice, margin, need, ctx, base);
}

function clarify(best: LatticeEntry, confidence: number, lattice: Lattice, margin: number, need: { minConfidence: number; margin: number }, ctx: DecideContext, base: Omit<IntentDecision, 'decision' | 'action' | 'target' | 'confidence'>): IntentDecision {
  const { index, trace } = ctx;
  const entries = lattice.entries;
  // What the words could mean is worth offering even where a precondition fails (RayOS then says why it cannot).
  const strong = entries.filter((e) => e.said >= best.said * OPTION_FLOOR).slice(0, 12);
  const targets: string[] = [];
  const actions: string[] = [];
  for (const e of strong) {
    if (e.target !== null && !targets.includes(e.target) && !targets.some((t) => sameThing(index.byId.get(t), index.byId.get(e.target!)))) targets.push(e.target);
    if (!actions.includes(e.action)) actions.push(e.action);
  }
  // "this" with a look that rests on little: whatever on screen the request fits, the look's pick first.
  if (actions.length === 1) for (const id of lattice.onScreenFits ?? []) if (!targets.includes(id) && !targets.some((t) => sameThing(index.byId.get(t), index.byId.get(id)))) targets.push(id);
  // Ask about what is uncertain: which object when the objects differ, which action when the actions differ.
  let options: string[];
  let question: string;
  const byTarget = targets.length > 1;
  const byAction = actions.length > 1;
  if (byTarget && !byAction) {
    options = targets.slice(0, MAX_OPTIONS);
    question = `Which one do you mean: ${options.map((t) => labelOf(index, t)).join(', or ')}?`;
  } else if (byAction && !byTarget) {
    options = actions.slice(0, MAX_OPTIONS);
    question = `What should I do${best.target === null ? '' : ` with ${labelOf(index, best.target)}`}: ${options.map((a) => specOf(a as never).gloss).join(', or ')}?`;
  } else if (byAction && byTarget) {
    options = [...targets.slice(0, MAX_OPTIONS), ...actions.slice(0, MAX_OPTIONS)];
    question = `Did you mean ${strong.slice(0, 3).map((e) => `${e.action}${e.target === null ? '' : ` ${labelOf(index, e.target)}`}`).join(', or ')}?`;
  } else if (best.target === null && specOf(best.action).target === 'required') {
    options = [];
    question = `What should I ${best.action}?`;
  } else {
    options = best.target === null ? [best.action] : [best.target];
    question = `Do you want me to ${best.action}${best.target === null ? '' : ` ${labelOf(index, best.target)}`}?`;
  }
  trace.push({
    stage: 'decision',
    detail: `Asking: the best reading (${best.action}${best.target === null ? '' : ` on ${labelOf(index, best.target)}`}, ${pct(confidence)}) is not sure enough or not far enough ahead (${pct(margin)}; ${best.action} needs ${pct(need.minConfidence)} and ${pct(need.margin)}).`,
  });
  return { ...base, decision: 'clarify', action: best.action, target: best.target, slots: { ...best.slots }, options, question, confidence };
}
