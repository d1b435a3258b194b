// Owns the Linux guest that stands in for Windows on the Windows profile: Debian's Microsoft-signed shim, Debian-signed grub and kernel on an ESP, qemu-guest-agent and tpm2-tools on an ext4 root; one qcow2 cached by its inputs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fatClusterSectors, MIB, PARTITION_TYPES } from '../../src/image/disk-layout.js';
import { fillEsp, stepFailure, type EspFile } from '../../src/image/image-assembly.js';
import { buildDebianTree, type DebianTreeSpec } from '../../src/image/root-tree.js';
import type { RayosError } from '../../src/contracts/errors.js';
import { runCommand } from '../../src/platform/process/run-command.js';
import { WindowsProvisionResultSchema, type WindowsProvisionResult } from '../../src/contracts/vm.js';
import { runCli } from './runtime-process.js';

/** Where `rayos image build` keeps its cache: the guest's tree and disk go beside the root tree. */
const IMAGE_CACHE_DIR = fileURLToPath(new URL('../../../.cache/image', import.meta.url));

/**
 * shim-signed and grub-efi-amd64-signed are only where the ESP's files come from (their postinst scripts find no ESP
 * in the chroot and leave it alone); the kernel is linux-image-amd64, which Debian signs.
 */
export const SECURE_BOOT_GUEST_TREE: DebianTreeSpec = {
  subdir: 'secure-boot-guest-tree',
  // util-linux-extra has hwclock, which qemu-ga's guest-set-time runs after setting the system clock.
  packages: ['systemd', 'systemd-sysv', 'udev', 'kmod', 'linux-image-amd64', 'qemu-guest-agent', 'tpm2-tools', 'util-linux-extra', 'shim-signed', 'grub-efi-amd64-signed'],
  version: 1,
};
/** Bump when the disk made from the tree changes. */
const DISK_VERSION = 1;

// Fixed, so the same inputs give the same disk (and the grub config can name the root before the disk exists).
const DISK_GUID = '5ec0b007-0000-4000-8000-000000000001';
const ESP_UUID = '5ec0b007-0000-4000-8000-0000000000e5';
const ROOT_UUID = '5ec0b007-0000-4000-8000-0000000000a7';
const ESP_MIB = 128;

/**
 * grub reads this from its prefix (/EFI/debian) and, failing that, beside itself: both are written. No menu: under
 * Secure Boot, grub's `linux` has shim verify the kernel's signature, so the kernel boots only if it is Debian's.
 */
const GRUB_CFG = `set timeout=0
linux /vmlinuz root=PARTUUID=${ROOT_UUID} rw console=ttyS0,115200 quiet
initrd /initrd.img
boot
`;

export interface SecureBootGuest {
  /** The cached disk (qcow2; copy it, never boot it in place). */
  readonly qcow2: string;
  readonly cached: boolean;
}

async function run(step: string, argv: readonly [string, ...string[]], env?: NodeJS.ProcessEnv, stdinFile?: string): Promise<RayosError | null> {
  const result = await runCommand(argv, { deadlineMs: 600_000, ...(env ? { env } : {}), ...(stdinFile ? { stdinFile } : {}) });
  return result.code === 0 && !result.timedOut ? null : stepFailure(step, result);
}

async function must(step: Promise<RayosError | null>): Promise<void> {
  const failed = await step;
  if (failed !== null) throw new Error(`${failed.code}: ${failed.message}`);
}

/** The disk under `<cacheDir>/secure-boot-guest/`, built from a debootstrapped tree the first time (minutes). */
export async function secureBootGuestDisk(cacheDir: string, progress: (line: string) => void = () => undefined): Promise<SecureBootGuest> {
  const tree = await buildDebianTree(SECURE_BOOT_GUEST_TREE, { cacheDir, onProgress: progress });
  if (!tree.ok) throw new Error(`${tree.error.code}: ${tree.error.message}`);
  const key = createHash('sha256').update(JSON.stringify({ tree: tree.value.key, v: DISK_VERSION, grub: GRUB_CFG })).digest('hex').slice(0, 16);
  const disksDir = join(cacheDir, 'secure-boot-guest');
  const qcow2 = join(disksDir, `${key}.qcow2`);
  if (existsSync(qcow2)) return { qcow2, cached: true };
  await mkdir(disksDir, { recursive: true });
  const work = await mkdtemp(join(disksDir, '.build-'));
  try {
    const dir = tree.value.dir;
    const kernel = tree.value.kernelVersion;
    // The tree is this guest's alone: these few files are written into it (the same bytes every time).
    await writeFile(join(dir, 'etc/hostname'), 'rayos-sb-guest\n');
    await writeFile(join(dir, 'etc/fstab'), `PARTUUID=${ROOT_UUID} / ext4 rw,errors=remount-ro 0 1\n`);

    const du = await runCommand(['du', '-sm', '--exclude=./boot', dir], { deadlineMs: 120_000 });
    const treeMiB = Number.parseInt(du.stdout, 10);
    if (!Number.isFinite(treeMiB)) throw new Error(`du could not size ${dir}: ${du.stderr}`);
    const rootMiB = Math.ceil((treeMiB * 1.25 + 256) / 64) * 64;
    const totalMiB = 1 + ESP_MIB + rootMiB + 1;
    const raw = join(work, 'disk.raw');
    await must(run('truncate', ['truncate', '-s', `${totalMiB}M`, raw]));
    const script = join(work, 'sfdisk.script');
    await writeFile(
      script,
      [
        'label: gpt',
        `label-id: ${DISK_GUID}`,
        `start=${MIB / 512}, size=${(ESP_MIB * MIB) / 512}, type=${PARTITION_TYPES.esp}, uuid=${ESP_UUID}, name="ESP"`,
        `start=${((1 + ESP_MIB) * MIB) / 512}, size=${(rootMiB * MIB) / 512}, type=${PARTITION_TYPES.rootX86_64}, uuid=${ROOT_UUID}, name="root"`,
        '',
      ].join('\n'),
    );
    await must(run('sfdisk', ['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', raw], undefined, script));
    const espBytes = ESP_MIB * MIB;
    await must(run('mkfs.vfat', ['mkfs.vfat', '-F', '32', '-s', String(fatClusterSectors(espBytes)), '-n', 'SB-ESP', `--offset=${MIB / 512}`, raw, String(espBytes / 1024)]));
    const files: EspFile[] = [
      // The removable path: the firmware boots it with no boot entry, the way a fresh Windows disk is found.
      { espPath: '/EFI/BOOT/BOOTX64.EFI', content: { sourcePath: join(dir, 'usr/lib/shim/shimx64.efi.signed') } },
      { espPath: '/EFI/BOOT/grubx64.efi', content: { sourcePath: join(dir, 'usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed') } },
      { espPath: '/EFI/BOOT/mmx64.efi', content: { sourcePath: join(dir, 'usr/lib/shim/mmx64.efi.signed') } },
      { espPath: '/EFI/BOOT/grub.cfg', content: GRUB_CFG },
      { espPath: '/EFI/debian/grub.cfg', content: GRUB_CFG },
      { espPath: '/vmlinuz', content: { sourcePath: join(dir, 'boot', `vmlinuz-${kernel}`) } },
      { espPath: '/initrd.img', content: { sourcePath: join(dir, 'boot', `initrd.img-${kernel}`) } },
    ];
    await must(fillEsp(`${raw}@@${MIB}`, files, work, run));
    progress(`root filesystem (${rootMiB} MiB ext4 from ${treeMiB} MiB of files)`);
    await must(run('mkfs.ext4', ['mkfs.ext4', '-q', '-F', '-L', 'sb-root', '-E', `offset=${(1 + ESP_MIB) * MIB},root_owner=0:0`, '-d', dir, raw, `${rootMiB}M`]));
    await must(run('qemu-img convert', ['qemu-img', 'convert', '-O', 'qcow2', raw, join(work, 'disk.qcow2')]));
    await rename(join(work, 'disk.qcow2'), qcow2);
    // Older disks are hundreds of MiB each: keep only this one.
    for (const name of await readdir(disksDir)) if (name.endsWith('.qcow2') && name !== `${key}.qcow2`) await rm(join(disksDir, name), { force: true });
    return { qcow2, cached: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Provisions the Windows VM through the runtime of `dataDir` (a fake installer ISO, not started), then gives its
 * system disk the guest's contents: what "the person installed Windows" would have left there. The first start is
 * still the installing one (the ISO attached; the firmware passes over it to the disk).
 */
export async function provisionWithSecureBootGuest(dataDir: string, progress: (line: string) => void = () => undefined): Promise<WindowsProvisionResult> {
  const disk = await secureBootGuestDisk(IMAGE_CACHE_DIR, progress);
  const media = join(dataDir, 'media');
  mkdirSync(join(media, 'content'), { recursive: true });
  writeFileSync(join(media, 'content', 'setup.exe'), 'not Windows\n');
  execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'FAKE', '-o', join(media, 'win11.iso'), join(media, 'content')], { stdio: 'pipe' });
  const provisioned = await runCli(['--data', dataDir, 'windows', 'provision', '--iso', join(media, 'win11.iso'), '--no-start', '--json'], { timeoutMs: 180_000 });
  if (provisioned.code !== 0) throw new Error(`rayos windows provision failed (${provisioned.code}): ${provisioned.stderr}`);
  const made = WindowsProvisionResultSchema.parse(JSON.parse(provisioned.stdout));
  execFileSync('qemu-img', ['convert', '-O', 'qcow2', disk.qcow2, made.files.disk]);
  execFileSync('qemu-img', ['resize', '-q', made.files.disk, '64G']);
  return made;
}
