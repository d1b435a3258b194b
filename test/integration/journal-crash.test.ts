// Tests that kill -9 of a process appending to the journal loses no acknowledged record and duplicates none.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { JournalRecord } from '../../src/contracts/api-types.js';
import { decodeRecords, encodeRecord } from '../../src/services/storage/journal-format.js';
import { Journal, type JournalOptions } from '../../src/services/storage/journal.js';

const APPENDER = fileURLToPath(new URL('../fixtures/journal-appender.js', import.meta.url));
// Small segments so every round rotates; no pruning, so every acknowledged record must still be there.
const OPTIONS: Omit<JournalOptions, 'dir'> = { segmentBytes: 64 * 1024, maxSegments: 100_000, maxRecordBytes: 64 * 1024, durability: 'fsync' };
const ROUNDS = 4;

interface Round {
  openSeq: number;
  acks: { seq: number; id: string }[];
  signal: NodeJS.Signals | null;
}

/** Runs one appender and kills it with SIGKILL once `killAfter` ACKs have arrived; ACKs still in the pipe are kept. */
async function runAppender(dir: string, prefix: string, killAfter: number): Promise<Round> {
  const child = spawn(process.execPath, [APPENDER, dir, prefix, JSON.stringify(OPTIONS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const round: Round = { openSeq: 0, acks: [], signal: null };
  const exited = new Promise<void>((resolve) => child.on('close', (_code, signal) => ((round.signal = signal), resolve())));
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, a, b] = line.split(' ');
    if (word === 'OPEN') round.openSeq = Number(a);
    else if (word === 'ACK' && b !== undefined) round.acks.push({ seq: Number(a), id: b });
    else assert.fail(`unexpected appender line: ${line}`);
    if (round.acks.length === killAfter) child.kill('SIGKILL');
  }
  await exited;
  return round;
}

/**
 * kill -9 leaves the page cache intact, so the tail is rarely torn by the kill alone. To exercise
 * recovery on every round we tear what a power cut could tear: bytes the parent never saw
 * acknowledged (records past the highest ACKed seq), cut at a random point inside a record.
 * Returns the bytes of the partial record left behind, or 0 when there was nothing unacknowledged.
 */
function tearUnacknowledgedTail(dir: string, maxAcked: number): number {
  const last = readdirSync(dir).filter((name) => name.endsWith('.seg')).sort().at(-1);
  if (last === undefined) return 0;
  const path = join(dir, last);
  const decoded = decodeRecords(readFileSync(path), Number(last.slice(0, 20)));
  let offset = 0;
  for (const record of decoded.records) {
    const size = encodeRecord(record).length;
    if (record.seq > maxAcked) {
      const keep = 1 + Math.floor(Math.random() * (size - 1)); // 1..size-1 bytes of this record survive
      truncateSync(path, offset + keep);
      return keep;
    }
    offset += size;
  }
  return 0;
}

async function readEverything(journal: Journal): Promise<JournalRecord[]> {
  const all: JournalRecord[] = [];
  for (;;) {
    const page = await journal.read({ afterSeq: all.at(-1)?.seq ?? 0, limit: 5000 });
    if (page.length === 0) return all;
    all.push(...page);
  }
}

test('every record acknowledged before kill -9 is in the journal after reopen, exactly once, with its seq', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-journal-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const acked = new Map<string, number>();
  let expectedOpenSeq = 1;
  let truncations = 0;

  for (let round = 0; round < ROUNDS; round++) {
    const killAfter = 300 + Math.floor(Math.random() * 2500);
    t.diagnostic(`round ${round}: kill after ${killAfter} ACKs`);
    const result = await runAppender(dir, `r${round}`, killAfter);
    assert.equal(result.signal, 'SIGKILL', 'the appender died by the kill, not by itself');
    assert.equal(result.openSeq, expectedOpenSeq, 'the appender continued from the reopened journal');
    assert.ok(result.acks.length >= killAfter);
    for (const { seq, id } of result.acks) {
      assert.ok(!acked.has(id), `id ${id} acknowledged twice`);
      acked.set(id, seq);
    }

    const torn = tearUnacknowledgedTail(dir, Math.max(0, ...acked.values()));
    const { journal, recovery } = await Journal.open({ ...OPTIONS, dir });
    try {
      assert.deepEqual(recovery.corrupt, [], 'a crash only ever tears the tail');
      if (torn > 0) assert.equal(recovery.truncated?.bytes, torn, 'a torn tail is cut and reported to the byte');
      if (recovery.truncated !== null) {
        truncations++;
        assert.ok(recovery.truncated.bytes > 0);
        const path = join(dir, recovery.truncated.segment);
        const decoded = decodeRecords(readFileSync(path), Number(recovery.truncated.segment.slice(0, 20)));
        assert.equal(decoded.stop, null, 'the cut file ends on a record boundary');
        assert.equal(decoded.end, statSync(path).size);
      }
      const records = await readEverything(journal);
      records.forEach((record, i) => assert.equal(record.seq, i + 1, 'seqs run 1, 2, 3… across all segments'));
      assert.equal(recovery.nextSeq, records.length + 1);
      const seen = new Map<string, number>();
      for (const record of records) {
        const id = record.data['id'] as string;
        assert.ok(!seen.has(id), `id ${id} is in the journal twice`);
        seen.set(id, record.seq);
      }
      for (const [id, seq] of acked) assert.equal(seen.get(id), seq, `acknowledged ${id} must be at seq ${seq}`);
      expectedOpenSeq = recovery.nextSeq;
    } finally {
      await journal.close();
    }
  }
  const segments = readdirSync(dir).filter((name) => name.endsWith('.seg'));
  assert.ok(segments.length > ROUNDS, `rotation happened (${segments.length} segments)`);
  t.diagnostic(`${acked.size} acknowledged records checked over ${ROUNDS} kills, ${segments.length} segments, ${truncations} torn tails cut`);
});
