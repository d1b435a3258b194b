// Owns the installer medium's layout: a GPT with the ESP (systemd-boot, the installer entry, the boot files to install, medium.json) and the root image as partition 2.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HEAD_MIB, MIB, PARTITION_TYPES, SECTOR_BYTES, TAIL_MIB } from './disk-layout.js';

export const MEDIUM_MANIFEST_PATH = '/rayos/medium.json';
export const ROOT_IMAGE_PARTITION_NAME = 'rayos-root-image';
export const MEDIUM_ESP_NAME = 'rayos-medium-esp';

const EspPath = z.string().regex(/^(\/[0-9A-Za-z._+-]+)+$/);

/** What `rayos install` reads from the medium it booted from: untrusted until parsed. */
export const MediumManifestSchema = z.object({
  format: z.literal(1),
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._~^-]{0,63}$/),
  kernel: EspPath,
  initrd: EspPath,
  bootloader: EspPath,
  recovery: z.object({ kernel: EspPath, initrd: EspPath }),
  rootImage: z.object({ partitionName: z.literal(ROOT_IMAGE_PARTITION_NAME), bytes: z.number().int().positive() }),
  builtAt: z.string(),
});
export type MediumManifest = z.infer<typeof MediumManifestSchema>;

export interface MediumPartition {
  readonly number: number;
  readonly name: string;
  readonly typeGuid: string;
  readonly partUuid: string;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
}

export interface MediumPlan {
  readonly totalBytes: number;
  readonly esp: MediumPartition;
  readonly rootImage: MediumPartition;
}

const roundUpMiB = (bytes: number): number => Math.ceil(bytes / MIB);

/** ESP big enough for its files plus slack; the root image partition exactly its size in whole MiB. */
export function planMedium(espContentBytes: number, rootImageBytes: number, newUuid: () => string = randomUUID): MediumPlan {
  // FAT32 needs at least 65525 clusters: at 4 KiB clusters (mkfs.vfat -s 8) 256 MiB is just under once the FATs are
  // taken off, so 320 MiB is the floor. The slack covers FAT tables and directories.
  const espMiB = Math.max(320, roundUpMiB(espContentBytes * 1.1) + 32);
  const rootMiB = roundUpMiB(rootImageBytes);
  const esp: MediumPartition = { number: 1, name: MEDIUM_ESP_NAME, typeGuid: PARTITION_TYPES.esp, partUuid: newUuid(), offsetBytes: HEAD_MIB * MIB, sizeBytes: espMiB * MIB };
  const rootImage: MediumPartition = {
    number: 2,
    name: ROOT_IMAGE_PARTITION_NAME,
    typeGuid: PARTITION_TYPES.linuxData,
    partUuid: newUuid(),
    offsetBytes: esp.offsetBytes + esp.sizeBytes,
    sizeBytes: rootMiB * MIB,
  };
  return { totalBytes: rootImage.offsetBytes + rootImage.sizeBytes + TAIL_MIB * MIB, esp, rootImage };
}

export function mediumSfdiskScript(plan: MediumPlan): string {
  const lines = ['label: gpt', 'unit: sectors', `sector-size: ${SECTOR_BYTES}`, `first-lba: ${(HEAD_MIB * MIB) / SECTOR_BYTES}`, ''];
  for (const p of [plan.esp, plan.rootImage]) {
    lines.push(`start=${p.offsetBytes / SECTOR_BYTES}, size=${p.sizeBytes / SECTOR_BYTES}, type=${p.typeGuid}, uuid=${p.partUuid.toUpperCase()}, name="${p.name}"`);
  }
  return lines.join('\n') + '\n';
}

/** One partition as `sfdisk --json` reports it (untrusted: it describes whatever disk is plugged in). */
const SfdiskPartitionSchema = z.object({
  node: z.string(),
  start: z.number().int().nonnegative(),
  size: z.number().int().positive(),
  type: z.string(),
  uuid: z.string().optional(),
  name: z.string().optional(),
});
export const SfdiskJsonSchema = z.object({
  partitiontable: z.object({
    label: z.string(),
    sectorsize: z.number().int().positive().optional(),
    partitions: z.array(SfdiskPartitionSchema).default([]),
  }),
});
export type SfdiskTable = z.infer<typeof SfdiskJsonSchema>['partitiontable'];
