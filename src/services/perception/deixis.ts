// Owns deictic attention: from a gaze trace and the moment of an utterance, how likely each on-screen object is what "this" points at.
//
// The utterance is the trigger; gaze only says where the person was looking around it. Each sample (in time order, late
// and duplicate timestamps sorted out, non-finite ones dropped) goes through the fixation filter; saccade samples carry
// no weight (the eye is in transit), the others spread their smoothed point over the scene (gaze-geometry.ts) with a
// weight = the time the sample stands for × the temporal kernel:
//   - full weight from LEAD_MS before the utterance to AFTER_MS after it (people look while and just after speaking);
//   - before that, falling off exponentially with BEFORE_TAU_MS (a look 3 s earlier weighs ~1 %);
//   - after AFTER_MS, falling off fast (AFTER_TAU_MS): they may already be looking at the next thing.
// A look the eyes have since moved away from is superseded: "this" is what they rest on when it is said, not what they
// rested on before. A segment (a run between saccades or gaps) is down-weighted by exp(−L / SUPERSEDE_TAU_MS), where L
// is the time spent, later but before the utterance, in fixations further than the tracker's accuracy from it (so a
// spike or a blink that splits one look in two supersedes nothing). Looks that begin after the utterance supersede
// nothing: eyes moving on while speaking leave the choice open. A lone earlier look, with nothing after it, keeps its
// (clock-decayed) weight.
// The result is the weighted average of the per-sample distributions. `evidence` = 1 − exp(−E / EVIDENCE_MS), where E
// is the kernel-weighted fixation time (ms): 0 without gaze near the moment, ~0.63 for 100 ms of it, ~0.95 for 300 ms.
import { DEFAULT_TRACKER, type AttentionSnapshot, type GazeSample, type Scene, type Tracker } from '../../contracts/intent.js';
import { FixationFilter, MAX_GAP_MS, MIN_FIXATION_MS } from './fixation-filter.js';
import { indexScene, sigmaPx, Spread, spread, type SceneIndex } from './gaze-geometry.js';

export const LEAD_MS = 400;
export const AFTER_MS = 300;
export const BEFORE_TAU_MS = 600;
export const AFTER_TAU_MS = 100;
export const EVIDENCE_MS = 100;
/** How fast a later look elsewhere (before the utterance) supersedes an earlier one: one typical fixation (~200 ms) of it leaves under 5 %. */
export const SUPERSEDE_TAU_MS = 60;
/** A sample stands for the time to the next one, up to this; beyond it is a gap and it stands for a typical interval. */
export const HOLD_MS = MAX_GAP_MS;
export const DEFAULT_INTERVAL_MS = 1000 / 60;
/** Samples further from the utterance than this weigh nothing worth computing (the kernel is < 1e-4 there). */
const BEFORE_HORIZON_MS = LEAD_MS + 10 * BEFORE_TAU_MS;
const AFTER_HORIZON_MS = AFTER_MS + 10 * AFTER_TAU_MS;
/** The fixation filter starts this long before the horizon, so the first weighed samples are already labelled well. */
const WARMUP_MS = 500;

/** The tracker given, or the default one when it is missing or its numbers are not positive and finite. */
export function usableTracker(tracker: Tracker | undefined): Tracker {
  const good = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  return tracker !== undefined && good(tracker.accuracyDeg) && good(tracker.pxPerDeg) ? tracker : DEFAULT_TRACKER;
}

/** How much a sample at `t` speaks to an utterance at `utteranceT` (0..1). */
export function deicticKernel(t: number, utteranceT: number): number {
  const d = t - utteranceT;
  if (d > AFTER_MS) return Math.exp(-(d - AFTER_MS) / AFTER_TAU_MS);
  if (d >= -LEAD_MS) return 1;
  return Math.exp((d + LEAD_MS) / BEFORE_TAU_MS);
}

/** Finite samples in time order (stable), one per timestamp (the first given wins). */
export function orderTrace(gaze: readonly GazeSample[]): GazeSample[] {
  const finite = gaze.filter((s) => Array.isArray(s) && Number.isFinite(s[0]) && Number.isFinite(s[1]) && Number.isFinite(s[2]));
  const sorted = finite.map((s, i) => ({ s, i })).sort((a, b) => a.s[0] - b.s[0] || a.i - b.i).map((e) => e.s);
  return sorted.filter((s, i) => i === 0 || s[0] !== sorted[i - 1]![0]);
}

/** The typical sample interval of an ordered trace (median of the intervals that are not gaps). */
function typicalInterval(trace: readonly GazeSample[], from: number, to: number): number {
  const intervals: number[] = [];
  for (let i = from + 1; i < to; i++) {
    const d = trace[i]![0] - trace[i - 1]![0];
    if (d > 0 && d <= HOLD_MS) intervals.push(d);
  }
  if (intervals.length === 0) return DEFAULT_INTERVAL_MS;
  intervals.sort((a, b) => a - b);
  return intervals[Math.floor(intervals.length / 2)]!;
}

/** The index of the first sample of an ordered trace at or after t (trace.length if none). */
function firstAtOrAfter(trace: readonly GazeSample[], t: number): number {
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trace[mid]![0] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An empty snapshot: every on-screen object at 0, all on the background, no evidence. */
export function noGaze(index: SceneIndex, t: number): AttentionSnapshot {
  return { t, objects: index.ids.map((id) => ({ id, p: 0 })), background: 1, evidence: 0 };
}

/** Per-object probabilities as a snapshot: all on-screen objects, most likely first (ties in scene order). */
export function toSnapshot(index: SceneIndex, t: number, p: Float64Array, evidence: number): AttentionSnapshot {
  let sum = 0;
  const objects = index.ids.map((id, i) => {
    const v = Math.min(1, Math.max(0, p[i]!));
    sum += v;
    return { id, p: v, i };
  });
  objects.sort((a, b) => b.p - a.p || a.i - b.i);
  // a field read just after a long steady look can sum a hair over 1 (each sample stands for its whole interval)
  const norm = sum > 1 ? 1 / sum : 1;
  return {
    t,
    objects: objects.map(({ id, p: v }) => ({ id, p: v * norm })),
    background: Math.min(1, Math.max(0, 1 - sum)),
    evidence: Math.min(1, Math.max(0, evidence)),
  };
}

/**
 * Deictic attention over an already indexed scene and an ordered trace (see `orderTrace`); the service calls this on
 * its recent-gaze buffer, `attentionForUtterance` on a recorded trace.
 */
export function deicticAttention(index: SceneIndex, tracker: Tracker, trace: readonly GazeSample[], utteranceT: number): AttentionSnapshot {
  if (!Number.isFinite(utteranceT) || trace.length === 0) return noGaze(index, utteranceT);
  const from = firstAtOrAfter(trace, utteranceT - BEFORE_HORIZON_MS - WARMUP_MS);
  const to = firstAtOrAfter(trace, utteranceT + AFTER_HORIZON_MS + 1e-9);
  if (from >= to) return noGaze(index, utteranceT);
  const sigma = sigmaPx(tracker);
  const typical = typicalInterval(trace, from, to);
  const filter = new FixationFilter(tracker);
  const n = to - from;
  // Pass 1: label samples (segment, smoothed point, base weight); segments' centroids and time before the utterance.
  const segOf = new Int32Array(n).fill(-1);
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const base = new Float64Array(n);
  const segs: { sx: number; sy: number; count: number; before: number; span: number }[] = [];
  let inSegment = false;
  for (let k = from; k < to; k++) {
    const [t, x, y] = trace[k]!;
    const label = filter.push(t, x, y);
    if (label.saccade) {
      inSegment = false;
      continue;
    }
    if (!inSegment || label.closed !== null) {
      segs.push({ sx: 0, sy: 0, count: 0, before: 0, span: 0 });
      inSegment = true;
    }
    const seg = segs[segs.length - 1]!;
    seg.sx += x;
    seg.sy += y;
    seg.count++;
    const next = trace[k + 1];
    const gap = next === undefined ? Infinity : next[0] - t;
    const held = gap <= HOLD_MS ? gap : typical;
    seg.span += held;
    if (t <= utteranceT) seg.before += held;
    const d = t - utteranceT;
    if (d < -BEFORE_HORIZON_MS || d > AFTER_HORIZON_MS) continue;
    const i = k - from;
    segOf[i] = segs.length - 1;
    px[i] = label.x;
    py[i] = label.y;
    base[i] = held * deicticKernel(t, utteranceT);
  }
  const keep = supersession(segs, tracker.accuracyDeg * tracker.pxPerDeg);
  // Pass 2: spread each weighed sample over the scene.
  const scratch = new Spread(index.ids.length);
  const acc = new Float64Array(index.ids.length);
  let weight = 0;
  for (let i = 0; i < n; i++) {
    const s = segOf[i]!;
    if (s < 0) continue;
    const w = base[i]! * keep[s]!;
    if (!(w > 0)) continue;
    spread(index, px[i]!, py[i]!, sigma, scratch);
    for (let j = 0; j < scratch.count; j++) {
      const o = scratch.touched[j]!;
      acc[o] = acc[o]! + w * scratch.share[o]!;
    }
    weight += w;
  }
  if (!(weight > 0)) return noGaze(index, utteranceT);
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! / weight;
  return toSnapshot(index, utteranceT, acc, 1 - Math.exp(-weight / EVIDENCE_MS));
}

/**
 * Per segment, how much of its weight survives later looks elsewhere: exp(−L / SUPERSEDE_TAU_MS), L = the time before
 * the utterance spent in later fixations (MIN_FIXATION_MS or longer) whose centre is further than `apart` px from its own.
 */
export function supersession(segs: readonly { sx: number; sy: number; count: number; before: number; span: number }[], apart: number): Float64Array {
  const keep = new Float64Array(segs.length).fill(1);
  // Only fixations before the utterance can supersede (few, even when noise cuts a trace into many short runs).
  const fixations: number[] = [];
  segs.forEach((b, j) => {
    if (b.before > 0 && b.span >= MIN_FIXATION_MS) fixations.push(j);
  });
  for (let k = 0; k < segs.length; k++) {
    const a = segs[k]!;
    let later = 0;
    for (const j of fixations) {
      if (j <= k) continue;
      const b = segs[j]!;
      if (Math.hypot(b.sx / b.count - a.sx / a.count, b.sy / b.count - a.sy / a.count) > apart) later += b.before;
    }
    if (later > 0) keep[k] = Math.exp(-later / SUPERSEDE_TAU_MS);
  }
  return keep;
}

/**
 * Where the person was looking around an utterance at `utteranceT`, from a recorded trace ([tMs, x, y] on the same
 * clock; gaps, disorder, duplicates, off-screen and non-finite samples allowed). Only per-object probabilities come out.
 */
export function attentionForUtterance(scene: Scene, tracker: Tracker | undefined, gaze: readonly GazeSample[], utteranceT: number): AttentionSnapshot {
  return deicticAttention(indexScene(scene), usableTracker(tracker), orderTrace(gaze), utteranceT);
}
