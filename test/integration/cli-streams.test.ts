// Tests the CLI against a real runtime: events and log, one-shot and --follow over the WebSocket, doctor, notes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { DoctorReportSchema, JournalRecordSchema } from '../../src/contracts/api-types.js';
import { EventEnvelopeSchema } from '../../src/contracts/events.js';
import { CLI_MAIN, runCli, startReadyRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';

/** Starts a following CLI and resolves with the first JSON line that passes `accept`. */
function follow(args: string[], accept: (value: unknown) => boolean): { line: Promise<unknown>; stop: () => void } {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = new Promise<unknown>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (text) => {
      const value: unknown = JSON.parse(text);
      if (accept(value)) resolve(value);
    });
    child.on('exit', (code) => reject(new Error(`follower exited ${code}`)));
  });
  return { line, stop: () => child.kill('SIGINT') };
}

describe('CLI against a running runtime', () => {
  const { dir, cleanup } = tempDataDir();
  let runtime: RuntimeProcess;
  before(async () => {
    runtime = await startReadyRuntime(dir);
  });
  after(async () => {
    await stopRuntime(runtime);
    cleanup();
  });

  test('log note is acknowledged with a sequence; log show --grep finds it', async () => {
    const note = await runCli(['log', 'note', 'the quick brown fox', '--data', dir]);
    assert.equal(note.code, 0, note.stderr);
    assert.match(note.stdout, /\d+/);
    const shown = await runCli(['log', 'show', '--grep', 'quick brown', '--json', '--data', dir]);
    assert.equal(shown.code, 0, shown.stderr);
    const records = shown.stdout.trim().split('\n').map((l) => JournalRecordSchema.parse(JSON.parse(l)));
    assert.equal(records.length, 1);
    assert.equal(records[0]?.data['message'], 'the quick brown fox');
    const none = await runCli(['log', 'show', '--grep', 'no such words anywhere', '--json', '--data', dir]);
    assert.equal(none.stdout.trim(), '');
    const recent = await runCli(['log', 'show', '--since', '10m', '--data', dir]);
    assert.match(recent.stdout, /RAYOS_BOOT_MARKER:READY/);
  });

  test('events --follow --after N streams what is published after N, whenever it attaches', async () => {
    const existing = await runCli(['events', '--json', '--data', dir]);
    const lastSeq = Math.max(...existing.stdout.trim().split('\n').map((l) => EventEnvelopeSchema.parse(JSON.parse(l)).seq));
    const note = await runCli(['log', 'note', 'seen live', '--data', dir]);
    assert.equal(note.code, 0);
    const follower = follow(['events', '--follow', '--after', String(lastSeq), '--json', '--data', dir], (v) => {
      const event = EventEnvelopeSchema.safeParse(v);
      return event.success && event.data.type === 'note.recorded' && event.data.data['message'] === 'seen live';
    });
    const event = EventEnvelopeSchema.parse(await follower.line);
    assert.ok(event.seq > lastSeq);
    follower.stop();
  });

  test('log show --follow prints existing records and then new ones', async () => {
    const follower = follow(['log', 'show', '--follow', '--json', '--data', dir], (v) => JournalRecordSchema.safeParse(v).success && (v as { data: { message?: string } }).data.message === 'followed note');
    await runCli(['log', 'note', 'followed note', '--data', dir]);
    const record = JournalRecordSchema.parse(await follower.line);
    assert.equal(record.type, 'note');
    follower.stop();
  });

  test('events prints the boot events', async () => {
    const events = await runCli(['events', '--json', '--data', dir]);
    assert.equal(events.code, 0, events.stderr);
    const types = events.stdout.trim().split('\n').map((l) => EventEnvelopeSchema.parse(JSON.parse(l)).type);
    assert.ok(types.includes('service.started'));
    assert.ok(types.includes('runtime.ready'));
  });

  test('doctor answers through the runtime', async () => {
    const doctor = await runCli(['doctor', '--json', '--data', dir], { timeoutMs: 60_000 });
    assert.ok(doctor.code === 0 || doctor.code === 4, doctor.stderr);
    const report = DoctorReportSchema.parse(JSON.parse(doctor.stdout));
    assert.ok(report.checks.length >= 6);
  });
});
