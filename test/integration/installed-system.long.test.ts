// The installable RayOS end to end under OVMF (TCG): the installer refuses bad targets, installs from its medium, the disk boots alone to READY and is blessed, the journal survives reboots, a panic is archived, and three failed boots fall back to recovery.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { blankDisk, buildTestMedium, diskFingerprint, GIB, partitionOffset, runImageProgram, writeIntoExt4 } from '../support/image-fixture.js';
import { startUefiMachine, type UefiMachine } from '../support/uefi-machine.js';
import { LOADER_VENDOR_GUID as LOADER_GUID } from '../../src/image/bootmgr-efivars.js';

const work = mkdtempSync(join(tmpdir(), 'rayos-installed-'));
let medium = '';
/** The disk test 2 installed and left blessed; the update test starts from it. */
let installedDisk = '';
const machines: UefiMachine[] = [];

// Whole boots under TCG take minutes: these tests set their own limits (the runner's default is 3 minutes).
const LONG = { timeout: 1_200_000 };

before(async () => {
  medium = await buildTestMedium(join(work, 'medium'));
}, LONG);
after(async () => {
  for (const m of machines) await m.stop();
  rmSync(work, { recursive: true, force: true });
});

async function machine(name: string, disks: string[]): Promise<UefiMachine> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const m = await startUefiMachine({ disks, workDir: dir });
  machines.push(m);
  return m;
}

/** Shell: wait (up to a minute) until systemd-bless-boot has run after READY, failing if it never does; the machine is slow under TCG. */
const AFTER_BLESS = 'for i in $(seq 60); do systemctl is-active -q systemd-bless-boot.service && break; sleep 1; done; systemctl is-active -q systemd-bless-boot.service';

/** The last line a shell command printed (console messages from the kernel and RayOS may come before it). */
const lastLine = (output: string): string => output.trim().split('\n').at(-1)?.trim() ?? '';

/** Waits for READY and the console's root prompt after `from`; returns where the prompt ended. */
async function bootedToReady(m: UefiMachine, from: number): Promise<number> {
  const ready = await m.waitFor('RAYOS_BOOT_MARKER:READY', 400_000, from);
  // The autologin prompt may have come before READY: ask for a fresh one.
  m.type('');
  return (await m.waitFor(/root@rayos:~# /, 120_000, ready.end)).end;
}

test('the installer refuses the medium, a small disk and a missing one; declining leaves the disk untouched', LONG, async () => {
  const asMedium = await runImageProgram(['install', '--medium', medium, '--target', medium, '--yes']);
  assert.equal(asMedium.code, 1);
  assert.match(asMedium.stderr, /^RAYOS_INSTALLER_TARGET_IS_MEDIUM: /m);

  const small = blankDisk(join(work, 'small.img'), 2 * GIB);
  const tooSmall = await runImageProgram(['install', '--medium', medium, '--target', small, '--yes']);
  assert.equal(tooSmall.code, 1);
  assert.match(tooSmall.stderr, /^RAYOS_INSTALLER_TOO_SMALL: /m);

  const missing = await runImageProgram(['install', '--medium', medium, '--target', join(work, 'no-such-disk'), '--yes']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^RAYOS_INSTALLER_NO_TARGET: There is no disk /m);

  const target = blankDisk(join(work, 'declined.img'));
  writeFileSync(target, 'someone else\'s data', { flag: 'r+' });
  const before = await diskFingerprint(target);
  const wrongName = await runImageProgram(['install', '--medium', medium, '--target', target], 'no\n');
  assert.equal(wrongName.code, 1);
  assert.match(wrongName.stderr, /^RAYOS_INSTALLER_DECLINED: Nothing was written/m);
  assert.match(wrongName.stdout, /Everything on it will be erased/);
  const notErase = await runImageProgram(['install', '--medium', medium, '--target', target], `${target}\nnope\n`);
  assert.match(notErase.stderr, /^RAYOS_INSTALLER_DECLINED: .*"erase"/m);
  const closedInput = await runImageProgram(['install', '--medium', medium, '--target', target], '');
  assert.match(closedInput.stderr, /^RAYOS_INSTALLER_DECLINED: /m);
  assert.equal(await diskFingerprint(target), before, 'a declined install wrote to the disk');
  assert.doesNotMatch(wrongName.stdout + notErase.stdout, /RAYOS_INSTALLER:WIPING/);
});

test('installed from its medium, the disk boots by itself to READY, is blessed, keeps its journal across reboots and archives a kernel panic', LONG, async () => {
  const target = blankDisk(join(work, 'target.img'));
  // A second disk for the Linux VM's storage, chosen at install.
  const vmDisk = blankDisk(join(work, 'vm-linux.img'), 2 * GIB);
  const installer = await machine('installer', [medium, target, vmDisk]);
  let at = (await installer.waitFor('RAYOS_RECOVERY:BOOTED:installer', 300_000)).end;
  at = (await installer.waitFor('rayos-recovery> ', 60_000, at)).end;
  installer.type('install --target /dev/vdb --linux-storage /dev/vdc');
  at = (await installer.waitFor('RAYOS_INSTALLER:DISK_DETECTED:vdb:', 60_000, at)).end;
  at = (await installer.waitFor("Type the target's name (vdb)", 60_000, at)).end;
  installer.type('vdb');
  at = (await installer.waitFor('Last chance: /dev/vdb and /dev/vdc are wiped', 60_000, at)).end;
  installer.type('erase');
  await installer.waitFor('RAYOS_INSTALLER:WIPING:vdb', 60_000, at);
  await installer.waitFor('RAYOS_INSTALLER:STORAGE:linux:vdc', 600_000, at);
  const firmwareEntry = await installer.waitFor(/RAYOS_INSTALLER:FIRMWARE_ENTRY:(Boot[0-9A-F]{4})/, 600_000, at);
  await installer.waitFor('RAYOS_INSTALLER:DONE', 600_000, firmwareEntry.end);
  await installer.stop();

  // The target alone, on the same machine (its firmware variables kept, the medium gone): the firmware boots the
  // entry the installer added, systemd-boot from \EFI\systemd\ (the removable path is shown by the other tests).
  mkdirSync(join(work, 'installed'), { recursive: true });
  copyFileSync(join(work, 'installer', 'OVMF_VARS.fd'), join(work, 'installed', 'OVMF_VARS.fd'));
  const m = await machine('installed', [target, vmDisk]);
  at = await bootedToReady(m, 0);
  const loader = await m.shell(`cat /sys/firmware/efi/efivars/LoaderImageIdentifier-${LOADER_GUID} | tail -c +5 | tr -d '\\000'; echo`);
  assert.match(loader.output, /^\\EFI\\systemd\\systemd-bootx64\.efi$/im, `booted through ${firmwareEntry.text.trim().split(':').at(-1) ?? ''}`);
  // The storage disk is mounted where RayOS keeps the Linux VM, and RayOS's config points there.
  const storage = await m.shell('findmnt -n -o SOURCE,FSTYPE /var/lib/rayos/vm-storage/linux; cat /var/lib/rayos/rayos.toml');
  assert.match(storage.output, /^\/dev\/vdb1\s+ext4$/m);
  assert.match(storage.output, /linuxStorage = "\/var\/lib\/rayos\/vm-storage\/linux\/vm"/);
  const entries = await m.shell(`${AFTER_BLESS}; systemctl is-active systemd-bless-boot.service; ls /efi/loader/entries`, 120_000);
  assert.match(entries.output, /^active$/m);
  assert.match(entries.output, /^rayos-recovery\.conf\s+rayos-test\.conf$/m, 'the counted entry was blessed to its plain name');
  const status = await m.shell('rayos bootmgr status --json');
  assert.equal((JSON.parse(lastLine(status.output)) as { blessed: boolean }).blessed, true);

  const nonce = `before-reboot-${Date.now()}`;
  const noted = await m.shell(`rayos log note ${nonce} && logger -t rayos-test ${nonce}`);
  assert.equal(noted.status, 0, noted.output);
  m.type('systemctl reboot');
  at = await bootedToReady(m, m.mark());
  const rayosJournal = await m.shell(`rayos log show --boot -1 | grep -c ${nonce}`);
  assert.equal(lastLine(rayosJournal.output), '1', 'the RayOS journal of the previous boot holds the note');
  const systemJournal = await m.shell(`journalctl -b -1 -t rayos-test -o cat --no-pager`);
  assert.match(systemJournal.output, new RegExp(nonce), 'the system journal of the previous boot is on disk');

  m.type('echo c > /proc/sysrq-trigger');
  await m.waitFor('Kernel panic - not syncing', 120_000, at);
  at = await bootedToReady(m, m.mark());
  const crashes = await m.shell('rayos crash list --json');
  const listed = JSON.parse(lastLine(crashes.output)) as { artifacts: { kind: string; summary: string }[] };
  assert.ok(
    listed.artifacts.some((a) => a.kind === 'kernel-panic' && /sysrq/i.test(a.summary)),
    `the panic is listed after the reboot: ${crashes.output}`,
  );
  m.type('poweroff');
  await m.waitFor('reboot: Power down', 120_000, at);
  await m.stop();
  installedDisk = target;
});

test('an A/B update that never boots falls back to the blessed slot; applied again, it boots from the other slot and is blessed; the journal carries over', LONG, async () => {
  assert.notEqual(installedDisk, '', 'needs the disk the install test left');
  const next = await buildTestMedium(join(work, 'medium-next'), { version: 'test2' });
  const m = await machine('update', [installedDisk, next]);
  let at = await bootedToReady(m, 0);
  // Fresh firmware variables: no boot entry for this disk, so it boots through the removable path.
  const loader = await m.shell(`cat /sys/firmware/efi/efivars/LoaderImageIdentifier-${LOADER_GUID} | tail -c +5 | tr -d '\\000'; echo`);
  assert.match(loader.output, /^\\EFI\\BOOT\\BOOTX64\.EFI$/im);
  const applied = await m.shell('rayos update apply /dev/vdb', 600_000);
  assert.equal(applied.status, 0, applied.output);
  assert.match(applied.output, /^RAYOS_UPDATE:SLOT_WRITTEN:rayos-root-b$/m);
  assert.match(applied.output, /^RAYOS_UPDATE:ENTRY_ADDED:rayos-test2\+3\.conf$/m);
  const again = await m.shell('rayos update apply /dev/vdb');
  assert.equal(again.status, 1, 'the same version twice is refused');
  assert.match(again.output, /RAYOS_UPDATE_FAILED: RayOS test2 already has a boot entry on the ESP \(rayos-test2\+3\.conf: it waits to be tried/);

  // Injected: the new slot's root filesystem is unreadable (a bad write), so its boots end in the initrd and never reach READY.
  assert.equal((await m.shell('dd if=/dev/zero of=/dev/vda3 bs=64K count=1 conv=fsync status=none')).status, 0);
  let from = m.mark();
  m.type('systemctl reboot');
  at = await bootedToReady(m, from);
  const failures = m.log().slice(from).match(/rayos-initrd: cannot mount \/dev\/vda3/g) ?? [];
  assert.equal(failures.length, 3, 'three tries of the new entry, each ending in the initrd');
  const fellBack = await m.shell(`findmnt -n -o SOURCE /; ls /efi/loader/entries`, 120_000);
  assert.match(fellBack.output, /^\/dev\/vda2$/m, 'the blessed version runs again, from root-A');
  assert.match(fellBack.output, /^rayos-recovery\.conf\s+rayos-test\.conf\s+rayos-test2\+0-3\.conf$/m, 'the update is counted out, the old entry still good');

  // Applied again (it failed every try), it replaces the failed entry and rewrites the slot.
  const retried = await m.shell('rayos update apply /dev/vdb', 600_000);
  assert.equal(retried.status, 0, retried.output);
  assert.match(retried.output, /^RAYOS_UPDATE:ENTRY_REMOVED:rayos-test2\+0-3\.conf$/m);
  assert.match(retried.output, /^RAYOS_UPDATE:SLOT_WRITTEN:rayos-root-b$/m);
  assert.match(retried.output, /^RAYOS_UPDATE:ENTRY_ADDED:rayos-test2\+3\.conf$/m);
  const marker = `before-update-${Date.now()}`;
  assert.equal((await m.shell(`rayos log note ${marker}`)).status, 0);

  from = m.mark();
  m.type('systemctl reboot');
  at = await bootedToReady(m, from);
  const status = JSON.parse(lastLine((await m.shell(`${AFTER_BLESS}; rayos bootmgr status --json`, 120_000)).output)) as { bootedId: string; blessed: boolean };
  // systemd-boot 252 reports the id the entry had when it booted, counter included (rayos-test2+3.conf).
  assert.match(status.bootedId, /^rayos-test2(\+3)?\.conf$/);
  assert.equal(status.blessed, true);
  const root = await m.shell('findmnt -n -o SOURCE /; ls /efi/loader/entries');
  assert.match(root.output, /^\/dev\/vda3$/m, 'the new version runs from root-B');
  assert.match(root.output, /^rayos-recovery\.conf\s+rayos-test\.conf\s+rayos-test2\.conf$/m, 'both versions blessed, the failed attempt gone');
  const carried = await m.shell(`rayos log show --boot -1 | grep -c ${marker}`);
  assert.equal(lastLine(carried.output), '1', 'the data volume, and its journal, is the same after the switch');
  void at;
});

test('three failed boots of a counted entry fall back to recovery, which says why', LONG, async () => {
  const target = blankDisk(join(work, 'failing.img'));
  const installed = await runImageProgram(['install', '--medium', medium, '--target', target, '--yes']);
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, /^RAYOS_INSTALLER:DONE$/m);
  // A configuration RayOS refuses: it exits at start, every start (a real failure, not a simulated one).
  writeIntoExt4(target, partitionOffset(target, 'rayos-data'), 'rayos.toml', 'no_such_key = 1\n', work);

  const m = await machine('failing', [target]);
  for (let boot = 1; boot <= 3; boot++) {
    const linux = await m.waitFor(/Linux version/, 300_000, boot === 1 ? 0 : m.mark());
    await m.waitFor('RAYOS_CONFIG_UNKNOWN_KEY', 300_000, linux.end);
    await m.waitFor('reboot: Restarting system', 300_000, linux.end);
  }
  // The whole line: the console arrives in pieces, and a match must not end where a piece did.
  const reason = await m.waitFor(/RAYOS_RECOVERY:REASON:[^\r\n]+\r?\n/, 300_000);
  assert.equal(reason.text.trim(), 'RAYOS_RECOVERY:REASON:boot-failed:rayos-test.conf');
  const why = m.log().slice(reason.end - 2000, reason.end + 4000);
  assert.match(why, /did not start 3 times in a row/);
  // Then RayOS's last journal lines, which name the bad key.
  const lastWords = await m.waitFor(/--- Last words of RayOS[^]*?\n---\r?\n/, 120_000, reason.end);
  assert.match(lastWords.text, /RAYOS_CONFIG_UNKNOWN_KEY: Unknown config key "no_such_key"/);
});

test('a start that hangs (RayOS stops petting) is killed, restarted, and the boot counts as failed; fixed, it is blessed; a hung system is reset by the hardware watchdog', LONG, async () => {
  const target = blankDisk(join(work, 'hanging.img'));
  const installed = await runImageProgram(['install', '--medium', medium, '--target', target, '--yes']);
  assert.equal(installed.code, 0, installed.stderr);
  // Injected: a real runtime cannot be made to wedge on demand. Its event loop blocks before READY, so the pings stop.
  writeIntoExt4(target, partitionOffset(target, 'rayos-data'), 'rayos.toml', '[diagnostics]\nfault = "hang-at-start"\n', work);

  const m = await machine('hanging', [target]);
  const hung = await m.waitFor('RAYOS_DIAGNOSTICS:FAULT:hang-at-start', 400_000);
  // The service watchdog kills it (no WATCHDOG=1 for WatchdogSec), systemd restarts it, three times, then reboots.
  await m.waitFor('reboot: Restarting system', 900_000, hung.end);
  // The second boot: still hanging, but the console works; the entry has counted two starts and no success.
  const second = await m.waitFor(/Linux version/, 300_000, m.mark());
  await m.waitFor(/root@rayos:~# /, 300_000, second.end);
  const why = await m.shell('journalctl -b -1 -u rayos.service -o cat --no-pager | grep -E "Watchdog timeout|repeated too quickly"');
  assert.equal(why.output.match(/Watchdog timeout/g)?.length, 3, `three watchdog kills in the first boot:\n${why.output}`);
  assert.match(why.output, /Start request repeated too quickly/);
  const counted = await m.shell('ls /efi/loader/entries');
  assert.match(counted.output, /^rayos-recovery\.conf\s+rayos-test\+1-2\.conf$/m, 'two boots tried, none blessed');
  // Fixed, the third try boots to READY and blesses the entry. (A restart within this boot would reach READY too, but
  // boot-complete.target already failed with RayOS here, so this boot stays counted, as it should.)
  await m.shell('rm /var/lib/rayos/rayos.toml && systemctl kill -s KILL rayos; systemctl reset-failed rayos; true');
  const before = m.mark();
  m.type('systemctl reboot');
  await bootedToReady(m, before);
  const fixed = await m.shell(`${AFTER_BLESS}; ls /efi/loader/entries`, 120_000);
  assert.equal(fixed.status, 0, fixed.output);
  assert.match(fixed.output, /^rayos-recovery\.conf\s+rayos-test\.conf$/m, 'READY after the fix blesses the entry on its last try');

  // A hang of the whole system: real-time busy loops on both CPUs (throttling off) starve PID 1, so nothing pets the
  // hardware watchdog (RuntimeWatchdogSec) and the i6300esb resets the machine: no kernel reboot, the next boot comes.
  const starved = m.mark();
  m.type("echo -1 > /proc/sys/kernel/sched_rt_runtime_us; for c in 0 1; do taskset -c $c chrt -f 99 sh -c 'while :; do :; done' & done");
  const reset = await m.waitFor(/Linux version/, 400_000, starved);
  assert.doesNotMatch(m.log().slice(starved, reset.end), /reboot: (Restarting system|machine restart)/, 'the reset came from the watchdog, not from the kernel');
  await bootedToReady(m, reset.end);
});
