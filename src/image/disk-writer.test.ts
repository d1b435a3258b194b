// Tests writeSystemDisk on real sparse files with sfdisk, mkfs.vfat, mtools, dd and mkfs.ext4, read back with sfdisk, mdir/mtype and debugfs at each partition's offset.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FAT32_MIN_MIB, MIB, partitionOf, planDisk, type DiskPlan } from './disk-layout.js';
import { espImageSpec, writeSystemDisk, type DiskWriteInput } from './disk-writer.js';
import { type EspFile } from './image-assembly.js';

const GiB = 1024 * MIB;
const dir = mkdtempSync(join(tmpdir(), 'rayos-disk-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`, MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C' };
const tool = (argv: string[]): string => execFileSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
/** Runs a tool that is expected to fail; returns its exit status. */
const failing = (argv: string[]): number => {
  try {
    tool(argv);
    return 0;
  } catch (error) {
    return (error as { status: number }).status;
  }
};
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) assert.fail(r.error.message);
  return r.value;
};

let n = 0;
const sparse = (bytes: number): string => {
  const file = join(dir, `target-${++n}.img`);
  writeFileSync(file, '');
  truncateSync(file, bytes);
  return file;
};

// A tiny root filesystem image with a marker file, as the build makes one (an ext4 image file).
const rootTree = join(dir, 'root-tree');
mkdirSync(join(rootTree, 'etc'), { recursive: true });
writeFileSync(join(rootTree, 'marker'), 'root-A of the disk-writer test\n');
writeFileSync(join(rootTree, 'etc', 'os-release'), 'NAME=RayOS\n');
const rootImage = join(dir, 'root.img');
tool(['mkfs.ext4', '-q', '-L', 'rayos-root-a', '-d', rootTree, rootImage, '16M']);

const dataTree = join(dir, 'data-tree');
mkdirSync(join(dataTree, 'vm-disks'), { recursive: true });
writeFileSync(join(dataTree, 'install.json'), '{"version":"1.2.3"}\n');

const bootloader = join(dir, 'systemd-bootx64.efi');
writeFileSync(bootloader, Buffer.from('MZ stand-in for systemd-boot\n'));

const ESP_FILES: readonly EspFile[] = [
  { espPath: '/loader/entries/rayos-1.2.3+3.conf', content: 'title RayOS 1.2.3\nlinux /rayos/1.2.3/vmlinuz\n' },
  { espPath: '/EFI/BOOT/BOOTX64.EFI', content: { sourcePath: bootloader } },
  { espPath: '/loader/loader.conf', content: 'timeout 1\neditor no\n' },
  { espPath: '/rayos/1.2.3/vmlinuz', content: new Uint8Array([0x4d, 0x5a, 0, 1, 2, 3]) },
];

// The smallest plan writeSystemDisk can write: its ESP is FAT32 at 4 KiB clusters (65525 of them, 257 MiB with the FATs).
const SMALL_LIMITS = { espMiB: 260, rootMinMiB: 24, rootMaxMiB: 24, dataMinMiB: 6 };
const SMALL_DISK = (1 + 260 + 2 * 24 + 6 + 1) * MIB;

function input(target: string, plan: DiskPlan, overrides: Partial<DiskWriteInput> = {}): DiskWriteInput {
  return {
    target,
    plan,
    espFiles: ESP_FILES,
    root: { path: rootImage, offsetBytes: 0, bytes: statSync(rootImage).size },
    dataTree,
    freshSparseFile: true,
    progress: () => undefined,
    stepDeadlineMs: 60_000,
    ...overrides,
  };
}

test('a 13 GiB sparse target gets the planned GPT, an ESP with the files, the root image in root-A and the data tree in data', async () => {
  const plan = unwrap(planDisk(13 * GiB));
  const target = sparse(13 * GiB);
  const steps: string[] = [];
  unwrap(await writeSystemDisk(input(target, plan, { progress: (step) => steps.push(step) })));
  assert.ok(steps.length >= 5, `a progress line per step: ${steps.join(' | ')}`);
  assert.equal(statSync(target).size, 13 * GiB, 'the target keeps its size');
  assert.ok(statSync(target).blocks * 512 < 512 * MIB, 'a fresh sparse target stays sparse');

  const table = JSON.parse(tool(['sfdisk', '--json', target])) as {
    partitiontable: { label: string; id: string; partitions: { start: number; size: number; type: string; uuid: string; name: string }[] };
  };
  assert.equal(table.partitiontable.label, 'gpt');
  assert.equal(table.partitiontable.id.toLowerCase(), plan.diskGuid);
  assert.deepEqual(
    table.partitiontable.partitions.map((p) => [p.start, p.size, p.type.toUpperCase(), p.uuid.toLowerCase(), p.name]),
    plan.partitions.map((p) => [p.startSector, p.sizeSectors, p.typeGuid, p.partUuid, p.name]),
  );

  const esp = `${target}@@${partitionOf(plan, 'esp').offsetBytes}`;
  assert.equal(espImageSpec(target, plan), esp);
  const entries = tool(['mdir', '-b', '-i', esp, '::/loader/entries']);
  assert.match(entries, /rayos-1\.2\.3\+3\.conf/);
  const top = tool(['mdir', '-b', '-i', esp, '::/']);
  for (const name of ['EFI', 'loader', 'rayos']) assert.match(top, new RegExp(`::/${name}/?$`, 'm'), top);
  assert.equal(tool(['mtype', '-i', esp, '::/EFI/BOOT/BOOTX64.EFI']), 'MZ stand-in for systemd-boot\n');
  assert.equal(tool(['mtype', '-i', esp, '::/loader/loader.conf']), 'timeout 1\neditor no\n');
  assert.equal(tool(['mtype', '-i', esp, '::/loader/entries/rayos-1.2.3+3.conf']), 'title RayOS 1.2.3\nlinux /rayos/1.2.3/vmlinuz\n');
  const kernel = execFileSync('mtype', ['-i', esp, '::/rayos/1.2.3/vmlinuz'], { env });
  assert.deepEqual([...kernel], [0x4d, 0x5a, 0, 1, 2, 3]);
  // FAT32, as UEFI requires of a fixed disk's ESP, labelled so a person can tell it apart.
  const info = tool(['minfo', '-i', esp, '::']);
  assert.match(info, /RAYOS-ESP/);
  assert.match(info, /FAT32|fat_bits=32|big size/i);

  const rootA = `${target}?offset=${partitionOf(plan, 'root-a').offsetBytes}`;
  assert.equal(tool(['debugfs', '-R', 'cat /marker', rootA]), 'root-A of the disk-writer test\n');
  assert.equal(tool(['debugfs', '-R', 'cat /etc/os-release', rootA]), 'NAME=RayOS\n');

  const data = `${target}?offset=${partitionOf(plan, 'data').offsetBytes}`;
  assert.match(tool(['debugfs', '-R', 'ls /', data]), /\bvm-disks\b/);
  assert.equal(tool(['debugfs', '-R', 'cat /install.json', data]), '{"version":"1.2.3"}\n');
  const stats = tool(['debugfs', '-R', 'stats', data]);
  assert.match(stats, /Filesystem volume name:\s+rayos-data/);
  // The data filesystem spans its whole partition (4 KiB blocks).
  const blocks = Number(/Block count:\s+(\d+)/.exec(stats)?.[1]);
  assert.equal(blocks * 4096, partitionOf(plan, 'data').sizeBytes);

  // Root-B is left blank for the first update.
  const rootB = partitionOf(plan, 'root-b');
  const head = Buffer.alloc(2 * MIB, 0xff);
  const fd = openSync(target, 'r');
  try {
    assert.equal(readSync(fd, head, 0, head.length, rootB.offsetBytes), head.length);
  } finally {
    closeSync(fd);
  }
  assert.ok(head.every((b) => b === 0));
});

test('a root image larger than root-A is refused with RAYOS_IMAGE_BUILD_FAILED before anything is written', async () => {
  const plan = unwrap(planDisk(13 * GiB));
  const target = sparse(13 * GiB);
  const steps: string[] = [];
  const rootA = partitionOf(plan, 'root-a');
  const result = await writeSystemDisk(input(target, plan, { root: { path: rootImage, offsetBytes: 0, bytes: rootA.sizeBytes + 1 }, progress: (s) => steps.push(s) }));
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_IMAGE_BUILD_FAILED');
  assert.match(result.error.message, new RegExp(`does not fit root-A \\(${rootA.sizeMiB} MiB\\)`));
  assert.deepEqual(steps, []);
  assert.equal(statSync(target).blocks, 0, 'not one block of the target was written');
  assert.equal(statSync(target).size, 13 * GiB);
});

test('a root image exactly the size of root-A is accepted (the limit is inclusive)', async () => {
  // A small plan keeps this quick: root-A of 8 MiB and a root image of exactly 8 MiB.
  const plan = unwrap(planDisk(SMALL_DISK, { limits: { ...SMALL_LIMITS, rootMinMiB: 8, rootMaxMiB: 8 } }));
  const exact = join(dir, 'root-8m.img');
  tool(['mkfs.ext4', '-q', '-d', rootTree, exact, '8M']);
  const target = sparse(SMALL_DISK);
  unwrap(await writeSystemDisk(input(target, plan, { root: { path: exact, offsetBytes: 0, bytes: 8 * MIB } })));
  assert.equal(tool(['debugfs', '-R', 'cat /marker', `${target}?offset=${partitionOf(plan, 'root-a').offsetBytes}`]), 'root-A of the disk-writer test\n');
});

test('the root image is read from its offset in a larger source, byte-exact when the offset is not whole MiB', async () => {
  const plan = unwrap(planDisk(SMALL_DISK, { limits: SMALL_LIMITS }));
  // Junk ahead of the root image, like the partitions ahead of it on the installer medium, but not MiB-aligned.
  const skip = 3 * MIB + 4096;
  const source = join(dir, 'medium-like.img');
  writeFileSync(source, Buffer.alloc(skip, 0xaa));
  tool(['dd', `if=${rootImage}`, `of=${source}`, 'bs=4096', `seek=${skip / 4096}`, 'conv=notrunc', 'status=none']);
  const target = sparse(SMALL_DISK);
  unwrap(await writeSystemDisk(input(target, plan, { root: { path: source, offsetBytes: skip, bytes: statSync(rootImage).size }, freshSparseFile: false })));
  assert.equal(tool(['debugfs', '-R', 'cat /marker', `${target}?offset=${partitionOf(plan, 'root-a').offsetBytes}`]), 'root-A of the disk-writer test\n');
});

test('an ESP file that cannot be copied fails the write, and then no boot entry is on the ESP', async () => {
  const plan = unwrap(planDisk(SMALL_DISK, { limits: SMALL_LIMITS }));
  const target = sparse(SMALL_DISK);
  const espFiles: EspFile[] = [
    { espPath: '/loader/entries/rayos-1.2.3+3.conf', content: 'title RayOS 1.2.3\n' },
    { espPath: '/rayos/1.2.3/vmlinuz', content: { sourcePath: join(dir, 'no-such-kernel') } },
  ];
  const result = await writeSystemDisk(input(target, plan, { espFiles, dataTree: null }));
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_IMAGE_BUILD_FAILED');
  assert.match(result.error.message, /mcopy \/rayos\/1\.2\.3\/vmlinuz/);
  const esp = espImageSpec(target, plan);
  // The ESP is there (made before the files), but the entry that would boot a half-written disk is not.
  tool(['mdir', '-b', '-i', esp, '::/']);
  assert.notEqual(failing(['mtype', '-i', esp, '::/loader/entries/rayos-1.2.3+3.conf']), 0);
});

test('a target sfdisk cannot write is RAYOS_IMAGE_BUILD_FAILED naming the sfdisk step', async () => {
  const plan = unwrap(planDisk(13 * GiB));
  const result = await writeSystemDisk(input(join(dir, 'no-such-dir', 'disk.img'), plan));
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_IMAGE_BUILD_FAILED');
  assert.match(result.error.message, /at sfdisk/);
});

test('an ESP of the smallest size planDisk accepts (FAT32_MIN_MIB) can be written and filled', async () => {
  // planDisk refuses an ESP below FAT32_MIN_MIB "to hold FAT32"; every plan it accepts must be writable.
  const limits = { espMiB: FAT32_MIN_MIB, rootMinMiB: 24, rootMaxMiB: 24, dataMinMiB: 6 };
  const bytes = (1 + FAT32_MIN_MIB + 2 * 24 + 6 + 1) * MIB;
  const plan = unwrap(planDisk(bytes, { limits }));
  const target = sparse(bytes);
  unwrap(await writeSystemDisk(input(target, plan, { dataTree: null })));
  assert.match(tool(['mdir', '-b', '-i', espImageSpec(target, plan), '::/loader/entries']), /rayos-1\.2\.3\+3\.conf/);
});
