// Tests the installation media check on real files: tiny ISOs made with xorriso, and each kind of path that is not one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkInstallMedia, isoIdentifier } from './install-media.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-isocheck-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('checkInstallMedia', () => {
  const iso = join(dir, 'win11.iso');
  const joliet = join(dir, 'virtio-win.iso');
  before(() => {
    const content = join(dir, 'content');
    mkdirSync(content);
    writeFileSync(join(content, 'setup.exe'), 'not really\n');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'CCCOMA_X64', '-o', iso, content], { stdio: 'pipe' });
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-J', '-R', '-V', 'virtio-win', '-o', joliet, content], { stdio: 'pipe' });
  });

  test('an ISO 9660 image made by xorriso passes, with and without Joliet/Rock Ridge, and its normalised path comes back', async () => {
    const plain = await checkInstallMedia(iso, '--iso');
    assert.deepEqual(plain, { ok: true, value: iso });
    const withJoliet = await checkInstallMedia(joliet, '--drivers');
    assert.deepEqual(withJoliet, { ok: true, value: joliet });
    const unnormalised = await checkInstallMedia(`${dir}/./content/../win11.iso`, '--iso');
    assert.deepEqual(unnormalised, { ok: true, value: iso });
  });

  const refused = async (path: string, option: '--iso' | '--drivers', code: string, message: RegExp) => {
    const result = await checkInstallMedia(path, option);
    assert.equal(result.ok, false, `${path} is refused`);
    if (result.ok) return;
    assert.equal(result.error.code, code, result.error.message);
    assert.match(result.error.message, message);
    assert.ok(result.error.message.startsWith(option), 'the message names the option');
  };

  test('a missing path, a relative path and a path with a line break: RAYOS_WINDOWS_ISO_NOT_FOUND', async () => {
    await refused(join(dir, 'nope.iso'), '--iso', 'RAYOS_WINDOWS_ISO_NOT_FOUND', /there is no such file.*download it from Microsoft/);
    await refused(join(dir, 'win11.iso', 'inside'), '--iso', 'RAYOS_WINDOWS_ISO_NOT_FOUND', /no such file/);
    await refused('win11.iso', '--iso', 'RAYOS_WINDOWS_ISO_NOT_FOUND', /not an absolute path/);
    await refused(`${dir}/a\nb.iso`, '--drivers', 'RAYOS_WINDOWS_ISO_NOT_FOUND', /not an absolute path/);
    await refused(join(dir, 'gone.iso'), '--drivers', 'RAYOS_WINDOWS_ISO_NOT_FOUND', /virtio-win ISO/);
  });

  test('a directory and a FIFO: RAYOS_WINDOWS_ISO_UNREADABLE, and the FIFO does not hang the check', async () => {
    await refused(join(dir, 'content'), '--iso', 'RAYOS_WINDOWS_ISO_UNREADABLE', /is a directory; give the \.iso file itself/);
    const fifo = join(dir, 'pipe.iso');
    execFileSync('mkfifo', [fifo]);
    await refused(fifo, '--drivers', 'RAYOS_WINDOWS_ISO_UNREADABLE', /not a regular file/);
  });

  test('a file RayOS may not read: RAYOS_WINDOWS_ISO_UNREADABLE', async () => {
    if (process.getuid?.() === 0) {
      // root reads any mode; a write-only sysctl file refuses a read even to root.
      await refused('/proc/sys/vm/compact_memory', '--iso', 'RAYOS_WINDOWS_ISO_UNREADABLE', /cannot be read by RayOS \(EACCES\).*read access/);
    } else {
      const locked = join(dir, 'locked.iso');
      writeFileSync(locked, 'x');
      chmodSync(locked, 0o000);
      await refused(locked, '--iso', 'RAYOS_WINDOWS_ISO_UNREADABLE', /cannot be read by RayOS \(EACCES\)/);
    }
  });

  test('a text file, an empty file, a large file of zeros and a truncated ISO: RAYOS_WINDOWS_ISO_NOT_ISO', async () => {
    const text = join(dir, 'readme.iso');
    writeFileSync(text, 'This is not an ISO image.\n'.repeat(10));
    await refused(text, '--iso', 'RAYOS_WINDOWS_ISO_NOT_ISO', /does not look like an ISO image \(no ISO 9660 "CD001" or UDF descriptor at byte 32768; it is 260 bytes\)/);
    const empty = join(dir, 'empty.iso');
    writeFileSync(empty, '');
    await refused(empty, '--drivers', 'RAYOS_WINDOWS_ISO_NOT_ISO', /it is 0 bytes/);
    const zeros = join(dir, 'zeros.iso');
    writeFileSync(zeros, '');
    truncateSync(zeros, 4 * 1024 * 1024);
    await refused(zeros, '--iso', 'RAYOS_WINDOWS_ISO_NOT_ISO', /not a zip, a USB stick image or a partial download/);
    const cut = join(dir, 'cut.iso');
    writeFileSync(cut, '');
    execFileSync('cp', [iso, cut]);
    truncateSync(cut, 32_768);
    await refused(cut, '--iso', 'RAYOS_WINDOWS_ISO_NOT_ISO', /it is 32768 bytes/);
  });
});

describe('isoIdentifier', () => {
  const descriptor = (sector: number, id: string, length = 20 * 2048): Buffer => {
    const bytes = Buffer.alloc(length);
    bytes.write(id, sector * 2048 + 1, 'latin1');
    return bytes;
  };

  test("UDF-only images (no CD001) are recognised by BEA01 or NSR02/NSR03 in the descriptors from sector 16", () => {
    assert.equal(isoIdentifier(descriptor(0, 'BEA01')), 'BEA01');
    assert.equal(isoIdentifier(descriptor(1, 'NSR02')), 'NSR02');
    assert.equal(isoIdentifier(descriptor(2, 'NSR03')), 'NSR03');
    assert.equal(isoIdentifier(descriptor(3, 'CD001')), 'CD001');
  });

  test('nothing, an identifier at the wrong byte, and one past the sectors looked at are not ISOs', () => {
    assert.equal(isoIdentifier(Buffer.alloc(0)), null);
    assert.equal(isoIdentifier(Buffer.alloc(16 * 2048)), null);
    const shifted = Buffer.alloc(16 * 2048);
    shifted.write('CD001', 0, 'latin1');
    assert.equal(isoIdentifier(shifted), null);
    assert.equal(isoIdentifier(descriptor(16, 'CD001')), null);
    assert.equal(isoIdentifier(descriptor(0, 'CD001', 4)), null, 'a buffer cut inside the identifier');
  });
});
