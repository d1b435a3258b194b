// Tests migrations: applied once, in order, atomically; a database from a newer RayOS is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDatabase, type Migration } from './database.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const m1: Migration = { version: 1, name: 'things', sql: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)' };
const m2: Migration = { version: 2, name: 'colour', sql: 'ALTER TABLE things ADD COLUMN colour TEXT' };

test('migrations apply once and in order, in WAL mode', () => {
  const path = join(dir, 'a.db');
  const first = openDatabase(path, [m1]);
  assert.ok(first.ok);
  assert.deepEqual([first.value.fromVersion, first.value.toVersion], [0, 1]);
  assert.equal(first.value.db.pragma('journal_mode', { simple: true }), 'wal');
  first.value.db.prepare('INSERT INTO things (name) VALUES (?)').run('kept');
  first.value.db.close();
  const second = openDatabase(path, [m2, m1]);
  assert.ok(second.ok);
  assert.deepEqual([second.value.fromVersion, second.value.toVersion], [1, 2]);
  assert.deepEqual(second.value.db.prepare('SELECT name, colour FROM things').all(), [{ name: 'kept', colour: null }]);
  second.value.db.close();
});

test('a failing migration rolls back and is reported; the database stays at the previous version', () => {
  const path = join(dir, 'b.db');
  const broken: Migration = { version: 2, name: 'broken', sql: 'ALTER TABLE things ADD COLUMN x TEXT; ALTER TABLE nope ADD COLUMN y TEXT' };
  const opened = openDatabase(path, [m1, broken]);
  assert.ok(!opened.ok);
  assert.equal(opened.error.code, 'RAYOS_STORAGE_MIGRATION_FAILED');
  const again = openDatabase(path, [m1]);
  assert.ok(again.ok);
  assert.equal(again.value.fromVersion, 1);
  assert.equal((again.value.db.prepare('PRAGMA table_info(things)').all() as { name: string }[]).some((c) => c.name === 'x'), false);
  again.value.db.close();
});

test('a database newer than this RayOS is refused, not downgraded', () => {
  const path = join(dir, 'c.db');
  const opened = openDatabase(path, [m1, m2]);
  assert.ok(opened.ok);
  opened.value.db.close();
  const older = openDatabase(path, [m1]);
  assert.ok(!older.ok);
  assert.equal(older.error.code, 'RAYOS_STORAGE_DB_TOO_NEW');
});

test('gaps in migration numbers are a programming error', () => {
  assert.throws(() => openDatabase(join(dir, 'd.db'), [m2]), /numbered 1\.\.n/);
});
