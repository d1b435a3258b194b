// Tests `rayos windows check` end to end on this host: the built CLI runs the runtime entry's check, its JSON, table and exit codes.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WindowsCheckReportSchema, type WindowsCheckReport } from '../contracts/api-types.js';
import { EXIT } from '../contracts/exit-codes.js';
import { runRayos } from './cli-process.test-support.js';

const dataDir = await mkdtemp(join(tmpdir(), 'rayos-windows-check-'));
after(() => rm(dataDir, { recursive: true, force: true }));

// The check ends within the 4 s KVM probe plus a grace; the rest is starting two Node processes on a busy machine.
const TIMEOUT_MS = 60_000;
const IDS = ['tpm', 'secure-boot', 'memory', 'cpus', 'disk', 'accel'];
const rayos = (args: string[], env: NodeJS.ProcessEnv = {}) => runRayos(['--data', dataDir, ...args], { RAYOS_VM_WINDOWS_STORAGE: '', ...env }, TIMEOUT_MS);

function parsed(stdout: string): WindowsCheckReport {
  return WindowsCheckReportSchema.parse(JSON.parse(stdout));
}

test('windows check --json on this host: the profile, every check with a status and a detail, a fix wherever not ok, and exit 4 exactly when one is missing', async () => {
  const result = await rayos(['windows', 'check', '--json']);
  const report = parsed(result.stdout);
  assert.deepEqual(report.checks.map((c) => c.id), IDS);
  for (const c of report.checks) {
    assert.ok(['ok', 'warn', 'missing'].includes(c.status), `${c.id} has a status`);
    assert.ok(c.detail !== '', `${c.id} has a detail`);
    if (c.status !== 'ok') assert.ok((c.fix ?? '') !== '', `${c.id} (${c.status}) names the fix`);
  }
  assert.deepEqual(report.profile, {
    machine: 'q35',
    memoryMiB: 4096,
    vcpus: 2,
    diskGiB: 64,
    diskBus: 'ahci',
    firmware: 'uefi, Secure Boot (OVMF_CODE_4M.secboot.fd + OVMF_VARS_4M.ms.fd)',
    tpm: '2.0',
    network: false,
  });
  assert.deepEqual(report.storage, { root: join(dataDir, 'vm'), setting: null });
  const anyMissing = report.checks.some((c) => c.status === 'missing');
  assert.equal(result.code, anyMissing ? EXIT.DOCTOR_MISSING : EXIT.OK, result.stderr);
});

test('windows check: a vm.windowsStorage that does not exist makes the disk check missing, and the command exits 4; the table names it', async () => {
  const gone = join(dataDir, 'not-mounted');
  const machine = await rayos(['windows', 'check', '--json'], { RAYOS_VM_WINDOWS_STORAGE: gone });
  assert.equal(machine.code, EXIT.DOCTOR_MISSING, machine.stderr);
  const report = parsed(machine.stdout);
  assert.deepEqual(report.storage, { root: gone, setting: 'vm.windowsStorage' });
  const disk = report.checks.find((c) => c.id === 'disk');
  assert.equal(disk?.status, 'missing');
  assert.match(disk?.detail ?? '', /vm\.windowsStorage = .*not-mounted does not exist/);

  const human = await rayos(['windows', 'check'], { RAYOS_VM_WINDOWS_STORAGE: gone });
  assert.equal(human.code, EXIT.DOCTOR_MISSING);
  assert.match(human.stdout, /^Windows profile: q35, 4096 MiB, 2 vCPUs, 64 GiB qcow2 disk \(ahci\)/);
  assert.match(human.stdout, new RegExp(`^Windows VMs are kept in ${gone} \\(vm\\.windowsStorage\\)$`, 'm'));
  assert.match(human.stdout, /^MISSING disk +vm\.windowsStorage = .* → fix: attach and mount the disk/m);
  for (const id of IDS) assert.match(human.stdout, new RegExp(`^(OK|WARN|MISSING) +${id} `, 'm'));
  assert.match(human.stdout, /^Not ready for Windows 11: install or fix what is MISSING above\.$/m);
});

test('windows check: a config the runtime refuses is that config error, exit 6', async () => {
  const result = await rayos(['windows', 'check', '--json'], { RAYOS_VM_WINDOWS_STORAGE: 'relative/dir' });
  assert.equal(result.code, EXIT.CONFIG, result.stderr);
  assert.match(result.stderr, /^RAYOS_CONFIG_\w+: .*windowsStorage/m);
  assert.equal(JSON.parse(result.stdout).error.code.startsWith('RAYOS_CONFIG_'), true);
});

test('windows provision: no --iso, and --replace without --yes, are refused before any runtime is asked; with no runtime it says so', async () => {
  const noIso = await rayos(['windows', 'provision']);
  assert.equal(noIso.code, EXIT.FAILURE);
  assert.match(noIso.stderr, /^RAYOS_WINDOWS_ISO_MISSING: Provisioning needs the Windows installation image: "rayos windows provision --iso PATH"/m);
  const unconfirmed = await rayos(['windows', 'provision', '--iso', 'win11.iso', '--replace']);
  assert.equal(unconfirmed.code, EXIT.FAILURE);
  assert.match(unconfirmed.stderr, /^RAYOS_VM_CONFIRM_REQUIRED: --replace destroys the Windows VM: its system disk .*UEFI variables .*TPM state \(BitLocker keys, Windows activation\)\. Add --yes/m);
  const json = await rayos(['windows', 'provision', '--json']);
  assert.equal(JSON.parse(json.stdout).error.code, 'RAYOS_WINDOWS_ISO_MISSING');
  const down = await rayos(['windows', 'provision', '--iso', 'win11.iso']);
  assert.equal(down.code, EXIT.NOT_RUNNING, down.stderr);
  assert.match(down.stderr, /^RAYOS_CLI_NOT_RUNNING/m);
});
