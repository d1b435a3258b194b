// Tests which journal records belong to which runtime boot: the selector rules (0, -N, boot id, out of range), a boot without a journal range, and the real storage service across restarts and segment rotation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ConfigSchema } from '../../contracts/config.js';
import { EventBus } from '../../kernel/event-bus.js';
import { MarkerWriter } from '../../kernel/marker-writer.js';
import { selectBoot, type BootRow } from './journal-boots.js';
import { createStorageService, type StorageService } from './storage-service.js';

const row = (id: number, firstSeq: number | null): BootRow => ({ id, startedAt: `2026-01-0${id}T00:00:00.000Z`, readyAt: null, stoppedAt: null, stopReason: null, firstSeq });
const ROWS = [row(1, 1), row(2, 40), row(3, null), row(4, 90), row(5, 120)];

test('0 is the current boot, -N counts back over recorded boots, a positive number is a boot id', () => {
  const pick = (selector: string) => {
    const span = selectBoot(ROWS, 5, selector);
    assert.ok(span.ok, selector);
    return [span.value.id, span.value.firstSeq, span.value.endSeq, span.value.current];
  };
  assert.deepEqual(pick('0'), [5, 120, null, true]);
  assert.deepEqual(pick('-1'), [4, 90, 120, false]);
  assert.deepEqual(pick('-4'), [1, 1, 40, false]);
  assert.deepEqual(pick('2'), [2, 40, 90, false], 'the boot that recorded no range (3) ends nothing: boot 2 runs to boot 4');
  assert.deepEqual(pick('3'), [3, null, 90, false]);
  // A runtime that is not the last row (it cannot happen while it holds the lock, but the rule stays relative).
  const older = selectBoot(ROWS, 4, '0');
  assert.ok(older.ok);
  assert.deepEqual([older.value.id, older.value.endSeq, older.value.current], [4, 120, true]);
});

test('a boot that is not recorded is RAYOS_JOURNAL_BOOT_NOT_FOUND naming what there is', () => {
  for (const selector of ['-5', '-100', '6', '999']) {
    const span = selectBoot(ROWS, 5, selector);
    assert.equal(span.ok, false, selector);
    if (!span.ok) {
      assert.equal(span.error.code, 'RAYOS_JOURNAL_BOOT_NOT_FOUND');
      assert.match(span.error.message, /boot ids 1…5 are recorded \(--boot -4 is the oldest, 0 is this one\)/);
    }
  }
  const none = selectBoot([], 1, '0');
  assert.equal(none.ok, false);
  const first = selectBoot([row(1, 1)], 1, '-1');
  assert.ok(!first.ok && /only this boot \(id 1\) is recorded/.test(first.error.message));
});

function context(dir: string) {
  // Small segments, so a boot's range spans several of them.
  const config = ConfigSchema.parse({ journal: { durability: 'none', segmentBytes: 4096, maxSegments: 1000 } });
  return { config, dataDir: dir, bus: new EventBus(100), markers: new MarkerWriter({ write: null, historySize: 100 }), signal: new AbortController().signal };
}

/** One runtime boot of the storage service: start, append notes, hand it to check, stop. */
async function boot(dir: string, notes: string[], check?: (storage: StorageService) => Promise<void>): Promise<void> {
  const storage = createStorageService({ dataDir: dir, version: 'test' });
  const ctx = context(dir);
  await storage.start(ctx);
  try {
    ctx.markers.emit('RAYOS_BOOT_MARKER', 'READY');
    for (const message of notes) await storage.appendNote({ source: 'test', message });
    await check?.(storage);
  } finally {
    await storage.stop('test');
  }
}

async function notesOf(storage: StorageService, selector: string): Promise<string[]> {
  const span = storage.findBoot(selector);
  assert.ok(span.ok, selector);
  const { firstSeq, endSeq } = span.value;
  assert.ok(firstSeq !== null);
  const records = await storage.readJournal({ afterSeq: firstSeq - 1, ...(endSeq === null ? {} : { beforeSeq: endSeq }), limit: 100_000 });
  assert.ok(records.every((r) => r.seq >= firstSeq && (endSeq === null || r.seq < endSeq)));
  return records.filter((r) => r.type === 'note').map((r) => String(r.data['message']));
}

test('the storage service records each boot\'s journal range; each boot reads back its own records across restarts', async (t: TestContext) => {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-boots-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const many = (prefix: string) => Array.from({ length: 60 }, (_, i) => `${prefix}-${i}-${'x'.repeat(40)}`);
  await boot(dir, many('first'));
  await boot(dir, many('second'));
  await boot(dir, ['third'], async (storage) => {
    assert.deepEqual(await notesOf(storage, '0'), ['third']);
    assert.deepEqual(await notesOf(storage, '-1'), many('second'));
    assert.deepEqual(await notesOf(storage, '-2'), many('first'));
    assert.deepEqual(await notesOf(storage, '1'), many('first'));
    const previous = storage.findBoot('-1');
    assert.ok(previous.ok);
    assert.equal(previous.value.id, 2);
    assert.equal(previous.value.current, false);
    assert.equal(previous.value.stopReason, 'test', 'the boot row says how it ended');
    // Each boot's own markers, replayed into the journal after it opened, are inside its range.
    const span = previous.value;
    const markers = await storage.readJournal({ afterSeq: (span.firstSeq ?? 1) - 1, beforeSeq: span.endSeq ?? undefined, grep: 'RAYOS_JOURNAL', limit: 100 });
    const lines = markers.map((r) => String(r.data['line']));
    assert.deepEqual(lines.filter((l) => l.startsWith('RAYOS_JOURNAL:OPENED')), [`RAYOS_JOURNAL:OPENED:${span.firstSeq}`], 'its own OPENED, no other boot\'s');
    assert.ok(lines.some((l) => l.startsWith('RAYOS_JOURNAL:ROTATED')), 'the range spans segments');
    const missing = storage.findBoot('-3');
    assert.equal(missing.ok, false);
  });
});
