// Tests persistence across runtime restarts with real QEMU (TCG): the suspend profile resumes the same guest; /data survives; reset makes a fresh one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HelloResultSchema } from '../../src/contracts/guest-agent.js';
import { VmViewSchema } from '../../src/contracts/vm.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, qemuPidsUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000;
const SUSPEND = ['--set', 'vm.linux.stopProfile=suspend'];

describe('a Linux subsystem with the suspend profile', () => {
  const { dir, cleanup } = tempDataDir('rayos-vms-');
  let runtime: RuntimeProcess | null = null;
  const { cli, show, exec } = vmCli(dir);

  before(async () => {
    installGuestImage(dir);
    runtime = startRuntime(dir, SUSPEND);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
  });
  after(async () => {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('graceful runtime stop suspends into the disk; the next start resumes the same boot with its RAM', async () => {
    await exec('sh', '-c', 'echo persisted > /data/note.txt && sync');
    // A guest clock an hour slow: only RayOS setting it after the resume puts it right.
    await exec('date', '-u', '-s', `@${Math.floor(Date.now() / 1000) - 3600}`);
    const before = await show();
    const servedBefore = before.guest.served ?? 0;
    assert.ok(servedBefore > 0);
    assert.equal(await stopRuntime(runtime!), 0);
    assert.ok(runtime!.lines.some((l) => /^RAYOS_VM:SUSPENDED:linux:rayos-suspend-\d+$/.test(l)), runtime!.lines.join('\n'));
    assert.deepEqual(qemuPidsUnder(dir), [], 'QEMU exits after the save');

    runtime = startRuntime(dir, SUSPEND);
    await runtime.waitFor(/^RAYOS_VM:RESUMING:linux:rayos-suspend-\d+$/, 60_000);
    await runtime.waitFor('RAYOS_VM:RESUMED:linux', 60_000);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', 60_000);
    const after = await show();
    assert.equal(after.guest.bootId, before.guest.bootId, 'same guest boot');
    assert.ok((after.guest.served ?? 0) > servedBefore, `the agent's in-RAM counter continues (${servedBefore} → ${after.guest.served})`);
    assert.equal(after.bootCount, before.bootCount, 'not a cold boot');
    assert.equal(after.savedStateTag, null, 'the saved state is spent once resumed');
    assert.equal((await exec('cat', '/data/note.txt')).stdout, 'persisted\n');
    await runtime.waitFor('RAYOS_VM:CLOCK_SET:linux', 60_000);
    const guestSeconds = Number((await exec('date', '+%s')).stdout);
    // Seconds apart at most (the exec's own round trip), not the hour it was set back by.
    assert.ok(Math.abs(guestSeconds - Date.now() / 1000) < 60, `guest clock ${guestSeconds}, host ${Date.now() / 1000}`);
  });

  test('a file in /data survives a cold reboot of the VM and a runtime restart', async () => {
    await exec('sh', '-c', 'echo durable > /data/durable.txt && sync');
    const stopped = await cli(['vm', 'stop', 'linux']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(await stopRuntime(runtime!), 0);
    runtime = startRuntime(dir, SUSPEND);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    assert.equal((await show()).state, 'stopped', 'a VM stopped on purpose stays stopped across a runtime restart');
    const from = runtime.lines.length;
    assert.equal((await cli(['vm', 'start', 'linux'])).code, 0);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS, from);
    assert.equal((await exec('cat', '/data/durable.txt')).stdout, 'durable\n');
  });

  test('vm suspend: saved and stays saved across a runtime restart; vm start resumes the same boot', async () => {
    const before = await show();
    const suspended = await cli(['vm', 'suspend', 'linux', '--json']);
    assert.equal(suspended.code, 0, suspended.stderr);
    const view = VmViewSchema.parse(JSON.parse(suspended.stdout));
    assert.equal(view.state, 'suspended');
    assert.match(view.savedStateTag ?? '', /^rayos-suspend-\d+$/);
    assert.deepEqual(qemuPidsUnder(dir), []);
    const pause = await cli(['vm', 'pause', 'linux']);
    assert.match(pause.stderr, /RAYOS_VM_ILLEGAL_TRANSITION/);

    assert.equal(await stopRuntime(runtime!), 0);
    runtime = startRuntime(dir, SUSPEND);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    assert.equal((await show()).state, 'suspended', 'a VM suspended on purpose is not resumed behind the person’s back');
    assert.deepEqual(qemuPidsUnder(dir), []);

    const from = runtime.lines.length;
    assert.equal((await cli(['vm', 'start', 'linux'])).code, 0);
    await runtime.waitFor('RAYOS_VM:RESUMED:linux', 60_000, from);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', 60_000, from);
    const after = await show();
    assert.equal(after.guest.bootId, before.guest.bootId);
    assert.equal(after.bootCount, before.bootCount);
  });

  test('reset --yes gives a fresh disk, and only then', async () => {
    const before = await show();
    const reset = await cli(['vm', 'reset', 'linux', '--yes', '--json']);
    assert.equal(reset.code, 0, reset.stderr);
    await runtime!.waitFor('RAYOS_VM:RESET:linux');
    const from = runtime!.lines.lastIndexOf('RAYOS_VM:RESET:linux');
    await runtime!.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS, from);
    const after = await show();
    assert.equal(after.id, before.id, 'same identity');
    assert.equal(after.bootCount, 1);
    const gone = await exec('sh', '-c', 'test -e /data/durable.txt; echo $?');
    assert.equal(gone.stdout, '1\n');
    HelloResultSchema.shape.bootId.parse(after.guest.bootId);
  });
});
