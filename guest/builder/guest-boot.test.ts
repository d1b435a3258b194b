// End to end: build (cached) and install the default Linux guest, boot ONE guest under TCG, drive it through the agent client.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HelloResult } from '../../src/contracts/guest-agent.js';
import { connectAgent, type AgentClient } from '../../src/platform/guest-agent/agent-client.js';
import { runCommand } from '../../src/platform/process/run-command.js';
import { createDataDisk } from '../../src/platform/qemu/data-disk.js';
import { buildLinuxGuest, installLinuxGuest, linuxGuestQemuArgs, type GuestManifest } from './api.js';

const work = mkdtempSync(join(tmpdir(), 'rayos-guest-boot-'));
const dataDisk = join(work, 'data.qcow2');
const serialLog = join(work, 'serial.log');
const agentSocket = join(work, 'agent.sock');
let qemu: ChildProcess | null = null;
let qemuExit: Promise<number | null> = Promise.resolve(null);
let qemuStderr = '';
let client: AgentClient;
let manifest: GuestManifest;
let firstHello: HelloResult;
let bootMs = 0;

const serial = (): string => {
  try {
    return readFileSync(serialLog, 'utf8');
  } catch {
    return '';
  }
};
const why = (): string => `\n--- serial ---\n${serial().slice(-3000)}\n--- qemu stderr ---\n${qemuStderr.slice(-2000)}`;

before(
  async () => {
    const built = await buildLinuxGuest();
    assert.ok(built.ok, built.ok ? '' : built.error.message);
    // Boot from an installed copy in a data dir, as RayOS does (and so a rebuild cannot pull files from under us).
    const installed = await installLinuxGuest(join(work, 'data'), built.value.dir);
    assert.ok(installed.ok, installed.ok ? '' : installed.error.message);
    manifest = built.value.manifest;
    const disk = await createDataDisk(dataDisk, 64);
    assert.ok(disk.ok, disk.ok ? '' : disk.error.message);

    const args = linuxGuestQemuArgs({ imageDir: installed.value.dir, cmdline: manifest.kernelCmdline, dataDiskPath: dataDisk, agentSocketPath: agentSocket, serialLogPath: serialLog });
    const started = performance.now();
    qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const proc = qemu;
    proc.stderr?.on('data', (chunk: Buffer) => (qemuStderr += chunk.toString()));
    qemuExit = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    const connected = await connectAgent(agentSocket, { connectTimeoutMs: 30_000 });
    assert.ok(connected.ok, `${connected.ok ? '' : connected.error.message}${why()}`);
    client = connected.value;
    const hello = await client.waitForHello({ deadlineMs: 150_000, intervalMs: 500 });
    assert.ok(hello.ok, `${hello.ok ? '' : hello.error.message}${why()}`);
    firstHello = hello.value;
    bootMs = Math.round(performance.now() - started);
  },
  { timeout: 900_000 },
);

after(async () => {
  await client?.close();
  if (qemu !== null && qemu.exitCode === null && qemu.signalCode === null) {
    qemu.kill('SIGKILL');
    await qemuExit;
  }
  rmSync(work, { recursive: true, force: true });
});

test('the guest answers hello with the protocol, a boot id and its uptime; init reported its steps on the serial console', (t) => {
  t.diagnostic(`cold boot to agent hello: ${bootMs} ms (QEMU start to first answered hello, TCG); guest uptime then ${firstHello.uptimeMs} ms`);
  assert.equal(firstHello.protocol, 1);
  assert.equal(firstHello.agentVersion, '1.0.0');
  assert.match(firstHello.bootId, /^[0-9a-f-]{36}$/);
  assert.ok(firstHello.uptimeMs > 0);
  const log = serial();
  for (const line of ['RAYOS_GUEST:INIT_START', 'RAYOS_GUEST:DATA_MOUNTED', 'RAYOS_GUEST:INIT_DONE', 'RAYOS_GUEST:AGENT_READY:/dev/vport']) {
    assert.ok(log.includes(line), `${line}${why()}`);
  }
  assert.ok(!log.includes('MODULE_FAILED'), why());
});

test('exec uname -a runs the Debian kernel the image was built from', async () => {
  const r = await client.exec(['uname', '-a'], { timeoutMs: 30_000 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.exitCode, 0);
  assert.ok(r.value.stdout.includes(manifest.kernelVersion), r.value.stdout);
});

test('/data is the ext4 data disk, and a file written there is synced', async () => {
  const mounts = await client.exec(['cat', '/proc/mounts'], { timeoutMs: 30_000 });
  assert.ok(mounts.ok);
  assert.match(mounts.value.stdout, /^\/dev\/vda \/data ext4 /m);
  const write = await client.exec(['sh', '-c', 'echo hello-from-rayos > /data/probe.txt && sync && cat /data/probe.txt'], { timeoutMs: 30_000 });
  assert.ok(write.ok);
  assert.deepEqual([write.value.exitCode, write.value.stdout], [0, 'hello-from-rayos\n']);
});

test('bad requests are refused and the agent keeps serving', async () => {
  const bad = await client.request('exec', { argv: [], timeoutMs: 1000 });
  assert.ok(bad.ok && !bad.value.ok);
  assert.equal(bad.value.ok ? '' : bad.value.error.code, 'BAD_REQUEST');
  const unknown = await client.request('frobnicate');
  assert.ok(unknown.ok && !unknown.value.ok);
  assert.equal(unknown.value.ok ? '' : unknown.value.error.code, 'UNKNOWN_OP');
  const missing = await client.exec(['/no/such/program'], { timeoutMs: 5000 });
  assert.ok(!missing.ok);
  assert.equal(missing.error.details?.['agentCode'], 'EXEC_NOT_FOUND');
  assert.ok((await client.ping()).ok);
});

test('a command past its timeout is killed and reported timedOut', async () => {
  const r = await client.exec(['sleep', '60'], { timeoutMs: 500 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.timedOut, true);
  assert.equal(r.value.exitCode, 137);
});

test('served grows by one per answered request', async () => {
  const a = await client.ping();
  const b = await client.ping();
  assert.ok(a.ok && b.ok);
  assert.equal(b.value.served, a.value.served + 1);
  assert.ok(a.value.served > firstHello.served);
});

test('the agent survives the host disconnecting and serves the next connection (same boot, served goes on)', async () => {
  const before = await client.ping();
  assert.ok(before.ok);
  await client.close();
  const again = await connectAgent(agentSocket, { connectTimeoutMs: 10_000 });
  assert.ok(again.ok, again.ok ? '' : again.error.message);
  client = again.value;
  const hello = await client.waitForHello({ deadlineMs: 30_000, intervalMs: 500 });
  assert.ok(hello.ok, `${hello.ok ? '' : hello.error.message}${why()}`);
  assert.equal(hello.value.bootId, firstHello.bootId);
  assert.ok(hello.value.served > before.value.served);
});

test('shutdown poweroff is answered, the guest unmounts /data cleanly and QEMU exits', async () => {
  const r = await client.shutdown('poweroff');
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.deepEqual(r.value, { accepted: true });
  const guard = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 120_000).unref());
  assert.equal(await Promise.race([qemuExit, guard]), 0, why());
  // The file written earlier is on the disk, and the filesystem was left clean (unmounted before power-off).
  const raw = join(work, 'data.raw');
  assert.equal((await runCommand(['qemu-img', 'convert', '-f', 'qcow2', '-O', 'raw', dataDisk, raw], { deadlineMs: 60_000 })).code, 0);
  const cat = await runCommand(['debugfs', '-R', 'cat /probe.txt', raw], { deadlineMs: 60_000 });
  assert.equal(cat.stdout, 'hello-from-rayos\n');
  const header = await runCommand(['dumpe2fs', '-h', raw], { deadlineMs: 60_000 });
  assert.match(header.stdout, /^Filesystem state:\s+clean$/m);
});
