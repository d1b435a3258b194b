// Tests the systemd-boot EFI variables in efivarfs's byte format: encoding, reading, and writing as systemd does (immutable flag, one write).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeLoaderString, encodeLoaderString, readLoaderVariable, writeLoaderVariable } from './bootmgr-efivars.js';
import { efivarBytes, script, withFixture } from './bootmgr.test-support.js';

const STANDARD = ['rayos-1.0.conf', 'rayos-1.1+2-1.conf', 'rayos-recovery.conf'];

test('a loader string is 4 little-endian attribute bytes, then UTF-16LE text and a NUL; other shapes do not decode', () => {
  const bytes = encodeLoaderString('rayos-1.0.conf');
  assert.deepEqual([...bytes.subarray(0, 4)], [7, 0, 0, 0]);
  assert.equal(bytes.length, 4 + 2 * 'rayos-1.0.conf\0'.length);
  assert.deepEqual([...bytes.subarray(4, 8)], [0x72, 0, 0x61, 0]);
  assert.deepEqual([...bytes.subarray(-2)], [0, 0]);
  assert.equal(decodeLoaderString(bytes), 'rayos-1.0.conf');
  assert.equal(decodeLoaderString(efivarBytes('\\loader\\entries\\x+1.conf', 6)), '\\loader\\entries\\x+1.conf');
  assert.equal(decodeLoaderString(Buffer.from([6, 0, 0])), null);
  assert.equal(decodeLoaderString(Buffer.from([6, 0, 0, 0, 0x72])), null);
});

test(
  'variables read back as text, an absent one as null, and a malformed one is RAYOS_BOOTMGR_EFIVAR',
  withFixture(STANDARD, async (fixture) => {
    assert.deepEqual(await readLoaderVariable(fixture.efivars, 'LoaderEntryOneShot'), { ok: true, value: null });
    fixture.setVar('LoaderEntrySelected', 'rayos-1.1.conf');
    assert.deepEqual(await readLoaderVariable(fixture.efivars, 'LoaderEntrySelected'), { ok: true, value: 'rayos-1.1.conf' });
    writeFileSync(join(fixture.efivars, 'LoaderEntryDefault-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f'), Buffer.from([7, 0, 0, 0, 0x41]));
    const bad = await readLoaderVariable(fixture.efivars, 'LoaderEntryDefault');
    assert.ok(!bad.ok && bad.error.code === 'RAYOS_BOOTMGR_EFIVAR');
  }),
);

test(
  'a write replaces the whole variable (attributes 0x07), clearing the immutable flag first only when the file exists',
  withFixture(STANDARD, async (fixture) => {
    const log = join(fixture.root, 'chattr.log');
    const chattr = script(fixture, 'chattr', `echo "$@" >> ${log}; exit 1`);
    assert.ok((await writeLoaderVariable(fixture.efivars, 'LoaderEntryOneShot', 'rayos-recovery.conf', { chattr })).ok);
    assert.equal(existsSync(log), false, 'no chattr for a new variable');
    assert.deepEqual(fixture.rawVar('LoaderEntryOneShot'), efivarBytes('rayos-recovery.conf', 7));
    // A failing chattr (not efivarfs) is ignored; a shorter value leaves no tail of the longer one.
    assert.ok((await writeLoaderVariable(fixture.efivars, 'LoaderEntryOneShot', 'rayos-1.0.conf', { chattr })).ok);
    assert.equal(readFileSync(log, 'utf8'), `-i ${join(fixture.efivars, 'LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f')}\n`);
    assert.deepEqual(fixture.rawVar('LoaderEntryOneShot'), efivarBytes('rayos-1.0.conf', 7));
    const nowhere = await writeLoaderVariable(join(fixture.root, 'missing'), 'LoaderEntryOneShot', 'x', { chattr: null });
    assert.ok(!nowhere.ok && nowhere.error.code === 'RAYOS_BOOTMGR_EFIVAR' && /root/.test(nowhere.error.message));
  }),
);
