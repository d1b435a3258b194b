// Owns the recovery/installer initramfs: busybox, Node and the RayOS program, the disk and journal tools with their libraries, the kernel modules — all on the ESP, so it boots when both root slots are broken.
import { cp, lstat, mkdir, readdir, readFile, readlink, rm, writeFile, copyFile, chmod, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { writeCpioNewc, type CpioEntry } from '../platform/initramfs/cpio-newc.js';
import { indexModuleTree, planModuleLoad } from '../platform/initramfs/kernel-modules.js';
import { runCommand } from '../platform/process/run-command.js';
import { IMAGE_MAIN, writeRuntimePayload } from './runtime-payload.js';

/** Host busybox (Debian's busybox-static): one static binary, so it runs before any library is found. */
export const HOST_BUSYBOX = '/bin/busybox';

/** Programs from the root tree the recovery system runs: partitioning, filesystems, the ESP, the journal. */
export const RECOVERY_TOOLS: readonly string[] = [
  'sbin/sfdisk',
  'sbin/blkid',
  'usr/sbin/mke2fs',
  'usr/sbin/e2fsck',
  'usr/sbin/resize2fs',
  'usr/sbin/mkfs.fat',
  'usr/bin/mtools',
  'usr/bin/journalctl',
  'usr/bin/chattr',
];
/** Names the tools are also called by (symlinks to the programs above). */
const TOOL_LINKS: readonly (readonly [string, string])[] = [
  ['usr/sbin/mkfs.ext4', 'mke2fs'],
  ['usr/sbin/mkfs.vfat', 'mkfs.fat'],
  ['usr/bin/mcopy', 'mtools'],
  ['usr/bin/mmd', 'mtools'],
  ['usr/bin/mdir', 'mtools'],
  ['usr/bin/minfo', 'mtools'],
];

const GCONV_DIR = 'usr/lib/x86_64-linux-gnu/gconv';

/** Disks (virtio, SATA/AHCI, NVMe, USB storage), the filesystems the ESP, data and roots use, EFI variables and pstore. */
export const RECOVERY_MODULES: readonly string[] = [
  'virtio_pci', 'virtio_blk', 'virtio_scsi', 'sd_mod', 'ahci', 'nvme', 'usb_storage', 'xhci_pci', 'ehci_pci', 'uas',
  'crc32c_generic', 'ext4', 'vfat', 'nls_cp437', 'nls_ascii', 'nls_utf8', 'efivarfs', 'efi_pstore',
];

/**
 * PID 1. busybox sh stays PID 1 so the machine survives anything the console does: it prepares the system,
 * then runs the RayOS recovery console (Node) and, if that ever ends, a shell, then the console again.
 */
export const RECOVERY_INIT = `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s
mkdir -p /dev/pts /tmp /run /mnt /root /var/tmp
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t devpts devpts /dev/pts
echo RAYOS_RECOVERY:INIT
while read -r name; do insmod "/lib/modules/$name.ko" 2>/dev/null; done < /lib/modules/load-order
mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
mount -t pstore pstore /sys/fs/pstore 2>/dev/null
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=vt100
hostname rayos-recovery
while true; do
  /usr/local/bin/node ${IMAGE_MAIN} recovery-console
  echo "RAYOS_RECOVERY:CONSOLE_EXITED:$?"
  echo "A shell; type exit to return to the RayOS recovery console."
  setsid cttyhack sh
done
`;

export interface RecoveryInitramfsInput {
  readonly tree: string;
  readonly kernelVersion: string;
  readonly repoRoot: string;
  readonly work: string;
  readonly output: string;
}

/** Shared libraries a program needs, as absolute paths inside the tree (ldd run in the tree with chroot). */
async function libraryClosure(tree: string, programs: readonly string[]): Promise<Result<Set<string>, RayosError>> {
  const ldd = await runCommand(['chroot', tree, '/usr/bin/ldd', ...programs.map((p) => `/${p}`)], { deadlineMs: 60_000 });
  if (ldd.code !== 0 && ldd.stdout === '') return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `ldd in the root tree failed: ${ldd.stderr.trim().slice(-300)}`));
  const libs = new Set<string>();
  for (const line of ldd.stdout.split('\n')) {
    const found = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/lib64\/\S+)/.exec(line);
    if (found?.[1]) libs.add(found[1]);
  }
  return ok(libs);
}

/** Libraries of a binary that is not in the tree (node, native addons): their names from the host, their files from the tree. */
async function treeLibrariesFor(tree: string, binary: string): Promise<Set<string>> {
  const ldd = await runCommand(['ldd', binary], { deadlineMs: 30_000 });
  const libs = new Set<string>();
  for (const line of ldd.stdout.split('\n')) {
    const name = /^\s*(\S+\.so[.\d]*)\s+=>/.exec(line)?.[1] ?? /^\s*(\/lib64\/\S+)/.exec(line)?.[1];
    if (!name) continue;
    if (name.startsWith('/')) libs.add(name);
    else for (const dir of ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu']) if (await exists(join(tree, dir, name))) libs.add(join(dir, name));
  }
  return libs;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Copies a file from the tree, following symlinks inside the tree (libc.so.6 → libc-2.36.so). */
async function copyFromTree(tree: string, absolute: string, stage: string): Promise<void> {
  let source = join(tree, absolute);
  for (let hops = 0; hops < 8; hops++) {
    const info = await lstat(source);
    if (!info.isSymbolicLink()) break;
    const target = await readlink(source);
    source = target.startsWith('/') ? join(tree, target) : join(dirname(source), target);
  }
  const dest = join(stage, absolute);
  await mkdir(dirname(dest), { recursive: true });
  await copyFile(source, dest);
  await chmod(dest, (await lstat(source)).mode & 0o7777);
}

/** Every file, directory and symlink under `stage` as cpio entries (parents first), plus /dev/console. */
async function entriesOf(stage: string): Promise<CpioEntry[]> {
  const entries: CpioEntry[] = [{ kind: 'dir', path: 'dev' }, { kind: 'chardev', path: 'dev/console', major: 5, minor: 1, mode: 0o600 }];
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(join(stage, rel))).sort();
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (path === 'dev') continue;
      const info = await lstat(join(stage, path));
      if (info.isDirectory()) {
        entries.push({ kind: 'dir', path, mode: info.mode & 0o7777 });
        await walk(path);
      } else if (info.isSymbolicLink()) entries.push({ kind: 'symlink', path, target: await readlink(join(stage, path)) });
      else if (info.isFile()) entries.push({ kind: 'file', path, data: await readFile(join(stage, path)), mode: info.mode & 0o7777 });
    }
  };
  await walk('');
  return entries;
}

/** Builds the initramfs at `output` (an uncompressed newc cpio: the kernel unpacks it without spending TCG time on decompression). */
export async function buildRecoveryInitramfs(input: RecoveryInitramfsInput): Promise<Result<{ bytes: number; modules: string[] }, RayosError>> {
  const stage = join(input.work, 'recovery-root');
  await rm(stage, { recursive: true, force: true });
  try {
    await mkdir(join(stage, 'bin'), { recursive: true });
    if (!(await exists(HOST_BUSYBOX))) {
      return err(rayosError('RAYOS_IMAGE_TOOL_MISSING', 'The recovery system needs busybox (static): install it with "apt-get install busybox-static" (or "./rayos setup").'));
    }
    await copyFile(HOST_BUSYBOX, join(stage, 'bin/busybox'));
    await chmod(join(stage, 'bin/busybox'), 0o755);
    await symlink('busybox', join(stage, 'bin/sh'));
    await writeFile(join(stage, 'init'), RECOVERY_INIT, { mode: 0o755 });

    const payload = await writeRuntimePayload(input.repoRoot, stage, 'recovery');
    if (!payload.ok) return payload;

    const libs = await libraryClosure(input.tree, RECOVERY_TOOLS);
    if (!libs.ok) return libs;
    for (const lib of await treeLibrariesFor(input.tree, join(stage, 'usr/local/bin/node'))) libs.value.add(lib);
    for (const tool of RECOVERY_TOOLS) await copyFromTree(input.tree, `/${tool}`, stage);
    for (const lib of libs.value) await copyFromTree(input.tree, lib, stage);
    // mtools converts FAT names through iconv: without glibc's gconv modules it cannot open any FAT filesystem.
    await cp(join(input.tree, GCONV_DIR), join(stage, GCONV_DIR), { recursive: true });
    for (const [link, target] of TOOL_LINKS) {
      await mkdir(dirname(join(stage, link)), { recursive: true });
      await symlink(target, join(stage, link));
    }

    const modulesDir = join(input.tree, 'lib/modules', input.kernelVersion);
    const tree = indexModuleTree(modulesDir);
    const plan = planModuleLoad(RECOVERY_MODULES, tree.catalog);
    if (!plan.ok) return plan;
    await mkdir(join(stage, 'lib/modules'), { recursive: true });
    for (const module of plan.value.order) {
      const path = tree.pathOf(module.name);
      if (path === undefined) continue;
      await copyFile(path, join(stage, 'lib/modules', `${module.name}.ko`));
    }
    await writeFile(join(stage, 'lib/modules/load-order'), plan.value.order.map((m) => m.name).join('\n') + '\n');

    const cpio = writeCpioNewc(await entriesOf(stage));
    await mkdir(dirname(input.output), { recursive: true });
    await writeFile(input.output, cpio);
    return ok({ bytes: cpio.length, modules: plan.value.order.map((m) => m.name) });
  } catch (error) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Building the recovery initramfs failed: ${(error as Error).message}.`));
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

