// Tests the Linux subsystem end to end with real QEMU (TCG): hidden first boot, exec, guest clock, pause, snapshots, reattach after kill -9, QEMU death, bad input.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GuestClockSchema } from '../../src/contracts/guest-agent.js';
import { VmViewSchema } from '../../src/contracts/vm.js';
import { rawRequest } from '../support/raw-http.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, qemuPidsUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000; // a cold TCG boot on a busy 2-core machine

describe('the Linux subsystem', () => {
  const { dir, cleanup } = tempDataDir('rayos-vm-');
  let runtime: RuntimeProcess;
  const { cli, show, exec } = vmCli(dir);

  before(async () => {
    installGuestImage(dir);
    runtime = startRuntime(dir);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
  });
  after(async () => {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('first start creates the VM and boots it hidden; the guest answers exec', async () => {
    await runtime.waitFor('RAYOS_VM:CREATED:linux');
    await runtime.waitFor(/^RAYOS_VM:ACCEL:(kvm|tcg):/);
    await runtime.waitFor(/^RAYOS_VM:RUNNING:linux:\d+$/, 60_000);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
    const vm = await show();
    assert.equal(vm.state, 'running');
    assert.equal(vm.presentation, 'hidden');
    assert.equal(vm.bootCount, 1);
    assert.ok(vm.guest.ready);
    const uname = await cli(['vm', 'exec', 'linux', '--', 'uname', '-a']);
    assert.equal(uname.code, 0, uname.stderr);
    assert.match(uname.stdout, /^Linux /);
    const failing = await cli(['vm', 'exec', 'linux', '--', 'sh', '-c', 'echo oops >&2; exit 7']);
    assert.equal(failing.code, 7);
    assert.match(failing.stderr, /oops/);
  });

  test('GET /v1/vms/linux/clock: the guest clock against the host, from the best of a few pings', async () => {
    const unix = { socketPath: join(dir, 'rayos.sock') };
    const reply = await rawRequest(unix, 'GET', '/v1/vms/linux/clock');
    assert.equal(reply.status, 200, reply.text);
    const clock = GuestClockSchema.parse(reply.body);
    assert.ok(Number.isFinite(clock.offsetMs) && Number.isFinite(clock.guestRealtimeMs));
    assert.ok(clock.samples > 1);
    // The guest read its clock inside the best ping's round trip: the uncertainty is half of it, the offset taken at its middle.
    const roundTrip = clock.hostAfterMs - clock.hostBeforeMs;
    assert.ok(roundTrip >= 0);
    assert.equal(clock.uncertaintyMs, roundTrip / 2);
    assert.ok(Math.abs(clock.guestRealtimeMs - clock.offsetMs - (clock.hostBeforeMs + clock.hostAfterMs) / 2) < 0.01, 'float rounding only');
    const unknown = await rawRequest(unix, 'GET', '/v1/vms/nosuchvm/clock');
    assert.equal((unknown.body as { code: string }).code, 'RAYOS_VM_NOT_FOUND');
    const said = await cli(['vm', 'clock', 'linux']);
    assert.equal(said.code, 0, said.stderr);
    assert.match(said.stdout, /^linux guest clock is (ahead of|behind) the host by \d+\.\d ms \(± \d+\.\d\d ms, best of \d+ pings\)\.$/m);
  });

  test('bad input: unknown VM, bad name, illegal transitions — clear RAYOS_VM_* errors, nothing changes', async () => {
    const unknown = await cli(['vm', 'show', 'nosuchvm', '--json']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /RAYOS_VM_NOT_FOUND/);
    const bad = await cli(['vm', 'start', '../etc', '--json']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /RAYOS_VM_BAD_NAME/);
    const resetNo = await cli(['vm', 'reset', 'linux']);
    assert.notEqual(resetNo.code, 0);
    assert.match(resetNo.stderr, /RAYOS_VM_CONFIRM_REQUIRED/);
    const start = await cli(['vm', 'start', 'linux']);
    assert.match(start.stderr, /RAYOS_VM_ILLEGAL_TRANSITION/);
    assert.equal((await show()).state, 'running');
  });

  test('pause and resume; a named snapshot restores RAM and disk', async () => {
    assert.equal((await cli(['vm', 'pause', 'linux'])).code, 0);
    assert.equal((await show()).state, 'paused');
    const again = await cli(['vm', 'pause', 'linux']);
    assert.match(again.stderr, /RAYOS_VM_ILLEGAL_TRANSITION/);
    assert.equal((await cli(['vm', 'resume', 'linux'])).code, 0);
    assert.equal((await show()).state, 'running');

    await exec('sh', '-c', 'echo before > /data/snap.txt && sync');
    const saved = await cli(['vm', 'snapshot', 'linux', '--tag', 'base']);
    assert.equal(saved.code, 0, saved.stderr);
    await exec('sh', '-c', 'echo after > /data/snap.txt && sync');
    const restored = await cli(['vm', 'restore', 'linux', '--tag', 'base']);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal((await exec('cat', '/data/snap.txt')).stdout, 'before\n');
    const missing = await cli(['vm', 'restore', 'linux', '--tag', 'nosuch']);
    assert.match(missing.stderr, /RAYOS_VM_SNAPSHOT_NOT_FOUND/);
    const listed = await cli(['vm', 'snapshot', 'linux', '--json']);
    assert.ok((JSON.parse(listed.stdout) as { snapshots: { tag: string }[] }).snapshots.some((s) => s.tag === 'base'));
  });

  test('kill -9 of the runtime: the restarted runtime reattaches to the same QEMU, even with QMP socket 0 held by a stuck client', async () => {
    await exec('sh', '-c', 'echo kept > /data/kept.txt && sync');
    const before = await show();
    const [pid] = qemuPidsUnder(dir);
    assert.equal(before.pid, pid);
    runtime.child.kill('SIGKILL');
    await runtime.exited;
    // A stuck client on the first QMP socket: QEMU serves one client per socket, so RayOS must use the second.
    const stuck: Socket = connect(`${dir}/vm/${before.id}/qmp-0.sock`);
    await new Promise((resolve) => stuck.once('data', resolve));
    try {
      runtime = startRuntime(dir);
      await runtime.waitFor(`RAYOS_VM:REATTACHED:linux:${pid}`, 60_000);
      await runtime.waitFor('RAYOS_LINUX:GUEST_READY', 60_000);
      const after = await show();
      assert.equal(after.pid, pid);
      assert.equal(after.bootCount, before.bootCount);
      assert.equal(after.guest.bootId, before.guest.bootId);
      assert.ok((after.guest.uptimeMs ?? 0) > (before.guest.uptimeMs ?? 0));
      assert.deepEqual(qemuPidsUnder(dir), [pid]);
    } finally {
      stuck.destroy();
    }
  });

  test('QEMU killed behind RayOS: failed with the reason; start boots the same disk again', async () => {
    const before = await show();
    process.kill(before.pid!, 'SIGKILL');
    await runtime.waitFor('RAYOS_VM:FAILED:linux:qemu-exited', 30_000);
    const failed = await show();
    assert.equal(failed.state, 'failed');
    assert.match(failed.reason ?? '', /exited/);
    const pause = await cli(['vm', 'pause', 'linux']);
    assert.match(pause.stderr, /RAYOS_VM_ILLEGAL_TRANSITION/);
    const from = runtime.lines.length;
    const started = await cli(['vm', 'start', 'linux']);
    assert.equal(started.code, 0, started.stderr);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS, from);
    const after = await show();
    assert.notEqual(after.guest.bootId, before.guest.bootId);
    assert.equal(after.bootCount, before.bootCount + 1);
    // The file written before the crash and the restart is on the same disk.
    assert.equal((await exec('cat', '/data/kept.txt')).stdout, 'kept\n');
  });

  test('stop powers the guest off; a stopped VM cannot be paused', async () => {
    const stopped = await cli(['vm', 'stop', 'linux', '--json']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(VmViewSchema.parse(JSON.parse(stopped.stdout)).state, 'stopped');
    await runtime.waitFor(/^RAYOS_VM:STOPPING:linux:(guest|acpi|forced)$/);
    assert.ok(runtime.lines.includes('RAYOS_VM:STOPPING:linux:guest'), 'the agent was asked to power off');
    assert.deepEqual(qemuPidsUnder(dir), []);
    const pause = await cli(['vm', 'pause', 'linux']);
    assert.equal(pause.code, 1);
    assert.match(pause.stderr, /RAYOS_VM_ILLEGAL_TRANSITION/);
    const clock = await rawRequest({ socketPath: join(dir, 'rayos.sock') }, 'GET', '/v1/vms/linux/clock');
    assert.equal((clock.body as { code: string }).code, 'RAYOS_GUEST_AGENT_UNAVAILABLE');
  });
});
