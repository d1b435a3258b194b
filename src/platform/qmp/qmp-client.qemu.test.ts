// Tests the QMP client against a real QEMU 7.2 (TCG, paused): greeting, run state and events, snapshot jobs, one client per socket, quit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RayosError } from '../../contracts/errors.js';
import { startQemuForQmp, type QmpTestQemu } from './qemu-for-qmp.test-support.js';
import { connectQmp, isQmpEvent, type QmpClient, type QmpEvent } from './qmp-client.js';

let qemu: QmpTestQemu;
let client: QmpClient;
const events: QmpEvent[] = [];
const closeReasons: RayosError[] = [];

before(async () => {
  qemu = startQemuForQmp();
  const connected = await connectQmp(qemu.qmpPath, { waitForSocketMs: 10_000, connectTimeoutMs: 10_000 });
  assert.ok(connected.ok, connected.ok ? '' : `${connected.error.message}\nQEMU stderr: ${qemu.stderr()}`);
  client = connected.value;
  client.onEvent((event) => events.push(event));
  client.onClose((reason) => closeReasons.push(reason));
});

after(async () => {
  await client?.close();
  await qemu?.kill();
});

function expectError(result: { ok: boolean; error?: RayosError }, code: RayosError['code']): RayosError {
  assert.equal(result.ok, false, `expected ${code}, got ok`);
  assert.equal(result.error?.code, code, result.error?.message);
  return result.error as RayosError;
}

const snapshotArgs = (jobId: string, tag: string) => ({ 'job-id': jobId, tag, vmstate: qemu.diskNode, devices: [qemu.diskNode] });

test('the greeting names QEMU 7.2 and query-version agrees', { timeout: 60_000 }, async () => {
  assert.equal(client.greeting.version.qemu.major, 7);
  assert.equal(client.greeting.version.qemu.minor, 2);
  assert.ok(Array.isArray(client.greeting.capabilities));
  assert.deepEqual(await client.execute('query-version'), { ok: true, value: client.greeting.version });
});

test('query-status follows cont and stop, and RESUME/STOP arrive as typed events', { timeout: 60_000 }, async () => {
  const initial = await client.execute('query-status');
  assert.ok(initial.ok);
  assert.equal(initial.value.running, false);
  assert.equal(initial.value.status, 'prelaunch');

  const resumed = client.waitForEvent('RESUME', { timeoutMs: 10_000 });
  assert.deepEqual(await client.execute('cont'), { ok: true, value: {} });
  assert.ok((await resumed).ok);
  assert.deepEqual(await client.execute('query-status'), { ok: true, value: { running: true, status: 'running' } });

  const stopped = client.waitForEvent('STOP', { timeoutMs: 10_000 });
  assert.deepEqual(await client.execute('stop'), { ok: true, value: {} });
  const stop = await stopped;
  assert.ok(stop.ok);
  assert.equal(stop.value.known, true);
  assert.deepEqual(await client.execute('query-status'), { ok: true, value: { running: false, status: 'paused' } });

  const names = events.map((e) => e.name);
  assert.ok(names.indexOf('RESUME') >= 0 && names.indexOf('STOP') > names.indexOf('RESUME'), names.join(','));
});

test('snapshot-save, snapshot-load and snapshot-delete run as jobs to completion', { timeout: 60_000 }, async () => {
  const info = async (): Promise<string> => {
    const listed = await client.execute('human-monitor-command', { 'command-line': 'info snapshots' });
    assert.ok(listed.ok);
    return listed.value;
  };
  assert.deepEqual(await client.runJob('snapshot-save', snapshotArgs('save-1', 'snap-a'), { timeoutMs: 60_000 }), { ok: true, value: undefined });
  assert.match(await info(), /snap-a/);
  assert.deepEqual(await client.runJob('snapshot-load', snapshotArgs('load-1', 'snap-a'), { timeoutMs: 60_000 }), { ok: true, value: undefined });
  const { vmstate: _unused, ...deleteArgs } = snapshotArgs('delete-1', 'snap-a');
  assert.deepEqual(await client.runJob('snapshot-delete', deleteArgs, { timeoutMs: 60_000 }), { ok: true, value: undefined });
  assert.doesNotMatch(await info(), /snap-a/);
  assert.deepEqual(await client.execute('query-jobs'), { ok: true, value: [] }, 'every job was dismissed');
  const concluded = events.flatMap((e) => (isQmpEvent(e, 'JOB_STATUS_CHANGE') && e.data.status === 'concluded' ? [e.data.id] : []));
  assert.deepEqual(concluded, ['save-1', 'load-1', 'delete-1']);
});

test("loading a tag that does not exist is RAYOS_QMP_JOB_FAILED with QEMU's sentence, and the job id is free again", { timeout: 60_000 }, async () => {
  const error = expectError(await client.runJob('snapshot-load', snapshotArgs('load-missing', 'no-such-tag'), { timeoutMs: 60_000 }), 'RAYOS_QMP_JOB_FAILED');
  assert.match(error.message, /no-such-tag/);
  assert.match(String(error.details?.['qemuError']), /does not exist/);
  assert.deepEqual(await client.execute('query-jobs'), { ok: true, value: [] });
  // The same job id again: free, since the failed job was dismissed. This save fails too (no such vmstate node).
  const again = expectError(
    await client.runJob('snapshot-save', { 'job-id': 'load-missing', tag: 'x', vmstate: 'nodisk', devices: [qemu.diskNode] }, { timeoutMs: 60_000 }),
    'RAYOS_QMP_JOB_FAILED',
  );
  assert.doesNotMatch(again.message, /already in use/);
});

test('a command QEMU refuses is RAYOS_QMP_COMMAND_FAILED, and the connection goes on', { timeout: 60_000 }, async () => {
  const error = expectError(await client.executeUntyped('no-such-command'), 'RAYOS_QMP_COMMAND_FAILED');
  assert.equal(error.details?.['class'], 'CommandNotFound');
  const badArgs = expectError(await client.executeUntyped('query-status', { unexpected: 1 }), 'RAYOS_QMP_COMMAND_FAILED');
  assert.equal(badArgs.details?.['class'], 'GenericError');
  assert.ok((await client.execute('query-status')).ok);
});

test('a second client on a socket that is in use times out cleanly; the spare socket serves one', { timeout: 60_000 }, async () => {
  const second = await connectQmp(qemu.qmpPath, { connectTimeoutMs: 300 });
  expectError(second, 'RAYOS_QMP_TIMEOUT');
  const spare = await connectQmp(qemu.spareQmpPath, { connectTimeoutMs: 10_000 });
  assert.ok(spare.ok, spare.ok ? '' : spare.error.message);
  assert.ok((await spare.value.execute('query-status')).ok);
  await spare.value.close();
  assert.ok((await client.execute('query-status')).ok, 'the first client was not disturbed');
});

test('quit: QEMU says SHUTDOWN, closes the connection, onClose fires once and QEMU exits', { timeout: 60_000 }, async () => {
  const shutdown = client.waitForEvent('SHUTDOWN', { timeoutMs: 10_000 });
  const quit = await client.execute('quit');
  // QEMU 7.2 flushes the reply before it closes; a close that wins the race is the same outcome.
  assert.ok(quit.ok || quit.error.code === 'RAYOS_QMP_CLOSED', quit.ok ? '' : quit.error.message);
  const event = await shutdown;
  assert.ok(event.ok, event.ok ? '' : event.error.message);
  assert.deepEqual(event.value.data, { guest: false, reason: 'host-qmp-quit' });
  assert.equal(await qemu.exited, 0);
  await new Promise<void>((resolve) => client.onClose(() => resolve())); // fires at once if already closed
  assert.equal(client.closed, true);
  assert.deepEqual(closeReasons.map((r) => r.code), ['RAYOS_QMP_CLOSED']);
  expectError(await client.execute('query-status'), 'RAYOS_QMP_CLOSED');
});
