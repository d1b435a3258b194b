// Tests the swtpm adapter with Debian's real swtpm and swtpm_setup in a temporary directory: state made once, checked, started, stopped.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { processIdentity } from '../process/process-liveness.js';
import { probeSwtpmCapabilities, startSwtpm, stopSwtpm } from './swtpm-process.js';
import { checkTpmState, createTpmState, TPM_STATE_FILE } from './tpm-state.js';

const scratch = await mkdtemp(join(tmpdir(), 'rayos-swtpm-'));
// Every swtpm a test starts is stopped through its pid file, that pid only, even when an assertion failed.
const started: { pidFile: string; stateDir: string }[] = [];
after(async () => {
  for (const one of started) await stopSwtpm(one);
  await rm(scratch, { recursive: true, force: true });
});

const paths = (stateDir: string, name: string) => ({
  stateDir,
  ctrlSocket: join(scratch, `${name}.ctrl`),
  logFile: join(scratch, `${name}.log`),
  pidFile: join(scratch, `${name}.pid`),
});

function connects(path: string): Promise<boolean> {
  return new Promise((settle) => {
    const socket = createConnection({ path });
    socket.once('connect', () => (socket.destroy(), settle(true)));
    socket.once('error', () => settle(false));
  });
}

test('createTpmState makes a TPM 2.0 state once, 0700, that checkTpmState finds ok; a second create refuses and leaves it as it was; no missing parent is made', async () => {
  await assert.rejects(stat(join(scratch, 'made')), { code: 'ENOENT' });
  const orphan = await createTpmState(join(scratch, 'made', 'tpm'));
  assert.ok(!orphan.ok, 'a parent that is not there is not made');
  assert.match(orphan.error.message, /Check that its parent exists/);
  await assert.rejects(stat(join(scratch, 'made')), { code: 'ENOENT' });

  const dir = join(scratch, 'made-tpm');
  const made = await createTpmState(dir);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  assert.equal(made.value.path, join(dir, TPM_STATE_FILE));
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  const check = await checkTpmState(dir);
  assert.equal(check.status, 'ok');
  const before = await readFile(join(dir, TPM_STATE_FILE));

  const again = await createTpmState(dir);
  assert.ok(!again.ok);
  assert.equal(again.error.code, 'RAYOS_TPM_SETUP_FAILED');
  assert.match(again.error.message, /never overwrites/);
  assert.deepEqual(await readFile(join(dir, TPM_STATE_FILE)), before);
});

test('checkTpmState: a missing directory is missing; no state file, an empty one or a truncated one is corrupt; nothing is created', async () => {
  const gone = join(scratch, 'never-made');
  assert.equal((await checkTpmState(gone)).status, 'missing');
  await assert.rejects(stat(gone), { code: 'ENOENT' });

  const empty = join(scratch, 'empty-dir');
  await mkdir(empty);
  assert.deepEqual(await checkTpmState(empty), { status: 'corrupt', reason: 'no-state-file', detail: `${empty} holds no ${TPM_STATE_FILE}` });

  const dir = join(scratch, 'truncated');
  const made = await createTpmState(dir);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  await truncate(join(dir, TPM_STATE_FILE), 0);
  const truncated = await checkTpmState(dir);
  assert.equal(truncated.status, 'corrupt');
  assert.equal(truncated.status === 'corrupt' && truncated.reason, 'empty');

  const file = join(scratch, 'a-file');
  await writeFile(file, 'x');
  assert.equal((await checkTpmState(file)).status, 'corrupt');
});

test('createTpmState refuses a directory that is not empty, and names the package when swtpm_setup is missing', async () => {
  const busy = join(scratch, 'busy');
  await mkdir(busy);
  await writeFile(join(busy, 'something'), 'x');
  const refused = await createTpmState(busy);
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, 'RAYOS_TPM_SETUP_FAILED');

  const noTools = await createTpmState(join(scratch, 'no-tools'), { searchPath: join(scratch, 'empty-bin') });
  assert.ok(!noTools.ok);
  assert.equal(noTools.error.code, 'RAYOS_TPM_TOOL_MISSING');
  assert.match(noTools.error.message, /sudo apt-get install swtpm swtpm-tools/);
  await assert.rejects(stat(join(scratch, 'no-tools')), { code: 'ENOENT' });
});

test('startSwtpm returns once its control socket accepts connections; stopSwtpm ends that process', async () => {
  const dir = join(scratch, 'running');
  const made = await createTpmState(dir);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  const options = paths(dir, 'running');
  started.push(options);
  const swtpm = await startSwtpm(options);
  assert.ok(swtpm.ok, swtpm.ok ? '' : swtpm.error.message);
  assert.equal(Number((await readFile(options.pidFile, 'utf8')).trim()), swtpm.value.pid);
  assert.ok(processIdentity(swtpm.value.pid) !== null);
  assert.equal((await stat(options.ctrlSocket)).mode & 0o777, 0o600);
  // A client that connects and hangs up (as the readiness check does) leaves it serving the next one, QEMU.
  assert.ok(await connects(options.ctrlSocket));
  assert.ok(await connects(options.ctrlSocket));

  assert.deepEqual(await stopSwtpm(options), { stopped: true });
  assert.equal(processIdentity(swtpm.value.pid), null);
  assert.deepEqual(await stopSwtpm(options), { stopped: false });
});

test('startSwtpm refuses a missing or corrupt state (never a blank TPM in its place) and a missing swtpm', async () => {
  const missing = await startSwtpm(paths(join(scratch, 'no-such-state'), 'missing'));
  assert.ok(!missing.ok);
  assert.equal(missing.error.code, 'RAYOS_TPM_STATE_MISSING');
  await assert.rejects(stat(join(scratch, 'no-such-state')), { code: 'ENOENT' });

  const dir = join(scratch, 'corrupt');
  await mkdir(dir);
  await writeFile(join(dir, TPM_STATE_FILE), '');
  const corrupt = await startSwtpm(paths(dir, 'corrupt'));
  assert.ok(!corrupt.ok);
  assert.equal(corrupt.error.code, 'RAYOS_TPM_STATE_CORRUPT');
  assert.match(corrupt.error.message, /Restore .* from a backup/);

  const noSwtpm = await startSwtpm({ ...paths(dir, 'no-swtpm'), searchPath: join(scratch, 'empty-bin') });
  assert.ok(!noSwtpm.ok);
  assert.equal(noSwtpm.error.code, 'RAYOS_TPM_TOOL_MISSING');
  assert.match(noSwtpm.error.message, /Debian package swtpm\b/);
});

test('probeSwtpmCapabilities finds TPM 2.0 in the installed swtpm, and reports a missing one', async () => {
  const caps = await probeSwtpmCapabilities({ deadlineMs: 10_000 });
  assert.equal(caps.tpm2, true, caps.problem);
  assert.match(caps.version ?? '', /^\d+\.\d+/);
  assert.deepEqual(await probeSwtpmCapabilities({ deadlineMs: 10_000, searchPath: join(scratch, 'empty-bin') }), { path: null, tpm2: false, version: null });
});
