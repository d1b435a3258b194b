// Owns writing "newc" cpio archives (the format the Linux kernel unpacks as an initramfs), without a cpio tool.
//
// Every entry is a 110-byte ASCII header ("070701" + 13 eight-digit hex fields), the NUL-terminated name padded
// to 4 bytes, then the data padded to 4 bytes; the archive ends with an entry named "TRAILER!!!". Owners are root
// and times are 0 so the same inputs always give the same bytes (the cache key stays honest).

export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly kind: 'file'; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'chardev'; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
export const CPIO_NEWC_MAGIC = '070701';
export const CPIO_TRAILER = 'TRAILER!!!';

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`cpio field out of range: ${n}`);
  return n.toString(16).padStart(8, '0');
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

interface RawEntry {
  readonly name: string;
  readonly mode: number;
  readonly data: Uint8Array;
  readonly rdevMajor: number;
  readonly rdevMinor: number;
}

function header(ino: number, e: RawEntry, nameBytes: number): string {
  const nlink = (e.mode & 0o170000) === S_IFDIR ? 2 : 1;
  // ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  const fields = [ino, e.mode, 0, 0, nlink, 0, e.data.length, 0, 0, e.rdevMajor, e.rdevMinor, nameBytes, 0];
  return CPIO_NEWC_MAGIC + fields.map(hex8).join('');
}

function toRaw(entry: CpioEntry): RawEntry {
  // The kernel wants names relative to the root, without a leading slash.
  const name = entry.path.replace(/^\/+/, '');
  if (name === '' || name.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Error(`bad cpio path: ${JSON.stringify(entry.path)}`);
  }
  const none = new Uint8Array(0);
  switch (entry.kind) {
    case 'dir':
      return { name, mode: S_IFDIR | (entry.mode ?? 0o755), data: none, rdevMajor: 0, rdevMinor: 0 };
    case 'file':
      return { name, mode: S_IFREG | (entry.mode ?? 0o644), data: entry.data, rdevMajor: 0, rdevMinor: 0 };
    case 'symlink':
      return { name, mode: S_IFLNK | 0o777, data: Buffer.from(entry.target), rdevMajor: 0, rdevMinor: 0 };
    case 'chardev':
      return { name, mode: S_IFCHR | (entry.mode ?? 0o600), data: none, rdevMajor: entry.major, rdevMinor: entry.minor };
  }
}

/** The archive bytes; entries keep their order (a directory must come before what it holds). */
export function writeCpioNewc(entries: readonly CpioEntry[]): Buffer {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const push = (chunk: Uint8Array): void => {
    parts.push(chunk);
    offset += chunk.length;
  };
  const zeros = new Uint8Array(4);
  const add = (ino: number, e: RawEntry): void => {
    const name = Buffer.from(`${e.name}\0`);
    push(Buffer.from(header(ino, e, name.length), 'ascii'));
    push(name);
    push(zeros.subarray(0, pad4(offset)));
    push(e.data);
    push(zeros.subarray(0, pad4(offset)));
  };
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const raw = toRaw(entry);
    if (seen.has(raw.name)) throw new Error(`duplicate cpio path: ${raw.name}`);
    seen.add(raw.name);
    add(i + 1, raw);
  });
  add(0, { name: CPIO_TRAILER, mode: 0, data: new Uint8Array(0), rdevMajor: 0, rdevMinor: 0 });
  return Buffer.concat(parts);
}
