// Owns assembling a GPT disk image file from a plan: sfdisk on the file, a FAT32 ESP via mtools, ext4 roots via mkfs.ext4 -d, dd into place.
import { mkdir, mkdtemp, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { findExecutable, runCommand, type RunCommandResult } from '../platform/process/run-command.js';
import { MIB, partitionOf, sfdiskScript, type DiskPlan, type PlannedPartition } from './disk-layout.js';

/**
 * No mounts and no loop devices anywhere: they are not reliable on every build machine (some kernels cannot
 * even mount vfat). Every filesystem is made in its own file by a tool that writes files, then copied into the
 * image at its partition's offset with `dd conv=notrunc` (the GPT sfdisk wrote stays intact).
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

export interface AssembleImageInput {
  readonly plan: DiskPlan;
  /** Where the finished image appears (atomically, by rename, only when complete). */
  readonly imagePath: string;
  readonly espFiles: readonly EspFile[];
  /** Root-A: a directory tree (mkfs.ext4 -d), or a finished ext4 image copied in as is; root-B stays empty for the first update. */
  readonly root: { readonly dir: string } | { readonly image: string };
  /** A tree the data volume starts with (directories the system bind-mounts); default empty. */
  readonly dataDir?: string;
  /** Per tool run; default 300 s (a multi-GiB root under mkfs.ext4 -d takes a while). */
  readonly stepDeadlineMs?: number;
  /** Called at the start of every step, so a long build shows where it is. */
  readonly onProgress?: (step: string) => void;
}

export interface AssembledImage {
  readonly imagePath: string;
  readonly plan: DiskPlan;
  readonly espOffsetBytes: number;
}

const DEFAULT_STEP_DEADLINE_MS = 300_000;
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

/** Builds the whole image in a work directory beside imagePath; on any failure nothing is left at imagePath. */
export async function assembleImage(input: AssembleImageInput): Promise<Result<AssembledImage, RayosError>> {
  for (const file of input.espFiles) {
    if (!ESP_PATH_RE.test(file.espPath) || file.espPath.split('/').includes('..')) {
      return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `"${file.espPath}" is not a path RayOS writes on the ESP: use an absolute path of letters, digits and . _ + -.`));
    }
  }
  const tools = await checkImageTools();
  if (!tools.ok) return tools;
  let work: string;
  try {
    await mkdir(dirname(input.imagePath), { recursive: true });
    work = await mkdtemp(join(dirname(input.imagePath), '.image-'));
  } catch (error) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Cannot create a work directory beside ${input.imagePath}: ${(error as Error).message}. Choose a writable output path.`));
  }
  try {
    const built = await build(input, work);
    if (!built.ok) return built;
    await rename(built.value, input.imagePath);
    return ok({ imagePath: input.imagePath, plan: input.plan, espOffsetBytes: partitionOf(input.plan, 'esp').offsetBytes });
  } catch (error) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `Building the disk image ${input.imagePath} failed: ${(error as Error).message}.`));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function build(input: AssembleImageInput, work: string): Promise<Result<string, RayosError>> {
  const deadlineMs = input.stepDeadlineMs ?? DEFAULT_STEP_DEADLINE_MS;
  const progress = input.onProgress ?? ((): void => undefined);
  const run = async (step: string, argv: readonly [string, ...string[]], env?: NodeJS.ProcessEnv, stdinFile?: string): Promise<RayosError | null> => {
    const result = await runCommand(argv, { deadlineMs, ...(env ? { env } : {}), ...(stdinFile ? { stdinFile } : {}) });
    return result.code === 0 && !result.timedOut ? null : stepFailure(step, result);
  };
  const image = join(work, 'disk.img');

  progress('partition table');
  await sparseFile(image, input.plan.totalBytes);
  const script = join(work, 'sfdisk.script');
  await writeFile(script, sfdiskScript(input.plan));
  // sfdisk reads its script on standard input.
  const partitioned = await run('sfdisk', ['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'always', image], undefined, script);
  if (partitioned) return err(partitioned);

  progress('ESP (FAT32)');
  const esp = partitionOf(input.plan, 'esp');
  const espFile = join(work, 'esp.img');
  await sparseFile(espFile, esp.sizeBytes);
  // -F 32: UEFI requires FAT32 for fixed disks; -n names it so a person can tell it apart.
  const formatted = await run('mkfs.vfat', ['mkfs.vfat', '-F', '32', '-n', 'RAYOS-ESP', espFile]);
  if (formatted) return err(formatted);
  const espProblem = await fillEsp(espFile, input.espFiles, work, run);
  if (espProblem) return err(espProblem);

  progress('root-A (ext4 from the root tree)');
  const rootA = partitionOf(input.plan, 'root-a');
  let rootFile: string;
  if ('dir' in input.root) {
    rootFile = join(work, 'root-a.img');
    const rooted = await run('mkfs.ext4 root-A', ext4Argv(rootFile, rootA, 'rayos-root-a', input.root.dir));
    if (rooted) return err(rooted);
  } else {
    rootFile = input.root.image;
    const size = (await stat(rootFile)).size;
    if (size > rootA.sizeBytes) {
      return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `The root image ${rootFile} (${Math.ceil(size / MIB)} MiB) does not fit root-A (${rootA.sizeMiB} MiB); give the disk more room.`));
    }
  }

  progress('data (empty ext4)');
  const data = partitionOf(input.plan, 'data');
  const dataFile = join(work, 'data.img');
  const dataMade = await run('mkfs.ext4 data', ext4Argv(dataFile, data, 'rayos-data', input.dataDir ?? null));
  if (dataMade) return err(dataMade);

  for (const [part, file] of [
    [esp, espFile],
    [rootA, rootFile],
    [data, dataFile],
  ] as const) {
    progress(`writing ${part.name} into the image`);
    const copied = await run(`dd ${part.name}`, ddArgv(file, image, part));
    if (copied) return err(copied);
  }
  return ok(image);
}

/** A file of `bytes` with no blocks allocated: the image is as large as planned but costs only what is written. */
async function sparseFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.truncate(bytes);
  } finally {
    await handle.close();
  }
}

function ext4Argv(file: string, part: PlannedPartition, label: string, fromDir: string | null): [string, ...string[]] {
  // Inode tables and journal initialised now: the first boot then does not run the lazy-init writer.
  const argv: [string, ...string[]] = ['mkfs.ext4', '-q', '-F', '-L', label, '-m', '0', '-E', 'lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0'];
  if (fromDir !== null) argv.push('-d', fromDir);
  argv.push(file, `${part.sizeMiB}M`);
  return argv;
}

function ddArgv(file: string, image: string, part: PlannedPartition): [string, ...string[]] {
  // Partitions start on MiB boundaries, so seek counts whole 1 MiB blocks; notrunc keeps the GPT and the other
  // partitions; sparse skips zero blocks so the image stays sparse.
  return ['dd', `if=${file}`, `of=${image}`, 'bs=1M', `seek=${part.offsetBytes / MIB}`, 'conv=notrunc,sparse', 'status=none'];
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

/** The names in a directory of the ESP image (e.g. `/loader/entries`), read back with mdir; for checks and `bootmgr list`. */
export async function listEspDirectory(imagePath: string, espOffsetBytes: number, espDir: string, deadlineMs = 30_000): Promise<Result<string[], RayosError>> {
  const result = await runCommand(['mdir', '-b', '-i', `${imagePath}@@${espOffsetBytes}`, `::${espDir}`], { deadlineMs, env: MTOOLS_ENV });
  if (result.code !== 0) return err(stepFailure(`mdir ${espDir}`, result));
  // -b prints one full path per line (`::/loader/entries/x.conf`): keep the last component.
  const names = result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.slice(line.lastIndexOf('/') + 1))
    .filter((name) => name !== '.' && name !== '..');
  return ok(names);
}

