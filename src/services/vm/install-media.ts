// Owns checking a person's installation media (--iso, --drivers): an absolute path to a readable regular file that holds an ISO 9660 or UDF image.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, normalize } from 'node:path';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';

export type MediaOption = '--iso' | '--drivers';

/** Volume descriptors start at sector 16 (byte 32768), 2048 bytes each, with a 5-byte identifier at their byte 1. */
const DESCRIPTOR_START = 32_768;
const SECTOR = 2048;
/** ISO 9660 (primary, supplementary, terminator) and UDF's volume recognition sequence (BEA01, NSR02/NSR03, TEA01). */
const IDENTIFIERS = ['CD001', 'BEA01', 'NSR02', 'NSR03'] as const;
/** Enough descriptors for a hybrid image's sequence (a primary, a Joliet, a boot record, a terminator, then UDF's). */
const SECTORS_LOOKED_AT = 16;

const what = (option: MediaOption): string => (option === '--iso' ? 'the Windows installation image' : 'the driver image');

/** The identifier of the first volume descriptor found, or null when the bytes hold none. Pure, for tests. */
export function isoIdentifier(bytes: Buffer): (typeof IDENTIFIERS)[number] | null {
  for (let sector = 0; sector < SECTORS_LOOKED_AT; sector += 1) {
    const at = sector * SECTOR + 1;
    if (at + 5 > bytes.length) break;
    const id = bytes.toString('latin1', at, at + 5);
    const found = IDENTIFIERS.find((known) => known === id);
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * Checks the path given for an option; ok is the normalised absolute path QEMU is given. The person's file is only
 * read, never changed; QEMU attaches it read-only.
 */
export async function checkInstallMedia(untrustedPath: string, option: MediaOption): Promise<Result<string, RayosError>> {
  const details = { option, path: untrustedPath.slice(0, 512) };
  if (!isAbsolute(untrustedPath) || /[\r\n\0]/.test(untrustedPath) || untrustedPath.length > 4096) {
    return err(rayosError('RAYOS_WINDOWS_ISO_NOT_FOUND', `${option} ${JSON.stringify(untrustedPath.slice(0, 200))} is not an absolute path on this machine; give the full path of ${what(option)} (the CLI makes a relative one absolute).`, details));
  }
  const path = normalize(untrustedPath);
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO someone put there must not hang the runtime.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return err(rayosError('RAYOS_WINDOWS_ISO_NOT_FOUND', `${option} ${path}: there is no such file. Check the path of ${what(option)} (download it from Microsoft${option === '--drivers' ? ', or the virtio-win ISO from Fedora' : ''}) and try again.`, details));
    }
    return err(rayosError('RAYOS_WINDOWS_ISO_UNREADABLE', `${option} ${path} cannot be read by RayOS (${code ?? String(error)}). Give the user RayOS runs as read access (e.g. chmod a+r on it and its folders), or copy it somewhere readable.`, details));
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      return err(rayosError('RAYOS_WINDOWS_ISO_UNREADABLE', `${option} ${path} is a directory; give the .iso file itself, not the folder it is in or an unpacked copy of it.`, details));
    }
    if (!info.isFile()) {
      return err(rayosError('RAYOS_WINDOWS_ISO_UNREADABLE', `${option} ${path} is not a regular file (a device, socket or pipe); copy ${what(option)} into a regular .iso file and give that.`, details));
    }
    const bytes = Buffer.alloc(SECTORS_LOOKED_AT * SECTOR);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(bytes, 0, bytes.length, DESCRIPTOR_START));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return err(rayosError('RAYOS_WINDOWS_ISO_UNREADABLE', `${option} ${path} cannot be read (${code ?? String(error)}); check the disk it is on, or copy the image elsewhere.`, details));
    }
    if (isoIdentifier(bytes.subarray(0, bytesRead)) === null) {
      return err(
        rayosError(
          'RAYOS_WINDOWS_ISO_NOT_ISO',
          `${option} ${path} does not look like an ISO image (no ISO 9660 "CD001" or UDF descriptor at byte 32768; it is ${info.size} bytes). Give ${what(option)} as the .iso file you downloaded, not a zip, a USB stick image or a partial download.`,
          details,
        ),
      );
    }
    return ok(path);
  } finally {
    await handle.close();
  }
}
