// Owns gaze smoothing and fixation detection (I-VT with an amplitude gate scaled to the tracker's accuracy), sample by sample.
//
// I-VT calls a sample part of a saccade when the eye moved faster than a velocity threshold since the last sample. Two
// things make the plain rule fire on noise, and both are handled here:
//   - the threshold is in deg/s (px converted with tracker.pxPerDeg) and grows with the tracker's accuracy
//     (BASE_VELOCITY_DEG_S at REFERENCE_ACCURACY_DEG or better, proportionally more for worse trackers);
//   - a saccade must also move the point further than the tracker's accuracy from the current fixation's centre: a
//     jump inside the error disc is noise as far as anyone can tell.
// Velocity is measured from the smoothed position (mean of the last few samples of the current fixation) to the new
// sample. A gap longer than MAX_GAP_MS (blink, lost tracking) ends the fixation; nothing is interpolated across it.
// A run of non-saccade samples is a fixation once it lasts MIN_FIXATION_MS; shorter runs are reported as such.
// The filter expects samples in time order; callers drop or sort late ones before (the field drops, a trace is sorted).
import type { Tracker } from '../../contracts/intent.js';

export const BASE_VELOCITY_DEG_S = 30;
export const REFERENCE_ACCURACY_DEG = 0.5;
export const MIN_FIXATION_MS = 80;
export const MAX_GAP_MS = 100;
/** How many recent samples of the current fixation the smoothed position averages. */
export const SMOOTHING_SAMPLES = 4;

/** The I-VT threshold for this tracker, deg/s. */
export const velocityThresholdDegS = (tracker: Tracker): number =>
  BASE_VELOCITY_DEG_S * Math.max(1, tracker.accuracyDeg / REFERENCE_ACCURACY_DEG);

/** A run of samples between saccades or gaps: where (centroid of its samples) and when. */
export interface GazeSegment {
  readonly start: number;
  readonly end: number;
  readonly x: number;
  readonly y: number;
  readonly samples: number;
  /** Lasted at least MIN_FIXATION_MS (end − start plus one sample interval). */
  readonly fixation: boolean;
}

/** What the filter says about one sample: in transit or not, the smoothed point, and a segment it closed, if any. */
export interface SampleLabel {
  saccade: boolean;
  /** Smoothed position (equal to the sample for a saccade sample or the first of a segment). */
  x: number;
  y: number;
  /** The segment that this sample ended (by a saccade or a gap), or null. */
  closed: GazeSegment | null;
}

export class FixationFilter {
  readonly #thresholdPxPerMs: number;
  readonly #amplitudePx: number;
  // the current segment
  #open = false;
  #start = 0;
  #last = 0;
  #n = 0;
  #sumX = 0;
  #sumY = 0;
  #recentX: number[] = [];
  #recentY: number[] = [];
  #intervalSum = 0;
  #lastT = Number.NEGATIVE_INFINITY;
  #transitX = 0;
  #transitY = 0;
  readonly #label: SampleLabel = { saccade: false, x: 0, y: 0, closed: null };

  constructor(tracker: Tracker) {
    this.#thresholdPxPerMs = (velocityThresholdDegS(tracker) * tracker.pxPerDeg) / 1000;
    this.#amplitudePx = tracker.accuracyDeg * tracker.pxPerDeg;
  }

  /**
   * Labels the next sample (t not before the previous one). The returned object is reused by the next call: copy what
   * you keep.
   */
  push(t: number, x: number, y: number): SampleLabel {
    const label = this.#label;
    label.closed = null;
    const dt = t - this.#lastT;
    this.#lastT = t;
    if (!this.#open || dt > MAX_GAP_MS) {
      if (this.#open) label.closed = this.#close();
      this.#begin(t, x, y);
      label.saccade = false;
      label.x = x;
      label.y = y;
      return label;
    }
    if (this.#n === 0) {
      // in transit after a saccade: calm again once the point moves slower than the threshold
      const moving = Math.hypot(x - this.#transitX, y - this.#transitY) > this.#thresholdPxPerMs * Math.max(dt, 1e-3);
      this.#transitX = x;
      this.#transitY = y;
      if (moving) return this.#saccade(x, y);
      this.#begin(t, x, y);
      label.saccade = false;
      label.x = x;
      label.y = y;
      return label;
    }
    const dist = Math.hypot(x - this.#smoothX(), y - this.#smoothY());
    const far = Math.hypot(x - this.#sumX / this.#n, y - this.#sumY / this.#n) > this.#amplitudePx;
    if (far && dist > this.#thresholdPxPerMs * Math.max(dt, 1e-3)) {
      // in transit: the segment ends here; the next calm sample starts a new one
      label.closed = this.#close();
      return this.#saccade(x, y);
    }
    this.#intervalSum += t - this.#last;
    this.#last = t;
    this.#n++;
    this.#sumX += x;
    this.#sumY += y;
    this.#recentX.push(x);
    this.#recentY.push(y);
    if (this.#recentX.length > SMOOTHING_SAMPLES) {
      this.#recentX.shift();
      this.#recentY.shift();
    }
    label.saccade = false;
    label.x = this.#smoothX();
    label.y = this.#smoothY();
    return label;
  }

  /** Ends the current segment (end of a trace), if any. */
  flush(): GazeSegment | null {
    const segment = this.#open ? this.#close() : null;
    this.#open = false;
    return segment;
  }

  #saccade(x: number, y: number): SampleLabel {
    this.#transitX = x;
    this.#transitY = y;
    this.#label.saccade = true;
    this.#label.x = x;
    this.#label.y = y;
    return this.#label;
  }

  #begin(t: number, x: number, y: number): void {
    this.#open = true;
    this.#start = t;
    this.#last = t;
    this.#n = 1;
    this.#sumX = x;
    this.#sumY = y;
    this.#recentX = [x];
    this.#recentY = [y];
    this.#intervalSum = 0;
  }

  /** Closes the current segment; the filter stays open with no samples, in transit (velocity measured sample to sample). */
  #close(): GazeSegment | null {
    if (this.#n === 0) return null;
    const n = this.#n;
    const interval = n > 1 ? this.#intervalSum / (n - 1) : 0;
    const segment: GazeSegment = {
      start: this.#start,
      end: this.#last,
      x: this.#sumX / n,
      y: this.#sumY / n,
      samples: n,
      fixation: this.#last - this.#start + interval >= MIN_FIXATION_MS,
    };
    this.#n = 0;
    this.#sumX = 0;
    this.#sumY = 0;
    return segment;
  }

  #smoothX(): number {
    let s = 0;
    for (const v of this.#recentX) s += v;
    return s / this.#recentX.length;
  }

  #smoothY(): number {
    let s = 0;
    for (const v of this.#recentY) s += v;
    return s / this.#recentY.length;
  }
}

/** Segments of a time-ordered trace of [t, x, y] samples (a convenience over FixationFilter for tests and traces). */
export function segmentTrace(samples: readonly (readonly [number, number, number])[], tracker: Tracker): GazeSegment[] {
  const filter = new FixationFilter(tracker);
  const out: GazeSegment[] = [];
  for (const [t, x, y] of samples) {
    const { closed } = filter.push(t, x, y);
    if (closed !== null) out.push(closed);
  }
  const last = filter.flush();
  if (last !== null) out.push(last);
  return out;
}
