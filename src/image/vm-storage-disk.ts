// Owns a VM storage disk chosen at install (--linux-storage / --windows-storage): its one-partition GPT plan, and writing it in place (sfdisk, then ext4 at the partition's offset; no loop device, no mount).
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { HEAD_MIB, MIB, PARTITION_TYPES, SECTOR_BYTES, TAIL_MIB } from './disk-layout.js';

export type VmStorageKind = 'linux' | 'windows';
export const VM_STORAGE_KINDS: readonly VmStorageKind[] = ['linux', 'windows'];

/** The GPT partition name, which is also the ext4 label (16 characters at most, which "rayos-vm-windows" just fits). */
export const VM_STORAGE_PARTITION_NAMES: Readonly<Record<VmStorageKind, string>> = { linux: 'rayos-vm-linux', windows: 'rayos-vm-windows' };

/**
 * Where the installed system mounts each storage disk (the mount generator, installed-root.ts). Under the data volume's
 * mount, so it is mounted after it.
 */
export const VM_STORAGE_MOUNTS: Readonly<Record<VmStorageKind, string>> = { linux: '/var/lib/rayos/vm-storage/linux', windows: '/var/lib/rayos/vm-storage/windows' };

/**
 * The folder on the storage filesystem that holds the VM folders, and what `vm.linuxStorage`/`vm.windowsStorage` name.
 * It exists only on the storage disk: with the disk missing, the empty mount point on the data volume has no `vm/`,
 * so RayOS finds the storage missing instead of writing VM disks onto the data volume under it.
 */
export const VM_STORAGE_DIR = 'vm';
export const vmStorageConfigPath = (kind: VmStorageKind): string => `${VM_STORAGE_MOUNTS[kind]}/${VM_STORAGE_DIR}`;

/** Smaller than this is refused: a default Linux VM alone wants more than a few hundred MiB, and ext4 needs room for its journal. */
export const VM_STORAGE_MIN_BYTES = 1024 * MIB;

export interface VmStoragePlan {
  readonly kind: VmStorageKind;
  readonly diskGuid: string;
  /** Fresh per install: the boot entry names the partition by it (rayos.vmstore.<kind>=PARTUUID=…). */
  readonly partUuid: string;
  readonly name: string;
  readonly startSector: number;
  readonly sizeSectors: number;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
  readonly sizeMiB: number;
}

/** One partition over the whole disk, on MiB boundaries (the GPTs' MiB at each end left free). Null below the minimum. */
export function planVmStorageDisk(kind: VmStorageKind, diskBytes: number, newUuid: () => string = randomUUID): VmStoragePlan | null {
  if (!Number.isFinite(diskBytes) || diskBytes < VM_STORAGE_MIN_BYTES) return null;
  const sizeMiB = Math.floor(diskBytes / MIB) - HEAD_MIB - TAIL_MIB;
  const diskGuid = newUuid().toLowerCase();
  const partUuid = newUuid().toLowerCase();
  // Only an injected generator could repeat; a repeated UUID would make the partition ambiguous.
  if (diskGuid === partUuid) throw new Error(`the UUID generator repeated ${partUuid}`);
  return {
    kind,
    diskGuid,
    partUuid,
    name: VM_STORAGE_PARTITION_NAMES[kind],
    startSector: (HEAD_MIB * MIB) / SECTOR_BYTES,
    sizeSectors: (sizeMiB * MIB) / SECTOR_BYTES,
    offsetBytes: HEAD_MIB * MIB,
    sizeBytes: sizeMiB * MIB,
    sizeMiB,
  };
}

/** The sfdisk input: explicit sectors, so sfdisk does exactly the plan. */
export function vmStorageSfdiskScript(plan: VmStoragePlan): string {
  return [
    'label: gpt',
    `label-id: ${plan.diskGuid.toUpperCase()}`,
    'unit: sectors',
    `sector-size: ${SECTOR_BYTES}`,
    `first-lba: ${plan.startSector}`,
    '',
    `start=${plan.startSector}, size=${plan.sizeSectors}, type=${PARTITION_TYPES.linuxData}, uuid=${plan.partUuid.toUpperCase()}, name="${plan.name}"`,
    '',
  ].join('\n');
}

const storageFailure = (plan: VmStoragePlan, disk: string, step: string, why: string): RayosError =>
  rayosError('RAYOS_INSTALLER_STORAGE_FAILED', `Writing the ${plan.kind} VM storage disk ${disk} failed at ${step} (${why}); check the disk (dmesg) and run rayos install again, or leave --${plan.kind}-storage out.`, {
    disk,
    kind: plan.kind,
    step,
  });

/** Erases `disk` (a block device or an image file) and writes the plan: GPT, then ext4 with an empty `vm/` at its offset. */
export async function writeVmStorageDisk(disk: string, plan: VmStoragePlan, stepDeadlineMs = 900_000): Promise<Result<void, RayosError>> {
  const work = await mkdtemp(join(tmpdir(), 'rayos-vmstore-'));
  const run = async (step: string, argv: readonly [string, ...string[]], stdinFile?: string): Promise<RayosError | null> => {
    const result = await runCommand(argv, { deadlineMs: stepDeadlineMs, ...(stdinFile ? { stdinFile } : {}) });
    if (result.code === 0 && !result.timedOut) return null;
    return storageFailure(plan, disk, step, result.errorMessage ?? (result.timedOut ? 'ran past its deadline' : `exit ${result.code}: ${result.stderr.trim().slice(-300)}`));
  };
  try {
    const script = join(work, 'sfdisk.script');
    await writeFile(script, vmStorageSfdiskScript(plan));
    const partitioned = await run('sfdisk', ['sfdisk', '--quiet', '--no-reread', '--no-tell-kernel', '--wipe', 'always', disk], script);
    if (partitioned) return err(partitioned);
    const tree = join(work, 'tree');
    await mkdir(join(tree, VM_STORAGE_DIR), { recursive: true });
    // VM folders hold QEMU's sockets and disks: owner-only, like <data>/vm.
    await chmod(join(tree, VM_STORAGE_DIR), 0o700);
    const made = await run('mkfs.ext4', [
      'mkfs.ext4', '-q', '-F', '-L', plan.name, '-m', '0', '-E', `offset=${plan.offsetBytes},nodiscard,root_owner=0:0`, '-d', tree, disk, `${plan.sizeMiB}M`,
    ]);
    if (made) return err(made);
    const synced = await run('sync', ['sync']);
    return synced ? err(synced) : ok(undefined);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
