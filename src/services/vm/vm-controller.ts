// Owns one VM while the runtime runs: its record and lifecycle, and its operations (recover, launch, pause, suspend, stop), one at a time.
import { existsSync } from 'node:fs';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { VmView } from '../../contracts/vm.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import type { QmpClient } from '../../platform/qmp/qmp-client.js';
import { inspectQemuProcess, launchQemu } from '../../platform/qemu/qemu-launcher.js';
import type { QgaLink } from '../../platform/qga/qga-link.js';
import type { GuestLink } from './guest-link.js';
import { abandonLaunch, prepareLaunch } from './vm-launch-prep.js';
import { buildSpec } from './vm-spec-builder.js';
import { vmFiles, type VmFiles } from './vm-files.js';
import type { VmRecord, VmRegistry } from './vm-registry.js';
import { VmLifecycle } from './vm-lifecycle.js';
import { newSuspendTag, savedStateNodes, vmstateNode } from './vm-saved-state.js';
import { VmGuestLinks } from './vm-guest-links.js';
import { VmNetworkControl, type NetworkChange } from './vm-network-control.js';
import { VmQmpLink } from './vm-qmp-link.js';
import type { VmState } from './vm-state.js';
import { storageMissingError } from './vm-storage.js';
import { vmView } from './vm-view.js';

export type { NetworkChange } from './vm-network-control.js';

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
  private readonly qemu: VmQmpLink;
  private readonly links: VmGuestLinks;
  private readonly network: VmNetworkControl;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    record: VmRecord,
    private readonly deps: VmControllerDeps,
  ) {
    this.record = record;
    this.files = vmFiles(deps.vmRoot, record);
    this.lifecycle = new VmLifecycle(record.name, atRest(record), (from, to, reason) => {
      this.updateRecord({ observedState: to, observedReason: reason });
      deps.bus.publish('vm.state-changed', { vm: record.name, from, to, reason });
    });
    this.qemu = new VmQmpLink({
      files: this.files,
      qmpTimeoutMs: deps.qmpTimeoutMs,
      current: () => this.record,
      closeGuestLinks: () => this.links.close(),
      forgetInstance: () => this.updateRecord({ instance: null }),
      fail: (error, reasonWord) => this.fail(error, reasonWord),
    });
    this.network = new VmNetworkControl({
      markers: deps.markers,
      bus: deps.bus,
      current: () => this.record,
      updateRecord: (changes) => this.updateRecord(changes),
      state: () => this.lifecycle.state,
      qmp: () => this.qemu.client,
      guest: () => this.links.guest,
      noQmp: () => this.noQmp(),
      serial: (operation) => this.serial(operation),
    });
    this.links = new VmGuestLinks({
      markers: deps.markers,
      bus: deps.bus,
      files: this.files,
      guestReadyTimeoutMs: deps.guestReadyTimeoutMs,
      current: () => this.record,
      afterReady: () => this.network.atGuestReady(),
    });
    // Until recovery proves otherwise, the stored state is the at-rest one (a host reboot leaves "running" behind).
    if (record.observedState !== this.lifecycle.state) this.updateRecord({ observedState: this.lifecycle.state });
  }

  get name(): string {
    return this.record.name;
  }

  /** Stores changes to the VM's record and keeps the registry's copy, which is the truth. */
  private updateRecord(changes: Parameters<VmRegistry['update']>[1]): void {
    this.deps.registry.update(this.record.id, changes);
    this.record = this.deps.registry.get(this.record.id);
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
        this.updateRecord({ instance: null });
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
    const qmp = await this.qemu.connect();
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
    this.links.open();
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
    const spec = buildSpec({ record: this.record, files: this.files, imagesDir: this.deps.imagesDir, accel: this.deps.accel, loadvmTag: tag, prepared: prepared.value });
    const launched = spec.ok ? await launchQemu(spec.value, { qemuBinary: this.deps.qemuBinary }) : spec;
    if (!launched.ok) {
      await abandonLaunch(this.record, this.files, prepared.value);
      return this.fail(launched.error);
    }
    const { pid, startTicks, configHash, launchedAt } = launched.value;
    const installers = prepared.value.cdroms?.length ?? 0;
    this.updateRecord({
      instance: { pid, startTicks, configHash, accel: this.deps.accel, launchedAt },
      desiredState: 'running',
      ...(tag === null ? { bootCount: this.record.bootCount + 1 } : { savedStateTag: null }),
      ...(prepared.value.configAfterLaunch === null ? {} : { config: prepared.value.configAfterLaunch }),
    });
    if (installers > 0 && tag === null) this.deps.markers.emit('RAYOS_WINDOWS', 'INSTALLER_ATTACHED', this.name, installers);
    const qmp = await this.qemu.connect();
    if (!qmp.ok) return this.fail(qmp.error);
    this.lifecycle.fact({ type: 'launched', pid });
    this.deps.markers.emit('RAYOS_VM', 'RUNNING', this.name, pid);
    if (tag !== null) {
      this.deps.markers.emit('RAYOS_VM', 'RESUMED', this.name);
      // The disk moves on from here: the saved state must never be loaded again, or it would roll the disk back.
      void qmp.value.runJob('snapshot-delete', { 'job-id': `delete-${Date.now()}`, tag, devices: savedStateNodes(this.record.config) }, { timeoutMs: this.deps.snapshotTimeoutMs });
    }
    this.links.open({ resumed: tag !== null });
    return ok(undefined);
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
      const qmp = this.qemu.client;
      if (!check.ok || qmp === null) return check.ok ? err(this.noQmp()) : check;
      const stopped = await qmp.execute('stop');
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
      const qmp = this.qemu.client;
      if (!check.ok || qmp === null) return check.ok ? err(this.noQmp()) : check;
      const cont = await qmp.execute('cont');
      if (!cont.ok) return cont;
      this.lifecycle.command('continue');
      this.deps.markers.emit('RAYOS_VM', 'CONTINUED', this.name);
      return ok(undefined);
    });
  }

  private noQmp(): RayosError {
    return rayosError('RAYOS_QMP_CLOSED', `${this.name}: RayOS has no QMP link to its QEMU; see "rayos vm show ${this.name}".`);
  }

  /** Turns guest networking on or off, now on a running VM or at its next start (vm-network-control.ts). */
  setNetwork(enabled: boolean, untrustedReason: string): Promise<Result<NetworkChange, RayosError>> {
    return this.network.setNetwork(enabled, untrustedReason);
  }

  /** Saves the whole VM into its disk and lets QEMU exit; the next start resumes it. */
  suspend(desired: 'suspended' | 'running' = 'suspended'): Promise<Result<string, RayosError>> {
    return this.serial(async () => {
      const check = this.lifecycle.command('suspend');
      if (!check.ok) return check;
      const qmp = this.qemu.client;
      const instance = this.record.instance;
      if (qmp === null || instance === null) return this.fail(this.noQmp());
      this.deps.markers.emit('RAYOS_VM', 'SUSPENDING', this.name);
      const tag = newSuspendTag();
      // Stop first so nothing changes between the save and the quit.
      const stopped = await qmp.execute('stop');
      if (!stopped.ok) return this.fail(stopped.error);
      const saved = await qmp.runJob('snapshot-save', { 'job-id': `save-${Date.now()}`, tag, vmstate: vmstateNode(this.record.config), devices: savedStateNodes(this.record.config) }, { timeoutMs: this.deps.snapshotTimeoutMs });
      if (!saved.ok) {
        await qmp.execute('cont');
        this.lifecycle.fact({ type: 'suspend-failed', reason: saved.error.message });
        return err(saved.error);
      }
      this.deps.registry.update(this.record.id, { savedStateTag: tag, desiredState: desired });
      await this.quitAndWait(instance.pid, instance.startTicks);
      this.updateRecord({ instance: null });
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
        this.qemu.expectingExit = true;
        try {
          let how = 'forced';
          const guest = this.links.guest;
          if (!options.force && guest?.ready) {
            const asked = await guest.shutdown('poweroff');
            if (asked.ok) how = 'guest';
          } else if (!options.force && this.links.qga?.shutdown() === true) {
            how = 'guest';
          }
          const qmp = this.qemu.client;
          if (how === 'forced' && !options.force && qmp !== null) {
            const acpi = await qmp.execute('system_powerdown');
            if (acpi.ok) how = 'acpi';
          }
          this.deps.markers.emit('RAYOS_VM', 'STOPPING', this.name, how);
          const exited = how !== 'forced' && (await this.qemu.waitForExit(instance.pid, instance.startTicks, options.timeoutMs));
          if (!exited) await this.quitAndWait(instance.pid, instance.startTicks);
        } finally {
          this.qemu.expectingExit = false;
        }
      }
      this.detachLinks();
      this.updateRecord({ instance: null });
      this.lifecycle.fact({ type: 'exited', reason: 'stopped on request' });
      this.deps.markers.emit('RAYOS_VM', 'STOPPED', this.name);
      return ok(undefined);
    });
  }

  /** Makes QEMU quit (vm-qmp-link.ts), then lets go of every link to it. */
  private async quitAndWait(pid: number, startTicks: number): Promise<void> {
    try {
      await this.qemu.quit(pid, startTicks);
    } finally {
      this.detachLinks();
    }
  }

  /** Reset kills QEMU itself; the links must not report that exit as a failure. */
  detachForReset(): void {
    this.qemu.expectingExit = true;
    this.detachLinks();
    this.qemu.expectingExit = false;
  }

  private detachLinks(): void {
    this.links.close();
    this.qemu.close();
  }

  /** Runtime stop with keep-running: let go of QEMU without touching it; the next runtime reattaches. */
  detach(): Promise<void> {
    return this.serial(async () => {
      this.qemu.expectingExit = true;
      this.detachLinks();
    });
  }

  get qmpClient(): QmpClient | null {
    return this.qemu.client;
  }

  get guestLink(): GuestLink | null {
    return this.links.guest;
  }

  /** The QEMU guest agent link of a VM that has one (the Windows profile), while QEMU runs. */
  get qgaLink(): QgaLink | null {
    return this.links.qga;
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
    return vmView({ record: this.record, state: this.lifecycle.state, files: this.files, guest: this.links.guest, qga: this.links.qga });
  }
}
