// Tests the runtime under a systemd-like notify socket (a python3 AF_UNIX datagram listener, the real systemd-notify): READY=1 only after the READY marker, WATCHDOG=1 keeps coming (extending the start timeout until READY), STOPPING=1 on stop; with diagnostics.fault=hang-after-ready READY comes and the pings stop.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test, type TestContext } from 'node:test';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';

/** Binds the socket, prints LISTENING, then one JSON string per datagram (fds passed with BARRIER=1 are dropped, which releases the barrier). */
const LISTENER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("LISTENING", flush=True)
while True:
    print(json.dumps(s.recv(65536).decode("utf-8", "replace")), flush=True)
`;

interface Datagram {
  readonly fields: ReadonlyMap<string, string>;
  /** What the runtime had printed when the datagram was handled (checked after both pipes were read). */
  readonly runtimeLinesThen: readonly string[];
}

interface Listener {
  readonly socketPath: string;
  readonly datagrams: Datagram[];
  /** Resolves with the first datagram (already received or future) that has the field, e.g. READY=1. */
  waitFor(field: string, value: string, timeoutMs?: number): Promise<Datagram>;
  count(field: string, value: string): number;
}

const WATCHDOG_ENV = { WATCHDOG_USEC: '2000000' };
const WATCHDOG_INTERVAL_MS = 1000;

async function startListener(t: TestContext, dir: string, runtimeLines: () => readonly string[]): Promise<Listener> {
  const socketPath = join(dir, 'notify.sock');
  const child: ChildProcess = spawn('python3', ['-c', LISTENER, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const datagrams: Datagram[] = [];
  const waiters: (() => void)[] = [];
  const listening = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the python3 listener exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'LISTENING') return resolve();
      // Checked on the next turn, so that runtime stdout already readable when the datagram came (written before it) has been read.
      setImmediate(() => {
        const fields = new Map((JSON.parse(line) as string).split('\n').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
        datagrams.push({ fields, runtimeLinesThen: [...runtimeLines()] });
        waiters.splice(0).forEach((wake) => wake());
      });
    });
  });
  await listening;
  const find = (field: string, value: string) => datagrams.find((d) => d.fields.get(field) === value);
  return {
    socketPath,
    datagrams,
    count: (field, value) => datagrams.filter((d) => d.fields.get(field) === value).length,
    async waitFor(field, value, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(field, value);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no ${field}=${value} datagram within ${timeoutMs} ms; got ${JSON.stringify(datagrams.map((d) => [...d.fields]))}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 200);
        });
      }
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function notifiedRuntime(t: TestContext, extraArgs: string[] = []): Promise<{ runtime: RuntimeProcess; listener: Listener }> {
  const { dir, cleanup } = tempDataDir('rayos-sdn-');
  t.after(cleanup);
  const started: { runtime?: RuntimeProcess } = {};
  const listener = await startListener(t, dir, () => started.runtime?.lines ?? []);
  const runtime = startRuntime(join(dir, 'data'), extraArgs, { NOTIFY_SOCKET: listener.socketPath, ...WATCHDOG_ENV });
  started.runtime = runtime;
  t.after(() => {
    if (runtime.child.exitCode === null && runtime.child.signalCode === null) runtime.child.kill('SIGKILL');
  });
  return { runtime, listener };
}

describe('the runtime under systemd notify', () => {
  test('READY=1 comes only after RAYOS_BOOT_MARKER:READY, names the runtime pid; WATCHDOG=1 keeps coming; STOPPING=1 on stop', async (t) => {
    const { runtime, listener } = await notifiedRuntime(t);
    const ready = await listener.waitFor('READY', '1');
    assert.ok(ready.runtimeLinesThen.includes('RAYOS_BOOT_MARKER:READY'), `READY=1 came before the READY marker; runtime said:\n${ready.runtimeLinesThen.join('\n')}`);
    assert.equal(ready.fields.get('MAINPID'), String(runtime.child.pid));
    assert.match(ready.fields.get('STATUS') ?? '', /^RayOS .* ready in \d+ ms$/);
    assert.equal(listener.count('READY', '1'), 1, 'READY=1 is sent once');
    await runtime.waitFor('RAYOS_SYSTEMD:READY_SENT');
    assert.ok(runtime.lines.includes(`RAYOS_SYSTEMD:WATCHDOG:${WATCHDOG_INTERVAL_MS}`), 'half of WATCHDOG_USEC, said once');

    const pingsAtReady = listener.count('WATCHDOG', '1');
    await sleep(4 * WATCHDOG_INTERVAL_MS);
    const pingsLater = listener.count('WATCHDOG', '1');
    assert.ok(pingsLater - pingsAtReady >= 3, `WATCHDOG=1 every second while running: ${pingsLater - pingsAtReady} in 4 s`);
    assert.ok(listener.datagrams.filter((d) => d.fields.get('WATCHDOG') === '1').every((d) => d.fields.get('MAINPID') === String(runtime.child.pid)));
    assert.ok(!runtime.lines.some((l) => l.startsWith('RAYOS_SYSTEMD:NOTIFY_FAILED')), runtime.lines.join('\n'));
    // Before READY the pings extend systemd's start timeout (three intervals); after READY they no longer do.
    const readyAt = listener.datagrams.indexOf(ready);
    const extensions = listener.datagrams.filter((d) => d.fields.has('EXTEND_TIMEOUT_USEC'));
    assert.ok(extensions.length >= 1, 'the first ping extends the start timeout');
    assert.ok(extensions.every((d) => d.fields.get('EXTEND_TIMEOUT_USEC') === String(3 * WATCHDOG_INTERVAL_MS * 1000)));
    // (A ping started just before READY may land just after it, so the pings of the 4 s after READY are what is checked.)
    const later = listener.datagrams.slice(readyAt + 2).filter((d) => d.fields.get('WATCHDOG') === '1');
    assert.ok(later.length >= 2 && later.every((d) => !d.fields.has('EXTEND_TIMEOUT_USEC')), 'no extension once READY=1 was sent');

    assert.equal(await stopRuntime(runtime), 0);
    const stopping = await listener.waitFor('STOPPING', '1');
    assert.ok(stopping.runtimeLinesThen.some((l) => l.startsWith('RAYOS_RUNTIME:STOPPING:')));
  });

  test('diagnostics.fault=hang-after-ready: READY=1 arrives, then the event loop blocks and the watchdog pings stop', async (t) => {
    const { runtime, listener } = await notifiedRuntime(t, ['--set', 'diagnostics.fault=hang-after-ready']);
    await listener.waitFor('READY', '1');
    await runtime.waitFor('RAYOS_DIAGNOSTICS:FAULT:hang-after-ready');
    assert.ok(runtime.lines.indexOf('RAYOS_SYSTEMD:READY_SENT') < runtime.lines.indexOf('RAYOS_DIAGNOSTICS:FAULT:hang-after-ready'), 'the hang comes after READY=1 was sent');
    // A ping already running when the loop blocked may still land; none may start after.
    await sleep(WATCHDOG_INTERVAL_MS / 2);
    const pingsAfterHang = listener.count('WATCHDOG', '1');
    await sleep(3 * WATCHDOG_INTERVAL_MS);
    assert.equal(listener.count('WATCHDOG', '1'), pingsAfterHang, 'no WATCHDOG=1 from a blocked event loop (systemd would kill it at WatchdogSec)');
    assert.equal(runtime.child.exitCode, null, 'the runtime is still there, wedged');
  });

  test('diagnostics.fault=hang-at-start: no READY=1 ever, no service starts', async (t) => {
    const { runtime, listener } = await notifiedRuntime(t, ['--set', 'diagnostics.fault=hang-at-start']);
    await runtime.waitFor('RAYOS_DIAGNOSTICS:FAULT:hang-at-start');
    await sleep(3 * WATCHDOG_INTERVAL_MS);
    assert.equal(listener.count('READY', '1'), 0);
    assert.ok(listener.count('WATCHDOG', '1') <= 1, 'at most the ping started before the hang');
    assert.ok(!runtime.lines.some((l) => l.startsWith('RAYOS_SERVICE:') || l === 'RAYOS_BOOT_MARKER:READY'), runtime.lines.join('\n'));
  });

  test('without NOTIFY_SOCKET nothing is sent and no RAYOS_SYSTEMD marker appears', async (t) => {
    const { dir, cleanup } = tempDataDir('rayos-sdn-');
    t.after(cleanup);
    const runtime = startRuntime(dir, [], { NOTIFY_SOCKET: '', ...WATCHDOG_ENV });
    t.after(() => stopRuntime(runtime));
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY');
    assert.ok(!runtime.lines.some((l) => l.startsWith('RAYOS_SYSTEMD:')), runtime.lines.join('\n'));
  });
});
