// Owns the storage service: the data dir lock and layout, the state database, and the journal every event and marker goes to.
import type { Result } from '../../base/result.js';
import type { BootSpan, Health, JournalRecord, NoteRequest } from '../../contracts/api-types.js';
import { RayosFailure, rayosError, type RayosError } from '../../contracts/errors.js';
import type { RayosEvent } from '../../contracts/events.js';
import type { MarkerRecord } from '../../contracts/markers.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import { writeFileAtomic } from '../../platform/fs/atomic-write.js';
import { openDatabase, type SqliteDatabase } from '../../platform/sqlite/database.js';
import { createLayout, dataLayout, type DataLayout } from './data-layout.js';
import { Journal, type JournalReadQuery } from './journal.js';
import { readBoots, selectBoot } from './journal-boots.js';
import { acquireRuntimeLock, type RuntimeLock } from './runtime-lock.js';
import { STATE_DB_MIGRATIONS } from './state-db-migrations.js';

export interface StorageOptions {
  readonly dataDir: string;
  readonly version: string;
}

export interface Storage {
  readonly layout: DataLayout;
  /** The state database; other services add their tables through migrations here. */
  database(): SqliteDatabase;
  /** Resolves once the note is durable; only then may the caller acknowledge it. */
  appendNote(note: NoteRequest): Promise<JournalRecord>;
  readJournal(query: JournalReadQuery): Promise<JournalRecord[]>;
  subscribeJournal(listener: (record: JournalRecord) => void): () => void;
  writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): void;
  bootCount(): number;
  /** The runtime boot a selector names (0 this one, -1 the one before, … or a boot id) and its journal range, for readJournal's afterSeq/beforeSeq. */
  findBoot(selector: string): Result<BootSpan, RayosError>;
}

export type StorageService = Service & Storage;

export function createStorageService(options: StorageOptions): StorageService {
  const layout = dataLayout(options.dataDir);
  let lock: RuntimeLock | null = null;
  let db: SqliteDatabase | null = null;
  let journal: Journal | null = null;
  let bootId: number | null = null;
  let bootCount = 0;
  let journalFailures = 0;
  let lastJournalFailure = '';
  const unsubscribers: (() => void)[] = [];

  const opened = <T>(value: T | null, what: string): T => {
    if (value === null) throw new RayosFailure(rayosError('RAYOS_JOURNAL_CLOSED', `The ${what} is not open (storage is not running).`));
    return value;
  };

  /** Events and markers are journaled without waiting: a failure is counted and shown in health, never thrown at the publisher. */
  const record = (entry: Parameters<Journal['append']>[0]): void => {
    journal?.append(entry).catch((error: unknown) => {
      journalFailures++;
      lastJournalFailure = error instanceof Error ? error.message : String(error);
    });
  };

  const release = async (): Promise<void> => {
    unsubscribers.splice(0).forEach((unsubscribe) => unsubscribe());
    await journal?.close();
    journal = null;
    db?.close();
    db = null;
    lock?.release();
    lock = null;
  };

  return {
    name: 'storage',
    dependsOn: [],
    layout,

    async start(ctx: ServiceContext) {
      try {
        createLayout(layout);
      } catch (error) {
        throw new RayosFailure(rayosError('RAYOS_RUNTIME_DATA_DIR', `Cannot create the data directory ${layout.root}: ${(error as Error).message}. Choose another with --data or RAYOS_DATA.`));
      }
      const locked = acquireRuntimeLock(layout.lockFile);
      if (!locked.ok) throw new RayosFailure(locked.error);
      lock = locked.value;
      try {
        if (lock.staleHolderPid !== null) ctx.markers.emit('RAYOS_RUNTIME', 'STALE_LOCK', lock.staleHolderPid);
        const database = openDatabase(layout.stateDb, STATE_DB_MIGRATIONS);
        if (!database.ok) throw new RayosFailure(database.error);
        db = database.value.db;
        if (database.value.fromVersion !== database.value.toVersion) ctx.markers.emit('RAYOS_STORAGE', 'MIGRATED', database.value.fromVersion, database.value.toVersion);
        bootId = Number(db.prepare('INSERT INTO runtime_boots (started_at, pid, version) VALUES (?, ?, ?)').run(new Date().toISOString(), process.pid, options.version).lastInsertRowid);
        bootCount = (db.prepare('SELECT COUNT(*) AS n FROM runtime_boots').get() as { n: number }).n;

        const { journal: opened, recovery } = await Journal.open({
          dir: layout.journalDir,
          ...ctx.config.journal,
          onNotice: (notice) => ctx.markers.emit('RAYOS_JOURNAL', notice.kind === 'rotated' ? 'ROTATED' : 'PRUNED', notice.segment),
        });
        journal = opened;
        if (recovery.truncated) {
          ctx.markers.emit('RAYOS_JOURNAL', 'TRUNCATED', recovery.truncated.bytes);
          ctx.bus.publish('journal.truncated', recovery.truncated);
        }
        for (const corrupt of recovery.corrupt) {
          ctx.markers.emit('RAYOS_JOURNAL', 'CORRUPT', corrupt.segment, corrupt.offset);
          ctx.bus.publish('journal.corrupted', corrupt);
        }
        ctx.markers.emit('RAYOS_JOURNAL', 'OPENED', recovery.nextSeq);
        // Every record of this boot, the replayed ones included, has a sequence from here on.
        db.prepare('UPDATE runtime_boots SET journal_first_seq = ? WHERE id = ?').run(recovery.nextSeq, bootId);
        // Replay: markers and events from before the journal opened are journaled too, in order.
        unsubscribers.push(
          ctx.markers.subscribe((marker: MarkerRecord) => record({ type: 'marker', data: { ...marker } }), { replay: true }),
          ctx.bus.subscribe(
            (event: RayosEvent) => {
              // A note.recorded event announces a record that is already in the journal; journaling it again would show every note twice.
              if (event.type !== 'note.recorded') record({ type: 'event', at: event.at, data: { seq: event.seq, type: event.type, data: event.data } });
              if (event.type === 'runtime.ready' && bootId !== null) db?.prepare('UPDATE runtime_boots SET ready_at = ? WHERE id = ?').run(event.at, bootId);
            },
            { afterSeq: 0 },
          ),
        );
      } catch (error) {
        await release();
        throw error;
      }
    },

    async stop(reason: string) {
      if (db !== null && bootId !== null) db.prepare('UPDATE runtime_boots SET stopped_at = ?, stop_reason = ? WHERE id = ?').run(new Date().toISOString(), reason, bootId);
      await release();
    },

    health(): Health {
      if (journal === null || db === null) return { status: 'failed', detail: 'not open' };
      if (journalFailures > 0) return { status: 'degraded', detail: `${journalFailures} journal appends failed; last: ${lastJournalFailure}` };
      return { status: 'ok', detail: `journal next seq ${journal.nextSeq}` };
    },

    database: () => opened(db, 'state database'),
    appendNote: (note) => opened(journal, 'journal').append({ type: 'note', data: { ...note } }),
    readJournal: (query) => opened(journal, 'journal').read(query),
    subscribeJournal: (listener) => opened(journal, 'journal').subscribe(listener),
    writeFileAtomic,
    // Only this runtime inserts boots (it holds the lock), so the count read at start stays true.
    bootCount: () => bootCount,
    findBoot: (selector) => selectBoot(readBoots(opened(db, 'state database')), opened(bootId, 'boot record'), selector),
  };
}
