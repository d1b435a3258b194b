// Owns the VM operations beyond the lifecycle basics: named snapshots, restore, reset, exec in the guest, serial logs.
import { existsSync } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { ExecResult } from '../../contracts/guest-agent.js';
import type { EventBus } from '../../kernel/event-bus.js';
import type { MarkerWriter } from '../../kernel/marker-writer.js';
import { killQemu } from '../../platform/qemu/qemu-launcher.js';
import { createBlankDisk, createDataDisk } from '../../platform/qemu/data-disk.js';
import { qgaExec } from '../../platform/qga/qga-exec.js';
import { GuestLink } from './guest-link.js';
import type { VmController } from './vm-controller.js';
import type { VmRegistry } from './vm-registry.js';

export interface OperationDeps {
  readonly registry: VmRegistry;
  readonly markers: MarkerWriter;
  readonly bus: EventBus;
  readonly snapshotTimeoutMs: number;
}

const QueryBlockSchema = z.array(
  z.object({
    inserted: z
      .object({
        'node-name': z.string().optional(),
        image: z.object({ snapshots: z.array(z.object({ name: z.string(), 'vm-state-size': z.number(), 'date-sec': z.number() })).optional() }),
      })
      .optional(),
  }),
);

export interface SnapshotInfo {
  readonly tag: string;
  readonly vmStateBytes: number;
  readonly createdAt: string;
}

function needsRunning(vm: VmController, what: string): RayosError | null {
  const state = vm.lifecycle.state;
  if ((state === 'running' || state === 'paused') && vm.qmpClient !== null) return null;
  return rayosError('RAYOS_VM_ILLEGAL_TRANSITION', `${vm.name} is ${state}; ${what} needs a running or paused VM. Start it first with "rayos vm start ${vm.name}".`);
}

export async function listSnapshots(vm: VmController): Promise<Result<SnapshotInfo[], RayosError>> {
  const problem = needsRunning(vm, 'listing snapshots');
  if (problem !== null) return err(problem);
  const reply = await vm.qmpClient!.executeUntyped('query-block');
  if (!reply.ok) return reply;
  const parsed = QueryBlockSchema.safeParse(reply.value);
  if (!parsed.success) return err(rayosError('RAYOS_QMP_PROTOCOL', `${vm.name}: query-block answered an unexpected shape.`));
  const nodes = new Set(vm.current().config.disks.map((d) => d.nodeName));
  const snapshots = parsed.data
    .flatMap((device) => (device.inserted && nodes.has(device.inserted['node-name'] ?? '') ? (device.inserted.image.snapshots ?? []) : []))
    .map((s) => ({ tag: s.name, vmStateBytes: s['vm-state-size'], createdAt: new Date(s['date-sec'] * 1000).toISOString() }));
  return ok(snapshots);
}

export function saveSnapshot(vm: VmController, tag: string, deps: OperationDeps): Promise<Result<void, RayosError>> {
  return vm.runExclusive(async () => {
    const problem = needsRunning(vm, 'a snapshot');
    if (problem !== null) return err(problem);
    const existing = await listSnapshots(vm);
    if (existing.ok && existing.value.some((s) => s.tag === tag)) {
      return err(rayosError('RAYOS_VM_EXISTS', `${vm.name} already has a snapshot tagged ${tag}; choose another tag.`));
    }
    const devices = vm.current().config.disks.map((d) => d.nodeName);
    const saved = await vm.qmpClient!.runJob('snapshot-save', { 'job-id': `save-${Date.now()}`, tag, vmstate: devices[0]!, devices }, { timeoutMs: deps.snapshotTimeoutMs });
    if (!saved.ok) return saved;
    deps.markers.emit('RAYOS_VM', 'SNAPSHOT_SAVED', vm.name, tag);
    deps.bus.publish('vm.snapshot-saved', { vm: vm.name, tag });
    return ok(undefined);
  });
}

export function restoreSnapshot(vm: VmController, tag: string, deps: OperationDeps): Promise<Result<void, RayosError>> {
  return vm.runExclusive(async () => {
    const problem = needsRunning(vm, 'a restore');
    if (problem !== null) return err(problem);
    const existing = await listSnapshots(vm);
    if (existing.ok && !existing.value.some((s) => s.tag === tag)) {
      const tags = existing.value.map((s) => s.tag).join(', ') || 'none';
      return err(rayosError('RAYOS_VM_SNAPSHOT_NOT_FOUND', `${vm.name} has no snapshot tagged ${tag} (it has: ${tags}); "rayos vm snapshot ${vm.name} --tag ${tag}" makes one.`));
    }
    const devices = vm.current().config.disks.map((d) => d.nodeName);
    const loaded = await vm.qmpClient!.runJob('snapshot-load', { 'job-id': `load-${Date.now()}`, tag, vmstate: devices[0]!, devices }, { timeoutMs: deps.snapshotTimeoutMs });
    if (!loaded.ok) return loaded;
    // The guest's RAM is now the snapshot's: what the agent said before no longer holds.
    await vm.guestLink?.refresh();
    deps.markers.emit('RAYOS_VM', 'SNAPSHOT_RESTORED', vm.name, tag);
    deps.bus.publish('vm.snapshot-restored', { vm: vm.name, tag });
    return ok(undefined);
  });
}

/** Destroys the VM's disk and saved state and makes fresh ones; the identity (id, name) stays. */
export function resetVm(vm: VmController, deps: OperationDeps): Promise<Result<void, RayosError>> {
  return vm.runExclusive(async () => {
    const record = vm.current();
    if (record.config.firmware.kind === 'uefi' && record.config.tpmDir !== null) {
      // A blank disk with no installer attached would never boot, and its TPM and variables would still hold the old keys.
      return err(
        rayosError('RAYOS_VM_ILLEGAL_TRANSITION', `${vm.name} is installed from the person's media and has its own TPM and UEFI variables, so "vm reset" cannot start it over; "rayos windows provision --iso PATH --replace --yes" does (it destroys its disk, variables and TPM state).`),
      );
    }
    // A reset may start a VM over in its storage directory (the person asked), but never makes that directory: a disk
    // that is not mounted must not turn into an empty folder on the volume under its mount point.
    const missing = vm.storageMissing();
    if (missing !== null && !existsSync(vm.files.root)) return err(missing);
    if (record.instance !== null) await killQemu(record.instance.pid, record.instance.startTicks);
    vm.detachForReset();
    await mkdir(vm.files.dir, { recursive: true, mode: 0o700 });
    for (const disk of record.config.disks) {
      await rm(vm.files.disk(disk.file), { force: true });
      // A blank disk (Windows) comes back blank: its guest partitions it again when it is installed again.
      const made = disk.content === 'blank' ? await createBlankDisk(vm.files.disk(disk.file), disk.sizeMiB) : await createDataDisk(vm.files.disk(disk.file), disk.sizeMiB);
      if (!made.ok) return made;
    }
    await rm(vm.files.serialLog, { force: true });
    deps.registry.update(record.id, { instance: null, savedStateTag: null, bootCount: 0, observedReason: null });
    vm.setRecord(deps.registry.get(record.id));
    vm.lifecycle.establish({ state: 'defined' });
    deps.markers.emit('RAYOS_VM', 'RESET', vm.name);
    deps.bus.publish('vm.reset', { vm: vm.name });
    return ok(undefined);
  });
}

export async function execInGuest(vm: VmController, argv: readonly string[], timeoutMs: number): Promise<Result<ExecResult, RayosError>> {
  // The RayOS agent where the guest has it (the Linux subsystem); else qemu-ga (the Windows profile).
  const link = vm.guestLink ?? vm.qgaLink;
  const readyMarker = vm.guestLink === null ? 'RAYOS_WINDOWS:GUEST_READY' : 'RAYOS_LINUX:GUEST_READY';
  if (link === null || vm.lifecycle.state !== 'running') {
    return err(rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', `${vm.name} is ${vm.lifecycle.state}; exec needs a running VM whose guest answered (${readyMarker}).`));
  }
  if (!link.ready && !(await Promise.race([link.whenReady(), new Promise<boolean>((r) => setTimeout(() => r(false), Math.min(timeoutMs, 60_000)))]))) {
    return err(rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', `${vm.name}: the guest agent has not answered yet; the guest may still be booting (see "rayos vm logs ${vm.name}").`));
  }
  return link instanceof GuestLink ? link.exec(argv, timeoutMs) : qgaExec(link, argv, timeoutMs);
}

/** The last `lines` lines of the serial console log (read from the end, so a huge log costs little). */
export async function serialLogTail(vm: VmController, lines: number): Promise<string[]> {
  const path = vm.files.serialLog;
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size === 0) return [];
  const want = Math.min(size, Math.max(64 * 1024, lines * 256));
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(want);
    await handle.read(buffer, 0, want, size - want);
    const text = buffer.toString('utf8').replace(/\r/g, '');
    const all = text.split('\n');
    if (want < size) all.shift(); // the first line is probably cut
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines);
  } finally {
    await handle.close();
  }
}
