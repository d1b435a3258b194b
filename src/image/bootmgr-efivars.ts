// Owns systemd-boot's EFI variables in efivarfs: their byte format (attributes + UTF-16LE), reading them, and writing one as systemd does.
import { closeSync, constants as fsConstants, openSync, writeSync } from 'node:fs';
import { access, readFile, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { findExecutable, runCommand } from '../platform/process/run-command.js';

/** systemd-boot's vendor GUID: every Loader* variable is `<Name>-<this>` in efivarfs. */
export const LOADER_VENDOR_GUID = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';
export const DEFAULT_EFIVARS = '/sys/firmware/efi/efivars';
/** EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS, as systemd writes the Loader* variables. */
export const LOADER_VARIABLE_ATTRIBUTES = 0x07;
/** statfs f_type of efivarfs (linux/magic.h). */
const EFIVARFS_MAGIC = 0xde5e81e4;
/** No variable RayOS reads is near this; a larger file is not what it expects and is not read whole. */
export const MAX_VARIABLE_BYTES = 64 * 1024;

export type LoaderVariable = 'LoaderEntrySelected' | 'LoaderBootCountPath' | 'LoaderEntryOneShot' | 'LoaderEntryDefault';

/** What systemd-boot left for this boot; all null when a variable is absent. */
export interface LoaderState {
  /** false when the efivars directory does not exist (no UEFI): every other field is then null. */
  readonly uefi: boolean;
  readonly selected: string | null;
  readonly bootCountPath: string | null;
  readonly oneShot: string | null;
  readonly defaultEntry: string | null;
}

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));


export function efivarPath(efivars: string, name: LoaderVariable): string {
  return join(efivars, `${name}-${LOADER_VENDOR_GUID}`);
}

/** A loader string value as efivarfs wants it written: attributes, UTF-16LE text, a NUL. */
export function encodeLoaderString(value: string, attributes: number = LOADER_VARIABLE_ATTRIBUTES): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(attributes >>> 0, 0);
  return Buffer.concat([head, Buffer.from(`${value}\0`, 'utf16le')]);
}

/** The text of a loader string variable; null when the bytes are not attributes + UTF-16LE. */
export function decodeLoaderString(untrustedBytes: Uint8Array): string | null {
  if (untrustedBytes.length < 4 || (untrustedBytes.length - 4) % 2 !== 0) return null;
  const text = Buffer.from(untrustedBytes.buffer, untrustedBytes.byteOffset + 4, untrustedBytes.length - 4).toString('utf16le');
  const end = text.indexOf('\0');
  return end === -1 ? text : text.slice(0, end);
}

export async function efivarsPresent(efivars: string): Promise<boolean> {
  try {
    return (await stat(efivars)).isDirectory();
  } catch {
    return false;
  }
}

/** The variable's text, or null when it is not set. */
export async function readLoaderVariable(efivars: string, name: LoaderVariable): Promise<Result<string | null, RayosError>> {
  let untrustedBytes: Buffer;
  try {
    untrustedBytes = await readFile(efivarPath(efivars, name));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return ok(null);
    return err(rayosError('RAYOS_BOOTMGR_EFIVAR', `Cannot read the EFI variable ${name} in ${efivars} (${describe(error)}); run as root, or pass --efivars with the efivarfs mount.`));
  }
  const text = untrustedBytes.length <= MAX_VARIABLE_BYTES ? decodeLoaderString(untrustedBytes) : null;
  if (text === null || /[\0-\x1f]/.test(text)) {
    return err(rayosError('RAYOS_BOOTMGR_EFIVAR', `The EFI variable ${name} in ${efivars} is not a systemd-boot string (4 attribute bytes, then UTF-16LE text); remove it or boot once through systemd-boot.`));
  }
  return ok(text);
}

export interface WriteVariableOptions {
  /** The chattr program; undefined: found on PATH; null: do not clear the immutable flag. */
  readonly chattr?: string | null;
}

/** True when `dir` is an efivarfs mount (a test directory, tmpfs or a missing path is not). */
export async function isEfivarfs(dir: string): Promise<boolean> {
  try {
    return (await statfs(dir)).type === EFIVARFS_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Writes one whole EFI variable file (`<Name>-<vendor GUID>` in `efivars`; `bytes` = 4 attribute bytes + data) the way
 * systemd does: clear the immutable flag efivarfs sets by default, then one write() of the whole buffer (efivarfs takes
 * a variable only as one write; it cannot be truncated, so O_TRUNC is used only when the directory is not efivarfs).
 * The error is the cause only; each caller says in its own words what failed and what to do.
 */
export async function writeEfivarFile(efivars: string, fileName: string, bytes: Buffer, options: WriteVariableOptions = {}): Promise<Result<void, string>> {
  const path = join(efivars, fileName);
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists) {
    const chattr = options.chattr === undefined ? await findExecutable('chattr') : options.chattr;
    // Failure is expected off efivarfs (tmpfs, a test directory); on efivarfs the write below says what went wrong.
    if (chattr !== null) await runCommand([chattr, '-i', path], { deadlineMs: 5000 });
  }
  // A failed statfs (a missing directory) reads as "not efivarfs": the open below reports it.
  const onEfivarfs = await isEfivarfs(efivars);
  const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | (onEfivarfs ? 0 : fsConstants.O_TRUNC);
  try {
    const fd = openSync(path, flags, 0o644);
    try {
      const written = writeSync(fd, bytes, 0, bytes.length);
      if (written !== bytes.length) throw new Error(`wrote ${written} of ${bytes.length} bytes`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return err(describe(error));
  }
  return ok(undefined);
}

/** Writes a loader string variable the way systemd does (see writeEfivarFile). */
export async function writeLoaderVariable(efivars: string, name: LoaderVariable, value: string, options: WriteVariableOptions = {}): Promise<Result<void, RayosError>> {
  const written = await writeEfivarFile(efivars, `${name}-${LOADER_VENDOR_GUID}`, encodeLoaderString(value), options);
  if (!written.ok) {
    return err(rayosError('RAYOS_BOOTMGR_EFIVAR', `Cannot write the EFI variable ${name} in ${efivars} (${written.error}); run as root (sudo), and check that the firmware's variable store is not full.`));
  }
  return ok(undefined);
}

export async function readLoaderState(efivars: string): Promise<Result<LoaderState, RayosError>> {
  if (!(await efivarsPresent(efivars))) return ok({ uefi: false, selected: null, bootCountPath: null, oneShot: null, defaultEntry: null });
  const values: (string | null)[] = [];
  for (const name of ['LoaderEntrySelected', 'LoaderBootCountPath', 'LoaderEntryOneShot', 'LoaderEntryDefault'] as const) {
    const value = await readLoaderVariable(efivars, name);
    if (!value.ok) return value;
    values.push(value.value === '' ? null : value.value);
  }
  const [selected = null, bootCountPath = null, oneShot = null, defaultEntry = null] = values;
  return ok({ uefi: true, selected, bootCountPath, oneShot, defaultEntry });
}
