// Owns the vm service: picks the accelerator, creates the default Linux subsystem, recovers every VM at start, hands them on at stop.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import type { Health } from '../../contracts/api-types.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { ExecResult, GuestClock } from '../../contracts/guest-agent.js';
import { OWNER, type PolicyAction, type PolicyActor, type PolicyDecision } from '../../contracts/policy.js';
import type { VmView, WindowsProvisionRequestSchema, WindowsProvisionResult } from '../../contracts/vm.js';
import type { Service, ServiceContext } from '../../kernel/service.js';
import { probeAccelerator, type AccelProbeResult } from '../../platform/qemu/accel-probe.js';
import { createDataDisk } from '../../platform/qemu/data-disk.js';
import type { QmpArgs, QmpResult } from '../../platform/qmp/qmp-client.js';
import type { PolicyControl } from '../policy/api.js';
import type { Storage } from '../storage/api.js';
import { VmController } from './vm-controller.js';
import { execInGuest, listSnapshots, resetVm, restoreSnapshot, saveSnapshot, serialLogTail, type OperationDeps, type SnapshotInfo } from './vm-operations.js';
import { checkVmName, VmRegistry, type VmConfig } from './vm-registry.js';
import { vmFiles } from './vm-files.js';
import { vmPolicyRequest } from './vm-policy.js';
import { storageRootMissingError, vmStorageRoot } from './vm-storage.js';
import { killQemu } from '../../platform/qemu/qemu-launcher.js';
import { stopSwtpm } from '../../platform/swtpm/swtpm-process.js';
import { tpmFiles } from './vm-launch-prep.js';
import { provisionWindows, WINDOWS_VM_NAME } from './windows-provision.js';
import type { VmRecord } from './vm-registry.js';

/** What the API and other services may ask of the VM supervisor. */
export interface VmSupervisor {
  list(): VmView[];
  show(name: string): Result<VmView, RayosError>;
  start(name: string, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  stop(name: string, options: { force: boolean; timeoutMs: number }, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  pause(name: string, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  resume(name: string, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  suspend(name: string, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  snapshot(name: string, tag: string, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  restore(name: string, tag: string, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  snapshots(name: string): Promise<Result<SnapshotInfo[], RayosError>>;
  reset(name: string, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  exec(name: string, argv: readonly string[], timeoutMs: number, actor: PolicyActor): Promise<Result<ExecResult, RayosError>>;
  logs(name: string, lines: number): Promise<Result<{ name: string; path: string; lines: string[] }, RayosError>>;
  /** The guest clock against the host's, through the agent's ping (read-only, like show: no policy round). */
  clock(name: string): Promise<Result<GuestClock, RayosError>>;
  /**
   * Turns the VM's guest network (QEMU user mode) on or off, if policy allows (vm.network.enable / .disable):
   * hot-plugged or unplugged while it runs, else stored for its next start (the view's state says which). The marker
   * RAYOS_POLICY:NETWORK:<vm>:on|off:<reason> names the policy that allowed it.
   */
  setNetwork(name: string, enabled: boolean, actor: PolicyActor): Promise<Result<VmView, RayosError>>;
  /**
   * A narrow QMP handle on a VM for the display and input services (screendump, input-send-event): no lifecycle
   * commands. The handle looks up the VM's live QMP link at each call, so it stays valid across restarts.
   */
  qmp(name: string): Result<VmQmpHandle, RayosError>;
  /** Lets the display service say whether each VM's surface is presented; VmView.presentation reads it. */
  setPresentationSource(source: (name: string) => 'hidden' | 'presented'): void;
  /**
   * Makes the Windows VM once (windows-provision.ts), if policy allows vm.create, and boots its installer unless
   * request.start is false; replace (with confirm) destroys an existing one first.
   */
  provisionWindows(request: z.output<typeof WindowsProvisionRequestSchema>, actor: PolicyActor): Promise<Result<WindowsProvisionResult, RayosError>>;
}

/** The QMP commands the display and input services may run on a VM. */
export type VmQmpCommand = 'screendump' | 'input-send-event';

export interface VmQmpHandle {
  readonly vm: string;
  /** The VM's own folder in the data directory (0700), for files QEMU writes there (screendumps). */
  readonly dir: string;
  /** QEMU's unix VNC socket of the VM (RFB), which the API relays to a presented surface's viewers. */
  readonly vncSocket: string;
  execute<C extends VmQmpCommand>(command: C, args: QmpArgs<C>, options?: { timeoutMs?: number }): Promise<Result<QmpResult<C>, RayosError>>;
}

export type VmService = Service & { readonly supervisor: VmSupervisor };

const CurrentImageSchema = z.object({ key: z.string().regex(/^[A-Za-z0-9._-]+$/), cmdline: z.string().optional() });
export const DEFAULT_LINUX_CMDLINE = 'console=ttyS0 quiet panic=-1';

/**
 * Starts the accelerator probe (a tiny test boot, seconds under TCG) before the services start, so it runs while
 * storage and policy start; the vm service awaits it. For the composition root, with the config's vm.qemuBinary.
 */
export function beginAcceleratorProbe(qemuBinary: string): Promise<AccelProbeResult> {
  return probeAccelerator({ qemuBinary });
}

export function createVmService(options: { storage: Storage; policy: PolicyControl; accelProbe?: Promise<AccelProbeResult> | null }): VmService {
  const controllers = new Map<string, VmController>();
  let presentation: (name: string) => 'hidden' | 'presented' = () => 'hidden';
  const viewOf = (vm: VmController): VmView => {
    const view = vm.view();
    return view.presentation === null ? view : { ...view, presentation: presentation(vm.name) };
  };
  let registry: VmRegistry | null = null;
  let operationDeps: OperationDeps | null = null;
  let accel: { accel: 'kvm' | 'tcg'; reason: string } | null = null;
  let corrupt: RayosError[] = [];
  let provisioning: Promise<unknown> = Promise.resolve();
  /** Makes the controller of a registered VM; set once the service has started. */
  let controllerFor: ((record: VmRecord) => VmController) | null = null;
  let provisionContext: { markers: ServiceContext['markers']; bus: ServiceContext['bus']; vm: ServiceContext['config']['vm'] } | null = null;
  /** VMs that could not be created because their storage directory is not there, as health says them. */
  const notCreated: string[] = [];

  const find = (untrustedName: string): Result<VmController, RayosError> => {
    const name = checkVmName(untrustedName);
    if (!name.ok) return name;
    const vm = controllers.get(name.value);
    if (vm === undefined) {
      const known = [...controllers.keys()].join(', ') || 'none';
      return err(rayosError('RAYOS_VM_NOT_FOUND', `There is no VM named ${name.value} (known: ${known}); "rayos vm list" shows them.`));
    }
    return ok(vm);
  };
  /** Asks policy first (a deny or a declined ask is returned as its error), then acts. */
  const authorized = async (name: string, action: PolicyAction | ((vm: VmController) => PolicyAction), actor: PolicyActor): Promise<Result<{ vm: VmController; decision: PolicyDecision }, RayosError>> => {
    const vm = find(name);
    if (!vm.ok) return vm;
    const request = vmPolicyRequest(vm.value, controllers.values(), typeof action === 'function' ? action(vm.value) : action, actor);
    const decided = await options.policy.authorize(request);
    return decided.ok ? ok({ vm: vm.value, decision: decided.value }) : decided;
  };
  const act = async (
    name: string,
    action: PolicyAction | ((vm: VmController) => PolicyAction),
    actor: PolicyActor,
    operation: (vm: VmController, decision: PolicyDecision) => Promise<Result<unknown, RayosError>>,
  ): Promise<Result<VmView, RayosError>> => {
    const allowed = await authorized(name, action, actor);
    if (!allowed.ok) return allowed;
    const done = await operation(allowed.value.vm, allowed.value.decision);
    return done.ok ? ok(viewOf(allowed.value.vm)) : done;
  };
  /** Resuming a suspended VM launches QEMU, so its limits are checked like a start. */
  const resumeAction = (vm: VmController): PolicyAction => (vm.lifecycle.state === 'suspended' ? 'vm.start' : 'vm.resume');
  const deps = (): OperationDeps => {
    if (operationDeps === null) throw new Error('the vm service is not started');
    return operationDeps;
  };

  async function ensureDefaultLinux(ctx: ServiceContext, reg: VmRegistry): Promise<void> {
    const settings = ctx.config.vm.linux;
    if (!settings.autoCreate || reg.nameTaken('linux')) return;
    const imagesDir = options.storage.layout.imagesDir;
    let untrustedCurrent: unknown;
    try {
      untrustedCurrent = JSON.parse(readFileSync(join(imagesDir, 'linux', 'current'), 'utf8'));
    } catch {
      ctx.markers.emit('RAYOS_LINUX', 'IMAGE_MISSING');
      return;
    }
    const current = CurrentImageSchema.safeParse(untrustedCurrent);
    if (!current.success) {
      ctx.markers.emit('RAYOS_LINUX', 'IMAGE_MISSING');
      return;
    }
    const storage = vmStorageRoot('linux', ctx.config.vm, options.storage.layout.vmDir);
    // A configured storage directory is never made here: missing, it is a disk not mounted, not a place to start from scratch.
    if (!existsSync(storage.root)) {
      const error = storageRootMissingError('linux', storage);
      ctx.markers.emit('RAYOS_VM', 'STORAGE_MISSING', 'linux');
      process.stderr.write(`${error.code}: ${error.message}\n`);
      notCreated.push(`linux (not created: ${storage.setting ?? 'storage'} ${storage.root} does not exist)`);
      return;
    }
    const config: VmConfig = {
      machine: 'q35',
      memoryMiB: settings.memoryMiB,
      vcpus: settings.vcpus,
      disks: [{ nodeName: 'data', file: 'data.qcow2', format: 'qcow2', sizeMiB: settings.dataDiskMiB }],
      image: { kind: 'linux', key: current.data.key, cmdline: current.data.cmdline ?? DEFAULT_LINUX_CMDLINE },
      firmware: { kind: 'bios' },
      tpmDir: null,
      network: 'none',
      agent: true,
    };
    const attrs = { kind: 'linux' as const, memoryMiB: config.memoryMiB, vcpus: config.vcpus, diskMiB: settings.dataDiskMiB, network: false };
    const allowed = await options.policy.authorize({ principal: OWNER, action: 'vm.create', resource: { kind: 'Vm', id: 'linux', attrs }, context: { atBoot: true } });
    // Denied: the policy service already said so (RAYOS_POLICY:DENIED and the audit trail); nothing is created.
    if (!allowed.ok) return;
    const created = reg.create({ name: 'linux', kind: 'linux', config, stopProfile: settings.stopProfile });
    if (!created.ok) throw new Error(created.error.message);
    const files = vmFiles(storage.root, created.value);
    await mkdir(files.dir, { recursive: true, mode: 0o700 });
    const disk = await createDataDisk(files.disk('data.qcow2'), settings.dataDiskMiB);
    if (!disk.ok) throw new Error(disk.error.message);
    // A new subsystem should run: the first start boots it, hidden.
    reg.update(created.value.id, { desiredState: 'running' });
    ctx.markers.emit('RAYOS_VM', 'CREATED', 'linux');
    ctx.bus.publish('vm.created', { vm: 'linux', id: created.value.id, kind: 'linux' });
  }

  const supervisor: VmSupervisor = {
    list: () => [...controllers.values()].map(viewOf),
    show: (name) => {
      const vm = find(name);
      return vm.ok ? ok(viewOf(vm.value)) : vm;
    },
    start: (name, actor) => act(name, 'vm.start', actor, (vm) => vm.start()),
    stop: (name, stopOptions, actor) => act(name, 'vm.stop', actor, (vm) => vm.stop(stopOptions)),
    pause: (name, actor) => act(name, 'vm.pause', actor, (vm) => vm.pause()),
    resume: (name, actor) => act(name, resumeAction, actor, (vm) => vm.resume()),
    suspend: (name, actor) => act(name, 'vm.suspend', actor, (vm) => vm.suspend('suspended')),
    snapshot: (name, tag, actor) => act(name, 'vm.snapshot', actor, (vm) => saveSnapshot(vm, tag, deps())),
    restore: (name, tag, actor) => act(name, 'vm.restore', actor, (vm) => restoreSnapshot(vm, tag, deps())),
    reset: (name, actor) =>
      act(name, 'vm.reset', actor, async (vm) => {
        const reset = await resetVm(vm, deps());
        // A subsystem that should run comes back fresh, rather than staying down after the reset.
        return reset.ok && vm.current().desiredState === 'running' ? vm.start() : reset;
      }),
    snapshots: async (name) => {
      const vm = find(name);
      return vm.ok ? listSnapshots(vm.value) : vm;
    },
    exec: async (name, argv, timeoutMs, actor) => {
      const allowed = await authorized(name, 'vm.exec', actor);
      return allowed.ok ? execInGuest(allowed.value.vm, argv, timeoutMs) : allowed;
    },
    setNetwork: (name, enabled, actor) =>
      act(name, enabled ? 'vm.network.enable' : 'vm.network.disable', actor, (vm, decision) => vm.setNetwork(enabled, `policy.${decision.policies[0] ?? 'default'}`)),
    logs: async (name, lines) => {
      const vm = find(name);
      if (!vm.ok) return vm;
      return ok({ name: vm.value.name, path: vm.value.files.serialLog, lines: await serialLogTail(vm.value, lines) });
    },
    clock: async (name) => {
      const vm = find(name);
      if (!vm.ok) return vm;
      const link = vm.value.guestLink;
      if (link === null || vm.value.lifecycle.state !== 'running' || !link.ready) {
        return err(rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', `${vm.value.name} is ${vm.value.lifecycle.state}${link?.ready === false ? ' and its guest agent has not answered yet' : ''}; the clock needs a running VM whose guest answered (RAYOS_LINUX:GUEST_READY).`));
      }
      return link.clock();
    },
    qmp: (name) => {
      const found = find(name);
      if (!found.ok) return found;
      const vm = found.value;
      return ok({
        vm: vm.name,
        dir: vm.files.dir,
        vncSocket: vm.files.vncSocket,
        execute: async (command, args, callOptions) => {
          const client = vm.qmpClient;
          const state = vm.lifecycle.state;
          if (client === null || (state !== 'running' && state !== 'paused')) {
            return err(rayosError('RAYOS_QMP_CLOSED', `${vm.name} is ${state}: RayOS has no QMP link to a running QEMU of it; "rayos vm start ${vm.name}" starts it.`, { vm: vm.name, state }));
          }
          return client.execute(command, args, callOptions);
        },
      });
    },
    setPresentationSource: (source) => {
      presentation = source;
    },
    provisionWindows: (request, actor) => {
      // One at a time: two at once could both find no VM (or both replace the same one).
      const run = provisioning.then(() => provisionOnce(request, actor));
      provisioning = run.catch(() => undefined);
      return run;
    },
  };

  async function provisionOnce(request: z.output<typeof WindowsProvisionRequestSchema>, actor: PolicyActor): Promise<Result<WindowsProvisionResult, RayosError>> {
    const reg = registry;
    const context = provisionContext;
    const makeController = controllerFor;
    if (reg === null || context === null || makeController === null) return err(rayosError('RAYOS_SERVICE_START_FAILED', 'The vm service is not started; wait for RAYOS_BOOT_MARKER:READY and try again.'));
    const provisioned = await provisionWindows(request, actor, {
      registry: reg,
      storage: vmStorageRoot('windows', context.vm, options.storage.layout.vmDir),
      markers: context.markers,
      authorizeCreate: (config, who) => {
        const held = [...controllers.values()].filter((vm) => vm.name !== WINDOWS_VM_NAME && ['starting', 'running', 'paused', 'resuming', 'suspending', 'stopping'].includes(vm.lifecycle.state));
        const diskMiB = config.disks.reduce((sum, disk) => sum + disk.sizeMiB, 0);
        return options.policy.authorize({
          principal: who.principal,
          action: 'vm.create',
          resource: { kind: 'Vm', id: WINDOWS_VM_NAME, attrs: { kind: 'windows', memoryMiB: config.memoryMiB, vcpus: config.vcpus, diskMiB, network: config.network === 'user' } },
          context: { committedMemoryMiB: held.reduce((n, vm) => n + vm.current().config.memoryMiB, 0), committedVcpus: held.reduce((n, vm) => n + vm.current().config.vcpus, 0), ...who.context },
        });
      },
      releaseExisting: async (record) => {
        const vm = controllers.get(record.name);
        await vm?.runExclusive(async () => {
          const instance = vm.current().instance;
          // Links first: the QMP close that the kill causes is then no failure to report.
          vm.detachForReset();
          if (instance !== null) await killQemu(instance.pid, instance.startTicks);
        });
        controllers.delete(record.name);
        if (record.config.tpmDir !== null) {
          const tpm = tpmFiles(vmFiles(vmStorageRoot('windows', context.vm, options.storage.layout.vmDir).root, record), record.config.tpmDir);
          await stopSwtpm({ pidFile: tpm.pidFile, stateDir: tpm.stateDir });
        }
      },
    });
    if (!provisioned.ok) return provisioned;
    const { record, replaced, iso, drivers, files } = provisioned.value;
    const vm = makeController(record);
    controllers.set(record.name, vm);
    context.markers.emit('RAYOS_VM', 'CREATED', record.name);
    context.bus.publish('vm.created', { vm: record.name, id: record.id, kind: 'windows' });
    if (request.start) {
      // Made, but not started (policy, a launch failure): the result still says what exists; the view says why it is not running.
      await act(record.name, 'vm.start', actor, (started) => started.start());
    }
    return ok({ vm: viewOf(vm), replaced, iso, drivers, files });
  }

  return {
    name: 'vm',
    dependsOn: ['storage', 'policy'],

    async start(ctx: ServiceContext) {
      const vmConfig = ctx.config.vm;
      if (vmConfig.accel === 'auto') {
        const probe = await (options.accelProbe ?? probeAccelerator({ qemuBinary: vmConfig.qemuBinary }));
        accel = { accel: probe.accel, reason: probe.reason };
      } else {
        accel = { accel: vmConfig.accel, reason: 'configured' };
      }
      ctx.markers.emit('RAYOS_VM', 'ACCEL', accel.accel, accel.reason);
      const reg = new VmRegistry(options.storage.database());
      registry = reg;
      operationDeps = { registry: reg, markers: ctx.markers, bus: ctx.bus, snapshotTimeoutMs: vmConfig.snapshotTimeoutMs };
      await ensureDefaultLinux(ctx, reg);
      const scan = reg.scan();
      corrupt = scan.corrupt;
      for (const error of corrupt) ctx.markers.emit('RAYOS_VM', 'RECORD_CORRUPT', String(error.details?.['vm'] ?? '?'));
      provisionContext = { markers: ctx.markers, bus: ctx.bus, vm: vmConfig };
      const runningAccel = accel.accel;
      controllerFor = (record) => {
        const storage = vmStorageRoot(record.kind, vmConfig, options.storage.layout.vmDir);
        return new VmController(record, {
          registry: reg,
          vmRoot: storage.root,
          storageSetting: storage.setting,
          imagesDir: options.storage.layout.imagesDir,
          markers: ctx.markers,
          bus: ctx.bus,
          accel: runningAccel,
          qemuBinary: vmConfig.qemuBinary,
          qmpTimeoutMs: vmConfig.qmpTimeoutMs,
          snapshotTimeoutMs: vmConfig.snapshotTimeoutMs,
          guestReadyTimeoutMs: vmConfig.guestReadyTimeoutMs,
        });
      };
      for (const record of scan.records) {
        const vm = controllerFor(record);
        controllers.set(record.name, vm);
        // A VM that cannot come back is reported (marker, failed state); it never stops the runtime from booting.
        await vm.recover(() => options.policy.authorize(vmPolicyRequest(vm, controllers.values(), 'vm.start', { principal: OWNER, context: { atBoot: true } })));
      }
    },

    async stop() {
      await Promise.all(
        [...controllers.values()].map(async (vm) => {
          const state = vm.lifecycle.state;
          const live = state === 'running' || state === 'paused';
          const profile = vm.current().stopProfile;
          if (live && profile === 'suspend') {
            const suspended = await vm.suspend('running');
            if (suspended.ok) return;
          } else if (live && profile === 'shutdown') {
            await vm.stop({ force: false, timeoutMs: 20_000, desired: 'running' });
            return;
          }
          await vm.detach();
        }),
      );
      controllers.clear();
    },

    health(): Health {
      if (registry === null) return { status: 'failed', detail: 'not started' };
      const views = [...controllers.values()].map((vm) => `${vm.name} ${vm.lifecycle.state}`);
      const failed = [...controllers.values()].filter((vm) => vm.lifecycle.state === 'failed').map((vm) => vm.name);
      failed.push(...corrupt.map((error) => `${String(error.details?.['vm'] ?? '?')} (corrupt record)`));
      failed.push(...notCreated);
      const detail = `${accel?.accel ?? '?'} (${accel?.reason ?? '?'}); ${views.join(', ') || 'no VMs'}`;
      return failed.length > 0 ? { status: 'degraded', detail: `failed: ${failed.join(', ')}; ${detail}` } : { status: 'ok', detail };
    },

    supervisor,
  };
}
