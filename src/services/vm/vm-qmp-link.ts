// Owns the QMP link to one VM's QEMU and that QEMU's exit: connecting, quitting it, and telling an exit RayOS asked for from one it did not.
import { existsSync } from 'node:fs';
import { err, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { inspectQemuProcess, killQemu } from '../../platform/qemu/qemu-launcher.js';
import { connectQmp, type QmpClient } from '../../platform/qmp/qmp-client.js';
import type { VmFiles } from './vm-files.js';
import type { VmRecord } from './vm-registry.js';

/** What the link needs of its VM's controller, which owns the record, the guest links and the lifecycle. */
export interface QmpLinkHost {
  readonly files: VmFiles;
  readonly qmpTimeoutMs: number;
  current(): VmRecord;
  /** QEMU went away or dropped RayOS unasked: the guest links go with it. */
  closeGuestLinks(): void;
  /** QEMU exited unasked: the record forgets its instance. */
  forgetInstance(): void;
  /** Marks the VM failed, with the word its RAYOS_VM:FAILED marker gives. */
  fail(error: RayosError, reasonWord: string): void;
}

export class VmQmpLink {
  private qmp: QmpClient | null = null;
  /** True while RayOS itself makes QEMU exit, so the exit is not reported as a failure. */
  expectingExit = false;

  constructor(private readonly host: QmpLinkHost) {}

  private get name(): string {
    return this.host.current().name;
  }

  get client(): QmpClient | null {
    return this.qmp;
  }

  async connect(): Promise<Result<QmpClient, RayosError>> {
    let last: RayosError | null = null;
    // Two sockets: a stuck client on one (an old runtime, a person's socat) cannot lock RayOS out.
    for (const path of this.host.files.qmpSockets) {
      if (!existsSync(path)) continue;
      // A busy socket never greets; give up on it quickly and try the spare.
      const client = await connectQmp(path, { connectTimeoutMs: Math.min(1500, this.host.qmpTimeoutMs), commandTimeoutMs: this.host.qmpTimeoutMs });
      if (client.ok) {
        this.qmp = client.value;
        client.value.onClose((reason) => void this.onClosed(client.value, reason));
        return client;
      }
      last = client.error;
    }
    return err(last ?? rayosError('RAYOS_QMP_CONNECT', `${this.name}: no QMP socket in ${this.host.files.dir}; the VM's QEMU is not running.`));
  }

  /** Lets go of the link without touching QEMU. */
  close(): void {
    const qmp = this.qmp;
    this.qmp = null;
    void qmp?.close();
  }

  /** quit over QMP, then SIGKILL if QEMU is still there after a few seconds. */
  async quit(pid: number, startTicks: number): Promise<void> {
    this.expectingExit = true;
    try {
      if (this.qmp !== null) await this.qmp.execute('quit', undefined, { timeoutMs: 2000 });
      if (!(await this.waitForExit(pid, startTicks, 5000))) await killQemu(pid, startTicks);
    } finally {
      this.expectingExit = false;
    }
  }

  /** Resolves true when the process is gone within timeoutMs. */
  async waitForExit(pid: number, startTicks: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = await inspectQemuProcess(pid, this.host.current().instance?.configHash ?? '', startTicks);
      if (!seen.alive) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** QEMU went away (or dropped us) while RayOS did not ask for it: say so, with the reason. */
  private async onClosed(client: QmpClient, reason: RayosError): Promise<void> {
    if (this.qmp !== client) return;
    this.qmp = null;
    if (this.expectingExit) return;
    const instance = this.host.current().instance;
    const gone = instance === null || (await this.waitForExit(instance.pid, instance.startTicks, 1000));
    if (this.qmp !== null || this.expectingExit) return;
    this.host.closeGuestLinks();
    if (gone) {
      this.host.forgetInstance();
      this.host.fail(rayosError('RAYOS_VM_QEMU_EXITED', `${this.name}: QEMU exited unexpectedly (${reason.code}); see ${this.host.files.qemuLog}. "rayos vm start ${this.name}" boots the same disk again.`), 'qemu-exited');
      return;
    }
    const again = await this.connect();
    if (!again.ok) this.host.fail(rayosError('RAYOS_QMP_CLOSED', `${this.name}: QEMU runs but QMP was lost (${reason.message}).`), 'qmp-lost');
  }
}
