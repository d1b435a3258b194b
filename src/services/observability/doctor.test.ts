// Tests the real doctor on this machine, and with a search path that holds no QEMU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DoctorReportSchema, type DoctorReport } from '../../contracts/api-types.js';
import { probeAccelerator } from '../../platform/qemu/accel-probe.js';
import { runDoctor } from './api.js';

const PROBE_DEADLINE_MS = 4000;
/** The doctor promises to end soon after the probe deadline even when a program hangs. */
const DOCTOR_BOUND_MS = PROBE_DEADLINE_MS + 2500;

const scratch = await mkdtemp(join(tmpdir(), 'rayos-doctor-test-'));
test.after(() => rm(scratch, { recursive: true, force: true }));

function assertWellFormed(report: DoctorReport): void {
  DoctorReportSchema.parse(report);
  const ids = report.checks.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, `ids are unique: ${ids.join(',')}`);
  for (const check of report.checks) {
    if (check.status !== 'ok') assert.ok(check.fix !== undefined && check.fix !== '', `${check.id} (${check.status}) has a fix`);
    assert.ok(check.detail !== '', `${check.id} has a detail`);
  }
}

const byId = (report: DoctorReport, id: string) => {
  const check = report.checks.find((c) => c.id === id);
  assert.ok(check !== undefined, `check ${id} is in the report`);
  return check;
};

test('the real doctor on this machine gives a well-formed report within its bound', async () => {
  const started = performance.now();
  const report = await runDoctor({ dataDir: scratch, probeDeadlineMs: PROBE_DEADLINE_MS });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < DOCTOR_BOUND_MS, `took ${Math.round(elapsed)} ms`);
  assertWellFormed(report);
  for (const id of ['node', 'qemu-system', 'qemu-img', 'ovmf', 'swtpm', 'chromium', 'accel', 'disk']) byId(report, id);
  assert.equal(byId(report, 'node').status, 'ok');
  assert.match(byId(report, 'disk').detail, /GiB free/);
});

test('the report accel agrees with probeAccelerator', async () => {
  const [report, probe] = await Promise.all([
    runDoctor({ dataDir: scratch, probeDeadlineMs: PROBE_DEADLINE_MS }),
    probeAccelerator({ deadlineMs: PROBE_DEADLINE_MS }),
  ]);
  if (probe.reason === 'qemu-missing') assert.equal(report.accel, 'none');
  else {
    assert.equal(report.accel, probe.accel);
    const accel = byId(report, 'accel');
    assert.equal(accel.status, 'ok');
    assert.match(accel.detail, probe.accel === 'kvm' ? /^KVM runs guests/ : new RegExp(`^TCG will be used: ${probe.reason}`));
  }
});

test('a data directory that does not exist yet is measured at its nearest existing parent', async () => {
  const report = await runDoctor({ dataDir: join(scratch, 'not', 'yet', 'made'), probeDeadlineMs: PROBE_DEADLINE_MS });
  assertWellFormed(report);
  const disk = byId(report, 'disk');
  assert.match(disk.detail, /\d+\.\d GiB free of \d+\.\d GiB at /);
  assert.ok(disk.detail.endsWith(` at ${scratch}`) || disk.detail.includes(` at ${scratch};`), disk.detail);
});

test('with no QEMU on the search path, QEMU is missing with the apt-get fix and there is no accelerator', async () => {
  const emptyBin = await mkdtemp(join(scratch, 'empty-bin-'));
  const started = performance.now();
  const report = await runDoctor({ dataDir: scratch, probeDeadlineMs: PROBE_DEADLINE_MS, searchPath: emptyBin });
  assert.ok(performance.now() - started < DOCTOR_BOUND_MS);
  assertWellFormed(report);
  const qemu = byId(report, 'qemu-system');
  assert.equal(qemu.status, 'missing');
  assert.match(qemu.fix ?? '', /apt-get install qemu-system-x86$/);
  assert.equal(byId(report, 'qemu-img').status, 'missing');
  assert.match(byId(report, 'qemu-img').fix ?? '', /apt-get install qemu-utils$/);
  assert.match(byId(report, 'swtpm').fix ?? '', /apt-get install swtpm swtpm-tools$/);
  assert.equal(byId(report, 'chromium').status, 'warn');
  assert.equal(byId(report, 'accel').status, 'missing');
  assert.equal(report.accel, 'none');
});

test('an OVMF directory without the firmware is missing with the apt-get fix', async () => {
  const emptyFirmware = await mkdtemp(join(scratch, 'empty-ovmf-'));
  const report = await runDoctor({ dataDir: scratch, probeDeadlineMs: PROBE_DEADLINE_MS, ovmfDir: emptyFirmware });
  const ovmf = byId(report, 'ovmf');
  assert.equal(ovmf.status, 'missing');
  assert.match(ovmf.detail, /OVMF_CODE_4M\.secboot\.fd/);
  assert.match(ovmf.fix ?? '', /apt-get install ovmf$/);
});

test('a program that hangs on --version cannot stall the doctor', async () => {
  const hangBin = await mkdtemp(join(scratch, 'hang-bin-'));
  await writeFile(join(hangBin, 'chromium'), '#!/bin/sh\nsleep 30\n');
  await chmod(join(hangBin, 'chromium'), 0o755);
  const deadlineMs = 800;
  const started = performance.now();
  const report = await runDoctor({ dataDir: scratch, probeDeadlineMs: deadlineMs, searchPath: hangBin });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < deadlineMs + 2500, `took ${Math.round(elapsed)} ms`);
  assertWellFormed(report);
  const chromium = byId(report, 'chromium');
  assert.equal(chromium.status, 'warn');
  assert.match(chromium.detail, /no answer to --version within 800 ms/);
});
