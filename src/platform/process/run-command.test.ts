// Tests runCommand and findExecutable against real programs on this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIdentity } from './process-liveness.js';
import { findExecutable, runCommand } from './run-command.js';

test('a successful command gives code 0 and its output', async () => {
  const result = await runCommand(['/bin/sh', '-c', 'echo out; echo err >&2'], { deadlineMs: 5000 });
  assert.equal(result.code, 0);
  assert.equal(result.signal, null);
  assert.equal(result.stdout, 'out\n');
  assert.equal(result.stderr, 'err\n');
  assert.equal(result.timedOut, false);
  assert.equal(result.error, undefined);
});

test('a nonzero exit is reported, not thrown', async () => {
  const result = await runCommand(['/bin/sh', '-c', 'exit 3'], { deadlineMs: 5000 });
  assert.equal(result.code, 3);
  assert.equal(result.timedOut, false);
  assert.equal(result.error, undefined);
});

test('a program that does not exist resolves with error not-found', async () => {
  const result = await runCommand(['/nonexistent/rayos-no-such-program'], { deadlineMs: 5000 });
  assert.equal(result.error, 'not-found');
  assert.equal(result.code, null);
  const bare = await runCommand(['rayos-no-such-program-anywhere'], { deadlineMs: 5000 });
  assert.equal(bare.error, 'not-found');
});

test('the deadline kills a sleep 30 quickly, along with what it started', async () => {
  const started = Date.now();
  // The shell starts sleep as a grandchild that shares our pipe: the whole group must die, or close would never come.
  const result = await runCommand(['/bin/sh', '-c', 'sleep 30 & echo $!; wait'], { deadlineMs: 300 });
  const elapsed = Date.now() - started;
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, 'SIGKILL');
  assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  const sleepPid = Number(result.stdout.trim());
  assert.ok(Number.isInteger(sleepPid) && sleepPid > 0, `sleep pid in ${JSON.stringify(result.stdout)}`);
  // SIGKILL is delivered at once but reaping by init may lag a moment.
  for (let i = 0; i < 50 && processIdentity(sleepPid) !== null; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(processIdentity(sleepPid), null, 'the grandchild sleep was killed with the group');
});

test('stopWhen ends a command as soon as the output says enough', async () => {
  const started = Date.now();
  const result = await runCommand(['/bin/sh', '-c', 'echo ready; sleep 30'], {
    deadlineMs: 10_000,
    stopWhen: (untrustedStdout) => untrustedStdout.includes('ready'),
  });
  assert.equal(result.stopped, true);
  assert.equal(result.timedOut, false);
  assert.ok(Date.now() - started < 2000);
});

test('output beyond the cap is dropped and flagged', async () => {
  const result = await runCommand(['/bin/sh', '-c', 'head -c 100000 /dev/zero'], { deadlineMs: 5000, maxOutputBytes: 1000 });
  assert.equal(result.stdout.length, 1000);
  assert.equal(result.truncated, true);
  assert.equal(result.code, 0);
});

test('findExecutable searches only the given path and skips non-executables', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rayos-find-exe-'));
  try {
    await writeFile(join(dir, 'plain'), 'not a program');
    await writeFile(join(dir, 'tool'), '#!/bin/sh\n');
    await chmod(join(dir, 'tool'), 0o755);
    assert.equal(await findExecutable('tool', dir), join(dir, 'tool'));
    assert.equal(await findExecutable('sh', dir), null);
    assert.equal(await findExecutable('sh', `${dir}:/bin`), '/bin/sh');
    assert.equal(await findExecutable(join(dir, 'tool'), ''), join(dir, 'tool'));
    // Only a file with execute permission counts; as root, access(X_OK) still needs an x bit somewhere.
    assert.equal(await findExecutable('plain', dir), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('stdinFile becomes the command standard input; without it the command reads nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rayos-stdin-'));
  try {
    const input = join(dir, 'in.txt');
    await writeFile(input, 'line one\nline two\n');
    const fed = await runCommand(['cat'], { deadlineMs: 10_000, stdinFile: input });
    assert.equal(fed.code, 0);
    assert.equal(fed.stdout, 'line one\nline two\n');
    const none = await runCommand(['cat'], { deadlineMs: 10_000 });
    assert.equal(none.stdout, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
