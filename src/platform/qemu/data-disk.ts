// Owns making a VM data disk: a qcow2 holding an empty ext4 filesystem, built without root or loop devices.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { runCommand, type RunCommandResult } from '../process/run-command.js';

function failure(step: string, result: RunCommandResult): RayosError {
  const why = result.errorMessage ?? (result.timedOut ? 'timed out' : `exit ${result.code}: ${result.stderr.trim().slice(-400)}`);
  return rayosError('RAYOS_VM_LAUNCH_FAILED', `Making the data disk failed at ${step} (${why}). Check that e2fsprogs and qemu-utils are installed ("./rayos setup").`);
}

/** mke2fs fills a sparse raw file, qemu-img converts it; the result appears at `path` only when complete. */
export async function createDataDisk(path: string, sizeMiB: number, label = 'rayos-data'): Promise<Result<void, RayosError>> {
  const work = await mkdtemp(join(dirname(path), '.disk-'));
  try {
    const raw = join(work, 'disk.raw');
    const qcow2 = join(work, 'disk.qcow2');
    const mkfs = await runCommand(['mke2fs','-q', '-F', '-t', 'ext4', '-L', label, '-E', 'lazy_itable_init=0,lazy_journal_init=0', raw, `${sizeMiB}M`], { deadlineMs: 60_000 });
    if (mkfs.code !== 0) return err(failure('mke2fs', mkfs));
    const convert = await runCommand(['qemu-img','convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, qcow2], { deadlineMs: 60_000 });
    if (convert.code !== 0) return err(failure('qemu-img convert', convert));
    await rename(qcow2, path);
    return ok(undefined);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
