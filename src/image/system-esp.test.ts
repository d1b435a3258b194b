// Tests what an installed disk's ESP holds (systemEspFiles): systemd-boot twice, loader.conf, the version's kernel and initrd, the counted system entry with its options, and the recovery entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITIAL_TRIES, RECOVERY_FILE_NAME } from './boot-entries.js';
import { MIB, partitionOf, planDisk, type DiskPlan } from './disk-layout.js';
import { type EspFile } from './image-assembly.js';
import { CONSOLE_OPTIONS, RECOVERY_DIR, systemDir, systemEspFiles, systemOptions, vmStoreOptions, type BootPayload } from './system-esp.js';

const GiB = 1024 * MIB;
const MACHINE_ID = '0123456789abcdef0123456789abcdef';

function plan(): DiskPlan {
  let n = 0;
  // Upper-case hex on purpose: every PARTUUID in an entry must come out lower-case.
  const result = planDisk(13 * GiB, { newUuid: () => `AAAAAAAA-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  if (!result.ok) assert.fail(result.error.message);
  return result.value;
}

const payload = (recovery: boolean): BootPayload => ({
  bootloader: '/build/systemd-bootx64.efi',
  version: '1.2.3',
  kernel: '/build/vmlinuz-6.1',
  initrd: '/build/initrd.img-6.1',
  recovery: recovery ? { kernel: '/build/recovery-vmlinuz', initrd: '/build/recovery.img' } : null,
});

function files(recovery: boolean, p: DiskPlan = plan()): EspFile[] {
  const result = systemEspFiles(p, payload(recovery), MACHINE_ID);
  if (!result.ok) assert.fail(result.error.message);
  return result.value;
}

const byPath = (list: readonly EspFile[], espPath: string): EspFile => {
  const found = list.find((f) => f.espPath === espPath);
  if (!found) assert.fail(`no ${espPath} in ${list.map((f) => f.espPath).join(', ')}`);
  return found;
};
const text = (file: EspFile): string => {
  if (typeof file.content !== 'string') assert.fail(`${file.espPath} is not text`);
  return file.content;
};
const source = (file: EspFile): string => {
  const content = file.content;
  if (typeof content === 'string' || !('sourcePath' in content)) assert.fail(`${file.espPath} is not copied from a file`);
  return content.sourcePath;
};
/** The entry's `key value` lines as [key, value] pairs, in order. */
const fields = (entry: string): [string, string][] =>
  entry
    .trimEnd()
    .split('\n')
    .map((line) => {
      const at = line.indexOf(' ');
      return [line.slice(0, at), line.slice(at + 1)];
    });
const field = (entry: string, key: string): string[] => fields(entry).filter(([k]) => k === key).map(([, v]) => v);

test('systemd-boot is installed at the removable-media fallback path and its own, both from the payload bootloader', () => {
  const list = files(true);
  assert.equal(source(byPath(list, '/EFI/BOOT/BOOTX64.EFI')), '/build/systemd-bootx64.efi');
  assert.equal(source(byPath(list, '/EFI/systemd/systemd-bootx64.efi')), '/build/systemd-bootx64.efi');
  const loader = text(byPath(list, '/loader/loader.conf'));
  assert.match(loader, /^timeout \d+$/m);
  assert.match(loader, /^editor no$/m);
  // Boot counting picks the entry: a default line could pin a bad one.
  assert.doesNotMatch(loader, /^default/m);
});

test('the version gets its own directory with the kernel and initrd from the payload', () => {
  const list = files(false);
  assert.equal(systemDir('1.2.3'), '/rayos/1.2.3');
  assert.equal(source(byPath(list, '/rayos/1.2.3/vmlinuz')), '/build/vmlinuz-6.1');
  assert.equal(source(byPath(list, '/rayos/1.2.3/initrd.img')), '/build/initrd.img-6.1');
});

test('the system entry is counted with three tries and boots the version from root-A by PARTUUID', () => {
  const p = plan();
  const list = files(true, p);
  assert.equal(INITIAL_TRIES, 3);
  const entry = text(byPath(list, '/loader/entries/rayos-1.2.3+3.conf'));
  assert.deepEqual(field(entry, 'version'), ['1.2.3']);
  assert.deepEqual(field(entry, 'linux'), ['/rayos/1.2.3/vmlinuz']);
  assert.deepEqual(field(entry, 'initrd'), ['/rayos/1.2.3/initrd.img']);
  // Every file the entry names is on the ESP.
  for (const path of [...field(entry, 'linux'), ...field(entry, 'initrd')]) byPath(list, path);
  const options = field(entry, 'options')[0]?.split(' ') ?? [];
  assert.equal(options[0], `root=PARTUUID=${partitionOf(p, 'root-a').partUuid.toLowerCase()}`);
  assert.match(options[0] ?? '', /^root=PARTUUID=[0-9a-f-]{36}$/);
  assert.ok(!options.includes(`root=PARTUUID=${partitionOf(p, 'root-b').partUuid.toLowerCase()}`));
  assert.ok(options.includes(`rayos.data=PARTUUID=${partitionOf(p, 'data').partUuid.toLowerCase()}`));
  assert.ok(options.includes(`rayos.esp=PARTUUID=${partitionOf(p, 'esp').partUuid.toLowerCase()}`));
  assert.ok(options.includes(`systemd.machine_id=${MACHINE_ID}`));
  assert.ok(options.includes('rw'));
  assert.ok(options.includes('panic=10'));
  assert.deepEqual(options.slice(1), ['rw', ...systemOptions(p, MACHINE_ID)]);
});

test('VM storage disks chosen at install are named on the system entry by PARTUUID (lower-case), never on recovery; none chosen, none named', () => {
  const p = plan();
  const linux = 'ABCDEF01-2345-4678-89AB-CDEF01234567';
  const windows = 'fedcba98-7654-4321-8fed-cba987654321';
  assert.deepEqual(vmStoreOptions({}), []);
  assert.deepEqual(vmStoreOptions({ windows }), [`rayos.vmstore.windows=PARTUUID=${windows}`]);
  assert.deepEqual(vmStoreOptions({ linux, windows }), [`rayos.vmstore.linux=PARTUUID=${linux.toLowerCase()}`, `rayos.vmstore.windows=PARTUUID=${windows}`]);
  assert.ok(!systemOptions(p, MACHINE_ID).some((o) => o.startsWith('rayos.vmstore.')));
  const both = systemEspFiles(p, payload(true), MACHINE_ID, { linux, windows });
  assert.ok(both.ok);
  const options = (field(text(byPath(both.value, '/loader/entries/rayos-1.2.3+3.conf')), 'options')[0] ?? '').split(' ');
  assert.deepEqual(options.slice(1), ['rw', ...systemOptions(p, MACHINE_ID, { linux, windows })]);
  assert.deepEqual(
    options.filter((o) => o.startsWith('rayos.vmstore.')),
    ['rayos.vmstore.linux=PARTUUID=abcdef01-2345-4678-89ab-cdef01234567', `rayos.vmstore.windows=PARTUUID=${windows}`],
  );
  // Beside the other partitions RayOS mounts, before the machine id.
  assert.ok(options.indexOf(`rayos.vmstore.linux=PARTUUID=${linux.toLowerCase()}`) > options.findIndex((o) => o.startsWith('rayos.esp=')));
  const recovery = text(byPath(both.value, `/loader/entries/${RECOVERY_FILE_NAME}`));
  assert.doesNotMatch(recovery, /rayos\.vmstore/);
  const onlyLinux = systemEspFiles(p, payload(false), MACHINE_ID, { linux });
  assert.ok(onlyLinux.ok);
  const entry = text(byPath(onlyLinux.value, '/loader/entries/rayos-1.2.3+3.conf'));
  assert.match(entry, /rayos\.vmstore\.linux=PARTUUID=abcdef01-/);
  assert.doesNotMatch(entry, /rayos\.vmstore\.windows/);
});

test('the serial console comes last among the consoles, so systemd and the RayOS markers reach it', () => {
  const entry = text(byPath(files(true), '/loader/entries/rayos-1.2.3+3.conf'));
  const consoles = (field(entry, 'options')[0] ?? '').split(' ').filter((o) => o.startsWith('console='));
  assert.deepEqual(consoles, [...CONSOLE_OPTIONS]);
  assert.ok(consoles.length >= 2);
  assert.match(consoles[consoles.length - 1] ?? '', /^console=ttyS0(,|$)/);
});

test('with a recovery payload: the recovery kernel, initramfs and an uncounted entry that never names a root slot', () => {
  const p = plan();
  const list = files(true, p);
  assert.equal(source(byPath(list, `${RECOVERY_DIR}/vmlinuz`)), '/build/recovery-vmlinuz');
  assert.equal(source(byPath(list, `${RECOVERY_DIR}/initrd.img`)), '/build/recovery.img');
  assert.equal(RECOVERY_FILE_NAME, 'rayos-recovery.conf');
  const entry = text(byPath(list, `/loader/entries/${RECOVERY_FILE_NAME}`));
  assert.deepEqual(field(entry, 'linux'), [`${RECOVERY_DIR}/vmlinuz`]);
  assert.deepEqual(field(entry, 'initrd'), [`${RECOVERY_DIR}/initrd.img`]);
  const options = (field(entry, 'options')[0] ?? '').split(' ');
  assert.ok(options.includes('rayos.mode=recovery'));
  assert.ok(options.includes(`rayos.data=PARTUUID=${partitionOf(p, 'data').partUuid.toLowerCase()}`));
  assert.ok(!options.some((o) => o.startsWith('root=')), options.join(' '));
  assert.match(options.filter((o) => o.startsWith('console=')).at(-1) ?? '', /^console=ttyS0/);
  assert.deepEqual(
    list.filter((f) => f.espPath.startsWith('/loader/entries/')).map((f) => f.espPath),
    ['/loader/entries/rayos-1.2.3+3.conf', `/loader/entries/${RECOVERY_FILE_NAME}`],
  );
});

test('without a recovery payload: no recovery entry and no recovery files', () => {
  const list = files(false);
  assert.ok(!list.some((f) => f.espPath.startsWith(`${RECOVERY_DIR}/`) || f.espPath.includes('recovery')), list.map((f) => f.espPath).join(', '));
  assert.deepEqual(
    list.map((f) => f.espPath),
    ['/EFI/BOOT/BOOTX64.EFI', '/EFI/systemd/systemd-bootx64.efi', '/loader/loader.conf', '/rayos/1.2.3/vmlinuz', '/rayos/1.2.3/initrd.img', '/loader/entries/rayos-1.2.3+3.conf'],
  );
});

test('every ESP path is absolute, unique and of characters systemd-boot and mtools take', () => {
  const list = files(true);
  assert.equal(new Set(list.map((f) => f.espPath)).size, list.length);
  for (const f of list) assert.match(f.espPath, /^(\/[0-9A-Za-z._+-]+)+$/);
});

test('each install gets the machine id it is given, and two plans give two different sets of PARTUUIDs in the entry', () => {
  const a = systemEspFiles(plan(), payload(false), MACHINE_ID);
  const other = planDisk(13 * GiB);
  assert.ok(a.ok && other.ok);
  const b = systemEspFiles(other.value, payload(false), 'fedcba9876543210fedcba9876543210');
  assert.ok(b.ok);
  const entryA = text(byPath(a.value, '/loader/entries/rayos-1.2.3+3.conf'));
  const entryB = text(byPath(b.value, '/loader/entries/rayos-1.2.3+3.conf'));
  assert.match(entryB, /systemd\.machine_id=fedcba9876543210fedcba9876543210/);
  assert.ok(entryB.includes(`root=PARTUUID=${partitionOf(other.value, 'root-a').partUuid}`));
  assert.notEqual(field(entryA, 'options')[0], field(entryB, 'options')[0]);
});

test('a version that cannot name a boot entry is refused with RAYOS_IMAGE_BAD_BOOT_ENTRY', () => {
  for (const version of ['1.0+3', '1 0', '', '../x']) {
    const result = systemEspFiles(plan(), { ...payload(true), version }, MACHINE_ID);
    assert.ok(!result.ok, version);
    assert.equal(result.error.code, 'RAYOS_IMAGE_BAD_BOOT_ENTRY');
  }
});

test('a machine id with whitespace cannot slip extra kernel options into the entry', () => {
  const result = systemEspFiles(plan(), payload(false), 'abc init=/bin/sh');
  assert.ok(!result.ok);
  assert.equal(result.error.code, 'RAYOS_IMAGE_BAD_BOOT_ENTRY');
});

test('every entry reboots through the ACPI reset register (the EFI reset stalls OVMF)', () => {
  const entries = files(true).filter((f) => f.espPath.startsWith('/loader/entries/'));
  assert.equal(entries.length, 2);
  for (const entry of entries) assert.match(String(entry.content), /^options .*(^|\s)reboot=acpi(\s|$)/m, entry.espPath);
});
