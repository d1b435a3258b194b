// Tests the sd_notify sender: null without NOTIFY_SOCKET, the systemd-notify argv per message, the watchdog interval rules, one ping at a time, and failures returned (real systemd-notify, unreachable socket).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunCommandOptions, RunCommandResult } from '../process/run-command.js';
import { createSdNotifier, statusValue, watchdogIntervalFrom, type RunNotify } from './sd-notify.js';

const exited = (code: number | null, extra: Partial<RunCommandResult> = {}): RunCommandResult => ({
  code,
  signal: null,
  stdout: '',
  stderr: '',
  timedOut: false,
  stopped: false,
  truncated: false,
  durationMs: 1,
  ...extra,
});

function recorder(result: RunCommandResult = exited(0)): { run: RunNotify; calls: { argv: readonly string[]; options: RunCommandOptions }[] } {
  const calls: { argv: readonly string[]; options: RunCommandOptions }[] = [];
  return {
    calls,
    run: (argv, options) => {
      calls.push({ argv, options });
      return Promise.resolve(result);
    },
  };
}

test('without NOTIFY_SOCKET there is no notifier (nothing changes outside systemd)', () => {
  assert.equal(createSdNotifier({ env: {} }), null);
  assert.equal(createSdNotifier({ env: { NOTIFY_SOCKET: '' } }), null);
});

test('each message runs systemd-notify naming the main pid, with the environment and a deadline', async () => {
  const { run, calls } = recorder();
  const notifier = createSdNotifier({ env: { NOTIFY_SOCKET: '/run/systemd/notify', PATH: '/usr/bin' }, run, pid: 4242, deadlineMs: 1234 });
  assert.ok(notifier);
  assert.deepEqual(await notifier.ready('RayOS 1.0 ready\nin 5 ms'), { ok: true, value: 'sent' });
  assert.deepEqual(await notifier.stopping(), { ok: true, value: 'sent' });
  assert.deepEqual(await notifier.status('stopping: SIGTERM'), { ok: true, value: 'sent' });
  assert.deepEqual(await notifier.watchdogPing(), { ok: true, value: 'sent' });
  assert.deepEqual(
    calls.map((c) => c.argv),
    [
      ['systemd-notify', '--pid=4242', '--ready', '--status=RayOS 1.0 ready in 5 ms'],
      ['systemd-notify', '--pid=4242', 'STOPPING=1'],
      ['systemd-notify', '--pid=4242', '--status=stopping: SIGTERM'],
      ['systemd-notify', '--pid=4242', 'WATCHDOG=1'],
    ],
  );
  for (const { options } of calls) {
    assert.equal(options.deadlineMs, 1234);
    assert.equal(options.env?.['NOTIFY_SOCKET'], '/run/systemd/notify');
  }
});

test('the watchdog interval is half of WATCHDOG_USEC, only when WATCHDOG_PID is unset or ours', () => {
  assert.equal(watchdogIntervalFrom({ WATCHDOG_USEC: '2000000' }, 10), 1000);
  assert.equal(watchdogIntervalFrom({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '10' }, 10), 15_000);
  assert.equal(watchdogIntervalFrom({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '11' }, 10), null, 'meant for another process');
  assert.equal(watchdogIntervalFrom({}, 10), null);
  for (const bad of ['0', '-5', 'abc', '1e6', '']) assert.equal(watchdogIntervalFrom({ WATCHDOG_USEC: bad }, 10), null, bad);
  const notifier = createSdNotifier({ env: { NOTIFY_SOCKET: '@x', WATCHDOG_USEC: '2000000' }, pid: 10, run: recorder().run });
  assert.equal(notifier?.watchdogIntervalMs(), 1000);
  assert.equal(createSdNotifier({ env: { NOTIFY_SOCKET: '@x' }, run: recorder().run })?.watchdogIntervalMs(), null);
});

test('a ping is not started while the previous one still runs', async () => {
  let release: (() => void) | undefined;
  let started = 0;
  const run: RunNotify = () => {
    started++;
    return new Promise((resolve) => (release = () => resolve(exited(0))));
  };
  const notifier = createSdNotifier({ env: { NOTIFY_SOCKET: '@x' }, run });
  assert.ok(notifier);
  const first = notifier.watchdogPing();
  assert.deepEqual(await notifier.watchdogPing(), { ok: true, value: 'in-flight' });
  assert.equal(started, 1);
  release?.();
  assert.deepEqual(await first, { ok: true, value: 'sent' });
  const second = notifier.watchdogPing();
  assert.equal(started, 2, 'after the first finished, the next ping runs');
  release?.();
  await second;
});

test('failures are returned with what failed and why, never thrown', async () => {
  const timedOut = createSdNotifier({ env: { NOTIFY_SOCKET: '@x' }, run: recorder(exited(null, { timedOut: true, signal: 'SIGKILL' })).run, deadlineMs: 50 });
  const late = await timedOut?.watchdogPing();
  assert.equal(late?.ok, false);
  if (late?.ok === false) {
    assert.equal(late.error.code, 'RAYOS_SYSTEMD_NOTIFY_FAILED');
    assert.deepEqual(late.error.details, { what: 'watchdog' });
    assert.match(late.error.message, /within 50 ms/);
  }
  const missing = createSdNotifier({ env: { NOTIFY_SOCKET: '@x', PATH: '/nonexistent' }, program: '/nonexistent/systemd-notify' });
  const notInstalled = await missing?.ready();
  assert.equal(notInstalled?.ok, false);
  if (notInstalled?.ok === false) assert.match(notInstalled.error.message, /not installed/);
});

test('the real systemd-notify against a socket nobody listens on fails with its exit code and message', async () => {
  const notifier = createSdNotifier({ env: { ...process.env, NOTIFY_SOCKET: `/tmp/rayos-no-such-notify-${process.pid}.sock` } });
  const sent = await notifier?.ready('test');
  assert.equal(sent?.ok, false);
  if (sent?.ok === false) {
    assert.equal(sent.error.details?.['what'], 'ready');
    assert.match(sent.error.message, /exited with 1/);
  }
});

test('status text stays on one short line', () => {
  assert.equal(statusValue('a\nREADY=1\r\tb'), 'a READY=1 b');
  assert.equal(statusValue('x'.repeat(500)).length, 200);
});
