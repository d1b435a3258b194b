// Tests provisioning the Windows VM and preparing its launches with the real state database, qemu-img, swtpm and OVMF: files made once, refusals that change nothing, never a silent recreation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ok, type Result } from '../../base/result.js';
import type { RayosError } from '../../contracts/errors.js';
import { OWNER, type PolicyDecision } from '../../contracts/policy.js';
import { WindowsProvisionRequestSchema } from '../../contracts/vm.js';
import { MarkerWriter } from '../../kernel/marker-writer.js';
import { stopSwtpm } from '../../platform/swtpm/swtpm-process.js';
import { checkTpmState, TPM_STATE_FILE } from '../../platform/swtpm/tpm-state.js';
import type { StorageService } from '../storage/api.js';
import { startTestStorage } from './vm-config.test-support.js';
import { vmFiles } from './vm-files.js';
import { prepareLaunch, tpmFiles, type PreparedLaunch } from './vm-launch-prep.js';
import { VmRegistry, type VmRecord } from './vm-registry.js';
import { provisionWindows, type ProvisionDeps } from './windows-provision.js';

const dir = mkdtempSync(join(tmpdir(), 'rayos-winprov-'));
const root = join(dir, 'vm');
mkdirSync(root);
const iso = join(dir, 'win11.iso');
const drivers = join(dir, 'virtio-win.iso');
const markers = new MarkerWriter({ write: null, historySize: 1000 });
let storage: StorageService;
let registry: VmRegistry;
const swtpms: { pidFile: string; stateDir: string }[] = [];
const released: string[] = [];

before(async () => {
  mkdirSync(join(dir, 'content'));
  writeFileSync(join(dir, 'content', 'setup.exe'), 'x');
  for (const path of [iso, drivers]) execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'TEST', '-o', path, join(dir, 'content')], { stdio: 'pipe' });
  storage = await startTestStorage(join(dir, 'data'));
  registry = new VmRegistry(storage.database());
});
after(async () => {
  for (const one of swtpms) await stopSwtpm(one);
  await storage.stop('test done');
  rmSync(dir, { recursive: true, force: true });
});

const allow = async (): Promise<Result<PolicyDecision, RayosError>> => ok({ decision: 'allow', policies: ['windows-profile'], reason: 'test' });
const deps = (over: Partial<ProvisionDeps> = {}): ProvisionDeps => ({
  registry,
  storage: { root, setting: null },
  markers,
  authorizeCreate: allow,
  releaseExisting: async (record) => void released.push(record.id),
  ...over,
});
const request = (over: Record<string, unknown> = {}) => WindowsProvisionRequestSchema.parse({ iso, ...over });
const provision = (over: Record<string, unknown> = {}, depsOver: Partial<ProvisionDeps> = {}) => provisionWindows(request(over), { principal: OWNER }, deps(depsOver));
const qemuImgInfo = (path: string) => JSON.parse(execFileSync('qemu-img', ['info', '--output=json', '-U', path], { encoding: 'utf8' })) as { format: string; 'virtual-size': number; 'actual-size': number };
const entries = () => readdirSync(root).sort();

describe('provisionWindows', () => {
  let first: VmRecord;

  test('refusals before anything exists change nothing: no --iso, a bad ISO, a bad driver image, missing OVMF, missing swtpm, a missing storage directory, policy', async () => {
    const cases: [Promise<Result<unknown, RayosError>>, string, RegExp][] = [
      [provisionWindows(WindowsProvisionRequestSchema.parse({}), { principal: OWNER }, deps()), 'RAYOS_WINDOWS_ISO_MISSING', /--iso PATH.*never ships Windows/],
      [provision({ iso: join(dir, 'content', 'setup.exe') }), 'RAYOS_WINDOWS_ISO_NOT_ISO', /^--iso .* does not look like an ISO/],
      [provision({ drivers: join(dir, 'content') }), 'RAYOS_WINDOWS_ISO_UNREADABLE', /^--drivers .* is a directory/],
      [provision({ drivers: join(dir, 'missing.iso') }), 'RAYOS_WINDOWS_ISO_NOT_FOUND', /^--drivers /],
      [provision({}, { ovmfDir: join(dir, 'content') }), 'RAYOS_WINDOWS_FIRMWARE_MISSING', /OVMF_CODE_4M\.secboot\.fd and .*OVMF_VARS_4M\.ms\.fd are not installed: sudo apt-get install ovmf/],
      [provision({}, { searchPath: join(dir, 'content') }), 'RAYOS_TPM_TOOL_MISSING', /sudo apt-get install swtpm swtpm-tools/],
      [provision({}, { storage: { root: join(dir, 'unplugged'), setting: 'vm.windowsStorage' } }), 'RAYOS_VM_STORAGE_MISSING', /vm\.windowsStorage = .*unplugged does not exist/],
      [provision({}, { authorizeCreate: async () => ({ ok: false, error: { code: 'RAYOS_POLICY_DENIED', message: 'denied by test' } }) }), 'RAYOS_POLICY_DENIED', /denied by test/],
    ];
    for (const [pending, code, message] of cases) {
      const result = await pending;
      assert.equal(result.ok, false);
      if (result.ok) continue;
      assert.equal(result.error.code, code, result.error.message);
      assert.match(result.error.message, message);
    }
    assert.deepEqual(entries(), [], 'no folder made');
    assert.equal(registry.nameTaken('windows'), false, 'no VM registered');
    assert.ok(!existsSync(join(dir, 'unplugged')));
  });

  test('the first provision makes the VM once: the profile config, a 64 GiB sparse qcow2 on AHCI, a qcow2 copy of the MS-enrolled variables, a TPM 2.0 state', async () => {
    const made = await provision({ drivers });
    assert.ok(made.ok, made.ok ? '' : made.error.message);
    first = made.value.record;
    assert.equal(made.value.replaced, false);
    assert.equal(first.name, 'windows');
    assert.equal(first.kind, 'windows');
    assert.equal(first.stopProfile, 'suspend');
    const config = first.config;
    assert.deepEqual([config.machine, config.memoryMiB, config.vcpus, config.network, config.agent, config.image], ['q35', 4096, 2, 'none', false, null]);
    assert.deepEqual(config.disks, [{ nodeName: 'system', file: 'system.qcow2', format: 'qcow2', sizeMiB: 65_536, bus: 'ahci', content: 'blank' }]);
    assert.deepEqual(config.firmware, { kind: 'uefi', varsFile: 'vars.qcow2', secureBoot: true, varsFormat: 'qcow2' });
    assert.equal(config.tpmDir, 'tpm');
    assert.deepEqual(config.installMedia, { iso, drivers, booted: false });
    const files = vmFiles(root, first);
    assert.deepEqual(made.value.files, { disk: files.disk('system.qcow2'), vars: files.disk('vars.qcow2'), tpmState: files.disk('tpm') });
    const disk = qemuImgInfo(made.value.files.disk);
    assert.equal(disk.format, 'qcow2');
    assert.equal(disk['virtual-size'], 64 * 1024 ** 3);
    assert.ok(disk['actual-size'] < 2 * 1024 ** 2, `sparse: ${disk['actual-size']} bytes allocated`);
    const vars = qemuImgInfo(made.value.files.vars);
    assert.equal(vars.format, 'qcow2');
    assert.equal(vars['virtual-size'], 540_672, 'the size of OVMF_VARS_4M.ms.fd');
    assert.equal((await checkTpmState(made.value.files.tpmState)).status, 'ok');
    assert.deepEqual(entries(), [first.id]);
    assert.ok(markers.emitted().some((m) => m.line === 'RAYOS_WINDOWS:PROVISIONED:windows'));
  });

  test('a second provision is refused unless --replace --yes, and the VM stays as it was', async () => {
    const permall = join(root, first.id, 'tpm', TPM_STATE_FILE);
    const before = execFileSync('sha256sum', [permall], { encoding: 'utf8' });
    const again = await provision();
    assert.ok(!again.ok);
    assert.equal(again.error.code, 'RAYOS_WINDOWS_EXISTS');
    assert.match(again.error.message, /--replace --yes.*destroys its system disk .*UEFI variables .*TPM state \(BitLocker keys, Windows activation\)/);
    const unconfirmed = await provision({ replace: true });
    assert.ok(!unconfirmed.ok);
    assert.equal(unconfirmed.error.code, 'RAYOS_VM_CONFIRM_REQUIRED');
    assert.deepEqual(entries(), [first.id]);
    const still = registry.findByName('windows');
    assert.equal(still.ok ? still.value?.id : still.error.code, first.id);
    assert.equal(execFileSync('sha256sum', [permall], { encoding: 'utf8' }), before);
    assert.deepEqual(released, []);
  });

  test('--replace --yes releases the old VM, removes its folder, and makes a new one with a new identity and a new TPM', async () => {
    const replaced = await provision({ replace: true, confirm: true });
    assert.ok(replaced.ok, replaced.ok ? '' : replaced.error.message);
    assert.equal(replaced.value.replaced, true);
    assert.notEqual(replaced.value.record.id, first.id);
    assert.deepEqual(released, [first.id]);
    assert.deepEqual(entries(), [replaced.value.record.id], 'the old folder is gone');
    assert.deepEqual(replaced.value.record.config.installMedia, { iso, drivers: null, booted: false });
    assert.ok(markers.emitted().some((m) => m.line === 'RAYOS_WINDOWS:REPLACING:windows'));
    first = replaced.value.record;
  });

  describe('prepareLaunch on the provisioned VM', () => {
    const prepare = async (how: 'cold' | 'resume', record: VmRecord = registry.get(first.id), ovmfDir?: string): Promise<Result<PreparedLaunch, RayosError>> => {
      const files = vmFiles(root, record);
      swtpms.push(tpmFiles(files, 'tpm'));
      return prepareLaunch(record, files, how, ovmfDir === undefined ? {} : { ovmfDir });
    };
    const refused = async (code: string, message: RegExp) => {
      const result = await prepare('cold');
      assert.ok(!result.ok, 'refused');
      assert.equal(result.error.code, code, result.error.message);
      assert.match(result.error.message, message);
      assert.match(result.error.message, /Restore it from a backup.*"rayos windows provision --iso PATH --replace --yes".*loses its disk, its BitLocker keys and its Windows activation/);
    };

    test('the installing launch: Secure Boot code, the qcow2 variables, swtpm on the VM state, the installer as boot device 0; marked booted afterwards', async () => {
      const record = registry.get(first.id);
      registry.update(record.id, { config: { ...record.config, installMedia: { iso, drivers, booted: false } } });
      const prepared = await prepare('cold');
      assert.ok(prepared.ok, prepared.ok ? '' : prepared.error.message);
      const files = vmFiles(root, record);
      assert.deepEqual(prepared.value.firmware, { kind: 'uefi', codePath: '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd', varsPath: files.disk('vars.qcow2'), varsFormat: 'qcow2', secureBoot: true });
      assert.equal(prepared.value.tpm?.socketPath, join(files.dir, 'swtpm.sock'));
      assert.ok(prepared.value.swtpm !== null && prepared.value.swtpm.pid > 0);
      assert.deepEqual(prepared.value.cdroms, [{ path: iso, bootIndex: 0 }, { path: drivers }]);
      assert.deepEqual(prepared.value.configAfterLaunch?.installMedia, { iso, drivers, booted: true });
      // A second launch stops the first swtpm before starting its own (never two on one state).
      const second = await prepare('cold');
      assert.ok(second.ok);
      assert.notEqual(second.value.swtpm?.pid, prepared.value.swtpm.pid);
      assert.equal(existsSync(`/proc/${prepared.value.swtpm.pid}/cmdline`) && execFileSync('cat', [`/proc/${prepared.value.swtpm.pid}/cmdline`]).includes('swtpm'), false, 'the stale swtpm is gone');
    });

    test('after the installing launch, a resume still has the media (the saved state has them) and the next cold start drops them for good', async () => {
      const record = registry.get(first.id);
      registry.update(record.id, { config: { ...record.config, installMedia: { iso, drivers, booted: true } } });
      const resumed = await prepare('resume');
      assert.ok(resumed.ok);
      assert.deepEqual(resumed.value.cdroms, [{ path: iso, bootIndex: 0 }, { path: drivers }]);
      assert.equal(resumed.value.configAfterLaunch, null);
      const cold = await prepare('cold');
      assert.ok(cold.ok);
      assert.equal(cold.value.cdroms, undefined);
      assert.equal(cold.value.configAfterLaunch?.installMedia, null);
      registry.update(record.id, { config: cold.value.configAfterLaunch! });
      const later = await prepare('cold');
      assert.ok(later.ok);
      assert.equal(later.value.cdroms, undefined);
      assert.equal(later.value.configAfterLaunch, null);
    });

    test('missing or corrupt variables or TPM state refuse the launch, start no swtpm and recreate nothing', async () => {
      const record = registry.get(first.id);
      const files = vmFiles(root, record);
      const pidFile = join(files.dir, 'swtpm.pid');
      await stopSwtpm({ pidFile, stateDir: files.disk('tpm') });
      rmSync(pidFile, { force: true });
      const vars = files.disk('vars.qcow2');
      const saved = join(dir, 'vars.saved');
      execFileSync('cp', ['-a', vars, saved]);
      truncateSync(vars, 0);
      await refused('RAYOS_WINDOWS_VARS_CORRUPT', /vars\.qcow2 cannot be used \(the file is empty\)/);
      writeFileSync(vars, 'not a qcow2 at all');
      await refused('RAYOS_WINDOWS_VARS_CORRUPT', /it is not a qcow2 image/);
      rmSync(vars);
      await refused('RAYOS_WINDOWS_VARS_MISSING', /vars\.qcow2 are missing; RayOS does not start it with fresh ones/);
      assert.ok(!existsSync(vars), 'no new variables made');
      execFileSync('cp', ['-a', saved, vars]);

      const tpm = files.disk('tpm');
      const permall = join(tpm, TPM_STATE_FILE);
      execFileSync('cp', ['-a', permall, join(dir, 'permall.saved')]);
      truncateSync(permall, 0);
      await refused('RAYOS_TPM_STATE_CORRUPT', /TPM state cannot be used \(.*is empty\)/);
      rmSync(tpm, { recursive: true });
      await refused('RAYOS_TPM_STATE_MISSING', /TPM state is missing/);
      assert.ok(!existsSync(tpm), 'no new TPM made');
      assert.ok(!existsSync(pidFile), 'no swtpm was started for a refused launch');
      mkdirSync(tpm, { mode: 0o700 });
      execFileSync('cp', ['-a', join(dir, 'permall.saved'), permall]);
      const back = await prepare('cold');
      assert.ok(back.ok, back.ok ? '' : back.error.message);
    });

    test('missing OVMF code at launch names the ovmf package', async () => {
      const result = await prepare('cold', registry.get(first.id), join(dir, 'content'));
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'RAYOS_WINDOWS_FIRMWARE_MISSING');
      assert.match(result.error.message, /OVMF_CODE_4M\.secboot\.fd is not installed: sudo apt-get install ovmf/);
    });
  });
});
