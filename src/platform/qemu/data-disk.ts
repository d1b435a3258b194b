// Owns making VM disks with qemu-img: a qcow2 data disk holding an empty ext4 filesystem (built without root or loop devices), a blank sparse qcow2, a qcow2 copy of a raw image.
import { link, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { runCommand, type RunCommandResult } from '../process/run-command.js';

export const DATA_DISK_LABEL = 'rayos-data';
export const MIN_DATA_DISK_MIB = 16;
export const MAX_DATA_DISK_MIB = 16 * 1024 * 1024;

function failure(step: string, result: RunCommandResult): RayosError {
  const why = result.errorMessage ?? (result.timedOut ? 'timed out' : `exit ${result.code}: ${result.stderr.trim().slice(-400)}`);
  return rayosError('RAYOS_VM_DISK_FAILED', `Making the data disk failed at ${step} (${why}). Check that e2fsprogs and qemu-utils are installed ("./rayos setup").`);
}

/**
 * mke2fs fills a sparse raw file, qemu-img converts it (zero blocks stay unallocated); the qcow2 appears at
 * `path` only when complete. Inode tables and the journal are initialised now, so the guest's first mount does
 * not start the background lazy-init writer (slow under TCG).
 */
export async function createDataDisk(path: string, sizeMiB: number): Promise<Result<void, RayosError>> {
  if (!Number.isInteger(sizeMiB) || sizeMiB < MIN_DATA_DISK_MIB || sizeMiB > MAX_DATA_DISK_MIB) {
    return err(rayosError('RAYOS_VM_DISK_FAILED', `A data disk size must be a whole number of MiB from ${MIN_DATA_DISK_MIB} to ${MAX_DATA_DISK_MIB}; got ${sizeMiB}.`));
  }
  let work: string;
  try {
    work = await mkdtemp(join(dirname(path), '.disk-'));
  } catch (error) {
    return err(rayosError('RAYOS_VM_DISK_FAILED', `Cannot create the data disk in ${dirname(path)}: ${(error as Error).message}.`));
  }
  try {
    const raw = join(work, 'disk.raw');
    const qcow2 = join(work, 'disk.qcow2');
    const mkfs = await runCommand(
      ['mke2fs', '-q', '-F', '-t', 'ext4', '-L', DATA_DISK_LABEL, '-m', '0', '-E', 'lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0', raw, `${sizeMiB}M`],
      { deadlineMs: 300_000 },
    );
    if (mkfs.code !== 0) return err(failure('mke2fs', mkfs));
    const convert = await runCommand(['qemu-img', 'convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, qcow2], { deadlineMs: 300_000 });
    if (convert.code !== 0) return err(failure('qemu-img convert', convert));
    await rename(qcow2, path);
    return ok(undefined);
  } catch (error) {
    return err(rayosError('RAYOS_VM_DISK_FAILED', `Making the data disk ${path} failed: ${(error as Error).message}.`));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * An empty sparse qcow2 of sizeMiB for a guest that partitions and formats its own disk (Windows Setup): only the
 * qcow2 header is written, so 64 GiB takes a few hundred KiB until the guest writes. It appears at `path` only
 * when complete, and never over an existing file.
 */
export async function createBlankDisk(path: string, sizeMiB: number): Promise<Result<void, RayosError>> {
  if (!Number.isInteger(sizeMiB) || sizeMiB < MIN_DATA_DISK_MIB || sizeMiB > MAX_DATA_DISK_MIB) {
    return err(rayosError('RAYOS_VM_DISK_FAILED', `A disk size must be a whole number of MiB from ${MIN_DATA_DISK_MIB} to ${MAX_DATA_DISK_MIB}; got ${sizeMiB}.`));
  }
  return intoPlace(path, (work) => ['qemu-img', 'create', '-q', '-f', 'qcow2', work, `${sizeMiB}M`], 'qemu-img create');
}

/**
 * A qcow2 copy of a raw image (a VM's own UEFI variables from OVMF's template): QEMU's internal snapshots need every
 * writable block node to be qcow2, so a VM with raw variables could never be suspended.
 */
export async function copyAsQcow2(rawSource: string, path: string): Promise<Result<void, RayosError>> {
  return intoPlace(path, (work) => ['qemu-img', 'convert', '-q', '-f', 'raw', '-O', 'qcow2', rawSource, work], 'qemu-img convert');
}

async function intoPlace(path: string, argv: (work: string) => [string, ...string[]], step: string): Promise<Result<void, RayosError>> {
  let work: string;
  try {
    work = await mkdtemp(join(dirname(path), '.disk-'));
  } catch (error) {
    return err(rayosError('RAYOS_VM_DISK_FAILED', `Cannot create ${path}: ${(error as Error).message}.`));
  }
  try {
    const file = join(work, 'disk.qcow2');
    const made = await runCommand(argv(file), { deadlineMs: 120_000 });
    if (made.code !== 0) return err(failure(step, made));
    // link, not rename: it fails rather than replace a file already at path (a disk is never overwritten here).
    await link(file, path);
    return ok(undefined);
  } catch (error) {
    return err(rayosError('RAYOS_VM_DISK_FAILED', `Making ${path} failed: ${(error as Error).message}.`));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
