// Owns what makes the installed system boot fast: RayOS's own small initramfs (no udev, no modprobe), the generators and units the appliance does not need masked, and the update stamps that keep first-boot jobs from running.
//
// Measured under QEMU TCG (the boot tests' machine), Debian's initramfs-tools image cost ~3 s to unpack (36 MB of
// zstd) and ~7 s to run (udev in the initramfs, MODULES=most), and each systemd generator ~0.3 s of a 2-core guest.
// Everything here replaces files of the installed root (rm, then write or symlink): the root is hard-linked to the
// cached Debian tree, and writing through a link would change the cache.
import { mkdir, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { writeCpioNewc, type CpioEntry } from '../platform/initramfs/cpio-newc.js';
import { indexModuleTree, planModuleLoad, type ModuleInfo } from '../platform/initramfs/kernel-modules.js';

/**
 * Loaded first, always: the disk a VM boots from (virtio) and the root filesystem. virtio_blk probes while
 * insmod runs, so under QEMU the root is there as soon as these are in. crc32c_generic: ext4's metadata checksums
 * (the kernel would ask modprobe for "crypto-crc32c", and there is no modprobe here).
 */
export const INITRD_MODULES: readonly string[] = ['virtio_pci', 'virtio_blk', 'crc32c_generic', 'ext4'];
/**
 * Loaded only when the root is not there after the first set: NVMe (its namespaces appear after probing anyway),
 * SATA, SCSI, USB and SD/eMMC disks of real machines.
 */
export const INITRD_FALLBACK_MODULES: readonly string[] = ['nvme', 'virtio_scsi', 'ahci', 'sd_mod', 'xhci_pci', 'ehci_pci', 'usb_storage', 'uas', 'sdhci_pci', 'mmc_block'];
/**
 * Loaded once the root is mounted, so systemd finds them in: the hardware watchdog (PID 1 takes it over as it
 * starts), EFI pstore (a panic from here on is kept), and FAT with the kernel's default code page and character set
 * for the ESP's mount. Otherwise each would cost a modprobe process (~0.5 s under TCG) on the way to local-fs.target.
 */
export const INITRD_LATE_MODULES: readonly string[] = ['i6300esb', 'efi_pstore', 'vfat'];
/** Loaded when the CPU has SSE4.2 (it refuses to load otherwise): the faster crc32c for the root's checksums. */
export const INITRD_CPU_MODULES: readonly { readonly module: string; readonly cpuFlag: string }[] = [{ module: 'crc32c_intel', cpuFlag: 'sse4_2' }];
/** The klibc programs the init script runs (klibc-utils, which the root tree has for initramfs-tools). */
export const INITRD_PROGRAMS: readonly string[] = ['sh', 'mount', 'insmod', 'run-init', 'sleep', 'cat'];
/** Programs of the root tree (with the shared libraries they need) the init script runs: blkid finds root=PARTUUID=. */
export const INITRD_ROOT_PROGRAMS: readonly string[] = ['usr/sbin/blkid'];
/** Where the root tree's shared libraries are looked up (Debian's multiarch directory first). */
const LIBRARY_DIRS = ['usr/lib/x86_64-linux-gnu', 'usr/lib64', 'usr/lib'] as const;
/** Seconds to wait for the root device when the command line has no rootdelay=. */
export const DEFAULT_ROOT_WAIT_S = 60;

/**
 * Generators systemd runs before it loads any unit: each is a process of ~0.3 s under TCG. Kept: the bless-boot
 * generator (boot counting), getty (the serial console's getty from console=), debug (systemd.mask= and friends on
 * the command line, for recovery) and RayOS's own mount generator. The rest handle what RayOS never has: fstab
 * (it is empty), sysv scripts, rc.local, encrypted, verity and integrity volumes, hibernation, discoverable GPT
 * partitions (rayos-mounts names them instead), systemd.run= and offline updates.
 */
export const MASKED_GENERATORS: readonly string[] = [
  'systemd-cryptsetup-generator',
  'systemd-fstab-generator',
  'systemd-gpt-auto-generator',
  'systemd-hibernate-resume-generator',
  'systemd-integritysetup-generator',
  'systemd-rc-local-generator',
  'systemd-run-generator',
  'systemd-system-update-generator',
  'systemd-sysv-generator',
  'systemd-veritysetup-generator',
];

/**
 * Units an appliance does not need, or whose work the build does once. Package maintenance (RayOS updates whole
 * root images), ext4 online scrubbing, login prompts on virtual terminals (the serial console keeps its getty), utmp
 * records, debugging and FUSE/configfs file systems, binfmt_misc, and systemd-repart (install partitions the disk; its Wants= would still load loop and
 * dm_mod on every boot though its conditions skip it).
 */
export const MASKED_UNITS: readonly string[] = [
  'apt-daily.timer',
  'apt-daily.service',
  'apt-daily-upgrade.timer',
  'apt-daily-upgrade.service',
  'dpkg-db-backup.timer',
  'dpkg-db-backup.service',
  'man-db.timer',
  'man-db.service',
  'e2scrub_all.timer',
  'e2scrub_all.service',
  'e2scrub_reap.service',
  'getty-static.service',
  'getty@tty1.service',
  'systemd-update-utmp.service',
  'systemd-update-utmp-runlevel.service',
  'sys-kernel-debug.mount',
  'sys-kernel-tracing.mount',
  'sys-kernel-config.mount',
  'sys-fs-fuse-connections.mount',
  'proc-sys-fs-binfmt_misc.automount',
  'systemd-repart.service',
  // The initramfs loads efi_pstore (INITRD_LATE_MODULES), and modules-load.d names it too: no modprobe process.
  'modprobe@efi_pstore.service',
  // Written at build time instead (STATIC_NODES_PATH): kmod is a process of ~1 s under TCG right before udev starts.
  'kmod-static-nodes.service',
  // Huge pages and POSIX message queues: nothing of RayOS uses them (a mount process each).
  'dev-hugepages.mount',
  'dev-mqueue.mount',
];

/** Where udev's coldplug is told to handle block devices first (see udevTriggerDropIn). */
export const UDEV_TRIGGER_DROP_IN = 'etc/systemd/system/systemd-udev-trigger.service.d/10-rayos-block-first.conf';

/**
 * The coldplug order with block devices first. systemd 252 triggers "module" first, ~90 events before the first
 * disk; under TCG udevd takes ~2.5 s to get through them, and the data volume's mount (so rayos.service) waits for
 * its disk's event. Returns the drop-in for systemd-udev-trigger.service, or null when the unit has no
 * --prioritized-subsystem= list to reorder (nothing is changed then).
 */
export function udevTriggerDropIn(unitText: string): string | null {
  const lines = unitText.split('\n').filter((l) => /^ExecStart=/.test(l));
  if (lines.length !== 1) return null;
  const line = lines[0] as string;
  const m = /--prioritized-subsystem=([A-Za-z0-9_,-]+)/.exec(line);
  if (m === null) return null;
  const subsystems = (m[1] as string).split(',').filter((s) => s !== '');
  if (!subsystems.includes('block') || subsystems[0] === 'block') return null;
  const reordered = ['block', ...subsystems.filter((s) => s !== 'block')].join(',');
  return ['# Written by rayos image build: block devices first, so the data volume mounts sooner.', '[Service]', 'ExecStart=', line.replace(m[0], `--prioritized-subsystem=${reordered}`), ''].join('\n');
}

/** Where the build writes what kmod-static-nodes.service would write to /run/tmpfiles.d on every boot. */
export const STATIC_NODES_PATH = 'etc/tmpfiles.d/static-nodes.conf';

/**
 * Kernel options that shorten the boot (system-esp.ts owns the command line, so it adds them). loglevel=6: the
 * ~400 KERN_INFO lines of a boot stay in the journal but are not written to the serial console one polled byte at a
 * time (~2 s under TCG). Not loglevel=4 or 5: "Linux version" is KERN_NOTICE, and the boot tests wait for it.
 */
export const TUNED_KERNEL_OPTIONS: readonly string[] = ['loglevel=6'];

const MODULE_NAME = /^[a-z0-9_]+$/;
const KLIBC_SO = /^klibc-[A-Za-z0-9_-]+\.so$/;

export interface InitScriptPlan {
  readonly first: readonly string[];
  readonly fallback: readonly string[];
  readonly late: readonly string[];
  readonly cpu: readonly { readonly module: string; readonly cpuFlag: string }[];
  readonly rootWaitS: number;
}

function checkNames(names: readonly string[]): void {
  for (const name of names) if (!MODULE_NAME.test(name)) throw new Error(`not a module name: ${JSON.stringify(name)}`);
}

/**
 * /init of the initramfs, for klibc's sh. It reads root=, rootfstype=, rootflags=, rootdelay=, ro/rw and init= as
 * the kernel would, finds the root with blkid (PARTUUID=, PARTLABEL=, UUID=, LABEL=) or takes a /dev path, mounts
 * it and hands over with run-init. Any failure ends init, so the kernel panics and panic=
 * reboots: the boot counts as failed and systemd-boot's counting takes over.
 */
export function initScript(plan: InitScriptPlan): string {
  checkNames(plan.first);
  checkNames(plan.fallback);
  checkNames(plan.late);
  checkNames(plan.cpu.map((c) => c.module));
  for (const { cpuFlag } of plan.cpu) if (!MODULE_NAME.test(cpuFlag)) throw new Error(`not a CPU flag: ${JSON.stringify(cpuFlag)}`);
  if (!Number.isInteger(plan.rootWaitS) || plan.rootWaitS < 1) throw new Error('rootWaitS must be a positive whole number of seconds');
  const cpuLines = plan.cpu.map(({ module, cpuFlag }) => `case " $cpuflags " in *" ${cpuFlag} "*) load ${module} ;; esac`);
  return [
    '#!/bin/sh',
    '# RayOS initramfs (src/image/boot-tuning.ts): disk and ext4 drivers, the root by PARTUUID, then systemd. No udev, no modprobe.',
    'PATH=/bin',
    'export PATH',
    'mount -t proc proc /proc',
    'mount -t sysfs sysfs /sys',
    'mount -t devtmpfs devtmpfs /dev',
    'log() { echo "<$1>rayos-initrd: $2" > /dev/kmsg; }',
    '# Ending init panics the kernel; panic= reboots, and the boot counts as failed.',
    'fail() { log 2 "$*"; exit 1; }',
    'load() { for m in "$@"; do [ -d "/sys/module/$m" ] || insmod "/lib/modules/$m.ko" || log 4 "could not load $m"; done; }',
    `root= mode=-r fstype=ext4 flags= delay=${plan.rootWaitS} init=/sbin/init`,
    'for word in $(cat /proc/cmdline); do',
    '  case "$word" in',
    '    root=*) root="${word#root=}" ;;',
    '    rootfstype=*) fstype="${word#rootfstype=}" ;;',
    '    rootflags=*) flags="${word#rootflags=}" ;;',
    '    rootdelay=*) delay="${word#rootdelay=}" ;;',
    '    init=*) init="${word#init=}" ;;',
    '    rw) mode=-w ;;',
    '    ro) mode=-r ;;',
    '  esac',
    'done',
    '[ -n "$root" ] || fail "no root= on the kernel command line"',
    '# The kernel reports no partition UUIDs in sysfs: blkid (util-linux, with its libraries) reads the partition tables.',
    'find_root() {',
    '  case "$root" in',
    '    PARTUUID=*|PARTLABEL=*|UUID=*|LABEL=*) dev=$(LD_LIBRARY_PATH=/lib blkid -c /dev/null -l -o device -t "$root" 2>/dev/null) && [ -b "$dev" ] ;;',
    '    /dev/*) dev="$root"; [ -b "$dev" ] ;;',
    '    *) fail "root=$root: use PARTUUID=, PARTLABEL=, UUID=, LABEL= or a /dev path" ;;',
    '  esac',
    '}',
    `load ${plan.first.join(' ')}`,
    ...(cpuLines.length > 0 ? ['cpuflags=', 'while read -r key rest; do [ "$key" = flags ] && { cpuflags="$rest"; break; }; done < /proc/cpuinfo', ...cpuLines] : []),
    'tries=0',
    'until find_root; do',
    `  [ "$tries" -eq 0 ] && load ${plan.fallback.join(' ')}`,
    '  tries=$((tries + 1))',
    '  [ "$tries" -le $((delay * 10)) ] || fail "the root $root did not appear within $delay s"',
    '  sleep 0.1',
    'done',
    'mount -t "$fstype" $mode ${flags:+-o "$flags"} "$dev" /root || fail "cannot mount $dev ($root) as $fstype"',
    ...(plan.late.length > 0 ? [`load ${plan.late.join(' ')}`] : []),
    'log 5 "root $dev ($root), starting $init"',
    'mount -o move /dev /root/dev',
    'mount -o move /proc /root/proc',
    'mount -o move /sys /root/sys',
    'exec run-init /root "$init" "$@"',
    'fail "run-init failed"',
    '',
  ].join('\n');
}

export interface ElfDynamicInfo {
  /** PT_INTERP: the dynamic loader's absolute path; null for a static program. */
  readonly interpreter: string | null;
  /** DT_NEEDED: the shared libraries' sonames. */
  readonly needed: readonly string[];
}

/** The loader and the libraries an ELF64 little-endian program or library needs (from its headers, as ld.so reads them). */
export function elfDynamicInfo(untrustedElf: Buffer): ElfDynamicInfo | null {
  const b = untrustedElf;
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return null;
  const cstring = (at: number): string | null => {
    const end = b.indexOf(0, at);
    return at < 0 || at >= b.length || end < 0 ? null : b.toString('latin1', at, end);
  };
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  let interpreter: string | null = null;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (phentsize < 56 || at + 56 > b.length) return null;
    if (b.readUInt32LE(at) === 3) interpreter = cstring(Number(b.readBigUInt64LE(at + 8))); // PT_INTERP: p_offset
  }
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const section = (i: number): { type: number; link: number; offset: number; size: number } | null => {
    const at = shoff + i * shentsize;
    if (shentsize < 64 || at + 64 > b.length) return null;
    return { type: b.readUInt32LE(at + 4), offset: Number(b.readBigUInt64LE(at + 24)), size: Number(b.readBigUInt64LE(at + 32)), link: b.readUInt32LE(at + 40) };
  };
  const needed: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const dynamic = section(i);
    if (dynamic === null) return null;
    if (dynamic.type !== 6) continue; // SHT_DYNAMIC
    const strings = section(dynamic.link);
    if (strings === null || dynamic.offset + dynamic.size > b.length) return null;
    for (let at = dynamic.offset; at + 16 <= dynamic.offset + dynamic.size; at += 16) {
      const tag = b.readBigUInt64LE(at);
      if (tag === 0n) break;
      if (tag !== 1n) continue; // DT_NEEDED
      const name = cstring(strings.offset + Number(b.readBigUInt64LE(at + 8)));
      if (name === null) return null;
      needed.push(name);
    }
  }
  return { interpreter, needed };
}

/** Programs of the root tree and every library they need, transitively: initramfs path → bytes. */
async function programClosure(root: string, programs: readonly string[]): Promise<Result<Map<string, Buffer>, RayosError>> {
  const files = new Map<string, Buffer>();
  const pending: { readonly initrdPath: string; readonly data: Buffer; readonly what: string }[] = [];
  for (const program of programs) {
    const data = await readFile(join(root, program));
    pending.push({ initrdPath: `bin/${program.split('/').at(-1) as string}`, data, what: program });
  }
  const seenLibraries = new Set<string>();
  while (pending.length > 0) {
    const next = pending.shift() as (typeof pending)[number];
    files.set(next.initrdPath, next.data);
    const info = elfDynamicInfo(next.data);
    if (info === null) return failure(`${next.what} in the root tree is not an ELF64 program or library.`);
    if (info.interpreter !== null && !files.has(info.interpreter.slice(1))) {
      files.set(info.interpreter.slice(1), await readFile(join(root, info.interpreter)));
      // The loader is also a NEEDED of libc: it is there once, at the interpreter's path.
      seenLibraries.add(info.interpreter.split('/').at(-1) as string);
    }
    for (const soname of info.needed) {
      if (seenLibraries.has(soname) || soname.includes('/')) continue;
      seenLibraries.add(soname);
      let found: Buffer | null = null;
      for (const dir of LIBRARY_DIRS) {
        found = await readFile(join(root, dir, soname)).catch(() => null);
        if (found !== null) break;
      }
      if (found === null) return failure(`${next.what} needs ${soname}, which is in none of ${LIBRARY_DIRS.join(', ')} of the root tree.`);
      pending.push({ initrdPath: `lib/${soname}`, data: found, what: soname });
    }
  }
  return ok(files);
}

/** The NLS modules FAT mounts load by default (CONFIG_FAT_DEFAULT_CODEPAGE and _IOCHARSET of the kernel's config). */
export function fatNlsModules(kernelConfig: string): string[] {
  const value = (key: string): string | undefined => new RegExp(`^${key}=("?)([^"\\n]*)\\1$`, 'm').exec(kernelConfig)?.[2];
  const modules: string[] = [];
  const codepage = value('CONFIG_FAT_DEFAULT_CODEPAGE');
  if (codepage !== undefined && /^\d+$/.test(codepage)) modules.push(`nls_cp${codepage}`);
  const charset = value('CONFIG_FAT_DEFAULT_IOCHARSET');
  if (charset !== undefined && /^[a-z0-9-]+$/.test(charset)) modules.push(`nls_${charset.replace(/-/g, '_')}`);
  return modules;
}

/**
 * `kmod static-nodes --format=tmpfiles` from modules.devname ("<module> <name> <c|b><major>:<minor>" lines): the
 * device nodes that load their module when opened (/dev/net/tun, /dev/vhost-net, /dev/fuse, …).
 */
export function staticNodesTmpfiles(modulesDevname: string): string {
  const lines = ['# Written by rayos image build from modules.devname (what kmod-static-nodes.service writes on each boot).'];
  for (const raw of modulesDevname.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^\S+\s+([A-Za-z0-9._/+-]+)\s+([cb])(\d+):(\d+)$/.exec(line);
    if (m === null) continue;
    const [, name, type, major, minor] = m as unknown as [string, string, string, string, string];
    if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) continue;
    const slash = name.lastIndexOf('/');
    if (slash > 0) lines.push(`d /dev/${name.slice(0, slash)} 0755 - - -`);
    lines.push(`${type}! /dev/${name} 0600 - - - ${major}:${minor}`);
  }
  return lines.join('\n') + '\n';
}

/** The kernel version of the root: the newest /boot/vmlinuz-<version>. */
async function kernelVersionOf(root: string): Promise<string | null> {
  const names = await readdir(join(root, 'boot')).catch(() => [] as string[]);
  const last = names.filter((n) => n.startsWith('vmlinuz-')).sort().at(-1);
  return last === undefined ? null : last.slice('vmlinuz-'.length);
}

function failure(message: string): Result<never, RayosError> {
  return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', message));
}

/** The initramfs image (gzip; the kernel unpacks it in well under a second) for the root tree's kernel. */
export async function buildInitramfs(root: string, kernelVersion: string): Promise<Result<Buffer, RayosError>> {
  const modulesDir = join(root, 'usr/lib/modules', kernelVersion);
  let tree: ReturnType<typeof indexModuleTree>;
  try {
    tree = indexModuleTree(modulesDir);
  } catch (error) {
    return failure(`The root tree has no kernel modules for ${kernelVersion} (${(error as Error).message}); delete the root tree cache and build again.`);
  }
  const plan = (wanted: readonly string[]): Result<readonly ModuleInfo[], RayosError> => {
    const planned = planModuleLoad(wanted, tree.catalog);
    return planned.ok ? ok(planned.value.order) : failure(`The initramfs cannot be made: ${planned.error.message}`);
  };
  const first = plan(INITRD_MODULES);
  if (!first.ok) return first;
  const all = plan([...INITRD_MODULES, ...INITRD_FALLBACK_MODULES]);
  if (!all.ok) return all;
  const kernelConfig = await readFile(join(root, 'boot', `config-${kernelVersion}`), 'utf8').catch(() => '');
  // An NLS module the kernel lacks (or has built in) is skipped: the mount then loads or finds it itself.
  const nls = fatNlsModules(kernelConfig).filter((name) => tree.pathOf(name) !== undefined);
  const late = plan([...INITRD_MODULES, ...INITRD_LATE_MODULES, ...nls]);
  if (!late.ok) return late;
  const cpu = INITRD_CPU_MODULES.filter(({ module }) => tree.pathOf(module) !== undefined);
  const cpuPlans: ModuleInfo[] = [];
  for (const { module } of cpu) {
    const planned = plan([module]);
    if (!planned.ok) return planned;
    // A CPU-specific module must not drag in anything the script would not load: it is loaded on its own.
    if (planned.value.some((info) => info.name !== module && !first.value.some((f) => f.name === info.name))) {
      return failure(`The CPU module ${module} depends on modules outside the initramfs's first set; add them to INITRD_MODULES.`);
    }
    cpuPlans.push(...planned.value.filter((info) => info.name === module));
  }
  const firstNames = first.value.map((m) => m.name);
  const fallbackNames = all.value.map((m) => m.name).filter((name) => !firstNames.includes(name));
  const lateNames = late.value.map((m) => m.name).filter((name) => !firstNames.includes(name));
  const klibcDir = join(root, 'usr/lib');
  const klibcSo = (await readdir(klibcDir)).filter((name) => KLIBC_SO.test(name));
  if (klibcSo.length !== 1) return failure(`The root tree has ${klibcSo.length} klibc libraries in /usr/lib (one expected); it needs klibc-utils (initramfs-tools brings it).`);
  const entries: CpioEntry[] = [];
  for (const dir of ['bin', 'dev', 'lib', 'lib/modules', 'proc', 'sys', 'root']) entries.push({ kind: 'dir', path: dir });
  // The kernel opens /dev/console for init before anything is mounted.
  entries.push({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1 });
  try {
    // klibc programs name /lib/<klibc>.so as their interpreter.
    entries.push({ kind: 'file', path: `lib/${klibcSo[0]}`, data: await readFile(join(klibcDir, klibcSo[0] as string)), mode: 0o755 });
    for (const program of INITRD_PROGRAMS) entries.push({ kind: 'file', path: `bin/${program}`, data: await readFile(join(root, 'usr/lib/klibc/bin', program)), mode: 0o755 });
    const closure = await programClosure(root, INITRD_ROOT_PROGRAMS);
    if (!closure.ok) return closure;
    const dirs = new Set(entries.filter((e) => e.kind === 'dir').map((e) => e.path));
    for (const [path, data] of closure.value) {
      const parts = dirname(path).split('/');
      for (let i = 1; i <= parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (dir === '.' || dirs.has(dir)) continue;
        dirs.add(dir);
        entries.push({ kind: 'dir', path: dir });
      }
      entries.push({ kind: 'file', path, data, mode: 0o755 });
    }
    const packed = new Map([...all.value, ...late.value, ...cpuPlans].map((info) => [info.name, info]));
    for (const info of packed.values()) {
      const path = tree.pathOf(info.name);
      if (path === undefined) return failure(`The module ${info.name} has no .ko file in ${modulesDir}.`);
      entries.push({ kind: 'file', path: `lib/modules/${info.name}.ko`, data: await readFile(path) });
    }
  } catch (error) {
    return failure(`Reading the initramfs's files from the root tree failed: ${(error as Error).message}; it needs klibc-utils and the kernel's modules.`);
  }
  const script = initScript({ first: firstNames, fallback: fallbackNames, late: lateNames, cpu, rootWaitS: DEFAULT_ROOT_WAIT_S });
  entries.push({ kind: 'file', path: 'init', data: Buffer.from(script), mode: 0o755 });
  return ok(gzipSync(writeCpioNewc(entries), { level: 9 }));
}

async function replaceWithSymlink(path: string, target: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true });
  await symlink(target, path);
}

async function replaceFile(path: string, content: string | Uint8Array, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true });
  await writeFile(path, content, { mode });
}

/** Removes the enablement links (…/x.target.wants/<unit>) of masked units, so nothing asks for them. */
async function removeWantsLinks(root: string, units: ReadonlySet<string>): Promise<void> {
  const etc = join(root, 'etc/systemd/system');
  for (const dir of await readdir(etc).catch(() => [] as string[])) {
    if (!dir.endsWith('.wants') && !dir.endsWith('.requires')) continue;
    for (const name of await readdir(join(etc, dir)).catch(() => [] as string[])) {
      if (units.has(name)) await rm(join(etc, dir, name), { force: true });
    }
  }
}

/**
 * ConditionNeedsUpdate= jobs (systemd-sysusers) run when /usr is newer than /etc/.updated: on every boot of a root
 * that never had one. The image is built complete, so it is "updated" as built.
 */
export function updateStamp(nowMs: number): string {
  return ['# Written by rayos image build: the root is complete as built. See man:systemd-update-done.service(8).', `TIMESTAMP_NSEC=${BigInt(Math.floor(nowMs)) * 1_000_000n}`, ''].join('\n');
}

/** Applies everything above to an installed root tree (the staging copy; never the cache). */
export async function applyBootTuning(root: string, nowMs: number = Date.now()): Promise<Result<void, RayosError>> {
  try {
    const kernelVersion = await kernelVersionOf(root);
    if (kernelVersion === null) return failure(`The root ${root} has no /boot/vmlinuz-*; the kernel package did not install.`);
    const initramfs = await buildInitramfs(root, kernelVersion);
    if (!initramfs.ok) return initramfs;
    await replaceFile(join(root, 'boot', `initrd.img-${kernelVersion}`), initramfs.value);
    const devname = await readFile(join(root, 'usr/lib/modules', kernelVersion, 'modules.devname'), 'utf8').catch(() => '');
    await replaceFile(join(root, STATIC_NODES_PATH), staticNodesTmpfiles(devname));
    const trigger = await readFile(join(root, 'usr/lib/systemd/system/systemd-udev-trigger.service'), 'utf8').catch(() => '');
    const dropIn = udevTriggerDropIn(trigger);
    if (dropIn !== null) await replaceFile(join(root, UDEV_TRIGGER_DROP_IN), dropIn);
    for (const name of MASKED_GENERATORS) await replaceWithSymlink(join(root, 'etc/systemd/system-generators', name), '/dev/null');
    for (const unit of MASKED_UNITS) await replaceWithSymlink(join(root, 'etc/systemd/system', unit), '/dev/null');
    await removeWantsLinks(root, new Set(MASKED_UNITS));
    for (const dir of ['etc', 'var']) {
      const stamp = join(root, dir, '.updated');
      await replaceFile(stamp, updateStamp(nowMs));
      await utimes(stamp, nowMs / 1000, nowMs / 1000);
    }
    return ok(undefined);
  } catch (error) {
    return failure(`Tuning the installed root for a fast boot failed: ${(error as Error).message}.`);
  }
}
