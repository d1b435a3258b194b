// Owns one VM while the runtime runs: its QEMU process, QMP link, guest link and lifecycle, one operation at a time.
import { existsSync } from 'node:fs';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { HelloResult } from '../../contracts/guest-agent.js';
import type { VmView } from '../../contracts/vm.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import { connectQmp, type QmpClient } from '../../platform/qmp/qmp-client.js';
import { inspectQemuProcess, killQemu, launchQemu } from '../../platform/qemu/qemu-launcher.js';
import { QgaLink } from '../../platform/qga/qga-link.js';
import { GuestLink } from './guest-link.js';
import { abandonLaunch, prepareLaunch } from './vm-launch-prep.js';
import { buildSpec, type SpecInputs } from './vm-spec-builder.js';
import { vmFiles, type VmFiles } from './vm-files.js';
import type { VmRecord, VmRegistry } from './vm-registry.js';
import { VmLifecycle } from './vm-lifecycle.js';
import { configureGuestNic, guestHasNetDriver, networkReason, plugNic, unplugNic, waitForGuestNic } from './vm-network.js';
import type { VmState } from './vm-state.js';
import { storageMissingError } from './vm-storage.js';

export interface VmControllerDeps {
  readonly registry: VmRegistry;
  /** The storage directory of the VM's kind (vm-storage.ts): its folder is <vmRoot>/<id>. */
  readonly vmRoot: string;
  /** The config key that chose vmRoot (for the error when the folder is missing); absent: the data directory's vm/. */
  readonly storageSetting?: string | null;
  readonly imagesDir: string;
  readonly markers: MarkerWriter;
  readonly bus: EventBus;
  readonly accel: 'kvm' | 'tcg';
  readonly qemuBinary: string;
  readonly qmpTimeoutMs: number;
  readonly snapshotTimeoutMs: number;
  readonly guestReadyTimeoutMs: number;
  /** Where Debian's ovmf puts its files (UEFI VMs); default /usr/share/OVMF. */
  readonly ovmfDir?: string;
}

const SUSPEND_TAG_PREFIX = 'rayos-suspend-';
/** Starts the reason "rayos vm show" gives while a guest booted with its network on could not set up eth0. */
const NETWORK_TROUBLE = 'network on, but ';
/** How long a network change waits for a booting guest's agent before it gives up. */
const GUEST_WAIT_MS = 60_000;

/** What a network change did: acted on the running VM now, or only stored the choice for its next start; or nothing. */
export interface NetworkChange {
  readonly live: boolean;
  readonly changed: boolean;
}

/** The state a VM is in while no QEMU of it runs, from what the registry remembers. */
function atRest(record: VmRecord): VmState {
  if (record.savedStateTag !== null) return { state: 'suspended', tag: record.savedStateTag };
  if (record.observedState === 'failed') return { state: 'failed', reason: record.observedReason ?? 'failed in an earlier run' };
  return record.bootCount === 0 ? { state: 'defined' } : { state: 'stopped' };
}

export class VmController {
  readonly files: VmFiles;
  readonly lifecycle: VmLifecycle;
  private record: VmRecord;
  private qmp: QmpClient | null = null;
  private guest: GuestLink | null = null;
  /** The QEMU guest agent (Windows), when the VM has its port. */
  private qga: QgaLink | null = null;
  /** True while RayOS itself makes QEMU exit, so the exit is not reported as a failure. */
  private expectingExit = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    record: VmRecord,
    private readonly deps: VmControllerDeps,
  ) {
    this.record = record;
    this.files = vmFiles(deps.vmRoot, record);
    this.lifecycle = new VmLifecycle(record.name, atRest(record), (from, to, reason) => {
      deps.registry.update(record.id, { observedState: to, observedReason: reason });
      this.record = deps.registry.get(record.id);
      deps.bus.publish('vm.state-changed', { vm: record.name, from, to, reason });
    });
    // Until recovery proves otherwise, the stored state is the at-rest one (a host reboot leaves "running" behind).
    if (record.observedState !== this.lifecycle.state) {
      deps.registry.update(record.id, { observedState: this.lifecycle.state });
      this.record = deps.registry.get(record.id);
    }
  }

  get name(): string {
    return this.record.name;
  }

  /** Operations on one VM run one after another; a second caller waits for the first. */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  // ---- recovery at runtime start ----------------------------------------------------------------

  /** Reattach to a live QEMU, else resume saved state, else cold-boot when the VM should run. Never kills a QEMU it finds. */
  recover(mayLaunch: () => Promise<Result<unknown, RayosError>>): Promise<Result<void, RayosError>> {
    // Reattaching takes over what already runs; launching (resume or cold boot) starts something, so policy decides it.
    const launchIfAllowed = async (how: 'cold' | 'resume'): Promise<Result<void, RayosError>> => {
      const allowed = await mayLaunch();
      return allowed.ok ? this.launch(how) : allowed;
    };
    return this.serial(async () => {
      const instance = this.record.instance;
      if (instance !== null) {
        const seen = await inspectQemuProcess(instance.pid, instance.configHash, instance.startTicks);
        if (seen.alive && seen.matches) return this.reattach(instance.pid);
        // The QEMU we launched is gone (or its pid now belongs to another program).
        this.deps.registry.update(this.record.id, { instance: null });
        this.record = this.deps.registry.get(this.record.id);
      }
      // Nothing of it is where its storage points: report it, whatever it should be doing, and launch nothing.
      const missing = this.storageMissing();
      if (missing !== null) return this.refuseMissingStorage(missing);
      if (this.record.savedStateTag !== null) {
        this.lifecycle.establish({ state: 'suspended', tag: this.record.savedStateTag });
        return this.record.desiredState === 'suspended' ? ok(undefined) : launchIfAllowed('resume');
      }
      this.lifecycle.establish(atRest(this.record));
      return this.record.desiredState === 'running' ? launchIfAllowed('cold') : ok(undefined);
    });
  }

  private async reattach(pid: number): Promise<Result<void, RayosError>> {
    const qmp = await this.connectQmp();
    if (!qmp.ok) {
      const reason = `QMP does not answer (${qmp.error.code})`;
      this.deps.markers.emit('RAYOS_VM', 'REATTACH_FAILED', this.name, reason);
      this.deps.bus.publish('vm.reattach-failed', { vm: this.name, pid, reason });
      this.lifecycle.fact({ type: 'failed', reason: `reattach failed: ${qmp.error.message} QEMU pid ${pid} was left running.` });
      return err(rayosError('RAYOS_VM_REATTACH_FAILED', `${this.name}: QEMU pid ${pid} is alive but ${reason}; it was left running. Stop it by hand if it is stuck, then "rayos vm start ${this.name}".`));
    }
    const status = await qmp.value.execute('query-status');
    this.lifecycle.fact({ type: 'reattached', pid, paused: status.ok && !status.value.running });
    this.deps.markers.emit('RAYOS_VM', 'REATTACHED', this.name, pid);
    this.deps.bus.publish('vm.reattached', { vm: this.name, pid });
    this.openGuest();
    return ok(undefined);
  }

  // ---- launch -------------------------------------------------------------------------------

  private async launch(how: 'cold' | 'resume'): Promise<Result<void, RayosError>> {
    const tag = how === 'resume' ? this.record.savedStateTag : null;
    const check = this.lifecycle.check(how === 'resume' ? 'resume' : 'start');
    if (!check.ok) return check;
    // Its folder was made with its disks when it was created: never remade here, so QEMU never boots an empty disk.
    const missing = this.storageMissing();
    if (missing !== null) return this.refuseMissingStorage(missing);
    const moved = this.lifecycle.command(how === 'resume' ? 'resume' : 'start');
    if (!moved.ok) return moved;
    if (tag !== null) this.deps.markers.emit('RAYOS_VM', 'RESUMING', this.name, tag);
    else this.deps.markers.emit('RAYOS_VM', 'STARTING', this.name);
    // Firmware, variables and TPM state are checked (and swtpm started on that state) before QEMU, on every launch.
    const prepared = await prepareLaunch(this.record, this.files, how, this.deps.ovmfDir === undefined ? {} : { ovmfDir: this.deps.ovmfDir });
    if (!prepared.ok) return this.fail(prepared.error);
    if (prepared.value.swtpm !== null) this.deps.markers.emit('RAYOS_WINDOWS', 'TPM_STARTED', this.name, prepared.value.swtpm.pid);
    const spec = buildSpec({ ...this.specInputs(tag), prepared: prepared.value });
    const launched = spec.ok ? await launchQemu(spec.value, { qemuBinary: this.deps.qemuBinary }) : spec;
    if (!launched.ok) {
      await abandonLaunch(this.record, this.files, prepared.value);
      return this.fail(launched.error);
    }
    const { pid, startTicks, configHash, launchedAt } = launched.value;
    const installers = prepared.value.cdroms?.length ?? 0;
    this.deps.registry.update(this.record.id, {
      instance: { pid, startTicks, configHash, accel: this.deps.accel, launchedAt },
      desiredState: 'running',
      ...(tag === null ? { bootCount: this.record.bootCount + 1 } : { savedStateTag: null }),
      ...(prepared.value.configAfterLaunch === null ? {} : { config: prepared.value.configAfterLaunch }),
    });
    this.record = this.deps.registry.get(this.record.id);
    if (installers > 0 && tag === null) this.deps.markers.emit('RAYOS_WINDOWS', 'INSTALLER_ATTACHED', this.name, installers);
    const qmp = await this.connectQmp();
    if (!qmp.ok) return this.fail(qmp.error);
    this.lifecycle.fact({ type: 'launched', pid });
    this.deps.markers.emit('RAYOS_VM', 'RUNNING', this.name, pid);
    if (tag !== null) {
      this.deps.markers.emit('RAYOS_VM', 'RESUMED', this.name);
      // The disk moves on from here: the saved state must never be loaded again, or it would roll the disk back.
      void qmp.value.runJob('snapshot-delete', { 'job-id': `delete-${Date.now()}`, tag, devices: this.diskNodes() }, { timeoutMs: this.deps.snapshotTimeoutMs });
    }
    this.openGuest();
    return ok(undefined);
  }

  private specInputs(loadvmTag: string | null): SpecInputs {
    return { record: this.record, files: this.files, imagesDir: this.deps.imagesDir, accel: this.deps.accel, loadvmTag };
  }

  /**
   * The nodes a suspend saves into and a resume deletes from. UEFI variables in qcow2 are one of them: -loadvm
   * wants the tag on every writable node, and the variables must come back as they were with the RAM.
   */
  private diskNodes(): string[] {
    return [...this.record.config.disks.map((d) => d.nodeName), ...(this.hasQcow2Vars() ? ['fw-vars'] : [])];
  }

  /**
   * Where a suspend puts the RAM. -loadvm reads it from the first writable node it finds, and a pflash's node comes
   * before every disk (the machine attaches it before any -device): with qcow2 variables that is fw-vars, and a state
   * saved in the system disk is refused there as "a disk-only snapshot" (seen with QEMU 7.2).
   */
  private vmstateNode(): string {
    return this.hasQcow2Vars() ? 'fw-vars' : this.record.config.disks[0]!.nodeName;
  }

  private hasQcow2Vars(): boolean {
    const fw = this.record.config.firmware;
    return fw.kind === 'uefi' && fw.varsFormat === 'qcow2';
  }

  private async connectQmp(): Promise<Result<QmpClient, RayosError>> {
    let last: RayosError | null = null;
    // Two sockets: a stuck client on one (an old runtime, a person's socat) cannot lock RayOS out.
    for (const path of this.files.qmpSockets) {
      if (!existsSync(path)) continue;
      // A busy socket never greets; give up on it quickly and try the spare.
      const client = await connectQmp(path, { connectTimeoutMs: Math.min(1500, this.deps.qmpTimeoutMs), commandTimeoutMs: this.deps.qmpTimeoutMs });
      if (client.ok) {
        this.qmp = client.value;
        client.value.onClose((reason) => void this.onQmpClosed(client.value, reason));
        return client;
      }
      last = client.error;
    }
    return err(last ?? rayosError('RAYOS_QMP_CONNECT', `${this.name}: no QMP socket in ${this.files.dir}; the VM's QEMU is not running.`));
  }

  private openGuest(): void {
    this.guest?.close();
    this.qga?.close();
    this.qga = null;
    if (this.record.config.qga === true) {
      // qemu-ga in a Windows guest: its answer is readiness; none in time is said, not pretended (it may come later).
      const windows = this.record.kind === 'windows';
      this.qga = new QgaLink({
        socketPath: this.files.qgaSocket,
        readyTimeoutMs: this.deps.guestReadyTimeoutMs,
        onReady: () => (windows ? this.deps.markers.emit('RAYOS_WINDOWS', 'GUEST_READY') : undefined),
        onNoAgent: () => (windows ? this.deps.markers.emit('RAYOS_WINDOWS', 'NO_AGENT') : undefined),
      });
      this.qga.open();
    }
    if (!this.record.config.agent) return;
    this.guest = new GuestLink({
      socketPath: this.files.agentSocket,
      readyTimeoutMs: this.deps.guestReadyTimeoutMs,
      onReady: (hello) => this.onGuestReady(hello),
      onGaveUp: (error) => this.deps.markers.emit('RAYOS_VM', 'FAILED', this.name, `guest-not-ready ${error.code}`),
    });
    this.guest.open();
  }

  private onGuestReady(hello: HelloResult): void {
    if (this.record.kind === 'linux') this.deps.markers.emit('RAYOS_LINUX', 'GUEST_READY');
    this.deps.bus.publish('guest.ready', { vm: this.name, bootId: hello.bootId, uptimeMs: hello.uptimeMs, agentVersion: hello.agentVersion });
    // A guest booted (or rebooted) with its NIC plugged in has eth0 down and unaddressed; a resumed one keeps its own
    // set-up, which the idempotent configuration leaves as it is.
    if (this.record.config.network === 'user' && this.record.config.agent) void this.serial(() => this.configureNetworkAtReady());
  }

  private async configureNetworkAtReady(): Promise<void> {
    const guest = this.guest;
    if (this.lifecycle.state !== 'running' || this.record.config.network !== 'user' || guest === null || !guest.ready) return;
    const seen = await waitForGuestNic(guest, this.name);
    const configured = seen.ok ? await configureGuestNic(guest, this.name) : seen;
    if (configured.ok) return;
    // No marker says this (the catalog has none for it): "rayos vm show" does, and the runtime log.
    const reason = `${NETWORK_TROUBLE}${configured.error.message} "rayos vm network ${this.name} on" tries again.`;
    this.deps.registry.update(this.record.id, { observedReason: reason });
    this.record = this.deps.registry.get(this.record.id);
    process.stderr.write(`${this.name}: ${configured.error.code}: ${reason}\n`);
  }

  /** QEMU went away (or dropped us) while RayOS did not ask for it: say so, with the reason. */
  private async onQmpClosed(client: QmpClient, reason: RayosError): Promise<void> {
    if (this.qmp !== client) return;
    this.qmp = null;
    if (this.expectingExit) return;
    const instance = this.record.instance;
    const gone = instance === null || (await this.waitForExit(instance.pid, instance.startTicks, 1000));
    if (this.qmp !== null || this.expectingExit) return;
    this.guest?.close();
    this.guest = null;
    this.qga?.close();
    this.qga = null;
    if (gone) {
      this.deps.registry.update(this.record.id, { instance: null });
      this.record = this.deps.registry.get(this.record.id);
      this.fail(rayosError('RAYOS_VM_QEMU_EXITED', `${this.name}: QEMU exited unexpectedly (${reason.code}); see ${this.files.qemuLog}. "rayos vm start ${this.name}" boots the same disk again.`), 'qemu-exited');
      return;
    }
    const again = await this.connectQmp();
    if (!again.ok) this.fail(rayosError('RAYOS_QMP_CLOSED', `${this.name}: QEMU runs but QMP was lost (${reason.message}).`), 'qmp-lost');
  }

  /** Resolves true when the process is gone within timeoutMs. */
  private async waitForExit(pid: number, startTicks: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = await inspectQemuProcess(pid, this.record.instance?.configHash ?? '', startTicks);
      if (!seen.alive) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The error that refuses this VM when its folder is not in its storage directory; null when it is there. */
  storageMissing(): RayosError | null {
    if (existsSync(this.files.dir)) return null;
    return storageMissingError(this.name, this.files.dir, { root: this.files.root, setting: this.deps.storageSetting ?? null }, existsSync(this.files.root));
  }

  private refuseMissingStorage<T>(error: RayosError): Result<T, RayosError> {
    this.deps.markers.emit('RAYOS_VM', 'STORAGE_MISSING', this.name);
    return this.fail(error, 'storage-missing');
  }

  private fail<T>(error: RayosError, reasonWord?: string): Result<T, RayosError> {
    const word = reasonWord ?? error.code.replace(/^RAYOS_/, '').toLowerCase();
    this.lifecycle.fact({ type: 'failed', reason: error.message });
    this.deps.markers.emit('RAYOS_VM', 'FAILED', this.name, word);
    return err(error);
  }

  // ---- commands ------------------------------------------------------------------------------

  start(): Promise<Result<void, RayosError>> {
    return this.serial(async () => {
      // A suspended VM starts by resuming its saved state: that is what "start" means to a person.
      if (this.lifecycle.state === 'suspended') return this.launch('resume');
      return this.launch('cold');
    });
  }

  pause(): Promise<Result<void, RayosError>> {
    return this.serial(async () => {
      const check = this.lifecycle.check('pause');
      if (!check.ok || this.qmp === null) return check.ok ? err(this.noQmp()) : check;
      const stopped = await this.qmp.execute('stop');
      if (!stopped.ok) return stopped;
      this.lifecycle.command('pause');
      this.deps.markers.emit('RAYOS_VM', 'PAUSED', this.name);
      return ok(undefined);
    });
  }

  /** Continues a paused VM, or brings a suspended one back from its saved state. */
  resume(): Promise<Result<void, RayosError>> {
    return this.serial(async () => {
      if (this.lifecycle.state === 'suspended') return this.launch('resume');
      const check = this.lifecycle.check('continue');
      if (!check.ok || this.qmp === null) return check.ok ? err(this.noQmp()) : check;
      const cont = await this.qmp.execute('cont');
      if (!cont.ok) return cont;
      this.lifecycle.command('continue');
      this.deps.markers.emit('RAYOS_VM', 'CONTINUED', this.name);
      return ok(undefined);
    });
  }

  private noQmp(): RayosError {
    return rayosError('RAYOS_QMP_CLOSED', `${this.name}: RayOS has no QMP link to its QEMU; see "rayos vm show ${this.name}".`);
  }

  // ---- guest network ----------------------------------------------------------------------------

  /**
   * Turns guest networking (QEMU user mode) on or off. Running: the NIC is hot-plugged (netdev_add, device_add, the
   * guest binds it, eth0 is configured through the agent) or unplugged (device_del, DEVICE_DELETED, netdev_del).
   * Stopped: the choice is stored and the next start launches with it. The choice is stored only once it holds, so
   * a start, a resume (-loadvm needs the same devices) or a reattach finds QEMU's devices as the registry says.
   * A failed hot-plug is undone: the network stays as it was.
   */
  setNetwork(enabled: boolean, untrustedReason: string): Promise<Result<NetworkChange, RayosError>> {
    const reason = networkReason(untrustedReason);
    return this.serial(async () => {
      const want = enabled ? 'user' : 'none';
      const state = this.lifecycle.state;
      const record = this.record;
      const now = record.config.network === 'user' ? 'on' : 'off';
      if (record.savedStateTag !== null) {
        return err(
          rayosError(
            'RAYOS_VM_ILLEGAL_TRANSITION',
            `${this.name} is ${state} and its saved state holds its devices as they were (network ${now}), so its network cannot change until it runs again: "rayos vm start ${this.name}" resumes it, then change the network.`,
          ),
        );
      }
      const live = state === 'running';
      const resting = (state === 'defined' || state === 'stopped' || state === 'failed') && record.instance === null;
      if (!live && !resting) {
        const what =
          state === 'paused'
            ? `"rayos vm resume ${this.name}" first (a paused guest cannot take a NIC)`
            : record.instance !== null && state === 'failed'
              ? `its QEMU (pid ${record.instance.pid}) is still there but RayOS has no hold of it; stop it and start the VM again`
              : `wait until it is running or stopped`;
        return err(rayosError('RAYOS_VM_ILLEGAL_TRANSITION', `${this.name} is ${state}; its network changes while it runs (hot-plug) or while it is stopped (at its next start): ${what}.`));
      }
      if (record.config.network === want) {
        // Already so. A running guest with the network on gets its eth0 set up again, which repairs one that lost it.
        if (live && enabled && record.config.agent) {
          const guest = await this.readyGuest();
          const configured = guest.ok ? await configureGuestNic(guest.value, this.name) : guest;
          if (!configured.ok) return configured;
          if (record.observedReason?.startsWith(NETWORK_TROUBLE)) {
            this.deps.registry.update(record.id, { observedReason: null });
            this.record = this.deps.registry.get(record.id);
          }
        }
        return ok({ live, changed: false });
      }
      if (live) {
        const done = enabled ? await this.plugNetwork() : await this.unplugNetwork();
        if (!done.ok) return done;
      }
      this.deps.registry.update(record.id, { config: { ...record.config, network: want } });
      this.record = this.deps.registry.get(record.id);
      this.deps.markers.emit('RAYOS_POLICY', 'NETWORK', this.name, enabled ? 'on' : 'off', reason);
      this.deps.bus.publish('vm.network-changed', { vm: this.name, enabled, reason });
      return ok({ live, changed: true });
    });
  }

  private async plugNetwork(): Promise<Result<void, RayosError>> {
    const qmp = this.qmp;
    if (qmp === null) return err(this.noQmp());
    if (this.record.config.machine !== 'q35') {
      return err(rayosError('RAYOS_VM_ILLEGAL_TRANSITION', `${this.name} is a ${this.record.config.machine} machine, which has no PCIe port to hot-plug a NIC into: stop it, turn its network on, and start it again.`));
    }
    let guest: GuestLink | null = null;
    if (this.record.config.agent) {
      const ready = await this.readyGuest();
      if (!ready.ok) return ready;
      guest = ready.value;
      const driver = await guestHasNetDriver(guest, this.name);
      if (!driver.ok) return driver;
      if (!driver.value) {
        const image = this.record.config.image?.key ?? 'its image';
        return err(rayosError('RAYOS_GUEST_IMAGE_MISSING', `${this.name}: its guest image ${image} has no virtio_net driver (it predates guest networking), so it cannot use a NIC; a VM made from the current image ("rayos guest build") can.`));
      }
    }
    const plugged = await plugNic(qmp, this.name);
    if (!plugged.ok) return plugged;
    if (guest === null) return ok(undefined);
    const seen = await waitForGuestNic(guest, this.name);
    const configured = seen.ok ? await configureGuestNic(guest, this.name) : seen;
    if (!configured.ok) {
      // Leave no half-plugged NIC behind: the registry says "off", so QEMU must too.
      await unplugNic(qmp, this.name);
      return configured;
    }
    return ok(undefined);
  }

  private async unplugNetwork(): Promise<Result<void, RayosError>> {
    const qmp = this.qmp;
    if (qmp === null) return err(this.noQmp());
    return unplugNic(qmp, this.name);
  }

  /** The guest link once the agent answers, waiting a bounded while for a guest that is still booting. */
  private async readyGuest(): Promise<Result<GuestLink, RayosError>> {
    const guest = this.guest;
    if (guest !== null && guest.ready) return ok(guest);
    let timer: NodeJS.Timeout | undefined;
    const ready =
      guest !== null &&
      (await Promise.race([
        guest.whenReady(),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), GUEST_WAIT_MS);
        }),
      ]));
    clearTimeout(timer);
    if (ready && guest.ready) return ok(guest);
    return err(rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', `${this.name}: the guest agent has not answered (RAYOS_LINUX:GUEST_READY), so its network cannot be set up yet; wait for the guest to boot (see "rayos vm logs ${this.name}") and try again.`));
  }

  /** Saves the whole VM into its disk and lets QEMU exit; the next start resumes it. */
  suspend(desired: 'suspended' | 'running' = 'suspended'): Promise<Result<string, RayosError>> {
    return this.serial(async () => {
      const check = this.lifecycle.command('suspend');
      if (!check.ok) return check;
      const qmp = this.qmp;
      const instance = this.record.instance;
      if (qmp === null || instance === null) return this.fail(this.noQmp());
      this.deps.markers.emit('RAYOS_VM', 'SUSPENDING', this.name);
      const tag = `${SUSPEND_TAG_PREFIX}${Date.now()}`;
      // Stop first so nothing changes between the save and the quit.
      const stopped = await qmp.execute('stop');
      if (!stopped.ok) return this.fail(stopped.error);
      const saved = await qmp.runJob('snapshot-save', { 'job-id': `save-${Date.now()}`, tag, vmstate: this.vmstateNode(), devices: this.diskNodes() }, { timeoutMs: this.deps.snapshotTimeoutMs });
      if (!saved.ok) {
        await qmp.execute('cont');
        this.lifecycle.fact({ type: 'suspend-failed', reason: saved.error.message });
        return err(saved.error);
      }
      this.deps.registry.update(this.record.id, { savedStateTag: tag, desiredState: desired });
      await this.quitAndWait(instance.pid, instance.startTicks);
      this.deps.registry.update(this.record.id, { instance: null });
      this.record = this.deps.registry.get(this.record.id);
      this.lifecycle.fact({ type: 'saved', tag });
      this.deps.markers.emit('RAYOS_VM', 'SUSPENDED', this.name, tag);
      return ok(tag);
    });
  }

  /** Asks the guest to power off (agent, else ACPI), and forces QEMU to quit after the deadline. */
  stop(options: { force: boolean; timeoutMs: number; desired?: 'stopped' | 'running' }): Promise<Result<void, RayosError>> {
    return this.serial(async () => {
      const check = this.lifecycle.command('stop');
      if (!check.ok) return check;
      const instance = this.record.instance;
      this.deps.registry.update(this.record.id, { desiredState: options.desired ?? 'stopped' });
      if (instance !== null) {
        this.expectingExit = true;
        try {
          let how = 'forced';
          if (!options.force && this.guest?.ready) {
            const asked = await this.guest.shutdown('poweroff');
            if (asked.ok) how = 'guest';
          } else if (!options.force && this.qga?.shutdown() === true) {
            how = 'guest';
          }
          if (how === 'forced' && !options.force && this.qmp !== null) {
            const acpi = await this.qmp.execute('system_powerdown');
            if (acpi.ok) how = 'acpi';
          }
          this.deps.markers.emit('RAYOS_VM', 'STOPPING', this.name, how);
          const exited = how !== 'forced' && (await this.waitForExit(instance.pid, instance.startTicks, options.timeoutMs));
          if (!exited) await this.quitAndWait(instance.pid, instance.startTicks);
        } finally {
          this.expectingExit = false;
        }
      }
      this.detachLinks();
      this.deps.registry.update(this.record.id, { instance: null });
      this.record = this.deps.registry.get(this.record.id);
      this.lifecycle.fact({ type: 'exited', reason: 'stopped on request' });
      this.deps.markers.emit('RAYOS_VM', 'STOPPED', this.name);
      return ok(undefined);
    });
  }

  /** quit over QMP, then SIGKILL if QEMU is still there after a few seconds. */
  private async quitAndWait(pid: number, startTicks: number): Promise<void> {
    this.expectingExit = true;
    try {
      if (this.qmp !== null) await this.qmp.execute('quit', undefined, { timeoutMs: 2000 });
      if (!(await this.waitForExit(pid, startTicks, 5000))) await killQemu(pid, startTicks);
    } finally {
      this.expectingExit = false;
      this.detachLinks();
    }
  }

  /** Reset kills QEMU itself; the links must not report that exit as a failure. */
  detachForReset(): void {
    this.expectingExit = true;
    this.detachLinks();
    this.expectingExit = false;
  }

  private detachLinks(): void {
    this.guest?.close();
    this.guest = null;
    this.qga?.close();
    this.qga = null;
    const qmp = this.qmp;
    this.qmp = null;
    void qmp?.close();
  }

  /** Runtime stop with keep-running: let go of QEMU without touching it; the next runtime reattaches. */
  detach(): Promise<void> {
    return this.serial(async () => {
      this.expectingExit = true;
      this.detachLinks();
    });
  }

  get qmpClient(): QmpClient | null {
    return this.qmp;
  }

  get guestLink(): GuestLink | null {
    return this.guest;
  }

  /** The QEMU guest agent link of a VM that has one (the Windows profile), while QEMU runs. */
  get qgaLink(): QgaLink | null {
    return this.qga;
  }

  current(): VmRecord {
    return this.record;
  }

  runExclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.serial(operation);
  }

  setRecord(record: VmRecord): void {
    this.record = record;
  }

  view(): VmView {
    const r = this.record;
    const hello = this.guest?.lastHello ?? null;
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      state: this.lifecycle.state,
      presentation: this.lifecycle.state === 'running' || this.lifecycle.state === 'paused' ? 'hidden' : null,
      reason: r.observedReason,
      desiredState: r.desiredState,
      stopProfile: r.stopProfile,
      pid: r.instance?.pid ?? null,
      accel: r.instance?.accel ?? null,
      memoryMiB: r.config.memoryMiB,
      vcpus: r.config.vcpus,
      bootCount: r.bootCount,
      savedStateTag: r.savedStateTag,
      createdAt: r.createdAt,
      disks: r.config.disks.map((d) => ({ nodeName: d.nodeName, path: this.files.disk(d.file), format: d.format })),
      network: r.config.network === 'user',
      guest: {
        ready: this.guest?.ready ?? this.qga?.ready ?? false,
        agentVersion: hello?.agentVersion ?? null,
        bootId: hello?.bootId ?? null,
        uptimeMs: hello?.uptimeMs ?? null,
        served: hello?.served ?? null,
      },
    };
  }
}
