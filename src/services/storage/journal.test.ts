// Tests the Journal against real files: durability order, group commit, rotation, limits, queries and recovery.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { JournalRecord } from '../../contracts/api-types.js';
import { RayosFailure } from '../../contracts/errors.js';
import { Journal, type JournalNotice, type JournalOptions } from './journal.js';
import { decodeRecords, encodeRecord, segmentName } from './journal-format.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const options = (dir: string, extra: Partial<JournalOptions> = {}): JournalOptions => ({ dir, segmentBytes: 1024 * 1024, maxSegments: 8, maxRecordBytes: 64 * 1024, durability: 'fsync', ...extra });

async function openJournal(t: TestContext, dir: string, extra: Partial<JournalOptions> = {}) {
  const opened = await Journal.open(options(dir, extra));
  t.after(() => opened.journal.close());
  return opened;
}

const readAll = (journal: Journal): Promise<JournalRecord[]> => journal.read({ limit: 1_000_000 });
const segmentFiles = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.seg')).sort();
const lastSegment = (dir: string): string => join(dir, segmentFiles(dir).at(-1) as string);
const code = (error: unknown): string | undefined => (error instanceof RayosFailure ? error.code : undefined);

async function appendN(journal: Journal, n: number, data: (i: number) => Record<string, unknown> = (i) => ({ i })): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for (let i = 0; i < n; i++) out.push(await journal.append({ type: 'event', data: data(i) }));
  return out;
}

test('an empty or missing dir opens at seq 1; records survive close and reopen and seqs continue', async (t) => {
  const dir = join(tempDir(t), 'nested', 'journal');
  const first = await Journal.open(options(dir));
  assert.deepEqual(first.recovery, { nextSeq: 1, truncated: null, corrupt: [] });
  const written = await appendN(first.journal, 5, (i) => ({ i, text: `hello ${i}` }));
  assert.deepEqual(written.map((r) => r.seq), [1, 2, 3, 4, 5]);
  assert.deepEqual(await readAll(first.journal), written);
  await first.journal.close();
  assert.deepEqual(segmentFiles(dir), [segmentName(1)]);

  const second = await openJournal(t, dir);
  assert.deepEqual(second.recovery, { nextSeq: 6, truncated: null, corrupt: [] });
  const more = await second.journal.append({ type: 'note', data: { after: 'reopen' }, at: '2024-01-02T03:04:05Z' });
  assert.equal(more.seq, 6);
  assert.equal(more.at, '2024-01-02T03:04:05.000Z', 'at is stored as ISO-8601 UTC');
  assert.deepEqual(await readAll(second.journal), [...written, more]);
});

test('2,000 concurrent appends are all acknowledged, in call order, with unique increasing seqs', async (t) => {
  const dir = tempDir(t);
  const { journal } = await openJournal(t, dir);
  const ackOrder: number[] = [];
  const records = await Promise.all(Array.from({ length: 2000 }, (_, i) => journal.append({ type: 'event', data: { i } }).then((r) => (ackOrder.push(r.seq), r))));
  records.forEach((r, i) => {
    assert.equal(r.seq, i + 1, 'seq follows call order');
    assert.deepEqual(r.data, { i });
  });
  assert.deepEqual(ackOrder, records.map((r) => r.seq), 'acknowledged in seq order');
  assert.equal(journal.nextSeq, 2001);
  assert.deepEqual((await readAll(journal)).map((r) => r.data['i']), records.map((_, i) => i));
});

test('subscribers see each durable record once, in order, and stop after unsubscribing', async (t) => {
  const { journal } = await openJournal(t, tempDir(t));
  const seen: JournalRecord[] = [];
  const unsubscribe = journal.subscribe((r) => seen.push(r));
  journal.subscribe(() => {
    throw new Error('a broken subscriber');
  });
  const appended = await Promise.all(Array.from({ length: 300 }, (_, i) => journal.append({ type: 'marker', data: { i } })));
  assert.deepEqual(seen, appended);
  unsubscribe();
  await journal.append({ type: 'marker', data: { late: true } });
  assert.equal(seen.length, 300);
});

test('flush waits for everything appended so far; close flushes pending appends and is idempotent', async (t) => {
  const dir = tempDir(t);
  const { journal } = await Journal.open(options(dir));
  const pending = Array.from({ length: 50 }, (_, i) => journal.append({ type: 'event', data: { i } }));
  await journal.flush();
  assert.equal((await readAll(journal)).length, 50, 'flushed records are readable');
  const tail = Array.from({ length: 20 }, (_, i) => journal.append({ type: 'event', data: { tail: i } }));
  await Promise.all([journal.close(), journal.close()]);
  assert.equal((await Promise.all([...pending, ...tail])).length, 70, 'close acknowledged what was pending');
  await assert.rejects(journal.append({ type: 'note', data: {} }), (e: unknown) => code(e) === 'RAYOS_JOURNAL_CLOSED');
  await journal.close();
  const reopened = await openJournal(t, dir);
  assert.equal(reopened.recovery.nextSeq, 71);
});

test('a record over maxRecordBytes is rejected and changes nothing', async (t) => {
  const dir = tempDir(t);
  const { journal } = await openJournal(t, dir, { maxRecordBytes: 300 });
  await journal.append({ type: 'note', data: { small: true } });
  const size = statSync(lastSegment(dir)).size;
  await assert.rejects(journal.append({ type: 'note', data: { big: 'x'.repeat(400) } }), (e: unknown) => code(e) === 'RAYOS_JOURNAL_RECORD_TOO_LARGE');
  assert.equal(journal.nextSeq, 2);
  assert.equal(statSync(lastSegment(dir)).size, size);
  assert.equal((await journal.append({ type: 'note', data: { small: 2 } })).seq, 2, 'no seq was spent');
  await assert.rejects(journal.append({ type: 'note', data: [] as unknown as Record<string, unknown> }), TypeError);
  await assert.rejects(journal.append({ type: 'note', data: {}, at: 'not a date' }), RangeError);
});

test('segments rotate by size and the oldest beyond maxSegments are pruned, with notices', async (t) => {
  const dir = tempDir(t);
  const notices: JournalNotice[] = [];
  const { journal } = await openJournal(t, dir, { segmentBytes: 4096, maxSegments: 3, onNotice: (n) => notices.push(n) });
  const pad = 'p'.repeat(150);
  await Promise.all(Array.from({ length: 200 }, (_, i) => journal.append({ type: 'event', data: { i, pad } })));
  const files = segmentFiles(dir);
  assert.equal(files.length, 3);
  const rotated = notices.filter((n) => n.kind === 'rotated').map((n) => n.segment);
  const pruned = notices.filter((n) => n.kind === 'pruned').map((n) => n.segment);
  assert.ok(rotated.length >= 10, `rotated ${rotated.length} times`);
  assert.deepEqual(rotated.slice(-2), files.slice(1), 'each rotation names the new segment');
  assert.equal(pruned.length, rotated.length + 1 - 3);
  assert.ok(pruned.every((name) => !existsSync(join(dir, name))));
  for (const file of files) {
    const buf = readFileSync(join(dir, file));
    const first = Number(file.slice(0, 20));
    const decoded = decodeRecords(buf, first);
    assert.equal(decoded.stop, null);
    assert.ok(buf.length <= 4096, 'no segment exceeds segmentBytes');
    assert.equal(decoded.records[0]?.seq, first, 'a segment is named by its first seq');
  }
  const kept = await readAll(journal);
  assert.equal(kept.at(-1)?.seq, 200);
  assert.equal(kept[0]?.seq, Number(files[0]?.slice(0, 20)));
  kept.forEach((r, i) => assert.equal(r.seq, (kept[0]?.seq ?? 0) + i));
  await journal.close();
  const reopened = await openJournal(t, dir, { segmentBytes: 4096, maxSegments: 3 });
  assert.equal(reopened.recovery.nextSeq, 201);
});

test('read filters by afterSeq, sinceMs and grep, and honours limit', async (t) => {
  const dir = tempDir(t);
  const { journal } = await openJournal(t, dir, { segmentBytes: 2048 });
  const base = Date.parse('2024-03-01T00:00:00Z');
  for (let i = 0; i < 120; i++) await journal.append({ type: 'note', at: new Date(base + i * 1000).toISOString(), data: { i, word: i % 10 === 0 ? 'NeedleHere' : 'hay' } });
  assert.ok(segmentFiles(dir).length > 3, 'spans several segments');
  assert.deepEqual((await journal.read({ afterSeq: 100, limit: 5 })).map((r) => r.seq), [101, 102, 103, 104, 105]);
  assert.deepEqual((await journal.read({ sinceMs: base + 115_000 })).map((r) => r.seq), [116, 117, 118, 119, 120]);
  assert.deepEqual((await journal.read({ grep: 'needlehere' })).map((r) => r.data['i']), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
  assert.deepEqual((await journal.read({ grep: 'NEEDLE', afterSeq: 50, limit: 2 })).map((r) => r.seq), [51, 61]);
  assert.equal((await journal.read({})).length, 120);
  assert.equal((await journal.read({ limit: 7 })).length, 7);
  assert.deepEqual(await journal.read({ afterSeq: 120 }), []);
});

test('a chopped tail is cut back to the last whole record, reported to the byte, and its seq reused', async (t) => {
  const dir = tempDir(t);
  const first = await Journal.open(options(dir));
  const written = await appendN(first.journal, 10);
  await first.journal.close();
  const path = lastSegment(dir);
  const lastBytes = encodeRecord(written[9] as JournalRecord).length;
  const size = statSync(path).size;
  truncateSync(path, size - 3);

  const { journal, recovery } = await openJournal(t, dir);
  assert.deepEqual(recovery.truncated, { segment: segmentName(1), bytes: lastBytes - 3 });
  assert.equal(recovery.nextSeq, 10);
  assert.equal(statSync(path).size, size - lastBytes, 'the file ends on a record boundary');
  assert.deepEqual(await readAll(journal), written.slice(0, 9));
  assert.equal((await journal.append({ type: 'event', data: { again: true } })).seq, 10, 'the torn record was never acknowledged');
});

test('garbage after the last record is truncated exactly', async (t) => {
  const dir = tempDir(t);
  const first = await Journal.open(options(dir));
  const written = await appendN(first.journal, 4);
  await first.journal.close();
  appendFileSync(lastSegment(dir), Buffer.from('\x07garbage that is not a record at all'));
  const { journal, recovery } = await openJournal(t, dir);
  assert.deepEqual(recovery.truncated, { segment: segmentName(1), bytes: 36 });
  assert.deepEqual(await readAll(journal), written);
  assert.equal(recovery.nextSeq, 5);
});

test('a flipped byte in the last record fails its crc and that record is cut', async (t) => {
  const dir = tempDir(t);
  const first = await Journal.open(options(dir));
  const written = await appendN(first.journal, 6);
  await first.journal.close();
  const path = lastSegment(dir);
  const buf = readFileSync(path);
  buf[buf.length - 5] = (buf[buf.length - 5] as number) ^ 0x20;
  writeFileSync(path, buf);
  const { journal, recovery } = await openJournal(t, dir);
  assert.deepEqual(recovery.truncated, { segment: segmentName(1), bytes: encodeRecord(written[5] as JournalRecord).length });
  assert.deepEqual(await readAll(journal), written.slice(0, 5));
  assert.equal(recovery.nextSeq, 6);
});

test('damage in an older segment is reported, kept on disk, and newer segments stay readable', async (t) => {
  const dir = tempDir(t);
  const pad = 'q'.repeat(200);
  const first = await Journal.open(options(dir, { segmentBytes: 4096 }));
  await appendN(first.journal, 60, (i) => ({ i, pad }));
  await first.journal.close();
  const files = segmentFiles(dir);
  assert.ok(files.length >= 3);
  const victim = join(dir, files[0] as string);
  const damaged = readFileSync(victim);
  const boundary = 8 + damaged.readUInt32LE(0); // start of the segment's second record
  damaged[boundary + 20] = (damaged[boundary + 20] as number) ^ 0xff;
  writeFileSync(victim, damaged);

  const { journal, recovery } = await openJournal(t, dir, { segmentBytes: 4096 });
  assert.deepEqual(recovery.corrupt, [{ segment: files[0], offset: boundary }]);
  assert.equal(recovery.truncated, null);
  assert.equal(recovery.nextSeq, 61);
  assert.deepEqual(readFileSync(victim), damaged, 'left on disk for forensics');
  const seqs = (await readAll(journal)).map((r) => r.seq);
  const secondFirst = Number(files[1]?.slice(0, 20));
  assert.deepEqual(seqs, [1, ...Array.from({ length: 61 - secondFirst }, (_, i) => secondFirst + i)], 'the damaged segment reads up to the damage');
});

test('damage in the middle of the last segment is not cut: good records after it are kept and their seqs never reused', async (t) => {
  const dir = tempDir(t);
  const first = await Journal.open(options(dir));
  const written = await appendN(first.journal, 8);
  await first.journal.close();
  const path = lastSegment(dir);
  const buf = readFileSync(path);
  const offset = encodeRecord(written[0] as JournalRecord).length + encodeRecord(written[1] as JournalRecord).length;
  buf[offset + 12] = (buf[offset + 12] as number) ^ 0x01; // inside record 3's payload
  writeFileSync(path, buf);

  const { journal, recovery } = await openJournal(t, dir);
  assert.equal(recovery.truncated, null);
  assert.deepEqual(recovery.corrupt, [{ segment: segmentName(1), offset }]);
  assert.equal(recovery.nextSeq, 9);
  assert.equal(statSync(path).size, buf.length, 'no byte was cut');
  const next = await journal.append({ type: 'note', data: { after: 'damage' } });
  assert.equal(next.seq, 9);
  assert.deepEqual(segmentFiles(dir), [segmentName(1), segmentName(9)], 'new records go to a fresh segment');
  assert.deepEqual((await readAll(journal)).map((r) => r.seq), [1, 2, 9]);
});

test('a zero-length last segment is tolerated and continues at its name', async (t) => {
  const dir = tempDir(t);
  const first = await Journal.open(options(dir));
  await appendN(first.journal, 3);
  await first.journal.close();
  writeFileSync(join(dir, segmentName(4)), Buffer.alloc(0));
  const { journal, recovery } = await openJournal(t, dir);
  assert.deepEqual(recovery, { nextSeq: 4, truncated: null, corrupt: [] });
  assert.equal((await journal.append({ type: 'event', data: {} })).seq, 4);
  assert.equal(decodeRecords(readFileSync(join(dir, segmentName(4))), 4).records.length, 1);
});

test('a failed write rejects its whole batch, acknowledges nothing, and spends no seq', async (t) => {
  const dir = tempDir(t);
  const pad = 'z'.repeat(1500); // two records per 4 KiB segment, so seq 3 starts a new one
  const { journal } = await openJournal(t, dir, { segmentBytes: 4096 });
  await appendN(journal, 2, (i) => ({ i, pad }));
  const blocker = join(dir, segmentName(3));
  mkdirSync(blocker); // the rotation to segment 3 cannot create its file
  const seen: number[] = [];
  journal.subscribe((r) => seen.push(r.seq));
  // How these group into batches depends on timing; the rules must hold for any grouping.
  const calls = ['a', 'b', 'c'].map((name) => journal.append({ type: 'event', data: { name, pad } }));
  // Runs before the journal retries, so what is queued behind the failed batch can succeed.
  calls[0]?.catch(() => rmSync(blocker, { recursive: true }));
  const results = await Promise.allSettled(calls);
  assert.equal(results[0]?.status, 'rejected');
  assert.equal(code((results[0] as PromiseRejectedResult).reason), 'RAYOS_JOURNAL_IO');
  assert.equal(results[2]?.status, 'fulfilled', 'a record queued behind the failure is written once the disk recovers');
  const failed = results.filter((r) => r.status === 'rejected');
  assert.ok(failed.every((r) => code(r.reason) === 'RAYOS_JOURNAL_IO'));
  const acked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  assert.deepEqual(acked.map((r) => r.seq), acked.map((_, i) => 3 + i), 'failed seqs were never acknowledged, so the log stays gapless');
  assert.deepEqual(seen, acked.map((r) => r.seq), 'subscribers saw only what was acknowledged');
  assert.deepEqual(await readAll(journal), [...(await journal.read({ limit: 2 })), ...acked]);
  assert.equal(journal.nextSeq, 3 + acked.length);
});

test('a write failure that cannot be cleaned up stops the journal instead of acknowledging anything', async (t) => {
  const dir = tempDir(t);
  symlinkSync('/dev/full', join(dir, segmentName(1))); // every write fails with ENOSPC, and truncate fails too
  const { journal, recovery } = await Journal.open(options(dir));
  t.after(() => journal.close());
  assert.equal(recovery.nextSeq, 1);
  const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => journal.append({ type: 'event', data: { i } })));
  assert.ok(results.every((r) => r.status === 'rejected' && code(r.reason) === 'RAYOS_JOURNAL_IO'));
  await assert.rejects(journal.append({ type: 'event', data: {} }), (e: unknown) => code(e) === 'RAYOS_JOURNAL_IO');
  await journal.flush();
});

test('durability none still persists across a clean close', async (t) => {
  const dir = tempDir(t);
  const first = await Journal.open(options(dir, { durability: 'none' }));
  await Promise.all(Array.from({ length: 100 }, (_, i) => first.journal.append({ type: 'event', data: { i } })));
  await first.journal.close();
  const { journal } = await openJournal(t, dir, { durability: 'none' });
  assert.equal((await readAll(journal)).length, 100);
});
