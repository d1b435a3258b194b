// Tests recovery at runtime start when the recorded QEMU is not (or no longer) ours, and a VM whose folder is missing: nothing foreign is reattached or killed, nothing empty is launched.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { processIdentity } from '../../platform/process/process-liveness.js';
import { configHash } from '../../platform/qemu/qemu-argv.js';
import { SAMPLE_VM_CONFIG } from './vm-config.test-support.js';
import { vmFiles } from './vm-files.js';
import { allowLaunch, assertNoReattachAttempt, TEST_TIMEOUT_MS, testController, useControllerBench } from './vm-controller.test-support.js';

const bench = useControllerBench();
const { spawnStandIn, stillRunning, instanceOf, registerVm, controllerFor, fakePeer } = bench;

describe('VmController.recover: the recorded QEMU is not (or no longer) ours', () => {
  test('a dead pid: no QMP attempt, the instance is cleared, the VM is at rest and nothing is launched', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('dead');
    standIn.child.kill('SIGKILL');
    await once(standIn.child, 'exit');
    assert.equal(processIdentity(standIn.pid), null, 'the stand-in is gone');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'stopped', bootCount: 2 });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0]), await fakePeer(run.controller.files.qmpSockets[1])];

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok, JSON.stringify(result));
    assertNoReattachAttempt(peers);
    assert.equal(bench.registry.get(vm.record.id).instance, null);
    assert.equal(run.controller.lifecycle.state, 'stopped');
    assert.deepEqual(run.lines, []);
    assert.equal(existsSync(vm.launchLog), false, 'no QEMU was launched');
  });

  test('a dead pid of a VM never booted is "defined"', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('dead-defined');
    standIn.child.kill('SIGKILL');
    await once(standIn.child, 'exit');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'stopped', bootCount: 0 });
    const run = controllerFor(vm);

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok);
    assert.equal(run.controller.lifecycle.state, 'defined');
    assert.equal(bench.registry.get(vm.record.id).instance, null);
    assert.equal(existsSync(vm.launchLog), false);
  });

  test('a dead pid with desired state running cold-boots through the configured QEMU (the launch check above can see a launch)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('dead-running');
    standIn.child.kill('SIGKILL');
    await once(standIn.child, 'exit');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    writeFileSync(run.controller.files.disk('disk0.qcow2'), '');

    const result = await run.controller.recover(allowLaunch);

    assert.ok(!result.ok);
    assert.equal(result.error.code, 'RAYOS_VM_LAUNCH_FAILED');
    assert.equal(existsSync(vm.launchLog), true, 'the tripwire QEMU was run');
    assert.ok(run.lines.includes(`RAYOS_VM:STARTING:${vm.record.name}`), JSON.stringify(run.lines));
    assert.equal(run.controller.lifecycle.state, 'failed');
  });

  test('a live pid running other arguments (config hash differs): not reattached, not killed, forgotten', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('other-config');
    const vm = registerVm({ instance: instanceOf({ ...standIn, hash: configHash(['-name', 'some-other-config']) }), desiredState: 'stopped' });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0]), await fakePeer(run.controller.files.qmpSockets[1])];

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok, JSON.stringify(result));
    assertNoReattachAttempt(peers);
    assert.ok(stillRunning(standIn), 'the process that is not our QEMU was left alone');
    assert.equal(bench.registry.get(vm.record.id).instance, null);
    assert.equal(run.controller.lifecycle.state, 'stopped');
    assert.ok(!run.lines.some((line) => line.startsWith('RAYOS_VM:REATTACHED:')));
    assert.equal(existsSync(vm.launchLog), false);
  });

  test('a live pid that started at another time (pid reuse): not reattached, not killed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('pid-reuse');
    const vm = registerVm({ instance: instanceOf({ ...standIn, startTicks: standIn.startTicks + 1 }), desiredState: 'stopped' });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0]), await fakePeer(run.controller.files.qmpSockets[1])];

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok);
    assert.deepEqual(
      peers.map((p) => p.connections()),
      [0, 0],
    );
    assert.ok(stillRunning(standIn));
    assert.equal(bench.registry.get(vm.record.id).instance, null);
  });
});

describe('a VM whose folder is not where its storage points', () => {
  test('is refused at recovery and on start (marker, failed state, RAYOS_VM_STORAGE_MISSING): QEMU is never launched and no folder is made', async () => {
    const vm = registerVm({ instance: null, desiredState: 'running' });
    const dir = vmFiles(bench.storage.layout.vmDir, vm.record).dir;
    rmSync(dir, { recursive: true, force: true });
    const run = controllerFor(vm);
    const recovered = await run.controller.recover(allowLaunch);
    assert.ok(!recovered.ok);
    assert.equal(recovered.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.match(recovered.error.message, new RegExp(`^${vm.record.name}: its folder ${dir} is missing \\(the data directory's vm/`));
    assert.match(recovered.error.message, /holds no folder for it.*RayOS does not start it or make a new one in its place.*rayos vm reset .* --yes/);
    assert.ok(run.lines.includes(`RAYOS_VM:STORAGE_MISSING:${vm.record.name}`), run.lines.join('\n'));
    assert.ok(run.lines.includes(`RAYOS_VM:FAILED:${vm.record.name}:storage-missing`));
    assert.equal(run.controller.lifecycle.state, 'failed');
    const stored = bench.registry.get(vm.record.id);
    assert.equal(stored.observedState, 'failed');
    assert.equal(stored.desiredState, 'running', 'it should still run once its disk is back');
    assert.equal(stored.bootCount, 1);

    const started = await run.controller.start();
    assert.ok(!started.ok);
    assert.equal(started.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.equal(existsSync(vm.launchLog), false, 'QEMU was never run');
    assert.equal(existsSync(dir), false, 'no empty folder was made in its place');

    // Once its folder is back, a start launches it (the stand-in QEMU only records that it ran, then fails).
    mkdirSync(dir);
    writeFileSync(join(dir, SAMPLE_VM_CONFIG.disks[0]?.file ?? 'disk0.qcow2'), '');
    const again = await run.controller.start();
    assert.ok(!again.ok);
    assert.notEqual(again.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.equal(existsSync(vm.launchLog), true, 'QEMU was launched from the folder that is back');
  });

  test('a configured storage directory that is gone says so and names the setting, with no reset offered', async () => {
    const vm = registerVm({ instance: null, desiredState: 'stopped' });
    const missingRoot = join(bench.dataDir, 'unplugged-disk', 'vm');
    const { controller, lines } = testController(vm.record, { registry: bench.registry, storage: bench.storage, qemuBinary: vm.tripwire, vmRoot: missingRoot, storageSetting: 'vm.linuxStorage' });
    // Reported even for a VM that is not meant to run now: the person should know its disk is gone.
    const recovered = await controller.recover(allowLaunch);
    assert.ok(!recovered.ok);
    assert.equal(recovered.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.match(recovered.error.message, new RegExp(`\\(vm\\.linuxStorage = ${missingRoot}\\); ${missingRoot} does not exist: the disk that holds it is not attached or not mounted`));
    assert.match(recovered.error.message, /reattach the disk \(or set vm\.linuxStorage back to where the VM was made\) and restart RayOS\.$/);
    assert.doesNotMatch(recovered.error.message, /vm reset/);
    assert.ok(lines.includes(`RAYOS_VM:STORAGE_MISSING:${vm.record.name}`));
    assert.equal(existsSync(missingRoot), false);
    assert.equal(existsSync(vm.launchLog), false);
  });
});
