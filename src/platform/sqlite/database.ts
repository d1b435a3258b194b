// Owns opening the SQLite state database (WAL, foreign keys) and applying numbered migrations exactly once.
import Database from 'better-sqlite3';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';

export type SqliteDatabase = Database.Database;

export interface Migration {
  /** 1, 2, 3…: applied in order, each once, recorded in PRAGMA user_version. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export interface OpenedDatabase {
  readonly db: SqliteDatabase;
  readonly fromVersion: number;
  readonly toVersion: number;
}

export function openDatabase(path: string, migrations: readonly Migration[]): Result<OpenedDatabase, RayosError> {
  const known = checkMigrations(migrations);
  const latest = known.at(-1)?.version ?? 0;
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; FULL adds power-loss durability for the state db.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const fromVersion = db.pragma('user_version', { simple: true }) as number;
  if (fromVersion > latest) {
    db.close();
    return err(rayosError('RAYOS_STORAGE_DB_TOO_NEW', `${path} has schema version ${fromVersion}, but this RayOS knows only up to ${latest}; run a newer RayOS or restore a backup of the data directory.`));
  }
  for (const migration of known.filter((m) => m.version > fromVersion)) {
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (error) {
      db.close();
      return err(rayosError('RAYOS_STORAGE_MIGRATION_FAILED', `Migration ${migration.version} (${migration.name}) of ${path} failed: ${error instanceof Error ? error.message : String(error)}. The database was left at version ${migration.version - 1}.`));
    }
  }
  return ok({ db, fromVersion, toVersion: latest });
}

function checkMigrations(migrations: readonly Migration[]): readonly Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  // Numbering mistakes are programming errors: fail loudly in development, never at a user's data.
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
  return sorted;
}
