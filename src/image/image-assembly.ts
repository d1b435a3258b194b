// Owns what every disk writer shares: the tools they need (and the apt-get line when one is missing), files into a FAT ESP with mtools, and step failures as RAYOS_IMAGE_BUILD_FAILED.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { findExecutable, type RunCommandResult } from '../platform/process/run-command.js';

/**
 * No mounts and no loop devices anywhere: they are not reliable on every build machine (some kernels cannot
 * even mount vfat). Every filesystem is written by a tool at its partition's offset (disk-writer.ts, medium-writer.ts).
 */
export const REQUIRED_TOOLS = ['sfdisk', 'mkfs.vfat', 'mmd', 'mcopy', 'mkfs.ext4', 'dd'] as const;
/** The Debian package of each tool, for the error that says what to install. */
const TOOL_PACKAGES: Record<(typeof REQUIRED_TOOLS)[number], string> = {
  sfdisk: 'fdisk',
  'mkfs.vfat': 'dosfstools',
  mmd: 'mtools',
  mcopy: 'mtools',
  'mkfs.ext4': 'e2fsprogs',
  dd: 'coreutils',
};

export interface EspFile {
  /** Path inside the ESP, e.g. `/loader/entries/rayos-1.0.0+3.conf`. */
  readonly espPath: string;
  /** The bytes, or a file to copy (kernels and initramfs images are large). */
  readonly content: string | Uint8Array | { readonly sourcePath: string };
}

// mtools refuses images whose geometry it finds odd unless told not to check; the FAT we made is fine.
export const MTOOLS_ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1', LC_ALL: 'C' };
const ESP_PATH_RE = /^(\/[0-9A-Za-z._+-]+)+$/;

export function stepFailure(step: string, result: RunCommandResult): RayosError {
  const why = result.errorMessage ?? (result.timedOut ? 'ran past its deadline' : `exit ${result.code}: ${result.stderr.trim().slice(-400)}`);
  return rayosError('RAYOS_IMAGE_BUILD_FAILED', `Building the disk image failed at ${step} (${why}). Check free space in the output directory and that "./rayos setup" installed the image tools.`, { step });
}

/** Which of the tools the builder needs are missing, with the apt-get line that installs them. */
export async function checkImageTools(): Promise<Result<void, RayosError>> {
  const missing: string[] = [];
  for (const tool of REQUIRED_TOOLS) if ((await findExecutable(tool, `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`)) === null) missing.push(tool);
  if (missing.length === 0) return ok(undefined);
  const packages = [...new Set(missing.map((tool) => TOOL_PACKAGES[tool as (typeof REQUIRED_TOOLS)[number]]))];
  return err(
    rayosError('RAYOS_IMAGE_TOOL_MISSING', `Building a disk image needs ${missing.join(', ')}: install them with "apt-get install ${packages.join(' ')}" (or run "./rayos setup").`, {
      missing,
    }),
  );
}

/** Makes every directory the files need (parents first, each once), then copies each file in with mcopy. */
export async function fillEsp(
  espFile: string,
  files: readonly EspFile[],
  work: string,
  run: (step: string, argv: readonly [string, ...string[]], env?: NodeJS.ProcessEnv) => Promise<RayosError | null>,
  /** Directories already on the ESP (mmd refuses to make one twice); the ones made here are added. */
  madeDirs: Set<string> = new Set(),
): Promise<RayosError | null> {
  for (const file of files) {
    if (!ESP_PATH_RE.test(file.espPath) || file.espPath.split('/').includes('..')) {
      return rayosError('RAYOS_IMAGE_BUILD_FAILED', `"${file.espPath}" is not a path RayOS writes on the ESP: use an absolute path of letters, digits and . _ + -.`);
    }
  }
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.espPath.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i += 1) {
      const dir = '/' + parts.slice(0, i).join('/');
      if (!madeDirs.has(dir)) dirs.add(dir);
      madeDirs.add(dir);
    }
  }
  const ordered = [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  if (ordered.length > 0) {
    const made = await run('mmd', ['mmd', '-i', espFile, ...ordered.map((d) => `::${d}`)], MTOOLS_ENV);
    if (made) return made;
  }
  const staging = await mkdtemp(join(work, 'esp-files-'));
  for (const [index, file] of files.entries()) {
    let local = join(staging, String(index));
    if (typeof file.content === 'object' && 'sourcePath' in file.content) local = file.content.sourcePath;
    else await writeFile(local, file.content);
    // -o: overwrite without asking (mtools would otherwise wait on a prompt until the deadline).
    const copied = await run(`mcopy ${file.espPath}`, ['mcopy', '-o', '-i', espFile, local, `::${file.espPath}`], MTOOLS_ENV);
    if (copied) return copied;
  }
  return null;
}
