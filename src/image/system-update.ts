// Owns A/B updates (`rayos update apply IMAGE`): the new root image into the slot not running, its kernel and initrd onto the ESP, and a counted entry — so a version that never reaches READY falls back to the blessed one.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { countedEntryName, renderSystemEntry } from './boot-entries.js';
import { readEntries } from './bootmgr.js';
import { MIB, SECTOR_BYTES } from './disk-layout.js';
import { MTOOLS_ENV } from './disk-writer.js';
import { listDisks, openMedium, readPartitionTable } from './installer.js';
import { systemDir } from './system-esp.js';

export interface UpdateRequest {
  /** The installer image (file or disk) of the new version. */
  readonly image: string;
  readonly esp: string;
  readonly progress: (line: string) => void;
  readonly marker: (line: string) => void;
  readonly cmdline?: string;
  readonly sysBlock?: string;
}

export interface UpdateOutcome {
  readonly version: string;
  readonly slot: 'rayos-root-a' | 'rayos-root-b';
  readonly entry: string;
}

const updateError = (message: string): Result<never, RayosError> => err(rayosError('RAYOS_UPDATE_FAILED', message));

/** The running root's PARTUUID, from the kernel command line (root=PARTUUID=…). */
export function runningRootPartUuid(cmdline: string): string | null {
  return /(?:^|\s)root=PARTUUID=([0-9a-fA-F-]{36})(?:\s|$)/.exec(cmdline)?.[1]?.toLowerCase() ?? null;
}

/** The options of the running system's entry, less root=: the same data volume, ESP and machine id carry over. */
function carriedOptions(cmdline: string): string[] {
  return cmdline
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '' && !/^(root=|initrd=|BOOT_IMAGE=|rw$)/.test(word));
}

export async function applyUpdate(request: UpdateRequest): Promise<Result<UpdateOutcome, RayosError>> {
  const cmdline = request.cmdline ?? (await readFile('/proc/cmdline', 'utf8').catch(() => ''));
  const running = runningRootPartUuid(cmdline);
  if (running === null) return updateError('This system was not started from a RayOS root slot (no root=PARTUUID= on the kernel command line); updates apply to an installed RayOS only.');
  const medium = await openMedium(request.image);
  if (!medium.ok) return medium;
  const { manifest } = medium.value;
  const entries = await readEntries(request.esp);
  if (!entries.ok) return entries;
  if (entries.value.some((e) => e.version === manifest.version)) {
    return updateError(`RayOS ${manifest.version} already has a boot entry on ${request.esp}; an update must bring a new version.`);
  }

  // The disk that holds the running root, and its other slot.
  let found: { disk: string; slot: 'rayos-root-a' | 'rayos-root-b'; offsetBytes: number; sizeBytes: number; partUuid: string } | null = null;
  for (const disk of await listDisks(request.sysBlock)) {
    const table = await readPartitionTable(disk.path);
    if (!table?.partitions.some((p) => p.uuid?.toLowerCase() === running)) continue;
    const current = table.partitions.find((p) => p.uuid?.toLowerCase() === running);
    const otherName = current?.name === 'rayos-root-a' ? 'rayos-root-b' : current?.name === 'rayos-root-b' ? 'rayos-root-a' : null;
    const other = table.partitions.find((p) => p.name === otherName);
    if (otherName === null || other === undefined || other.uuid === undefined) return updateError(`The running root on ${disk.path} is not a RayOS A/B slot; reinstall to get the A/B layout.`);
    const sector = table.sectorsize ?? SECTOR_BYTES;
    found = { disk: disk.path, slot: otherName, offsetBytes: other.start * sector, sizeBytes: other.size * sector, partUuid: other.uuid.toLowerCase() };
  }
  if (found === null) return updateError(`No disk holds the running root (PARTUUID ${running}).`);
  if (manifest.rootImage.bytes > found.sizeBytes) return updateError(`The new root image (${Math.ceil(manifest.rootImage.bytes / MIB)} MiB) does not fit ${found.slot} (${Math.floor(found.sizeBytes / MIB)} MiB).`);

  request.progress(`writing RayOS ${manifest.version} into ${found.slot} on ${found.disk}`);
  const copied = await runCommand(
    ['dd', `if=${medium.value.path}`, `of=${found.disk}`, `bs=${MIB}`, `skip=${medium.value.rootOffsetBytes / MIB}`, `count=${Math.ceil(manifest.rootImage.bytes / MIB)}`, `seek=${found.offsetBytes / MIB}`, 'conv=notrunc,fsync', 'status=none'],
    { deadlineMs: 1_800_000 },
  );
  if (copied.code !== 0) return updateError(`Writing ${found.slot} failed (${copied.stderr.trim().slice(-300)}); the running version is untouched.`);
  request.marker(`RAYOS_UPDATE:SLOT_WRITTEN:${found.slot}`);

  request.progress('kernel and initrd onto the ESP');
  const dir = systemDir(manifest.version);
  await mkdir(join(request.esp, dir), { recursive: true });
  for (const [from, name] of [
    [manifest.kernel, 'vmlinuz'],
    [manifest.initrd, 'initrd.img'],
  ] as const) {
    const local = join(request.esp, dir, `${name}.partial`);
    const fetched = await runCommand(['mcopy', '-o', '-i', `${medium.value.path}@@${medium.value.espOffsetBytes}`, `::${from}`, local], { deadlineMs: 300_000, env: MTOOLS_ENV });
    if (fetched.code !== 0) return updateError(`Copying ${from} from the image failed (${fetched.stderr.trim().slice(-200)}).`);
    await rename(local, join(request.esp, dir, name));
  }
  const name = countedEntryName(manifest.version);
  if (!name.ok) return name;
  const entry = renderSystemEntry({ version: manifest.version, linux: `${dir}/vmlinuz`, initrd: [`${dir}/initrd.img`], rootPartUuid: found.partUuid, extraOptions: carriedOptions(cmdline) });
  if (!entry.ok) return entry;
  // Written beside, then renamed: systemd-boot never sees half an entry.
  const entryPath = join(request.esp, 'loader/entries', name.value);
  await writeFile(`${entryPath}.partial`, entry.value);
  await rename(`${entryPath}.partial`, entryPath);
  await runCommand(['sync'], { deadlineMs: 60_000 });
  request.marker(`RAYOS_UPDATE:ENTRY_ADDED:${name.value}`);
  return ok({ version: manifest.version, slot: found.slot, entry: name.value });
}

