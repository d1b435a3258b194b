// End to end: build (cached) and install the default Linux guest, boot ONE guest under TCG with its VGA display; drive it through the agent, type into its tty1 shell over QMP, power it off.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { HelloResult } from '../../src/contracts/guest-agent.js';
import { connectAgent, type AgentClient } from '../../src/platform/guest-agent/agent-client.js';
import { runCommand } from '../../src/platform/process/run-command.js';
import { createDataDisk } from '../../src/platform/qemu/data-disk.js';
import { DISPLAY_ID } from '../../src/platform/qemu/qemu-argv.js';
import { connectQmp, type QmpClient } from '../../src/platform/qmp/qmp-client.js';
import { buildLinuxGuest, installLinuxGuest, linuxGuestQemuArgs, type GuestManifest } from './api.js';
import { GUEST_VT } from './initramfs.js';
import { colourCounts, decodePng } from './png.test-support.js';

const work = mkdtempSync(join(tmpdir(), 'rayos-guest-boot-'));
const dataDisk = join(work, 'data.qcow2');
const serialLog = join(work, 'serial.log');
const agentSocket = join(work, 'agent.sock');
const qmpSocket = join(work, 'qmp.sock');
let qemu: ChildProcess | null = null;
let qemuExit: Promise<number | null> = Promise.resolve(null);
let qemuStderr = '';
let agent: AgentClient;
let qmp: QmpClient;
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

/** The text on tty1, as the VT holds it (/dev/vcs1: the screen's characters, row after row, no line breaks). */
async function screenText(): Promise<string> {
  const r = await agent.exec(['cat', `/dev/vcs${GUEST_VT.slice(3)}`], { timeoutMs: 10_000 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value.stdout;
}

async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const got = await probe();
    if (got !== null) return got;
    if (Date.now() > end) assert.fail(`${what} did not happen within ${deadlineMs} ms${why()}`);
    await sleep(250);
  }
}

// US layout: the QMP qcode of each character, and whether it needs shift.
const SHIFTED: Record<string, string> = { '>': 'dot', '<': 'comma', '_': 'minus', '|': 'backslash', '&': '7', '"': 'apostrophe' };
const PLAIN: Record<string, string> = { ' ': 'spc', '-': 'minus', '/': 'slash', '.': 'dot', '\n': 'ret', "'": 'apostrophe', '=': 'equal' };
function keystrokes(text: string): { qcode: string; shift: boolean }[] {
  return [...text].map((ch) => {
    if (/^[a-z0-9]$/.test(ch)) return { qcode: ch, shift: false };
    if (/^[A-Z]$/.test(ch)) return { qcode: ch.toLowerCase(), shift: true };
    const plain = PLAIN[ch];
    if (plain !== undefined) return { qcode: plain, shift: false };
    const shifted = SHIFTED[ch];
    if (shifted !== undefined) return { qcode: shifted, shift: true };
    throw new Error(`no key for ${JSON.stringify(ch)}`);
  });
}

const key = (qcode: string, down: boolean): { type: 'key'; data: { down: boolean; key: { type: 'qcode'; data: string } } } => ({
  type: 'key',
  data: { down, key: { type: 'qcode', data: qcode } },
});

/** One input-send-event per character (down/up pairs, shift around them), paced so the guest's virtio queue keeps up. */
async function type(text: string): Promise<void> {
  for (const k of keystrokes(text)) {
    const events = k.shift
      ? [key('shift', true), key(k.qcode, true), key(k.qcode, false), key('shift', false)]
      : [key(k.qcode, true), key(k.qcode, false)];
    const sent = await qmp.executeUntyped('input-send-event', { device: DISPLAY_ID, events });
    assert.ok(sent.ok, sent.ok ? '' : sent.error.message);
    await sleep(30);
  }
}

before(
  async () => {
    const built = await buildLinuxGuest();
    assert.ok(built.ok, built.ok ? '' : built.error.message);
    const installed = await installLinuxGuest(join(work, 'data'), built.value.dir);
    assert.ok(installed.ok, installed.ok ? '' : installed.error.message);
    manifest = built.value.manifest;
    const disk = await createDataDisk(dataDisk, 64);
    assert.ok(disk.ok, disk.ok ? '' : disk.error.message);

    const args = linuxGuestQemuArgs({
      imageDir: installed.value.dir,
      cmdline: manifest.kernelCmdline,
      dataDiskPath: dataDisk,
      agentSocketPath: agentSocket,
      serialLogPath: serialLog,
      display: true,
      qmpSocketPath: qmpSocket,
    });
    const started = performance.now();
    qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const proc = qemu;
    proc.stderr?.on('data', (chunk: Buffer) => (qemuStderr += chunk.toString()));
    qemuExit = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    const connected = await connectAgent(agentSocket, { connectTimeoutMs: 30_000 });
    assert.ok(connected.ok, `${connected.ok ? '' : connected.error.message}${why()}`);
    agent = connected.value;
    const hello = await agent.waitForHello({ deadlineMs: 150_000, intervalMs: 500 });
    assert.ok(hello.ok, `${hello.ok ? '' : hello.error.message}${why()}`);
    firstHello = hello.value;
    bootMs = Math.round(performance.now() - started);
    const q = await connectQmp(qmpSocket, { connectTimeoutMs: 10_000, waitForSocketMs: 10_000 });
    assert.ok(q.ok, `${q.ok ? '' : q.error.message}${why()}`);
    qmp = q.value;
  },
  { timeout: 900_000 },
);

after(async () => {
  await agent?.close();
  await qmp?.close();
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
  const r = await agent.exec(['uname', '-a'], { timeoutMs: 30_000 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.exitCode, 0);
  assert.ok(r.value.stdout.includes(manifest.kernelVersion), r.value.stdout);
});

test('/data is the ext4 data disk, and a file written there is synced', async () => {
  const mounts = await agent.exec(['cat', '/proc/mounts'], { timeoutMs: 30_000 });
  assert.ok(mounts.ok);
  assert.match(mounts.value.stdout, /^\/dev\/vda \/data ext4 /m);
  const write = await agent.exec(['sh', '-c', 'echo hello-from-rayos > /data/probe.txt && sync && cat /data/probe.txt'], { timeoutMs: 30_000 });
  assert.ok(write.ok);
  assert.deepEqual([write.value.exitCode, write.value.stdout], [0, 'hello-from-rayos\n']);
});

test('bad requests are refused and the agent keeps serving', async () => {
  const bad = await agent.request('exec', { argv: [], timeoutMs: 1000 });
  assert.ok(bad.ok && !bad.value.ok);
  assert.equal(bad.value.ok ? '' : bad.value.error.code, 'BAD_REQUEST');
  const unknown = await agent.request('frobnicate');
  assert.ok(unknown.ok && !unknown.value.ok);
  assert.equal(unknown.value.ok ? '' : unknown.value.error.code, 'UNKNOWN_OP');
  const missing = await agent.exec(['/no/such/program'], { timeoutMs: 5000 });
  assert.ok(!missing.ok);
  assert.equal(missing.error.details?.['agentCode'], 'EXEC_NOT_FOUND');
  assert.ok((await agent.ping()).ok);
});

test('a command past its timeout is killed and reported timedOut', async () => {
  const r = await agent.exec(['sleep', '60'], { timeoutMs: 500 });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.timedOut, true);
  assert.equal(r.value.exitCode, 137);
});

test('served grows by one per answered request', async () => {
  const a = await agent.ping();
  const b = await agent.ping();
  assert.ok(a.ok && b.ok);
  assert.equal(b.value.served, a.value.served + 1);
  assert.ok(a.value.served > firstHello.served);
});

test('the agent survives the host disconnecting and serves the next connection (same boot, served goes on)', async () => {
  const before = await agent.ping();
  assert.ok(before.ok);
  await agent.close();
  const again = await connectAgent(agentSocket, { connectTimeoutMs: 10_000 });
  assert.ok(again.ok, again.ok ? '' : again.error.message);
  agent = again.value;
  const hello = await agent.waitForHello({ deadlineMs: 30_000, intervalMs: 500 });
  assert.ok(hello.ok, `${hello.ok ? '' : hello.error.message}${why()}`);
  assert.equal(hello.value.bootId, firstHello.bootId);
  assert.ok(hello.value.served > before.value.served);
});

test('tty1 shows the banner with the kernel version and a shell prompt in /data', async () => {
  const text = await until('the tty1 shell prompt', 60_000, async () => {
    const s = await screenText();
    return s.includes('/data # ') ? s : null;
  });
  assert.ok(text.includes(`RayOS Linux subsystem - ${manifest.kernelVersion}`), text.trimEnd());
  assert.ok(serial().includes(`RAYOS_GUEST:VT_SHELL:${GUEST_VT}`), why());
  assert.ok(!serial().includes('MODULE_FAILED'), why());
});

test('keys sent with input-send-event to video0 reach the tty1 shell through the virtio keyboard', async () => {
  await type('echo rayos-ok > /data/typed\n');
  const typed = await until('/data/typed', 30_000, async () => {
    const r = await agent.exec(['cat', '/data/typed'], { timeoutMs: 10_000 });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value.exitCode === 0 && r.value.stdout.endsWith('\n') ? r.value.stdout : null;
  });
  assert.equal(typed, 'rayos-ok\n');
  assert.ok((await screenText()).includes('/data # echo rayos-ok > /data/typed'));
});

test('a PNG screendump of video0 shows the console: text on a uniform background', async (t) => {
  const file = join(work, 'screen.png');
  const dumped = await qmp.execute('screendump', { filename: file, format: 'png' });
  assert.ok(dumped.ok, dumped.ok ? '' : dumped.error.message);
  const bytes = readFileSync(file);
  // Set RAYOS_GUEST_SCREENDUMP=FILE to keep it and look at it.
  const keep = process.env['RAYOS_GUEST_SCREENDUMP'];
  if (keep !== undefined && keep !== '') copyFileSync(file, keep);
  const png = decodePng(bytes);
  const colours = colourCounts(png);
  t.diagnostic(`screendump ${png.width}x${png.height}, ${bytes.length} bytes, ${colours.length} colours`);
  assert.ok(png.width >= 640 && png.height >= 400, `${png.width}x${png.height}`);
  const [background, ...rest] = colours;
  assert.ok(background !== undefined && rest.length > 0, 'a single flat colour');
  // Text is a small share of the screen, but several rows of it are there: banner, busybox's greeting, prompts.
  const ink = rest.reduce((sum, [, n]) => sum + n, 0);
  assert.ok(ink > 2_000, `only ${ink} pixels differ from the background`);
  assert.ok(ink < png.width * png.height * 0.5, 'the background is not the most frequent colour');
});

test('shutdown poweroff is answered, the guest unmounts /data cleanly and QEMU exits', async () => {
  const r = await agent.shutdown('poweroff');
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
