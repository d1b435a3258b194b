// Owns building RayOS's installable parts (root image, kernel, initrd, bootloader) and writing a whole installed disk from them.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { MIB, planDisk, type DiskPlan } from './disk-layout.js';
import { writeSystemDisk } from './disk-writer.js';
import { composeInstalledRoot, DATA_SYSTEM_DIRS } from './installed-root.js';
import { buildRecoveryInitramfs } from './recovery-initramfs.js';
import { buildRootTree } from './root-tree.js';
import { systemEspFiles, type BootPayload } from './system-esp.js';

export interface BuildOptions {
  readonly repoRoot: string;
  /** Default <repo>/.cache/image */
  readonly cacheDir: string;
  readonly version: string;
  readonly consoleShell: boolean;
  readonly onProgress: (step: string, detail?: string) => void;
}

export interface SystemParts {
  readonly version: string;
  /** The root filesystem (ext4), written as is into a root slot by install and update. */
  readonly rootImage: string;
  readonly rootImageBytes: number;
  readonly boot: BootPayload;
  readonly treeKey: string;
}

/** The RayOS version of this checkout (package.json). */
export async function checkoutVersion(repoRoot: string): Promise<string> {
  return (JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

async function sizeMiB(dir: string): Promise<number> {
  const du = await runCommand(['du', '-s', '-m', dir], { deadlineMs: 120_000 });
  return Number.parseInt(du.stdout.split(/\s/)[0] ?? '0', 10);
}

/** Root tree (cached) → installed root (hard-linked staging) → root.ext4 (mkfs.ext4 -d; no mounts). */
export async function buildSystemParts(options: BuildOptions): Promise<Result<SystemParts, RayosError>> {
  const { onProgress: progress } = options;
  progress('root-tree', 'Debian root filesystem (debootstrap, cached by its package list)');
  const tree = await buildRootTree({ cacheDir: options.cacheDir, onProgress: (line) => progress('root-tree', line) });
  if (!tree.ok) return tree;
  const work = join(options.cacheDir, 'work', options.version);
  await mkdir(work, { recursive: true });
  const staging = join(work, 'root');
  progress('root-compose', 'RayOS runtime, units, mounts and console into the root');
  const composed = await composeInstalledRoot({ tree: tree.value.dir, staging, repoRoot: options.repoRoot, consoleShell: options.consoleShell });
  if (!composed.ok) return composed;
  const contentMiB = await sizeMiB(staging);
  // Room for the journal of package updates and logs written before the data volume mounts.
  const imageMiB = Math.ceil(contentMiB * 1.2) + 256;
  const rootImage = join(work, 'root.ext4');
  progress('root-image', `ext4 root image, ${imageMiB} MiB for ${contentMiB} MiB of files (mkfs.ext4 -d)`);
  await rm(`${rootImage}.partial`, { force: true });
  const made = await runCommand(
    ['mkfs.ext4', '-q', '-F', '-L', 'rayos-root', '-m', '0', '-E', 'lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0', '-d', staging, `${rootImage}.partial`, `${imageMiB}M`],
    { deadlineMs: 600_000 },
  );
  if (made.code !== 0) return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `mkfs.ext4 of the root image failed (exit ${made.code}: ${made.stderr.trim().slice(-300)}); check free space in ${work}.`));
  await rename(`${rootImage}.partial`, rootImage);
  const kernel = join(staging, 'boot', `vmlinuz-${tree.value.kernelVersion}`);
  const recoveryInitrd = join(work, 'recovery-initrd.img');
  progress('recovery', 'recovery/installer initramfs (busybox, node, RayOS, disk and journal tools, modules)');
  const recovery = await buildRecoveryInitramfs({ tree: tree.value.dir, kernelVersion: tree.value.kernelVersion, repoRoot: options.repoRoot, work, output: recoveryInitrd });
  if (!recovery.ok) return recovery;
  progress('recovery', `${Math.round(recovery.value.bytes / MIB)} MiB, ${recovery.value.modules.length} modules`);
  const boot: BootPayload = {
    bootloader: join(staging, 'usr/lib/systemd/boot/efi/systemd-bootx64.efi'),
    version: options.version,
    kernel,
    initrd: join(staging, 'boot', `initrd.img-${tree.value.kernelVersion}`),
    recovery: { kernel, initrd: recoveryInitrd },
  };
  for (const file of [boot.bootloader, boot.kernel, boot.initrd]) {
    if (!existsSync(file)) return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `The root tree lacks ${file}; delete ${options.cacheDir}/rootfs and build again.`));
  }
  return ok({ version: options.version, rootImage, rootImageBytes: (await stat(rootImage)).size, boot, treeKey: tree.value.key });
}

/** A fresh machine id (32 hex digits, as /etc/machine-id holds). */
export const newMachineId = (): string => randomBytes(16).toString('hex');

export interface InstalledDisk {
  readonly path: string;
  readonly plan: DiskPlan;
  readonly machineId: string;
}

/** Writes a complete installed disk (GPT, ESP with entries, root-A, empty root-B, data) into a new sparse file of `sizeBytes`. */
export async function writeInstalledDisk(parts: SystemParts, diskPath: string, sizeBytes: number, progress: (step: string) => void): Promise<Result<InstalledDisk, RayosError>> {
  const plan = planDisk(sizeBytes);
  if (!plan.ok) return plan;
  const machineId = newMachineId();
  const espFiles = systemEspFiles(plan.value, parts.boot, machineId);
  if (!espFiles.ok) return espFiles;
  const partial = `${diskPath}.partial`;
  const dataTree = await newDataTree();
  try {
    await rm(partial, { force: true });
    await writeFile(partial, '');
    await truncate(partial, sizeBytes);
    const written = await writeSystemDisk({
      target: partial,
      plan: plan.value,
      espFiles: espFiles.value,
      root: { path: parts.rootImage, offsetBytes: 0, bytes: parts.rootImageBytes },
      dataTree,
      freshSparseFile: true,
      progress,
    });
    if (!written.ok) return written;
    await rename(partial, diskPath);
    return ok({ path: diskPath, plan: plan.value, machineId });
  } finally {
    await rm(partial, { force: true });
    await rm(dataTree, { recursive: true, force: true });
  }
}

/** The directories a new data volume starts with (the installed system bind-mounts them), in a temporary tree. */
export async function newDataTree(): Promise<string> {
  const tree = await mkdtemp(join(tmpdir(), 'rayos-data-'));
  for (const dir of DATA_SYSTEM_DIRS) await mkdir(join(tree, dir), { recursive: true, mode: 0o700 });
  return tree;
}
