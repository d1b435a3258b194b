// Tests guest networking on demand: the choice at rest (stored, marker, event, view), refusals, and the QMP plug/unplug against a real (paused) QEMU.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { killQemu, launchQemu, type QemuInstance } from '../../platform/qemu/qemu-launcher.js';
import { sampleQemuSpec } from '../../platform/qemu/vm-spec.test-support.js';
import type { QemuVmSpec } from '../../platform/qemu/vm-spec.js';
import { connectQmp, type QmpClient } from '../../platform/qmp/qmp-client.js';
import { type StorageService } from '../storage/api.js';
import { SAMPLE_VM_CONFIG, startTestStorage } from './vm-config.test-support.js';
import { testController } from './vm-controller.test-support.js';
import { vmFiles } from './vm-files.js';
import { networkReason, plugNic, unplugNic } from './vm-network.js';
import { VmRegistry, type VmRecord } from './vm-registry.js';

let dataDir = '';
let storage: StorageService;
let registry: VmRegistry;
const qemus: QemuInstance[] = [];
const clients: QmpClient[] = [];

before(async () => {
  // Short, so every QEMU socket path stays far below the 107-byte limit.
  dataDir = mkdtempSync(join(tmpdir(), 'rvn-'));
  storage = await startTestStorage(dataDir);
  registry = new VmRegistry(storage.database());
});

after(async () => {
  for (const client of clients) await client.close();
  for (const qemu of qemus) await killQemu(qemu.pid, qemu.startTicks);
  await storage.stop('test done');
  rmSync(dataDir, { recursive: true, force: true });
});

let vmCount = 0;

function controllerFor(changes: Parameters<VmRegistry['update']>[1] = {}) {
  const created = registry.create({ name: `net-${++vmCount}`, kind: 'linux', config: SAMPLE_VM_CONFIG, stopProfile: 'keep-running' });
  assert.ok(created.ok);
  registry.update(created.value.id, { observedState: 'stopped', bootCount: 1, ...changes });
  const record: VmRecord = registry.get(created.value.id);
  mkdirSync(vmFiles(storage.layout.vmDir, record).dir, { recursive: true });
  const { controller, lines, events } = testController(record, { registry, storage, qemuBinary: '/nonexistent/qemu', qmpTimeoutMs: 2000 });
  return { controller, lines, events, id: record.id };
}

describe('networkReason', () => {
  test('keeps a plain reason and turns anything a marker cannot carry into "-"', () => {
    assert.equal(networkReason('api-request'), 'api-request');
    assert.equal(networkReason('policy: allow (rule 3)\nx'), 'policy-allow-rule-3-x');
    assert.equal(networkReason(':::'), 'unspecified');
    assert.equal(networkReason('a'.repeat(100)).length, 64);
  });
});

describe('setNetwork on a VM that does not run', () => {
  test('a stopped VM stores the choice for its next start, with marker, event and view; the same choice again changes nothing', async () => {
    const { controller, lines, events, id } = controllerFor();
    assert.equal(controller.view().network, false);
    const on = await controller.setNetwork(true, 'because: tests');
    assert.ok(on.ok, on.ok ? '' : on.error.message);
    assert.deepEqual(on.value, { live: false, changed: true });
    assert.equal(registry.get(id).config.network, 'user');
    assert.equal(controller.view().network, true);
    assert.equal(controller.view().state, 'stopped');
    const name = controller.name;
    assert.deepEqual(lines, [`RAYOS_POLICY:NETWORK:${name}:on:because-tests`]);
    assert.deepEqual(
      events.map((e) => [e.type, e.data]),
      [['vm.network-changed', { vm: name, enabled: true, reason: 'because-tests' }]],
    );

    const again = await controller.setNetwork(true, 'again');
    assert.ok(again.ok);
    assert.deepEqual(again.value, { live: false, changed: false });
    assert.equal(lines.length, 1, 'no marker for a change that is not one');

    const off = await controller.setNetwork(false, 'done');
    assert.ok(off.ok);
    assert.equal(registry.get(id).config.network, 'none');
    assert.equal(lines.at(-1), `RAYOS_POLICY:NETWORK:${name}:off:done`);
  });

  test('a suspended VM is refused: its saved state holds its devices; nothing is stored or announced', async () => {
    const { controller, lines, events, id } = controllerFor({ savedStateTag: 'rayos-suspend-1' });
    assert.equal(controller.lifecycle.state, 'suspended');
    const on = await controller.setNetwork(true, 'x');
    assert.equal(on.ok, false);
    if (on.ok) return;
    assert.equal(on.error.code, 'RAYOS_VM_ILLEGAL_TRANSITION');
    assert.match(on.error.message, /saved state.*rayos vm start/);
    assert.equal(registry.get(id).config.network, 'none');
    assert.deepEqual(lines, []);
    assert.deepEqual(events, []);
  });
});

describe('plugNic and unplugNic against a real QEMU whose guest never runs', () => {
  async function launch(sub: string, overrides: Partial<QemuVmSpec> = {}): Promise<QmpClient> {
    const dir = join(dataDir, sub);
    mkdirSync(dir);
    const spec = sampleQemuSpec(dir, { id: randomUUID(), memoryMiB: 64, disks: [], startPaused: true, ...overrides });
    const launched = await launchQemu(spec);
    assert.ok(launched.ok, launched.ok ? '' : launched.error.message);
    qemus.push(launched.value);
    const qmp = await connectQmp(spec.qmpSocketPaths[0], { commandTimeoutMs: 5000 });
    assert.ok(qmp.ok, qmp.ok ? '' : qmp.error.message);
    clients.push(qmp.value);
    return qmp.value;
  }
  async function peripherals(qmp: QmpClient): Promise<string[]> {
    const listed = await qmp.executeUntyped('qom-list', { path: '/machine/peripheral' });
    assert.ok(listed.ok);
    return (listed.value as { name: string }[]).map((p) => p.name).filter((n) => n !== 'type');
  }

  test('the NIC goes into rp-net; an unplug the guest never acknowledges times out (network still on), and a retry waits again', async () => {
    const qmp = await launch('q');
    assert.ok(!(await peripherals(qmp)).includes('nic0'));
    const plugged = await plugNic(qmp, 'q');
    assert.ok(plugged.ok, plugged.ok ? '' : plugged.error.message);
    assert.ok((await peripherals(qmp)).includes('nic0'));
    const twice = await plugNic(qmp, 'q');
    assert.equal(twice.ok, false, 'a second NIC is refused');

    const unplug = await unplugNic(qmp, 'q', 300);
    assert.equal(unplug.ok, false);
    if (unplug.ok) return;
    assert.equal(unplug.error.code, 'RAYOS_QMP_TIMEOUT');
    assert.match(unplug.error.message, /did not release its NIC.*still on/);
    assert.ok((await peripherals(qmp)).includes('nic0'), 'the device stays until the guest lets it go');
    const retry = await unplugNic(qmp, 'q', 300);
    assert.equal(retry.ok ? 'ok' : retry.error.code, 'RAYOS_QMP_TIMEOUT', 'a pending unplug is waited for again, not an error of its own');
  });

  test('unplugging with no NIC is a no-op success; a refused device_add takes the netdev away again', async () => {
    const qmp = await launch('p', { machine: 'pc' });
    const none = await unplugNic(qmp, 'p', 300);
    assert.ok(none.ok, none.ok ? '' : none.error.message);
    const refused = await plugNic(qmp, 'p');
    assert.equal(refused.ok, false, 'pc has no rp-net to plug into');
    if (refused.ok) return;
    assert.equal(refused.error.code, 'RAYOS_QMP_COMMAND_FAILED');
    assert.match(refused.error.message, /network stays off/);
    const netdev = await qmp.executeUntyped('netdev_add', { type: 'user', id: 'net0' });
    assert.ok(netdev.ok, 'net0 was deleted after the refused device_add');
  });
});
