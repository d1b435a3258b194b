// Owns the boot manager of an installed RayOS: the ESP's systemd-boot entries, what booted and boots next, blessing the current boot, the one-shot next entry.
import { readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { fsyncDirectory } from '../platform/fs/atomic-write.js';
import { runCommand } from '../platform/process/run-command.js';
import { DEFAULT_EFIVARS, efivarsPresent, readLoaderState, readLoaderVariable, writeLoaderVariable, type LoaderState, type WriteVariableOptions } from './bootmgr-efivars.js';
import { compareBootOrder, loaderEntryId, parseEntryListing, parseEntryName, RECOVERY_FILE_NAME, type BootEntryInfo } from './boot-entries.js';

export const DEFAULT_ESP_CANDIDATES: readonly string[] = ['/efi', '/boot/efi', '/boot'];
export const SYSTEMD_BLESS_BOOT = '/usr/lib/systemd/systemd-bless-boot';
const ENTRIES_DIR = ['loader', 'entries'] as const;

export interface BootmgrPaths {
  /** The ESP mount point (holds loader/entries). */
  readonly esp: string;
  /** The efivarfs mount (or a directory of files in its byte format). */
  readonly efivars: string;
}

export type NextReason = 'one-shot' | 'default' | 'boot-order';
export interface NextBoot {
  readonly entry: BootEntryInfo;
  readonly reason: NextReason;
}

export interface EntryView {
  /** systemd-boot's id (counter stripped, `.conf` kept): what LoaderEntrySelected and set-next use. */
  readonly id: string;
  readonly fileName: string;
  readonly kind: BootEntryInfo['kind'];
  readonly version: string | null;
  readonly state: BootEntryInfo['state'];
  readonly triesLeft: number | null;
  readonly triesDone: number | null;
  readonly booted: boolean;
  readonly next: boolean;
}

export interface BootListing {
  readonly esp: string;
  readonly efivars: string;
  readonly uefi: boolean;
  readonly selected: string | null;
  readonly oneShot: string | null;
  readonly defaultEntry: string | null;
  readonly next: { readonly id: string; readonly reason: NextReason } | null;
  readonly entries: readonly EntryView[];
}

export interface BootStatus {
  readonly esp: string;
  readonly efivars: string;
  /** LoaderEntrySelected as systemd-boot wrote it (even when no file on the ESP matches). */
  readonly bootedId: string;
  readonly booted: EntryView | null;
  /** true: this boot is not counted (blessed before, never counted, or blessed now); null: its entry file is gone. */
  readonly blessed: boolean | null;
  readonly bootCountPath: string | null;
  readonly next: { readonly id: string; readonly reason: NextReason; readonly entry: EntryView } | null;
  /** One sentence: why that entry boots next. */
  readonly nextWhy: string;
}

export interface BlessOutcome {
  readonly id: string;
  /** The entry's file name now. */
  readonly fileName: string;
  /** The counted name it had; null when nothing was renamed. */
  readonly renamedFrom: string | null;
  readonly alreadyBlessed: boolean;
  readonly via: 'rename' | 'systemd-bless-boot' | 'none';
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function noUefi(efivars: string): RayosError {
  return rayosError('RAYOS_BOOTMGR_NO_UEFI', `${efivars} does not exist: this system did not boot through UEFI (or efivarfs is not mounted: mount -t efivarfs efivarfs ${DEFAULT_EFIVARS}), so the booted and next entry cannot be read or set. "rayos bootmgr list" still shows the ESP's entries.`);
}

// ---- the ESP ----

/** The first candidate that has loader/entries, or null. */
export async function findEsp(candidates: readonly string[] = DEFAULT_ESP_CANDIDATES): Promise<string | null> {
  for (const candidate of candidates) {
    if (await isDirectory(join(candidate, ...ENTRIES_DIR))) return candidate;
  }
  return null;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The ESP to use: the one given (it must hold loader/entries), else the first default that does. */
export async function resolveEsp(given: string | undefined, candidates: readonly string[] = DEFAULT_ESP_CANDIDATES): Promise<Result<string, RayosError>> {
  if (given !== undefined) {
    return (await isDirectory(join(given, ...ENTRIES_DIR)))
      ? ok(given)
      : err(rayosError('RAYOS_BOOTMGR_NO_ESP', `${given} has no loader/entries directory: pass --esp with the mount point of the EFI system partition RayOS was installed on.`));
  }
  const found = await findEsp(candidates);
  return found !== null
    ? ok(found)
    : err(rayosError('RAYOS_BOOTMGR_NO_ESP', `No EFI system partition with loader/entries is mounted at ${candidates.join(', ')}: mount it (e.g. mount /dev/disk/by-partlabel/ESP /efi) or pass --esp DIR.`));
}

/** Every RayOS entry in <esp>/loader/entries, in systemd-boot's order. */
export async function readEntries(esp: string): Promise<Result<BootEntryInfo[], RayosError>> {
  try {
    return ok(parseEntryListing(await readdir(join(esp, ...ENTRIES_DIR))));
  } catch (error) {
    return err(rayosError('RAYOS_BOOTMGR_NO_ESP', `Cannot read ${join(esp, ...ENTRIES_DIR)} (${describe(error)}): pass --esp with the EFI system partition's mount point, or run as root.`));
  }
}

// ---- what boots now and next ----

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
/**
 * systemd-boot 252 keeps the boot counter in an entry's id (LoaderEntrySelected reads "rayos-1.0+3.conf" for a
 * boot from rayos-1.0+3.conf); later versions drop it. Ids compare without it, so both read the same.
 */
const withoutCounter = (id: string): string => id.replace(/\+\d{1,4}(-\d{1,4})?(\.conf)?$/i, '.conf').replace(/^([^.]*|.*[^f])$/, (whole) => (whole.toLowerCase().endsWith('.conf') ? whole : `${whole}.conf`));
const sameEntryId = (a: string, b: string): boolean => sameId(withoutCounter(a), withoutCounter(b));

/** The entry booted now: the one LoaderBootCountPath names (a counted boot), else the first with the selected id. */
export function bootedEntry(entries: readonly BootEntryInfo[], loader: LoaderState): BootEntryInfo | null {
  const counted = loader.bootCountPath === null ? null : countedFileName(loader.bootCountPath);
  const byFile = counted === null ? undefined : entries.find((entry) => sameId(entry.fileName, counted));
  if (byFile) return byFile;
  const { selected } = loader;
  return selected === null ? null : (entries.find((entry) => sameEntryId(loaderEntryId(entry), selected)) ?? null);
}

/**
 * What systemd-boot boots next: a one-shot choice naming an existing entry, else LoaderEntryDefault, else the
 * first entry in order (bad entries sort last, so that is the first not-bad one when there is one).
 */
export function nextBoot(entries: readonly BootEntryInfo[], loader: Pick<LoaderState, 'oneShot' | 'defaultEntry'>): NextBoot | null {
  const find = (id: string | null) => (id === null ? undefined : entries.find((entry) => sameEntryId(loaderEntryId(entry), id)));
  const oneShot = find(loader.oneShot);
  if (oneShot) return { entry: oneShot, reason: 'one-shot' };
  const chosen = find(loader.defaultEntry);
  if (chosen) return { entry: chosen, reason: 'default' };
  const first = [...entries].sort(compareBootOrder)[0];
  return first ? { entry: first, reason: 'boot-order' } : null;
}

export function explainNext(next: NextBoot | null, entries: readonly BootEntryInfo[]): string {
  if (next === null) return 'There is no RayOS entry on the ESP: reinstall RayOS or restore loader/entries.';
  const id = loaderEntryId(next.entry);
  if (next.reason === 'one-shot') return `LoaderEntryOneShot names ${id}: the next boot (only) goes there; systemd-boot clears it as it boots.`;
  if (next.reason === 'default') return `LoaderEntryDefault (bootctl set-default) names ${id}; remove it with "bootctl set-default ''" to let boot counting decide.`;
  const bad = entries.filter((entry) => entry.state === 'bad').map((entry) => entry.fileName);
  const skipped = bad.length > 0 && next.entry.state !== 'bad' ? ` (${bad.join(', ')} used up ${bad.length === 1 ? 'its' : 'their'} tries and sort${bad.length === 1 ? 's' : ''} last)` : '';
  if (next.entry.state === 'bad') return `Every entry has used up its tries; systemd-boot boots the first, ${id}, anyway: run "rayos recovery" to boot recovery.`;
  if (next.entry.state === 'indeterminate') return `${id} is first in boot order with ${next.entry.triesLeft} tries left; it is not blessed yet${skipped}.`;
  if (next.entry.kind === 'recovery') return `${id} is the only entry left that can boot${skipped}.`;
  return `${id} is the first good entry in boot order${skipped}.`;
}

function view(entry: BootEntryInfo, booted: BootEntryInfo | null, next: NextBoot | null): EntryView {
  return {
    id: loaderEntryId(entry),
    fileName: entry.fileName,
    kind: entry.kind,
    version: entry.version,
    state: entry.state,
    triesLeft: entry.triesLeft,
    triesDone: entry.triesDone,
    booted: booted !== null && booted.fileName === entry.fileName,
    next: next !== null && next.entry.fileName === entry.fileName,
  };
}

/** `bootmgr list`: works from the ESP alone when there is no UEFI (uefi false, booted/next from order only). */
export async function listBootEntries(paths: BootmgrPaths): Promise<Result<BootListing, RayosError>> {
  const entries = await readEntries(paths.esp);
  if (!entries.ok) return entries;
  const loader = await readLoaderState(paths.efivars);
  if (!loader.ok) return loader;
  const booted = bootedEntry(entries.value, loader.value);
  const next = nextBoot(entries.value, loader.value);
  return ok({
    esp: paths.esp,
    efivars: paths.efivars,
    uefi: loader.value.uefi,
    selected: loader.value.selected,
    oneShot: loader.value.oneShot,
    defaultEntry: loader.value.defaultEntry,
    next: next === null ? null : { id: loaderEntryId(next.entry), reason: next.reason },
    entries: entries.value.map((entry) => view(entry, booted, next)),
  });
}

/** `bootmgr status`: needs UEFI and a boot through systemd-boot. */
export async function bootStatus(paths: BootmgrPaths): Promise<Result<BootStatus, RayosError>> {
  const entries = await readEntries(paths.esp);
  if (!entries.ok) return entries;
  const loader = await readLoaderState(paths.efivars);
  if (!loader.ok) return loader;
  if (!loader.value.uefi) return err(noUefi(paths.efivars));
  const { selected, bootCountPath } = loader.value;
  if (selected === null) return err(notLoaderBoot(paths.efivars));
  const booted = bootedEntry(entries.value, loader.value);
  const next = nextBoot(entries.value, loader.value);
  let blessed: boolean | null = true;
  if (bootCountPath !== null) {
    // LoaderBootCountPath keeps the counted name all boot long: blessed once that file is gone and the plain one exists.
    const counted = countedFileName(bootCountPath);
    const countedInfo = counted === null ? null : parseEntryName(counted);
    if (countedInfo === null) blessed = null;
    else if (entries.value.some((entry) => entry.fileName === counted)) blessed = false;
    else blessed = entries.value.some((entry) => entry.fileName === loaderEntryId(countedInfo)) ? true : null;
  }
  return ok({
    esp: paths.esp,
    efivars: paths.efivars,
    bootedId: selected,
    booted: booted === null ? null : view(booted, booted, next),
    blessed,
    bootCountPath,
    next: next === null ? null : { id: loaderEntryId(next.entry), reason: next.reason, entry: view(next.entry, booted, next) },
    nextWhy: explainNext(next, entries.value),
  });
}

function notLoaderBoot(efivars: string): RayosError {
  return rayosError('RAYOS_BOOTMGR_NOT_LOADER_BOOT', `${efivars} has no LoaderEntrySelected: this boot did not come through systemd-boot, so there is no RayOS boot to report or bless. Boot RayOS from its disk.`);
}

/** The file name in LoaderBootCountPath (`\loader\entries\NAME`); null for any other path. */
export function countedFileName(untrustedPath: string): string | null {
  const parts = untrustedPath.split(/[\\/]/).filter((part) => part !== '');
  if (parts.length !== 3 || !sameId(parts[0] ?? '', 'loader') || !sameId(parts[1] ?? '', 'entries')) return null;
  const name = parts[2] ?? '';
  return name === '.' || name === '..' ? null : name;
}

// ---- bless and set-next ----

export interface BlessOptions extends BootmgrPaths {
  /** systemd-bless-boot to run instead of renaming here (only for the system's own ESP and efivarfs); null: rename here. */
  readonly blessProgram?: string | null;
}

/**
 * Marks the current boot good: the counted file LoaderBootCountPath names gets its plain name (one rename in
 * loader/entries, atomic). An entry booted with no tries left (through set-next) is blessed too, as systemd-bless-boot does.
 */
export async function blessCurrentBoot(options: BlessOptions): Promise<Result<BlessOutcome, RayosError>> {
  const loader = await readLoaderState(options.efivars);
  if (!loader.ok) return loader;
  if (!loader.value.uefi) return err(noUefi(options.efivars));
  const { selected, bootCountPath } = loader.value;
  if (bootCountPath === null) {
    if (selected === null) return err(notLoaderBoot(options.efivars));
    return ok({ id: selected, fileName: selected, renamedFrom: null, alreadyBlessed: true, via: 'none' });
  }
  const counted = countedFileName(bootCountPath);
  const info = counted === null ? null : parseEntryName(counted);
  if (counted === null || info === null) {
    return err(rayosError('RAYOS_BOOTMGR_BLESS_FAILED', `LoaderBootCountPath is "${bootCountPath}", not a RayOS entry in \\loader\\entries: this boot is not one RayOS counts; nothing to bless.`));
  }
  const dir = join(options.esp, ...ENTRIES_DIR);
  const plain = loaderEntryId(info);
  const present = async (name: string) => isFile(join(dir, name));
  if (!(await present(counted))) {
    if (await present(plain)) return ok({ id: plain, fileName: plain, renamedFrom: null, alreadyBlessed: true, via: 'none' });
    return err(rayosError('RAYOS_BOOTMGR_BLESS_FAILED', `Neither ${counted} (the booted entry) nor ${plain} is in ${dir}: is --esp the ESP this system booted from? Run "rayos bootmgr list --esp DIR" to check.`));
  }
  if (options.blessProgram) {
    const ran = await runCommand([options.blessProgram, 'good'], { deadlineMs: 30_000 });
    if (ran.code !== 0 || (await present(counted))) {
      const why = ran.error ?? (ran.timedOut ? 'timed out' : `exit ${ran.code ?? ran.signal}: ${ran.stderr.trim().slice(0, 500)}`);
      return err(rayosError('RAYOS_BOOTMGR_BLESS_FAILED', `${options.blessProgram} good did not bless ${counted} (${why}); check "systemctl status systemd-bless-boot" and that the ESP is mounted read-write.`));
    }
    return ok({ id: plain, fileName: plain, renamedFrom: counted, alreadyBlessed: false, via: 'systemd-bless-boot' });
  }
  try {
    await rename(join(dir, counted), join(dir, plain));
  } catch (error) {
    return err(rayosError('RAYOS_BOOTMGR_BLESS_FAILED', `Cannot rename ${counted} to ${plain} in ${dir} (${describe(error)}): run as root, and check the ESP is mounted read-write.`));
  }
  try {
    fsyncDirectory(dir);
  } catch {
    /* the rename stands; some filesystems cannot fsync a directory */
  }
  return ok({ id: plain, fileName: plain, renamedFrom: counted, alreadyBlessed: false, via: 'rename' });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** An entry by id (`rayos-1.0.conf` or `rayos-1.0`), file name, version (`1.0`) or `recovery`. */
export function findEntry(entries: readonly BootEntryInfo[], choice: string): Result<BootEntryInfo, RayosError> {
  const wanted = choice.trim();
  const found =
    (sameId(wanted, 'recovery') ? entries.find((entry) => entry.kind === 'recovery') : undefined) ??
    entries.find((entry) => sameId(entry.fileName, wanted)) ??
    entries.find((entry) => sameId(loaderEntryId(entry), wanted) || sameId(entry.id, wanted)) ??
    entries.find((entry) => entry.version !== null && sameId(entry.version, wanted));
  if (found) return ok(found);
  const choices = entries.map((entry) => (entry.kind === 'recovery' ? 'recovery' : `${loaderEntryId(entry)} (version ${entry.version})`));
  return err(
    rayosError(
      'RAYOS_BOOTMGR_UNKNOWN_ENTRY',
      choices.length === 0
        ? `No RayOS boot entry is on the ESP, so "${wanted}" cannot boot next: reinstall RayOS or restore loader/entries.`
        : sameId(wanted, 'recovery')
          ? `There is no recovery entry (${RECOVERY_FILE_NAME}) on the ESP: reinstall RayOS to restore it, or choose one of ${[...new Set(choices)].join(', ')}.`
          : `No boot entry "${wanted}": choose one of ${[...new Set(choices)].join(', ')}.`,
    ),
  );
}

export interface SetNextOptions extends BootmgrPaths, WriteVariableOptions {
  readonly entry: string;
}

/** Writes LoaderEntryOneShot: the next boot (only) goes to that entry. */
export async function setNextBoot(options: SetNextOptions): Promise<Result<{ id: string; entry: BootEntryInfo }, RayosError>> {
  const entries = await readEntries(options.esp);
  if (!entries.ok) return entries;
  const entry = findEntry(entries.value, options.entry);
  if (!entry.ok) return entry;
  if (!(await efivarsPresent(options.efivars))) return err(noUefi(options.efivars));
  // The file name as it is now: systemd-boot 252 matches the one-shot against ids that keep the counter, and the
  // counter only changes when that entry boots (after the one-shot was matched).
  const id = entry.value.fileName;
  const written = await writeLoaderVariable(options.efivars, 'LoaderEntryOneShot', id, options);
  if (!written.ok) return written;
  const back = await readLoaderVariable(options.efivars, 'LoaderEntryOneShot');
  if (!back.ok) return back;
  if (back.value !== id) return err(rayosError('RAYOS_BOOTMGR_EFIVAR', `LoaderEntryOneShot reads back as "${back.value ?? ''}", not "${id}": the firmware did not keep it; try again, or choose the entry at the boot menu.`));
  return ok({ id, entry: entry.value });
}
