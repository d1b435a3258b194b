// Owns the UEFI firmware boot entry of an installed disk: the EFI_LOAD_OPTION byte format (encode, decode) and writing Boot#### + BootOrder in efivarfs as `bootctl install` does.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, type RayosError } from '../contracts/errors.js';
import { MAX_VARIABLE_BYTES, writeEfivarFile, type WriteVariableOptions } from './bootmgr-efivars.js';

/** EFI_GLOBAL_VARIABLE: the vendor GUID of Boot#### and BootOrder (UEFI spec §3.3). */
export const EFI_GLOBAL_VARIABLE_GUID = '8be4df61-93ca-11d2-aa0d-00e098032b8c';
/** LOAD_OPTION_ACTIVE: the firmware tries the option (UEFI spec §3.1.3). */
export const LOAD_OPTION_ACTIVE = 0x00000001;
/** EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS: what the spec requires of Boot#### and BootOrder. */
export const BOOT_VARIABLE_ATTRIBUTES = 0x07;
/** Where the firmware looks when no boot entry works: every RayOS ESP holds systemd-boot there too. */
export const REMOVABLE_LOADER_PATH = '\\EFI\\BOOT\\BOOTX64.EFI';

// Device path node types (UEFI spec §10.3): media/hard drive, media/file path, end/end entire, end/end instance.
const MEDIA = 0x04;
const MEDIA_HARD_DRIVE = 0x01;
const MEDIA_FILE_PATH = 0x04;
const END = 0x7f;
const END_ENTIRE = 0xff;
const END_INSTANCE = 0x01;
const HARD_DRIVE_NODE_BYTES = 42;
/** Hard drive node: MBRType 0x02 = GPT; SignatureType 0x02 = the signature is the partition's GUID. */
const MBR_TYPE_GPT = 0x02;
const SIGNATURE_TYPE_GUID = 0x02;

const GUID_PATTERN = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
const BOOT_VARIABLE = new RegExp(`^Boot([0-9A-F]{4})-${EFI_GLOBAL_VARIABLE_GUID}$`);
const BOOT_ORDER_FILE = `BootOrder-${EFI_GLOBAL_VARIABLE_GUID}`;

export interface LoadOptionPartition {
  /** GPT partition number, from 1. */
  readonly number: number;
  readonly startLba: number;
  readonly sizeLba: number;
  /** The GPT partition GUID (PARTUUID), e.g. from the disk plan. */
  readonly partUuid: string;
}

export interface LoadOptionInput {
  readonly description: string;
  readonly partition: LoadOptionPartition;
  /** The loader on that partition: `\EFI\systemd\systemd-bootx64.efi` (forward slashes are turned into backslashes). */
  readonly loaderPath: string;
}

export interface DecodedLoadOption {
  readonly attributes: number;
  readonly description: string;
  /** The first GPT hard drive node of the first device path instance; null for other options (PXE, a shell, an MBR disk). */
  readonly partition: LoadOptionPartition | null;
  /** partition?.partUuid, lower case. */
  readonly partUuid: string | null;
  /** The file path nodes after it, joined; null when there are none. */
  readonly loaderPath: string | null;
}

/** A GUID as EFI stores it: the first three fields little-endian, the last two as their bytes (UEFI spec Appendix A). */
export function guidToEfiBytes(guid: string): Buffer {
  const parts = GUID_PATTERN.exec(guid);
  if (!parts) throw new RangeError(`not a GUID: ${JSON.stringify(guid)}`);
  const [, d1 = '', d2 = '', d3 = '', d4 = '', d5 = ''] = parts;
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32LE(Number.parseInt(d1, 16), 0);
  bytes.writeUInt16LE(Number.parseInt(d2, 16), 4);
  bytes.writeUInt16LE(Number.parseInt(d3, 16), 6);
  Buffer.from(d4 + d5, 'hex').copy(bytes, 8);
  return bytes;
}

/** The GUID text (lower case) of 16 bytes in EFI byte order. */
export function efiBytesToGuid(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, 16);
  const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');
  const tail = b.subarray(8, 16).toString('hex');
  return `${hex(b.readUInt32LE(0), 8)}-${hex(b.readUInt16LE(4), 4)}-${hex(b.readUInt16LE(6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

/** `Boot0003` for 3: four upper-case hex digits, as the spec names the variables. */
export const bootVariableName = (number: number): string => `Boot${bootNumberText(number)}`;
const bootNumberText = (number: number): string => number.toString(16).toUpperCase().padStart(4, '0');

const ucs2z = (text: string): Buffer => Buffer.from(`${text}\0`, 'utf16le');
const efiPath = (path: string): string => path.replace(/\//g, '\\');

function checkInput(input: LoadOptionInput): void {
  const { description, partition, loaderPath } = input;
  // UCS-2 has no surrogates and a NUL ends the string early: either would make an option that reads back differently.
  if (/[\0\ud800-\udfff]/.test(description)) throw new RangeError('the description must be UCS-2 text without NUL');
  if (!/^[\\/][^\0\ud800-\udfff]*$/.test(loaderPath)) throw new RangeError(`the loader path must be absolute UCS-2 text without NUL: ${JSON.stringify(loaderPath)}`);
  if (!Number.isInteger(partition.number) || partition.number < 1 || partition.number > 0xffffffff) throw new RangeError(`bad partition number ${partition.number}`);
  for (const [name, value] of [['startLba', partition.startLba], ['sizeLba', partition.sizeLba]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`bad partition ${name} ${value}`);
  }
  if (!GUID_PATTERN.test(partition.partUuid)) throw new RangeError(`bad partition GUID ${JSON.stringify(partition.partUuid)}`);
}

/**
 * An EFI_LOAD_OPTION (UEFI spec §3.1.3) for a loader file on a GPT partition, as `bootctl install` writes it:
 * Attributes (u32 LE, LOAD_OPTION_ACTIVE), FilePathListLength (u16 LE), Description (UCS-2, NUL-terminated), then the
 * device path HD(number, GPT, partUuid, start, size)/File(loaderPath)/End. No optional data. A bad input (not a GUID,
 * a relative path, a NUL) is a caller's bug: it throws a RangeError.
 */
export function encodeLoadOption(input: LoadOptionInput): Buffer {
  checkInput(input);
  const { partition } = input;
  const hd = Buffer.alloc(HARD_DRIVE_NODE_BYTES);
  hd.writeUInt8(MEDIA, 0);
  hd.writeUInt8(MEDIA_HARD_DRIVE, 1);
  hd.writeUInt16LE(HARD_DRIVE_NODE_BYTES, 2);
  hd.writeUInt32LE(partition.number, 4);
  hd.writeBigUInt64LE(BigInt(partition.startLba), 8);
  hd.writeBigUInt64LE(BigInt(partition.sizeLba), 16);
  guidToEfiBytes(partition.partUuid).copy(hd, 24);
  hd.writeUInt8(MBR_TYPE_GPT, 40);
  hd.writeUInt8(SIGNATURE_TYPE_GUID, 41);

  const pathText = ucs2z(efiPath(input.loaderPath));
  const fileHead = Buffer.alloc(4);
  fileHead.writeUInt8(MEDIA, 0);
  fileHead.writeUInt8(MEDIA_FILE_PATH, 1);
  fileHead.writeUInt16LE(4 + pathText.length, 2);
  const end = Buffer.from([END, END_ENTIRE, 4, 0]);
  const filePathList = Buffer.concat([hd, fileHead, pathText, end]);

  const head = Buffer.alloc(6);
  head.writeUInt32LE(LOAD_OPTION_ACTIVE, 0);
  head.writeUInt16LE(filePathList.length, 4);
  return Buffer.concat([head, ucs2z(input.description), filePathList]);
}

/**
 * Reads an EFI_LOAD_OPTION (the data of a Boot#### variable, without efivarfs's 4 attribute bytes). Firmware and other
 * operating systems write these, so every length is checked; anything that does not parse is null, never a throw.
 */
export function decodeLoadOption(untrustedBytes: Uint8Array): DecodedLoadOption | null {
  const bytes = Buffer.from(untrustedBytes.buffer, untrustedBytes.byteOffset, untrustedBytes.length);
  if (bytes.length < 6) return null;
  const attributes = bytes.readUInt32LE(0);
  const listBytes = bytes.readUInt16LE(4);
  let at = 6;
  while (at + 1 < bytes.length && bytes.readUInt16LE(at) !== 0) at += 2;
  if (at + 1 >= bytes.length) return null;
  const description = bytes.subarray(6, at).toString('utf16le');
  const listStart = at + 2;
  const listEnd = listStart + listBytes;
  if (listBytes < 4 || listEnd > bytes.length) return null;

  let partition: LoadOptionPartition | null = null;
  let loaderPath: string | null = null;
  let firstInstance = true;
  let sawHardDrive = false;
  for (let node = listStart; ; ) {
    if (node + 4 > listEnd) return null;
    const type = bytes.readUInt8(node);
    const subtype = bytes.readUInt8(node + 1);
    const length = bytes.readUInt16LE(node + 2);
    if (length < 4 || node + length > listEnd) return null;
    if (type === END && subtype === END_ENTIRE) break;
    if (type === END && subtype === END_INSTANCE) firstInstance = false;
    else if (firstInstance && type === MEDIA && subtype === MEDIA_HARD_DRIVE && !sawHardDrive) {
      if (length !== HARD_DRIVE_NODE_BYTES) return null;
      sawHardDrive = true;
      const startLba = bytes.readBigUInt64LE(node + 8);
      const sizeLba = bytes.readBigUInt64LE(node + 16);
      const gpt = bytes.readUInt8(node + 40) === MBR_TYPE_GPT && bytes.readUInt8(node + 41) === SIGNATURE_TYPE_GUID;
      if (gpt && startLba <= BigInt(Number.MAX_SAFE_INTEGER) && sizeLba <= BigInt(Number.MAX_SAFE_INTEGER)) {
        partition = { number: bytes.readUInt32LE(node + 4), startLba: Number(startLba), sizeLba: Number(sizeLba), partUuid: efiBytesToGuid(bytes.subarray(node + 24, node + 40)) };
      }
    } else if (firstInstance && type === MEDIA && subtype === MEDIA_FILE_PATH) {
      if ((length - 4) % 2 !== 0) return null;
      const text = bytes.subarray(node + 4, node + length).toString('utf16le');
      const nul = text.indexOf('\0');
      const piece = nul === -1 ? text : text.slice(0, nul);
      // The spec lets a path be split over several file path nodes; firmware joins them with one separator.
      loaderPath = loaderPath === null ? piece : `${loaderPath.replace(/\\$/, '')}\\${piece.replace(/^\\/, '')}`;
    }
    node += length;
  }
  return { attributes, description, partition, partUuid: partition?.partUuid ?? null, loaderPath };
}

export interface FirmwareBootEntryRequest extends LoadOptionInput, WriteVariableOptions {
  /** The efivarfs mount (/sys/firmware/efi/efivars); tests pass a plain directory. */
  readonly efivars: string;
}

export interface FirmwareBootEntry {
  /** The Boot#### number used, four upper-case hex digits ('0003'). */
  readonly number: string;
  /** BootOrder as written: `number` first, the others after it in their old order, no duplicates. */
  readonly bootOrder: readonly string[];
}

interface ExistingOption {
  readonly number: number;
  /** null: the variable is there but unreadable or malformed (its number is still taken). */
  readonly option: DecodedLoadOption | null;
  readonly raw: Buffer | null;
}

/** Every Boot#### variable in efivars; a variable that cannot be read or decoded is kept as taken, never fatal. */
async function existingOptions(efivars: string): Promise<ExistingOption[]> {
  const found: ExistingOption[] = [];
  for (const name of await readdir(efivars)) {
    const match = BOOT_VARIABLE.exec(name);
    if (!match?.[1]) continue;
    const number = Number.parseInt(match[1], 16);
    const raw = await readSmallFile(join(efivars, name));
    const option = raw !== null && raw.length >= 4 ? decodeLoadOption(raw.subarray(4)) : null;
    found.push({ number, option, raw });
  }
  return found.sort((a, b) => a.number - b.number);
}

async function readSmallFile(path: string): Promise<Buffer | null> {
  try {
    if ((await stat(path)).size > MAX_VARIABLE_BYTES) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}

/** BootOrder's numbers; an absent or malformed BootOrder reads as empty (it is written anew). */
async function readBootOrder(efivars: string): Promise<number[]> {
  const raw = await readSmallFile(join(efivars, BOOT_ORDER_FILE));
  if (raw === null || raw.length < 4 || (raw.length - 4) % 2 !== 0) return [];
  const order: number[] = [];
  for (let at = 4; at < raw.length; at += 2) order.push(raw.readUInt16LE(at));
  return order;
}

const sameLoaderPath = (a: string, b: string): boolean => efiPath(a).toLowerCase() === efiPath(b).toLowerCase();

/**
 * Chooses the Boot#### for this loader as `bootctl install` does (an entry for the same partition and loader path is
 * reused), and besides it replaces an entry of the same description (a RayOS installed before on this disk had other
 * PARTUUIDs: its entry would only point at nothing), else takes the first free number.
 */
function chooseNumber(existing: readonly ExistingOption[], request: LoadOptionInput): number | null {
  const partUuid = request.partition.partUuid.toLowerCase();
  const same = existing.find((e) => e.option?.partUuid === partUuid && e.option.loaderPath !== null && sameLoaderPath(e.option.loaderPath, request.loaderPath));
  if (same) return same.number;
  const named = existing.find((e) => e.option?.description === request.description);
  if (named) return named.number;
  const taken = new Set(existing.map((e) => e.number));
  for (let number = 0; number <= 0xffff; number += 1) if (!taken.has(number)) return number;
  return null;
}

const withAttributes = (data: Buffer): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(BOOT_VARIABLE_ATTRIBUTES, 0);
  return Buffer.concat([head, data]);
};

/**
 * Writes the firmware boot entry of a loader: `Boot####` (see chooseNumber), then that number first in BootOrder.
 * A variable already holding exactly these bytes is not written again (each write wears the firmware's flash).
 */
export async function writeFirmwareBootEntry(request: FirmwareBootEntryRequest): Promise<Result<FirmwareBootEntry, RayosError>> {
  const failed = (what: string): Result<never, RayosError> =>
    err(
      rayosError(
        'RAYOS_INSTALLER_FIRMWARE_ENTRY_FAILED',
        `Cannot set the firmware boot entry in ${request.efivars} (${what}). The disk still boots through the removable path ${REMOVABLE_LOADER_PATH}; if the firmware does not start it by itself, choose the disk in its boot menu.`,
      ),
    );
  let option: Buffer;
  try {
    option = encodeLoadOption(request);
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
  let existing: ExistingOption[];
  try {
    existing = await existingOptions(request.efivars);
  } catch (error) {
    return failed(`cannot list the EFI variables: ${error instanceof Error ? error.message : String(error)}`);
  }
  const number = chooseNumber(existing, request);
  if (number === null) return failed('all 65536 Boot#### numbers are taken');
  const name = bootVariableName(number);
  const bytes = withAttributes(option);
  const writeOptions: WriteVariableOptions = request.chattr === undefined ? {} : { chattr: request.chattr };
  if (!existing.find((e) => e.number === number)?.raw?.equals(bytes)) {
    const written = await writeEfivarFile(request.efivars, `${name}-${EFI_GLOBAL_VARIABLE_GUID}`, bytes, writeOptions);
    if (!written.ok) return failed(`writing ${name}: ${written.error}`);
  }

  const old = await readBootOrder(request.efivars);
  const order = [...new Set([number, ...old])];
  if (order.length !== old.length || order.some((n, i) => n !== old[i])) {
    const list = Buffer.alloc(order.length * 2);
    order.forEach((n, i) => list.writeUInt16LE(n, i * 2));
    const written = await writeEfivarFile(request.efivars, BOOT_ORDER_FILE, withAttributes(list), writeOptions);
    if (!written.ok) return failed(`${name} is written, but BootOrder is not: ${written.error}`);
  }
  return ok({ number: bootNumberText(number), bootOrder: order.map(bootNumberText) });
}
