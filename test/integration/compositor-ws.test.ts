// Tests the compositor's WebSocket endpoints with a real guest: the VNC frames relay (only while presented) and the input channel with one focus holder.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VNC_CLOSE, vncPath, type InputServerMessage } from '../../src/contracts/compositor-wire.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, vmCli } from '../support/vm-support.js';
import { connectWs, inputClient, keyMessages, unixUrl, type InputClient } from '../support/ws-client.js';

const BOOT_MS = 240_000;
const RFB_GREETING = 'RFB 003.008\n';

describe('the compositor WebSocket endpoints', () => {
  const { dir, cleanup } = tempDataDir('rayos-compws-');
  let runtime: RuntimeProcess;
  const { cli, exec } = vmCli(dir);
  const socketPath = join(dir, 'rayos.sock');
  const clients: { ws: { terminate(): void } }[] = [];
  const vnc = (vm = 'linux') => {
    const c = connectWs(unixUrl(socketPath, vncPath(vm)));
    clients.push(c);
    return c;
  };
  const input = (): InputClient => {
    const c = inputClient(unixUrl(socketPath, '/v1/input'));
    clients.push(c);
    return c;
  };
  const is = (type: InputServerMessage['type']) => (m: InputServerMessage) => m.type === type;
  const show = async () => assert.equal((await cli(['show', 'linux', 'desktop'])).code, 0);
  const hide = async () => assert.equal((await cli(['hide', 'linux'])).code, 0);

  async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    installGuestImage(dir);
    runtime = startRuntime(dir);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
    await runtime.waitFor(/^RAYOS_PRESENTATION:SURFACE_CREATE:linux:/, 30_000);
  });
  after(async () => {
    for (const c of clients) c.ws.terminate();
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('frames are refused while the surface is hidden, and for a surface that does not exist', async () => {
    const refused = await vnc().closed;
    assert.equal(refused.code, VNC_CLOSE.hidden);
    assert.match(refused.reason, /^RAYOS_DISPLAY_NOT_PRESENTED: linux is hidden/);
    const missing = await vnc('nosuch').closed;
    assert.equal(missing.code, VNC_CLOSE.notFound);
    assert.match(missing.reason, /^RAYOS_(VM|DISPLAY)_\w*NOT_FOUND/);
    assert.ok(!runtime.lines.some((l) => l.startsWith('RAYOS_PRESENTATION:FIRST_FRAME')));
  });

  test('presented, the relay passes the RFB greeting to every viewer and leaves FIRST_FRAME once; hiding closes the streams with why', async () => {
    await show();
    const first = vnc();
    const greeting = await first.next((m) => Buffer.isBuffer(m));
    assert.equal(greeting.toString('latin1'), RFB_GREETING);
    assert.equal(await runtime.waitFor(/^RAYOS_PRESENTATION:FIRST_FRAME:/), 'RAYOS_PRESENTATION:FIRST_FRAME:linux');
    // Byte for byte both ways: our version answer gets QEMU's security types back (count, then types).
    first.ws.send(Buffer.from(RFB_GREETING, 'latin1'));
    const security = (await first.next((m) => Buffer.isBuffer(m), 20_000, 1)) as Buffer;
    assert.ok(security.length >= 2 && security[0]! >= 1, `security types: ${security.toString('hex')}`);
    const second = vnc();
    assert.equal((await second.next((m) => Buffer.isBuffer(m))).toString('latin1'), RFB_GREETING);
    assert.equal(runtime.lines.filter((l) => l.startsWith('RAYOS_PRESENTATION:FIRST_FRAME')).length, 1);

    await hide();
    for (const viewer of [first, second]) {
      const closed = await viewer.closed;
      assert.equal(closed.code, VNC_CLOSE.hidden);
      assert.match(closed.reason, /^RAYOS_DISPLAY_NOT_PRESENTED: linux was hidden/);
    }
  });

  test('over TCP, frames and input need the token (header or ?token=)', async () => {
    const info = JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')) as { url: string };
    const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    const base = info.url.replace(/^http/, 'ws');
    assert.equal((await connectWs(`${base}/v1/input`).closed).code, -401);
    assert.equal((await connectWs(`${base}${vncPath('linux')}`).closed).code, -401);
    assert.equal((await connectWs(`${base}/v1/input?token=${'0'.repeat(64)}`).closed).code, -401);
    const byQuery = inputClient(`${base}/v1/input?token=${token}`);
    clients.push(byQuery);
    assert.equal((await byQuery.reply(is('hello'))).type, 'hello');
    const byHeader = inputClient(`${base}/v1/input`, { authorization: `Bearer ${token}` });
    clients.push(byHeader);
    assert.equal((await byHeader.reply(is('hello'))).type, 'hello');
    byQuery.ws.close();
    byHeader.ws.close();
  });

  test('the focus holder types a command that runs in the guest; a second claim takes focus and the first one is dropped', async () => {
    await show();
    await eventually('the tty1 shell prompt', async () => /\/data # /.test((await exec('cat', '/dev/vcs1')).stdout));
    const a = input();
    await a.reply(is('hello'));
    // Before claiming, nothing is routed.
    a.send({ type: 'key', id: 'early', surface: 'linux', code: 'KeyX', down: true });
    assert.deepEqual(await a.reply((m) => m.type === 'dropped'), { type: 'dropped', id: 'early', reason: 'not-focus-holder' });
    a.send({ type: 'claim', id: 1 });
    assert.deepEqual(await a.reply(is('claimed')), { type: 'claimed', id: 1 });
    for (const message of keyMessages('linux', 'echo ws-ok > /data/ws\n')) a.send(message);
    a.send({ type: 'key', id: 'last', surface: 'linux', code: 'ShiftLeft', down: false });
    assert.deepEqual(await a.reply(is('delivered')), { type: 'delivered', id: 'last' });
    await eventually('/data/ws holds ws-ok', async () => (await exec('cat', '/data/ws')).stdout === 'ws-ok\n');

    const b = input();
    await b.reply(is('hello'));
    const mark = a.received.length;
    b.send({ type: 'claim' });
    assert.deepEqual(await b.reply(is('claimed')), { type: 'claimed' });
    assert.deepEqual(await a.reply(is('focus-lost'), mark), { type: 'focus-lost' });
    const before = (await exec('cat', '/dev/vcs1')).stdout;
    a.send({ type: 'key', id: 'stale', surface: 'linux', code: 'KeyZ', down: true });
    a.send({ type: 'key', id: 'stale-up', surface: 'linux', code: 'KeyZ', down: false });
    assert.deepEqual(await a.reply((m) => m.type === 'dropped' && m.id === 'stale-up', mark), { type: 'dropped', id: 'stale-up', reason: 'not-focus-holder' });
    assert.equal((await exec('cat', '/dev/vcs1')).stdout, before);
    b.send({ type: 'pointer', id: 'p', surface: 'linux', x: 10, y: 10, buttons: 0 });
    assert.deepEqual(await b.reply(is('delivered')), { type: 'delivered', id: 'p' });
    a.ws.close();
  });

  test('a key still held when its connection closes is let go: it does not stick in the guest, and the next command types cleanly', async () => {
    const c = input();
    await c.reply(is('hello'));
    c.send({ type: 'claim' });
    await c.reply(is('claimed'));
    c.send({ type: 'key', id: 'q', surface: 'linux', code: 'KeyQ', down: true });
    assert.deepEqual(await c.reply(is('delivered')), { type: 'delivered', id: 'q' });
    c.ws.close();
    const d = input();
    await d.reply(is('hello'));
    d.send({ type: 'claim' });
    await d.reply(is('claimed'));
    // Ctrl+U clears the line (the one q typed); a stuck Q would keep repeating into it and swallow the next press.
    const clear = [['ControlLeft', true], ['KeyU', true], ['KeyU', false], ['ControlLeft', false]] as const;
    for (const [code, down] of clear) d.send({ type: 'key', surface: 'linux', code, down });
    for (const message of keyMessages('linux', 'echo q > /data/q\n')) d.send(message);
    d.send({ type: 'key', id: 'end', surface: 'linux', code: 'ShiftLeft', down: false });
    await d.reply((m) => m.type === 'delivered' && m.id === 'end');
    await eventually('/data/q holds q', async () => (await exec('cat', '/data/q')).stdout === 'q\n');
    d.ws.close();
  });

  test('malformed, oversized, unknown-key and out-of-range messages get error replies and the connection stays open', async () => {
    const c = input();
    await c.reply(is('hello'));
    c.send({ type: 'claim' });
    await c.reply(is('claimed'));
    const errorAfter = async (send: () => void) => {
      const from = c.received.length;
      send();
      return c.reply((m) => m.type === 'error' || m.type === 'delivered', from);
    };
    const notJson = await errorAfter(() => c.send('{type: key'));
    assert.equal(notJson.type === 'error' && notJson.code, 'RAYOS_API_BAD_REQUEST');
    const unknownType = await errorAfter(() => c.send(JSON.stringify({ type: 'scroll', id: 9, dy: 3 })));
    assert.deepEqual(unknownType.type === 'error' && [unknownType.code, unknownType.id], ['RAYOS_API_BAD_REQUEST', 9]);
    const oversized = await errorAfter(() => c.send(JSON.stringify({ type: 'claim', pad: 'x'.repeat(5000) })));
    assert.equal(oversized.type === 'error' && oversized.code, 'RAYOS_API_BODY_TOO_LARGE');
    const binary = await errorAfter(() => c.ws.send(Buffer.from([1, 2, 3])));
    assert.equal(binary.type === 'error' && binary.code, 'RAYOS_API_BAD_REQUEST');
    const unknownKey = await errorAfter(() => c.send({ type: 'key', id: 'k', surface: 'linux', code: 'NoSuchKey', down: true }));
    assert.deepEqual(unknownKey.type === 'error' && [unknownKey.code, unknownKey.id], ['RAYOS_INPUT_UNKNOWN_KEY', 'k']);
    assert.match(unknownKey.type === 'error' ? unknownKey.message : '', /NoSuchKey/);
    const noSurface = await errorAfter(() => c.send({ type: 'key', surface: 'nosuch', code: 'KeyA', down: true }));
    assert.equal(noSurface.type === 'error' && noSurface.code, 'RAYOS_DISPLAY_SURFACE_NOT_FOUND');
    // Outside the surface is clamped by the broker; beyond ±65536 the message is malformed.
    const clamped = await errorAfter(() => c.send({ type: 'pointer', id: 'far', surface: 'linux', x: 5000, y: -4, buttons: 0 }));
    assert.deepEqual(clamped, { type: 'delivered', id: 'far' });
    const absurd = await errorAfter(() => c.send(JSON.stringify({ type: 'pointer', surface: 'linux', x: 1e9, y: 0, buttons: 0 })));
    assert.equal(absurd.type === 'error' && absurd.code, 'RAYOS_API_BAD_REQUEST');

    // A flood (two windows at most, so one holds over 400): one rate-limit error per window; the connection stays open.
    const from = c.received.length;
    for (let i = 0; i < 850; i++) c.send({ type: 'release' });
    const limited = await c.reply((m) => m.type === 'error', from);
    assert.equal(limited.type === 'error' && limited.code, 'RAYOS_API_RATE_LIMITED');
    await new Promise((r) => setTimeout(r, 1100));
    const after = c.received.length;
    c.send({ type: 'claim', id: 'still-open' });
    assert.deepEqual(await c.reply(is('claimed'), after), { type: 'claimed', id: 'still-open' });
    c.ws.close();
  });

  test('input for a hidden surface is dropped by the broker with RAYOS_INPUT:DROPPED', async () => {
    const c = input();
    await c.reply(is('hello'));
    c.send({ type: 'claim' });
    await c.reply(is('claimed'));
    await hide();
    const mark = runtime.lines.length;
    c.send({ type: 'key', id: 'h', surface: 'linux', code: 'KeyQ', down: true });
    assert.deepEqual(await c.reply(is('dropped')), { type: 'dropped', id: 'h', reason: 'hidden' });
    await runtime.waitFor('RAYOS_INPUT:DROPPED:linux:hidden', 10_000, mark);
    c.ws.close();
  });

  test('when the VM stops, the frames stream closes saying so', async () => {
    await show();
    const viewer = vnc();
    await viewer.next((m) => Buffer.isBuffer(m));
    assert.equal((await cli(['vm', 'stop', 'linux', '--force'])).code, 0);
    const closed = await viewer.closed;
    assert.equal(closed.code, VNC_CLOSE.unavailable);
    assert.match(closed.reason, /^RAYOS_DISPLAY_SURFACE_UNAVAILABLE: linux stopped/);
    const refused = await vnc().closed;
    assert.equal(refused.code, VNC_CLOSE.unavailable);
  });
});
