// Tests making a VM data disk with the real mke2fs and qemu-img.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createDataDisk, MIN_DATA_DISK_MIB } from './data-disk.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-disk-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a data disk is a qcow2 of the asked size holding ext4 labelled rayos-data, and no work files stay behind', async () => {
  const path = join(dir, 'data.qcow2');
  const made = await createDataDisk(path, 32);
  assert.ok(made.ok, made.ok ? '' : made.error.message);
  const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', path], { encoding: 'utf8' })) as { format: string; 'virtual-size': number };
  assert.equal(info.format, 'qcow2');
  assert.equal(info['virtual-size'], 32 * 1024 * 1024);
  const raw = join(dir, 'check.raw');
  execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', path, raw]);
  const fs = execFileSync('blkid', ['-o', 'export', raw], { encoding: 'utf8' });
  assert.match(fs, /^TYPE=ext4$/m);
  assert.match(fs, /^LABEL=rayos-data$/m);
  rmSync(raw);
  assert.deepEqual(readdirSync(dir), ['data.qcow2']);
});

test('a size out of range is RAYOS_VM_DISK_FAILED and writes nothing', async () => {
  for (const size of [0, MIN_DATA_DISK_MIB - 1, 1.5, Number.NaN]) {
    const path = join(dir, `bad-${String(size)}.qcow2`);
    const made = await createDataDisk(path, size);
    assert.equal(made.ok, false);
    if (made.ok) continue;
    assert.equal(made.error.code, 'RAYOS_VM_DISK_FAILED');
    assert.match(made.error.message, /whole number of MiB/);
    assert.equal(existsSync(path), false);
  }
});

test('a directory that does not exist is RAYOS_VM_DISK_FAILED naming it', async () => {
  const made = await createDataDisk(join(dir, 'missing', 'data.qcow2'), 32);
  assert.equal(made.ok, false);
  if (!made.ok) {
    assert.equal(made.error.code, 'RAYOS_VM_DISK_FAILED');
    assert.match(made.error.message, /missing/);
  }
});
