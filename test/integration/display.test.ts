// Tests the compositor and input broker end to end with a real guest: surfaces, present/hide without touching QEMU, drops, screenshots, bad input.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SurfaceInputResponseSchema, SurfaceListSchema, SurfaceViewSchema } from '../../src/contracts/display.js';
import { rawRequest } from '../support/raw-http.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, qemuPidsUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000;

describe('the compositor and the input broker', () => {
  const { dir, cleanup } = tempDataDir('rayos-display-');
  let runtime: RuntimeProcess;
  const { cli, show, exec } = vmCli(dir);
  const socket = { socketPath: join(dir, 'rayos.sock') };
  const input = (body: unknown) => rawRequest(socket, 'POST', '/v1/surfaces/linux/input', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const surfaces = async () => {
    const listed = await cli(['surface', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    return SurfaceListSchema.parse(JSON.parse(listed.stdout));
  };

  before(async () => {
    installGuestImage(dir);
    runtime = startRuntime(dir);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
  });
  after(async () => {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('the running VM has one hidden surface sized from its display mode', async () => {
    const created = await runtime.waitFor(/^RAYOS_PRESENTATION:SURFACE_CREATE:linux:\d+x\d+$/);
    const list = await surfaces();
    assert.equal(list.surfaces.length, 1);
    const surface = list.surfaces[0]!;
    assert.deepEqual([surface.vm, surface.available, surface.presented, surface.focused], ['linux', true, false, false]);
    assert.equal(created, `RAYOS_PRESENTATION:SURFACE_CREATE:linux:${surface.frameWidth}x${surface.frameHeight}`);
    assert.equal((await show()).presentation, 'hidden');
  });

  test('show → hide → show keeps the same QEMU process and guest boot', async () => {
    const before = await show();
    assert.ok(before.pid !== null && before.guest.bootId !== null);
    const shown = await cli(['show', 'linux', 'desktop', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const view = SurfaceViewSchema.parse(JSON.parse(shown.stdout));
    assert.ok(view.presented && view.focused);
    await runtime.waitFor('RAYOS_PRESENTATION:PRESENTED:linux');
    assert.equal((await show()).presentation, 'presented');

    const hidden = await cli(['hide', 'linux', '--json']);
    assert.equal(hidden.code, 0, hidden.stderr);
    assert.equal(SurfaceViewSchema.parse(JSON.parse(hidden.stdout)).presented, false);
    await runtime.waitFor('RAYOS_PRESENTATION:HIDDEN:linux');
    assert.equal((await show()).presentation, 'hidden');

    assert.equal((await cli(['show', 'linux', 'desktop'])).code, 0);
    const afterwards = await show();
    assert.equal(afterwards.pid, before.pid);
    assert.equal(afterwards.guest.bootId, before.guest.bootId);
    assert.equal(afterwards.state, 'running');
    assert.deepEqual(qemuPidsUnder(dir), [before.pid]);
    assert.equal((await exec('true')).exitCode, 0);
  });

  test('input to a hidden surface is dropped with a marker; to the presented, focused one it is delivered', async () => {
    assert.equal((await cli(['hide', 'linux'])).code, 0);
    const dropped = await input({ events: [{ type: 'key', code: 'KeyA', down: true }, { type: 'click', x: 10, y: 10 }] });
    assert.equal(dropped.status, 200, dropped.text);
    const d = SurfaceInputResponseSchema.parse(dropped.body);
    assert.deepEqual([d.delivered, d.dropped], [0, 2]);
    assert.deepEqual(d.outcomes.map((o) => o.dropped), ['hidden', 'hidden']);
    await runtime.waitFor('RAYOS_INPUT:DROPPED:linux:hidden');

    assert.equal((await cli(['show', 'linux', 'desktop'])).code, 0);
    const sent = await input({
      events: [
        { type: 'key', code: 'ShiftLeft', down: true },
        { type: 'key', code: 'ShiftLeft', down: false },
        { type: 'text', text: 'echo Hi\n' },
        { type: 'keys', keys: ['ctrl', 'l'] },
        { type: 'pointer', x: 100, y: 50, buttons: 1 },
        { type: 'pointer', x: 5000, y: -4, buttons: 0 },
        { type: 'click', x: 20, y: 20, button: 'right' },
      ],
    });
    assert.equal(sent.status, 200, sent.text);
    const s = SurfaceInputResponseSchema.parse(sent.body);
    assert.deepEqual([s.delivered, s.dropped], [7, 0]);
  });

  /** Waits until `check` holds in the guest (polled through the agent): typing reaches the guest asynchronously. */
  async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const screenText = async (): Promise<string> => (await exec('cat', '/dev/vcs1')).stdout;

  test('typed into the presented desktop, a command runs in the guest; hidden, typing reaches nothing; shown again, the console has its history', async () => {
    const pid = (await show()).pid;
    assert.equal((await cli(['show', 'linux', 'desktop'])).code, 0);
    await eventually('the tty1 shell prompt', async () => /\/data # /.test(await screenText()));
    const typed = await input({ events: [{ type: 'text', text: 'echo rayos-ok > /data/typed\n' }] });
    assert.equal(typed.status, 200, typed.text);
    assert.equal(SurfaceInputResponseSchema.parse(typed.body).dropped, 0);
    await eventually('/data/typed holds rayos-ok', async () => (await exec('cat', '/data/typed')).stdout === 'rayos-ok\n');

    assert.equal((await cli(['hide', 'linux'])).code, 0);
    const before = await screenText();
    const blocked = await input({ events: [{ type: 'text', text: 'echo hidden > /data/hidden\n' }] });
    assert.equal(SurfaceInputResponseSchema.parse(blocked.body).delivered, 0);
    // Nothing reached the guest: no file, and not one character more on its console.
    assert.notEqual((await exec('test', '-e', '/data/hidden')).exitCode, 0);
    assert.equal(await screenText(), before);

    assert.equal((await cli(['show', 'linux', 'desktop'])).code, 0);
    assert.equal((await show()).pid, pid);
    assert.match(await screenText(), /echo rayos-ok > \/data\/typed/);
  });

  test('rayos screenshot writes a valid PNG of the display mode', async () => {
    const out = join(dir, 'out.png');
    const shot = await cli(['screenshot', 'linux', out]);
    assert.equal(shot.code, 0, shot.stderr);
    const png = readFileSync(out);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    const surface = (await surfaces()).surfaces[0]!;
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [surface.frameWidth, surface.frameHeight]);
    // No screendump files are left in the VM folder.
    const vmDir = join(dir, 'vm', (await show()).id);
    assert.deepEqual(readdirSync(vmDir).filter((f) => f.startsWith('screendump-')), []);
    const missing = await cli(['screenshot', 'nosuch', join(dir, 'x.png')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /RAYOS_VM_NOT_FOUND/);
  });

  test('malformed input, unknown keys and unknown surfaces are clear errors; nothing is sent and the runtime stays up', async () => {
    const malformed = await input({ events: 'type a' });
    assert.equal(malformed.status, 400);
    assert.equal((malformed.body as { code: string }).code, 'RAYOS_API_BAD_REQUEST');
    const unknownType = await input({ events: [{ type: 'scroll', dy: 3 }] });
    assert.equal(unknownType.status, 400);
    const tooMany = await input({ events: Array.from({ length: 300 }, () => ({ type: 'key', code: 'KeyA', down: true })) });
    assert.equal(tooMany.status, 400);
    const tooLarge = await input({ events: [{ type: 'text', text: 'a'.repeat(4000) }], pad: 'x'.repeat(100_000) });
    assert.equal(tooLarge.status, 413);

    const unknownKey = await input({ events: [{ type: 'key', code: 'KeyA', down: true }, { type: 'key', code: 'NoSuchKey', down: true }] });
    assert.equal(unknownKey.status, 400);
    assert.equal((unknownKey.body as { code: string }).code, 'RAYOS_INPUT_UNKNOWN_KEY');
    assert.match((unknownKey.body as { message: string }).message, /NoSuchKey/);
    const badChar = await input({ events: [{ type: 'text', text: 'café' }] });
    assert.equal((badChar.body as { code: string }).code, 'RAYOS_INPUT_UNKNOWN_KEY');
    const badName = await input({ events: [{ type: 'keys', keys: ['ctrl', 'hyper'] }] });
    assert.equal((badName.body as { code: string }).code, 'RAYOS_INPUT_UNKNOWN_KEY');

    const nosuch = await rawRequest(socket, 'POST', '/v1/surfaces/nosuch/present', { headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(nosuch.status, 404);
    assert.equal((nosuch.body as { code: string }).code, 'RAYOS_DISPLAY_SURFACE_NOT_FOUND');
    const badLayout = await rawRequest(socket, 'POST', '/v1/surfaces/linux/present', { headers: { 'content-type': 'application/json' }, body: '{"layout":"tiled"}' });
    assert.equal(badLayout.status, 400);
    const usage = await cli(['show', 'linux', 'terminal']);
    assert.notEqual(usage.code, 0);
    assert.match(usage.stderr, /RAYOS_CLI_USAGE/);

    const status = await cli(['status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const vm = await show();
    assert.equal(vm.state, 'running');
    assert.equal(vm.presentation, 'presented');
  });

  test('a runtime restart keeps the window arrangement; the surface comes back hidden on the same QEMU', async () => {
    const moved = await cli(['surface', 'move', 'linux', '--x', '140', '--y', '90', '--width', '800', '--height', '500']);
    assert.equal(moved.code, 0, moved.stderr);
    const before = await show();
    await stopRuntime(runtime);
    runtime = startRuntime(dir);
    await runtime.waitFor(`RAYOS_VM:REATTACHED:linux:${before.pid}`, 60_000);
    await runtime.waitFor(/^RAYOS_PRESENTATION:SURFACE_CREATE:linux:/, 60_000);
    const list = await surfaces();
    const linux = list.surfaces.find((s) => s.vm === 'linux');
    assert.deepEqual(linux && [linux.x, linux.y, linux.width, linux.height, linux.presented], [140, 90, 800, 500, false]);
    assert.equal(list.layout, 'floating');
    assert.equal((await show()).pid, before.pid);
  });
});
