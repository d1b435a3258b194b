// Tests fixation detection: a synthetic trace with a saccade, noise within the tracker's accuracy, gaps, and thresholds that scale with accuracy.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FixationFilter, MAX_GAP_MS, segmentTrace, velocityThresholdDegS } from './fixation-filter.js';

type Sample = [number, number, number];
const tracker = { accuracyDeg: 1, pxPerDeg: 40 };

/** A deterministic pseudo-random jitter in [-amp, amp]. */
function jitter(seed: number): (amp: number) => number {
  let s = seed;
  return (amp) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return ((s / 2147483648) * 2 - 1) * amp;
  };
}

/** 120 Hz: `ms` of looking at (x, y) with jitter, from t0. */
function look(t0: number, ms: number, x: number, y: number, amp: number, rnd: (a: number) => number): Sample[] {
  const out: Sample[] = [];
  for (let t = 0; t < ms; t += 1000 / 120) out.push([t0 + t, x + rnd(amp), y + rnd(amp)]);
  return out;
}

describe('fixation filter', () => {
  test('a fixation, a saccade, a fixation: two fixations at the right places, saccade samples in transit', () => {
    const rnd = jitter(7);
    const a = look(0, 300, 300, 300, 12, rnd);
    const saccadeStart = a.at(-1)![0] + 1000 / 120;
    // 40 ms from (300, 300) to (900, 500): ~16° at ~400°/s
    const transit: Sample[] = [1, 2, 3, 4].map((k) => [saccadeStart + (k - 1) * (1000 / 120), 300 + (600 * k) / 5, 300 + (200 * k) / 5]);
    const b = look(transit.at(-1)![0] + 1000 / 120, 300, 900, 500, 12, rnd);
    const trace = [...a, ...transit, ...b];

    const filter = new FixationFilter(tracker);
    const labels = trace.map(([t, x, y]) => filter.push(t, x, y).saccade);
    assert.deepEqual(labels.slice(a.length, a.length + transit.length), [true, true, true, true]);
    assert.ok(labels.slice(0, a.length).every((s) => !s), 'no saccade inside the first fixation');
    assert.ok(labels.slice(a.length + transit.length + 1).every((s) => !s), 'no saccade inside the second fixation');

    const segments = segmentTrace(trace, tracker).filter((s) => s.fixation);
    assert.equal(segments.length, 2);
    const [first, second] = segments;
    assert.ok(Math.hypot(first!.x - 300, first!.y - 300) < 6, `first at ${first!.x},${first!.y}`);
    assert.ok(Math.hypot(second!.x - 900, second!.y - 500) < 6, `second at ${second!.x},${second!.y}`);
    assert.ok(first!.end < saccadeStart && second!.start > transit.at(-1)![0] - 1000 / 120);
  });

  test('noise within the tracker accuracy is not a saccade, even when it is fast', () => {
    // jumps of up to 50 px between 8 ms samples (up to ~150°/s), all within 1° (40 px) of the fixation centre
    const rnd = jitter(3);
    const trace = look(0, 1000, 800, 400, 25, rnd);
    const filter = new FixationFilter(tracker);
    assert.ok(trace.every(([t, x, y]) => !filter.push(t, x, y).saccade));
    const segments = segmentTrace(trace, tracker);
    assert.equal(segments.length, 1);
    assert.ok(segments[0]!.fixation);
    assert.equal(segments[0]!.samples, trace.length);
  });

  test('the same jumps are saccades for a precise tracker', () => {
    const precise = { accuracyDeg: 0.25, pxPerDeg: 40 }; // 10 px
    const trace: Sample[] = [];
    for (let i = 0; i < 40; i++) trace.push([i * 8, i % 10 < 5 ? 800 : 840, 400]); // a 40 px hop every 40 ms
    const sharp = new FixationFilter(precise);
    assert.ok(trace.map(([t, x, y]) => sharp.push(t, x, y).saccade).some(Boolean));
    const coarse = new FixationFilter(tracker); // 40 px: the hops are within its accuracy
    assert.ok(!trace.map(([t, x, y]) => coarse.push(t, x, y).saccade).some(Boolean));
  });

  test('the velocity threshold grows with the tracker accuracy', () => {
    assert.equal(velocityThresholdDegS({ accuracyDeg: 0.3, pxPerDeg: 40 }), 30);
    assert.equal(velocityThresholdDegS({ accuracyDeg: 1, pxPerDeg: 40 }), 60);
    assert.equal(velocityThresholdDegS({ accuracyDeg: 2, pxPerDeg: 40 }), 120);
  });

  test('a gap longer than MAX_GAP_MS ends a fixation; a short one does not', () => {
    const rnd = jitter(11);
    const before = look(0, 200, 500, 500, 5, rnd);
    const shortGap = look(before.at(-1)![0] + MAX_GAP_MS - 10, 200, 500, 500, 5, rnd);
    assert.equal(segmentTrace([...before, ...shortGap], tracker).length, 1);
    const longGap = look(before.at(-1)![0] + MAX_GAP_MS + 200, 200, 500, 500, 5, rnd);
    const split = segmentTrace([...before, ...longGap], tracker);
    assert.equal(split.length, 2);
    assert.ok(split.every((s) => s.fixation));
  });

  test('a run shorter than the minimum fixation is reported, but not as a fixation', () => {
    const segments = segmentTrace([[0, 100, 100], [8, 101, 100], [16, 100, 101]], tracker);
    assert.equal(segments.length, 1);
    assert.equal(segments[0]!.fixation, false);
    assert.equal(segmentTrace([], tracker).length, 0);
  });
});
