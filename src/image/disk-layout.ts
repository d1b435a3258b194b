// Owns the GPT plan of a RayOS disk (ESP, root-A, root-B, data): sizes, fresh PARTUUIDs and the sfdisk script.
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';

export const SECTOR_BYTES = 512;
export const MIB = 1024 * 1024;
/** Partitions start on MiB boundaries (what every tool and SSD expects); the first MiB holds the MBR and the primary GPT. */
export const HEAD_MIB = 1;
/** The backup GPT (33 sectors) lives in the last sectors: the last MiB is left to it. */
export const TAIL_MIB = 1;
/** mkfs.vfat cannot make FAT32 below 65525 clusters (≈ 32 MiB at 512-byte clusters): no ESP is smaller than this. */
export const FAT32_MIN_MIB = 36;

/** GPT partition type GUIDs (UEFI spec; the Discoverable Partitions Specification for root x86-64). */
export const PARTITION_TYPES = {
  esp: 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B',
  rootX86_64: '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709',
  linuxData: '0FC63DAF-8483-4772-8E79-3D69D8477DE4',
} as const;

export type PartitionRole = 'esp' | 'root-a' | 'root-b' | 'data';

export interface LayoutLimits {
  /** The ESP holds systemd-boot, the entries, the kernels and the recovery initramfs: it has one fixed size. */
  readonly espMiB: number;
  readonly rootMinMiB: number;
  /** A root slot grows up to this; the rest of the disk goes to data (VM disks live there). */
  readonly rootMaxMiB: number;
  readonly dataMinMiB: number;
}

/** What an install to a real disk needs: the root slots hold Debian + QEMU + Chromium + Node + RayOS. */
export const INSTALL_LIMITS: LayoutLimits = { espMiB: 512, rootMinMiB: 4096, rootMaxMiB: 16384, dataMinMiB: 4096 };

export interface PlannedPartition {
  readonly number: number;
  readonly role: PartitionRole;
  /** GPT partition name (what `sfdisk --json` calls `name`). */
  readonly name: string;
  readonly typeGuid: string;
  /** Fresh per install: the root is found by PARTUUID, never by label, so two RayOS disks in one machine never mix. */
  readonly partUuid: string;
  readonly startSector: number;
  readonly sizeSectors: number;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
  readonly sizeMiB: number;
}

export interface DiskPlan {
  readonly diskGuid: string;
  readonly totalBytes: number;
  readonly partitions: readonly [PlannedPartition, PlannedPartition, PlannedPartition, PlannedPartition];
}

export interface PlanOptions {
  readonly limits?: LayoutLimits;
  /** Injected by tests for a reproducible plan; default crypto.randomUUID. */
  readonly newUuid?: () => string;
}

const NAMES: Record<PartitionRole, string> = { esp: 'ESP', 'root-a': 'rayos-root-a', 'root-b': 'rayos-root-b', data: 'rayos-data' };

/** The smallest disk (MiB) a plan fits on with these limits. */
export function minimumTargetMiB(limits: LayoutLimits = INSTALL_LIMITS): number {
  return HEAD_MIB + limits.espMiB + 2 * limits.rootMinMiB + limits.dataMinMiB + TAIL_MIB;
}

function checkLimits(limits: LayoutLimits): string | null {
  const values = [limits.espMiB, limits.rootMinMiB, limits.rootMaxMiB, limits.dataMinMiB];
  if (!values.every((v) => Number.isInteger(v) && v > 0)) return 'every size must be a whole positive number of MiB';
  if (limits.espMiB < FAT32_MIN_MIB) return `the ESP must be at least ${FAT32_MIN_MIB} MiB to hold FAT32`;
  if (limits.rootMaxMiB < limits.rootMinMiB) return 'rootMaxMiB is below rootMinMiB';
  return null;
}

/**
 * Plans the four partitions on a target of `targetBytes`: ESP fixed, each root slot as large as it may be
 * (up to rootMaxMiB) while data keeps its minimum, data takes the rest. A target below the minimum is refused
 * with RAYOS_INSTALLER_TOO_SMALL, before anything is written.
 */
export function planDisk(targetBytes: number, options: PlanOptions = {}): Result<DiskPlan, RayosError> {
  const limits = options.limits ?? INSTALL_LIMITS;
  const newUuid = options.newUuid ?? randomUUID;
  const limitProblem = checkLimits(limits);
  if (limitProblem) return err(rayosError('RAYOS_INSTALLER_TOO_SMALL', `The disk layout limits are wrong: ${limitProblem}.`));
  const needMiB = minimumTargetMiB(limits);
  const targetMiB = Number.isFinite(targetBytes) && targetBytes > 0 ? Math.floor(targetBytes / MIB) : 0;
  if (targetMiB < needMiB) {
    return err(
      rayosError(
        'RAYOS_INSTALLER_TOO_SMALL',
        `The target holds ${targetMiB} MiB; RayOS needs at least ${needMiB} MiB (ESP ${limits.espMiB}, two root slots of ${limits.rootMinMiB}, data ${limits.dataMinMiB}, GPT 2). Choose a larger disk.`,
        { targetMiB, needMiB },
      ),
    );
  }
  const usableMiB = targetMiB - HEAD_MIB - TAIL_MIB;
  const rootMiB = Math.min(limits.rootMaxMiB, Math.floor((usableMiB - limits.espMiB - limits.dataMinMiB) / 2));
  const dataMiB = usableMiB - limits.espMiB - 2 * rootMiB;
  const sizes: readonly (readonly [PartitionRole, number, string])[] = [
    ['esp', limits.espMiB, PARTITION_TYPES.esp],
    ['root-a', rootMiB, PARTITION_TYPES.rootX86_64],
    ['root-b', rootMiB, PARTITION_TYPES.rootX86_64],
    ['data', dataMiB, PARTITION_TYPES.linuxData],
  ];
  const seen = new Set<string>();
  const fresh = (): string => {
    // A repeated UUID would make the root ambiguous: never accept one (only an injected generator could repeat).
    const uuid = newUuid().toLowerCase();
    if (seen.has(uuid)) throw new Error(`the UUID generator repeated ${uuid}`);
    seen.add(uuid);
    return uuid;
  };
  const diskGuid = fresh();
  let startMiB = HEAD_MIB;
  const partitions = sizes.map(([role, sizeMiB, typeGuid], index): PlannedPartition => {
    const part: PlannedPartition = {
      number: index + 1,
      role,
      name: NAMES[role],
      typeGuid,
      partUuid: fresh(),
      startSector: (startMiB * MIB) / SECTOR_BYTES,
      sizeSectors: (sizeMiB * MIB) / SECTOR_BYTES,
      offsetBytes: startMiB * MIB,
      sizeBytes: sizeMiB * MIB,
      sizeMiB,
    };
    startMiB += sizeMiB;
    return part;
  });
  const [esp, rootA, rootB, data] = partitions as [PlannedPartition, PlannedPartition, PlannedPartition, PlannedPartition];
  return ok({ diskGuid, totalBytes: targetMiB * MIB, partitions: [esp, rootA, rootB, data] });
}

export function partitionOf(plan: DiskPlan, role: PartitionRole): PlannedPartition {
  const found = plan.partitions.find((p) => p.role === role);
  // The plan always holds all four roles (the tuple type says so); this is unreachable.
  if (!found) throw new Error(`no ${role} partition in the plan`);
  return found;
}

/**
 * The sfdisk input for the plan (`sfdisk --no-reread --no-tell-kernel DISK < script`): explicit sectors, so
 * sfdisk does exactly the plan and never rounds or fills on its own.
 */
export function sfdiskScript(plan: DiskPlan): string {
  const lines = ['label: gpt', `label-id: ${plan.diskGuid.toUpperCase()}`, 'unit: sectors', `sector-size: ${SECTOR_BYTES}`, `first-lba: ${(HEAD_MIB * MIB) / SECTOR_BYTES}`, ''];
  for (const p of plan.partitions) {
    lines.push(`start=${p.startSector}, size=${p.sizeSectors}, type=${p.typeGuid}, uuid=${p.partUuid.toUpperCase()}, name="${p.name}"`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Sectors per cluster for a FAT32 filesystem of `sizeBytes`: the largest of 8, 4, 2, 1 that still leaves FAT32 its
 * minimum of 65525 clusters (with room for the FATs). Left to itself, mkfs.fat sizes clusters from the whole device
 * when it writes at an offset, and on a large disk makes a "FAT32" mtools cannot use.
 */
export function fatClusterSectors(sizeBytes: number): number {
  for (const sectors of [8, 4, 2, 1]) if (sizeBytes / SECTOR_BYTES / sectors >= 70_000) return sectors;
  return 1;
}
