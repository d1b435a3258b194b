// Owns the numbered schema migrations of the state database. Append new ones; never edit an applied one.
import type { Migration } from '../../platform/sqlite/database.js';

export const STATE_DB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runtime boots',
    sql: `
      CREATE TABLE runtime_boots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        pid INTEGER NOT NULL,
        version TEXT NOT NULL,
        ready_at TEXT,
        stopped_at TEXT,
        stop_reason TEXT
      );
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
];
