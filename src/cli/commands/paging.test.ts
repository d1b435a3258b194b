// Tests how events and log show pick the most recent records from forward-only pages (of one boot with --boot), and where a follow resumes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ok } from '../../base/result.js';
import type { RayosClient } from '../../client/api.js';
import type { BootSpan, JournalRecord } from '../../contracts/api-types.js';
import type { EventEnvelope } from '../../contracts/events.js';
import { recentEvents } from './events-command.js';
import { bootHeading, journalTail } from './log-command.js';

const AT = '2026-01-01T00:00:00.000Z';
const record = (seq: number, message = `n${seq}`): JournalRecord => ({ seq, at: AT, type: 'note', data: { source: 'cli', message } });
const event = (seq: number): EventEnvelope => ({ seq, at: AT, type: 'note.recorded', data: {} });

/** A client whose journal and events behave like the runtime's: forward from afterSeq, at most limit, grep on the JSON. */
function stubClient(records: JournalRecord[], events: EventEnvelope[], calls: string[]): RayosClient {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    where: 'stub',
    status: unused,
    doctor: unused,
    appendNote: unused,
    stop: unused,
    streamEvents: unused,
    streamJournal: unused,
    vms: new Proxy({}, { get: () => unused }) as RayosClient['vms'],
    surfaces: new Proxy({}, { get: () => unused }) as RayosClient['surfaces'],
    policy: new Proxy({}, { get: () => unused }) as RayosClient['policy'],
    intents: new Proxy({}, { get: () => unused }) as RayosClient['intents'],
    audit: unused,
    close: () => {},
    journal: async (q = {}) => {
      calls.push(`journal after=${q.afterSeq} limit=${q.limit}`);
      const matching = records.filter((r) => r.seq > (q.afterSeq ?? 0) && (q.grep === undefined || JSON.stringify(r).includes(q.grep)));
      const page = matching.slice(0, q.limit ?? 1000);
      return ok({ records: page, nextSeq: (page.at(-1)?.seq ?? q.afterSeq ?? 0) + 1 });
    },
    events: async (q = {}) => {
      calls.push(`events after=${q.afterSeq} limit=${q.limit}`);
      return ok({ events: events.filter((e) => e.seq > (q.afterSeq ?? 0)).slice(0, q.limit ?? 200), lastSeq: events.at(-1)?.seq ?? 0 });
    },
  };
}

test('log show keeps the newest --limit records across pages and resumes after the last one seen', async () => {
  const records = Array.from({ length: 25_000 }, (_, i) => record(i + 1));
  const calls: string[] = [];
  const tail = await journalTail(stubClient(records, [], calls), { limit: 3 });
  assert.ok(tail.ok);
  assert.deepEqual(tail.value.records.map((r) => r.seq), [24_998, 24_999, 25_000]);
  assert.equal(tail.value.cursor, 25_000);
  assert.deepEqual(calls, ['journal after=0 limit=10000', 'journal after=10000 limit=10000', 'journal after=20000 limit=10000', 'journal after=25000 limit=10000']);
});

test('log show --grep pages through matches only; the cursor is the last match', async () => {
  const records = [record(1, 'alpha'), record(2, 'beta'), record(3, 'alpha again'), record(4, 'gamma')];
  const tail = await journalTail(stubClient(records, [], []), { limit: 1000, grep: 'alpha' });
  assert.ok(tail.ok);
  assert.deepEqual(tail.value.records.map((r) => r.seq), [1, 3]);
  assert.equal(tail.value.cursor, 3);
});

const span = (extra: Partial<BootSpan> = {}): BootSpan => ({ id: 2, startedAt: AT, readyAt: AT, stoppedAt: null, stopReason: null, current: false, firstSeq: 11, endSeq: 21, ...extra });

test('log show --boot asks for that boot on every page, keeps the boot, and a follow resumes at its start when nothing matched', async () => {
  const records = Array.from({ length: 30 }, (_, i) => record(i + 1, i < 10 ? 'older boot' : 'this boot'));
  const asked: (string | undefined)[] = [];
  const client = {
    ...stubClient([], [], []),
    // Like the runtime: the boot's range [11, 21), clamped below by afterSeq.
    journal: async (q: { afterSeq?: number; limit?: number; grep?: string; boot?: string } = {}) => {
      asked.push(q.boot);
      const page = records.filter((r) => r.seq > Math.max(q.afterSeq ?? 0, 10) && r.seq < 21 && (q.grep === undefined || JSON.stringify(r).includes(q.grep))).slice(0, q.limit ?? 1000);
      return ok({ records: page, nextSeq: (page.at(-1)?.seq ?? 10) + 1, boot: span() });
    },
  };
  const tail = await journalTail(client, { limit: 1000, boot: '-1' });
  assert.ok(tail.ok);
  assert.deepEqual(tail.value.records.map((r) => r.seq), [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  assert.deepEqual(asked, ['-1', '-1']);
  assert.equal(tail.value.boot?.id, 2);
  const none = await journalTail(client, { limit: 1000, boot: '-1', grep: 'no such text' });
  assert.ok(none.ok);
  assert.deepEqual([none.value.records.length, none.value.cursor], [0, 10], 'not 0: a follow must not replay earlier boots');
});

test('the boot heading says which boot, when it started, and how it ended', () => {
  assert.equal(bootHeading(span({ stoppedAt: AT, stopReason: 'SIGTERM' })), `-- boot 2: started ${AT}, ready ${AT}, stopped ${AT} (SIGTERM) --`);
  assert.equal(bootHeading(span({ readyAt: null })), `-- boot 2: started ${AT}, never ready, did not stop cleanly --`);
  assert.equal(bootHeading(span({ current: true, endSeq: null })), `-- boot 2 (this boot): started ${AT}, ready ${AT} --`);
  assert.equal(bootHeading(span({ firstSeq: null })), `-- boot 2: started ${AT}, ready ${AT}, did not stop cleanly; it recorded no journal range --`);
});

test('a runtime whose pages do not move forward is a protocol error, not an endless loop', async () => {
  const stuck = { ...stubClient([], [], []), journal: async () => ok({ records: [record(5)], nextSeq: 6 }) };
  const first = await journalTail(stuck, { limit: 10 });
  assert.ok(first.ok === false && first.error.code === 'RAYOS_CLI_PROTOCOL');
});

test('events without --after shows the newest --limit; with --after, the ones right after it', async () => {
  const events = Array.from({ length: 500 }, (_, i) => event(i + 1));
  const calls: string[] = [];
  const recent = await recentEvents(stubClient([], events, calls), undefined, 200);
  assert.ok(recent.ok);
  assert.deepEqual([recent.value.events[0]?.seq, recent.value.events.at(-1)?.seq], [301, 500]);
  assert.deepEqual(calls, ['events after=0 limit=200', 'events after=300 limit=200']);
  const after = await recentEvents(stubClient([], events, []), 10, 5);
  assert.ok(after.ok);
  assert.deepEqual(after.value.events.map((e) => e.seq), [11, 12, 13, 14, 15]);
  const few = await recentEvents(stubClient([], events.slice(0, 3), calls), undefined, 200);
  assert.ok(few.ok);
  assert.equal(few.value.events.length, 3);
});
