// Tests the live attention field: decay (half-life), gaps, late / off-screen / non-finite samples, windowed reads, scene changes, long runs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Scene } from '../../contracts/intent.js';
import { AttentionField, TAU_MS } from './attention-field.js';

const tracker = { accuracyDeg: 1, pxPerDeg: 40 };
const scene: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'a', type: 'surface', label: 'A', rect: [100, 100, 600, 400], z: 1 },
    { id: 'b', type: 'surface', label: 'B', rect: [1000, 100, 600, 400], z: 2 },
  ],
};
const A = [400, 300] as const;
const B = [1300, 300] as const;

/** Feeds `ms` of steady gaze at a point at `hz`, from t0; returns the time of the last sample. */
function feed(field: AttentionField, t0: number, ms: number, [x, y]: readonly [number, number], hz = 120): number {
  let last = t0;
  for (let t = t0; t < t0 + ms; t += 1000 / hz) {
    field.add(t, x, y);
    last = t;
  }
  return last;
}
const p = (field: AttentionField, id: string, t: number) => field.attentionAt(t).objects.find((o) => o.id === id)?.p ?? 0;

describe('attention field', () => {
  test('a steady look builds up; once it stops, the probability halves every τ·ln 2', () => {
    const field = new AttentionField(scene, tracker);
    const end = feed(field, 0, 4000, A);
    const now = p(field, 'a', end);
    assert.ok(now > 0.9, `after 4 s: ${now}`);
    const half = end + TAU_MS * Math.LN2;
    assert.ok(Math.abs(p(field, 'a', half) / now - 0.5) < 1e-9);
    assert.ok(Math.abs(field.focusAt('a', half) / field.focusAt('a', end) - 0.5) < 1e-9);
    const snap = field.attentionAt(half);
    assert.ok(Math.abs(snap.evidence - field.attentionAt(end).evidence / 2) < 1e-9, 'evidence decays the same way');
    assert.ok(Math.abs(snap.objects.reduce((s, o) => s + o.p, 0) + snap.background - 1) < 1e-9, 'what decays goes to the background');
    assert.equal(field.focusAt('nothing', end), 0);
  });

  test('after one τ of looking, about 1 − 1/e; the sample rate does not matter', () => {
    const at60 = new AttentionField(scene, tracker);
    const at120 = new AttentionField(scene, tracker);
    const end60 = feed(at60, 0, TAU_MS, A, 60);
    const end120 = feed(at120, 0, TAU_MS, A, 120);
    const v60 = p(at60, 'a', end60);
    const v120 = p(at120, 'a', end120);
    assert.ok(Math.abs(v60 - v120) < 0.02, `${v60} vs ${v120}`);
    assert.ok(Math.abs(v120 - 0.97 * (1 - Math.exp(-1))) < 0.03, `${v120}`);
  });

  test('attention moves: after looking from A to B the field follows', () => {
    const field = new AttentionField(scene, tracker);
    const t = feed(field, 0, 2000, A);
    const end = feed(field, t + 8, 2000, B);
    const snap = field.attentionAt(end);
    assert.equal(snap.objects[0]!.id, 'b');
    assert.ok(p(field, 'b', end) > 0.7);
    assert.ok(p(field, 'a', end) < 0.3);
  });

  test('late samples are dropped and counted, non-finite ones rejected, and neither changes the field', () => {
    const field = new AttentionField(scene, tracker);
    const end = feed(field, 0, 1000, A);
    const before = field.attentionAt(end);
    assert.equal(field.add(end - 100, B[0], B[1]), 'late');
    assert.equal(field.add(end, B[0], B[1]), 'late', 'a repeated timestamp is late too');
    assert.equal(field.add(Number.NaN, B[0], B[1]), 'invalid');
    assert.equal(field.add(end + 8, Number.POSITIVE_INFINITY, 10), 'invalid');
    assert.equal(field.add(end + 8, 10, Number.NaN), 'invalid');
    assert.deepEqual(field.attentionAt(end), before);
    assert.equal(field.stats.late, 2);
    assert.equal(field.stats.invalid, 3);
  });

  test('off-screen samples count as background; a gap just decays', () => {
    const field = new AttentionField(scene, tracker);
    const t = feed(field, 0, 2000, A);
    const onA = p(field, 'a', t);
    const away = feed(field, t + 8, 1500, [-2000, 300]);
    assert.ok(field.stats.offscreen > 100);
    assert.ok(p(field, 'a', away) < onA * 0.45, 'looking away lowers it like time does');
    assert.ok(field.attentionAt(away).evidence > 0.9, 'looking away is still gaze');

    const gappy = new AttentionField(scene, tracker);
    const end = feed(gappy, 0, 2000, A);
    const before = p(gappy, 'a', end);
    assert.ok(Math.abs(p(gappy, 'a', end + 3000) - before * Math.exp(-3000 / TAU_MS)) < 1e-9);
    // the first sample after the gap stands for a typical interval, not for the whole gap
    gappy.add(end + 3000, B[0], B[1]);
    assert.ok(p(gappy, 'b', end + 3000) < 0.02);
  });

  test('focusProbability(id, window): the share of the window spent on the object', () => {
    const field = new AttentionField(scene, tracker);
    const t = feed(field, 0, 1000, A);
    const end = feed(field, t + 1000 / 120, 1000, B);
    assert.ok(field.focusProbability('a', 1000) < 0.05);
    assert.ok(field.focusProbability('b', 1000) > 0.9);
    const both = field.focusProbability('a', 2000);
    assert.ok(Math.abs(both - 0.485) < 0.03, `${both}`);
    assert.ok(field.focusProbability('a', 500, t) > 0.9, 'a window in the past');
    assert.ok(field.focusProbability('b', 1000, end + 500) < 0.5, 'time after the last sample counts as elsewhere');
    assert.equal(field.focusProbability('nothing', 1000), 0);
    assert.equal(field.focusProbability('a', Number.NaN), 0);
  });

  test('a new scene keeps what is known about objects still there', () => {
    const field = new AttentionField(scene, tracker);
    const end = feed(field, 0, 2000, A);
    const before = p(field, 'a', end);
    const windowed = field.focusProbability('a', 1000);
    field.setScene({ screen: [1920, 1080], objects: [{ id: 'c', type: 'app', label: 'C', rect: [0, 900, 64, 64] }, scene.objects[0]!] });
    assert.equal(p(field, 'a', end), before);
    assert.equal(field.focusProbability('a', 1000), windowed);
    assert.equal(p(field, 'c', end), 0);
    assert.deepEqual(field.attentionAt(end).objects.map((o) => o.id).sort(), ['a', 'c']);
  });

  test('hours of samples stay finite and forget the distant past', () => {
    const long = new AttentionField(scene, tracker);
    let t = 0;
    for (let k = 0; k < 30; k++) t = feed(long, t + 1000 / 60, 10_000, k % 2 === 0 ? A : B, 60);
    const fresh = new AttentionField(scene, tracker);
    feed(fresh, t - 10_000 + 1000 / 60, 10_000, B, 60);
    const snap = long.attentionAt(t);
    assert.ok(snap.objects.every((o) => Number.isFinite(o.p)));
    assert.ok(Math.abs(p(long, 'b', t) - p(fresh, 'b', t)) < 0.01);
    assert.ok(Math.abs(long.focusProbability('b', 5000) - fresh.focusProbability('b', 5000)) < 0.01);
  });
});
