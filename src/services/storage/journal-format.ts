// Owns the journal's on-disk format: record encoding/decoding, segment names, segment scanning, and directory recovery.
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { JournalRecord } from '../../contracts/api-types.js';

/** [u32 LE payload length][u32 LE crc32 of payload], then the UTF-8 JSON payload. */
export const HEADER_BYTES = 8;
/** No valid payload is larger; a header claiming more is damage, not a big record (the config allows at most 16 MiB). */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
const SEGMENT_NAME = /^(\d{20})\.seg$/;
const RECORD_TYPES: ReadonlySet<string> = new Set(['event', 'marker', 'note']);
const OPEN_BRACE = 0x7b;
const SCAN_CHUNK_BYTES = 1024 * 1024;

export type DecodeFailure = 'torn-header' | 'torn-payload' | 'bad-length' | 'bad-crc' | 'bad-json' | 'bad-seq';
export type DecodeResult = { ok: true; record: JournalRecord; next: number } | { ok: false; reason: DecodeFailure };

export interface Segment {
  name: string;
  firstSeq: number;
}

export const segmentName = (firstSeq: number): string => `${String(firstSeq).padStart(20, '0')}.seg`;

/** The first sequence number a segment file holds, or null when the name is not a segment's. */
export function parseSegmentName(name: string): number | null {
  const match = SEGMENT_NAME.exec(name);
  if (match === null) return null;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) && seq >= 1 ? seq : null;
}

/** Segment names found among a directory's entries, oldest first (zero padding makes name order seq order). */
export const sortSegmentNames = (names: readonly string[]): string[] => names.filter((n) => parseSegmentName(n) !== null).sort();

/**
 * The payload is built by hand so `data` is stringified once per append and the seq can be
 * re-encoded cheaply; the key order matches what JSON.stringify of the record would give.
 */
export function encodePayload(seq: number, atJson: string, type: JournalRecord['type'], dataJson: string): Buffer {
  return Buffer.from(`{"seq":${seq},"at":${atJson},"type":"${type}","data":${dataJson}}`, 'utf8');
}

export function frameRecord(payload: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  framed.writeUInt32LE(payload.length, 0);
  framed.writeUInt32LE(crc32(payload), 4);
  payload.copy(framed, HEADER_BYTES);
  return framed;
}

export const encodeRecord = (record: JournalRecord): Buffer =>
  frameRecord(encodePayload(record.seq, JSON.stringify(record.at), record.type, JSON.stringify(record.data)));

/** Shape check without zod: this runs for every record of every scan, and the crc already vouches for the bytes. */
function asRecord(value: unknown): JournalRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const { seq, at, type, data } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  if (typeof at !== 'string' || typeof type !== 'string' || !RECORD_TYPES.has(type)) return null;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  return value as JournalRecord;
}

export type FrameResult = { ok: true; payload: Buffer; next: number } | { ok: false; reason: 'torn-header' | 'torn-payload' | 'bad-length' | 'bad-crc' };

/** Checks the frame at `offset` (header and crc) without parsing the payload. */
export function checkFrameAt(buf: Buffer, offset: number): FrameResult {
  if (buf.length - offset < HEADER_BYTES) return { ok: false, reason: 'torn-header' };
  const length = buf.readUInt32LE(offset);
  // Zero is never valid: a zero-filled region would otherwise pass (crc32 of nothing is 0).
  if (length === 0 || length > MAX_PAYLOAD_BYTES) return { ok: false, reason: 'bad-length' };
  const start = offset + HEADER_BYTES;
  if (buf.length - start < length) return { ok: false, reason: 'torn-payload' };
  const payload = buf.subarray(start, start + length);
  if (crc32(payload) !== buf.readUInt32LE(offset + 4)) return { ok: false, reason: 'bad-crc' };
  return { ok: true, payload, next: start + length };
}

/**
 * Parses a crc-checked payload. `expectedSeq` (when given) must match: segments hold
 * consecutive seqs, so a mismatch means bytes that do not belong here.
 */
export function decodePayload(payload: Buffer, expectedSeq?: number): { ok: true; record: JournalRecord } | { ok: false; reason: 'bad-json' | 'bad-seq' } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'bad-json' };
  }
  const record = asRecord(parsed);
  if (record === null) return { ok: false, reason: 'bad-json' };
  if (expectedSeq !== undefined && record.seq !== expectedSeq) return { ok: false, reason: 'bad-seq' };
  return { ok: true, record };
}

/** Decodes the record at `offset`: frame, crc, JSON, shape and (when given) seq. */
export function decodeRecordAt(buf: Buffer, offset: number, expectedSeq?: number): DecodeResult {
  const frame = checkFrameAt(buf, offset);
  if (!frame.ok) return frame;
  const decoded = decodePayload(frame.payload, expectedSeq);
  return decoded.ok ? { ok: true, record: decoded.record, next: frame.next } : decoded;
}

export interface DecodedRecords {
  records: JournalRecord[];
  /** Offset just past the last good record: where a torn tail would be cut. */
  end: number;
  stop: { offset: number; reason: DecodeFailure } | null;
}

/** Decodes a whole segment held in memory; stops at the first bad record. */
export function decodeRecords(buf: Buffer, firstSeq?: number): DecodedRecords {
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const result = decodeRecordAt(buf, offset, firstSeq === undefined ? undefined : firstSeq + records.length);
    if (!result.ok) return { records, end: offset, stop: { offset, reason: result.reason } };
    records.push(result.record);
    offset = result.next;
  }
  return { records, end: offset, stop: null };
}

/**
 * Looks past damage for any later record that decodes cleanly with a seq above `minSeq`.
 * A torn tail has none; damage in the middle of a segment does, and then cutting would
 * destroy acknowledged records. Cheap in practice: JSON text never holds a zero byte, so
 * almost every position fails the length check at once. Returns the highest seq found.
 */
export function findLaterRecords(buf: Buffer, from: number, minSeq: number): { firstOffset: number; maxSeq: number } | null {
  let found: { firstOffset: number; maxSeq: number } | null = null;
  let offset = from;
  while (offset + HEADER_BYTES < buf.length) {
    const length = buf.readUInt32LE(offset);
    if (length !== 0 && length <= buf.length - offset - HEADER_BYTES && buf[offset + HEADER_BYTES] === OPEN_BRACE) {
      const result = decodeRecordAt(buf, offset);
      if (result.ok && result.record.seq > minSeq) {
        found = found === null ? { firstOffset: offset, maxSeq: result.record.seq } : { firstOffset: found.firstOffset, maxSeq: Math.max(found.maxSeq, result.record.seq) };
        offset = result.next;
        continue;
      }
    }
    offset++;
  }
  return found;
}

export interface SegmentScan {
  /** Offset just past the last good record. */
  end: number;
  /** Bytes looked at: the file size, or `endOffset` when given and smaller. */
  size: number;
  lastSeq: number | null;
  count: number;
  stop: { offset: number; reason: DecodeFailure } | null;
}

export interface ScanOptions {
  /** The seq the first record must carry (the segment's name). */
  firstSeq: number;
  /** Stop looking here (the durable size of a segment being written). */
  endOffset?: number;
  /**
   * 'full' (default) parses every record and checks its shape and seq; 'crc' checks frames
   * only, which is what opening needs for older segments (several times faster: the crc
   * catches disk damage, and parsing hundreds of MiB would slow every start).
   */
  verify?: 'full' | 'crc';
  /** Sees the raw payload of each crc-checked record; false skips it unparsed (a cheap grep). */
  prefilter?: (payload: Buffer) => boolean;
  /** Called per good record, checked in full; return false to stop early. */
  onRecord?: (record: JournalRecord, offset: number) => boolean;
}

/** Streams a segment file in chunks (segments may be up to 1 GiB) and stops at the first bad record. */
export async function scanSegmentFile(path: string, options: ScanOptions): Promise<SegmentScan> {
  const handle = await open(path, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    let size = options.endOffset === undefined ? fileSize : Math.min(fileSize, options.endOffset);
    let buf = Buffer.alloc(0);
    let bufStart = 0; // file offset of buf[0]
    let pos = 0; // offset within buf of the next record
    let expected = options.firstSeq;
    let count = 0;
    let lastSeq: number | null = null;
    for (;;) {
      const fileOffset = bufStart + pos;
      if (fileOffset >= size) return { end: fileOffset, size, lastSeq, count, stop: null };
      const frame = checkFrameAt(buf, pos);
      if (frame.ok) {
        if (options.verify !== 'crc' && (options.prefilter === undefined || options.prefilter(frame.payload))) {
          const decoded = decodePayload(frame.payload, expected);
          if (!decoded.ok) return { end: fileOffset, size, lastSeq, count, stop: { offset: fileOffset, reason: decoded.reason } };
          if (options.onRecord !== undefined && !options.onRecord(decoded.record, fileOffset)) {
            return { end: bufStart + frame.next, size, lastSeq: expected, count: count + 1, stop: null };
          }
        }
        count++;
        lastSeq = expected++;
        pos = frame.next;
        continue;
      }
      const result = frame;
      const torn = result.reason === 'torn-header' || result.reason === 'torn-payload';
      const haveToEnd = bufStart + buf.length >= size;
      if (!torn || haveToEnd) return { end: fileOffset, size, lastSeq, count, stop: { offset: fileOffset, reason: result.reason } };
      // Need more bytes: keep the unread rest and read at least the whole record it starts.
      const rest = buf.subarray(pos);
      const need = rest.length >= HEADER_BYTES ? HEADER_BYTES + rest.readUInt32LE(0) : HEADER_BYTES;
      const want = Math.min(size - fileOffset, Math.max(need, SCAN_CHUNK_BYTES));
      const next = Buffer.allocUnsafe(want);
      rest.copy(next, 0);
      let filled = rest.length;
      while (filled < want) {
        const { bytesRead } = await handle.read(next, filled, want - filled, fileOffset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      buf = next.subarray(0, filled);
      bufStart = fileOffset;
      pos = 0;
      // The file shrank under us (it should not): judge only the bytes that are there.
      if (filled < want) size = fileOffset + filled;
    }
  } finally {
    await handle.close();
  }
}

/** Reads bytes [from, to) of a file; used for the damaged rest of the last segment. */
export async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.max(0, to - from));
    let filled = 0;
    while (filled < buf.length) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, from + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

export interface DirRecovery {
  segments: Segment[];
  /** The segment new records go to (unless mustRotate), with its size after any cut. */
  last: (Segment & { size: number }) | null;
  nextSeq: number;
  /** The last segment holds damage followed by good records: keep it whole and write to a new segment. */
  mustRotate: boolean;
  truncated: { segment: string; bytes: number } | null;
  corrupt: { segment: string; offset: number }[];
}

/**
 * Scans a journal directory (creating it if missing). Older segments: damage is reported and left
 * on disk. The last segment: a torn tail is cut at the last good boundary (ftruncate + fsync);
 * damage followed by good records is reported and kept, since those records may have been acknowledged.
 */
export async function recoverSegments(dir: string): Promise<DirRecovery> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const segments: Segment[] = sortSegmentNames(await readdir(dir)).map((name) => ({ name, firstSeq: parseSegmentName(name) ?? 1 }));
  const result: DirRecovery = { segments, last: null, nextSeq: 1, mustRotate: false, truncated: null, corrupt: [] };

  for (const segment of segments.slice(0, -1)) {
    const scan = await scanSegmentFile(join(dir, segment.name), { firstSeq: segment.firstSeq, verify: 'crc' });
    if (scan.stop !== null) result.corrupt.push({ segment: segment.name, offset: scan.stop.offset });
    // Never reuse a seq that exists anywhere, even if names and contents disagree.
    if (scan.lastSeq !== null) result.nextSeq = Math.max(result.nextSeq, scan.lastSeq + 1);
  }

  const last = segments.at(-1);
  if (last === undefined) return result;
  const path = join(dir, last.name);
  const scan = await scanSegmentFile(path, { firstSeq: last.firstSeq });
  // An empty last segment continues at its name: every seq below it lives in an older segment.
  const lastGood = scan.lastSeq ?? last.firstSeq - 1;
  result.nextSeq = Math.max(result.nextSeq, lastGood + 1);
  result.last = { ...last, size: scan.size };
  if (scan.stop === null) return result;

  const later = findLaterRecords(await readRange(path, scan.stop.offset, scan.size), 1, lastGood);
  if (later !== null) {
    result.corrupt.push({ segment: last.name, offset: scan.stop.offset });
    result.nextSeq = Math.max(result.nextSeq, later.maxSeq + 1);
    result.mustRotate = true;
    return result;
  }
  // A torn tail was never acknowledged (acks follow the fsync), so cutting it loses nothing.
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(scan.stop.offset);
    await handle.sync();
  } finally {
    await handle.close();
  }
  result.truncated = { segment: last.name, bytes: scan.size - scan.stop.offset };
  result.last.size = scan.stop.offset;
  return result;
}

export async function writeAll(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, position + done);
    if (bytesWritten <= 0) throw new Error('the disk accepted no bytes');
    done += bytesWritten;
  }
}

/** A new file's name is only durable once its directory is fsync'd. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
let lastNowMs = -1;
let lastNowIso = '';

/** Formatting a Date costs more than the rest of an append; at high rates many appends share a millisecond. */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastNowMs) {
    lastNowMs = ms;
    lastNowIso = new Date(ms).toISOString();
  }
  return lastNowIso;
}

/** `at` is stored as toISOString() output (UTC, ms); already-normal strings skip the reformat. Throws RangeError when invalid. */
export const normalizeAt = (at: string): string => (ISO_UTC.test(at) && !Number.isNaN(Date.parse(at)) ? at : new Date(at).toISOString());
