// Tests the VM registry against the real state database (storage service, real migrations), VM name rules and the VM file layout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { after, describe, test } from 'node:test';
import { RayosFailure } from '../../contracts/errors.js';
import { type StorageService } from '../storage/api.js';
import { SAMPLE_VM_CONFIG, startTestStorage } from './vm-config.test-support.js';
import { vmFiles } from './vm-files.js';
import { checkVmName, VmRegistry, type VmInstance } from './vm-registry.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const CONFIG = SAMPLE_VM_CONFIG;

const dirs: string[] = [];
const open: StorageService[] = [];
after(async () => {
  for (const storage of open.splice(0)) await storage.stop('test done');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-vmreg-'));
  dirs.push(dir);
  return dir;
}

/** The state database as the runtime opens it: the storage service on a data directory, with every migration applied. */
async function openState(dataDir: string): Promise<{ storage: StorageService; registry: VmRegistry }> {
  const storage = await startTestStorage(dataDir);
  open.push(storage);
  return { storage, registry: new VmRegistry(storage.database()) };
}

async function closeState(storage: StorageService): Promise<void> {
  open.splice(open.indexOf(storage), 1);
  await storage.stop('test reopen');
}

describe('checkVmName', () => {
  test('accepts 1–32 of a-z, 0-9 and "-", starting with a letter', () => {
    for (const name of ['a', 'linux', 'win-11', 'a0', 'x-', 'a'.repeat(32)]) {
      const checked = checkVmName(name);
      assert.ok(checked.ok, name);
      assert.equal(checked.value, name);
    }
  });

  test('refuses paths, dots, spaces, control characters, uppercase and overlong names, saying what a name may be', () => {
    const bad = ['', '.', '..', '../etc', 'a/b', '/abs', 'a\\b', 'a.b', 'my vm', ' linux', 'linux ', 'a\0b', 'linux\n', 'Linux', 'LINUX', '1linux', '-linux', 'a_b', 'lïnux', 'a'.repeat(33), 'a'.repeat(4096)];
    for (const name of bad) {
      const checked = checkVmName(name);
      assert.ok(!checked.ok, JSON.stringify(name));
      assert.equal(checked.error.code, 'RAYOS_VM_BAD_NAME');
      assert.match(checked.error.message, /use 1–32 of a-z, 0-9 and "-", starting with a letter/);
    }
  });

  test('the message quotes at most 64 characters of a long name', () => {
    const checked = checkVmName('z'.repeat(5000));
    assert.ok(!checked.ok);
    assert.ok(checked.error.message.includes(`"${'z'.repeat(64)}"`));
    assert.ok(!checked.error.message.includes('z'.repeat(65)));
  });

  test('control characters in a refused name are escaped in the message, never printed raw', () => {
    const checked = checkVmName('a\0b\nRAYOS_VM:RUNNING:x');
    assert.ok(!checked.ok);
    assert.ok(!/[\0\n]/.test(checked.error.message));
    assert.ok(checked.error.message.includes('"a\\u0000b\\nRAYOS_VM:RUNNING:x"'));
  });
});

describe('VmRegistry', () => {
  test('create → get, findByName and list give back the same record, with a UUID id and at-rest defaults', async () => {
    const { registry } = await openState(freshDataDir());
    const created = registry.create({ name: 'linux', kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
    assert.ok(created.ok);
    const record = created.value;
    assert.match(record.id, UUID);
    assert.equal(record.name, 'linux');
    assert.equal(record.kind, 'linux');
    assert.deepEqual(record.config, CONFIG);
    assert.equal(record.stopProfile, 'keep-running');
    assert.equal(record.desiredState, 'stopped');
    assert.equal(record.observedState, 'defined');
    assert.equal(record.observedReason, null);
    assert.equal(record.savedStateTag, null);
    assert.equal(record.bootCount, 0);
    assert.equal(record.instance, null);
    assert.ok(!Number.isNaN(Date.parse(record.createdAt)));

    assert.deepEqual(registry.get(record.id), record);
    assert.deepEqual(registry.findByName('linux'), { ok: true, value: record });
    assert.deepEqual(registry.findByName('nope'), { ok: true, value: null });

    const second = registry.create({ name: 'win', kind: 'windows', config: { ...CONFIG, memoryMiB: 4096 }, stopProfile: 'suspend' });
    assert.ok(second.ok);
    assert.notEqual(second.value.id, record.id);
    assert.deepEqual(
      registry.list().map((r) => [r.name, r.kind, r.config.memoryMiB]),
      [
        ['linux', 'linux', 256],
        ['win', 'windows', 4096],
      ],
    );
  });

  test('a second VM with the same name is refused with RAYOS_VM_EXISTS and the first is left as it was', async () => {
    const { registry } = await openState(freshDataDir());
    const first = registry.create({ name: 'dup', kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
    assert.ok(first.ok);
    const again = registry.create({ name: 'dup', kind: 'windows', config: { ...CONFIG, vcpus: 4 }, stopProfile: 'shutdown' });
    assert.ok(!again.ok);
    assert.equal(again.error.code, 'RAYOS_VM_EXISTS');
    assert.match(again.error.message, /dup exists already; pick another name/);
    assert.deepEqual(registry.list(), [first.value]);
  });

  test('a bad name is refused with RAYOS_VM_BAD_NAME before anything is written', async () => {
    const { registry } = await openState(freshDataDir());
    for (const name of ['../etc', 'a/b', '', '.', '..', 'x'.repeat(200), 'my vm', 'a\0b', 'Linux']) {
      const created = registry.create({ name, kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
      assert.ok(!created.ok, JSON.stringify(name));
      assert.equal(created.error.code, 'RAYOS_VM_BAD_NAME');
      assert.match(created.error.message, /use 1–32 of a-z/);
    }
    assert.deepEqual(registry.list(), []);
  });

  test('update persists desired and observed state, reason, saved-state tag, boot count and instance across a reopen of the database file', async () => {
    const dataDir = freshDataDir();
    const first = await openState(dataDir);
    const created = first.registry.create({ name: 'keep', kind: 'linux', config: CONFIG, stopProfile: 'suspend' });
    assert.ok(created.ok);
    const id = created.value.id;
    const instance: VmInstance = { pid: 4242, startTicks: 987654, configHash: 'ab'.repeat(32), accel: 'tcg', launchedAt: '2024-05-01T10:00:00.000Z' };
    first.registry.update(id, {
      desiredState: 'suspended',
      observedState: 'failed',
      observedReason: 'QEMU exited while running: boom',
      savedStateTag: 'rayos-suspend-1714557600000',
      bootCount: 3,
      instance,
    });
    const updated = first.registry.get(id);
    assert.equal(updated.desiredState, 'suspended');
    assert.equal(updated.observedState, 'failed');
    assert.equal(updated.observedReason, 'QEMU exited while running: boom');
    assert.equal(updated.savedStateTag, 'rayos-suspend-1714557600000');
    assert.equal(updated.bootCount, 3);
    assert.deepEqual(updated.instance, instance);
    // An update with nothing in it changes nothing.
    first.registry.update(id, {});
    assert.deepEqual(first.registry.get(id), updated);
    await closeState(first.storage);

    const second = await openState(dataDir);
    assert.deepEqual(second.registry.get(id), updated);
    assert.deepEqual(second.registry.findByName('keep'), { ok: true, value: updated });

    // null clears; fields left out keep their value.
    second.registry.update(id, { instance: null, savedStateTag: null, observedReason: null, observedState: 'stopped' });
    await closeState(second.storage);
    const third = await openState(dataDir);
    const cleared = third.registry.get(id);
    assert.equal(cleared.instance, null);
    assert.equal(cleared.savedStateTag, null);
    assert.equal(cleared.observedReason, null);
    assert.equal(cleared.observedState, 'stopped');
    assert.equal(cleared.desiredState, 'suspended');
    assert.equal(cleared.bootCount, 3);
    assert.deepEqual(cleared.config, CONFIG);
  });

  test('update persists a changed config (the network choice) across a reopen, and refuses one that would not read back', async () => {
    const dataDir = freshDataDir();
    const first = await openState(dataDir);
    const created = first.registry.create({ name: 'net', kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
    assert.ok(created.ok);
    const id = created.value.id;
    first.registry.update(id, { config: { ...CONFIG, network: 'user' } });
    assert.equal(first.registry.get(id).config.network, 'user');
    assert.throws(() => first.registry.update(id, { config: { ...CONFIG, network: 'bridge' as 'user' } }));
    await closeState(first.storage);
    const second = await openState(dataDir);
    assert.deepEqual(second.registry.get(id).config, { ...CONFIG, network: 'user' });
  });

  test('a row corrupted on disk is never handed out: RAYOS_VM_RECORD_CORRUPT naming the VM, and the other VMs still read', async () => {
    const { storage, registry } = await openState(freshDataDir());
    const healthy = registry.create({ name: 'healthy', kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
    const broken = registry.create({ name: 'broken', kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
    assert.ok(healthy.ok && broken.ok);
    const id = broken.value.id;
    const db = storage.database();
    const setColumn = (column: 'config' | 'instance' | 'observed_state', value: string): void => {
      db.prepare(`UPDATE vms SET ${column} = ? WHERE id = ?`).run(value, id);
    };
    const assertCorrupt = (problem: RegExp): void => {
      const found = registry.findByName('broken');
      assert.equal(found.ok, false);
      if (found.ok) return;
      assert.equal(found.error.code, 'RAYOS_VM_RECORD_CORRUPT');
      assert.equal(found.error.details?.['vm'], 'broken');
      assert.match(found.error.message, /The VM broken is corrupted in state\.db/);
      assert.match(found.error.message, problem);
      assert.match(found.error.message, /Restore state\.db from a backup/);
      assert.throws(() => registry.get(id), (error: unknown) => error instanceof RayosFailure && error.code === 'RAYOS_VM_RECORD_CORRUPT');
      // One bad row does not hide the others: the scan hands out the healthy VM and reports the broken one.
      const scan = registry.scan();
      assert.deepEqual(scan.records, [healthy.value]);
      assert.deepEqual(scan.corrupt.map((e) => e.details?.['vm']), ['broken']);
      assert.deepEqual(registry.list(), [healthy.value]);
    };

    setColumn('config', '{"machine": "q35", "memoryMiB": 256,');
    assertCorrupt(/config: not JSON/);
    // Its name stays taken: a new VM cannot quietly replace a damaged one.
    const again = registry.create({ name: 'broken', kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
    assert.equal(again.ok ? 'created' : again.error.code, 'RAYOS_VM_EXISTS');

    // JSON of the wrong shape (a disk path escaping the VM folder): refused, not half-read.
    setColumn('config', JSON.stringify({ ...CONFIG, memoryMiB: 1, disks: [{ nodeName: 'disk0', file: '../../etc/passwd', format: 'raw', sizeMiB: 1 }] }));
    assertCorrupt(/config: .*memoryMiB/);

    setColumn('config', JSON.stringify(CONFIG));
    assert.deepEqual(registry.get(id).config, CONFIG);
    setColumn('instance', '{"pid": -1}');
    assertCorrupt(/instance: .*pid/);
    setColumn('instance', 'not json');
    assertCorrupt(/instance: not JSON/);
    db.prepare('UPDATE vms SET instance = NULL WHERE id = ?').run(id);
    setColumn('observed_state', 'exploded');
    assertCorrupt(/row: observed_state/);
  });

  test('a row whose id was altered into a path is refused, so its files cannot land outside the VM root', async () => {
    const { storage, registry } = await openState(freshDataDir());
    const created = registry.create({ name: 'moved', kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
    assert.ok(created.ok);
    storage.database().prepare('UPDATE vms SET id = ? WHERE id = ?').run('../../escape', created.value.id);
    const found = registry.findByName('moved');
    assert.equal(found.ok ? 'read' : found.error.code, 'RAYOS_VM_RECORD_CORRUPT');
    assert.match(found.ok ? '' : found.error.message, /row: id/);
  });
});

describe('vmFiles', () => {
  const root = join(tmpdir(), 'rayos-data', 'vm');
  const inside = (path: string): boolean => {
    const rel = relative(root, path);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };

  test('every path of a VM lies in its own folder directly under the VM root', () => {
    const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
    const files = vmFiles(root, { id });
    assert.equal(files.dir, join(root, id));
    const paths = [files.dir, ...files.qmpSockets, files.agentSocket, files.vncSocket, files.serialLog, files.qemuLog, files.pidFile, files.disk('disk0.qcow2'), files.disk('sub/disk1.raw')];
    for (const path of paths) assert.ok(inside(path), path);
    for (const path of paths.slice(1)) assert.equal(relative(files.dir, path).split(sep)[0] !== '..', true, path);
    assert.deepEqual(
      files.qmpSockets.map((p) => relative(files.dir, p)),
      ['qmp-0.sock', 'qmp-1.sock'],
    );
  });

  test('a disk file that escapes the VM folder is refused', () => {
    const files = vmFiles(root, { id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' });
    for (const file of ['../other/disk0.qcow2', '../../etc/passwd', '/etc/passwd', 'sub/../../x', '..']) {
      assert.throws(() => files.disk(file), /escapes/, file);
    }
  });
});
