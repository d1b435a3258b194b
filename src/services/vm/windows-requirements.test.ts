// Tests judging Windows 11's needs over injected host facts: each check's status, its detail and the fix it names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DoctorCheck } from '../../contracts/api-types.js';
import type { AccelProbeResult } from '../../platform/qemu/accel-probe.js';
import { WINDOWS_PROFILE, type WindowsProfile } from './windows-profile.js';
import { evaluateWindowsRequirements, type WindowsHostFacts } from './windows-requirements.js';

const GIB = 1024 ** 3;
const KVM: AccelProbeResult = { accel: 'kvm', reason: 'kvm-runs-guests', detail: 'a test guest ran 64-bit code under KVM in 40 ms', elapsedMs: 60 };
const tcg = (reason: AccelProbeResult['reason']): AccelProbeResult => ({ accel: 'tcg', reason, detail: 'why', elapsedMs: 5 });

function facts(over: Partial<WindowsHostFacts> = {}): WindowsHostFacts {
  return {
    swtpm: { path: '/usr/bin/swtpm', tpm2: true, version: '0.7.1' },
    swtpmSetupPath: '/usr/bin/swtpm_setup',
    firmware: { dir: '/usr/share/OVMF', present: ['OVMF_CODE_4M.fd', 'OVMF_VARS_4M.fd', 'OVMF_CODE_4M.secboot.fd', 'OVMF_VARS_4M.ms.fd'], missing: [] },
    memory: { totalBytes: 16 * GIB, availableBytes: 12 * GIB },
    hostCpus: 8,
    storage: { root: '/var/lib/rayos/vm', setting: null, rootExists: true, disk: { measuredPath: '/var/lib/rayos/vm', freeBytes: 200 * GIB, totalBytes: 500 * GIB } },
    qemuFound: true,
    accel: KVM,
    configuredAccel: 'auto',
    ...over,
  };
}

function check(checks: DoctorCheck[], id: string): DoctorCheck {
  const found = checks.find((c) => c.id === id);
  assert.ok(found !== undefined, `check ${id} is in the report`);
  // Whatever the facts, a check that is not ok says what to do.
  if (found.status !== 'ok') assert.ok(found.fix !== undefined && found.fix !== '', `${id} (${found.status}) has a fix`);
  return found;
}

const storage = (freeGiB: number | null, over: Partial<WindowsHostFacts['storage']> = {}): Pick<WindowsHostFacts, 'storage'> => ({
  storage: { ...facts().storage, disk: freeGiB === null ? null : { measuredPath: '/srv', freeBytes: freeGiB * GIB, totalBytes: 1000 * GIB }, ...over },
});

test('a host with swtpm, OVMF, 16 GiB, 8 CPUs, 200 GiB free and KVM meets every need, in a fixed order', () => {
  const checks = evaluateWindowsRequirements(facts());
  assert.deepEqual(checks.map((c) => c.id), ['tpm', 'secure-boot', 'memory', 'cpus', 'disk', 'accel']);
  for (const c of checks) assert.equal(c.status, 'ok', `${c.id}: ${c.detail}`);
  assert.match(check(checks, 'tpm').detail, /swtpm 0\.7\.1 offers TPM 2\.0/);
  assert.match(check(checks, 'memory').detail, /the VM gets 4096 MiB \(Windows 11 needs 4096 MiB\)/);
  assert.match(check(checks, 'cpus').detail, /the VM gets 2 vCPUs .*the host has 8 CPUs/);
});

test('TPM 2.0: no swtpm, no swtpm_setup, or a swtpm without TPM 2.0 is missing, with the apt-get line', () => {
  const noSwtpm = check(evaluateWindowsRequirements(facts({ swtpm: { path: null, tpm2: false, version: null } })), 'tpm');
  const noSetup = check(evaluateWindowsRequirements(facts({ swtpmSetupPath: null })), 'tpm');
  const no20 = check(evaluateWindowsRequirements(facts({ swtpm: { path: '/usr/bin/swtpm', tpm2: false, version: '0.7.1', problem: 'its features do not include tpm-2.0' } })), 'tpm');
  for (const c of [noSwtpm, noSetup, no20]) {
    assert.equal(c.status, 'missing');
    assert.match(c.fix ?? '', /^sudo apt-get install swtpm swtpm-tools/);
  }
  assert.match(noSetup.detail, /swtpm_setup not found/);
  assert.match(no20.detail, /does not offer TPM 2\.0: its features do not include tpm-2\.0/);
});

test('Secure Boot needs the secboot code and the Microsoft-keyed variables; the plain OVMF files do not matter here', () => {
  const firmware = (present: string[]) => ({ firmware: { dir: '/fw', present, missing: [] } });
  const none = check(evaluateWindowsRequirements(facts(firmware(['OVMF_CODE_4M.fd', 'OVMF_VARS_4M.fd']))), 'secure-boot');
  assert.equal(none.status, 'missing');
  assert.equal(none.detail, 'missing in /fw: OVMF_CODE_4M.secboot.fd, OVMF_VARS_4M.ms.fd');
  assert.equal(none.fix, 'sudo apt-get install ovmf');
  assert.equal(check(evaluateWindowsRequirements(facts(firmware(['OVMF_CODE_4M.secboot.fd']))), 'secure-boot').detail, 'missing in /fw: OVMF_VARS_4M.ms.fd');
  assert.equal(check(evaluateWindowsRequirements(facts(firmware(['OVMF_CODE_4M.secboot.fd', 'OVMF_VARS_4M.ms.fd']))), 'secure-boot').status, 'ok');
  assert.equal(check(evaluateWindowsRequirements(facts({ firmware: null })), 'secure-boot').status, 'warn');
});

test('memory: the VM 4 GiB plus 2 GiB headroom is ok, under 1 GiB of headroom is missing; a profile under 4 GiB is missing', () => {
  const memory = (totalGiB: number) => check(evaluateWindowsRequirements(facts({ memory: { totalBytes: totalGiB * GIB, availableBytes: GIB } })), 'memory').status;
  assert.equal(memory(6), 'ok');
  assert.equal(memory(5.5), 'warn');
  assert.equal(memory(5), 'warn');
  assert.equal(memory(4.9), 'missing');
  assert.equal(memory(2), 'missing');
  const small: WindowsProfile = { ...WINDOWS_PROFILE, memoryMiB: 2048 };
  const profileLow = check(evaluateWindowsRequirements(facts(), small), 'memory');
  assert.equal(profileLow.status, 'missing');
  assert.match(profileLow.detail, /gives 2048 MiB; Windows 11 needs 4096 MiB/);
  assert.equal(check(evaluateWindowsRequirements(facts({ memory: null })), 'memory').status, 'warn');
});

test('CPUs: one host CPU still runs the 2 vCPUs (warn, slow); a profile under 2 vCPUs is missing', () => {
  const one = check(evaluateWindowsRequirements(facts({ hostCpus: 1 })), 'cpus');
  assert.equal(one.status, 'warn');
  assert.match(one.detail, /this host has 1 CPU: they share it/);
  assert.equal(check(evaluateWindowsRequirements(facts({ hostCpus: 2 })), 'cpus').status, 'ok');
  assert.equal(check(evaluateWindowsRequirements(facts(), { ...WINDOWS_PROFILE, vcpus: 1 }), 'cpus').status, 'missing');
});

test('disk: 68 GiB free (64 GiB disk + 4 GiB suspended memory) is ok, under it warn, under 24 GiB missing; a configured storage that is not there is missing', () => {
  const disk = (freeGiB: number | null, over?: Partial<WindowsHostFacts['storage']>) => check(evaluateWindowsRequirements(facts(storage(freeGiB, over))), 'disk');
  assert.equal(disk(68).status, 'ok');
  assert.equal(disk(67).status, 'warn');
  assert.match(disk(40).detail, /enough to install, but the 64 GiB disk is sparse and grows as Windows writes, up to 68 GiB/);
  assert.equal(disk(24).status, 'warn');
  const low = disk(10);
  assert.equal(low.status, 'missing');
  assert.match(low.fix ?? '', /free space on the filesystem holding \/srv, or put Windows VMs on a larger disk: windowsStorage = /);
  assert.equal(disk(null).status, 'warn');

  const unmounted = disk(500, { root: '/mnt/windows', setting: 'vm.windowsStorage', rootExists: false });
  assert.equal(unmounted.status, 'missing');
  assert.equal(unmounted.detail, 'vm.windowsStorage = /mnt/windows does not exist (its disk is not attached or not mounted); RayOS never creates it');
  assert.match(unmounted.fix ?? '', /attach and mount the disk it is on/);
  // The data directory's vm/ is made with the data layout: not being there yet is not a fault.
  assert.equal(disk(500, { rootExists: false }).status, 'ok');
  assert.equal(check(evaluateWindowsRequirements(facts(storage(30)), { ...WINDOWS_PROFILE, disk: { ...WINDOWS_PROFILE.disk, sizeGiB: 32 } }), 'disk').status, 'missing');
});

test('acceleration: KVM is ok, TCG works but warns that Windows will be very slow, no QEMU is missing', () => {
  const accel = (over: Partial<WindowsHostFacts>) => check(evaluateWindowsRequirements(facts(over)), 'accel');
  assert.equal(accel({}).status, 'ok');
  const soft = accel({ accel: tcg('dev-kvm-not-accessible') });
  assert.equal(soft.status, 'warn');
  assert.match(soft.detail, /^TCG \(dev-kvm-not-accessible: why\): works, but Windows will be very slow/);
  assert.equal(soft.fix, 'sudo usermod -aG kvm $USER, then log in again');
  assert.match(accel({ accel: tcg('no-vmx-svm') }).fix ?? '', /VT-x or AMD-V/);
  assert.equal(accel({ accel: null }).status, 'warn');
  const none = accel({ qemuFound: false, accel: tcg('qemu-missing') });
  assert.equal(none.status, 'missing');
  assert.equal(none.fix, 'sudo apt-get install qemu-system-x86');
});

test('acceleration as configured: vm.accel = tcg warns even where KVM works; vm.accel = kvm where KVM does not run guests is missing', () => {
  const accel = (over: Partial<WindowsHostFacts>) => check(evaluateWindowsRequirements(facts(over)), 'accel');
  const forcedTcg = accel({ configuredAccel: 'tcg' });
  assert.equal(forcedTcg.status, 'warn');
  assert.match(forcedTcg.detail, /^vm\.accel = tcg: every VM runs under TCG, though KVM runs guests here; works, but Windows will be very slow/);
  assert.match(forcedTcg.fix ?? '', /accel = "auto" under \[vm\] in rayos\.toml/);
  assert.match(accel({ configuredAccel: 'tcg', accel: tcg('no-dev-kvm') }).fix ?? '', /accel = "auto".*, and turn on hardware virtualization/);
  assert.equal(accel({ configuredAccel: 'kvm' }).status, 'ok');
  const forcedKvm = accel({ configuredAccel: 'kvm', accel: tcg('dev-kvm-not-accessible') });
  assert.equal(forcedKvm.status, 'missing');
  assert.match(forcedKvm.detail, /^vm\.accel = kvm, but KVM does not run guests here \(dev-kvm-not-accessible: why\), so the VM cannot start/);
  assert.match(forcedKvm.fix ?? '', /^sudo usermod -aG kvm \$USER, then log in again; or set accel = "auto" .*falls back to TCG/);
});
