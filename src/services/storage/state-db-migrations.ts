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
  {
    version: 2,
    // The VM registry: stable identity per VM. Owned by the vm service, kept here so the numbering stays one sequence.
    name: 'vm registry',
    sql: `
      CREATE TABLE vms (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('linux', 'windows')),
        created_at TEXT NOT NULL,
        config TEXT NOT NULL,
        stop_profile TEXT NOT NULL,
        desired_state TEXT NOT NULL,
        observed_state TEXT NOT NULL,
        observed_reason TEXT,
        saved_state_tag TEXT,
        boot_count INTEGER NOT NULL DEFAULT 0,
        instance TEXT,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    // The first journal sequence of each boot: `rayos log show --boot N` reads [this boot's, the next boot's) — by sequence, so clock changes across reboots do not matter.
    name: 'journal range of each boot',
    sql: `ALTER TABLE runtime_boots ADD COLUMN journal_first_seq INTEGER;`,
  },
];
