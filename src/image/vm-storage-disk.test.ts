// Tests the VM storage disk on real image files: the one-partition plan and its limits, then writeVmStorageDisk read back with sfdisk --json, blkid -p and debugfs at the partition's offset.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MIB, PARTITION_TYPES } from './disk-layout.js';
import { planVmStorageDisk, VM_STORAGE_DIR, VM_STORAGE_MIN_BYTES, VM_STORAGE_MOUNTS, VM_STORAGE_PARTITION_NAMES, vmStorageConfigPath, vmStorageSfdiskScript, writeVmStorageDisk } from './vm-storage-disk.js';

const GiB = 1024 * MIB;
const dir = mkdtempSync(join(tmpdir(), 'rayos-vmstore-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C' };
const tool = (argv: string[], input?: string): string =>
  execFileSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });

let n = 0;
const sparse = (bytes: number): string => {
  const file = join(dir, `disk-${++n}.img`);
  writeFileSync(file, '');
  truncateSync(file, bytes);
  return file;
};

interface SfdiskJson {
  partitiontable: { label: string; id: string; partitions: { start: number; size: number; type: string; uuid: string; name: string }[] };
}

test('the plan: one partition from the first MiB to the last, fresh lower-case UUIDs, and nothing below 1 GiB', () => {
  let k = 0;
  const plan = planVmStorageDisk('linux', 2 * GiB + 12345, () => `ABCDEF00-0000-4000-8000-${String(++k).padStart(12, '0')}`);
  assert.ok(plan);
  assert.equal(plan.name, 'rayos-vm-linux');
  assert.equal(plan.diskGuid, 'abcdef00-0000-4000-8000-000000000001');
  assert.equal(plan.partUuid, 'abcdef00-0000-4000-8000-000000000002');
  assert.equal(plan.offsetBytes, MIB);
  assert.equal(plan.startSector, 2048);
  assert.equal(plan.sizeMiB, 2048 - 2, 'a MiB left at each end for the two GPTs');
  assert.equal(plan.sizeBytes, plan.sizeSectors * 512);
  assert.equal(planVmStorageDisk('windows', 4 * GiB)?.name, 'rayos-vm-windows');
  assert.equal(VM_STORAGE_MIN_BYTES, GiB);
  assert.ok(planVmStorageDisk('linux', GiB), 'exactly 1 GiB is enough');
  assert.equal(planVmStorageDisk('linux', GiB - 1), null);
  assert.equal(planVmStorageDisk('linux', Number.NaN), null);
  assert.throws(() => planVmStorageDisk('linux', 2 * GiB, () => 'same-uuid'), /repeated/);
  const script = vmStorageSfdiskScript(plan);
  assert.match(script, /^label: gpt$/m);
  assert.match(script, new RegExp(`^start=2048, size=${plan.sizeSectors}, type=${PARTITION_TYPES.linuxData}, uuid=ABCDEF00-0000-4000-8000-000000000002, name="rayos-vm-linux"$`, 'm'));
});

test('the storage directories: under the data volume mount, and the config names the vm/ folder on the disk', () => {
  assert.deepEqual(VM_STORAGE_MOUNTS, { linux: '/var/lib/rayos/vm-storage/linux', windows: '/var/lib/rayos/vm-storage/windows' });
  assert.equal(vmStorageConfigPath('linux'), `/var/lib/rayos/vm-storage/linux/${VM_STORAGE_DIR}`);
  assert.equal(vmStorageConfigPath('windows'), '/var/lib/rayos/vm-storage/windows/vm');
  // ext4 labels are at most 16 bytes.
  for (const name of Object.values(VM_STORAGE_PARTITION_NAMES)) assert.ok(name.length <= 16, name);
});

test('writeVmStorageDisk on a used image file: the planned GPT, and ext4 labelled like the partition with an owner-only vm/ in it', async () => {
  const disk = sparse(2 * GiB);
  // The disk held something before (another GPT): it is replaced, not merged.
  tool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', disk], 'label: gpt\nsize=100MiB, type=L, name="old"\nsize=200MiB, type=L, name="older"\n');
  const plan = planVmStorageDisk('windows', statSync(disk).size);
  assert.ok(plan);
  const written = await writeVmStorageDisk(disk, plan);
  assert.ok(written.ok, written.ok ? '' : written.error.message);
  assert.equal(statSync(disk).size, 2 * GiB, 'the disk keeps its size');

  const table = (JSON.parse(tool(['sfdisk', '--json', disk])) as SfdiskJson).partitiontable;
  assert.equal(table.label, 'gpt');
  assert.equal(table.id.toLowerCase(), plan.diskGuid);
  assert.deepEqual(
    table.partitions.map((p) => [p.start, p.size, p.type.toUpperCase(), p.uuid.toLowerCase(), p.name]),
    [[plan.startSector, plan.sizeSectors, PARTITION_TYPES.linuxData, plan.partUuid, 'rayos-vm-windows']],
  );
  const probed = tool(['blkid', '-p', '-O', String(plan.offsetBytes), '-o', 'export', disk]);
  assert.match(probed, /^TYPE=ext4$/m);
  assert.match(probed, /^LABEL=rayos-vm-windows$/m);
  const fs = `${disk}?offset=${plan.offsetBytes}`;
  const stats = tool(['debugfs', '-R', 'stats', fs]);
  assert.equal(Number(/Block count:\s+(\d+)/.exec(stats)?.[1]) * 4096, plan.sizeBytes, 'ext4 spans its whole partition');
  const vm = tool(['debugfs', '-R', `stat /${VM_STORAGE_DIR}`, fs]);
  assert.match(vm, /Type: directory\s+Mode:\s+0700/);
  assert.match(vm, /User:\s+\d+\s+Group:\s+\d+/);
});

test('a disk sfdisk cannot write is RAYOS_INSTALLER_STORAGE_FAILED naming the disk and the step', async () => {
  const plan = planVmStorageDisk('linux', 2 * GiB);
  assert.ok(plan);
  const missing = join(dir, 'no-such-dir', 'disk.img');
  const result = await writeVmStorageDisk(missing, plan);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_STORAGE_FAILED');
  assert.match(result.error.message, new RegExp(`linux VM storage disk ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} failed at sfdisk`));
});
