// Owns A/B updates (`rayos update apply IMAGE`): the new root image into the slot not running, its kernel and initrd onto the ESP, and a counted entry — so a version that never reaches READY falls back to the blessed one.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { countedEntryName, renderSystemEntry, type BootEntryInfo } from './boot-entries.js';
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

/** A system entry with the root slot its options name (null when the file names none). */
export interface SlotEntry {
  readonly entry: BootEntryInfo;
  readonly rootPartUuid: string | null;
}

/**
 * Which entries the update replaces, or why it is refused. The slot about to be written loses its entries first
 * (they would boot the new root with their old kernel). The same version again is refused while it runs, waits to
 * be tried or was good; after it failed every try (no tries left, in the other slot) it may be applied again.
 */
export function planSlotEntries(entries: readonly SlotEntry[], version: string, running: string, other: string | null): Result<string[], RayosError> {
  for (const { entry, rootPartUuid } of entries) {
    if (entry.version !== version) continue;
    if (rootPartUuid === running) return updateError(`RayOS ${version} is the version running now; an update must bring a new version.`);
    // `other` is null before the disk is read: only what is refused whatever the other slot is.
    if (entry.state !== 'bad' || (other !== null && rootPartUuid !== other)) {
      const why = entry.state === 'bad' ? 'failed, but its entry names no root slot of this disk' : entry.state === 'good' ? 'was good there' : 'waits to be tried (reboot to try it)';
      return updateError(`RayOS ${version} already has a boot entry on the ESP (${entry.fileName}: it ${why}); an update must bring a new version.`);
    }
  }
  return ok(entries.filter((e) => e.rootPartUuid === other).map((e) => e.entry.fileName));
}

/** The system entries of an ESP with the root PARTUUID each boots. */
async function slotEntries(esp: string, entries: readonly BootEntryInfo[]): Promise<SlotEntry[]> {
  const found: SlotEntry[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'system') continue;
    const untrustedText = await readFile(join(esp, 'loader/entries', entry.fileName), 'utf8').catch(() => '');
    const options = untrustedText.split('\n').find((line) => /^options\s/.test(line)) ?? '';
    found.push({ entry, rootPartUuid: runningRootPartUuid(options.replace(/^options\s+/, '')) });
  }
  return found;
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
  const withRoots = await slotEntries(request.esp, entries.value);
  const early = planSlotEntries(withRoots, manifest.version, running, null);
  if (!early.ok) return early;

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
  const replaced = planSlotEntries(withRoots, manifest.version, running, found.partUuid);
  if (!replaced.ok) return replaced;

  // Before the slot is overwritten, nothing may boot it: its entries go first (a failed write leaves no entry to it).
  for (const fileName of replaced.value) {
    await rm(join(request.esp, 'loader/entries', fileName), { force: true });
    request.marker(`RAYOS_UPDATE:ENTRY_REMOVED:${fileName}`);
  }
  for (const version of new Set(withRoots.filter((e) => replaced.value.includes(e.entry.fileName)).map((e) => e.entry.version))) {
    const stillUsed = withRoots.some((e) => e.entry.version === version && !replaced.value.includes(e.entry.fileName));
    if (version !== null && !stillUsed) await rm(join(request.esp, systemDir(version)), { recursive: true, force: true });
  }

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

