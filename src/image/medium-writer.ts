// Owns writing the installer/USB image: systemd-boot with the "Install RayOS" entry, the boot files to install and medium.json on the ESP, the root image as partition 2.
import { mkdtemp, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { renderLoaderConf, renderRecoveryEntry } from './boot-entries.js';
import { fatClusterSectors, MIB } from './disk-layout.js';
import { checkImageTools, fillEsp, stepFailure, type EspFile } from './image-assembly.js';
import { type SystemParts } from './image-build.js';
import { MEDIUM_MANIFEST_PATH, mediumSfdiskScript, planMedium, type MediumManifest, type MediumPlan } from './medium-layout.js';
import { CONSOLE_OPTIONS, REBOOT_OPTIONS, RECOVERY_DIR, systemDir } from './system-esp.js';

export const INSTALLER_ENTRY = '/loader/entries/rayos-installer.conf';

function mediumEspFiles(parts: SystemParts): Result<EspFile[], RayosError> {
  const recovery = parts.boot.recovery;
  if (recovery === null) throw new Error('the medium needs the recovery initramfs');
  const dir = systemDir(parts.version);
  const manifest: MediumManifest = {
    format: 1,
    version: parts.version,
    kernel: `${dir}/vmlinuz`,
    initrd: `${dir}/initrd.img`,
    bootloader: '/EFI/systemd/systemd-bootx64.efi',
    recovery: { kernel: `${RECOVERY_DIR}/vmlinuz`, initrd: `${RECOVERY_DIR}/initrd.img` },
    rootImage: { partitionName: 'rayos-root-image', bytes: parts.rootImageBytes },
    builtAt: new Date().toISOString(),
  };
  const entry = renderRecoveryEntry({
    title: `Install RayOS ${parts.version}`,
    linux: manifest.recovery.kernel,
    initrd: [manifest.recovery.initrd],
    options: [...CONSOLE_OPTIONS, ...REBOOT_OPTIONS, 'rayos.mode=installer', 'panic=10'],
  });
  if (!entry.ok) return entry;
  // No wait: the medium boots the installer at once; holding a key (space) at start shows systemd-boot's menu.
  const loader = renderLoaderConf(0);
  if (!loader.ok) return loader;
  return ok([
    { espPath: '/EFI/BOOT/BOOTX64.EFI', content: { sourcePath: parts.boot.bootloader } },
    { espPath: manifest.bootloader, content: { sourcePath: parts.boot.bootloader } },
    { espPath: '/loader/loader.conf', content: loader.value },
    { espPath: manifest.kernel, content: { sourcePath: parts.boot.kernel } },
    { espPath: manifest.initrd, content: { sourcePath: parts.boot.initrd } },
    { espPath: manifest.recovery.kernel, content: { sourcePath: recovery.kernel } },
    { espPath: manifest.recovery.initrd, content: { sourcePath: recovery.initrd } },
    { espPath: MEDIUM_MANIFEST_PATH, content: JSON.stringify(manifest, null, 2) + '\n' },
    { espPath: INSTALLER_ENTRY, content: entry.value },
  ]);
}

async function contentBytes(files: readonly EspFile[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    const content = file.content;
    total += typeof content === 'string' ? Buffer.byteLength(content) : 'sourcePath' in content ? (await stat(content.sourcePath)).size : content.length;
  }
  return total;
}

/** Writes the medium to `outPath` (atomically: a .partial file renamed when complete). */
export async function writeMedium(parts: SystemParts, outPath: string, progress: (step: string) => void): Promise<Result<{ plan: MediumPlan; bytes: number }, RayosError>> {
  const tools = await checkImageTools();
  if (!tools.ok) return tools;
  const files = mediumEspFiles(parts);
  if (!files.ok) return files;
  const plan = planMedium(await contentBytes(files.value), parts.rootImageBytes);
  const partial = `${outPath}.partial`;
  const work = await mkdtemp(join(tmpdir(), 'rayos-medium-'));
  const run = async (step: string, argv: readonly [string, ...string[]], env?: NodeJS.ProcessEnv, stdinFile?: string): Promise<RayosError | null> => {
    const result = await runCommand(argv, { deadlineMs: 900_000, ...(env ? { env } : {}), ...(stdinFile ? { stdinFile } : {}) });
    return result.code === 0 && !result.timedOut ? null : stepFailure(step, result);
  };
  try {
    await rm(partial, { force: true });
    await writeFile(partial, '');
    await truncate(partial, plan.totalBytes);
    progress(`medium partition table (ESP ${plan.esp.sizeBytes / MIB} MiB, root image ${plan.rootImage.sizeBytes / MIB} MiB)`);
    const script = join(work, 'sfdisk.script');
    await writeFile(script, mediumSfdiskScript(plan));
    const problem =
      (await run('sfdisk', ['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'always', partial], undefined, script)) ??
      (await run('mkfs.vfat', ['mkfs.vfat', '-F', '32', '-s', String(fatClusterSectors(plan.esp.sizeBytes)), '-n', 'RAYOS-USB', `--offset=${plan.esp.offsetBytes / 512}`, partial, String(plan.esp.sizeBytes / 1024)]));
    if (problem) return err(problem);
    progress('medium root image');
    const copied = await run('dd root image', ['dd', `if=${parts.rootImage}`, `of=${partial}`, 'bs=1M', `seek=${plan.rootImage.offsetBytes / MIB}`, 'conv=notrunc,sparse', 'status=none']);
    if (copied) return err(copied);
    progress('medium ESP files');
    const filled = await fillEsp(`${partial}@@${plan.esp.offsetBytes}`, files.value, work, run);
    if (filled) return err(filled);
    await rename(partial, outPath);
    return ok({ plan, bytes: plan.totalBytes });
  } finally {
    await rm(partial, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

