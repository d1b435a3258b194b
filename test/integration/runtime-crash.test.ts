// Tests that kill -9 of the runtime in the middle of API appends loses no acknowledged note and duplicates none.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { rawRequest } from '../support/raw-http.js';
import { startReadyRuntime, stopRuntime, tempDataDir } from '../support/runtime-process.js';

test('every note acknowledged before kill -9 is in the journal after restart, exactly once', async (t) => {
  const { dir, cleanup } = tempDataDir();
  t.after(cleanup);
  const socketPath = join(dir, 'rayos.sock');
  const acked = new Map<string, number>();

  for (let round = 0; round < 3; round++) {
    const runtime = await startReadyRuntime(dir);
    if (round > 0) assert.ok(runtime.lines.some((l) => l.startsWith('RAYOS_RUNTIME:STALE_LOCK:')), 'the dead holder lock is taken over and said');
    let stop = false;
    let sent = 0;
    // Writers keep several notes in flight, so the kill lands inside a batch.
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = `r${round}-w${w}-${i}`;
        sent++;
        try {
          const reply = await rawRequest({ socketPath }, 'POST', '/v1/journal', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'crash-test', message: id }) });
          if (reply.status === 201) acked.set(id, (reply.body as { seq: number }).seq);
        } catch {
          return; // The runtime is gone: this note was never acknowledged.
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    const ackedAtStart = acked.size;
    while (acked.size - ackedAtStart < 150 + round * 50) await new Promise((r) => setImmediate(r));
    runtime.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await runtime.exited;
    assert.ok(sent > acked.size - ackedAtStart, 'some notes were in flight at the kill');
  }

  const runtime = await startReadyRuntime(dir);
  t.after(() => stopRuntime(runtime));
  const seen = new Map<string, number[]>();
  let afterSeq = 0;
  let previousSeq = 0;
  for (;;) {
    const page = await rawRequest({ socketPath }, 'GET', `/v1/journal?afterSeq=${afterSeq}&limit=10000`);
    const records = (page.body as { records: { seq: number; type: string; data: { source?: string; message?: string } }[] }).records;
    if (records.length === 0) break;
    for (const record of records) {
      assert.equal(record.seq, previousSeq + 1, 'journal sequence has no gaps or repeats');
      previousSeq = record.seq;
      if (record.type === 'note' && record.data.source === 'crash-test') seen.set(record.data.message!, [...(seen.get(record.data.message!) ?? []), record.seq]);
    }
    afterSeq = records.at(-1)!.seq;
  }
  for (const [id, seq] of acked) assert.deepEqual(seen.get(id), [seq], `acknowledged note ${id} (seq ${seq}) is there exactly once`);
  for (const [id, seqs] of seen) assert.equal(seqs.length, 1, `${id} is not duplicated`);
});
