// Owns the Journal: RayOS's append-only persistent log (group commit, rotation, pruning, crash recovery).
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalRecord } from '../../contracts/api-types.js';
import { RayosFailure, rayosError } from '../../contracts/errors.js';
import { HEADER_BYTES, encodePayload, frameRecord, normalizeAt, nowIso, recoverSegments, scanSegmentFile, segmentName, syncDir, writeAll, type Segment } from './journal-format.js';

export interface JournalOptions {
  dir: string;
  segmentBytes: number;
  maxSegments: number;
  /** Limit on a record's JSON payload, in bytes. */
  maxRecordBytes: number;
  durability: 'fsync' | 'none';
  onNotice?: (notice: JournalNotice) => void;
}
export type JournalNotice = { kind: 'rotated'; segment: string } | { kind: 'pruned'; segment: string };
export interface JournalRecovery {
  nextSeq: number;
  truncated: { segment: string; bytes: number } | null;
  corrupt: { segment: string; offset: number }[];
}
export interface JournalEntry {
  type: 'event' | 'marker' | 'note';
  data: Record<string, unknown>;
  /** ISO-8601; default now. Stored normalized to UTC (`toISOString`). */
  at?: string;
}
export interface JournalReadQuery {
  afterSeq?: number;
  /** Exclusive upper bound: records with a sequence below it (one boot's range ends at the next one's first). */
  beforeSeq?: number;
  sinceMs?: number;
  /** Case-insensitive substring of the record's JSON payload. */
  grep?: string;
  limit?: number;
}

interface OpenSegment extends Segment {
  handle: FileHandle;
  /** Bytes known durable; reads never look past it and a failed batch is cut back to it. */
  size: number;
}
interface Pending {
  seq: number;
  /** Order of the call, never renumbered: flush() waits on these. */
  ticket: number;
  at: string;
  atJson: string;
  type: JournalEntry['type'];
  dataJson: string;
  framed: Buffer;
  resolve: (record: JournalRecord) => void;
  reject: (error: unknown) => void;
}
interface FlushWaiter {
  ticket: number;
  failed: RayosFailure | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const RECORD_TYPES: ReadonlySet<string> = new Set(['event', 'marker', 'note']);
/** One write stays bounded even when a huge backlog is queued. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const DEFAULT_READ_LIMIT = 1000;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

export class Journal {
  private readonly options: JournalOptions;
  private readonly segments: Segment[];
  private current: OpenSegment | null;
  /** Set when the last segment holds damage we must not cut: new records go to a fresh segment. */
  private mustRotate: boolean;
  private seq: number;
  private pending: Pending[] = [];
  private committing = false;
  /** The batch being written, so an unexpected throw can still settle it. */
  private inFlight: Pending[] = [];
  private tickets = 0;
  private settledTicket = 0;
  private waiters: FlushWaiter[] = [];
  private readonly listeners = new Set<(record: JournalRecord) => void>();
  /** A failed batch whose bytes could not be cut back: nothing more can be trusted until reopened. */
  private broken: RayosFailure | null = null;
  private closing: Promise<void> | null = null;

  private constructor(options: JournalOptions, segments: Segment[], current: OpenSegment | null, nextSeq: number, mustRotate: boolean) {
    this.options = options;
    this.segments = segments;
    this.current = current;
    this.seq = nextSeq;
    this.mustRotate = mustRotate;
  }

  static async open(options: JournalOptions): Promise<{ journal: Journal; recovery: JournalRecovery }> {
    try {
      return await Journal.recover(options);
    } catch (error) {
      if (error instanceof RayosFailure) throw error;
      throw new RayosFailure(rayosError('RAYOS_JOURNAL_IO', `Cannot open the journal in ${options.dir}: ${errorText(error)}. Check that the directory exists, is writable, and the disk is not full.`));
    }
  }

  private static async recover(options: JournalOptions): Promise<{ journal: Journal; recovery: JournalRecovery }> {
    const found = await recoverSegments(options.dir);
    const current: OpenSegment | null = found.last === null ? null : { ...found.last, handle: await open(join(options.dir, found.last.name), 'r+') };
    const recovery: JournalRecovery = { nextSeq: found.nextSeq, truncated: found.truncated, corrupt: found.corrupt };
    return { journal: new Journal(options, found.segments, current, found.nextSeq, found.mustRotate), recovery };
  }

  get nextSeq(): number {
    return this.seq;
  }

  append(entry: JournalEntry): Promise<JournalRecord> {
    if (this.closing !== null) return Promise.reject(new RayosFailure(rayosError('RAYOS_JOURNAL_CLOSED', 'The journal is closed; nothing more can be appended until it is reopened.')));
    if (this.broken !== null) return Promise.reject(this.broken);
    let at: string;
    let dataJson: string;
    try {
      if (!RECORD_TYPES.has(entry.type)) throw new TypeError(`journal entry type must be event, marker or note, not ${String(entry.type)}`);
      if (typeof entry.data !== 'object' || entry.data === null || Array.isArray(entry.data)) throw new TypeError('journal entry data must be a plain object');
      at = entry.at === undefined ? nowIso() : normalizeAt(entry.at);
      dataJson = JSON.stringify(entry.data);
      // A toJSON() that returns a non-object would write a record every reader rejects: refuse it here instead.
      if (typeof dataJson !== 'string' || !dataJson.startsWith('{')) throw new TypeError('journal entry data must serialize to a JSON object');
    } catch (error) {
      return Promise.reject(error);
    }
    const atJson = `"${at}"`; // toISOString output never needs escaping
    const framed = frameRecord(encodePayload(this.seq, atJson, entry.type, dataJson));
    const payloadBytes = framed.length - HEADER_BYTES;
    if (payloadBytes > this.options.maxRecordBytes) {
      return Promise.reject(
        new RayosFailure(rayosError('RAYOS_JOURNAL_RECORD_TOO_LARGE', `A journal record of ${payloadBytes} bytes is over the ${this.options.maxRecordBytes}-byte limit; store large data in a file and journal its path.`, { bytes: payloadBytes, limit: this.options.maxRecordBytes })),
      );
    }
    return new Promise<JournalRecord>((resolve, reject) => {
      this.pending.push({ seq: this.seq++, ticket: ++this.tickets, at, atJson, type: entry.type, dataJson, framed, resolve, reject });
      this.kick();
    });
  }

  async read(query: JournalReadQuery): Promise<JournalRecord[]> {
    if (this.closing !== null) throw new RayosFailure(rayosError('RAYOS_JOURNAL_CLOSED', 'The journal is closed; reopen it to read.'));
    const afterSeq = query.afterSeq ?? 0;
    const limit = query.limit ?? DEFAULT_READ_LIMIT;
    const needle = query.grep === undefined || query.grep === '' ? null : query.grep.toLowerCase();
    const found: JournalRecord[] = [];
    const beforeSeq = query.beforeSeq ?? Number.POSITIVE_INFINITY;
    let pastEnd = false;
    if (limit <= 0) return found;
    // A snapshot: records acknowledged after this point are not returned, and bytes being written are never read.
    const segments = [...this.segments];
    const current = this.current === null ? null : { name: this.current.name, size: this.current.size };
    for (let i = 0; i < segments.length && found.length < limit && !pastEnd; i++) {
      const segment = segments[i] as Segment;
      const next = segments[i + 1];
      // Names are first seqs, so a whole segment below afterSeq is skipped unread.
      if (next !== undefined && next.firstSeq <= afterSeq + 1) continue;
      try {
        await scanSegmentFile(join(this.options.dir, segment.name), {
          firstSeq: segment.firstSeq,
          ...(current?.name === segment.name ? { endOffset: current.size } : {}),
          ...(needle === null ? {} : { prefilter: (payload: Buffer) => payload.toString('utf8').toLowerCase().includes(needle) }),
          onRecord: (record) => {
            if (record.seq <= afterSeq) return true;
            if (record.seq >= beforeSeq) {
              pastEnd = true;
              return false;
            }
            if (query.sinceMs !== undefined && !(Date.parse(record.at) >= query.sinceMs)) return true;
            found.push(record);
            return found.length < limit;
          },
        });
      } catch (error) {
        if (isMissing(error)) continue; // pruned while we read
        throw new RayosFailure(rayosError('RAYOS_JOURNAL_IO', `Cannot read journal segment ${segment.name}: ${errorText(error)}.`));
      }
    }
    return found;
  }

  subscribe(listener: (record: JournalRecord) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Resolves when everything appended so far is durable; rejects if any of it failed. */
  flush(): Promise<void> {
    if (this.settledTicket >= this.tickets) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ ticket: this.tickets, failed: null, resolve, reject }));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush().catch(() => undefined); // failed appends were already rejected to their callers
      const current = this.current;
      this.current = null;
      this.listeners.clear();
      await current?.handle.close();
    })();
    return this.closing;
  }

  /** Starts the next group commit unless one is in flight; appends that arrive meanwhile wait for the next. */
  private kick(): void {
    if (this.committing || this.pending.length === 0) return;
    this.committing = true;
    void this.commitBatch()
      .catch((error: unknown) => {
        // Only a bug gets here; settle everything so no caller waits forever (settling twice is a no-op).
        const stranded = [...this.inFlight.splice(0), ...this.pending.splice(0)];
        return this.fail(stranded, null, new RayosFailure(rayosError('RAYOS_JOURNAL_IO', `The journal failed unexpectedly: ${errorText(error)}.`)), true);
      })
      .finally(() => {
        this.committing = false;
        this.kick();
      });
  }

  private async commitBatch(): Promise<void> {
    const first = this.pending[0] as Pending;
    const current = this.current;
    const rotate = current === null || this.mustRotate || (current.size > 0 && current.size + first.framed.length > this.options.segmentBytes);
    // A batch never spans two segments, so one batch is one write and one fdatasync.
    const budget = Math.min(MAX_BATCH_BYTES, rotate ? this.options.segmentBytes : this.options.segmentBytes - (current?.size ?? 0));
    let count = 1;
    let bytes = first.framed.length;
    while (count < this.pending.length) {
      const size = (this.pending[count] as Pending).framed.length;
      if (bytes + size > budget) break;
      bytes += size;
      count++;
    }
    const batch = this.pending.splice(0, count);
    this.inFlight = batch;
    const buffer = count === 1 ? first.framed : Buffer.concat(batch.map((p) => p.framed), bytes);

    let created: OpenSegment | null = null;
    let target = current;
    try {
      if (rotate) target = created = await this.createSegment(first.seq);
      await writeAll((target as OpenSegment).handle, buffer, (target as OpenSegment).size);
      if (this.options.durability === 'fsync') await (target as OpenSegment).handle.datasync();
    } catch (error) {
      await this.fail(batch, created, new RayosFailure(rayosError('RAYOS_JOURNAL_IO', `The journal could not be written: ${errorText(error)}. Check free space and permissions of ${this.options.dir}.`)), false);
      return;
    }

    const written = target as OpenSegment;
    written.size += bytes;
    if (created !== null) {
      this.current = created;
      this.segments.push({ name: created.name, firstSeq: created.firstSeq });
      this.mustRotate = false;
      if (current !== null) {
        this.notify({ kind: 'rotated', segment: created.name });
        await current.handle.close().catch(() => undefined); // fully synced already; a close error loses nothing
      }
    }
    // Pruning first (one unlink, once per rotation) so that when an append resolves the files are settled.
    if (created !== null) await this.prune();
    this.acknowledge(batch);
  }

  /** Creates the segment that starts at `firstSeq` and makes its directory entry durable before any record goes in. */
  private async createSegment(firstSeq: number): Promise<OpenSegment> {
    const name = segmentName(firstSeq);
    const path = join(this.options.dir, name);
    // 'w+' truncates: a file by this name can only hold seqs >= firstSeq, none of which was ever acknowledged.
    const handle = await open(path, 'w+', 0o600);
    try {
      if (this.options.durability === 'fsync') await syncDir(this.options.dir);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw error;
    }
    return { name, firstSeq, handle, size: 0 };
  }

  private acknowledge(batch: Pending[]): void {
    const listeners = [...this.listeners];
    for (const item of batch) {
      const record: JournalRecord = { seq: item.seq, at: item.at, type: item.type, data: JSON.parse(item.dataJson) as Record<string, unknown> };
      for (const listener of listeners) {
        try {
          listener(record);
        } catch {
          // A subscriber's bug must not stop acknowledgements or other subscribers.
        }
      }
      item.resolve(record);
    }
    this.inFlight = [];
    this.settle((batch.at(-1) as Pending).ticket, null, 0);
  }

  /**
   * Rejects a failed batch and puts the files back as they were (cut the partial write, or
   * remove a segment just created), so the log stays gapless. If that cleanup fails too,
   * the journal is broken: everything queued and everything later is rejected.
   */
  private async fail(batch: Pending[], created: OpenSegment | null, failure: RayosFailure, alreadyBroken: boolean): Promise<void> {
    let broken = alreadyBroken;
    if (!broken) {
      try {
        if (created !== null) {
          await created.handle.close().catch(() => undefined);
          await unlink(join(this.options.dir, created.name)).catch((error: unknown) => {
            if (!isMissing(error)) throw error;
          });
          if (this.options.durability === 'fsync') await syncDir(this.options.dir);
        } else if (this.current !== null) {
          await this.current.handle.truncate(this.current.size);
          if (this.options.durability === 'fsync') await this.current.handle.sync();
        }
      } catch {
        broken = true;
      }
    }
    this.inFlight = [];
    for (const item of batch) item.reject(failure);
    const firstSeq = batch[0]?.seq ?? this.seq;
    if (broken) {
      this.broken = new RayosFailure(rayosError('RAYOS_JOURNAL_IO', `${failure.message} The journal stopped accepting records; restart RayOS to recover it.`));
      const queued = this.pending.splice(0);
      for (const item of queued) item.reject(this.broken);
      this.seq = firstSeq;
      this.settle(this.tickets, failure, batch[0]?.ticket ?? 0);
      return;
    }
    // The failed seqs were never acknowledged; queued records move down so seqs stay consecutive (their order is kept).
    this.pending.forEach((item, index) => {
      item.seq = firstSeq + index;
      item.framed = frameRecord(encodePayload(item.seq, item.atJson, item.type, item.dataJson));
    });
    this.seq = firstSeq + this.pending.length;
    this.settle((batch.at(-1) as Pending).ticket, failure, (batch[0] as Pending).ticket);
  }

  /** Settles flush() waiters up to `ticket`; a failure from `failedFrom` on taints every waiter that covers it. */
  private settle(ticket: number, failure: RayosFailure | null, failedFrom: number): void {
    this.settledTicket = ticket;
    const waiting: FlushWaiter[] = [];
    for (const waiter of this.waiters) {
      if (failure !== null && waiter.ticket >= failedFrom) waiter.failed ??= failure;
      if (waiter.ticket > ticket) waiting.push(waiter);
      else if (waiter.failed !== null) waiter.reject(waiter.failed);
      else waiter.resolve();
    }
    this.waiters = waiting;
  }

  /** Keeps at most maxSegments files; a failed delete is retried at the next rotation. */
  private async prune(): Promise<void> {
    // Never the segment being written, whatever maxSegments says.
    while (this.segments.length > Math.max(1, this.options.maxSegments)) {
      const oldest = this.segments[0] as Segment;
      try {
        await unlink(join(this.options.dir, oldest.name));
      } catch (error) {
        if (!isMissing(error)) return;
      }
      this.segments.shift();
      this.notify({ kind: 'pruned', segment: oldest.name });
    }
  }

  private notify(notice: JournalNotice): void {
    try {
      this.options.onNotice?.(notice);
    } catch {
      // A notice is informational; its handler failing must not fail a commit.
    }
  }
}
