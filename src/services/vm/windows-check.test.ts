// Tests gathering the Windows check's facts on a host made to lack swtpm, OVMF and QEMU (an empty PATH and firmware directory).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WindowsCheckReportSchema } from '../../contracts/api-types.js';
import { runWindowsCheck } from './api.js';

const scratch = await mkdtemp(join(tmpdir(), 'rayos-windows-facts-'));
after(() => rm(scratch, { recursive: true, force: true }));

test('without swtpm, OVMF or QEMU every one of them is missing with its Debian package, and accel is none', async () => {
  const empty = join(scratch, 'empty');
  await mkdir(empty);
  const report = await runWindowsCheck({
    vmConfig: { linuxStorage: '', windowsStorage: '', qemuBinary: 'qemu-system-x86_64', accel: 'auto' },
    dataVmDir: join(scratch, 'data', 'vm'),
    searchPath: empty,
    ovmfDir: empty,
  });
  WindowsCheckReportSchema.parse(report);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  assert.equal(report.accel, 'none');
  assert.deepEqual(report.storage, { root: join(scratch, 'data', 'vm'), setting: null });
  assert.equal(byId.get('tpm')?.status, 'missing');
  assert.equal(byId.get('tpm')?.fix, 'sudo apt-get install swtpm swtpm-tools');
  assert.equal(byId.get('secure-boot')?.status, 'missing');
  assert.equal(byId.get('secure-boot')?.fix, 'sudo apt-get install ovmf');
  assert.equal(byId.get('accel')?.status, 'missing');
  assert.equal(byId.get('accel')?.fix, 'sudo apt-get install qemu-system-x86');
  // The data directory's vm/ need not exist yet: its nearest parent is measured.
  assert.match(byId.get('disk')?.detail ?? '', new RegExp(`GiB free at ${scratch}`));
});

test('a configured vm.accel is what the report says the VM runs on, whatever the probe finds', async () => {
  const report = await runWindowsCheck({ vmConfig: { linuxStorage: '', windowsStorage: '', qemuBinary: 'qemu-system-x86_64', accel: 'tcg' }, dataVmDir: join(scratch, 'tcg', 'vm') });
  assert.equal(report.accel, 'tcg');
  const accel = report.checks.find((c) => c.id === 'accel');
  assert.equal(accel?.status, 'warn');
  assert.match(accel?.detail ?? '', /^vm\.accel = tcg: every VM runs under TCG/);
});
