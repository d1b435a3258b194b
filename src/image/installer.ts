// Owns `rayos install`: the disks and the medium, the checks that refuse a bad target, the two confirmations, then RayOS written onto the target from the medium.
import { mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as stringifyToml } from 'smol-toml';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { runCommand } from '../platform/process/run-command.js';
import { decodeLoaderString, DEFAULT_EFIVARS, efivarsPresent, isEfivarfs, LOADER_VENDOR_GUID, type WriteVariableOptions } from './bootmgr-efivars.js';
import { MIB, partitionOf, planDisk, SECTOR_BYTES, type DiskPlan } from './disk-layout.js';
import { MTOOLS_ENV, writeSystemDisk } from './disk-writer.js';
import { REMOVABLE_LOADER_PATH, writeFirmwareBootEntry } from './firmware-boot-entry.js';
import { newDataTree, newMachineId } from './image-build.js';
import { MEDIUM_ESP_NAME, MEDIUM_MANIFEST_PATH, MediumManifestSchema, ROOT_IMAGE_PARTITION_NAME, SfdiskJsonSchema, type MediumManifest, type SfdiskTable } from './medium-layout.js';
import { systemEspFiles, SYSTEMD_BOOT_ESP_PATH } from './system-esp.js';
import { planVmStorageDisk, VM_STORAGE_MIN_BYTES, vmStorageConfigPath, writeVmStorageDisk, type VmStorageKind, type VmStoragePlan } from './vm-storage-disk.js';

export interface DiskInfo {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly model: string;
}

/** Whole disks from sysfs (no partitions, loop, RAM or optical devices). */
export async function listDisks(sysBlock = '/sys/block'): Promise<DiskInfo[]> {
  const names = await readdir(sysBlock).catch(() => [] as string[]);
  const disks: DiskInfo[] = [];
  for (const name of names.sort()) {
    if (/^(loop|ram|sr|zram|fd|md|dm-)/.test(name)) continue;
    const sectors = Number.parseInt(await readFile(join(sysBlock, name, 'size'), 'utf8').catch(() => '0'), 10);
    if (!(sectors > 0)) continue;
    const model = (await readFile(join(sysBlock, name, 'device/model'), 'utf8').catch(() => '')).trim();
    const vendor = (await readFile(join(sysBlock, name, 'device/vendor'), 'utf8').catch(() => '')).trim();
    const label = model || (name.startsWith('vd') ? 'virtio disk' : vendor || 'disk');
    disks.push({ name, path: `/dev/${name}`, bytes: sectors * SECTOR_BYTES, model: label.replace(/[^\x20-\x7e]/g, '?').slice(0, 40) });
  }
  return disks;
}

/** The GPT of a disk or image file, as sfdisk reads it; null when there is none. */
export async function readPartitionTable(path: string): Promise<SfdiskTable | null> {
  const result = await runCommand(['sfdisk', '--json', path], { deadlineMs: 30_000 });
  if (result.code !== 0) return null;
  try {
    const parsed = SfdiskJsonSchema.safeParse(JSON.parse(result.stdout));
    return parsed.success ? parsed.data.partitiontable : null;
  } catch {
    return null;
  }
}

/** The disk systemd-boot booted from: the one holding the partition named by LoaderDevicePartUUID. */
export async function bootedDisk(disks: readonly DiskInfo[], efivars = DEFAULT_EFIVARS): Promise<DiskInfo | null> {
  const raw = await readFile(join(efivars, `LoaderDevicePartUUID-${LOADER_VENDOR_GUID}`)).catch(() => null);
  const uuid = raw === null ? null : decodeLoaderString(raw)?.toLowerCase();
  if (!uuid) return null;
  for (const disk of disks) {
    const table = await readPartitionTable(disk.path);
    if (table?.partitions.some((p) => p.uuid?.toLowerCase() === uuid)) return disk;
  }
  return null;
}

export interface Medium {
  readonly path: string;
  readonly manifest: MediumManifest;
  readonly espOffsetBytes: number;
  readonly rootOffsetBytes: number;
}

const installerError = (code: 'RAYOS_INSTALLER_NO_MEDIUM' | 'RAYOS_INSTALLER_BAD_MEDIUM', message: string): Result<never, RayosError> => err(rayosError(code, message));

/** Reads the medium's GPT and manifest (both untrusted: any disk can claim to be a medium). */
export async function openMedium(path: string): Promise<Result<Medium, RayosError>> {
  const table = await readPartitionTable(path);
  if (table === null) return installerError('RAYOS_INSTALLER_BAD_MEDIUM', `${path} has no partition table: it is not a RayOS installer medium (write one with "rayos image build --out").`);
  const sector = table.sectorsize ?? SECTOR_BYTES;
  const esp = table.partitions.find((p) => p.name === MEDIUM_ESP_NAME);
  const root = table.partitions.find((p) => p.name === ROOT_IMAGE_PARTITION_NAME);
  if (esp === undefined || root === undefined) return installerError('RAYOS_INSTALLER_BAD_MEDIUM', `${path} lacks the ${MEDIUM_ESP_NAME} or ${ROOT_IMAGE_PARTITION_NAME} partition: it is not a RayOS installer medium.`);
  const espOffsetBytes = esp.start * sector;
  const work = await mkdtemp(join(tmpdir(), 'rayos-medium-'));
  try {
    const local = join(work, 'medium.json');
    const copied = await runCommand(['mcopy', '-o', '-i', `${path}@@${espOffsetBytes}`, `::${MEDIUM_MANIFEST_PATH}`, local], { deadlineMs: 30_000, env: MTOOLS_ENV });
    if (copied.code !== 0) return installerError('RAYOS_INSTALLER_BAD_MEDIUM', `${path} has no ${MEDIUM_ESP_NAME}${MEDIUM_MANIFEST_PATH}; rebuild the medium with "rayos image build".`);
    const untrustedText = await readFile(local, 'utf8');
    let untrustedManifest: unknown;
    try {
      untrustedManifest = JSON.parse(untrustedText);
    } catch {
      return installerError('RAYOS_INSTALLER_BAD_MEDIUM', `${MEDIUM_MANIFEST_PATH} on ${path} is not JSON; rebuild the medium.`);
    }
    const manifest = MediumManifestSchema.safeParse(untrustedManifest);
    if (!manifest.success) return installerError('RAYOS_INSTALLER_BAD_MEDIUM', `${MEDIUM_MANIFEST_PATH} on ${path} is not valid (${manifest.error.issues[0]?.message ?? 'invalid'}); rebuild the medium.`);
    if (manifest.data.rootImage.bytes > root.size * sector) return installerError('RAYOS_INSTALLER_BAD_MEDIUM', `The medium's root image partition is smaller than its manifest says; rebuild the medium.`);
    return ok({ path, manifest: manifest.data, espOffsetBytes, rootOffsetBytes: root.start * sector });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Copies files out of the medium's ESP into a local directory (the installer writes them onto the target's ESP). */
async function fetchFromMedium(medium: Medium, espPaths: readonly string[], dir: string): Promise<Result<Map<string, string>, RayosError>> {
  const out = new Map<string, string>();
  for (const [index, espPath] of espPaths.entries()) {
    const local = join(dir, `boot-${index}`);
    const copied = await runCommand(['mcopy', '-o', '-i', `${medium.path}@@${medium.espOffsetBytes}`, `::${espPath}`, local], { deadlineMs: 300_000, env: MTOOLS_ENV });
    if (copied.code !== 0) return installerError('RAYOS_INSTALLER_BAD_MEDIUM', `The medium lacks ${espPath} (${copied.stderr.trim().slice(-200)}); rebuild the medium.`);
    out.set(espPath, local);
  }
  return ok(out);
}

export interface InstallRequest {
  readonly target: string;
  /** The medium to install from; default: the disk this system booted from. */
  readonly medium?: string;
  readonly yes: boolean;
  /** Whole disks (or image files) to erase and keep the Linux / Windows VMs on instead of the data volume. */
  readonly linuxStorage?: string;
  readonly windowsStorage?: string;
  readonly ask: (question: string) => Promise<string>;
  readonly say: (line: string) => void;
  readonly marker: (line: string) => void;
  readonly efivars?: string;
  readonly sysBlock?: string;
}

export interface InstallOutcome {
  readonly target: string;
  readonly version: string;
  readonly machineId: string;
  readonly seconds: number;
}

/** A VM storage disk that passed the checks: what to call it, where it is, and the partition it gets. */
interface StorageChoice {
  readonly kind: VmStorageKind;
  /** As the person named it (--linux-storage …). */
  readonly given: string;
  /** After realpath: what sameFile compares. */
  readonly path: string;
  /** The disk's name in /sys/block, or the path of an image file. */
  readonly name: string;
  readonly bytes: number;
  readonly plan: VmStoragePlan;
}

const STORAGE_WORD: Readonly<Record<VmStorageKind, string>> = { linux: 'Linux', windows: 'Windows' };

/** The new data volume's rayos.toml: the VM service keeps each chosen kind's VMs on its storage disk. */
export function storageConfig(kinds: readonly VmStorageKind[]): string {
  const vm = Object.fromEntries(kinds.map((kind) => [`${kind}Storage`, vmStorageConfigPath(kind)]));
  return `# Written by rayos install: the VM storage disks chosen then (see docs/CONFIG.md).\n${stringifyToml({ vm })}\n`;
}

/** "a", "a and b", "a, b and c" (or "or"). */
const listOf = (items: readonly string[], last: 'and' | 'or'): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1] ?? ''}`);

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    const [ra, rb] = await Promise.all([realpath(a), realpath(b)]);
    if (ra === rb) return true;
    const [sa, sb] = await Promise.all([stat(ra), stat(rb)]);
    if (sa.isBlockDevice() && sb.isBlockDevice()) return sa.rdev === sb.rdev;
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

const gib = (bytes: number): string => `${(bytes / 1024 / MIB).toFixed(1)} GiB`;

/**
 * Checks one --linux-storage / --windows-storage disk like the target: a whole disk or an image file, at least 1 GiB,
 * and none of the medium, the target or the other storage disk. Nothing is written here.
 */
async function checkStorageDisk(
  kind: VmStorageKind,
  given: string,
  known: { readonly disks: readonly DiskInfo[]; readonly mediumPath: string; readonly targetPath: string; readonly other: StorageChoice | null },
): Promise<Result<StorageChoice, RayosError>> {
  const refuse = (why: string): Result<never, RayosError> =>
    err(
      rayosError('RAYOS_INSTALLER_BAD_STORAGE', `--${kind}-storage ${given}: ${why}. Choose another disk, or leave --${kind}-storage out to keep the ${STORAGE_WORD[kind]} VMs on the data volume.`, {
        kind,
        disk: given,
      }),
    );
  const path = await realpath(given).catch(() => null);
  const info = path === null ? null : await stat(path).catch(() => null);
  if (path === null || info === null || !(info.isBlockDevice() || info.isFile())) {
    const choices = known.disks.map((d) => `${d.path} (${gib(d.bytes)}, ${d.model})`).join(', ') || 'none found';
    return refuse(`there is no such disk (disks here: ${choices})`);
  }
  if (await sameFile(path, known.mediumPath)) return refuse('it is the medium RayOS is installing from');
  if (await sameFile(path, known.targetPath)) return refuse('it is the target RayOS is installed on (the data volume there holds VMs already)');
  if (known.other !== null && (await sameFile(path, known.other.path))) return refuse(`it is also the --${known.other.kind}-storage disk; each kind of VM needs a disk of its own`);
  const disk = known.disks.find((d) => path === d.path || path.endsWith(`/${d.name}`));
  if (info.isBlockDevice() && disk === undefined) return refuse('it is not a whole disk (a partition?); name the whole disk, e.g. /dev/sdc');
  const bytes = info.isBlockDevice() ? (disk?.bytes ?? 0) : info.size;
  const plan = planVmStorageDisk(kind, bytes);
  if (plan === null) return refuse(`it holds ${Math.floor(bytes / MIB)} MiB; a VM storage disk needs at least ${VM_STORAGE_MIN_BYTES / MIB} MiB`);
  return ok({ kind, given, path, name: disk?.name ?? given, bytes, plan });
}

/** The loader the firmware boot entry starts (\EFI\systemd\systemd-bootx64.efi): systemd-boot where systemEspFiles puts it. */
export const FIRMWARE_ENTRY_LOADER = SYSTEMD_BOOT_ESP_PATH.replace(/\//g, '\\');
export const FIRMWARE_ENTRY_DESCRIPTION = 'RayOS';

/**
 * Why this install sets no firmware boot entry, or null when it should. Only a disk in this machine can be booted by
 * this machine's firmware, and only a UEFI boot has its variables (efivarfs) to write them into.
 */
export async function firmwareEntrySkipReason(targetIsBlockDevice: boolean, efivars: string): Promise<string | null> {
  if (!targetIsBlockDevice) return 'the target is an image file, not a disk of this machine';
  if (!(await efivarsPresent(efivars))) return `there are no EFI variables at ${efivars} (this system did not boot through UEFI)`;
  if (!(await isEfivarfs(efivars))) return `${efivars} is not efivarfs (mount it: mount -t efivarfs efivarfs ${efivars})`;
  return null;
}

/**
 * Sets the firmware boot entry "RayOS" → systemd-boot on the target's ESP, as bootctl install does. Never fails the
 * install: without the entry the disk still boots through the removable path, so a failure is a warning.
 */
export async function addFirmwareBootEntry(
  efivars: string,
  plan: DiskPlan,
  out: { readonly say: (line: string) => void; readonly marker: (line: string) => void },
  options: WriteVariableOptions = {},
): Promise<void> {
  const esp = partitionOf(plan, 'esp');
  const entry = await writeFirmwareBootEntry({
    efivars,
    description: FIRMWARE_ENTRY_DESCRIPTION,
    partition: { number: esp.number, startLba: esp.startSector, sizeLba: esp.sizeSectors, partUuid: esp.partUuid },
    loaderPath: FIRMWARE_ENTRY_LOADER,
    ...options,
  });
  if (!entry.ok) {
    out.say(`warning: ${entry.error.code}: ${entry.error.message}`);
    return;
  }
  out.say(`firmware boot entry Boot${entry.value.number} "${FIRMWARE_ENTRY_DESCRIPTION}" → ${FIRMWARE_ENTRY_LOADER} (BootOrder ${entry.value.bootOrder.join(',')})`);
  out.marker(`RAYOS_INSTALLER:FIRMWARE_ENTRY:Boot${entry.value.number}`);
}

/** Everything `rayos install` does; nothing is written to the target before both confirmations (or --yes). */
export async function runInstall(request: InstallRequest): Promise<Result<InstallOutcome, RayosError>> {
  const began = Date.now();
  const disks = await listDisks(request.sysBlock);
  for (const disk of disks) request.marker(`RAYOS_INSTALLER:DISK_DETECTED:${disk.name}:${disk.bytes}:${disk.model.replace(/[:\s]+/g, '_')}`);
  const mediumPath = request.medium ?? (await bootedDisk(disks, request.efivars))?.path;
  if (mediumPath === undefined) return installerError('RAYOS_INSTALLER_NO_MEDIUM', 'Cannot tell which disk this system booted from; pass the installer medium with --medium (a disk or an image file).');

  // Followed, so /dev/disk/by-id/… names the disk it links to (and a dangling link is no disk at all).
  const targetPath = await realpath(request.target).catch(() => null);
  const targetInfo = targetPath === null ? null : await stat(targetPath).catch(() => null);
  if (targetPath === null || targetInfo === null || !(targetInfo.isBlockDevice() || targetInfo.isFile())) {
    const choices = disks.map((d) => `${d.path} (${gib(d.bytes)}, ${d.model})`).join(', ') || 'none found';
    return err(rayosError('RAYOS_INSTALLER_NO_TARGET', `There is no disk ${request.target}. Disks here: ${choices}.`));
  }
  if (await sameFile(targetPath, mediumPath)) {
    return err(rayosError('RAYOS_INSTALLER_TARGET_IS_MEDIUM', `${request.target} is the medium RayOS is installing from; choose another disk (see the DISK_DETECTED lines).`));
  }
  const targetDisk = disks.find((d) => targetPath === d.path || targetPath.endsWith(`/${d.name}`));
  const targetBytes = targetInfo.isBlockDevice() ? (targetDisk?.bytes ?? 0) : targetInfo.size;
  const plan = planDisk(targetBytes);
  if (!plan.ok) return plan;
  const storage: StorageChoice[] = [];
  for (const [kind, given] of [['linux', request.linuxStorage], ['windows', request.windowsStorage]] as const) {
    if (given === undefined) continue;
    const checked = await checkStorageDisk(kind, given, { disks, mediumPath, targetPath, other: storage[0] ?? null });
    if (!checked.ok) return checked;
    storage.push(checked.value);
  }

  const medium = await openMedium(mediumPath);
  if (!medium.ok) return medium;
  const { manifest } = medium.value;
  const label = targetDisk;
  const name = label?.name ?? request.target;

  if (!request.yes) {
    // Every disk that will be erased is named in both questions: the storage disks are wiped as surely as the target.
    const erased = [request.target, ...storage.map((s) => s.given)];
    const withStorage = storage.map((s) => ` with the ${STORAGE_WORD[s.kind]} VM storage on ${s.given} (${gib(s.bytes)})`).join(' and');
    const first = await request.ask(
      storage.length === 0
        ? `Install RayOS ${manifest.version} on ${request.target} (${gib(targetBytes)}${label ? `, ${label.model}` : ''})? Everything on it will be erased. Type its name (${name}) to go on, anything else to stop: `
        : `Install RayOS ${manifest.version} on ${request.target} (${gib(targetBytes)}${label ? `, ${label.model}` : ''})${withStorage}? Everything on ${listOf(erased, 'and')} will be erased. Type the target's name (${name}) to go on, anything else to stop: `,
    );
    const untouched = listOf(erased, 'or');
    if (first.trim() !== name && first.trim() !== request.target) return err(rayosError('RAYOS_INSTALLER_DECLINED', `Nothing was written to ${untouched}: the answer was not "${name}".`));
    const second = await request.ask(`Last chance: ${listOf(erased, 'and')} ${erased.length === 1 ? 'is' : 'are'} wiped when you type "erase": `);
    if (second.trim() !== 'erase') return err(rayosError('RAYOS_INSTALLER_DECLINED', `Nothing was written to ${untouched}: the answer was not "erase".`));
  }

  const progress = (step: string): void => request.say(`[install ${((Date.now() - began) / 1000).toFixed(1)} s] ${step}`);
  const work = await mkdtemp(join(tmpdir(), 'rayos-install-'));
  const dataTree = await newDataTree();
  try {
    const fetched = await fetchFromMedium(medium.value, [manifest.bootloader, manifest.kernel, manifest.initrd, manifest.recovery.kernel, manifest.recovery.initrd], work);
    if (!fetched.ok) return fetched;
    const file = (espPath: string): string => fetched.value.get(espPath) as string;
    const machineId = newMachineId();
    const vmStore = Object.fromEntries(storage.map((s) => [s.kind, s.plan.partUuid]));
    const espFiles = systemEspFiles(
      plan.value,
      { bootloader: file(manifest.bootloader), version: manifest.version, kernel: file(manifest.kernel), initrd: file(manifest.initrd), recovery: { kernel: file(manifest.recovery.kernel), initrd: file(manifest.recovery.initrd) } },
      machineId,
      vmStore,
    );
    if (!espFiles.ok) return espFiles;
    // The install record: what was installed, and which disks hold the VMs (null: the data volume).
    const chosen = (kind: VmStorageKind): { disk: string; partUuid: string } | null => {
      const found = storage.find((s) => s.kind === kind);
      return found === undefined ? null : { disk: found.name, partUuid: found.plan.partUuid };
    };
    const record = { version: manifest.version, installedAt: new Date().toISOString(), machineId, vmStorage: { linux: chosen('linux'), windows: chosen('windows') } };
    await writeFile(join(dataTree, 'install.json'), JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
    if (storage.length > 0) await writeFile(join(dataTree, 'rayos.toml'), storageConfig(storage.map((s) => s.kind)), { mode: 0o600 });
    request.marker(`RAYOS_INSTALLER:WIPING:${name}`);
    // Before the system disk, whose boot entry names these partitions and is written last of all: an install cut short
    // leaves nothing bootable that points at a storage disk not yet written.
    for (const choice of storage) {
      progress(`${STORAGE_WORD[choice.kind]} VM storage on ${choice.given} (GPT, ${choice.plan.name}, ext4, ${choice.plan.sizeMiB} MiB)`);
      const storageWritten = await writeVmStorageDisk(choice.given, choice.plan);
      if (!storageWritten.ok) return storageWritten;
      request.marker(`RAYOS_INSTALLER:STORAGE:${choice.kind}:${choice.name}`);
    }
    const written = await writeSystemDisk({
      target: request.target,
      plan: plan.value,
      espFiles: espFiles.value,
      root: { path: medium.value.path, offsetBytes: medium.value.rootOffsetBytes, bytes: manifest.rootImage.bytes },
      dataTree,
      freshSparseFile: false,
      progress,
    });
    if (!written.ok) return written;
    const efivars = request.efivars ?? DEFAULT_EFIVARS;
    const skip = await firmwareEntrySkipReason(targetInfo.isBlockDevice(), efivars);
    if (skip === null) await addFirmwareBootEntry(efivars, plan.value, { say: progress, marker: request.marker });
    else progress(`no firmware boot entry: ${skip}; the disk boots through the removable path ${REMOVABLE_LOADER_PATH}`);
    request.marker('RAYOS_INSTALLER:DONE');
    return ok({ target: request.target, version: manifest.version, machineId, seconds: (Date.now() - began) / 1000 });
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(dataTree, { recursive: true, force: true });
  }
}

