// Tests launching a real QEMU (TCG, paused, no guest OS) as a daemon: sockets, identity checks, kill, and clean launch errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../process/run-command.js';
import { buildQemuArgv, configHash } from './qemu-argv.js';
import { inspectQemuProcess, killQemu, launchQemu, type QemuInstance } from './qemu-launcher.js';
import type { QemuVmSpec } from './vm-spec.js';

const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.ms.fd';

// Short, so every socket path stays far below the 107-byte limit.
const dir = mkdtempSync(join(tmpdir(), 'rq-'));
const launched: QemuInstance[] = [];

function baseSpec(sub: string, overrides: Partial<QemuVmSpec> = {}): QemuVmSpec {
  const at = (file: string): string => join(dir, `${sub}-${file}`);
  return {
    name: 'launch-test',
    id: randomUUID(),
    machine: 'q35',
    accel: 'tcg',
    memoryMiB: 64,
    vcpus: 1,
    firmware: { kind: 'bios' },
    disks: [],
    display: { vncSocketPath: at('vnc.sock') },
    serialLogPath: at('serial.log'),
    qmpSocketPaths: [at('qmp-0.sock'), at('qmp-1.sock')],
    network: { mode: 'none' },
    startPaused: true,
    pidFilePath: at('qemu.pid'),
    ...overrides,
  };
}

/** Every device class the supervisor uses, with a comma in a disk path to prove the escaping reaches QEMU intact. */
let richSpec: QemuVmSpec;
let instance: QemuInstance;
let launchMs = 0;

before(async () => {
  const disk = join(dir, 'disk,one.qcow2');
  const created = await runCommand(['qemu-img', 'create', '-q', '-f', 'qcow2', disk, '64M'], { deadlineMs: 20_000 });
  assert.equal(created.code, 0, created.stderr || created.errorMessage);
  writeFileSync(join(dir, 'seed.raw'), Buffer.alloc(1024 * 1024));
  writeFileSync(join(dir, 'install.iso'), Buffer.alloc(1024 * 1024));
  copyFileSync(OVMF_VARS, join(dir, 'vars.fd'));
  richSpec = baseSpec('rich', {
    memoryMiB: 128,
    firmware: { kind: 'uefi', codePath: OVMF_CODE, varsPath: join(dir, 'vars.fd'), secureBoot: true },
    disks: [
      { nodeName: 'data', path: disk, format: 'qcow2', readOnly: false, bus: 'virtio', bootIndex: 1 },
      { nodeName: 'seed', path: join(dir, 'seed.raw'), format: 'raw', readOnly: false, bus: 'ahci' },
    ],
    cdroms: [{ path: join(dir, 'install.iso'), bootIndex: 0 }],
    agentSocketPath: join(dir, 'rich-agent.sock'),
    network: { mode: 'user' },
    logPath: join(dir, 'rich-qemu.log'),
  });
  const started = performance.now();
  const result = await launchQemu(richSpec);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  instance = result.value;
  launched.push(instance);
  launchMs = Math.round(performance.now() - started);
});

after(async () => {
  for (const one of launched) await killQemu(one.pid, one.startTicks);
  rmSync(dir, { recursive: true, force: true });
});

/** The first line QEMU sends on a fresh QMP connection (raw socket: the QMP client lives elsewhere). */
function qmpGreeting(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no QMP greeting on ${path}`));
    }, 10_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

test('the launched QEMU is a live daemon, not a child of this process', (t) => {
  t.diagnostic(`launch took ${launchMs} ms (pid ${instance.pid})`);
  const fields = statFields(instance.pid);
  assert.notEqual(Number(fields[1]), process.pid, 'ppid must not be the runtime');
  assert.notEqual(fields[0], 'Z');
  assert.equal(Number(fields[19]), instance.startTicks);
  assert.equal(readFileSync(richSpec.pidFilePath, 'utf8').trim(), String(instance.pid));
  assert.deepEqual(instance.qmpSocketPaths, richSpec.qmpSocketPaths);
  assert.ok(!Number.isNaN(Date.parse(instance.launchedAt)));
  assert.equal(instance.configHash, configHash(instance.argv));
});

test('both QMP sockets answer with a greeting, at the same time', async () => {
  const greetings = await Promise.all(richSpec.qmpSocketPaths.map(qmpGreeting));
  for (const line of greetings) {
    const untrustedGreeting = JSON.parse(line) as { QMP?: { version?: { qemu?: { major?: number } } } };
    assert.equal(typeof untrustedGreeting.QMP?.version?.qemu?.major, 'number', line);
  }
});

test('the VNC, agent and serial endpoints exist', () => {
  assert.ok(statSync(richSpec.display.vncSocketPath).isSocket());
  assert.ok(statSync(richSpec.agentSocketPath ?? '').isSocket());
  assert.ok(statSync(richSpec.serialLogPath).isFile());
});

test('inspect matches the launched config, and a restarted runtime can recompute its hash from the spec', async () => {
  assert.equal(configHash(buildQemuArgv(richSpec)), instance.configHash);
  assert.deepEqual(await inspectQemuProcess(instance.pid, instance.configHash, instance.startTicks), { alive: true, matches: true, startTicks: instance.startTicks });
  assert.equal((await inspectQemuProcess(instance.pid, instance.configHash)).matches, true);
});

test('inspect with a wrong hash or start time does not match, and a dead pid is not alive', async () => {
  const otherConfig = configHash(buildQemuArgv({ ...richSpec, memoryMiB: 256 }));
  assert.deepEqual(await inspectQemuProcess(instance.pid, otherConfig), { alive: true, matches: false, reason: 'config-differs', startTicks: instance.startTicks });
  const reused = await inspectQemuProcess(instance.pid, instance.configHash, instance.startTicks + 1);
  assert.deepEqual([reused.alive, reused.matches, reused.reason], [true, false, 'start-ticks-differ']);
  // This test process is alive but is not QEMU.
  assert.equal((await inspectQemuProcess(process.pid, instance.configHash)).matches, false);
  assert.deepEqual(await inspectQemuProcess(2 ** 22 + 12345, instance.configHash), { alive: false, matches: false, reason: 'not-running' });
});

test('a second launch on the same pid file fails cleanly and leaves the first QEMU and its sockets alone', async () => {
  const second = await launchQemu({ ...richSpec, id: randomUUID(), logPath: join(dir, 'second-qemu.log') });
  if (second.ok) launched.push(second.value);
  assert.equal(second.ok, false);
  if (second.ok) return;
  assert.equal(second.error.code, 'RAYOS_VM_LAUNCH_FAILED');
  assert.match(second.error.message, /Cannot lock pid file.*Another QEMU of this VM is still running/);
  assert.equal((await inspectQemuProcess(instance.pid, instance.configHash, instance.startTicks)).matches, true);
  assert.match(await qmpGreeting(richSpec.qmpSocketPaths[0]), /"QMP"/);
});

test('killQemu kills only the process it names, and waits until it is gone', async () => {
  const small = await launchQemu(baseSpec('kill'));
  assert.ok(small.ok, small.ok ? '' : small.error.message);
  launched.push(small.value);
  const { pid, startTicks } = small.value;
  assert.equal(await killQemu(pid, startTicks + 1), 'not-ours');
  assert.equal((await inspectQemuProcess(pid, small.value.configHash)).alive, true);
  assert.equal(await killQemu(pid, startTicks), 'killed');
  assert.equal((await inspectQemuProcess(pid, small.value.configHash, startTicks)).alive, false);
  assert.equal(await killQemu(pid, startTicks), 'gone');
});

test('a missing kernel is a launch error that carries QEMU\'s reason, with or without a QEMU log', async () => {
  for (const logPath of [join(dir, 'nokernel-qemu.log'), undefined]) {
    const spec = baseSpec('nokernel', { kernel: { path: join(dir, 'no-such-vmlinuz'), cmdline: '' }, ...(logPath === undefined ? {} : { logPath }) });
    const result = await launchQemu(spec);
    if (result.ok) launched.push(result.value);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'RAYOS_VM_LAUNCH_FAILED');
    assert.match(result.error.message, /^launch-test: QEMU could not be started: .*could not open kernel file .*no-such-vmlinuz/);
  }
});

test('a missing disk is a launch error naming the file', async () => {
  const result = await launchQemu(baseSpec('nodisk', { disks: [{ nodeName: 'data', path: join(dir, 'gone.qcow2'), format: 'qcow2', readOnly: false, bus: 'virtio' }] }));
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.match(result.error.message, /gone\.qcow2.*No such file or directory/);
});

test('a QEMU binary that is missing, or is not QEMU, is a launch error', async () => {
  const missing = await launchQemu(baseSpec('bin'), { qemuBinary: '/nonexistent/qemu-system-x86_64' });
  assert.equal(missing.ok, false);
  if (!missing.ok) {
    assert.equal(missing.error.code, 'RAYOS_VM_LAUNCH_FAILED');
    assert.match(missing.error.message, /\/nonexistent\/qemu-system-x86_64 was not found/);
  }
  const notQemu = await launchQemu(baseSpec('bin'), { qemuBinary: 'false' });
  assert.equal(notQemu.ok, false);
  if (!notQemu.ok) assert.match(notQemu.error.message, /exited with code 1 and gave no reason/);
});

test('a QEMU that never finishes starting is stopped at the timeout and reported', async () => {
  const hanging = join(dir, 'hanging-qemu');
  writeFileSync(hanging, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
  const result = await launchQemu(baseSpec('hang'), { qemuBinary: hanging, timeoutMs: 300 });
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.error.message, /did not finish starting within 300 ms and was stopped/);
});

test('an invalid spec is refused before anything runs', async () => {
  const result = await launchQemu(baseSpec('bad', { memoryMiB: 0 }));
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.error.message, /memoryMiB/);
});
