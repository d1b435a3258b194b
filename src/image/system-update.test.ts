// Tests A/B updates: reading the running root's PARTUUID from a kernel command line, and applyUpdate's refusals (not an installed system, not a medium, a version already there, no disk with the running root).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MIB } from './disk-layout.js';
import { MEDIUM_MANIFEST_PATH, mediumSfdiskScript, planMedium, ROOT_IMAGE_PARTITION_NAME } from './medium-layout.js';
import { parseEntryName } from './boot-entries.js';
import { applyUpdate, planSlotEntries, runningRootPartUuid, type SlotEntry, type UpdateRequest } from './system-update.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-update-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`, MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C' };
const tool = (argv: string[], input?: string): string =>
  execFileSync(argv[0] ?? '', argv.slice(1), { encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'pipe'], ...(input === undefined ? {} : { input }) });

const UUID = '3f2a9c4e-1b7d-4e8f-9a0b-c1d2e3f4a5b6';
const CMDLINE = `BOOT_IMAGE=/rayos/1.0.0/vmlinuz root=PARTUUID=${UUID} rw rootwait console=tty0 console=ttyS0,115200 systemd.machine_id=0123456789abcdef0123456789abcdef\n`;

let counter = 0;
const fresh = (name: string): string => join(dir, `${++counter}-${name}`);

/** An ESP directory with the given entry files (what `--esp` points at on an installed system). */
function espDir(entries: readonly string[]): string {
  const esp = fresh('esp');
  mkdirSync(join(esp, 'loader', 'entries'), { recursive: true });
  for (const name of entries) writeFileSync(join(esp, 'loader', 'entries', name), 'title x\n');
  return esp;
}

/** Every path under a directory, to show a refusal left it as it was. */
const tree = (root: string): string[] => readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();

/** A small real installer medium of `version` (GPT, FAT32 ESP with medium.json; the boot files are not needed to be refused). */
function medium(version: string): string {
  const plan = planMedium(MIB, 4 * MIB);
  const path = fresh('medium.img');
  writeFileSync(path, '');
  truncateSync(path, plan.totalBytes);
  tool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', path], mediumSfdiskScript(plan));
  tool(['mkfs.vfat', '-F', '32', '-s', '8', `--offset=${plan.esp.offsetBytes / 512}`, path, String(plan.esp.sizeBytes / 1024)]);
  const manifest = {
    format: 1,
    version,
    kernel: `/rayos/${version}/vmlinuz`,
    initrd: `/rayos/${version}/initrd.img`,
    bootloader: '/EFI/systemd/systemd-bootx64.efi',
    recovery: { kernel: '/rayos/recovery/vmlinuz', initrd: '/rayos/recovery/initrd.img' },
    rootImage: { partitionName: ROOT_IMAGE_PARTITION_NAME, bytes: 4 * MIB },
    builtAt: '2025-01-01T00:00:00.000Z',
  };
  const local = fresh('medium.json');
  writeFileSync(local, JSON.stringify(manifest));
  const esp = `${path}@@${plan.esp.offsetBytes}`;
  tool(['mmd', '-i', esp, '::/rayos']);
  tool(['mcopy', '-i', esp, local, `::${MEDIUM_MANIFEST_PATH}`]);
  return path;
}

/** A request with a fake sysfs (no disks unless given) and progress and markers recorded in `heard`. */
function request(image: string, esp: string, cmdline: string, sysBlock?: string): { req: UpdateRequest; heard: string[] } {
  const heard: string[] = [];
  const req: UpdateRequest = {
    image,
    esp,
    cmdline,
    sysBlock: sysBlock ?? mkdtempSync(join(dir, 'sys-')),
    progress: (line) => heard.push(line),
    marker: (line) => heard.push(line),
  };
  return { req, heard };
}

test('runningRootPartUuid reads root=PARTUUID= anywhere on the line, lower-cased', () => {
  assert.equal(runningRootPartUuid(CMDLINE), UUID);
  assert.equal(runningRootPartUuid(`root=PARTUUID=${UUID.toUpperCase()}`), UUID);
  assert.equal(runningRootPartUuid(`quiet root=PARTUUID=${UUID}`), UUID);
  assert.equal(runningRootPartUuid(`quiet\troot=PARTUUID=${UUID}\tsplash`), UUID);
  assert.equal(runningRootPartUuid(`root=PARTUUID=${UUID}\n`), UUID);
});

test('runningRootPartUuid is null without a root=PARTUUID= option', () => {
  for (const cmdline of ['', '\n', 'console=ttyS0 quiet', 'root=/dev/vda2 rw', `root=UUID=${UUID}`, `rayos.data=PARTUUID=${UUID}`, `rayos.esp=PARTUUID=${UUID} rw`]) {
    assert.equal(runningRootPartUuid(cmdline), null, JSON.stringify(cmdline));
  }
});

test('runningRootPartUuid is null for a malformed root=PARTUUID= option', () => {
  for (const cmdline of [
    'root=PARTUUID=',
    'root=PARTUUID=3f2a9c4e',
    `root=PARTUUID=${UUID.slice(0, -1)}`,
    `root=PARTUUID=${UUID}0`,
    `root=PARTUUID=${UUID.replace('3', 'g')}`,
    `root=PARTUUID="${UUID}"`,
    `root=PARTUUID=${UUID},ro`,
    `root=PARTUUID=${UUID}/PARTNROFF=1`,
    `xroot=PARTUUID=${UUID}`,
    `myroot=PARTUUID=${UUID} rw`,
  ]) {
    assert.equal(runningRootPartUuid(cmdline), null, cmdline);
  }
});

test('applyUpdate on a system not started from a RayOS root slot is RAYOS_UPDATE_FAILED, and touches nothing', async () => {
  const esp = espDir(['rayos-1.0.0.conf']);
  const image = medium('2.0.0');
  for (const cmdline of ['', 'console=ttyS0 quiet', 'root=/dev/vda2 rw', `rayos.data=PARTUUID=${UUID}`]) {
    const { req, heard } = request(image, esp, cmdline);
    const result = await applyUpdate(req);
    assert.ok(!result.ok, cmdline);
    assert.equal(result.error.code, 'RAYOS_UPDATE_FAILED');
    assert.match(result.error.message, /no root=PARTUUID= on the kernel command line/);
    assert.deepEqual(heard, []);
  }
  assert.deepEqual(tree(esp), ['loader', 'loader/entries', 'loader/entries/rayos-1.0.0.conf']);
});

test('applyUpdate from an image that is not a medium is RAYOS_INSTALLER_BAD_MEDIUM, and touches nothing', async () => {
  const esp = espDir(['rayos-1.0.0.conf']);
  const blank = fresh('blank.img');
  writeFileSync(blank, '');
  truncateSync(blank, 8 * MIB);
  const text = fresh('notes.txt');
  writeFileSync(text, 'not a disk image\n');
  for (const image of [blank, text, join(dir, 'no-such-image.img')]) {
    const { req, heard } = request(image, esp, CMDLINE);
    const result = await applyUpdate(req);
    assert.ok(!result.ok, image);
    assert.equal(result.error.code, 'RAYOS_INSTALLER_BAD_MEDIUM', image);
    assert.deepEqual(heard, []);
  }
  assert.deepEqual(tree(esp), ['loader', 'loader/entries', 'loader/entries/rayos-1.0.0.conf']);
});

test('applyUpdate of a version that already has an entry waiting to be tried, being tried or good is RAYOS_UPDATE_FAILED', async () => {
  const image = medium('2.0.0');
  for (const existing of ['rayos-2.0.0+3.conf', 'rayos-2.0.0+1-2.conf', 'rayos-2.0.0.conf']) {
    const esp = espDir(['rayos-1.0.0.conf', existing]);
    const { req, heard } = request(image, esp, CMDLINE);
    const result = await applyUpdate(req);
    assert.ok(!result.ok, existing);
    assert.equal(result.error.code, 'RAYOS_UPDATE_FAILED');
    assert.match(result.error.message, /RayOS 2\.0\.0 already has a boot entry/);
    assert.deepEqual(heard, []);
    assert.deepEqual(tree(esp), ['loader', 'loader/entries', ...['loader/entries/rayos-1.0.0.conf', `loader/entries/${existing}`].sort()].sort());
  }
});

test('applyUpdate with an ESP that has no loader/entries is refused as no ESP', async () => {
  const esp = fresh('not-an-esp');
  mkdirSync(esp);
  const result = await applyUpdate(request(medium('2.0.0'), esp, CMDLINE).req);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_BOOTMGR_NO_ESP');
  assert.deepEqual(tree(esp), []);
});

test('applyUpdate when no disk holds the running root is RAYOS_UPDATE_FAILED naming the PARTUUID, and nothing is written', async () => {
  const esp = espDir(['rayos-1.0.0.conf']);
  const sys = mkdtempSync(join(dir, 'sys-'));
  // A disk sysfs lists whose device node does not exist: it has no partition table to read.
  mkdirSync(join(sys, 'vdzz'));
  writeFileSync(join(sys, 'vdzz', 'size'), '2097152\n');
  const { req, heard } = request(medium('2.0.0'), esp, CMDLINE, sys);
  const result = await applyUpdate(req);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_UPDATE_FAILED');
  assert.match(result.error.message, new RegExp(`No disk holds the running root \\(PARTUUID ${UUID}\\)`));
  assert.deepEqual(heard, []);
  assert.deepEqual(tree(esp), ['loader', 'loader/entries', 'loader/entries/rayos-1.0.0.conf']);
});

const OTHER = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const slotEntry = (fileName: string, rootPartUuid: string | null): SlotEntry => {
  const entry = parseEntryName(fileName);
  assert.ok(entry, fileName);
  return { entry, rootPartUuid };
};

test('planSlotEntries removes every entry that boots the slot about to be written, and keeps the running one', () => {
  const planned = planSlotEntries([slotEntry('rayos-1.0.0.conf', OTHER), slotEntry('rayos-1.1.0.conf', UUID), slotEntry('rayos-0.9.0+0-3.conf', OTHER)], '2.0.0', UUID, OTHER);
  assert.ok(planned.ok);
  assert.deepEqual(planned.value, ['rayos-1.0.0.conf', 'rayos-0.9.0+0-3.conf']);
});

test('planSlotEntries lets a version that failed every try in the other slot be applied again, replacing its entry', () => {
  const entries = [slotEntry('rayos-1.0.0.conf', UUID), slotEntry('rayos-2.0.0+0-3.conf', OTHER)];
  const early = planSlotEntries(entries, '2.0.0', UUID, null);
  assert.ok(early.ok);
  const planned = planSlotEntries(entries, '2.0.0', UUID, OTHER);
  assert.ok(planned.ok);
  assert.deepEqual(planned.value, ['rayos-2.0.0+0-3.conf']);
});

test('planSlotEntries refuses the running version, one waiting or good, and a failed one naming no slot of this disk', () => {
  const cases: [SlotEntry, RegExp][] = [
    [slotEntry('rayos-2.0.0.conf', UUID), /2\.0\.0 is the version running now/],
    [slotEntry('rayos-2.0.0+0-3.conf', UUID), /2\.0\.0 is the version running now/],
    [slotEntry('rayos-2.0.0+3.conf', OTHER), /waits to be tried/],
    [slotEntry('rayos-2.0.0.conf', OTHER), /was good there/],
    [slotEntry('rayos-2.0.0+0-3.conf', null), /names no root slot of this disk/],
  ];
  for (const [entry, why] of cases) {
    const planned = planSlotEntries([slotEntry('rayos-1.0.0.conf', UUID), entry], '2.0.0', UUID, OTHER);
    assert.ok(!planned.ok, entry.entry.fileName);
    assert.equal(planned.error.code, 'RAYOS_UPDATE_FAILED');
    assert.match(planned.error.message, why, entry.entry.fileName);
  }
});
