// Owns one VM's links into its guest (the RayOS agent, qemu-ga) and the markers that say its guest is ready.
import { err, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { HelloResult } from '../../contracts/guest-agent.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import { QgaLink } from '../../platform/qga/qga-link.js';
import { GuestLink } from './guest-link.js';
import type { VmFiles } from './vm-files.js';
import type { VmRecord } from './vm-registry.js';

/** What the links need of their VM's controller: read at each use, since the record is replaced as the VM changes. */
export interface GuestLinksHost {
  readonly markers: MarkerWriter;
  readonly bus: EventBus;
  readonly files: VmFiles;
  readonly guestReadyTimeoutMs: number;
  current(): VmRecord;
  /** Runs once the guest is ready and said so (marker, event): what the VM does next with its guest. */
  afterReady(): void;
}

const CLOCK_EXEC_TIMEOUT_MS = 10_000;
/** The host's time in nanoseconds since the epoch, as guest-set-time takes it; a double is exact to well under a microsecond here. */
const hostNowNs = (): number => Date.now() * 1_000_000;

export class VmGuestLinks {
  private guestLink: GuestLink | null = null;
  /** The QEMU guest agent (Windows), when the VM has its port. */
  private qgaLink: QgaLink | null = null;

  constructor(private readonly host: GuestLinksHost) {}

  get guest(): GuestLink | null {
    return this.guestLink;
  }

  get qga(): QgaLink | null {
    return this.qgaLink;
  }

  /**
   * Opens the links the VM's config asks for, on a QEMU just launched or reattached; the old ones are closed. After a
   * resume, the agent is asked to set the guest's clock once it answers: the guest slept through the time it was saved.
   */
  open(options: { resumed: boolean } = { resumed: false }): void {
    const record = this.host.current();
    this.guestLink?.close();
    this.qgaLink?.close();
    this.qgaLink = null;
    if (record.config.qga === true) {
      // qemu-ga in a Windows guest: its answer is readiness; none in time is said, not pretended (it may come later).
      const windows = record.kind === 'windows';
      const link = new QgaLink({
        socketPath: this.host.files.qgaSocket,
        readyTimeoutMs: this.host.guestReadyTimeoutMs,
        onReady: () => {
          if (windows) this.host.markers.emit('RAYOS_WINDOWS', 'GUEST_READY');
          if (options.resumed) void this.clockSet(link.request('guest-set-time', { time: hostNowNs() }));
        },
        onNoAgent: () => (windows ? this.host.markers.emit('RAYOS_WINDOWS', 'NO_AGENT') : undefined),
      });
      this.qgaLink = link;
      link.open();
    }
    if (!record.config.agent) return;
    this.guestLink = new GuestLink({
      socketPath: this.host.files.agentSocket,
      readyTimeoutMs: this.host.guestReadyTimeoutMs,
      onReady: (hello) => this.onGuestReady(hello, options.resumed),
      onGaveUp: (error) => this.host.markers.emit('RAYOS_VM', 'FAILED', this.host.current().name, `guest-not-ready ${error.code}`),
    });
    this.guestLink.open();
  }

  /** Lets go of both links (QEMU is gone, or RayOS lets go of it). */
  close(): void {
    this.guestLink?.close();
    this.guestLink = null;
    this.qgaLink?.close();
    this.qgaLink = null;
  }

  /** Says how setting the guest clock went: qemu-ga's guest-set-time, or `date -s` through RayOS's agent. */
  private async clockSet(setting: Promise<Result<unknown, RayosError>>): Promise<void> {
    const name = this.host.current().name;
    const set = await setting;
    if (set.ok) this.host.markers.emit('RAYOS_VM', 'CLOCK_SET', name);
    else {
      this.host.markers.emit('RAYOS_VM', 'CLOCK_NOT_SET', name, set.error.code);
      process.stderr.write(`${name}: the guest clock was not set after the resume: ${set.error.message}\n`);
    }
  }

  private onGuestReady(hello: HelloResult, resumed: boolean): void {
    const record = this.host.current();
    if (record.kind === 'linux') this.host.markers.emit('RAYOS_LINUX', 'GUEST_READY');
    this.host.bus.publish('guest.ready', { vm: record.name, bootId: hello.bootId, uptimeMs: hello.uptimeMs, agentVersion: hello.agentVersion });
    const guest = this.guestLink;
    if (resumed && guest !== null) {
      // busybox date takes whole seconds since the epoch; a failed command is a failure to say, like a refused request.
      const seconds = Math.round(Date.now() / 1000);
      void this.clockSet(
        guest.exec(['date', '-u', '-s', `@${seconds}`], CLOCK_EXEC_TIMEOUT_MS).then((run) =>
          !run.ok || run.value.exitCode === 0 ? run : err(rayosError('RAYOS_GUEST_EXEC_FAILED', `date -s exited ${run.value.exitCode}: ${run.value.stderr.trim().slice(0, 200)}`)),
        ),
      );
    }
    this.host.afterReady();
  }
}
