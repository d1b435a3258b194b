// Tests vm.linuxStorage with real runtimes on one data dir (a real state.db): the Linux VM is made on the storage directory, and when that storage is gone the VM is refused (never recreated) while the rest of RayOS runs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { StatusResponseSchema } from '../../src/contracts/api-types.js';
import { runCli, startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, vmCli } from '../support/vm-support.js';

/**
 * No guest is booted here: QEMU is /bin/false, so a launch fails at once (RAYOS_VM:FAILED:linux:vm_launch_failed). What is
 * tested is where the VM's folder and disk are made and found, which happens before any launch.
 */
const NO_GUEST = ['--set', 'vm.accel=tcg', '--set', 'vm.qemuBinary=/bin/false'];

describe('VM storage outside the data directory (vm.linuxStorage)', () => {
  const { dir, cleanup } = tempDataDir('rayos-vmstore-');
  const outside = mkdtempSync(join(tmpdir(), 'rayos-vmstore-disk-'));
  // What the installer makes: a mounted disk with a vm/ folder on it.
  const storage = join(outside, 'disk', 'vm');
  const { cli, show } = vmCli(dir);
  let runtime: RuntimeProcess | null = null;
  let vmId = '';

  const boot = async (linuxStorage: string): Promise<RuntimeProcess> => {
    runtime = startRuntime(dir, [...NO_GUEST, '--set', `vm.linuxStorage=${linuxStorage}`]);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
    return runtime;
  };
  const halt = async (): Promise<void> => {
    if (runtime !== null) await stopRuntime(runtime);
    runtime = null;
  };

  before(() => {
    installGuestImage(dir);
    mkdirSync(storage, { recursive: true });
  });
  after(async () => {
    await halt();
    killQemusUnder(dir);
    cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  test('a configured directory that does not exist is never made: the Linux VM is not created, and RayOS runs', async () => {
    const unplugged = join(outside, 'unplugged', 'vm');
    const first = await boot(unplugged);
    assert.ok(first.lines.includes('RAYOS_VM:STORAGE_MISSING:linux'), first.lines.join('\n'));
    assert.ok(!first.lines.includes('RAYOS_VM:CREATED:linux'));
    assert.match(first.stderr(), /RAYOS_VM_STORAGE_MISSING: linux is not created: vm\.linuxStorage = \S+unplugged\/vm does not exist/);
    assert.equal(existsSync(join(outside, 'unplugged')), false);
    const listed = await cli(['vm', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as { vms: unknown[] }).vms, []);
    const status = StatusResponseSchema.parse(JSON.parse((await runCli(['status', '--json', '--data', dir])).stdout));
    const vmHealth = status.services.find((s) => s.name === 'vm')?.health;
    assert.equal(vmHealth?.status, 'degraded');
    assert.match(vmHealth?.detail ?? '', /linux \(not created: vm\.linuxStorage \S+ does not exist\)/);
    await halt();
  });

  test('with the storage directory there, the Linux VM is created in it: its folder and data.qcow2, nothing in <data>/vm', async () => {
    const second = await boot(storage);
    await second.waitFor('RAYOS_VM:CREATED:linux');
    const vm = await show();
    vmId = vm.id;
    assert.equal(vm.kind, 'linux');
    assert.ok(existsSync(join(storage, vmId, 'data.qcow2')), `data.qcow2 is in ${join(storage, vmId)}`);
    assert.deepEqual(vm.disks.map((d) => d.path), [join(storage, vmId, 'data.qcow2')]);
    assert.deepEqual(readdirSync(join(dir, 'vm')), [], 'the data directory holds no VM folder');
    // It was launched from there (and failed at once: QEMU is /bin/false here), not refused for its storage.
    await second.waitFor(/^RAYOS_VM:FAILED:linux:/);
    assert.ok(!second.lines.includes('RAYOS_VM:STORAGE_MISSING:linux'));
    await halt();
  });

  test('when the storage is gone (setting changed, disk not mounted) the VM is refused, not recreated, and the rest of RayOS runs', async () => {
    assert.notEqual(vmId, '');
    const elsewhere = join(outside, 'other-disk', 'vm');
    mkdirSync(elsewhere, { recursive: true });
    for (const place of [join(outside, 'not-mounted', 'vm'), elsewhere]) {
      const third = await boot(place);
      assert.ok(third.lines.includes('RAYOS_VM:STORAGE_MISSING:linux'), third.lines.join('\n'));
      assert.ok(third.lines.includes('RAYOS_VM:FAILED:linux:storage-missing'));
      assert.ok(!third.lines.includes('RAYOS_VM:CREATED:linux'), 'never a fresh VM in its place');
      assert.ok(!third.lines.includes('RAYOS_VM:STARTING:linux'), 'never started on an empty disk');
      const vm = await show();
      assert.equal(vm.id, vmId, 'the same VM, from the registry');
      assert.equal(vm.state, 'failed');
      assert.match(vm.reason ?? '', new RegExp(`linux: its folder ${join(place, vmId)} is missing \\(vm\\.linuxStorage = ${place}\\)`));
      assert.equal(vm.desiredState, 'running');
      const start = await cli(['vm', 'start', 'linux']);
      assert.notEqual(start.code, 0);
      assert.match(start.stderr, /RAYOS_VM_STORAGE_MISSING/);
      assert.equal(existsSync(join(place, vmId)), false, 'no empty folder made for it');
      if (place === elsewhere) {
        // The directory is there, only the VM is not: a reset is offered, and only a reset (asked for) starts it over.
        assert.match(vm.reason ?? '', /rayos vm reset linux --yes/);
      } else {
        assert.equal(existsSync(join(outside, 'not-mounted')), false);
        assert.doesNotMatch(vm.reason ?? '', /vm reset/);
        const reset = await cli(['vm', 'reset', 'linux', '--yes']);
        assert.notEqual(reset.code, 0);
        assert.match(reset.stderr, /RAYOS_VM_STORAGE_MISSING/);
        assert.equal(existsSync(join(outside, 'not-mounted')), false, 'a reset does not make a missing storage directory either');
      }
      // The rest of RayOS runs: every other service is up, the vm service says what is wrong.
      const status = StatusResponseSchema.parse(JSON.parse((await runCli(['status', '--json', '--data', dir])).stdout));
      assert.equal(status.state, 'ready');
      assert.ok(status.services.every((s) => s.state === 'running'), JSON.stringify(status.services));
      assert.equal(status.services.find((s) => s.name === 'vm')?.health.status, 'degraded');
      await halt();
    }
    // Its disk is untouched where it was made.
    assert.ok(existsSync(join(storage, vmId, 'data.qcow2')));
  });

  test('with the setting back, the VM is found where it was made and launched from there', async () => {
    const fourth = await boot(storage);
    await fourth.waitFor(/^RAYOS_VM:STARTING:linux$/);
    assert.ok(!fourth.lines.includes('RAYOS_VM:STORAGE_MISSING:linux'));
    assert.ok(!fourth.lines.includes('RAYOS_VM:CREATED:linux'));
    assert.equal((await show()).id, vmId);
    await halt();
  });
});
