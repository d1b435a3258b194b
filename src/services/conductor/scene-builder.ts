// Owns turning RayOS's live state (VMs, surfaces, snapshots) into the scene cognition reads: one object per thing a person can mean.
import type { SurfaceList } from '../../contracts/display.js';
import type { ObjectState, Scene, SceneObject } from '../../contracts/intent.js';
import type { VmView } from '../../contracts/vm.js';

/** A snapshot of a VM, as listed by the supervisor. */
export interface SceneSnapshot {
  readonly vm: string;
  readonly tag: string;
  readonly createdAt: string;
}

/** Names a person says for a subsystem: the VM's name, capitalised ("linux" → "Linux"). */
export const labelOf = (vm: string): string => vm.charAt(0).toUpperCase() + vm.slice(1);

/** Snapshot objects are named `<vm>@<tag>`: unique, and the conductor can split it back. */
export const snapshotObjectId = (vm: string, tag: string): string => `${vm}@${tag}`;

export function splitSnapshotId(id: string): { vm: string; tag: string } | null {
  const at = id.indexOf('@');
  return at <= 0 || at === id.length - 1 ? null : { vm: id.slice(0, at), tag: id.slice(at + 1) };
}

function powerOf(state: VmView['state']): ObjectState['power'] {
  switch (state) {
    case 'running':
    case 'starting':
    case 'resuming':
      return 'running';
    case 'paused':
      return 'paused';
    case 'suspended':
    case 'suspending':
      return 'suspended';
    default:
      return 'stopped';
  }
}

/**
 * Each VM is one `vm` object (id = its name); when its surface is presented it is on screen with the window's rectangle
 * (compositor pixels are screen pixels) and z, which is what lets gaze pick it (shared/eval/README.md: "on screen means
 * presented"). Snapshots are `snapshot` objects with the subsystem they belong to.
 */
export function buildScene(vms: readonly VmView[], surfaces: SurfaceList, snapshots: readonly SceneSnapshot[]): Scene {
  const objects: SceneObject[] = [];
  for (const vm of vms) {
    const surface = surfaces.surfaces.find((s) => s.vm === vm.name);
    const presented = surface?.presented === true;
    const object: SceneObject = {
      id: vm.name,
      type: 'vm',
      label: labelOf(vm.name),
      subsystem: vm.kind,
      // `focused` goes beyond the eval format: "open" on a presented window that lacks focus still has work to do.
      state: { power: powerOf(vm.state), presented, focused: surface?.focused === true, network: vm.network ? 'on' : 'off' },
    };
    objects.push(presented && surface ? { ...object, rect: [surface.x, surface.y, surface.width, surface.height], z: surface.z } : object);
  }
  for (const snapshot of snapshots) {
    objects.push({ id: snapshotObjectId(snapshot.vm, snapshot.tag), type: 'snapshot', label: `${labelOf(snapshot.vm)} snapshot ${snapshot.tag}`, subsystem: snapshot.vm });
  }
  return { screen: [surfaces.screen.width, surfaces.screen.height], objects };
}
