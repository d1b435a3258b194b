// Tests `rayos windows provision` with a real runtime and a real QEMU under TCG (fake ISOs, so nothing boots): the VM made once with its files, the installer on its first boot only, a TPM QEMU sees, refusals that recreate nothing, and --replace --yes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VmViewSchema, WindowsProvisionResultSchema, type VmView, type WindowsProvisionResult } from '../../src/contracts/vm.js';
import { connectQmp } from '../../src/platform/qmp/qmp-client.js';
import { runCli, startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { killQemusUnder, qemuPidsUnder } from '../support/vm-support.js';

// No qemu-ga answers in a firmware that finds nothing to boot: NO_AGENT comes after this wait.
const TCG = ['--set', 'vm.accel=tcg', '--set', 'vm.guestReadyTimeoutMs=4000'];

/** What QEMU itself says through the spare QMP socket (RayOS holds the first one). */
async function qmpQuery(vmDir: string, command: 'query-tpm' | 'query-block' | 'query-status'): Promise<unknown> {
  const client = await connectQmp(join(vmDir, 'qmp-1.sock'), { connectTimeoutMs: 5000, commandTimeoutMs: 10_000 });
  assert.ok(client.ok, client.ok ? '' : client.error.message);
  try {
    const reply = await client.value.executeUntyped(command);
    assert.ok(reply.ok, reply.ok ? '' : reply.error.message);
    return reply.value;
  } finally {
    await client.value.close();
  }
}

function cdroms(untrustedBlock: unknown): string[] {
  return (untrustedBlock as { inserted?: { 'node-name'?: string; file?: string } }[])
    .flatMap((device) => (device.inserted?.['node-name']?.startsWith('cdrom') ? [`${device.inserted['node-name']}=${device.inserted.file ?? '?'}`] : []))
    .sort();
}

function swtpmAlive(vmDir: string): boolean {
  const pid = readFileSync(join(vmDir, 'swtpm.pid'), 'utf8').trim();
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /(^|\/)swtpm$/.test(argv0) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

describe('rayos windows provision (real runtime, QEMU under TCG)', () => {
  const { dir, cleanup } = tempDataDir('rayos-winprov-it-');
  const media = join(dir, 'media');
  const iso = join(media, 'win11.iso');
  const drivers = join(media, 'virtio-win.iso');
  const cli = (args: string[], timeoutMs = 180_000) => runCli(['--data', dir, ...args], { timeoutMs });
  const show = async (): Promise<VmView> => {
    const shown = await cli(['vm', 'show', 'windows', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    return VmViewSchema.parse(JSON.parse(shown.stdout));
  };
  let runtime: RuntimeProcess;
  let made: WindowsProvisionResult;
  let vmDir = '';

  before(async () => {
    mkdirSync(join(media, 'content'), { recursive: true });
    writeFileSync(join(media, 'content', 'setup.exe'), 'not Windows\n');
    for (const path of [iso, drivers]) execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'FAKE', '-o', path, join(media, 'content')], { stdio: 'pipe' });
    runtime = startRuntime(dir, TCG);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
  });
  after(async () => {
    await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('bad media are refused through the runtime, and nothing is made', async () => {
    const notIso = await cli(['windows', 'provision', '--iso', join(media, 'content', 'setup.exe')]);
    assert.equal(notIso.code, 1);
    assert.match(notIso.stderr, /^RAYOS_WINDOWS_ISO_NOT_ISO: --iso \S+setup\.exe does not look like an ISO image/m);
    const folder = await cli(['windows', 'provision', '--iso', iso, '--drivers', media]);
    assert.match(folder.stderr, /^RAYOS_WINDOWS_ISO_UNREADABLE: --drivers \S+media is a directory/m);
    const missing = await cli(['windows', 'provision', '--iso', join(media, 'nope.iso')]);
    assert.match(missing.stderr, /^RAYOS_WINDOWS_ISO_NOT_FOUND: --iso \S+nope\.iso: there is no such file/m);
    assert.deepEqual(readdirSync(join(dir, 'vm')), []);
    const list = await cli(['vm', 'list', '--json']);
    assert.deepEqual((JSON.parse(list.stdout) as { vms: unknown[] }).vms, []);
  });

  test('the first provision makes the VM and boots its installer with both ISOs, Secure Boot variables and a TPM QEMU sees', async () => {
    const from = runtime.lines.length;
    const result = await cli(['windows', 'provision', '--iso', iso, '--drivers', drivers, '--json']);
    assert.equal(result.code, 0, result.stderr);
    made = WindowsProvisionResultSchema.parse(JSON.parse(result.stdout));
    assert.equal(made.replaced, false);
    assert.deepEqual([made.vm.name, made.vm.kind, made.vm.memoryMiB, made.vm.vcpus, made.vm.stopProfile, made.vm.network], ['windows', 'windows', 4096, 2, 'suspend', false]);
    assert.equal(made.vm.state, 'running', made.vm.reason ?? '');
    vmDir = join(dir, 'vm', made.vm.id);
    assert.deepEqual(made.files, { disk: join(vmDir, 'system.qcow2'), vars: join(vmDir, 'vars.qcow2'), tpmState: join(vmDir, 'tpm') });
    for (const line of ['RAYOS_WINDOWS:PROVISIONED:windows', 'RAYOS_VM:CREATED:windows', 'RAYOS_WINDOWS:INSTALLER_ATTACHED:windows:2']) await runtime.waitFor(line, 10_000, from);
    await runtime.waitFor(/^RAYOS_WINDOWS:TPM_STARTED:windows:\d+$/, 10_000, from);
    // Provisioned to install: the CLI presents the installer (the replace below uses --hidden and is not presented).
    await runtime.waitFor('RAYOS_PRESENTATION:PRESENTED:windows', 10_000, from);

    const info = (path: string) => JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', path], { encoding: 'utf8' })) as { format: string; 'virtual-size': number; 'actual-size': number };
    const disk = info(made.files.disk);
    assert.deepEqual([disk.format, disk['virtual-size']], ['qcow2', 64 * 1024 ** 3]);
    assert.ok(disk['actual-size'] < 8 * 1024 ** 2, `sparse: ${disk['actual-size']} bytes`);
    assert.equal(info(made.files.vars).format, 'qcow2');
    assert.ok(existsSync(join(made.files.tpmState, 'tpm2-00.permall')));

    const tpm = (await qmpQuery(vmDir, 'query-tpm')) as { model: string; options: { type: string } }[];
    assert.deepEqual(tpm.map((t) => [t.model, t.options.type]), [['tpm-tis', 'emulator']]);
    assert.deepEqual(cdroms(await qmpQuery(vmDir, 'query-block')), [`cdrom0=${iso}`, `cdrom1=${drivers}`]);
    const argv = readFileSync(`/proc/${made.vm.pid}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes('virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0'), 'the QEMU guest agent port');
    assert.ok(argv.some((a) => a.includes('OVMF_CODE_4M.secboot.fd')) && argv.includes('driver=cfi.pflash01,property=secure,value=on'), 'Secure Boot code, SMM-only variables');
    assert.ok(argv.some((a) => a.startsWith('driver=qcow2,file=fw-vars-file')), 'the variables are qcow2');
    assert.ok(swtpmAlive(vmDir));
    await runtime.waitFor('RAYOS_WINDOWS:NO_AGENT', 30_000, from);
    assert.ok(!runtime.lines.slice(from).includes('RAYOS_WINDOWS:GUEST_READY'), 'never pretended');
    assert.equal((await show()).guest.ready, false);
  });

  test('a second provision is refused and the VM stays; a cold start after the installing boot has no ISO, and swtpm comes back on the same state', async () => {
    const again = await cli(['windows', 'provision', '--iso', iso]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^RAYOS_WINDOWS_EXISTS: The Windows VM is provisioned already.*--replace --yes.*destroys its system disk/m);
    assert.equal((await show()).id, made.vm.id);
    const reset = await cli(['vm', 'reset', 'windows', '--yes']);
    assert.equal(reset.code, 1);
    assert.match(reset.stderr, /^RAYOS_VM_ILLEGAL_TRANSITION: windows .*"rayos windows provision --iso PATH --replace --yes" does/m);
    assert.equal((await show()).state, 'running', 'a refused reset leaves it running');

    const stopped = await cli(['vm', 'stop', 'windows', '--force']);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.deepEqual(qemuPidsUnder(vmDir), []);
    const from = runtime.lines.length;
    const started = await cli(['vm', 'start', 'windows', '--json']);
    assert.equal(started.code, 0, started.stderr);
    await runtime.waitFor(/^RAYOS_WINDOWS:TPM_STARTED:windows:\d+$/, 10_000, from);
    assert.ok(!runtime.lines.slice(from).some((l) => l.startsWith('RAYOS_WINDOWS:INSTALLER_ATTACHED')));
    assert.deepEqual(cdroms(await qmpQuery(vmDir, 'query-block')), [], 'no CD-ROM after the installing boot');
    const tpm = (await qmpQuery(vmDir, 'query-tpm')) as unknown[];
    assert.equal(tpm.length, 1);
    assert.equal((await show()).state, 'running');
  });

  test('missing or corrupt variables or TPM state: the start is refused with how to recover, and nothing is remade', async () => {
    assert.equal((await cli(['vm', 'stop', 'windows', '--force'])).code, 0);
    const vars = made.files.vars;
    execFileSync('cp', ['-a', vars, join(dir, 'vars.backup')]);
    truncateSync(vars, 0);
    const corrupt = await cli(['vm', 'start', 'windows']);
    assert.equal(corrupt.code, 1);
    assert.match(corrupt.stderr, /^RAYOS_WINDOWS_VARS_CORRUPT: windows: its UEFI variables \S+vars\.qcow2 cannot be used \(the file is empty\).*Restore it from a backup.*--replace --yes/m);
    assert.equal(readFileSync(vars).length, 0, 'left as it is');
    execFileSync('cp', ['-a', join(dir, 'vars.backup'), vars]);

    execFileSync('cp', ['-a', made.files.tpmState, join(dir, 'tpm.backup')]);
    rmSync(made.files.tpmState, { recursive: true });
    const missing = await cli(['vm', 'start', 'windows']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^RAYOS_TPM_STATE_MISSING: windows: its TPM state is missing.*loses its disk, its BitLocker keys and its Windows activation/m);
    assert.ok(!existsSync(made.files.tpmState), 'no new TPM made');
    const view = await show();
    assert.equal(view.state, 'failed');
    assert.deepEqual(qemuPidsUnder(vmDir), [], 'QEMU never launched');

    execFileSync('cp', ['-a', join(dir, 'tpm.backup'), made.files.tpmState]);
    const back = await cli(['vm', 'start', 'windows', '--json']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(VmViewSchema.parse(JSON.parse(back.stdout)).state, 'running');
  });

  test('--replace alone is refused; --replace --yes destroys the old VM (QEMU, disk, variables, TPM) and makes a new one', async () => {
    const unconfirmed = await cli(['windows', 'provision', '--iso', iso, '--replace']);
    assert.match(unconfirmed.stderr, /^RAYOS_VM_CONFIRM_REQUIRED/m);
    const oldPid = (await show()).pid;
    const from = runtime.lines.length;
    const replaced = await cli(['windows', 'provision', '--iso', iso, '--replace', '--yes', '--hidden', '--json']);
    assert.equal(replaced.code, 0, replaced.stderr);
    const result = WindowsProvisionResultSchema.parse(JSON.parse(replaced.stdout));
    assert.equal(result.replaced, true);
    assert.notEqual(result.vm.id, made.vm.id);
    await runtime.waitFor('RAYOS_WINDOWS:REPLACING:windows', 5000, from);
    await runtime.waitFor('RAYOS_WINDOWS:INSTALLER_ATTACHED:windows:1', 10_000, from);
    assert.ok(!existsSync(vmDir), 'the old folder is gone');
    assert.deepEqual(readdirSync(join(dir, 'vm')), [result.vm.id]);
    assert.ok(oldPid !== null);
    assert.ok(!existsSync(`/proc/${oldPid}/cmdline`) || !readFileSync(`/proc/${oldPid}/cmdline`, 'utf8').includes(made.vm.id), 'the old QEMU is gone');
    assert.equal(result.vm.state, 'running');
    const newDir = join(dir, 'vm', result.vm.id);
    assert.deepEqual(cdroms(await qmpQuery(newDir, 'query-block')), [`cdrom0=${iso}`]);
    assert.equal(((await qmpQuery(newDir, 'query-tpm')) as unknown[]).length, 1);
    made = result;
    vmDir = newDir;
  });

  test('a runtime stop suspends it (RAM, UEFI variables and TPM in the saved state); the next runtime restarts swtpm on the same state before -loadvm and resumes it', async () => {
    const from = runtime.lines.length;
    assert.equal(await stopRuntime(runtime), 0, runtime.stderr());
    assert.ok(runtime.lines.slice(from).some((l) => /^RAYOS_VM:SUSPENDED:windows:rayos-suspend-\d+$/.test(l)), runtime.lines.slice(from).join('\n'));
    assert.deepEqual(qemuPidsUnder(vmDir), []);
    assert.match(execFileSync('qemu-img', ['snapshot', '-l', '-U', join(vmDir, 'vars.qcow2')], { encoding: 'utf8' }), /rayos-suspend-\d+/, 'the variables are in the saved state');

    runtime = startRuntime(dir, TCG);
    const tpmLine = await runtime.waitFor(/^RAYOS_WINDOWS:TPM_STARTED:windows:\d+$/, 60_000);
    await runtime.waitFor('RAYOS_VM:RESUMED:windows', 60_000);
    const order = (line: string | RegExp) => runtime.lines.findIndex((l) => (typeof line === 'string' ? l === line : line.test(l)));
    assert.ok(order(/^RAYOS_VM:RESUMING:windows:/) < order(tpmLine) && order(tpmLine) < order(/^RAYOS_VM:RUNNING:windows:/), 'swtpm started before QEMU');
    const status = (await qmpQuery(vmDir, 'query-status')) as { status: string };
    assert.equal(status.status, 'running');
    assert.equal(((await qmpQuery(vmDir, 'query-tpm')) as unknown[]).length, 1);
    assert.deepEqual(cdroms(await qmpQuery(vmDir, 'query-block')), [`cdrom0=${iso}`], 'resumed with the devices it was saved with');
    assert.ok(swtpmAlive(vmDir));
    const view = await show();
    assert.equal(view.state, 'running');
    assert.equal(view.savedStateTag, null);
    assert.equal((await cli(['vm', 'stop', 'windows', '--force'])).code, 0);
  });
});
