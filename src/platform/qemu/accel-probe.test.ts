// Tests the accelerator probe for real on this machine: the test guest must really run, and the answer must match the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, constants, readFile } from 'node:fs/promises';
import { findExecutable } from '../process/run-command.js';
import { probeAccelerator, runProbeGuest } from './accel-probe.js';

const qemu = await findExecutable('qemu-system-x86_64');
const noQemu = qemu === null ? 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)' : false;
const MARGIN_MS = 1500;

test('the test guest runs to the end under TCG, so the detection is real', { skip: noQemu }, async () => {
  const boot = await runProbeGuest({ qemuBinary: qemu ?? '', accel: 'tcg', deadlineMs: 10_000 });
  assert.equal(boot.stage, 'done', `stdout ${JSON.stringify(boot.result.stdout)} stderr ${JSON.stringify(boot.result.stderr)}`);
  assert.equal(boot.result.timedOut, false);
});

test('a test boot under KVM returns within its deadline whatever KVM does here', { skip: noQemu }, async () => {
  const boot = await runProbeGuest({ qemuBinary: qemu ?? '', accel: 'kvm', deadlineMs: 1000 });
  assert.ok(boot.elapsedMs < 1000 + MARGIN_MS, `took ${boot.elapsedMs} ms`);
  assert.ok(['none', 'real-mode', 'protected-mode', 'long-mode', 'done'].includes(boot.stage));
});

test('probeAccelerator returns within its deadline and agrees with the host', { skip: noQemu }, async () => {
  const deadlineMs = 4000;
  const started = performance.now();
  const result = await probeAccelerator({ deadlineMs });
  const elapsed = performance.now() - started;
  assert.ok(elapsed < deadlineMs + MARGIN_MS, `took ${Math.round(elapsed)} ms`);
  assert.match(result.reason, /^[a-z0-9]+(-[a-z0-9]+)*$/);

  // What one sees by hand: each cheap gate, then the boot itself.
  const devKvm = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(() => true, () => false);
  const cpuFlags = /^flags\s*:.*\b(vmx|svm)\b/m.test(await readFile('/proc/cpuinfo', 'utf8'));
  if (!devKvm) assert.ok(result.reason === 'no-dev-kvm' || result.reason === 'dev-kvm-not-accessible', result.reason);
  else if (!cpuFlags) assert.equal(result.reason, 'no-vmx-svm');
  else {
    const byHand = await runProbeGuest({ qemuBinary: qemu ?? '', accel: 'kvm', deadlineMs });
    assert.equal(result.accel, byHand.stage === 'done' ? 'kvm' : 'tcg', `${result.reason}: ${result.detail}`);
  }
  assert.equal(result.accel === 'kvm', result.reason === 'kvm-runs-guests');
});

test('a bogus qemu binary gives tcg with reason qemu-missing', async () => {
  const result = await probeAccelerator({ qemuBinary: '/nonexistent/qemu-system-x86_64' });
  assert.deepEqual([result.accel, result.reason], ['tcg', 'qemu-missing']);
  const byName = await probeAccelerator({ qemuBinary: 'qemu-system-x86_64', searchPath: '/nonexistent' });
  assert.deepEqual([byName.accel, byName.reason], ['tcg', 'qemu-missing']);
});
