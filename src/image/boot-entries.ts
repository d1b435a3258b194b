// Owns the systemd-boot entry files of RayOS: names with boot counting, their text, bless/failure renames, loader.conf.
import { err, ok, type Err, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';

/**
 * Boot counting follows the Boot Loader Specification: `<id>+<left>[-<done>].conf`. systemd-boot renames the
 * file before it boots it (`+3` → `+2-1`), and `bless` (systemd-bless-boot, run when RayOS reaches READY)
 * renames it to the plain `<id>.conf`. An entry at `+0-…` is bad: systemd-boot sorts it last, so the next
 * entry in order boots instead — with no `default` line in loader.conf, that is the previous blessed slot or
 * the recovery entry.
 */
export const INITIAL_TRIES = 3;
export const ENTRY_PREFIX = 'rayos-';
export const RECOVERY_ID = 'rayos-recovery';
/**
 * systemd-boot orders entries by `sort-key` (strcmp), then by `version` newest first. "rayos" sorts before
 * "rayos-recovery" (a prefix sorts first), so every system entry comes before recovery.
 */
export const SYSTEM_SORT_KEY = 'rayos';
export const RECOVERY_SORT_KEY = 'rayos-recovery';

export type EntryState = 'good' | 'indeterminate' | 'bad';
export type EntryKind = 'system' | 'recovery';

export interface BootEntryInfo {
  readonly fileName: string;
  /** The name without the counter and `.conf`: what `bless` leaves. */
  readonly id: string;
  readonly kind: EntryKind;
  /** The RayOS version (system entries); null for recovery. */
  readonly version: string | null;
  readonly state: EntryState;
  /** null when the entry is not counted (blessed, or recovery). */
  readonly triesLeft: number | null;
  readonly triesDone: number | null;
}

export interface SystemEntrySpec {
  readonly version: string;
  /** ESP-absolute paths, e.g. `/rayos/1.0.0/vmlinuz`. */
  readonly linux: string;
  readonly initrd: readonly string[];
  readonly rootPartUuid: string;
  /** Kernel options after `root=PARTUUID=… rw`. */
  readonly extraOptions?: readonly string[];
  readonly title?: string;
}

export interface RecoveryEntrySpec {
  readonly linux: string;
  readonly initrd: readonly string[];
  readonly options?: readonly string[];
  readonly title?: string;
}

// No '+' (it starts the counter) and nothing a file name or an entry line could choke on.
const VERSION_RE = /^[0-9A-Za-z][0-9A-Za-z._~^-]{0,63}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ESP_PATH_RE = /^(\/[0-9A-Za-z._+-]+)+$/;
const OPTION_RE = /^[^\s]+$/;
const COUNTED_RE = /^(.+)\+(\d{1,4})(?:-(\d{1,4}))?\.conf$/;
const PLAIN_RE = /^(.+)\.conf$/;

function bad(message: string): Err<RayosError> {
  return err(rayosError('RAYOS_IMAGE_BAD_BOOT_ENTRY', message));
}

function checkVersion(version: string): RayosError | null {
  return VERSION_RE.test(version)
    ? null
    : rayosError('RAYOS_IMAGE_BAD_BOOT_ENTRY', `The RayOS version "${version}" cannot name a boot entry: use letters, digits and . _ ~ ^ - (no "+", at most 64 characters).`);
}

/** The file name of a freshly installed (or updated) entry: counted, `INITIAL_TRIES` left. */
export function countedEntryName(version: string, tries: number = INITIAL_TRIES): Result<string, RayosError> {
  const problem = checkVersion(version);
  if (problem) return err(problem);
  if (!Number.isInteger(tries) || tries < 1 || tries > 9999) return bad(`Boot tries must be a whole number from 1 to 9999; got ${tries}.`);
  return ok(`${ENTRY_PREFIX}${version}+${tries}.conf`);
}

function checkPaths(linux: string, initrd: readonly string[], options: readonly string[]): RayosError | null {
  for (const path of [linux, ...initrd]) {
    if (!ESP_PATH_RE.test(path) || path.split('/').includes('..')) {
      return rayosError('RAYOS_IMAGE_BAD_BOOT_ENTRY', `"${path}" is not an ESP path systemd-boot can load: use an absolute path of letters, digits and . _ + - (no spaces, no "..").`);
    }
  }
  for (const option of options) {
    if (!OPTION_RE.test(option)) return rayosError('RAYOS_IMAGE_BAD_BOOT_ENTRY', `The kernel option "${option}" contains whitespace: pass one option per item.`);
  }
  return null;
}

function entryText(fields: readonly (readonly [string, string])[]): string {
  return fields.map(([key, value]) => `${key} ${value}`).join('\n') + '\n';
}

/** The text of a system entry: the root is found by PARTUUID (unique per install), never by label. */
export function renderSystemEntry(spec: SystemEntrySpec): Result<string, RayosError> {
  const problem = checkVersion(spec.version);
  if (problem) return err(problem);
  if (!UUID_RE.test(spec.rootPartUuid)) return bad(`"${spec.rootPartUuid}" is not a partition UUID: pass the root slot's PARTUUID from the disk layout.`);
  const options = [`root=PARTUUID=${spec.rootPartUuid.toLowerCase()}`, 'rw', ...(spec.extraOptions ?? [])];
  const pathProblem = checkPaths(spec.linux, spec.initrd, options);
  if (pathProblem) return err(pathProblem);
  const title = spec.title ?? `RayOS ${spec.version}`;
  if (/[\r\n]/.test(title)) return bad('An entry title must be one line.');
  return ok(
    entryText([
      ['title', title],
      ['sort-key', SYSTEM_SORT_KEY],
      ['version', spec.version],
      ['linux', spec.linux],
      ...spec.initrd.map((path) => ['initrd', path] as const),
      ['options', options.join(' ')],
    ]),
  );
}

/** The recovery entry: never counted (it is the fallback), sorted after every system entry. */
export function renderRecoveryEntry(spec: RecoveryEntrySpec): Result<string, RayosError> {
  const options = spec.options ?? [];
  const pathProblem = checkPaths(spec.linux, spec.initrd, options);
  if (pathProblem) return err(pathProblem);
  const title = spec.title ?? 'RayOS recovery';
  if (/[\r\n]/.test(title)) return bad('An entry title must be one line.');
  return ok(
    entryText([
      ['title', title],
      ['sort-key', RECOVERY_SORT_KEY],
      ['linux', spec.linux],
      ...spec.initrd.map((path) => ['initrd', path] as const),
      ...(options.length > 0 ? [['options', options.join(' ')] as const] : []),
    ]),
  );
}

export const RECOVERY_FILE_NAME = `${RECOVERY_ID}.conf`;

/**
 * loader.conf. Deliberately no `default` line: a default pattern can match an entry with no tries left and
 * boot it forever; without one, systemd-boot boots the first entry in sort order, and bad entries sort last.
 * `editor no` because editing the kernel command line at the menu would bypass RayOS's root and policy.
 */
export function renderLoaderConf(timeoutSeconds: number): Result<string, RayosError> {
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > 600) {
    return bad(`The boot menu timeout must be a whole number of seconds from 0 to 600; got ${timeoutSeconds}.`);
  }
  return ok(`# Written by RayOS. No "default" line on purpose: boot counting decides (see docs/ARCHITECTURE.md).\ntimeout ${timeoutSeconds}\neditor no\n`);
}

/** Reads one entry file name; null for a name that is not a RayOS entry (other systems' entries are left alone). */
export function parseEntryName(fileName: string): BootEntryInfo | null {
  if (fileName.includes('/')) return null;
  const counted = COUNTED_RE.exec(fileName);
  const id = counted ? counted[1] : PLAIN_RE.exec(fileName)?.[1];
  if (id === undefined || !id.startsWith(ENTRY_PREFIX)) return null;
  if (id === RECOVERY_ID) {
    // Recovery is never counted; a counted recovery file is not one RayOS wrote.
    if (counted) return null;
    return { fileName, id, kind: 'recovery', version: null, state: 'good', triesLeft: null, triesDone: null };
  }
  const version = id.slice(ENTRY_PREFIX.length);
  if (checkVersion(version)) return null;
  if (!counted) return { fileName, id, kind: 'system', version, state: 'good', triesLeft: null, triesDone: null };
  const triesLeft = Number(counted[2]);
  const triesDone = counted[3] === undefined ? 0 : Number(counted[3]);
  return { fileName, id, kind: 'system', version, state: triesLeft > 0 ? 'indeterminate' : 'bad', triesLeft, triesDone };
}

/**
 * The id systemd-boot gives an entry (in LoaderEntrySelected, LoaderEntryOneShot, LoaderEntryDefault and
 * `bootctl list`): the file name with the boot counter stripped, `.conf` kept — `rayos-1.0+2-1.conf` is `rayos-1.0.conf`.
 */
export function loaderEntryId(entry: Pick<BootEntryInfo, 'id'>): string {
  return `${entry.id}.conf`;
}

/** Every RayOS entry in a directory listing (`loader/entries/`), in the order systemd-boot would offer them. */
export function parseEntryListing(fileNames: readonly string[]): BootEntryInfo[] {
  const entries: BootEntryInfo[] = [];
  for (const name of fileNames) {
    const info = parseEntryName(name);
    if (info) entries.push(info);
  }
  return entries.sort(compareBootOrder);
}

/** The entry systemd-boot boots with no `default` and no one-shot choice: the first in order that is not bad. */
export function predictedBoot(fileNames: readonly string[]): BootEntryInfo | null {
  return parseEntryListing(fileNames).find((entry) => entry.state !== 'bad') ?? null;
}

/** What `bless` (the READY marker) renames an entry to: the plain name; blessed and recovery names stay. */
export function bless(fileName: string): Result<string, RayosError> {
  const info = parseEntryName(fileName);
  if (!info) return bad(`"${fileName}" is not a RayOS boot entry: run "rayos bootmgr list" to see the entries.`);
  if (info.state === 'bad') return bad(`"${fileName}" has no tries left and is not blessed: it failed to reach READY; boot it again with "rayos bootmgr set-next" first.`);
  return ok(`${info.id}.conf`);
}

/**
 * What the name becomes after one more counted boot attempt that did not reach READY: one try moves from
 * left to done (as systemd-boot renames before booting). Blessed, recovery and bad names do not change.
 */
export function nextAfterFailure(fileName: string): Result<BootEntryInfo, RayosError> {
  const info = parseEntryName(fileName);
  if (!info) return bad(`"${fileName}" is not a RayOS boot entry: run "rayos bootmgr list" to see the entries.`);
  if (info.triesLeft === null || info.triesDone === null || info.triesLeft === 0) return ok(info);
  const renamed = `${info.id}+${info.triesLeft - 1}-${info.triesDone + 1}.conf`;
  const next = parseEntryName(renamed);
  return next ? ok(next) : bad(`"${fileName}" cannot be counted down.`);
}

/** systemd-boot's order: bad entries last, then sort-key (strcmp), then version newest first, then file name. */
export function compareBootOrder(a: BootEntryInfo, b: BootEntryInfo): number {
  const badA = a.state === 'bad' ? 1 : 0;
  const badB = b.state === 'bad' ? 1 : 0;
  if (badA !== badB) return badA - badB;
  const keyA = a.kind === 'recovery' ? RECOVERY_SORT_KEY : SYSTEM_SORT_KEY;
  const keyB = b.kind === 'recovery' ? RECOVERY_SORT_KEY : SYSTEM_SORT_KEY;
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  const byVersion = compareVersions(b.version ?? '', a.version ?? '');
  if (byVersion !== 0) return byVersion;
  return a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0;
}

/** A version comparison in the spirit of the UAPI version format: digit runs compare as numbers, the rest as text. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string): string[] => v.match(/\d+|[^\d]+/g) ?? [];
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
