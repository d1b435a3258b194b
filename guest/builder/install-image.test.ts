// Tests installing a cached image into a data dir: hardlinked files, `current` written atomically, repeat installs, damage.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { GuestManifest } from './cache-key.js';
import { installLinuxGuest, linuxImagesDir, readManifest } from './install-image.js';

const root = mkdtempSync(join(tmpdir(), 'rayos-install-'));
after(() => rmSync(root, { recursive: true, force: true }));

function fakeCacheEntry(key: string): string {
  const dir = join(root, 'cache', key);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vmlinuz'), `kernel of ${key}`);
  writeFileSync(join(dir, 'initrd.img'), `initrd of ${key}`);
  const manifest: GuestManifest = {
    key,
    builderVersion: 1,
    kernelPackage: 'linux-image-6.1.0-56-amd64',
    kernelPackageVersion: '6.1.192-2',
    kernelVersion: '6.1.0-56-amd64',
    kernelFormat: 'elf-pvh',
    busyboxVersion: '1:1.35.0-4',
    agentSha256: 'a'.repeat(64),
    modules: ['virtio_ring'],
    displayModules: [],
    kernelCmdline: 'console=ttyS0 quiet',
    agentPort: 'org.rayos.agent.0',
    builtAt: new Date(0).toISOString(),
    files: { kernel: 'vmlinuz', initrd: 'initrd.img' },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

test('installs hardlinks under images/linux/<key>/ and points current at it, with the cmdline', async () => {
  const data = join(root, 'data1');
  const source = fakeCacheEntry('linux-test-aaaa');
  const done = await installLinuxGuest(data, source);
  assert.ok(done.ok);
  assert.equal(done.value.dir, join(linuxImagesDir(data), 'linux-test-aaaa'));
  assert.ok(done.value.copied);
  for (const f of ['vmlinuz', 'initrd.img', 'manifest.json']) {
    assert.equal(statSync(join(done.value.dir, f)).ino, statSync(join(source, f)).ino, `${f} is a hardlink`);
  }
  assert.deepEqual(JSON.parse(readFileSync(join(linuxImagesDir(data), 'current'), 'utf8')), { key: 'linux-test-aaaa', cmdline: 'console=ttyS0 quiet' });
  assert.deepEqual(readdirSync(linuxImagesDir(data)).sort(), ['current', 'linux-test-aaaa'], 'no temp folders or files left');
});

test('installing again keeps the folder; installing another key switches current and keeps the old image', async () => {
  const data = join(root, 'data2');
  assert.ok((await installLinuxGuest(data, fakeCacheEntry('linux-test-bbbb'))).ok);
  const again = await installLinuxGuest(data, join(root, 'cache', 'linux-test-bbbb'));
  assert.ok(again.ok);
  assert.equal(again.value.copied, false);
  const next = await installLinuxGuest(data, fakeCacheEntry('linux-test-cccc'));
  assert.ok(next.ok);
  assert.equal(JSON.parse(readFileSync(join(linuxImagesDir(data), 'current'), 'utf8')).key, 'linux-test-cccc');
  assert.deepEqual(readdirSync(linuxImagesDir(data)).sort(), ['current', 'linux-test-bbbb', 'linux-test-cccc']);
});

test('a damaged installed folder (no valid manifest) is replaced whole', async () => {
  const data = join(root, 'data3');
  const target = join(linuxImagesDir(data), 'linux-test-dddd');
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'vmlinuz'), 'half-copied');
  const done = await installLinuxGuest(data, fakeCacheEntry('linux-test-dddd'));
  assert.ok(done.ok);
  assert.equal(readFileSync(join(target, 'vmlinuz'), 'utf8'), 'kernel of linux-test-dddd');
  assert.ok((await readManifest(target)).ok);
});

test('a source without a valid manifest is refused with RAYOS_GUEST_IMAGE_MISSING and installs nothing', async () => {
  const data = join(root, 'data4');
  const source = join(root, 'cache', 'broken');
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'manifest.json'), '{"key":"../../etc"}');
  const done = await installLinuxGuest(data, source);
  assert.ok(!done.ok);
  assert.equal(done.error.code, 'RAYOS_GUEST_IMAGE_MISSING');
  assert.throws(() => readdirSync(linuxImagesDir(data)));
});
