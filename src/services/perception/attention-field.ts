// Owns the live attention field: per-object focus probabilities updated incrementally per gaze sample, decaying over ~1.5 s, with cheap reads.
//
// Model. Each accepted sample passes the fixation filter (smoothing; saccade samples carry no weight) and spreads its
// smoothed point over the scene's visible regions (gaze-geometry.ts: shares per object + a background share). It stands
// for the time since the previous sample (a typical interval after a gap), so the field does not depend on the sample
// rate. The field is the exponentially weighted time average of those shares with time constant tauMs:
//   p_o(t) = (1/τ) Σ_i dt_i · share_i(o) · e^{−(t − t_i)/τ}
// Time without gaze (gaps, saccades, before the first sample) counts as background, so with no new samples the field
// decays towards "nothing in particular" (after a 1.5 s gap a probability has fallen to e^{−1}); `evidence` is the
// observed part, (1/τ) Σ_i dt_i · e^{−(t − t_i)/τ}.
// Cheapness: sums are kept scaled by e^{+(t_i − t0)/τ}, so a sample touches only the objects it reaches and a read is
// one multiply per object; t0 moves forward now and then (one pass) so the scale never overflows. Windowed reads
// (`focusProbability(id, windowMs)`: the share of the last windowMs spent on the object) come from a per-object
// cumulative track, found by binary search.
// Order: a sample not later than the latest one is dropped and counted as late (a live stream's stragglers; the EMA and
// the fixation filter need time order, and a recorded trace is sorted by `orderTrace` instead). Non-finite samples are
// rejected and counted. Off-screen samples are accepted and count as background.
import type { AttentionSnapshot, Scene, Tracker } from '../../contracts/intent.js';
import { toSnapshot, HOLD_MS, DEFAULT_INTERVAL_MS } from './deixis.js';
import { FixationFilter } from './fixation-filter.js';
import { indexScene, sigmaPx, Spread, spread, type SceneIndex } from './gaze-geometry.js';

export const TAU_MS = 1500;
/** How far back windowed reads reach. */
export const HORIZON_MS = 10_000;
/** Rebase the scaled sums when their exponent passes this (e^40 ≈ 2e17: far from overflow, exact enough). */
const REBASE_EXPONENT = 40;

export type AddOutcome = 'accepted' | 'late' | 'invalid';

export interface FieldStats {
  accepted: number;
  late: number;
  invalid: number;
  offscreen: number;
  saccade: number;
}

/** A cumulative "time on this object" track, (t, cumulative ms) pairs in time order, pruned to the horizon. */
class Track {
  ts: number[] = [];
  cums: number[] = [];
  head = 0;
  /** Cumulative value before ts[head]. */
  base = 0;
  push(t: number, cum: number): void {
    this.ts.push(t);
    this.cums.push(cum);
  }
  prune(before: number): void {
    while (this.head < this.ts.length && this.ts[this.head]! < before) {
      this.base = this.cums[this.head]!;
      this.head++;
    }
    if (this.head > 512 && this.head * 2 > this.ts.length) {
      this.ts = this.ts.slice(this.head);
      this.cums = this.cums.slice(this.head);
      this.head = 0;
    }
  }
  /** The cumulative value as of time t (the last entry at or before t). */
  at(t: number): number {
    let lo = this.head;
    let hi = this.ts.length; // first index with ts > t
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.head ? this.base : this.cums[lo - 1]!;
  }
}

export class AttentionField {
  #index: SceneIndex;
  #tracker: Tracker;
  #filter: FixationFilter;
  #scratch: Spread;
  /** Scaled EMA sums per object, and of all observed time. */
  #acc: Float64Array;
  #observed = 0;
  #t0 = 0;
  #cum: Float64Array;
  #tracks: Track[];
  #latest = Number.NEGATIVE_INFINITY;
  #interval = DEFAULT_INTERVAL_MS;
  readonly tauMs: number;
  readonly stats: FieldStats = { accepted: 0, late: 0, invalid: 0, offscreen: 0, saccade: 0 };

  constructor(scene: Scene, tracker: Tracker, options: { tauMs?: number } = {}) {
    this.tauMs = options.tauMs ?? TAU_MS;
    this.#tracker = tracker;
    this.#filter = new FixationFilter(tracker);
    this.#index = indexScene(scene);
    const n = this.#index.ids.length;
    this.#scratch = new Spread(n);
    this.#acc = new Float64Array(n);
    this.#cum = new Float64Array(n);
    this.#tracks = Array.from({ length: n }, () => new Track());
  }

  /** The latest accepted sample time (−∞ before any). */
  get latest(): number {
    return this.#latest;
  }

  get tracker(): Tracker {
    return this.#tracker;
  }

  get index(): SceneIndex {
    return this.#index;
  }

  /** A new tracker (accuracy changed, or another source took over): the fixation filter starts afresh. */
  setTracker(tracker: Tracker): void {
    this.#tracker = tracker;
    this.#filter = new FixationFilter(tracker);
  }

  /** A new scene: what is known about objects that are still there is kept (by id); the rest starts at 0. */
  setScene(scene: Scene): void {
    const old = this.#index;
    const next = indexScene(scene);
    const acc = new Float64Array(next.ids.length);
    const cum = new Float64Array(next.ids.length);
    const tracks = next.ids.map((id, i) => {
      const j = old.indexOf.get(id);
      if (j === undefined) return new Track();
      acc[i] = this.#acc[j]!;
      cum[i] = this.#cum[j]!;
      return this.#tracks[j]!;
    });
    this.#index = next;
    this.#acc = acc;
    this.#cum = cum;
    this.#tracks = tracks;
    this.#scratch = new Spread(next.ids.length);
  }

  /** Adds one sample at time t (ms) and screen point (x, y); `sigma` defaults to the tracker's. */
  add(t: number, x: number, y: number, sigma: number = sigmaPx(this.#tracker)): AddOutcome {
    if (!Number.isFinite(t) || !Number.isFinite(x) || !Number.isFinite(y) || !(sigma > 0)) {
      this.stats.invalid++;
      return 'invalid';
    }
    if (t <= this.#latest) {
      this.stats.late++;
      return 'late';
    }
    const since = t - this.#latest;
    const dt = since <= HOLD_MS ? since : this.#interval;
    if (since <= HOLD_MS) this.#interval += (since - this.#interval) * 0.1;
    if (this.#latest === Number.NEGATIVE_INFINITY) this.#t0 = t;
    this.#latest = t;
    this.stats.accepted++;
    const label = this.#filter.push(t, x, y);
    if (label.saccade) {
      this.stats.saccade++;
      return 'accepted';
    }
    if ((t - this.#t0) / this.tauMs > REBASE_EXPONENT) this.#rebase(t);
    const scale = dt * Math.exp((t - this.#t0) / this.tauMs);
    const out = this.#scratch;
    spread(this.#index, label.x, label.y, sigma, out);
    if (out.count === 0) this.stats.offscreen++;
    this.#observed += scale;
    for (let k = 0; k < out.count; k++) {
      const i = out.touched[k]!;
      const share = out.share[i]!;
      this.#acc[i] = this.#acc[i]! + scale * share;
      const c = this.#cum[i]! + dt * share;
      this.#cum[i] = c;
      const track = this.#tracks[i]!;
      track.push(t, c);
      track.prune(t - HORIZON_MS);
    }
    return 'accepted';
  }

  #rebase(t: number): void {
    const f = Math.exp(-(t - this.#t0) / this.tauMs);
    for (let i = 0; i < this.#acc.length; i++) this.#acc[i] = this.#acc[i]! * f;
    this.#observed *= f;
    this.#t0 = t;
  }

  /** The factor turning a scaled sum into a probability at time t (reads at or after the latest sample; earlier t reads as the latest). */
  #readScale(t: number): number {
    if (this.#latest === Number.NEGATIVE_INFINITY) return 0;
    const at = Math.max(t, this.#latest);
    return Math.exp(-(at - this.#t0) / this.tauMs) / this.tauMs;
  }

  /** The decayed field at time t: every on-screen object (most likely first), the background, and the observed share as evidence. */
  attentionAt(t: number): AttentionSnapshot {
    const k = this.#readScale(t);
    const p = new Float64Array(this.#acc.length);
    for (let i = 0; i < p.length; i++) p[i] = this.#acc[i]! * k;
    return toSnapshot(this.#index, Math.max(t, this.#latest), p, this.#observed * k);
  }

  /** The decayed probability of one object at time t (0 for an object not on screen). One multiply. */
  focusAt(objectId: string, t: number): number {
    const i = this.#index.indexOf.get(objectId);
    return i === undefined ? 0 : Math.min(1, this.#acc[i]! * this.#readScale(t));
  }

  /**
   * The share of the window [t − windowMs, t] (t defaults to the latest sample) that gaze spent on the object, unobserved
   * time counting as elsewhere. windowMs is clamped to [1, HORIZON_MS]; 0 for an object not on screen.
   */
  focusProbability(objectId: string, windowMs: number, t: number = this.#latest): number {
    const i = this.#index.indexOf.get(objectId);
    if (i === undefined || this.#latest === Number.NEGATIVE_INFINITY || !Number.isFinite(windowMs) || !Number.isFinite(t)) return 0;
    const w = Math.min(HORIZON_MS, Math.max(1, windowMs));
    const track = this.#tracks[i]!;
    const end = t >= this.#latest ? this.#cum[i]! : track.at(t);
    return Math.min(1, Math.max(0, (end - track.at(t - w)) / w));
  }
}
