// Tests the event bus: monotonic sequence, bounded replay for late subscribers, isolation from failing listeners.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayosEvent } from '../contracts/events.js';
import { EventBus } from './event-bus.js';
import { MarkerWriter } from './marker-writer.js';

test('sequence numbers increase by one and late subscribers replay what is still buffered', () => {
  const bus = new EventBus(3);
  for (let i = 0; i < 5; i++) bus.publish('service.starting', { service: `s${i}` });
  assert.equal(bus.lastSeq, 5);
  const seen: RayosEvent[] = [];
  bus.subscribe((e) => seen.push(e), { afterSeq: 0 });
  assert.deepEqual(seen.map((e) => e.seq), [3, 4, 5]);
  bus.publish('service.started', { service: 'x', durationMs: 1 });
  assert.deepEqual(seen.map((e) => e.seq), [3, 4, 5, 6]);
  assert.deepEqual(bus.recent(4, 1).map((e) => e.seq), [5]);
});

test('a throwing listener does not stop the others', () => {
  const bus = new EventBus(10);
  const seen: number[] = [];
  bus.subscribe(() => {
    throw new Error('boom');
  });
  bus.subscribe((e) => seen.push(e.seq));
  bus.publish('runtime.ready', { bootMs: 1 });
  assert.deepEqual(seen, [1]);
});

test('markers are formatted deterministically, sanitised, and replayed to late subscribers', () => {
  const lines: string[] = [];
  const markers = new MarkerWriter({ write: (l) => lines.push(l), historySize: 10 });
  markers.emit('RAYOS_SERVICE', 'STARTED', 'storage');
  markers.emit('RAYOS_RUNTIME', 'DATA_DIR', '/a:b\nc');
  assert.deepEqual(lines, ['RAYOS_SERVICE:STARTED:storage', 'RAYOS_RUNTIME:DATA_DIR:/a_b_c']);
  const replayed: string[] = [];
  markers.subscribe((m) => replayed.push(m.line), { replay: true });
  markers.emit('RAYOS_BOOT_MARKER', 'READY');
  assert.deepEqual(replayed, ['RAYOS_SERVICE:STARTED:storage', 'RAYOS_RUNTIME:DATA_DIR:/a_b_c', 'RAYOS_BOOT_MARKER:READY']);
});
