// Tests the journal's record format: round trips, and that decoding stops at every kind of damage.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JournalRecord } from '../../contracts/api-types.js';
import { JournalRecordSchema } from '../../contracts/api-types.js';
import { HEADER_BYTES, decodeRecordAt, decodeRecords, encodeRecord, findLaterRecords, frameRecord, parseSegmentName, scanSegmentFile, segmentName, sortSegmentNames } from './journal-format.js';

const rec = (seq: number, data: Record<string, unknown> = { n: seq }): JournalRecord => ({ seq, at: new Date(1_700_000_000_000 + seq).toISOString(), type: 'event', data });
const segment = (records: JournalRecord[]): Buffer => Buffer.concat(records.map(encodeRecord));

test('a record round-trips, with the documented header and a payload the contract accepts', () => {
  const record: JournalRecord = { seq: 42, at: '2024-05-01T12:00:00.000Z', type: 'note', data: { text: 'héllo "quoted" \u0001 ✓', nested: { a: [1, 2, null] } } };
  const framed = encodeRecord(record);
  const payload = framed.subarray(HEADER_BYTES);
  assert.equal(framed.readUInt32LE(0), payload.length);
  assert.deepEqual(JSON.parse(payload.toString('utf8')), record);
  assert.deepEqual(JournalRecordSchema.parse(JSON.parse(payload.toString('utf8'))), record);
  const decoded = decodeRecordAt(framed, 0, 42);
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.record, record);
  assert.equal(decoded.next, framed.length);
});

test('a segment of many records decodes in order and ends on its last byte', () => {
  const records = Array.from({ length: 50 }, (_, i) => rec(10 + i));
  const buf = segment(records);
  const result = decodeRecords(buf, 10);
  assert.deepEqual(result.records, records);
  assert.equal(result.end, buf.length);
  assert.equal(result.stop, null);
});

test('decoding stops at a torn header, at the last good boundary', () => {
  const good = segment([rec(1), rec(2)]);
  const third = encodeRecord(rec(3));
  const result = decodeRecords(Buffer.concat([good, third.subarray(0, 5)]), 1);
  assert.equal(result.records.length, 2);
  assert.equal(result.end, good.length);
  assert.deepEqual(result.stop, { offset: good.length, reason: 'torn-header' });
});

test('decoding stops at a torn payload', () => {
  const good = segment([rec(1), rec(2)]);
  const third = encodeRecord(rec(3));
  const result = decodeRecords(Buffer.concat([good, third.subarray(0, third.length - 1)]), 1);
  assert.equal(result.records.length, 2);
  assert.deepEqual(result.stop, { offset: good.length, reason: 'torn-payload' });
});

test('decoding stops at a bad crc (one flipped payload byte)', () => {
  const good = segment([rec(1)]);
  const second = encodeRecord(rec(2));
  second[second.length - 3] = (second[second.length - 3] as number) ^ 0x01;
  const result = decodeRecords(Buffer.concat([good, second, encodeRecord(rec(3))]), 1);
  assert.equal(result.records.length, 1);
  assert.deepEqual(result.stop, { offset: good.length, reason: 'bad-crc' });
});

test('zero-filled bytes, a valid-crc non-record, and a seq out of place are all rejected', () => {
  assert.deepEqual(decodeRecordAt(Buffer.alloc(64), 0), { ok: false, reason: 'bad-length' });
  const junk = frameRecord(Buffer.from('not json', 'utf8'));
  assert.deepEqual(decodeRecordAt(junk, 0), { ok: false, reason: 'bad-json' }, 'a good crc does not make text a record');
  const wrongShape = frameRecord(Buffer.from(JSON.stringify({ seq: 1, at: 'x', type: 'bogus', data: {} })));
  assert.deepEqual(decodeRecordAt(wrongShape, 0), { ok: false, reason: 'bad-json' });
  const arrayData = frameRecord(Buffer.from(JSON.stringify({ seq: 1, at: 'x', type: 'note', data: [] })));
  assert.deepEqual(decodeRecordAt(arrayData, 0), { ok: false, reason: 'bad-json' });
  assert.deepEqual(decodeRecordAt(encodeRecord(rec(7)), 0, 8), { ok: false, reason: 'bad-seq' });
  assert.equal(decodeRecords(segment([rec(5), rec(7)]), 5).records.length, 1, 'a gap in seqs is damage');
});

test('findLaterRecords tells a torn tail from damage followed by good records', () => {
  const torn = encodeRecord(rec(4)).subarray(0, 20);
  assert.equal(findLaterRecords(torn, 1, 3), null);
  assert.equal(findLaterRecords(Buffer.from('garbage garbage garbage garbage'), 1, 3), null);
  const damaged = encodeRecord(rec(4));
  damaged[12] = 0x00;
  const rest = Buffer.concat([damaged, encodeRecord(rec(5)), encodeRecord(rec(6))]);
  assert.deepEqual(findLaterRecords(rest, 1, 3), { firstOffset: damaged.length, maxSeq: 6 });
  assert.equal(findLaterRecords(rest, 1, 6), null, 'only seqs above the last good one count');
});

test('segment names are 20-digit first seqs and sort in seq order', () => {
  assert.equal(segmentName(1), '00000000000000000001.seg');
  assert.equal(parseSegmentName('00000000000000000123.seg'), 123);
  assert.equal(parseSegmentName('123.seg'), null);
  assert.equal(parseSegmentName('00000000000000000000.seg'), null);
  assert.deepEqual(sortSegmentNames(['00000000000000000900.seg', 'x.tmp', '00000000000000000010.seg']), ['00000000000000000010.seg', '00000000000000000900.seg']);
});

test('scanSegmentFile streams records bigger than its read chunk and stops at damage', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-jfmt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const big = 'x'.repeat(600 * 1024); // two records straddle the 1 MiB read chunk
  const records = [rec(1, { big }), rec(2, { big }), rec(3, { big }), rec(4)];
  const buf = segment(records);
  const path = join(dir, segmentName(1));
  writeFileSync(path, Buffer.concat([buf, Buffer.from([1, 2, 3])]));
  const seen: number[] = [];
  const scan = await scanSegmentFile(path, { firstSeq: 1, onRecord: (r) => (seen.push(r.seq), true) });
  assert.deepEqual(seen, [1, 2, 3, 4]);
  assert.equal(scan.lastSeq, 4);
  assert.equal(scan.end, buf.length);
  assert.deepEqual(scan.stop, { offset: buf.length, reason: 'torn-header' });
  const bounded = await scanSegmentFile(path, { firstSeq: 1, endOffset: buf.length });
  assert.equal(bounded.stop, null, 'bytes past endOffset are not looked at');
  assert.equal(bounded.count, 4);
  const early = await scanSegmentFile(path, { firstSeq: 1, onRecord: (r) => r.seq < 2 });
  assert.equal(early.count, 2);
  const crcOnly = await scanSegmentFile(path, { firstSeq: 1, verify: 'crc', onRecord: () => assert.fail('crc mode parses nothing') });
  assert.deepEqual([crcOnly.count, crcOnly.lastSeq, crcOnly.end], [4, 4, buf.length]);
  const filtered: number[] = [];
  await scanSegmentFile(path, { firstSeq: 1, prefilter: (payload) => payload.length < 1000, onRecord: (r) => (filtered.push(r.seq), true) });
  assert.deepEqual(filtered, [4], 'records the prefilter refuses are never parsed or returned');
});
