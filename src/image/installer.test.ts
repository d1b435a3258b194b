// Tests `rayos install`'s parts on real files: listDisks on a fake sysfs, readPartitionTable and openMedium on tiny real media, runInstall's refusals and a full install onto a sparse file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MIB, partitionOf, planDisk } from './disk-layout.js';
import { decodeLoadOption, EFI_GLOBAL_VARIABLE_GUID } from './firmware-boot-entry.js';
import { addFirmwareBootEntry, firmwareEntrySkipReason, listDisks, openMedium, readPartitionTable, runInstall, type InstallRequest } from './installer.js';
import { BOOT_FILES, GiB, installerFixture, manifestFor, tool } from './installer.test-support.js';
import { MEDIUM_ESP_NAME, mediumSfdiskScript, planMedium, ROOT_IMAGE_PARTITION_NAME } from './medium-layout.js';

const fixture = installerFixture('rayos-installer-');
after(() => fixture.cleanup());
const { dir, emptySys, fresh, sparse, makeMedium } = fixture;

const validMedium = makeMedium();
/** An install request answered by `answers`, from the valid medium unless overridden. */
const request = (target: string, answers: string[], overrides: Partial<InstallRequest> = {}) => fixture.request(target, answers, validMedium.path, overrides);

test('listDisks reads whole disks from sysfs: size in sectors, model, no loop, optical, RAM or empty devices', async () => {
  const sys = mkdtempSync(join(dir, 'sys-'));
  const disk = (name: string, sectors: string | null, model?: string, vendor?: string): void => {
    mkdirSync(join(sys, name, 'device'), { recursive: true });
    if (sectors !== null) writeFileSync(join(sys, name, 'size'), sectors);
    if (model !== undefined) writeFileSync(join(sys, name, 'device', 'model'), model);
    if (vendor !== undefined) writeFileSync(join(sys, name, 'device', 'vendor'), vendor);
  };
  disk('vda', '41943040\n', 'QEMU HARDDISK   \n');
  disk('vdb', '2048\n');
  disk('sdb', '1000\n', '', 'ACME    \n');
  disk('nvme0n1', '3907029168\n', `Fast\u0001Disk ${'x'.repeat(60)}`);
  disk('loop0', '2097152\n', 'loop');
  disk('sr0', '2097152\n', 'DVD');
  disk('ram0', '8192\n');
  disk('zram0', '8192\n');
  disk('dm-0', '8192\n');
  disk('vdc', '0\n', 'empty card reader');
  disk('vdd', null, 'no size file');
  disk('vde', 'garbage\n');
  const disks = await listDisks(sys);
  assert.deepEqual(
    disks.map((d) => [d.name, d.path, d.bytes, d.model]),
    [
      ['nvme0n1', '/dev/nvme0n1', 3907029168 * 512, `Fast?Disk ${'x'.repeat(30)}`],
      ['sdb', '/dev/sdb', 1000 * 512, 'ACME'],
      ['vda', '/dev/vda', 41943040 * 512, 'QEMU HARDDISK'],
      ['vdb', '/dev/vdb', 2048 * 512, 'virtio disk'],
    ],
  );
  assert.deepEqual(await listDisks(join(dir, 'no-such-sys')), []);
  assert.deepEqual(await listDisks(emptySys), []);
});

test('readPartitionTable: null for a file with no GPT or no file at all; the partitions of a medium', async () => {
  assert.equal(await readPartitionTable(sparse(8 * MIB, 'blank.img')), null);
  assert.equal(await readPartitionTable(join(dir, 'missing.img')), null);
  const table = await readPartitionTable(validMedium.path);
  assert.ok(table);
  assert.equal(table.label, 'gpt');
  assert.deepEqual(
    table.partitions.map((p) => [p.name, p.start, p.size, p.uuid?.toLowerCase()]),
    [validMedium.plan.esp, validMedium.plan.rootImage].map((p) => [p.name, p.offsetBytes / 512, p.sizeBytes / 512, p.partUuid]),
  );
});

test('openMedium accepts a valid medium: the manifest and the offsets of the ESP and the root image', async () => {
  const medium = await openMedium(validMedium.path);
  assert.ok(medium.ok, medium.ok ? '' : medium.error.message);
  assert.equal(medium.value.path, validMedium.path);
  assert.equal(medium.value.espOffsetBytes, validMedium.plan.esp.offsetBytes);
  assert.equal(medium.value.rootOffsetBytes, validMedium.plan.rootImage.offsetBytes);
  assert.deepEqual(medium.value.manifest, manifestFor(4 * MIB));
});

test('openMedium refuses a file with no GPT, and a GPT without the medium partitions', async () => {
  const blank = await openMedium(sparse(400 * MIB, 'blank.img'));
  assert.ok(!blank.ok);
  assert.equal(blank.error.code, 'RAYOS_INSTALLER_BAD_MEDIUM');
  assert.match(blank.error.message, /no partition table/);
  const renamed = makeMedium({ editScript: (s) => s.replace(`name="${MEDIUM_ESP_NAME}"`, 'name="ESP"') });
  const other = await openMedium(renamed.path);
  assert.ok(!other.ok);
  assert.equal(other.error.code, 'RAYOS_INSTALLER_BAD_MEDIUM');
  assert.match(other.error.message, /lacks the rayos-medium-esp or rayos-root-image partition/);
  const noRoot = await openMedium(makeMedium({ editScript: (s) => s.replace(`name="${ROOT_IMAGE_PARTITION_NAME}"`, 'name="rayos-root-a"') }).path);
  assert.ok(!noRoot.ok && noRoot.error.code === 'RAYOS_INSTALLER_BAD_MEDIUM');
});

test('openMedium refuses a medium whose manifest is missing, not JSON, or not a valid manifest', async () => {
  const cases: [string, string | null, RegExp][] = [
    ['missing', null, /has no rayos-medium-esp\/rayos\/medium\.json/],
    ['not JSON', '{"format": 1,', /is not JSON/],
    ['format 2', JSON.stringify({ ...manifestFor(4 * MIB), format: 2 }), /is not valid/],
    ['escaping version', JSON.stringify({ ...manifestFor(4 * MIB), version: '../../etc' }), /is not valid/],
    ['another root partition', JSON.stringify({ ...manifestFor(4 * MIB), rootImage: { partitionName: 'rayos-root-a', bytes: MIB } }), /is not valid/],
    ['root image larger than its partition', JSON.stringify(manifestFor(4 * MIB + 1)), /smaller than its manifest says/],
  ];
  for (const [what, manifest, why] of cases) {
    const medium = await openMedium(makeMedium({ manifest }).path);
    assert.ok(!medium.ok, what);
    assert.equal(medium.error.code, 'RAYOS_INSTALLER_BAD_MEDIUM', what);
    assert.match(medium.error.message, why, what);
  }
});

test('runInstall with no medium given and no booted disk to find it is RAYOS_INSTALLER_NO_MEDIUM', async () => {
  const target = sparse(13 * GiB);
  const result = await runInstall(request(target, [], { medium: undefined, efivars: mkdtempSync(join(dir, 'efivars-')) }));
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_NO_MEDIUM');
  assert.equal(statSync(target).blocks, 0);
});

test('runInstall onto a target that does not exist is RAYOS_INSTALLER_NO_TARGET, listing the disks there are', async () => {
  const sys = mkdtempSync(join(dir, 'sys-'));
  mkdirSync(join(sys, 'vda', 'device'), { recursive: true });
  writeFileSync(join(sys, 'vda', 'size'), String(20 * 2 * 1024 * 1024));
  writeFileSync(join(sys, 'vda', 'device', 'model'), 'QEMU HARDDISK');
  const req = request(join(dir, 'no-such-disk'), [], { sysBlock: sys });
  const result = await runInstall(req);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_NO_TARGET');
  assert.match(result.error.message, /\/dev\/vda \(20\.0 GiB, QEMU HARDDISK\)/);
  assert.deepEqual(req.markers, [`RAYOS_INSTALLER:DISK_DETECTED:vda:${20 * GiB}:QEMU_HARDDISK`]);
  const none = await runInstall(request(join(dir, 'no-such-disk'), []));
  assert.ok(!none.ok && /none found/.test(none.error.message));
});

test('runInstall onto a dangling symlink is RAYOS_INSTALLER_NO_TARGET, not an exception', async () => {
  const dangling = fresh('dangling');
  symlinkSync(join(dir, 'gone.img'), dangling);
  const result = await runInstall(request(dangling, [dangling, 'erase'])).catch((error: unknown) => assert.fail(`runInstall threw: ${String(error)}`));
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_NO_TARGET');
});

test('runInstall onto the medium itself (by its path, a symlink or a hard link) is RAYOS_INSTALLER_TARGET_IS_MEDIUM', async () => {
  const link = fresh('medium-link');
  symlinkSync(validMedium.path, link);
  const hard = fresh('medium-hard');
  linkSync(validMedium.path, hard);
  for (const target of [validMedium.path, link, hard]) {
    const req = request(target, ['x', 'erase']);
    const result = await runInstall(req);
    assert.ok(!result.ok, target);
    assert.equal(result.error.code, 'RAYOS_INSTALLER_TARGET_IS_MEDIUM', target);
    assert.deepEqual(req.questions, []);
  }
  // The medium is still a medium.
  assert.ok((await openMedium(validMedium.path)).ok);
});

test('runInstall onto a 2 GiB target is RAYOS_INSTALLER_TOO_SMALL before any question, and writes nothing', async () => {
  const target = sparse(2 * GiB);
  const req = request(target, [target, 'erase']);
  const result = await runInstall(req);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_TOO_SMALL');
  assert.match(result.error.message, /holds 2048 MiB/);
  assert.deepEqual(req.questions, []);
  assert.equal(statSync(target).blocks, 0);
});

test('runInstall from a medium that is not valid is RAYOS_INSTALLER_BAD_MEDIUM before any question', async () => {
  const target = sparse(13 * GiB);
  const req = request(target, [target, 'erase'], { medium: makeMedium({ manifest: '[]' }).path });
  const result = await runInstall(req);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_BAD_MEDIUM');
  assert.deepEqual(req.questions, []);
  assert.equal(statSync(target).blocks, 0);
});

test('runInstall: any answer but the target name, or anything but "erase" after it, is RAYOS_INSTALLER_DECLINED and nothing is written', async () => {
  for (const answers of [['no'], [''], ['yes'], ['TARGET', 'no'], ['TARGET', 'Erase'], ['TARGET', '']]) {
    const target = sparse(13 * GiB);
    const req = request(target, answers.map((a) => (a === 'TARGET' ? target : a)));
    const result = await runInstall(req);
    assert.ok(!result.ok, answers.join(','));
    assert.equal(result.error.code, 'RAYOS_INSTALLER_DECLINED', answers.join(','));
    assert.equal(req.questions.length, answers.length, answers.join(','));
    assert.match(req.questions[0] ?? '', new RegExp(`Install RayOS 1\\.2\\.3 on .*13\\.0 GiB.*erased.*\\(${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    assert.ok(!req.markers.some((m) => m.startsWith('RAYOS_INSTALLER:WIPING')), req.markers.join(' '));
    assert.equal(statSync(target).blocks, 0, `${answers.join(',')}: not one block written`);
  }
});

test('a symlink to a disk (like /dev/disk/by-id/…) is sized from sysfs like the disk itself, not refused as 0 MiB', async () => {
  // A block device node with no driver behind it (major 240, local/experimental): it is stat'ed, never opened.
  const sys = mkdtempSync(join(dir, 'sys-'));
  mkdirSync(join(sys, 'vdz'), { recursive: true });
  writeFileSync(join(sys, 'vdz', 'size'), String((13 * GiB) / 512));
  const devDir = mkdtempSync(join(dir, 'dev-'));
  const node = join(devDir, 'vdz');
  execFileSync('mknod', [node, 'b', '240', '250']);
  const byId = join(devDir, 'virtio-rayos-test-disk');
  symlinkSync(node, byId);
  const direct = await runInstall(request(node, ['no'], { sysBlock: sys }));
  assert.ok(!direct.ok);
  assert.equal(direct.error.code, 'RAYOS_INSTALLER_DECLINED', `the node itself: ${direct.error.message}`);
  const viaLink = await runInstall(request(byId, ['no'], { sysBlock: sys }));
  assert.ok(!viaLink.ok);
  assert.equal(viaLink.error.code, 'RAYOS_INSTALLER_DECLINED', `a symlink to the node: ${viaLink.error.message}`);
});

test('a full install from a tiny medium onto a used 13 GiB file: GPT, ESP with entries and boot files, root-A, data with install.json', async () => {
  const rootImage = fixture.rootImage();
  const medium = makeMedium({ rootImage, files: BOOT_FILES });
  const target = sparse(13 * GiB);
  // The target held something before (an old medium's GPT): the install replaces it.
  tool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', target], mediumSfdiskScript(planMedium(MIB, MIB)));
  const req = request(target, [target, 'erase'], { medium: medium.path });
  const result = await runInstall(req);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.equal(result.value.target, target);
  assert.equal(result.value.version, '1.2.3');
  assert.match(result.value.machineId, /^[0-9a-f]{32}$/);
  assert.equal(req.questions.length, 2);
  assert.deepEqual(req.markers, [`RAYOS_INSTALLER:WIPING:${target}`, 'RAYOS_INSTALLER:DONE']);
  assert.ok(req.said.length >= 5 && req.said.every((line) => /^\[install \d+\.\d s\] /.test(line)), req.said.join('\n'));
  // An image file is no disk of this machine: no firmware boot entry, and the log says why.
  assert.ok(req.said.some((line) => /no firmware boot entry: the target is an image file.*removable path \\EFI\\BOOT\\BOOTX64\.EFI$/.test(line)), req.said.join('\n'));

  const table = JSON.parse(tool(['sfdisk', '--json', target])) as { partitiontable: { partitions: { start: number; uuid: string; name: string }[] } };
  const parts = table.partitiontable.partitions;
  assert.deepEqual(
    parts.map((p) => p.name),
    ['ESP', 'rayos-root-a', 'rayos-root-b', 'rayos-data'],
  );
  const offset = (name: string): number => (parts.find((p) => p.name === name)?.start ?? -1) * 512;
  const esp = `${target}@@${offset('ESP')}`;
  const entries = tool(['mdir', '-b', '-i', esp, '::/loader/entries']);
  assert.match(entries, /\/rayos-1\.2\.3\+3\.conf$/m);
  assert.match(entries, /\/rayos-recovery\.conf$/m);
  for (const [to, from] of [
    ['/EFI/BOOT/BOOTX64.EFI', '/EFI/systemd/systemd-bootx64.efi'],
    ['/EFI/systemd/systemd-bootx64.efi', '/EFI/systemd/systemd-bootx64.efi'],
    ['/rayos/1.2.3/vmlinuz', '/rayos/1.2.3/vmlinuz'],
    ['/rayos/1.2.3/initrd.img', '/rayos/1.2.3/initrd.img'],
    ['/rayos/recovery/vmlinuz', '/rayos/recovery/vmlinuz'],
    ['/rayos/recovery/initrd.img', '/rayos/recovery/initrd.img'],
  ] as const) {
    assert.equal(tool(['mtype', '-i', esp, `::${to}`]), BOOT_FILES[from], to);
  }
  const entry = tool(['mtype', '-i', esp, '::/loader/entries/rayos-1.2.3+3.conf']);
  const rootA = parts.find((p) => p.name === 'rayos-root-a');
  assert.match(entry, new RegExp(`^options root=PARTUUID=${rootA?.uuid.toLowerCase() ?? 'none'} rw .*systemd\\.machine_id=${result.value.machineId}`, 'm'));
  // The medium is not the target: no medium.json, no installer entry on the installed ESP.
  assert.doesNotMatch(tool(['mdir', '-b', '-i', esp, '::/rayos']), /medium\.json/);

  assert.equal(tool(['debugfs', '-R', 'cat /marker', `${target}?offset=${offset('rayos-root-a')}`]), 'installed root\n');
  const record = JSON.parse(tool(['debugfs', '-R', 'cat /install.json', `${target}?offset=${offset('rayos-data')}`])) as Record<string, unknown>;
  assert.equal(record['version'], '1.2.3');
  assert.equal(record['machineId'], result.value.machineId);
  // No storage disk chosen: the VMs stay on the data volume, and no rayos.toml says otherwise (installer-storage.test.ts has them).
  assert.deepEqual(record['vmStorage'], { linux: null, windows: null });
  assert.doesNotMatch(tool(['debugfs', '-R', 'ls /', `${target}?offset=${offset('rayos-data')}`]), /rayos\.toml/);
  assert.doesNotMatch(entry, /rayos\.vmstore/);
});

test('a medium missing a boot file its manifest names is RAYOS_INSTALLER_BAD_MEDIUM before the wipe, even with --yes', async () => {
  const partial: Record<string, string> = { ...BOOT_FILES };
  delete partial['/rayos/recovery/initrd.img'];
  const medium = makeMedium({ files: partial });
  const target = sparse(13 * GiB);
  const req = request(target, [], { medium: medium.path, yes: true });
  const result = await runInstall(req);
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_BAD_MEDIUM');
  assert.match(result.error.message, /lacks \/rayos\/recovery\/initrd\.img/);
  assert.deepEqual(req.questions, []);
  assert.deepEqual(req.markers, []);
  assert.equal(statSync(target).blocks, 0);
});

test('the firmware boot entry is set only for a disk of this machine booted through UEFI (efivarfs mounted)', async () => {
  assert.match((await firmwareEntrySkipReason(false, '/sys/firmware/efi/efivars')) ?? '', /image file/);
  assert.match((await firmwareEntrySkipReason(true, join(dir, 'no-efivars'))) ?? '', /no EFI variables at .*did not boot through UEFI/);
  assert.match((await firmwareEntrySkipReason(true, mkdtempSync(join(dir, 'efivars-')))) ?? '', /is not efivarfs \(mount it/);
});

test('addFirmwareBootEntry: Boot0000 "RayOS" → systemd-boot on the planned ESP, first in BootOrder, and its marker; a failure is a warning only', async () => {
  const plan = planDisk(13 * GiB);
  assert.ok(plan.ok);
  const esp = partitionOf(plan.value, 'esp');
  const efivars = mkdtempSync(join(dir, 'efivars-'));
  const said: string[] = [];
  const markers: string[] = [];
  await addFirmwareBootEntry(efivars, plan.value, { say: (l) => said.push(l), marker: (l) => markers.push(l) }, { chattr: null });
  assert.deepEqual(markers, ['RAYOS_INSTALLER:FIRMWARE_ENTRY:Boot0000']);
  const option = decodeLoadOption(readFileSync(join(efivars, `Boot0000-${EFI_GLOBAL_VARIABLE_GUID}`)).subarray(4));
  assert.deepEqual(option, {
    attributes: 1,
    description: 'RayOS',
    partition: { number: 1, startLba: esp.startSector, sizeLba: esp.sizeSectors, partUuid: esp.partUuid },
    partUuid: esp.partUuid,
    loaderPath: '\\EFI\\systemd\\systemd-bootx64.efi',
  });
  assert.equal(esp.startSector, 2048);
  assert.deepEqual([...readFileSync(join(efivars, `BootOrder-${EFI_GLOBAL_VARIABLE_GUID}`))], [7, 0, 0, 0, 0, 0]);
  assert.match(said.join('\n'), /Boot0000 "RayOS"/);

  const failedSaid: string[] = [];
  const failedMarkers: string[] = [];
  await addFirmwareBootEntry(join(dir, 'no-efivars'), plan.value, { say: (l) => failedSaid.push(l), marker: (l) => failedMarkers.push(l) }, { chattr: null });
  assert.deepEqual(failedMarkers, []);
  assert.equal(failedSaid.length, 1);
  assert.match(failedSaid[0] ?? '', /^warning: RAYOS_INSTALLER_FIRMWARE_ENTRY_FAILED: .*removable path \\EFI\\BOOT\\BOOTX64\.EFI/);
});
