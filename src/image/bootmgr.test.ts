// Tests the boot manager logic against a real temp ESP and efivars directory: list/status, bless, set-next.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEntryListing } from './boot-entries.js';
import { blessCurrentBoot, bootStatus, countedFileName, explainNext, findEntry, listBootEntries, nextBoot, resolveEsp, setNextBoot } from './bootmgr.js';
import { bootedCounted, efivarBytes, script, withFixture } from './bootmgr.test-support.js';

const STANDARD = ['rayos-1.0.conf', 'rayos-1.1+2-1.conf', 'rayos-recovery.conf'];

test(
  'the ESP is the one given (it must hold loader/entries), else the first default candidate that does',
  withFixture(STANDARD, async (fixture) => {
    assert.deepEqual(await resolveEsp(fixture.esp), { ok: true, value: fixture.esp });
    const given = await resolveEsp(fixture.efivars);
    assert.ok(!given.ok && given.error.code === 'RAYOS_BOOTMGR_NO_ESP' && given.error.message.includes('--esp'));
    assert.deepEqual(await resolveEsp(undefined, [fixture.efivars, fixture.esp]), { ok: true, value: fixture.esp });
    const none = await resolveEsp(undefined, [fixture.efivars, join(fixture.root, 'nope')]);
    assert.ok(!none.ok && none.error.code === 'RAYOS_BOOTMGR_NO_ESP' && none.error.message.includes(fixture.efivars));
  }),
);

test(
  'list: boot order, the booted entry from LoaderBootCountPath, next by order, then one-shot, then LoaderEntryDefault',
  withFixture([...STANDARD, 'rayos-0.9+0-3.conf'], async (fixture) => {
    bootedCounted(fixture, 'rayos-1.1+2-1.conf', 'rayos-1.1.conf');
    const listed = await listBootEntries(fixture);
    assert.ok(listed.ok);
    assert.deepEqual(
      listed.value.entries.map((e) => [e.id, e.fileName, e.state, e.triesLeft, e.triesDone, e.booted, e.next]),
      [
        ['rayos-1.1.conf', 'rayos-1.1+2-1.conf', 'indeterminate', 2, 1, true, true],
        ['rayos-1.0.conf', 'rayos-1.0.conf', 'good', null, null, false, false],
        ['rayos-recovery.conf', 'rayos-recovery.conf', 'good', null, null, false, false],
        ['rayos-0.9.conf', 'rayos-0.9+0-3.conf', 'bad', 0, 3, false, false],
      ],
    );
    assert.deepEqual(listed.value.next, { id: 'rayos-1.1.conf', reason: 'boot-order' });
    assert.equal(listed.value.uefi, true);
    fixture.setVar('LoaderEntryDefault', 'rayos-1.0.conf');
    const withDefault = await listBootEntries(fixture);
    assert.ok(withDefault.ok);
    assert.deepEqual(withDefault.value.next, { id: 'rayos-1.0.conf', reason: 'default' });
    fixture.setVar('LoaderEntryOneShot', 'rayos-recovery.conf');
    const withOneShot = await listBootEntries(fixture);
    assert.ok(withOneShot.ok);
    assert.deepEqual(withOneShot.value.next, { id: 'rayos-recovery.conf', reason: 'one-shot' });
    assert.deepEqual(withOneShot.value.entries.filter((e) => e.next).map((e) => e.id), ['rayos-recovery.conf']);
    // A one-shot naming an entry that is not on the ESP is ignored, as systemd-boot ignores it.
    fixture.setVar('LoaderEntryOneShot', 'rayos-7.conf');
    const stale = await listBootEntries(fixture);
    assert.ok(stale.ok && stale.value.next?.reason === 'default');
  }),
);

test(
  'list works from the ESP alone without UEFI; status, bless and set-next say RAYOS_BOOTMGR_NO_UEFI',
  withFixture(STANDARD, async (fixture) => {
    const paths = { esp: fixture.esp, efivars: join(fixture.root, 'no-efivars') };
    const listed = await listBootEntries(paths);
    assert.ok(listed.ok);
    assert.equal(listed.value.uefi, false);
    assert.equal(listed.value.selected, null);
    assert.ok(listed.value.entries.every((e) => !e.booted));
    assert.deepEqual(listed.value.next, { id: 'rayos-1.1.conf', reason: 'boot-order' });
    for (const result of [await bootStatus(paths), await blessCurrentBoot(paths), await setNextBoot({ ...paths, entry: 'recovery' })]) {
      assert.ok(!result.ok && result.error.code === 'RAYOS_BOOTMGR_NO_UEFI', JSON.stringify(result));
    }
    assert.equal(existsSync(paths.efivars), false);
  }),
);

test(
  'status reports the booted entry and whether it is blessed; a boot not through systemd-boot is RAYOS_BOOTMGR_NOT_LOADER_BOOT',
  withFixture(STANDARD, async (fixture) => {
    const none = await bootStatus(fixture);
    assert.ok(!none.ok && none.error.code === 'RAYOS_BOOTMGR_NOT_LOADER_BOOT');
    bootedCounted(fixture, 'rayos-1.1+2-1.conf', 'rayos-1.1.conf');
    const before = await bootStatus(fixture);
    assert.ok(before.ok);
    assert.equal(before.value.booted?.fileName, 'rayos-1.1+2-1.conf');
    assert.equal(before.value.blessed, false);
    assert.equal(before.value.next?.reason, 'boot-order');
    assert.match(before.value.nextWhy, /2 tries left; it is not blessed yet/);
    assert.ok((await blessCurrentBoot(fixture)).ok);
    const after = await bootStatus(fixture);
    assert.ok(after.ok);
    assert.equal(after.value.blessed, true);
    assert.equal(after.value.booted?.fileName, 'rayos-1.1.conf');
    assert.equal(after.value.booted?.state, 'good');
  }),
);

test(
  'bless renames the counted file LoaderBootCountPath names to the plain name; again, it is already blessed',
  withFixture(STANDARD, async (fixture) => {
    bootedCounted(fixture, 'rayos-1.1+2-1.conf', 'rayos-1.1.conf');
    const blessed = await blessCurrentBoot(fixture);
    assert.deepEqual(blessed, { ok: true, value: { id: 'rayos-1.1.conf', fileName: 'rayos-1.1.conf', renamedFrom: 'rayos-1.1+2-1.conf', alreadyBlessed: false, via: 'rename' } });
    assert.deepEqual(fixture.entries(), ['debian.conf', 'rayos-1.0.conf', 'rayos-1.1.conf', 'rayos-recovery.conf']);
    assert.equal(readFileSync(join(fixture.entriesDir, 'rayos-1.1.conf'), 'utf8'), 'title rayos-1.1+2-1.conf\n', 'the same file, renamed');
    const again = await blessCurrentBoot(fixture);
    assert.ok(again.ok && again.value.alreadyBlessed && again.value.renamedFrom === null);
  }),
);

test(
  'bless: an uncounted boot is already blessed; a missing file, a foreign path or no loader boot is refused',
  withFixture(STANDARD, async (fixture) => {
    assert.equal((await blessCurrentBoot(fixture)).ok, false);
    fixture.setVar('LoaderEntrySelected', 'rayos-1.0.conf');
    const plain = await blessCurrentBoot(fixture);
    assert.ok(plain.ok && plain.value.alreadyBlessed && plain.value.id === 'rayos-1.0.conf');
    for (const path of ['\\loader\\entries\\rayos-2.0+1-2.conf', '\\EFI\\Linux\\rayos-1.1+2-1.efi', '\\loader\\entries\\debian+1.conf']) {
      fixture.setVar('LoaderBootCountPath', path);
      const refused = await blessCurrentBoot(fixture);
      assert.ok(!refused.ok && refused.error.code === 'RAYOS_BOOTMGR_BLESS_FAILED', path);
    }
    assert.deepEqual(fixture.entries(), ['debian.conf', ...STANDARD].sort());
  }),
);

test(
  'an entry with no tries left that was booted (through set-next) and reached bless is blessed, as systemd-bless-boot does',
  withFixture(['rayos-1.0.conf', 'rayos-1.1+0-4.conf', 'rayos-recovery.conf'], async (fixture) => {
    bootedCounted(fixture, 'rayos-1.1+0-4.conf', 'rayos-1.1.conf');
    const blessed = await blessCurrentBoot(fixture);
    assert.ok(blessed.ok && blessed.value.fileName === 'rayos-1.1.conf');
    assert.ok(fixture.entries().includes('rayos-1.1.conf'));
  }),
);

test(
  'bless through a bless program: it must leave the counted name gone, else RAYOS_BOOTMGR_BLESS_FAILED',
  withFixture(STANDARD, async (fixture) => {
    bootedCounted(fixture, 'rayos-1.1+2-1.conf', 'rayos-1.1.conf');
    const failing = script(fixture, 'bless-fails', 'echo "no ESP found" >&2; exit 1');
    const refused = await blessCurrentBoot({ ...fixture, blessProgram: failing });
    assert.ok(!refused.ok && refused.error.code === 'RAYOS_BOOTMGR_BLESS_FAILED' && refused.error.message.includes('no ESP found'));
    const lazy = script(fixture, 'bless-noop', 'exit 0');
    assert.equal((await blessCurrentBoot({ ...fixture, blessProgram: lazy })).ok, false);
    assert.ok(fixture.entries().includes('rayos-1.1+2-1.conf'));
    const dir = fixture.entriesDir;
    const good = script(fixture, 'bless-good', `[ "$1" = good ] && mv "${dir}/rayos-1.1+2-1.conf" "${dir}/rayos-1.1.conf"`);
    const blessed = await blessCurrentBoot({ ...fixture, blessProgram: good });
    assert.ok(blessed.ok && blessed.value.via === 'systemd-bless-boot' && blessed.value.renamedFrom === 'rayos-1.1+2-1.conf');
  }),
);

test('set-next choices: id with or without .conf, file name, version, recovery; unknown lists what exists', () => {
  const entries = parseEntryListing(['rayos-1.0.conf', 'rayos-1.1+2-1.conf', 'rayos-recovery.conf']);
  const pick = (choice: string) => {
    const found = findEntry(entries, choice);
    return found.ok ? found.value.fileName : found.error.code;
  };
  assert.equal(pick('rayos-1.1.conf'), 'rayos-1.1+2-1.conf');
  assert.equal(pick('rayos-1.1'), 'rayos-1.1+2-1.conf');
  assert.equal(pick('rayos-1.1+2-1.conf'), 'rayos-1.1+2-1.conf');
  assert.equal(pick('1.0'), 'rayos-1.0.conf');
  assert.equal(pick('Recovery'), 'rayos-recovery.conf');
  assert.equal(pick('rayos-recovery.conf'), 'rayos-recovery.conf');
  const unknown = findEntry(entries, '2.0');
  assert.ok(!unknown.ok && unknown.error.code === 'RAYOS_BOOTMGR_UNKNOWN_ENTRY');
  assert.equal(unknown.error.message, 'No boot entry "2.0": choose one of rayos-1.1.conf (version 1.1), rayos-1.0.conf (version 1.0), recovery.');
  const noRecovery = findEntry(parseEntryListing(['rayos-1.0.conf']), 'recovery');
  assert.ok(!noRecovery.ok && /^There is no recovery entry \(rayos-recovery\.conf\).*rayos-1\.0\.conf/.test(noRecovery.error.message));
});

test(
  'set-next writes LoaderEntryOneShot with the entry file name as it is now (systemd-boot 252 ids keep the counter); an unknown entry writes nothing',
  withFixture(STANDARD, async (fixture) => {
    const unknown = await setNextBoot({ ...fixture, entry: '9.9', chattr: null });
    assert.ok(!unknown.ok && unknown.error.code === 'RAYOS_BOOTMGR_UNKNOWN_ENTRY');
    assert.equal(fixture.rawVar('LoaderEntryOneShot'), null);
    const set = await setNextBoot({ ...fixture, entry: '1.1', chattr: null });
    assert.ok(set.ok && set.value.id === 'rayos-1.1+2-1.conf');
    assert.deepEqual(fixture.rawVar('LoaderEntryOneShot'), efivarBytes('rayos-1.1+2-1.conf', 7));
    const listed = await listBootEntries(fixture);
    assert.ok(listed.ok && listed.value.next?.reason === 'one-shot' && listed.value.oneShot === 'rayos-1.1+2-1.conf');
  }),
);

test('with every entry out of tries systemd-boot boots the first anyway, and the reason says to use recovery', () => {
  const entries = parseEntryListing(['rayos-1.0+0-3.conf', 'rayos-1.1+0-3.conf']);
  const next = nextBoot(entries, { oneShot: null, defaultEntry: null });
  assert.equal(next?.entry.fileName, 'rayos-1.1+0-3.conf');
  assert.match(explainNext(next, entries), /rayos recovery/);
  assert.equal(nextBoot([], { oneShot: null, defaultEntry: null }), null);
  const fallback = parseEntryListing(['rayos-1.0.conf', 'rayos-1.1+0-3.conf']);
  assert.match(explainNext(nextBoot(fallback, { oneShot: null, defaultEntry: null }), fallback), /^rayos-1\.0\.conf is the first good entry .*rayos-1\.1\+0-3\.conf used up its tries/);
});

test('LoaderBootCountPath names a file in \\loader\\entries; any other place is not a counted entry', () => {
  assert.equal(countedFileName('\\loader\\entries\\rayos-1.0+2-1.conf'), 'rayos-1.0+2-1.conf');
  assert.equal(countedFileName('/loader/entries/rayos-1.0+2-1.conf'), 'rayos-1.0+2-1.conf');
  assert.equal(countedFileName('\\EFI\\Linux\\rayos.efi'), null);
  assert.equal(countedFileName('\\loader\\entries\\..'), null);
  assert.equal(countedFileName('\\loader\\entries\\a\\b.conf'), null);
});
