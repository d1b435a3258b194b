// Tests the perception service: validation with stable codes, clock alignment, source ranking (pointer as gaze), live deixis, signals, lifecycle.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Scene } from '../../contracts/intent.js';
import type { ServiceContext } from '../../kernel/service.js';
import { createPerceptionService, type PerceptionService } from './api.js';

const scene: Scene = {
  screen: [1920, 1080],
  objects: [
    { id: 'linux', type: 'surface', label: 'Linux', rect: [100, 100, 700, 500], z: 1 },
    { id: 'windows', type: 'surface', label: 'Windows', rect: [1000, 100, 700, 500], z: 2 },
  ],
};
const LINUX = [450, 350] as const;
const WINDOWS = [1350, 350] as const;

/** A service on a hand-driven clock. */
function setup(options: { alignClock?: boolean } = {}): { service: PerceptionService; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const service = createPerceptionService({ now: () => clock.now, ...options });
  const set = service.control.setScene(scene);
  assert.ok(set.ok);
  return { service, clock };
}

/** `ms` of samples at 60 Hz on the sender's clock from t0. */
const samples = (t0: number, ms: number, [x, y]: readonly [number, number]) =>
  Array.from({ length: Math.floor((ms * 60) / 1000) }, (_, i) => [t0 + (i * 1000) / 60, x, y] as [number, number, number]);

const top = (snap: { objects: { id: string; p: number }[] } | null) => snap?.objects[0]?.id;

describe('perception service', () => {
  test('malformed input gets a stable RAYOS_PERCEPTION_* code and changes nothing', () => {
    const { service } = setup();
    const bad = [
      null,
      { samples: 'no' },
      { source: 'telepathy', samples: [] },
      { samples: [[1, 2]] },
      { samples: [[1, 2, 3]], extra: true },
      { samples: [[1, Number.POSITIVE_INFINITY, 3]] },
      { samples: Array.from({ length: 2001 }, (_, i) => [i, 1, 1]) },
    ];
    for (const untrusted of bad) {
      const r = service.control.ingest(untrusted);
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'RAYOS_PERCEPTION_BAD_SAMPLES');
      assert.match(r.error.message, /send \{"source"/);
    }
    const scene = service.control.setScene({ screen: [0, 10], objects: [] });
    assert.ok(!scene.ok && scene.error.code === 'RAYOS_PERCEPTION_BAD_SCENE');
    const tracker = service.control.setTracker({ accuracyDeg: -1 });
    assert.ok(!tracker.ok && tracker.error.code === 'RAYOS_PERCEPTION_BAD_TRACKER');
    const signal = service.control.signal({ kind: 'sneeze', t: 1 });
    assert.ok(!signal.ok && signal.error.code === 'RAYOS_PERCEPTION_BAD_SIGNAL');
    assert.equal(service.control.stats().accepted, 0);
    assert.equal(service.control.attentionForUtterance(1_000_000), null, 'no gaze source yet');
  });

  test('samples on the page clock land on the runtime clock; lost and late samples are counted', () => {
    const { service, clock } = setup();
    const batch = samples(5000, 1000, LINUX); // the page's clock starts near 0
    batch.splice(3, 0, [5040, null as unknown as number, 10]);
    clock.now = 1_000_000;
    const r = service.control.ingest({ source: 'tracker', samples: batch });
    assert.ok(r.ok);
    assert.equal(r.value.lost, 1);
    assert.equal(r.value.accepted, 60);
    assert.equal(r.value.accepted + r.value.dropped, batch.length);
    const snap = service.control.snapshot();
    assert.equal(top(snap), 'linux');
    assert.ok(snap.evidence > 0.4);
    assert.ok(service.control.focusProbability('linux', 500) > 0.9);
    // disorder inside a batch is sorted out
    clock.now += 1000;
    const shuffled = samples(6000, 500, LINUX).reverse();
    const sorted = service.control.ingest({ samples: shuffled });
    assert.ok(sorted.ok);
    assert.equal(sorted.value.accepted, shuffled.length);
    // a straggler batch from before what was already taken in
    clock.now += 20;
    const late = service.control.ingest({ samples: samples(6100, 100, WINDOWS) });
    assert.ok(late.ok);
    assert.equal(late.value.late, late.value.dropped);
    assert.equal(late.value.accepted, 0);
    // without alignment, times are used as they come
    const shared = setup({ alignClock: false });
    assert.ok(shared.service.control.ingest({ samples: samples(shared.clock.now - 600, 500, WINDOWS) }).ok);
    assert.equal(top(shared.service.control.snapshot()), 'windows');
  });

  test('a page reload (its clock jumps back) starts the alignment over', () => {
    const { service, clock } = setup();
    assert.ok(service.control.ingest({ samples: samples(900_000, 500, LINUX) }).ok);
    clock.now += 1000;
    const afterReload = service.control.ingest({ samples: samples(200, 500, WINDOWS) });
    assert.ok(afterReload.ok);
    assert.equal(afterReload.value.late, 0);
    assert.equal(top(service.control.snapshot()), 'windows');
  });

  test('pointer as gaze stands in only while no better source speaks', () => {
    const { service, clock } = setup();
    const pointer = service.control.ingest({ source: 'pointer', samples: samples(0, 500, WINDOWS) });
    assert.ok(pointer.ok && pointer.value.accepted > 0);
    assert.equal(service.control.stats().source, 'pointer');
    assert.equal(top(service.control.snapshot()), 'windows');
    clock.now += 100;
    assert.ok(service.control.ingest({ source: 'tracker', samples: samples(600, 500, LINUX) }).ok);
    assert.equal(service.control.stats().source, 'tracker');
    clock.now += 100;
    const ignored = service.control.ingest({ source: 'pointer', samples: samples(1200, 200, WINDOWS) });
    assert.ok(ignored.ok);
    assert.equal(ignored.value.ignored, ignored.value.dropped);
    assert.equal(ignored.value.accepted, 0);
    clock.now += 5000; // the tracker went quiet: the pointer is back
    const back = service.control.ingest({ source: 'pointer', samples: samples(7000, 200, WINDOWS) });
    assert.ok(back.ok && back.value.accepted > 0);
    assert.equal(service.control.stats().source, 'pointer');
  });

  test('live deixis: what was looked at around the utterance, over the scene the caller gives', () => {
    const { service, clock } = setup();
    assert.ok(service.control.ingest({ samples: samples(0, 1000, WINDOWS) }).ok);
    clock.now += 2000;
    assert.ok(service.control.ingest({ samples: samples(2000, 600, LINUX) }).ok);
    const utterance = clock.now - 300;
    const live = service.control.attentionForUtterance(utterance);
    assert.equal(top(live), 'linux');
    assert.ok(live!.evidence > 0.9);
    // the conductor's own scene (the windows moved: Linux's place is now Windows')
    const moved: Scene = { screen: [1920, 1080], objects: [{ id: 'windows', type: 'vm', label: 'Windows', rect: [0, 0, 900, 700], z: 1 }] };
    assert.equal(top(service.control.attentionForUtterance(utterance, moved)), 'windows');
    const quiet = service.control.attentionForUtterance(utterance + 60_000);
    assert.equal(quiet!.evidence, 0);
  });

  test('a new tracker accuracy applies to tracker batches that name none', () => {
    const { service } = setup();
    const set = service.control.setTracker({ accuracyDeg: 2 });
    assert.ok(set.ok);
    assert.deepEqual(set.value, { accuracyDeg: 2, pxPerDeg: 40 });
    assert.ok(service.control.ingest({ samples: samples(0, 500, LINUX) }).ok);
    assert.equal(top(service.control.snapshot()), 'linux');
  });

  test('silence and hesitation signals are kept for cognition, oldest first', () => {
    const { service } = setup();
    assert.ok(service.control.signal({ kind: 'hesitation', t: 2000, durationMs: 400 }).ok);
    assert.ok(service.control.signal({ kind: 'silence', t: 1000 }).ok);
    assert.deepEqual(service.control.signals(), [
      { kind: 'silence', t: 1000, durationMs: 0 },
      { kind: 'hesitation', t: 2000, durationMs: 400 },
    ]);
    assert.deepEqual(service.control.signals(1500).map((s) => s.kind), ['hesitation']);
  });

  test('lifecycle: starts at once, health says what it saw, stop forgets raw gaze and is idempotent', async () => {
    const { service } = setup();
    assert.equal(service.name, 'perception');
    assert.deepEqual(service.dependsOn, []);
    await service.start({} as ServiceContext);
    assert.ok(service.control.ingest({ samples: samples(0, 500, LINUX) }).ok);
    const health = service.health();
    assert.equal(health.status, 'ok');
    assert.match(health.detail ?? '', /tracker; 30 samples/);
    assert.equal(top(service.control.attentionForUtterance(1_000_000)), 'linux');
    await service.stop('test');
    await service.stop('again');
    assert.equal(service.control.attentionForUtterance(1_000_000)!.evidence, 0, 'the recent-gaze buffer is gone');
  });
});
