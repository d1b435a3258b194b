// Tests that kill -9 of the runtime in the middle of API appends loses no acknowledged note and duplicates none, and that `log show --boot -1` gives back the killed boot's records after the restart.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { JournalRecordSchema } from '../../src/contracts/api-types.js';
import { rawRequest } from '../support/raw-http.js';
import { runCli, startReadyRuntime, stopRuntime, tempDataDir } from '../support/runtime-process.js';

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

  // The boot before this one is the last one killed (round 2): --boot -1 gives back its notes, and only its.
  const notesOfBoot = async (boot: string) => {
    const shown = await runCli(['log', 'show', '--boot', boot, '--grep', 'crash-test', '--limit', '1000000', '--json', '--data', dir]);
    assert.equal(shown.code, 0, shown.stderr);
    return shown.stdout.split('\n').filter(Boolean).map((line) => String(JournalRecordSchema.parse(JSON.parse(line)).data['message']));
  };
  const previousBoot = await notesOfBoot('-1');
  for (const id of [...acked.keys()].filter((id) => id.startsWith('r2-'))) assert.ok(previousBoot.includes(id), `${id}, acknowledged before the kill, is in --boot -1`);
  assert.ok(previousBoot.length > 0 && previousBoot.every((id) => id.startsWith('r2-')), 'no other boot\'s notes');
  assert.ok((await notesOfBoot('-3')).every((id) => id.startsWith('r0-')));
  assert.ok((await notesOfBoot('1')).every((id) => id.startsWith('r0-')), 'boot id 1 is the first boot');
  assert.deepEqual(await notesOfBoot('0'), [], 'this boot wrote no crash-test note');
  const heading = await runCli(['log', 'show', '--boot', '-1', '--limit', '1', '--data', dir]);
  assert.match(heading.stdout.split('\n')[0] ?? '', /^-- boot 3: started \S+, ready \S+, did not stop cleanly --$/);
  const tooFar = await runCli(['log', 'show', '--boot', '-4', '--data', dir]);
  assert.equal(tooFar.code, 1);
  assert.match(tooFar.stderr, /RAYOS_JOURNAL_BOOT_NOT_FOUND: There is no boot -4 in this data directory: boot ids 1…4 are recorded/);
  const follow = await runCli(['log', 'show', '--boot', '-1', '--follow', '--data', dir]);
  assert.equal(follow.code, 2, 'a past boot cannot be followed');
});
