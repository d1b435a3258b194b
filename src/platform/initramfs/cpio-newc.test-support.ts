// Owns a strict newc cpio reader for the builder tests, checking every field, alignment and the trailer as the kernel would.
import assert from 'node:assert/strict';
import { CPIO_NEWC_MAGIC, CPIO_TRAILER } from './cpio-newc.js';

export interface Parsed {
  name: string;
  ino: number;
  mode: number;
  uid: number;
  nlink: number;
  mtime: number;
  rdevMajor: number;
  rdevMinor: number;
  data: Buffer;
}

/** A strict newc reader: every field, alignment and the trailer are checked as the kernel would. */
export function parseCpio(archive: Buffer): Parsed[] {
  const out: Parsed[] = [];
  let at = 0;
  for (;;) {
    assert.equal(at % 4, 0, 'entries start 4-byte aligned');
    assert.equal(archive.toString('ascii', at, at + 6), CPIO_NEWC_MAGIC);
    const field = (i: number): number => parseInt(archive.toString('ascii', at + 6 + i * 8, at + 14 + i * 8), 16);
    const nameSize = field(11);
    const fileSize = field(6);
    const nameStart = at + 110;
    assert.equal(archive[nameStart + nameSize - 1], 0, 'names end with NUL');
    const name = archive.toString('utf8', nameStart, nameStart + nameSize - 1);
    const dataStart = Math.ceil((nameStart + nameSize) / 4) * 4;
    const entry: Parsed = {
      name,
      ino: field(0),
      mode: field(1),
      uid: field(2),
      nlink: field(4),
      mtime: field(5),
      rdevMajor: field(9),
      rdevMinor: field(10),
      data: archive.subarray(dataStart, dataStart + fileSize),
    };
    at = Math.ceil((dataStart + fileSize) / 4) * 4;
    if (name === CPIO_TRAILER) {
      assert.equal(at, archive.length, 'nothing after the trailer');
      return out;
    }
    out.push(entry);
  }
}
