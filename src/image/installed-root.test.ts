// Tests the installed system's mount generator by running it (sh, as systemd would) on command lines with and without VM storage disks, reading the units it writes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DATA_MOUNT, escapeUnitPath, MOUNT_GENERATOR, VM_STORAGE_MOUNT_TIMEOUT_S } from './installed-root.js';
import { VM_STORAGE_MOUNTS } from './vm-storage-disk.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-generator-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const DATA = '11111111-2222-4333-8444-555555555555';
const ESP = '66666666-7777-4888-8999-aaaaaaaaaaaa';
const LINUX = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
const WINDOWS = '01234567-89ab-4cde-8f01-23456789abcd';
const LINUX_UNIT = 'var-lib-rayos-vm\\x2dstorage-linux.mount';
const WINDOWS_UNIT = 'var-lib-rayos-vm\\x2dstorage-windows.mount';

let n = 0;
/** Runs the generator as systemd does (one output directory), reading `cmdline` where it reads /proc/cmdline. */
function generate(cmdline: string): { out: string; files: Map<string, string> } {
  const run = join(dir, `run-${++n}`);
  const out = join(run, 'out');
  mkdirSync(out, { recursive: true });
  const cmdlineFile = join(run, 'cmdline');
  writeFileSync(cmdlineFile, `${cmdline}\n`);
  assert.ok(MOUNT_GENERATOR.includes('< /proc/cmdline'));
  const script = join(run, 'rayos-mounts');
  writeFileSync(script, MOUNT_GENERATOR.replace('< /proc/cmdline', `< ${cmdlineFile}`), { mode: 0o755 });
  const result = spawnSync('sh', [script, out], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  const files = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(out, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files.set(path, readFileSync(join(out, path), 'utf8'));
    }
  };
  walk('');
  return { out, files };
}

const BASE = `BOOT_IMAGE=/rayos/1.2.3/vmlinuz root=PARTUUID=deadbeef-0000-4000-8000-000000000001 rw rootwait console=ttyS0,115200 rayos.data=PARTUUID=${DATA} rayos.esp=PARTUUID=${ESP} panic=10`;

test('escapeUnitPath escapes like systemd-escape --path', () => {
  assert.equal(escapeUnitPath('/var/lib/rayos'), 'var-lib-rayos');
  assert.equal(escapeUnitPath(VM_STORAGE_MOUNTS.linux), 'var-lib-rayos-vm\\x2dstorage-linux');
  assert.throws(() => escapeUnitPath('relative/path'));
  assert.throws(() => escapeUnitPath('/with space'));
  const escape = spawnSync('systemd-escape', ['--path', VM_STORAGE_MOUNTS.windows], { encoding: 'utf8' });
  if (escape.status === 0) assert.equal(escapeUnitPath(VM_STORAGE_MOUNTS.windows), escape.stdout.trim());
});

test('without VM storage options: the data volume, its binds and the ESP, required by local-fs.target, and nothing for rayos.service', () => {
  const { files } = generate(BASE);
  assert.deepEqual([...files.keys()].sort(), ['efi.mount', 'local-fs.target.d/rayos-mounts.conf', 'var-lib-rayos.mount', 'var-lib-systemd-pstore.mount', 'var-log-journal.mount']);
  assert.match(files.get('var-lib-rayos.mount') ?? '', new RegExp(`^What=/dev/disk/by-partuuid/${DATA}$`, 'm'));
  assert.match(files.get('local-fs.target.d/rayos-mounts.conf') ?? '', /^Requires= var-lib-rayos\.mount var-log-journal\.mount var-lib-systemd-pstore\.mount efi\.mount$/m);
});

test('with both VM storage disks: a nofail mount for each under the data volume, with a job timeout, wanted by and ordered before rayos.service', () => {
  const { files } = generate(`${BASE} rayos.vmstore.linux=PARTUUID=${LINUX} rayos.vmstore.windows=PARTUUID=${WINDOWS}`);
  assert.deepEqual(
    [...files.keys()].sort(),
    ['efi.mount', 'local-fs.target.d/rayos-mounts.conf', 'rayos.service.d/rayos-vm-storage.conf', 'var-lib-rayos-vm\\x2dstorage-linux.mount', 'var-lib-rayos-vm\\x2dstorage-windows.mount', 'var-lib-rayos.mount', 'var-lib-systemd-pstore.mount', 'var-log-journal.mount'].sort(),
  );
  for (const [unit, uuid, where] of [[LINUX_UNIT, LINUX, VM_STORAGE_MOUNTS.linux], [WINDOWS_UNIT, WINDOWS, VM_STORAGE_MOUNTS.windows]] as const) {
    assert.equal(`${escapeUnitPath(where)}.mount`, unit, 'the unit is named after its mount point, as systemd requires');
    assert.equal(
      files.get(unit),
      [
        '[Unit]',
        `Description=RayOS VM storage at ${where}`,
        `RequiresMountsFor=${DATA_MOUNT}`,
        `JobTimeoutSec=${VM_STORAGE_MOUNT_TIMEOUT_S}`,
        '[Mount]',
        `What=/dev/disk/by-partuuid/${uuid}`,
        `Where=${where}`,
        'Type=ext4',
        // nofail: not ordered before local-fs.target, so a missing disk never fails it (the emergency shell).
        'Options=noatime,nofail',
        '',
      ].join('\n'),
    );
  }
  assert.equal(files.get('rayos.service.d/rayos-vm-storage.conf'), `[Unit]\nWants= ${LINUX_UNIT} ${WINDOWS_UNIT}\nAfter= ${LINUX_UNIT} ${WINDOWS_UNIT}\n`);
  // local-fs.target requires the same mounts as without storage disks: never the storage ones.
  assert.doesNotMatch(files.get('local-fs.target.d/rayos-mounts.conf') ?? '', /vm\\x2dstorage/);
  assert.equal(VM_STORAGE_MOUNT_TIMEOUT_S, 90);
});

test('with the Linux storage disk only: its mount alone; and no storage mount at all without the data volume to hold its mount point', () => {
  const linuxOnly = generate(`rayos.vmstore.linux=PARTUUID=${LINUX} ${BASE}`).files;
  assert.ok(linuxOnly.has(LINUX_UNIT));
  assert.ok(!linuxOnly.has(WINDOWS_UNIT));
  assert.equal(linuxOnly.get('rayos.service.d/rayos-vm-storage.conf'), `[Unit]\nWants= ${LINUX_UNIT}\nAfter= ${LINUX_UNIT}\n`);
  const noData = generate(`root=PARTUUID=deadbeef-0000-4000-8000-000000000001 rayos.vmstore.linux=PARTUUID=${LINUX} rayos.vmstore.windows=PARTUUID=${WINDOWS}`);
  assert.deepEqual([...noData.files.keys()], []);
  assert.ok(!existsSync(join(noData.out, 'rayos.service.d')));
});

test('the generated storage mount passes systemd-analyze verify (name matches Where=, every key known)', (t) => {
  const { out } = generate(`${BASE} rayos.vmstore.linux=PARTUUID=${LINUX}`);
  if (spawnSync('systemd-analyze', ['--version']).status !== 0) return t.skip('no systemd-analyze here');
  const verified = spawnSync('systemd-analyze', ['verify', '--man=no', join(out, LINUX_UNIT)], { encoding: 'utf8' });
  // Unknown keys are only warned about (exit 0): any line on stderr about the unit is a failure too.
  assert.equal(verified.status, 0, verified.stderr);
  assert.doesNotMatch(verified.stderr, /mount/, verified.stderr);
  // The drop-in's unit names (with their \x2d) name those units: as Requires= (which fails on a unit not found), a stand-in
  // rayos.service with it verifies against the generator's output directory.
  const wants = readFileSync(join(out, 'rayos.service.d', 'rayos-vm-storage.conf'), 'utf8');
  writeFileSync(join(out, 'rayos.service'), '[Service]\nExecStart=/bin/true\n');
  writeFileSync(join(out, 'rayos.service.d', 'rayos-vm-storage.conf'), wants.replace('Wants=', 'Requires='));
  const service = spawnSync('systemd-analyze', ['verify', '--man=no', join(out, 'rayos.service')], { encoding: 'utf8', env: { ...process.env, SYSTEMD_UNIT_PATH: `${out}:` } });
  assert.equal(service.status, 0, service.stderr);
  assert.doesNotMatch(service.stderr, /not found/, service.stderr);
});
