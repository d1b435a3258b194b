// Owns the recovery console (run by the recovery initramfs's PID 1): says why recovery booted, then offers install, logs, crashes, rollback, a shell and reboot on the console.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createInterface, type Interface } from 'node:readline';
import type { Command } from 'commander';
import { runCommand } from '../platform/process/run-command.js';
import { DEFAULT_EFIVARS, decodeLoaderString, LOADER_VENDOR_GUID } from './bootmgr-efivars.js';
import { listBootEntries, setNextBoot } from './bootmgr.js';
import { listCrashArtifacts } from './crash-archive.js';
import { terminalAsker } from './install-command.js';
import { listDisks, runInstall } from './installer.js';

const ESP_MOUNT = '/mnt/esp';
const DATA_MOUNT = '/mnt/data';

type Mode = 'installer' | 'recovery';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function kernelOption(name: string): Promise<string | null> {
  const cmdline = await readFile('/proc/cmdline', 'utf8').catch(() => '');
  for (const word of cmdline.trim().split(/\s+/)) if (word.startsWith(`${name}=`)) return word.slice(name.length + 1);
  return null;
}

/** The device of a partition by its GPT UUID, once the kernel has found it (disks appear a moment after boot). */
async function deviceOfPartUuid(uuid: string): Promise<string | null> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = await runCommand(['blkid', '-t', `PARTUUID=${uuid}`, '-o', 'device'], { deadlineMs: 10_000 });
    const device = found.stdout.trim().split('\n')[0];
    if (found.code === 0 && device) return device;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}

async function mountPartition(uuid: string | null, where: string, type: string, options: string): Promise<boolean> {
  if (uuid === null) return false;
  const device = await deviceOfPartUuid(uuid.replace(/^PARTUUID=/, ''));
  if (device === null) return false;
  await mkdir(where, { recursive: true });
  const mounted = await runCommand(['mount', '-t', type, '-o', options, device, where], { deadlineMs: 30_000 });
  return mounted.code === 0;
}

async function loaderDevicePartUuid(): Promise<string | null> {
  const raw = await readFile(`${DEFAULT_EFIVARS}/LoaderDevicePartUUID-${LOADER_VENDOR_GUID}`).catch(() => null);
  return raw === null ? null : (decodeLoaderString(raw)?.toLowerCase() ?? null);
}

/** Why this boot is recovery: an entry out of tries (the usual), or a person asked for it. */
async function explainWhy(espMounted: boolean, dataMounted: boolean): Promise<void> {
  let why = 'unknown';
  let entry = '-';
  if (espMounted) {
    const listing = await listBootEntries({ esp: ESP_MOUNT, efivars: DEFAULT_EFIVARS });
    if (listing.ok) {
      const bad = listing.value.entries.filter((e) => e.kind === 'system' && e.state === 'bad');
      const good = listing.value.entries.filter((e) => e.kind === 'system' && e.state === 'good');
      if (bad.length > 0 && bad[0] !== undefined) {
        why = 'boot-failed';
        entry = bad[0].id;
        say(`RayOS ${bad[0].version ?? ''} did not start ${bad[0].triesDone ?? 3} times in a row (boot entry ${bad[0].fileName}), so the machine started the recovery system.`);
        say(good.length > 0 ? `A known-good version is still installed: "rollback" boots ${good[0]?.id} next.` : 'No other version is known to be good; "logs" shows why it failed, "install" reinstalls.');
      } else {
        why = 'requested';
        say('The recovery system was chosen (rayos recovery, or the boot menu); every RayOS entry still has tries left.');
      }
    }
  } else say('The ESP this machine booted from could not be read; boot entries cannot be checked.');
  say(`RAYOS_RECOVERY:REASON:${why}:${entry}`);
  if (dataMounted) await showLogs(15, 'Last words of RayOS before recovery');
  else say('The data volume could not be mounted (no rayos.data on the command line, or it is damaged): logs and crashes are not available.');
}

async function showLogs(lines: number, heading = 'RayOS journal'): Promise<void> {
  const dir = `${DATA_MOUNT}/system/journal`;
  if (!existsSync(dir)) return say('No system journal on the data volume.');
  const shown = await runCommand(['journalctl', '-D', dir, '-u', 'rayos.service', '-n', String(lines), '--no-pager', '-o', 'short-monotonic'], { deadlineMs: 60_000, maxOutputBytes: 1024 * 1024 });
  say(`--- ${heading} (${dir}) ---`);
  say(shown.stdout.trim() || shown.stderr.trim() || '(empty)');
  say('---');
}

async function showCrashes(): Promise<void> {
  const listed = await listCrashArtifacts(`${DATA_MOUNT}/crash`);
  if (!listed.ok) return say(`${listed.error.code}: ${listed.error.message}`);
  if (listed.value.artifacts.length === 0) return say('No crash artifacts on the data volume.');
  for (const a of listed.value.artifacts) say(`${a.id}  ${a.kind}  ${a.time}  ${a.summary}`);
}

async function rollback(): Promise<void> {
  const listing = await listBootEntries({ esp: ESP_MOUNT, efivars: DEFAULT_EFIVARS });
  if (!listing.ok) return say(`${listing.error.code}: ${listing.error.message}`);
  const good = listing.value.entries.find((e) => e.kind === 'system' && e.state === 'good');
  if (good === undefined) return say('No RayOS version on this disk is known to be good; reinstall with "install".');
  const set = await setNextBoot({ esp: ESP_MOUNT, efivars: DEFAULT_EFIVARS, entry: good.id });
  say(set.ok ? `The next boot starts ${good.id} (known good). Type "reboot".` : `${set.error.code}: ${set.error.message}`);
}

const HELP = [
  'Commands:',
  '  disks                          the disks this machine has',
  '  install --target DISK [--yes]  install RayOS on DISK (asks twice before wiping)',
  '    [--linux-storage DISK] [--windows-storage DISK]  and keep those VMs on their own disks (erased too)',
  '  logs [N]                       the last N lines RayOS logged (default 50)',
  '  crashes                        kernel panics and RayOS fatal errors kept on the data volume',
  '  rollback                       boot the last known-good RayOS next',
  '  shell                          a root shell (exit returns here)',
  '  reboot | poweroff',
].join('\n');

/** A shell on the console; the console stops reading meanwhile, or it would take the shell's input. */
async function runShell(lines: Interface): Promise<void> {
  lines.pause();
  process.stdin.pause();
  await new Promise<void>((resolve) => {
    const child = spawn('/bin/sh', [], { stdio: 'inherit' });
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  lines.resume();
}

export async function recoveryConsole(): Promise<number> {
  const mode: Mode = (await kernelOption('rayos.mode')) === 'installer' ? 'installer' : 'recovery';
  say(`RAYOS_RECOVERY:BOOTED:${mode}`);
  say(mode === 'installer' ? 'RayOS installer. Type "disks", then "install --target DISK".' : 'RayOS recovery.');
  const espMounted = await mountPartition(await loaderDevicePartUuid(), ESP_MOUNT, 'vfat', mode === 'installer' ? 'ro' : 'rw');
  const dataMounted = mode === 'recovery' && (await mountPartition(await kernelOption('rayos.data'), DATA_MOUNT, 'ext4', 'ro'));
  if (mode === 'recovery') await explainWhy(espMounted, dataMounted);
  say(HELP);
  const lines = createInterface({ input: process.stdin, terminal: false });
  let inputClosed = false;
  lines.on('close', () => (inputClosed = true));
  const ask = terminalAsker(lines);
  for (;;) {
    const line = (await ask('rayos-recovery> ')).trim();
    const [command, ...args] = line.split(/\s+/);
    switch (command) {
      case '':
        if (inputClosed) return 0;
        break;
      case 'help':
        say(HELP);
        break;
      case 'disks':
        for (const d of await listDisks()) say(`${d.path}  ${(d.bytes / 2 ** 30).toFixed(1)} GiB  ${d.model}`);
        break;
      case 'install': {
        const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
        const target = option('--target');
        const storage = { linuxStorage: option('--linux-storage'), windowsStorage: option('--windows-storage') };
        if (target === undefined || (args.includes('--linux-storage') && storage.linuxStorage === undefined) || (args.includes('--windows-storage') && storage.windowsStorage === undefined)) {
          say('Usage: install --target DISK [--linux-storage DISK] [--windows-storage DISK] [--yes]');
          break;
        }
        const outcome = await runInstall({
          target,
          yes: args.includes('--yes'),
          ...(storage.linuxStorage === undefined ? {} : { linuxStorage: storage.linuxStorage }),
          ...(storage.windowsStorage === undefined ? {} : { windowsStorage: storage.windowsStorage }),
          ask,
          say,
          marker: say,
        });
        say(outcome.ok ? `RayOS ${outcome.value.version} is installed on ${target} (${outcome.value.seconds.toFixed(1)} s). Remove the medium and type "reboot".` : `${outcome.error.code}: ${outcome.error.message}`);
        break;
      }
      case 'logs':
        if (!dataMounted) say('The data volume is not mounted.');
        else await showLogs(Number.parseInt(args[0] ?? '50', 10) || 50);
        break;
      case 'crashes':
        if (!dataMounted) say('The data volume is not mounted.');
        else await showCrashes();
        break;
      case 'rollback':
        if (!espMounted) say('The ESP is not mounted.');
        else await rollback();
        break;
      case 'shell':
        await runShell(lines);
        break;
      case 'reboot':
      case 'poweroff':
        await runCommand(['sync'], { deadlineMs: 30_000 });
        await runCommand([command, '-f'], { deadlineMs: 30_000 });
        return 0;
      default:
        say(`Unknown command "${command}". Type help.`);
    }
  }
}

export function registerRecoveryConsole(program: Command): void {
  // Not for people to type: the recovery initramfs's PID 1 runs it.
  program.command('recovery-console', { hidden: true }).action(async () => {
    process.exitCode = await recoveryConsole();
  });
}

