// Tests the systemd-boot entry names, texts and renames RayOS relies on for boot counting and recovery.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bless,
  compareVersions,
  countedEntryName,
  loaderEntryId,
  nextAfterFailure,
  parseEntryListing,
  parseEntryName,
  predictedBoot,
  RECOVERY_FILE_NAME,
  renderLoaderConf,
  renderRecoveryEntry,
  renderSystemEntry,
} from './boot-entries.js';

const UUID = '0b3c1a7e-5f0d-4c1e-9a7b-2d4e6f8a0b1c';

test('a new entry is counted with three tries, and a version with "+" or spaces is refused', () => {
  assert.deepEqual(countedEntryName('1.2.0'), { ok: true, value: 'rayos-1.2.0+3.conf' });
  for (const version of ['1+2', '1 2', '', '../x', 'a/b']) {
    const named = countedEntryName(version);
    assert.ok(!named.ok && named.error.code === 'RAYOS_IMAGE_BAD_BOOT_ENTRY', version);
  }
});

test('a system entry has title, sort-key, version, linux, initrd and root=PARTUUID options', () => {
  const text = renderSystemEntry({ version: '1.2.0', linux: '/rayos/1.2.0/vmlinuz', initrd: ['/rayos/1.2.0/initrd.img'], rootPartUuid: UUID.toUpperCase(), extraOptions: ['quiet'] });
  assert.ok(text.ok);
  assert.equal(
    text.value,
    ['title RayOS 1.2.0', 'sort-key rayos', 'version 1.2.0', 'linux /rayos/1.2.0/vmlinuz', 'initrd /rayos/1.2.0/initrd.img', `options root=PARTUUID=${UUID} rw quiet`, ''].join('\n'),
  );
  const noUuid = renderSystemEntry({ version: '1', linux: '/v', initrd: [], rootPartUuid: 'LABEL=root' });
  assert.ok(!noUuid.ok && /PARTUUID/.test(noUuid.error.message));
  const badPath = renderSystemEntry({ version: '1', linux: '/a b', initrd: [], rootPartUuid: UUID });
  assert.ok(!badPath.ok);
  const badOption = renderSystemEntry({ version: '1', linux: '/v', initrd: [], rootPartUuid: UUID, extraOptions: ['a b'] });
  assert.ok(!badOption.ok);
});

test('the recovery entry sorts by its own key and is never counted', () => {
  const text = renderRecoveryEntry({ linux: '/rayos/recovery/vmlinuz', initrd: ['/rayos/recovery/initrd.img'], options: ['rayos.mode=recovery'] });
  assert.ok(text.ok);
  assert.match(text.value, /^sort-key rayos-recovery$/m);
  assert.doesNotMatch(text.value, /^version /m);
  assert.equal(parseEntryName(RECOVERY_FILE_NAME)?.kind, 'recovery');
  assert.equal(parseEntryName('rayos-recovery+3.conf'), null);
});

test('loader.conf has a timeout and no default line', () => {
  const conf = renderLoaderConf(3);
  assert.ok(conf.ok);
  assert.match(conf.value, /^timeout 3$/m);
  assert.match(conf.value, /^editor no$/m);
  assert.doesNotMatch(conf.value, /^default/m);
  assert.ok(!renderLoaderConf(-1).ok);
});

test('names parse into good, indeterminate with tries left, and bad with none left; other files are ignored', () => {
  assert.deepEqual(parseEntryName('rayos-1.2.0.conf'), { fileName: 'rayos-1.2.0.conf', id: 'rayos-1.2.0', kind: 'system', version: '1.2.0', state: 'good', triesLeft: null, triesDone: null });
  assert.deepEqual(parseEntryName('rayos-1.2.0+3.conf'), { fileName: 'rayos-1.2.0+3.conf', id: 'rayos-1.2.0', kind: 'system', version: '1.2.0', state: 'indeterminate', triesLeft: 3, triesDone: 0 });
  assert.equal(parseEntryName('rayos-1.2.0+1-2.conf')?.state, 'indeterminate');
  assert.deepEqual(parseEntryName('rayos-1.2.0+0-3.conf')?.state, 'bad');
  for (const other of ['debian.conf', 'rayos-1.2.0.txt', 'rayos-.conf', 'rayos-1+x.conf', 'sub/rayos-1.conf']) assert.equal(parseEntryName(other), null, other);
  const listing = parseEntryListing(['debian.conf', RECOVERY_FILE_NAME, 'rayos-1.0.0.conf', 'rayos-1.1.0+2-1.conf']);
  assert.deepEqual(
    listing.map((e) => e.fileName),
    ['rayos-1.1.0+2-1.conf', 'rayos-1.0.0.conf', RECOVERY_FILE_NAME],
  );
});

test('three failed boots move the entry to bad, and then recovery boots', () => {
  const start = countedEntryName('2.0.0');
  assert.ok(start.ok);
  let name = start.value;
  const seen: string[] = [];
  for (let boot = 0; boot < 3; boot += 1) {
    assert.equal(predictedBoot([name, RECOVERY_FILE_NAME])?.fileName, name);
    const next = nextAfterFailure(name);
    assert.ok(next.ok);
    name = next.value.fileName;
    seen.push(name);
  }
  assert.deepEqual(seen, ['rayos-2.0.0+2-1.conf', 'rayos-2.0.0+1-2.conf', 'rayos-2.0.0+0-3.conf']);
  assert.equal(parseEntryName(name)?.state, 'bad');
  const again = nextAfterFailure(name);
  assert.ok(again.ok && again.value.fileName === name);
  assert.equal(predictedBoot([name, RECOVERY_FILE_NAME])?.kind, 'recovery');
});

test('an update that never reaches READY falls back to the previous blessed slot, not recovery', () => {
  assert.equal(predictedBoot(['rayos-1.0.0.conf', 'rayos-1.1.0+3.conf', RECOVERY_FILE_NAME])?.fileName, 'rayos-1.1.0+3.conf');
  assert.equal(predictedBoot(['rayos-1.0.0.conf', 'rayos-1.1.0+0-3.conf', RECOVERY_FILE_NAME])?.fileName, 'rayos-1.0.0.conf');
});

test('bless gives the plain name; a blessed name stays; a bad or foreign name is refused', () => {
  assert.deepEqual(bless('rayos-1.2.0+2-1.conf'), { ok: true, value: 'rayos-1.2.0.conf' });
  assert.deepEqual(bless('rayos-1.2.0.conf'), { ok: true, value: 'rayos-1.2.0.conf' });
  assert.deepEqual(bless(RECOVERY_FILE_NAME), { ok: true, value: RECOVERY_FILE_NAME });
  const badEntry = bless('rayos-1.2.0+0-3.conf');
  assert.ok(!badEntry.ok && badEntry.error.code === 'RAYOS_IMAGE_BAD_BOOT_ENTRY');
  assert.ok(!bless('debian.conf').ok);
});

test("systemd-boot's entry id drops the boot counter and keeps .conf", () => {
  const ids = ['rayos-1.2.0+2-1.conf', 'rayos-1.2.0+0-3.conf', 'rayos-1.2.0.conf', RECOVERY_FILE_NAME].map((name) => {
    const info = parseEntryName(name);
    assert.ok(info, name);
    return loaderEntryId(info);
  });
  assert.deepEqual(ids, ['rayos-1.2.0.conf', 'rayos-1.2.0.conf', 'rayos-1.2.0.conf', 'rayos-recovery.conf']);
});

test('versions compare digit runs as numbers', () => {
  assert.ok(compareVersions('1.10.0', '1.9.0') > 0);
  assert.ok(compareVersions('1.0', '1.0.1') < 0);
  assert.equal(compareVersions('2.0', '2.0'), 0);
});
