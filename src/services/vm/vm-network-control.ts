// Owns turning one VM's guest network on and off: when it may change, the hot-plug on a running VM, eth0 at guest ready.
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import type { QmpClient } from '../../platform/qmp/qmp-client.js';
import type { GuestLink } from './guest-link.js';
import type { VmRecord, VmRegistry } from './vm-registry.js';
import { configureGuestNic, guestHasNetDriver, networkReason, plugNic, unplugNic, waitForGuestNic } from './vm-network.js';
import type { VmLifecycleState } from './vm-state.js';

/** Starts the reason "rayos vm show" gives while a guest booted with its network on could not set up eth0. */
const NETWORK_TROUBLE = 'network on, but ';
/** How long a network change waits for a booting guest's agent before it gives up. */
const GUEST_WAIT_MS = 60_000;

/** What a network change did: acted on the running VM now, or only stored the choice for its next start; or nothing. */
export interface NetworkChange {
  readonly live: boolean;
  readonly changed: boolean;
}

/** The changes to a VM's record this file makes. */
type RecordChanges = Pick<Parameters<VmRegistry['update']>[1], 'observedReason' | 'config'>;

/** What the network control needs of its VM's controller, read at each use: the controller owns all of it. */
export interface NetworkControlHost {
  readonly markers: MarkerWriter;
  readonly bus: EventBus;
  current(): VmRecord;
  /** Stores changes to the record in the registry and keeps the registry's copy. */
  updateRecord(changes: RecordChanges): void;
  state(): VmLifecycleState;
  qmp(): QmpClient | null;
  guest(): GuestLink | null;
  /** The error for a VM whose QMP link is gone. */
  noQmp(): RayosError;
  /** Runs the operation after the VM's others, as every operation on one VM does. */
  serial<T>(operation: () => Promise<T>): Promise<T>;
}

export class VmNetworkControl {
  constructor(private readonly host: NetworkControlHost) {}

  private get name(): string {
    return this.host.current().name;
  }

  /**
   * Turns guest networking (QEMU user mode) on or off. Running: the NIC is hot-plugged (netdev_add, device_add, the
   * guest binds it, eth0 is configured through the agent) or unplugged (device_del, DEVICE_DELETED, netdev_del).
   * Stopped: the choice is stored and the next start launches with it. The choice is stored only once it holds, so
   * a start, a resume (-loadvm needs the same devices) or a reattach finds QEMU's devices as the registry says.
   * A failed hot-plug is undone: the network stays as it was.
   */
  setNetwork(enabled: boolean, untrustedReason: string): Promise<Result<NetworkChange, RayosError>> {
    const reason = networkReason(untrustedReason);
    return this.host.serial(async () => {
      const want = enabled ? 'user' : 'none';
      const state = this.host.state();
      const record = this.host.current();
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
          if (record.observedReason?.startsWith(NETWORK_TROUBLE)) this.host.updateRecord({ observedReason: null });
        }
        return ok({ live, changed: false });
      }
      if (live) {
        const done = enabled ? await this.plugNetwork() : await this.unplugNetwork();
        if (!done.ok) return done;
      }
      this.host.updateRecord({ config: { ...record.config, network: want } });
      this.host.markers.emit('RAYOS_POLICY', 'NETWORK', this.name, enabled ? 'on' : 'off', reason);
      this.host.bus.publish('vm.network-changed', { vm: this.name, enabled, reason });
      return ok({ live, changed: true });
    });
  }

  /**
   * The guest just became ready. A guest booted (or rebooted) with its NIC plugged in has eth0 down and unaddressed;
   * a resumed one keeps its own set-up, which the idempotent configuration leaves as it is.
   */
  atGuestReady(): void {
    const record = this.host.current();
    if (record.config.network === 'user' && record.config.agent) void this.host.serial(() => this.configureAtReady());
  }

  private async configureAtReady(): Promise<void> {
    const guest = this.host.guest();
    if (this.host.state() !== 'running' || this.host.current().config.network !== 'user' || guest === null || !guest.ready) return;
    const seen = await waitForGuestNic(guest, this.name);
    const configured = seen.ok ? await configureGuestNic(guest, this.name) : seen;
    if (configured.ok) return;
    // No marker says this (the catalog has none for it): "rayos vm show" does, and the runtime log.
    const reason = `${NETWORK_TROUBLE}${configured.error.message} "rayos vm network ${this.name} on" tries again.`;
    this.host.updateRecord({ observedReason: reason });
    process.stderr.write(`${this.name}: ${configured.error.code}: ${reason}\n`);
  }

  private async plugNetwork(): Promise<Result<void, RayosError>> {
    const qmp = this.host.qmp();
    if (qmp === null) return err(this.host.noQmp());
    const record = this.host.current();
    if (record.config.machine !== 'q35') {
      return err(rayosError('RAYOS_VM_ILLEGAL_TRANSITION', `${this.name} is a ${record.config.machine} machine, which has no PCIe port to hot-plug a NIC into: stop it, turn its network on, and start it again.`));
    }
    let guest: GuestLink | null = null;
    if (record.config.agent) {
      const ready = await this.readyGuest();
      if (!ready.ok) return ready;
      guest = ready.value;
      const driver = await guestHasNetDriver(guest, this.name);
      if (!driver.ok) return driver;
      if (!driver.value) {
        const image = this.host.current().config.image?.key ?? 'its image';
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
    const qmp = this.host.qmp();
    if (qmp === null) return err(this.host.noQmp());
    return unplugNic(qmp, this.name);
  }

  /** The guest link once the agent answers, waiting a bounded while for a guest that is still booting. */
  private async readyGuest(): Promise<Result<GuestLink, RayosError>> {
    const guest = this.host.guest();
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
}
