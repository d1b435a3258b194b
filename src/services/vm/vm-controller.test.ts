// Tests reattach at runtime start under injected faults: a live QEMU is reattached, or reported and left running, never killed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ok } from '../../base/result.js';
import type { RayosEvent } from '../../contracts/events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { MarkerWriter } from '../../kernel/marker-writer.js';
import { processIdentity } from '../../platform/process/process-liveness.js';
import { configHash } from '../../platform/qemu/qemu-argv.js';
import { inspectQemuProcess } from '../../platform/qemu/qemu-launcher.js';
import { FAKE_GREETING, startFakeQmpPeer, type FakeQmpPeer } from '../../platform/qmp/fake-qmp-peer.test-support.js';
import { type StorageService } from '../storage/api.js';
import { VmController } from './vm-controller.js';
import { SAMPLE_VM_CONFIG, startTestStorage } from './vm-config.test-support.js';
import { vmFiles } from './vm-files.js';
import { VmRegistry, type DesiredState, type VmInstance, type VmRecord } from './vm-registry.js';

const QMP_TIMEOUT_MS = 300;
/** These tests are about reattaching; whether a launch is allowed is policy's business, tested with the policy service. */
const allowLaunch = async () => ok(undefined);
/** Neither QMP socket was even connected to: the controller decided from the process alone. */
const assertNoReattachAttempt = (peers: readonly { connections(): number }[]): void =>
  assert.deepEqual(
    peers.map((p) => p.connections()),
    [0, 0],
    'no reattach was attempted',
  );
/** The controller waits min(1.5 s, qmpTimeoutMs) per socket for the greeting. */
const TEST_TIMEOUT_MS = 15_000;

const CONFIG = SAMPLE_VM_CONFIG;

let dataDir = '';
let storage: StorageService;
let registry: VmRegistry;
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rayos-vmctl-'));
  storage = await startTestStorage(dataDir);
  registry = new VmRegistry(storage.database());
});

after(async () => {
  for (const close of closers.splice(0)) await close();
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await storage.stop('test done');
  rmSync(dataDir, { recursive: true, force: true });
});

// ---- parts ----------------------------------------------------------------------------------

interface StandIn {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startTicks: number;
  /** configHash of its arguments after argv[0], as inspectQemuProcess computes it from /proc/PID/cmdline. */
  readonly hash: string;
}

/** A live process standing in for a QEMU an earlier runtime left running. */
async function spawnStandIn(tag: string): Promise<StandIn> {
  const args = ['-e', 'setInterval(() => {}, 1e6)', 'rayos-reattach-stand-in', tag];
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  children.push(child);
  const pid = child.pid;
  assert.ok(pid !== undefined, 'the stand-in process started');
  const hash = configHash(args);
  const deadline = Date.now() + 5000;
  for (;;) {
    const seen = await inspectQemuProcess(pid, hash);
    const identity = processIdentity(pid);
    if (seen.matches && identity !== null) return { child, pid, startTicks: identity.startTicks, hash };
    assert.ok(Date.now() < deadline, `the stand-in's /proc/${pid}/cmdline never matched its arguments`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stillRunning(standIn: StandIn): boolean {
  const now = processIdentity(standIn.pid);
  return standIn.child.exitCode === null && standIn.child.signalCode === null && now !== null && now.startTicks === standIn.startTicks;
}

function instanceOf(standIn: { pid: number; startTicks: number; hash: string }): VmInstance {
  return { pid: standIn.pid, startTicks: standIn.startTicks, configHash: standIn.hash, accel: 'tcg', launchedAt: new Date().toISOString() };
}

let vmCount = 0;

/** A registered VM as an earlier runtime left it, with a QEMU binary that only records that it was run. */
function registerVm(state: { instance: VmInstance | null; desiredState: DesiredState; bootCount?: number }): { record: VmRecord; tripwire: string; launchLog: string } {
  const name = `vm-${++vmCount}`;
  const created = registry.create({ name, kind: 'linux', config: CONFIG, stopProfile: 'keep-running' });
  assert.ok(created.ok);
  registry.update(created.value.id, {
    instance: state.instance,
    desiredState: state.desiredState,
    bootCount: state.bootCount ?? 1,
    observedState: state.instance === null ? 'stopped' : 'running',
  });
  const record = registry.get(created.value.id);
  mkdirSync(vmFiles(storage.layout.vmDir, record).dir, { recursive: true });
  const launchLog = join(dataDir, `${name}-launched.log`);
  const tripwire = join(dataDir, `${name}-qemu`);
  writeFileSync(tripwire, `#!/bin/sh\necho "$@" >> '${launchLog}'\necho 'tripwire QEMU: not a real one' >&2\nexit 1\n`);
  chmodSync(tripwire, 0o755);
  return { record, tripwire, launchLog };
}

function controllerFor(vm: { record: VmRecord; tripwire: string }) {
  const lines: string[] = [];
  const events: RayosEvent[] = [];
  const markers = new MarkerWriter({ write: (line) => lines.push(line), historySize: 100 });
  const bus = new EventBus(100);
  bus.subscribe((event) => events.push(event));
  const controller = new VmController(vm.record, {
    registry,
    vmRoot: storage.layout.vmDir,
    imagesDir: storage.layout.imagesDir,
    markers,
    bus,
    accel: 'tcg',
    qemuBinary: vm.tripwire,
    qmpTimeoutMs: QMP_TIMEOUT_MS,
    snapshotTimeoutMs: 1000,
    guestReadyTimeoutMs: 1000,
  });
  return { controller, lines, events };
}

async function fakePeer(path: string, options: Parameters<typeof startFakeQmpPeer>[1] = {}): Promise<FakeQmpPeer> {
  const peer = await startFakeQmpPeer(path, options);
  closers.push(() => peer.close());
  return peer;
}

/** A socket peer that does one scripted wrong thing per connection, for greeting faults the fake QMP peer has no switch for. */
async function rawPeer(path: string, onConnection: (conn: Socket) => void): Promise<{ connections(): number }> {
  let accepted = 0;
  const conns = new Set<Socket>();
  const server: Server = createServer((conn) => {
    accepted++;
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => conn.destroy());
    onConnection(conn);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  closers.push(async () => {
    for (const conn of conns) conn.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { connections: () => accepted };
}

// ---- checks ---------------------------------------------------------------------------------

/** The rule: reported loudly (result, marker, event, failed state naming the pid), the QEMU left running and remembered. */
function assertReportedAndLeftRunning(
  run: { controller: VmController; lines: string[]; events: RayosEvent[] },
  vm: { record: VmRecord; launchLog: string },
  standIn: StandIn,
  result: Awaited<ReturnType<VmController['recover']>>,
): void {
  const { name } = vm.record;
  assert.ok(!result.ok, 'recover reports the failed reattach');
  assert.equal(result.error.code, 'RAYOS_VM_REATTACH_FAILED');
  assert.match(result.error.message, new RegExp(`QEMU pid ${standIn.pid} is alive .* it was left running`));
  assert.ok(
    run.lines.some((line) => line.startsWith(`RAYOS_VM:REATTACH_FAILED:${name}:`)),
    `a REATTACH_FAILED marker; got ${JSON.stringify(run.lines)}`,
  );
  assert.ok(!run.lines.some((line) => line.startsWith(`RAYOS_VM:REATTACHED:`)));
  const event = run.events.find((e) => e.type === 'vm.reattach-failed');
  assert.deepEqual(event?.data && { vm: (event.data as { vm: string }).vm, pid: (event.data as { pid: number }).pid }, { vm: name, pid: standIn.pid });

  assert.equal(run.controller.lifecycle.state, 'failed');
  const state = run.controller.lifecycle.value;
  assert.ok(state.state === 'failed' && state.reason.includes(`pid ${standIn.pid}`) && state.reason.includes('left running'), JSON.stringify(state));
  const stored = registry.get(vm.record.id);
  assert.equal(stored.observedState, 'failed');
  assert.match(stored.observedReason ?? '', new RegExp(`pid ${standIn.pid}`));
  // Still remembered, so a later runtime (or a person) can find it again.
  assert.equal(stored.instance?.pid, standIn.pid);
  assert.equal(run.controller.qmpClient, null);

  assert.ok(stillRunning(standIn), `the QEMU stand-in (pid ${standIn.pid}) is still running`);
  assert.ok(!run.lines.some((line) => /^RAYOS_VM:(STARTING|RESUMING|STOPPING|STOPPED):/.test(line)), JSON.stringify(run.lines));
  assert.equal(existsSync(vm.launchLog), false, 'no QEMU was launched');
}

// ---- cases ----------------------------------------------------------------------------------

describe('VmController.recover: reattach fails loudly and leaves QEMU running', () => {
  test('both QMP sockets accept but never greet (held by other clients)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('hang');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0], { fault: 'no-greeting' }), await fakePeer(run.controller.files.qmpSockets[1], { fault: 'no-greeting' })];

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
    assert.deepEqual(
      peers.map((p) => p.connections()),
      [1, 1],
      'both sockets were tried',
    );
  });

  test('qmp-0 greets with a line that is not JSON, qmp-1 closes halfway through its greeting', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('malformed');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    const greeting = JSON.stringify(FAKE_GREETING);
    const peers = [
      await rawPeer(run.controller.files.qmpSockets[0], (conn) => conn.write('{"QMP": this is not json\r\n')),
      await rawPeer(run.controller.files.qmpSockets[1], (conn) => conn.end(greeting.slice(0, Math.floor(greeting.length / 2)))),
    ];

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
    assert.deepEqual(
      peers.map((p) => p.connections()),
      [1, 1],
    );
  });

  test('qmp-0 greets with JSON that is not a greeting, qmp-1 answers qmp_capabilities with garbage', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('bad-greeting');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'stopped' });
    const run = controllerFor(vm);
    await fakePeer(run.controller.files.qmpSockets[0], { fault: 'bad-greeting' });
    const second = await fakePeer(run.controller.files.qmpSockets[1], {
      answer: (request) => (request.execute === 'qmp_capabilities' ? { raw: 'this is not json {\r\n' } : undefined),
    });

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
    assert.deepEqual(
      second.requests.map((r) => r.execute),
      ['qmp_capabilities'],
    );
  });

  test('QEMU is alive but neither QMP socket exists', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('no-sockets');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
  });
});

describe('VmController.recover: the recorded QEMU is not (or no longer) ours', () => {
  test('a dead pid: no QMP attempt, the instance is cleared, the VM is at rest and nothing is launched', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('dead');
    standIn.child.kill('SIGKILL');
    await once(standIn.child, 'exit');
    assert.equal(processIdentity(standIn.pid), null, 'the stand-in is gone');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'stopped', bootCount: 2 });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0]), await fakePeer(run.controller.files.qmpSockets[1])];

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok, JSON.stringify(result));
    assertNoReattachAttempt(peers);
    assert.equal(registry.get(vm.record.id).instance, null);
    assert.equal(run.controller.lifecycle.state, 'stopped');
    assert.deepEqual(run.lines, []);
    assert.equal(existsSync(vm.launchLog), false, 'no QEMU was launched');
  });

  test('a dead pid of a VM never booted is "defined"', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('dead-defined');
    standIn.child.kill('SIGKILL');
    await once(standIn.child, 'exit');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'stopped', bootCount: 0 });
    const run = controllerFor(vm);

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok);
    assert.equal(run.controller.lifecycle.state, 'defined');
    assert.equal(registry.get(vm.record.id).instance, null);
    assert.equal(existsSync(vm.launchLog), false);
  });

  test('a dead pid with desired state running cold-boots through the configured QEMU (the launch check above can see a launch)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('dead-running');
    standIn.child.kill('SIGKILL');
    await once(standIn.child, 'exit');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    writeFileSync(run.controller.files.disk('disk0.qcow2'), '');

    const result = await run.controller.recover(allowLaunch);

    assert.ok(!result.ok);
    assert.equal(result.error.code, 'RAYOS_VM_LAUNCH_FAILED');
    assert.equal(existsSync(vm.launchLog), true, 'the tripwire QEMU was run');
    assert.ok(run.lines.includes(`RAYOS_VM:STARTING:${vm.record.name}`), JSON.stringify(run.lines));
    assert.equal(run.controller.lifecycle.state, 'failed');
  });

  test('a live pid running other arguments (config hash differs): not reattached, not killed, forgotten', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('other-config');
    const vm = registerVm({ instance: instanceOf({ ...standIn, hash: configHash(['-name', 'some-other-config']) }), desiredState: 'stopped' });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0]), await fakePeer(run.controller.files.qmpSockets[1])];

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok, JSON.stringify(result));
    assertNoReattachAttempt(peers);
    assert.ok(stillRunning(standIn), 'the process that is not our QEMU was left alone');
    assert.equal(registry.get(vm.record.id).instance, null);
    assert.equal(run.controller.lifecycle.state, 'stopped');
    assert.ok(!run.lines.some((line) => line.startsWith('RAYOS_VM:REATTACHED:')));
    assert.equal(existsSync(vm.launchLog), false);
  });

  test('a live pid that started at another time (pid reuse): not reattached, not killed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('pid-reuse');
    const vm = registerVm({ instance: instanceOf({ ...standIn, startTicks: standIn.startTicks + 1 }), desiredState: 'stopped' });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0]), await fakePeer(run.controller.files.qmpSockets[1])];

    const result = await run.controller.recover(allowLaunch);

    assert.ok(result.ok);
    assert.deepEqual(
      peers.map((p) => p.connections()),
      [0, 0],
    );
    assert.ok(stillRunning(standIn));
    assert.equal(registry.get(vm.record.id).instance, null);
  });
});

describe('VmController.recover: two QMP sockets', () => {
  test('qmp-0 held by a stuck client, qmp-1 answers: reattached through qmp-1', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('second-socket');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    const stuck = await fakePeer(run.controller.files.qmpSockets[0], { fault: 'no-greeting' });
    const good = await fakePeer(run.controller.files.qmpSockets[1], {
      answer: (request) => (request.execute === 'query-status' ? { return: { status: 'running', singlestep: false, running: true } } : undefined),
    });

    const result = await run.controller.recover(allowLaunch);
    try {
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(stuck.connections(), 1);
      assert.deepEqual(stuck.requests, []);
      assert.deepEqual(
        good.requests.map((r) => r.execute),
        ['qmp_capabilities', 'query-status'],
      );
      assert.ok(run.lines.includes(`RAYOS_VM:REATTACHED:${vm.record.name}:${standIn.pid}`), JSON.stringify(run.lines));
      assert.ok(!run.lines.some((line) => line.startsWith('RAYOS_VM:REATTACH_FAILED:')));
      assert.ok(run.events.some((e) => e.type === 'vm.reattached'));
      assert.equal(run.controller.lifecycle.state, 'running');
      assert.notEqual(run.controller.qmpClient, null);
      const stored = registry.get(vm.record.id);
      assert.equal(stored.instance?.pid, standIn.pid);
      assert.equal(stored.observedState, 'running');
      assert.ok(stillRunning(standIn));
      assert.equal(existsSync(vm.launchLog), false);
    } finally {
      // Let go of the fake QEMU like a runtime stopping with keep-running, so closing the peer is not reported as a failure.
      await run.controller.detach();
    }
  });

  test('a paused QEMU is reattached as paused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('paused');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    await fakePeer(run.controller.files.qmpSockets[0]);
    await fakePeer(run.controller.files.qmpSockets[1]);

    const result = await run.controller.recover(allowLaunch);
    try {
      assert.ok(result.ok, JSON.stringify(result));
      // The fake reports status "prelaunch", running false, until it gets "cont".
      assert.equal(run.controller.lifecycle.state, 'paused');
      assert.ok(run.lines.includes(`RAYOS_VM:REATTACHED:${vm.record.name}:${standIn.pid}`));
    } finally {
      await run.controller.detach();
    }
  });
});

describe('a VM whose folder is not where its storage points', () => {
  test('is refused at recovery and on start (marker, failed state, RAYOS_VM_STORAGE_MISSING): QEMU is never launched and no folder is made', async () => {
    const vm = registerVm({ instance: null, desiredState: 'running' });
    const dir = vmFiles(storage.layout.vmDir, vm.record).dir;
    rmSync(dir, { recursive: true, force: true });
    const run = controllerFor(vm);
    const recovered = await run.controller.recover(allowLaunch);
    assert.ok(!recovered.ok);
    assert.equal(recovered.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.match(recovered.error.message, new RegExp(`^${vm.record.name}: its folder ${dir} is missing \\(the data directory's vm/`));
    assert.match(recovered.error.message, /holds no folder for it.*RayOS does not start it or make a new one in its place.*rayos vm reset .* --yes/);
    assert.ok(run.lines.includes(`RAYOS_VM:STORAGE_MISSING:${vm.record.name}`), run.lines.join('\n'));
    assert.ok(run.lines.includes(`RAYOS_VM:FAILED:${vm.record.name}:storage-missing`));
    assert.equal(run.controller.lifecycle.state, 'failed');
    const stored = registry.get(vm.record.id);
    assert.equal(stored.observedState, 'failed');
    assert.equal(stored.desiredState, 'running', 'it should still run once its disk is back');
    assert.equal(stored.bootCount, 1);

    const started = await run.controller.start();
    assert.ok(!started.ok);
    assert.equal(started.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.equal(existsSync(vm.launchLog), false, 'QEMU was never run');
    assert.equal(existsSync(dir), false, 'no empty folder was made in its place');

    // Once its folder is back, a start launches it (the stand-in QEMU only records that it ran, then fails).
    mkdirSync(dir);
    writeFileSync(join(dir, CONFIG.disks[0]?.file ?? 'disk0.qcow2'), '');
    const again = await run.controller.start();
    assert.ok(!again.ok);
    assert.notEqual(again.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.equal(existsSync(vm.launchLog), true, 'QEMU was launched from the folder that is back');
  });

  test('a configured storage directory that is gone says so and names the setting, with no reset offered', async () => {
    const vm = registerVm({ instance: null, desiredState: 'stopped' });
    const lines: string[] = [];
    const missingRoot = join(dataDir, 'unplugged-disk', 'vm');
    const controller = new VmController(vm.record, {
      registry,
      vmRoot: missingRoot,
      storageSetting: 'vm.linuxStorage',
      imagesDir: storage.layout.imagesDir,
      markers: new MarkerWriter({ write: (line) => lines.push(line), historySize: 100 }),
      bus: new EventBus(100),
      accel: 'tcg',
      qemuBinary: vm.tripwire,
      qmpTimeoutMs: QMP_TIMEOUT_MS,
      snapshotTimeoutMs: 1000,
      guestReadyTimeoutMs: 1000,
    });
    // Reported even for a VM that is not meant to run now: the person should know its disk is gone.
    const recovered = await controller.recover(allowLaunch);
    assert.ok(!recovered.ok);
    assert.equal(recovered.error.code, 'RAYOS_VM_STORAGE_MISSING');
    assert.match(recovered.error.message, new RegExp(`\\(vm\\.linuxStorage = ${missingRoot}\\); ${missingRoot} does not exist: the disk that holds it is not attached or not mounted`));
    assert.match(recovered.error.message, /reattach the disk \(or set vm\.linuxStorage back to where the VM was made\) and restart RayOS\.$/);
    assert.doesNotMatch(recovered.error.message, /vm reset/);
    assert.ok(lines.includes(`RAYOS_VM:STORAGE_MISSING:${vm.record.name}`));
    assert.equal(existsSync(missingRoot), false);
    assert.equal(existsSync(vm.launchLog), false);
  });
});
