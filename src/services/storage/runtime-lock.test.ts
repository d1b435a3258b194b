// Tests the data-dir lock: exclusive while the holder lives, taken over from a dead holder, released only by its owner.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { processIdentity } from '../../platform/process/process-liveness.js';
import { acquireRuntimeLock } from './runtime-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a live holder keeps the lock; the refusal names its pid', async () => {
  const lockFile = join(dir, 'live.lock');
  const holder = spawn('sleep', ['30']);
  try {
    await new Promise((r) => holder.once('spawn', r));
    const identity = processIdentity(holder.pid!);
    assert.ok(identity);
    writeFileSync(lockFile, JSON.stringify({ ...identity, since: new Date().toISOString() }));
    const attempt = acquireRuntimeLock(lockFile);
    assert.ok(!attempt.ok);
    assert.equal(attempt.error.code, 'RAYOS_RUNTIME_LOCKED');
    assert.match(attempt.error.message, new RegExp(`pid ${holder.pid}`));
  } finally {
    holder.kill('SIGKILL');
  }
});

test('a lock of a dead process (or a reused pid) is taken over and reported', async () => {
  const lockFile = join(dir, 'dead.lock');
  const gone = spawn('true');
  await new Promise((r) => gone.once('exit', r));
  writeFileSync(lockFile, JSON.stringify({ pid: gone.pid, startTicks: 1, since: new Date().toISOString() }));
  const taken = acquireRuntimeLock(lockFile);
  assert.ok(taken.ok);
  assert.equal(taken.value.staleHolderPid, gone.pid);
  assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).pid, process.pid);
  // Our own pid with a different start time is a reused pid, not us: also stale.
  taken.value.release();
  writeFileSync(lockFile, JSON.stringify({ pid: process.pid, startTicks: -5, since: 'x' }));
  const reused = acquireRuntimeLock(lockFile);
  assert.ok(reused.ok);
  reused.value.release();
});

test('the holder releases; a second acquire in the same process is refused while held; garbage lock files are stale', () => {
  const lockFile = join(dir, 'own.lock');
  const first = acquireRuntimeLock(lockFile);
  assert.ok(first.ok);
  assert.equal(first.value.staleHolderPid, null);
  const second = acquireRuntimeLock(lockFile);
  assert.ok(!second.ok);
  first.value.release();
  assert.equal(existsSync(lockFile), false);
  first.value.release();
  writeFileSync(lockFile, 'not json');
  const third = acquireRuntimeLock(lockFile);
  assert.ok(third.ok);
  third.value.release();
});
