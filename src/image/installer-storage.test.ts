// Tests `rayos install --linux-storage/--windows-storage` on real image files: the refusals before any question, declining (no disk touched), and a full install whose storage disks, boot entry, install.json and rayos.toml are read back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, mkdtempSync, openSync, readSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { ConfigSchema } from '../contracts/config.js';
import { MIB } from './disk-layout.js';
import { runInstall, type InstallRequest } from './installer.js';
import { BOOT_FILES, GiB, installerFixture, tool } from './installer.test-support.js';

const fixture = installerFixture('rayos-install-storage-');
after(() => fixture.cleanup());
const { dir, fresh, sparse } = fixture;

/** smol-toml's tables have no prototype: plain objects, to compare. */
const readToml = (text: string): unknown => JSON.parse(JSON.stringify(parseToml(text)));
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const medium = fixture.makeMedium({ rootImage: fixture.rootImage(), files: BOOT_FILES }).path;
const request = (target: string, answers: string[], overrides: Partial<InstallRequest> = {}) => fixture.request(target, answers, medium, overrides);

/** What a disk holds, cheaply: its allocated blocks and a hash of its first and last 2 MiB (where GPTs and superblocks are). */
function fingerprint(path: string): string {
  const size = statSync(path).size;
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (const at of [0, Math.max(0, size - 2 * MIB)]) {
      const chunk = Buffer.alloc(2 * MIB);
      const read = readSync(fd, chunk, 0, chunk.length, at);
      hash.update(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return `${statSync(path).blocks}:${hash.digest('hex')}`;
}

/** A storage disk that held something before (a GPT of its own): the install must leave it exactly so when it refuses. */
function usedDisk(bytes: number, name: string): string {
  const disk = sparse(bytes, name);
  tool(['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', disk], 'label: gpt\nsize=64MiB, type=L, name="precious"\n');
  return disk;
}

test('a storage disk that is missing, too small, a directory, the medium, the target or the other storage disk is RAYOS_INSTALLER_BAD_STORAGE before any question; no disk is touched', async () => {
  const target = sparse(13 * GiB, 'target.img');
  const good = usedDisk(2 * GiB, 'good.img');
  const targetLink = fresh('target-link');
  symlinkSync(target, targetLink);
  const goodHard = fresh('good-hard');
  linkSync(good, goodHard);
  const folder = fresh('a-folder');
  mkdirSync(folder);
  const small = usedDisk(GiB - MIB, 'small.img');
  const cases: [string, Partial<InstallRequest>, RegExp][] = [
    ['missing', { linuxStorage: join(dir, 'no-such-disk.img') }, /^--linux-storage .*no-such-disk\.img: there is no such disk \(disks here: none found\)\. Choose another disk, or leave --linux-storage out to keep the Linux VMs on the data volume\.$/],
    ['a directory', { windowsStorage: folder }, /^--windows-storage .*a-folder: there is no such disk/],
    ['too small', { linuxStorage: small }, /small\.img: it holds 1023 MiB; a VM storage disk needs at least 1024 MiB/],
    ['the medium', { linuxStorage: medium }, /medium\.img: it is the medium RayOS is installing from/],
    ['the target', { windowsStorage: target }, /^--windows-storage .*target\.img: it is the target RayOS is installed on/],
    ['the target by a symlink', { linuxStorage: targetLink }, /target-link: it is the target RayOS is installed on/],
    ['the same disk twice', { linuxStorage: good, windowsStorage: goodHard }, /^--windows-storage .*good-hard: it is also the --linux-storage disk; each kind of VM needs a disk of its own/],
  ];
  const before = [target, good, small, medium].map(fingerprint);
  for (const [what, overrides, why] of cases) {
    const req = request(target, [target, 'erase'], overrides);
    const result = await runInstall(req);
    assert.ok(!result.ok, what);
    assert.equal(result.error.code, 'RAYOS_INSTALLER_BAD_STORAGE', `${what}: ${result.error.message}`);
    assert.match(result.error.message, why, what);
    assert.deepEqual(req.questions, [], `${what}: refused before anything is asked`);
    assert.ok(!req.markers.some((m) => m.startsWith('RAYOS_INSTALLER:WIPING') || m.startsWith('RAYOS_INSTALLER:STORAGE')), what);
  }
  assert.deepEqual([target, good, small, medium].map(fingerprint), before, 'not one byte of any disk changed');
  assert.equal(statSync(target).blocks, 0);
});

test('a block device that is not a whole disk this machine lists (a partition) is refused as a storage disk', async () => {
  // A device node with no driver behind it (major 240, local/experimental): it is stat'ed, never opened.
  const node = join(mkdtempSync(join(dir, 'dev-')), 'vdz1');
  execFileSync('mknod', [node, 'b', '240', '251']);
  const target = sparse(13 * GiB, 'target.img');
  const result = await runInstall(request(target, [], { linuxStorage: node }));
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_INSTALLER_BAD_STORAGE');
  assert.match(result.error.message, /vdz1: it is not a whole disk \(a partition\?\)/);
});

test('both questions name every disk that will be erased; any answer but the target name or "erase" declines and no disk is written', async () => {
  for (const answers of [['no'], ['TARGET', 'no'], ['TARGET', '']]) {
    const target = sparse(13 * GiB, 'target.img');
    const linux = sparse(2 * GiB, 'linux.img');
    const windows = usedDisk(3 * GiB, 'windows.img');
    const before = [target, linux, windows].map(fingerprint);
    const req = request(target, answers.map((a) => (a === 'TARGET' ? target : a)), { linuxStorage: linux, windowsStorage: windows });
    const result = await runInstall(req);
    const label = answers.join(',');
    assert.ok(!result.ok, label);
    assert.equal(result.error.code, 'RAYOS_INSTALLER_DECLINED', label);
    assert.equal(result.error.message.startsWith(`Nothing was written to ${target}, ${linux} or ${windows}: `), true, result.error.message);
    assert.match(
      req.questions[0] ?? '',
      new RegExp(
        `^Install RayOS 1\\.2\\.3 on ${escape(target)} \\(13\\.0 GiB\\) with the Linux VM storage on ${escape(linux)} \\(2\\.0 GiB\\) and with the Windows VM storage on ${escape(windows)} \\(3\\.0 GiB\\)\\? Everything on ${escape(target)}, ${escape(linux)} and ${escape(windows)} will be erased\\. Type the target's name \\(${escape(target)}\\) to go on`,
      ),
    );
    if (req.questions.length > 1) assert.equal(req.questions[1], `Last chance: ${target}, ${linux} and ${windows} are wiped when you type "erase": `);
    assert.deepEqual(req.markers, [], label);
    assert.deepEqual([target, linux, windows].map(fingerprint), before, `${label}: not one byte of any disk changed`);
  }
});

interface SfdiskJson {
  partitiontable: { label: string; partitions: { start: number; size: number; uuid: string; name: string; type: string }[] };
}
const partitions = (disk: string): SfdiskJson['partitiontable']['partitions'] => (JSON.parse(tool(['sfdisk', '--json', disk])) as SfdiskJson).partitiontable.partitions;

test('a full install with both storage disks: each gets one rayos-vm-<kind> partition with ext4 and vm/, the entry names their PARTUUIDs, rayos.toml and install.json say so', async () => {
  const target = sparse(13 * GiB, 'target.img');
  const linux = usedDisk(2 * GiB, 'linux.img');
  const windows = sparse(GiB, 'windows.img');
  const req = request(target, [target, 'erase'], { linuxStorage: linux, windowsStorage: windows });
  const result = await runInstall(req);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(req.markers, [`RAYOS_INSTALLER:WIPING:${target}`, `RAYOS_INSTALLER:STORAGE:linux:${linux}`, `RAYOS_INSTALLER:STORAGE:windows:${windows}`, 'RAYOS_INSTALLER:DONE']);
  assert.ok(req.said.some((line) => /Linux VM storage on .*linux\.img \(GPT, rayos-vm-linux, ext4, 2046 MiB\)/.test(line)), req.said.join('\n'));

  const uuids: Record<string, string> = {};
  for (const [kind, disk, bytes] of [['linux', linux, 2 * GiB], ['windows', windows, GiB]] as const) {
    const parts = partitions(disk);
    assert.equal(parts.length, 1, `${kind}: the old partitions are gone`);
    const part = parts[0];
    assert.ok(part);
    assert.equal(part.name, `rayos-vm-${kind}`);
    assert.equal(part.type.toUpperCase(), '0FC63DAF-8483-4772-8E79-3D69D8477DE4');
    assert.equal(part.start, 2048);
    assert.equal(part.size * 512, bytes - 2 * MIB);
    assert.match(part.uuid, /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/i, 'a random (version 4) PARTUUID');
    const probed = tool(['blkid', '-p', '-O', String(part.start * 512), '-o', 'export', disk]);
    assert.match(probed, /^TYPE=ext4$/m, kind);
    assert.match(probed, new RegExp(`^LABEL=rayos-vm-${kind}$`, 'm'), kind);
    assert.match(tool(['debugfs', '-R', 'ls -l /', `${disk}?offset=${part.start * 512}`]), /40700 .* vm\s*$/m, `${kind}: vm/ is there, owner-only`);
    uuids[kind] = part.uuid.toLowerCase();
  }
  assert.notEqual(uuids['linux'], uuids['windows']);

  const parts = partitions(target);
  const offset = (name: string): number => (parts.find((p) => p.name === name)?.start ?? -1) * 512;
  assert.ok(!parts.some((p) => Object.values(uuids).includes(p.uuid.toLowerCase())), 'PARTUUIDs are fresh per partition');
  const entry = tool(['mtype', '-i', `${target}@@${offset('ESP')}`, '::/loader/entries/rayos-1.2.3+3.conf']);
  const options = (/^options (.*)$/m.exec(entry)?.[1] ?? '').split(' ');
  assert.deepEqual(
    options.filter((o) => o.startsWith('rayos.vmstore.')),
    [`rayos.vmstore.linux=PARTUUID=${uuids['linux'] ?? ''}`, `rayos.vmstore.windows=PARTUUID=${uuids['windows'] ?? ''}`],
  );
  const recovery = tool(['mtype', '-i', `${target}@@${offset('ESP')}`, '::/loader/entries/rayos-recovery.conf']);
  assert.doesNotMatch(recovery, /rayos\.vmstore/);

  const data = `${target}?offset=${offset('rayos-data')}`;
  const record = JSON.parse(tool(['debugfs', '-R', 'cat /install.json', data])) as Record<string, unknown>;
  assert.deepEqual(record['vmStorage'], { linux: { disk: linux, partUuid: uuids['linux'] }, windows: { disk: windows, partUuid: uuids['windows'] } });
  const toml = tool(['debugfs', '-R', 'cat /rayos.toml', data]);
  assert.deepEqual(readToml(toml), { vm: { linuxStorage: '/var/lib/rayos/vm-storage/linux/vm', windowsStorage: '/var/lib/rayos/vm-storage/windows/vm' } });
  // The runtime reads it as valid configuration.
  const config = ConfigSchema.parse(parseToml(toml));
  assert.equal(config.vm.linuxStorage, '/var/lib/rayos/vm-storage/linux/vm');
  assert.equal(config.vm.windowsStorage, '/var/lib/rayos/vm-storage/windows/vm');
});

test('with the Linux storage disk only: only its partition, option and key', async () => {
  const target = sparse(13 * GiB, 'target.img');
  const linux = sparse(GiB, 'linux.img');
  const req = request(target, [], { yes: true, linuxStorage: linux });
  const result = await runInstall(req);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.deepEqual(req.questions, []);
  assert.deepEqual(req.markers, [`RAYOS_INSTALLER:WIPING:${target}`, `RAYOS_INSTALLER:STORAGE:linux:${linux}`, 'RAYOS_INSTALLER:DONE']);
  const uuid = partitions(linux)[0]?.uuid.toLowerCase();
  const parts = partitions(target);
  const offset = (name: string): number => (parts.find((p) => p.name === name)?.start ?? -1) * 512;
  const entry = tool(['mtype', '-i', `${target}@@${offset('ESP')}`, '::/loader/entries/rayos-1.2.3+3.conf']);
  assert.match(entry, new RegExp(` rayos\\.vmstore\\.linux=PARTUUID=${uuid ?? 'none'} `));
  assert.doesNotMatch(entry, /rayos\.vmstore\.windows/);
  const data = `${target}?offset=${offset('rayos-data')}`;
  assert.deepEqual(readToml(tool(['debugfs', '-R', 'cat /rayos.toml', data])), { vm: { linuxStorage: '/var/lib/rayos/vm-storage/linux/vm' } });
  assert.deepEqual((JSON.parse(tool(['debugfs', '-R', 'cat /install.json', data])) as Record<string, unknown>)['vmStorage'], { linux: { disk: linux, partUuid: uuid }, windows: null });
});
