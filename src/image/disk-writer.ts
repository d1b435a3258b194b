// Owns writing RayOS onto a target in place — a block device or an image file alike: GPT, FAT32 ESP, the root image into slot A, the data volume; every filesystem at its partition's offset, no mounts, no partition device nodes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { fatClusterSectors, MIB, partitionOf, SECTOR_BYTES, sfdiskScript, type DiskPlan } from './disk-layout.js';
import { checkImageTools, fillEsp, MTOOLS_ENV, stepFailure, type EspFile } from './image-assembly.js';

export interface RootSource {
  /** A file or device holding the root filesystem image. */
  readonly path: string;
  /** Where the image starts in it, and how long it is (a partition of the installer medium, or a whole file). */
  readonly offsetBytes: number;
  readonly bytes: number;
}

export interface DiskWriteInput {
  readonly target: string;
  readonly plan: DiskPlan;
  readonly espFiles: readonly EspFile[];
  readonly root: RootSource;
  /** A directory tree the data volume starts with. */
  readonly dataTree: string | null;
  /** A fresh, all-zero target (a new sparse file): zero blocks need not be written. Never for a device. */
  readonly freshSparseFile: boolean;
  readonly progress: (step: string) => void;
  readonly stepDeadlineMs?: number;
}

/**
 * The order is what makes an interrupted install harmless to retry: the partition table first, then each
 * filesystem, and the ESP's entries last of all, so a target is bootable only once everything it names is there.
 */
export async function writeSystemDisk(input: DiskWriteInput): Promise<Result<void, RayosError>> {
  const deadlineMs = input.stepDeadlineMs ?? 900_000;
  const run = async (step: string, argv: readonly [string, ...string[]], env?: NodeJS.ProcessEnv, stdinFile?: string): Promise<RayosError | null> => {
    const result = await runCommand(argv, { deadlineMs, ...(env ? { env } : {}), ...(stdinFile ? { stdinFile } : {}) });
    return result.code === 0 && !result.timedOut ? null : stepFailure(step, result);
  };
  const tools = await checkImageTools();
  if (!tools.ok) return tools;
  const rootA = partitionOf(input.plan, 'root-a');
  if (input.root.bytes > rootA.sizeBytes) {
    return err(rayosError('RAYOS_IMAGE_BUILD_FAILED', `The root image (${Math.ceil(input.root.bytes / MIB)} MiB) does not fit root-A (${rootA.sizeMiB} MiB); choose a larger disk.`));
  }
  const work = await mkdtemp(join(tmpdir(), 'rayos-disk-'));
  try {
    input.progress('partition table (GPT: ESP, root-A, root-B, data)');
    const script = join(work, 'sfdisk.script');
    await writeFile(script, sfdiskScript(input.plan));
    const partitioned = await run('sfdisk', ['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'always', input.target], undefined, script);
    if (partitioned) return err(partitioned);

    const esp = partitionOf(input.plan, 'esp');
    input.progress(`ESP (FAT32, ${esp.sizeMiB} MiB)`);
    // Cluster size chosen here, not by mkfs.fat (see fatClusterSectors).
    const espMade = await run('mkfs.vfat', ['mkfs.vfat', '-F', '32', '-s', String(fatClusterSectors(esp.sizeBytes)), '-n', 'RAYOS-ESP', `--offset=${esp.startSector}`, input.target, String(esp.sizeBytes / 1024)]);
    if (espMade) return err(espMade);

    input.progress(`root-A (${Math.round(input.root.bytes / MIB)} MiB root image)`);
    const sparse = input.freshSparseFile ? ',sparse' : '';
    const aligned = input.root.offsetBytes % MIB === 0 && input.root.bytes % MIB === 0;
    // Whole MiB when the source is aligned (a medium partition, a built image); else bytes (slow but exact).
    const bs = aligned ? MIB : SECTOR_BYTES;
    const copied = await run('dd root-A', [
      'dd', `if=${input.root.path}`, `of=${input.target}`, `bs=${bs}`,
      `skip=${input.root.offsetBytes / bs}`, `count=${Math.ceil(input.root.bytes / bs)}`, `seek=${rootA.offsetBytes / bs}`,
      `conv=notrunc${sparse}`, 'status=none',
    ]);
    if (copied) return err(copied);

    const data = partitionOf(input.plan, 'data');
    input.progress(`data volume (ext4, ${data.sizeMiB} MiB)`);
    const dataArgv: [string, ...string[]] = ['mkfs.ext4', '-q', '-F', '-L', 'rayos-data', '-m', '0', '-E', `offset=${data.offsetBytes},nodiscard,root_owner=0:0`];
    if (input.dataTree !== null) dataArgv.push('-d', input.dataTree);
    dataArgv.push(input.target, `${data.sizeMiB}M`);
    const dataMade = await run('mkfs.ext4 data', dataArgv);
    if (dataMade) return err(dataMade);

    input.progress('boot files and entries on the ESP');
    // Entries last: until they are there, nothing boots this half-written disk.
    const entries = input.espFiles.filter((f) => f.espPath.startsWith('/loader/entries/'));
    const rest = input.espFiles.filter((f) => !f.espPath.startsWith('/loader/entries/'));
    const espSpec = `${input.target}@@${esp.offsetBytes}`;
    const made = new Set<string>();
    const filled = (await fillEsp(espSpec, rest, work, run, made)) ?? (await fillEsp(espSpec, entries, work, run, made));
    if (filled) return err(filled);
    const synced = await run('sync', ['sync']);
    if (synced) return err(synced);
    return ok(undefined);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The ESP of a target as mtools names it (for reading entries back). */
export const espImageSpec = (target: string, plan: DiskPlan): string => `${target}@@${partitionOf(plan, 'esp').offsetBytes}`;
export { MTOOLS_ENV };
