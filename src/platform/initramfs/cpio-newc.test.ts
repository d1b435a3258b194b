// Tests the newc cpio writer by parsing its output back: headers, names, data, padding, links, devices, trailer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeCpioNewc } from './cpio-newc.js';
import { parseCpio } from './cpio-newc.test-support.js';

test('entries come back with their kind, mode, content and order', () => {
  const archive = writeCpioNewc([
    { kind: 'dir', path: 'bin' },
    { kind: 'file', path: 'bin/busybox', data: Buffer.from('ELF...'), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: '/bin/busybox' },
    { kind: 'dir', path: 'dev' },
    { kind: 'chardev', path: '/dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'init', data: Buffer.from('#!/bin/sh\n') , mode: 0o755 },
    { kind: 'file', path: 'empty', data: new Uint8Array(0) },
  ]);
  const entries = parseCpio(archive);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['bin', 'bin/busybox', 'bin/sh', 'dev', 'dev/console', 'init', 'empty'],
  );
  const byName = new Map(entries.map((e) => [e.name, e]));
  assert.equal(byName.get('bin')?.mode, 0o040755);
  assert.equal(byName.get('bin')?.nlink, 2);
  assert.equal(byName.get('bin/busybox')?.mode, 0o100755);
  assert.equal(byName.get('bin/busybox')?.data.toString(), 'ELF...');
  assert.equal(byName.get('bin/sh')?.mode, 0o120777);
  assert.equal(byName.get('bin/sh')?.data.toString(), '/bin/busybox');
  assert.equal(byName.get('dev/console')?.mode, 0o020600);
  assert.deepEqual([byName.get('dev/console')?.rdevMajor, byName.get('dev/console')?.rdevMinor], [5, 1]);
  assert.equal(byName.get('empty')?.mode, 0o100644);
  assert.equal(byName.get('empty')?.data.length, 0);
  assert.ok(entries.every((e) => e.uid === 0 && e.mtime === 0), 'root-owned, time 0');
  assert.equal(new Set(entries.map((e) => e.ino)).size, entries.length, 'distinct inode numbers');
});

test('every name and data length from 0 to 8 bytes keeps the stream aligned', () => {
  const entries = [];
  for (let n = 1; n <= 8; n++) entries.push({ kind: 'file' as const, path: 'x'.repeat(n), data: Buffer.alloc(n - 1, n) });
  const parsed = parseCpio(writeCpioNewc(entries));
  assert.deepEqual(parsed.map((e) => [e.name.length, e.data.length]), entries.map((e) => [e.path.length, e.data.length]));
  for (const e of parsed) assert.ok(e.data.every((b) => b === e.name.length));
});

test('the same entries always give the same bytes', () => {
  const entries = [{ kind: 'file' as const, path: 'a', data: Buffer.from('1') }];
  assert.deepEqual(writeCpioNewc(entries), writeCpioNewc(entries));
});

test('paths that could escape or repeat are refused', () => {
  for (const path of ['', '/', 'a/../b', './a', 'a//b']) {
    assert.throws(() => writeCpioNewc([{ kind: 'dir', path }]), /bad cpio path/);
  }
  assert.throws(() => writeCpioNewc([{ kind: 'dir', path: 'a' }, { kind: 'dir', path: '/a' }]), /duplicate/);
});
