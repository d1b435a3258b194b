// Tests the QMP client against a fault-injecting fake peer: every fault ends in the right error code, never an unhandled rejection.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RayosError } from '../../contracts/errors.js';
import { startFakeQmpPeer, type FakeQmpPeer, type FakeQmpPeerOptions } from './fake-qmp-peer.test-support.js';
import { connectQmp, isQmpEvent, type QmpClient, type QmpConnectOptions, type QmpEvent } from './qmp-client.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-qmp-client-'));
const peers = new Set<FakeQmpPeer>();
const clients = new Set<QmpClient>();
const stray: unknown[] = [];
const onStray = (reason: unknown): void => {
  stray.push(reason);
};
process.on('unhandledRejection', onStray);
process.on('uncaughtException', onStray);

after(async () => {
  for (const client of clients) await client.close();
  for (const peer of peers) await peer.close();
  rmSync(dir, { recursive: true, force: true });
  process.off('unhandledRejection', onStray);
  process.off('uncaughtException', onStray);
});

let counter = 0;
async function peer(options: FakeQmpPeerOptions = {}): Promise<FakeQmpPeer> {
  const started = await startFakeQmpPeer(join(dir, `peer-${++counter}.sock`), options);
  peers.add(started);
  return started;
}

async function connected(fake: FakeQmpPeer, options: QmpConnectOptions = {}): Promise<QmpClient> {
  const result = await connectQmp(fake.path, options);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  clients.add(result.value);
  return result.value;
}

function assertError(result: { ok: boolean; error?: RayosError }, code: RayosError['code']): RayosError {
  assert.equal(result.ok, false, `expected ${code}, got ok`);
  assert.equal(result.error?.code, code, result.error?.message);
  assert.ok((result.error?.message.length ?? 0) > 20, 'the message says what to do');
  return result.error as RayosError;
}

/** Records close reasons so a test can assert that onClose fired exactly once. */
function closeRecorder(client: QmpClient): RayosError[] {
  const reasons: RayosError[] = [];
  client.onClose((reason) => reasons.push(reason));
  return reasons;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('connects: greeting checked, capabilities negotiated, typed results validated', async () => {
  const fake = await peer();
  const client = await connected(fake);
  assert.deepEqual(client.greeting.version.qemu, { major: 7, minor: 2, micro: 0 });
  assert.deepEqual(client.greeting.capabilities, ['oob']);
  assert.equal(client.closed, false);
  assert.deepEqual(await client.execute('query-status'), { ok: true, value: { running: false, status: 'prelaunch' } });
  assert.deepEqual(await client.execute('human-monitor-command', { 'command-line': 'info version' }), { ok: true, value: 'fake: info version\r\n' });
  assert.deepEqual(await client.executeUntyped('query-name'), { ok: true, value: {} });
  assert.deepEqual(
    fake.requests.map((r) => r.execute),
    ['qmp_capabilities', 'query-status', 'human-monitor-command', 'query-name'],
  );
  assert.equal(new Set(fake.requests.map((r) => r.id)).size, 4, 'each command has its own id');
  assert.deepEqual(fake.requests[0]?.arguments, {});
  assert.equal(fake.requests[1]?.arguments, undefined, 'no arguments key when none are given');
});

test('replies that come back out of order reach the command they answer', async () => {
  const fake = await peer({ fault: 'out-of-order' });
  const client = await connected(fake);
  const [status, version] = await Promise.all([client.execute('query-status'), client.execute('query-version')]);
  assert.deepEqual(status, { ok: true, value: { running: false, status: 'prelaunch' } });
  assert.ok(version.ok);
  assert.equal(version.value.package, 'fake-qmp-peer');
});

test('a missing socket and a path nobody listens on are RAYOS_QMP_CONNECT', async () => {
  assertError(await connectQmp(join(dir, 'nothing-here.sock')), 'RAYOS_QMP_CONNECT');
  const notASocket = join(dir, 'plain-file');
  writeFileSync(notASocket, '');
  assertError(await connectQmp(notASocket), 'RAYOS_QMP_CONNECT');
});

test('waitForSocketMs waits for a socket that appears later', async () => {
  const path = join(dir, 'late.sock');
  const pending = connectQmp(path, { waitForSocketMs: 5000 });
  await new Promise((resolve) => setTimeout(resolve, 150));
  peers.add(await startFakeQmpPeer(path));
  const result = await pending;
  assert.ok(result.ok);
  clients.add(result.value);
});

test('no greeting is RAYOS_QMP_TIMEOUT within connectTimeoutMs, and the connection is dropped', async () => {
  const fake = await peer({ fault: 'no-greeting' });
  const error = assertError(await connectQmp(fake.path, { connectTimeoutMs: 100 }), 'RAYOS_QMP_TIMEOUT');
  assert.match(error.message, /another client/);
  assert.equal(fake.connections(), 1);
});

test('a first line that is not a greeting is RAYOS_QMP_PROTOCOL', async () => {
  const fake = await peer({ fault: 'bad-greeting' });
  assertError(await connectQmp(fake.path), 'RAYOS_QMP_PROTOCOL');
});

test('a command QEMU never answers is RAYOS_QMP_TIMEOUT; the connection stays usable', async () => {
  const fake = await peer({ fault: 'hang' });
  const client = await connected(fake, { commandTimeoutMs: 50 });
  const error = assertError(await client.execute('query-status'), 'RAYOS_QMP_TIMEOUT');
  assert.equal(error.details?.['command'], 'query-status');
  assertError(await client.execute('stop', {}, { timeoutMs: 20 }), 'RAYOS_QMP_TIMEOUT');
  fake.setFault('none');
  assert.ok((await client.execute('query-status')).ok);
  assert.equal(client.closed, false);
});

test('a late reply to a timed-out command is ignored, not given to the next command', async () => {
  const fake = await peer({ fault: 'held-replies' });
  const client = await connected(fake);
  assertError(await client.execute('query-version', {}, { timeoutMs: 20 }), 'RAYOS_QMP_TIMEOUT');
  fake.setFault('none');
  const status = client.execute('query-status');
  fake.release(); // the query-version reply arrives now, after the query-status request went out
  assert.deepEqual(await status, { ok: true, value: { running: false, status: 'prelaunch' } });
  assert.equal(client.closed, false);
});

test('a slow reply within the deadline is fine', async () => {
  const fake = await peer({ fault: 'slow-reply', slowMs: 30 });
  const client = await connected(fake);
  assert.ok((await client.execute('query-status', {}, { timeoutMs: 5000 })).ok);
});

test('the peer closing mid-reply fails the command with RAYOS_QMP_CLOSED and fires onClose once', async () => {
  const fake = await peer({ fault: 'close-mid-reply' });
  const client = await connected(fake);
  const reasons = closeRecorder(client);
  const waiting = client.waitForEvent('SHUTDOWN', { timeoutMs: 10_000 });
  assertError(await client.execute('query-status'), 'RAYOS_QMP_CLOSED');
  assertError(await waiting, 'RAYOS_QMP_CLOSED');
  assert.equal(client.closed, true);
  assertError(await client.execute('query-status'), 'RAYOS_QMP_CLOSED');
  await client.close();
  await tick();
  assert.equal(reasons.length, 1);
  assert.equal(reasons[0]?.code, 'RAYOS_QMP_CLOSED');
  let late: RayosError | undefined;
  client.onClose((reason) => (late = reason));
  await tick();
  assert.equal(late?.code, 'RAYOS_QMP_CLOSED', 'a listener added after the end still hears why');
});

for (const fault of ['garbage-line', 'not-qmp'] as const) {
  test(`${fault}: RAYOS_QMP_PROTOCOL for every waiting command, and the connection is closed`, async () => {
    const fake = await peer({ fault });
    const client = await connected(fake);
    const reasons = closeRecorder(client);
    const [first, second] = await Promise.all([client.execute('query-status'), client.execute('query-version')]);
    assertError(first, 'RAYOS_QMP_PROTOCOL');
    assertError(second, 'RAYOS_QMP_PROTOCOL');
    assert.equal(client.closed, true);
    assert.deepEqual(reasons.map((r) => r.code), ['RAYOS_QMP_PROTOCOL']);
    const after = assertError(await client.execute('query-status'), 'RAYOS_QMP_CLOSED');
    assert.equal(after.details?.['cause'], 'RAYOS_QMP_PROTOCOL');
  });
}

test('a line over the size limit is RAYOS_QMP_PROTOCOL', async () => {
  const fake = await peer({ fault: 'oversized-line', oversizeBytes: 64 * 1024 });
  const client = await connected(fake, { maxLineBytes: 4096 });
  assertError(await client.execute('query-status'), 'RAYOS_QMP_PROTOCOL');
  assert.equal(client.closed, true);
});

test('a reply of the wrong shape is RAYOS_QMP_PROTOCOL for that command only', async () => {
  const fake = await peer({ fault: 'wrong-shape' });
  const client = await connected(fake);
  const error = assertError(await client.execute('query-status'), 'RAYOS_QMP_PROTOCOL');
  assert.equal(error.details?.['command'], 'query-status');
  fake.setFault('none');
  assert.ok((await client.execute('query-status')).ok, 'framing was fine, so the connection goes on');
});

test("QEMU's error reply is RAYOS_QMP_COMMAND_FAILED with class and desc", async () => {
  const fake = await peer();
  const client = await connected(fake);
  const error = assertError(await client.executeUntyped('no-such-command'), 'RAYOS_QMP_COMMAND_FAILED');
  assert.equal(error.details?.['class'], 'CommandNotFound');
  assert.equal(error.details?.['desc'], 'The command no-such-command has not been found');
  assert.match(error.message, /has not been found/);
});

test('events: typed, unknown ones passed through, a throwing listener harms no one', async () => {
  const fake = await peer();
  const client = await connected(fake);
  const seen: QmpEvent[] = [];
  client.onEvent(() => {
    throw new Error('a broken listener');
  });
  const off = client.onEvent((event) => seen.push(event));
  const shutdown = client.waitForEvent('SHUTDOWN', { timeoutMs: 5000, match: (e) => e.data.reason === 'guest-shutdown' });
  fake.emitEvent('SHUTDOWN', { guest: false, reason: 'host-qmp-quit' });
  fake.emitEvent('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
  fake.emitEvent('BLOCK_IO_ERROR', { device: 'disk0', operation: 'write' });
  fake.emitEvent('RESET', { guest: 'not-a-boolean' });
  assert.ok((await client.execute('stop')).ok); // STOP goes out before the reply
  const matched = await shutdown;
  assert.ok(matched.ok);
  assert.equal(matched.value.data.guest, true);
  off();
  fake.emitEvent('RESUME');
  assert.ok((await client.execute('query-status')).ok);
  assert.deepEqual(
    seen.map((e) => [e.known, e.name]),
    [
      [true, 'SHUTDOWN'],
      [true, 'SHUTDOWN'],
      [false, 'BLOCK_IO_ERROR'],
      [false, 'RESET'],
      [true, 'STOP'],
    ],
  );
  const first = seen[0];
  assert.ok(first !== undefined && isQmpEvent(first, 'SHUTDOWN'));
  assert.equal(first.data.reason, 'host-qmp-quit');
  assert.equal(typeof first.timestamp.seconds, 'number');
  assert.deepEqual(seen[2]?.data, { device: 'disk0', operation: 'write' });
  assertError(await client.waitForEvent('POWERDOWN', { timeoutMs: 20 }), 'RAYOS_QMP_TIMEOUT');
});

test('an event without a timestamp is RAYOS_QMP_PROTOCOL', async () => {
  const fake = await peer();
  const client = await connected(fake);
  const reasons = closeRecorder(client);
  fake.sendRaw('{"event": "STOP"}\r\n');
  assertError(await client.waitForEvent('STOP', { timeoutMs: 5000 }), 'RAYOS_QMP_PROTOCOL');
  assert.deepEqual(reasons.map((r) => r.code), ['RAYOS_QMP_PROTOCOL']);
});

test('close() fails waiting commands with RAYOS_QMP_CLOSED, is idempotent and fires onClose once', async () => {
  const fake = await peer({ fault: 'hang' });
  const client = await connected(fake);
  const reasons = closeRecorder(client);
  const waiting = client.execute('query-status', {}, { timeoutMs: 60_000 });
  await Promise.all([client.close(), client.close()]);
  await client.close();
  assertError(await waiting, 'RAYOS_QMP_CLOSED');
  assert.equal(client.closed, true);
  assert.equal(reasons.length, 1);
});

test('runJob: concluded before the reply is not missed; the job is read and dismissed', async () => {
  const fake = await peer();
  const client = await connected(fake);
  const args = { 'job-id': 'save-1', tag: 'fast', vmstate: 'disk0', devices: ['disk0'] };
  assert.deepEqual(await client.runJob('snapshot-save', args, { timeoutMs: 5000 }), { ok: true, value: undefined });
  assert.deepEqual(await client.runJob('snapshot-load', { ...args, 'job-id': 'load-1', tag: 'later' }, { timeoutMs: 5000 }), { ok: true, value: undefined });
  assert.deepEqual(await client.runJob('snapshot-delete', { ...args, 'job-id': 'del-1' }, { timeoutMs: 5000 }), { ok: true, value: undefined });
  const sent = fake.requests.filter((r) => r.execute !== 'qmp_capabilities').map((r) => [r.execute, r.arguments?.['id'] ?? r.arguments?.['job-id']]);
  assert.deepEqual(sent, [
    ['snapshot-save', 'save-1'],
    ['query-jobs', undefined],
    ['job-dismiss', 'save-1'],
    ['snapshot-load', 'load-1'],
    ['query-jobs', undefined],
    ['job-dismiss', 'load-1'],
    ['snapshot-delete', 'del-1'],
    ['query-jobs', undefined],
    ['job-dismiss', 'del-1'],
  ]);
  assert.equal(fake.requests.find((r) => r.execute === 'snapshot-delete')?.arguments?.['vmstate'], undefined, 'snapshot-delete takes no vmstate');
  assert.deepEqual(await client.execute('query-jobs'), { ok: true, value: [] });
});

test("runJob: a failed job is RAYOS_QMP_JOB_FAILED with QEMU's sentence; a refused start is COMMAND_FAILED", async () => {
  const fake = await peer();
  const client = await connected(fake);
  const args = { 'job-id': 'load-missing', tag: 'missing', vmstate: 'disk0', devices: ['disk0'] };
  const error = assertError(await client.runJob('snapshot-load', args, { timeoutMs: 5000 }), 'RAYOS_QMP_JOB_FAILED');
  assert.match(error.message, /Snapshot 'missing' does not exist/);
  assert.equal(error.details?.['qemuError'], "Snapshot 'missing' does not exist in one or more devices");
  assert.deepEqual(await client.execute('query-jobs'), { ok: true, value: [] }, 'dismissed even though it failed');

  const never = { ...args, 'job-id': 'stuck', tag: 'never' };
  assertError(await client.runJob('snapshot-save', never, { timeoutMs: 50 }), 'RAYOS_QMP_TIMEOUT');
  assertError(await client.runJob('snapshot-save', { ...never, tag: 'fast' }, { timeoutMs: 5000 }), 'RAYOS_QMP_COMMAND_FAILED');
});

test('runJob: the connection ending while the job runs is the close reason', async () => {
  const fake = await peer();
  const client = await connected(fake);
  const running = client.runJob('snapshot-save', { 'job-id': 'j', tag: 'never', vmstate: 'disk0', devices: ['disk0'] }, { timeoutMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await fake.close();
  assertError(await running, 'RAYOS_QMP_CLOSED');
  peers.delete(fake);
});

test('no fault above produced an unhandled rejection or an uncaught exception', async () => {
  await tick();
  assert.deepEqual(stray, []);
});
