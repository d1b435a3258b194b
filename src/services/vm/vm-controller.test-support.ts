// Owns what the VM controller tests share: a real storage and registry, stand-in QEMU processes, fake QMP peers that misbehave on demand, and the "reported and left running" check.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ok } from '../../base/result.js';
import type { RayosEvent } from '../../contracts/events.js';
import { EventBus } from '../../kernel/event-bus.js';
import { MarkerWriter } from '../../kernel/marker-writer.js';
import { processIdentity } from '../../platform/process/process-liveness.js';
import { configHash } from '../../platform/qemu/qemu-argv.js';
import { inspectQemuProcess } from '../../platform/qemu/qemu-launcher.js';
import { startFakeQmpPeer, type FakeQmpPeer } from '../../platform/qmp/fake-qmp-peer.test-support.js';
import { type StorageService } from '../storage/api.js';
import { VmController, type VmControllerDeps } from './vm-controller.js';
import { SAMPLE_VM_CONFIG, startTestStorage } from './vm-config.test-support.js';
import { vmFiles } from './vm-files.js';
import { VmRegistry, type DesiredState, type VmInstance, type VmRecord } from './vm-registry.js';

export const QMP_TIMEOUT_MS = 300;
/** These tests are about reattaching; whether a launch is allowed is policy's business, tested with the policy service. */
export const allowLaunch = async () => ok(undefined);
/** Neither QMP socket was even connected to: the controller decided from the process alone. */
export const assertNoReattachAttempt = (peers: readonly { connections(): number }[]): void =>
  assert.deepEqual(
    peers.map((p) => p.connections()),
    [0, 0],
    'no reattach was attempted',
  );
/** The controller waits min(1.5 s, qmpTimeoutMs) per socket for the greeting. */
export const TEST_TIMEOUT_MS = 15_000;

const CONFIG = SAMPLE_VM_CONFIG;

export interface StandIn {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startTicks: number;
  /** configHash of its arguments after argv[0], as inspectQemuProcess computes it from /proc/PID/cmdline. */
  readonly hash: string;
}

/** A controller on the real registry and storage, its markers and events kept for the test to read. */
export function testController(
  record: VmRecord,
  deps: { registry: VmRegistry; storage: StorageService; qemuBinary: string; qmpTimeoutMs?: number } & Partial<Pick<VmControllerDeps, 'vmRoot' | 'storageSetting'>>,
): { controller: VmController; lines: string[]; events: RayosEvent[] } {
  const lines: string[] = [];
  const events: RayosEvent[] = [];
  const bus = new EventBus(100);
  bus.subscribe((event) => events.push(event));
  const controller = new VmController(record, {
    registry: deps.registry,
    vmRoot: deps.vmRoot ?? deps.storage.layout.vmDir,
    ...(deps.storageSetting === undefined ? {} : { storageSetting: deps.storageSetting }),
    imagesDir: deps.storage.layout.imagesDir,
    markers: new MarkerWriter({ write: (line) => lines.push(line), historySize: 100 }),
    bus,
    accel: 'tcg',
    qemuBinary: deps.qemuBinary,
    qmpTimeoutMs: deps.qmpTimeoutMs ?? QMP_TIMEOUT_MS,
    snapshotTimeoutMs: 1000,
    guestReadyTimeoutMs: 1000,
  });
  return { controller, lines, events };
}

export type ControllerBench = ReturnType<typeof useControllerBench>;

/** Registers the file's before/after hooks and returns the bench: state is read through getters, as before() sets it. */
export function useControllerBench() {
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
    return testController(vm.record, { registry, storage, qemuBinary: vm.tripwire });
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

  return {
    get dataDir(): string {
      return dataDir;
    },
    get storage(): StorageService {
      return storage;
    },
    get registry(): VmRegistry {
      return registry;
    },
    spawnStandIn, stillRunning, instanceOf, registerVm, controllerFor, fakePeer, rawPeer, assertReportedAndLeftRunning,
  };
}
