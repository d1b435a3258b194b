// Tests atomic replacement: content and mode land whole, no temp files are left, and a failed write keeps the old file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeFileAtomic } from './atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('replaces the file whole, with the requested mode, leaving no temp file', () => {
  const path = join(dir, 'a.json');
  writeFileSync(path, 'old');
  writeFileAtomic(path, '{"new":true}', 0o600);
  assert.equal(readFileSync(path, 'utf8'), '{"new":true}');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['a.json']);
});

test('a write into a missing directory fails and changes nothing', () => {
  assert.throws(() => writeFileAtomic(join(dir, 'missing', 'b.json'), 'x'), { code: 'ENOENT' });
  assert.deepEqual(readdirSync(dir), ['a.json']);
});

test('a rename onto a directory fails, keeps the directory and removes the temp file', () => {
  const target = join(dir, 'adir');
  mkdirSync(target);
  writeFileSync(join(target, 'keep'), 'kept');
  assert.throws(() => writeFileAtomic(target, 'x'));
  assert.equal(readFileSync(join(target, 'keep'), 'utf8'), 'kept');
  assert.deepEqual(readdirSync(dir).sort(), ['a.json', 'adir']);
});
