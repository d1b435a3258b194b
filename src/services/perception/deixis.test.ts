// Tests deictic attention from a recorded trace: what was looked at near the utterance wins, evidence, splits under the tracker's accuracy, messy traces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AttentionSnapshotSchema, type GazeSample, type Scene } from '../../contracts/intent.js';
import { attentionForUtterance, deicticKernel, orderTrace } from './deixis.js';

const tracker = { accuracyDeg: 1, pxPerDeg: 40 };
const scene: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'linux', type: 'surface', label: 'Linux', rect: [100, 100, 700, 500], z: 1 },
    { id: 'windows', type: 'surface', label: 'Windows', rect: [1000, 100, 700, 500], z: 2 },
    { id: 'terminal', type: 'app', label: 'Terminal', rect: [1700, 980, 64, 64], z: 3 },
    { id: 'vm-only', type: 'vm', label: 'not on screen' },
  ],
};

function look(t0: number, ms: number, x: number, y: number, hz = 60): GazeSample[] {
  const out: GazeSample[] = [];
  for (let t = 0; t < ms; t += 1000 / hz) out.push([t0 + t, x + ((t * 7) % 9) - 4, y + ((t * 5) % 7) - 3]);
  return out;
}
const pOf = (snap: { objects: { id: string; p: number }[] }, id: string) => snap.objects.find((o) => o.id === id)?.p ?? 0;

describe('deictic attention', () => {
  test('the target looked at near the utterance wins over one looked at 3 s earlier, even for longer', () => {
    const gaze = [...look(0, 1500, 1350, 350), ...look(3000, 400, 450, 350)];
    const snap = attentionForUtterance(scene, tracker, gaze, 3300);
    assert.equal(snap.objects[0]!.id, 'linux');
    assert.ok(pOf(snap, 'linux') > 0.8, `${pOf(snap, 'linux')}`);
    assert.ok(pOf(snap, 'windows') < 0.15, 'the earlier look still weighs a little');
    assert.ok(snap.evidence > 0.9);
    assert.ok(AttentionSnapshotSchema.safeParse(snap).success);
  });

  test('a look just after the utterance counts (people look while and after speaking); one long after does not', () => {
    const after = attentionForUtterance(scene, tracker, [...look(-2300, 500, 1350, 350), ...look(800, 250, 450, 350)], 700);
    assert.equal(after.objects[0]!.id, 'linux');
    assert.ok(after.evidence > 0.9);
    const tooLate = attentionForUtterance(scene, tracker, [...look(0, 500, 1350, 350), ...look(2500, 500, 450, 350)], 700);
    assert.equal(tooLate.objects[0]!.id, 'windows');
    assert.equal(deicticKernel(1000, 700), 1);
    assert.equal(deicticKernel(500, 700), 1);
    assert.ok(deicticKernel(-2300, 700) < 0.05);
    assert.ok(deicticKernel(1700, 700) < 0.001);
  });

  test('a look the eyes moved away from before speaking is superseded; one that starts as the words start is not', () => {
    // a long look at Windows, then Linux from 400 ms before the utterance: Linux
    const moved = attentionForUtterance(scene, tracker, [...look(-1600, 1200, 1350, 350), ...look(-400, 600, 450, 350)], 0);
    assert.equal(moved.objects[0]!.id, 'linux');
    assert.ok(pOf(moved, 'windows') < 0.06, `${pOf(moved, 'windows')}`);
    // a blink in the middle of one look supersedes nothing
    const blink = attentionForUtterance(scene, tracker, [...look(-1200, 700, 1350, 350), ...look(-350, 500, 1352, 352)], 0);
    assert.ok(pOf(blink, 'windows') > 0.9, `${pOf(blink, 'windows')}`);
    // the eyes move on just as the words begin: both looks count, the choice stays open
    const onset = attentionForUtterance(scene, tracker, [...look(-900, 900, 450, 350), ...look(0, 300, 1350, 350)], 0);
    assert.ok(pOf(onset, 'linux') > 0.2 && pOf(onset, 'windows') > 0.2, `${pOf(onset, 'linux')} / ${pOf(onset, 'windows')}`);
  });

  test('no gaze, or gaze far from the moment: evidence 0, everything on the background', () => {
    for (const gaze of [[], look(-60_000, 500, 450, 350)]) {
      const snap = attentionForUtterance(scene, tracker, gaze, 1000);
      assert.equal(snap.evidence, 0);
      assert.equal(snap.background, 1);
      assert.ok(snap.objects.every((o) => o.p === 0));
      assert.deepEqual(snap.objects.map((o) => o.id), ['linux', 'windows', 'terminal'], 'every on-screen object, in scene order');
    }
  });

  test('evidence grows with how long gaze rested near the moment', () => {
    const brief = attentionForUtterance(scene, tracker, look(900, 50, 450, 350), 1000).evidence;
    const medium = attentionForUtterance(scene, tracker, look(900, 150, 450, 350), 1000).evidence;
    const long = attentionForUtterance(scene, tracker, look(600, 600, 450, 350), 1000).evidence;
    assert.ok(brief > 0 && brief < medium && medium < long, `${brief} < ${medium} < ${long}`);
    assert.ok(long > 0.95 && brief < 0.5);
  });

  test('two candidates closer together than the tracker accuracy split the probability', () => {
    const icons: Scene = {
      screen: [1920, 1080],
      objects: [
        { id: 'left', type: 'app', label: 'Left', rect: [900, 500, 24, 24] },
        { id: 'right', type: 'app', label: 'Right', rect: [932, 500, 24, 24] }, // centres 32 px apart, accuracy 40 px
      ],
    };
    const snap = attentionForUtterance(icons, tracker, look(500, 600, 912, 512), 1000);
    const left = pOf(snap, 'left');
    const right = pOf(snap, 'right');
    assert.ok(left > right, 'the one looked at leads');
    assert.ok(right / (left + right) > 0.3, `must split: ${left} vs ${right}`);
    // a better tracker tells them apart
    const sharp = attentionForUtterance(icons, { accuracyDeg: 0.2, pxPerDeg: 40 }, look(500, 600, 912, 512), 1000);
    assert.ok(pOf(sharp, 'right') / (pOf(sharp, 'left') + pOf(sharp, 'right')) < 0.05);
  });

  test('gaps, disorder, duplicates, non-finite and off-screen samples are handled', () => {
    const clean = [...look(0, 400, 450, 350), ...look(600, 400, 450, 350)]; // a 200 ms gap
    const messy: GazeSample[] = [...clean].reverse();
    messy.splice(10, 0, [Number.NaN, 450, 350], [500, Number.POSITIVE_INFINITY, 1], [clean[5]![0], 1350, 350]); // a duplicate time: the first given wins
    messy.push([800, -5000, -5000]); // far off screen
    const fromClean = attentionForUtterance(scene, tracker, clean, 900);
    const fromMessy = attentionForUtterance(scene, tracker, messy, 900);
    assert.equal(fromMessy.objects[0]!.id, 'linux');
    assert.ok(Math.abs(pOf(fromMessy, 'linux') - pOf(fromClean, 'linux')) < 0.1);
    assert.ok(AttentionSnapshotSchema.safeParse(fromMessy).success);
    const ordered = orderTrace(messy);
    assert.ok(ordered.every((s, i) => i === 0 || s[0] > ordered[i - 1]![0]));
    // only off-screen gaze: looking away, all background
    const away = attentionForUtterance(scene, tracker, look(500, 500, -3000, 200), 1000);
    assert.ok(away.evidence > 0.9);
    assert.ok(away.background > 0.99);
  });

  test('a small icon looked at squarely comes out ahead of the background; a missing tracker means the default', () => {
    const snap = attentionForUtterance(scene, undefined, look(400, 500, 1732, 1012), 800);
    assert.equal(snap.objects[0]!.id, 'terminal');
    assert.ok(pOf(snap, 'terminal') > snap.background);
    const bad = attentionForUtterance(scene, { accuracyDeg: Number.NaN, pxPerDeg: 40 }, look(400, 500, 1732, 1012), 800);
    assert.deepEqual(bad, snap);
  });

  test('saccade samples carry no weight', () => {
    // a fixation on Linux with a quick excursion through Windows inside the window of the utterance
    const trace: GazeSample[] = [...look(0, 600, 450, 350, 120)];
    for (let k = 1; k <= 4; k++) trace.push([600 + k * 8, 450 + k * 250, 350]);
    trace.push(...look(640, 400, 450, 350, 120).map(([t, x, y]) => [t + 8, x, y] as GazeSample));
    const snap = attentionForUtterance(scene, tracker, trace, 700);
    assert.ok(pOf(snap, 'windows') < 0.01, `${pOf(snap, 'windows')}`);
  });
});
