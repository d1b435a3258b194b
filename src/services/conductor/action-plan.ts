// Owns turning a resolved intent (action + target in the scene) into the typed steps the conductor dispatches to services.
import type { PlanStep, StepKind } from '../../contracts/conductor.js';
import type { IntentAction, Scene, SceneObject } from '../../contracts/intent.js';
import { snapshotObjectId, splitSnapshotId } from './scene-builder.js';

export type Plan = { readonly ok: true; readonly steps: PlanStep[] } | { readonly ok: false; readonly message: string };

const step = (kind: StepKind, vm: string, tag?: string): PlanStep => ({ kind, vm, ...(tag === undefined ? {} : { tag }), status: 'planned', message: '' });

/** A tag a person can read back: intent-20261201-203015 (SnapshotTagSchema's alphabet). */
export const snapshotTag = (now: Date): string => `intent-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;

/** Where a VM object's desktop goes on "open"/"present": a VM that does not run is started (or resumed from its saved state) first. */
function presentSteps(vm: SceneObject): PlanStep[] {
  const power = vm.state?.power;
  return power === 'stopped' || power === 'suspended' ? [step('vm.start', vm.id), step('surface.present', vm.id)] : [step('surface.present', vm.id)];
}

function forVm(action: IntentAction, vm: SceneObject, scene: Scene, now: Date): Plan {
  const id = vm.id;
  const one = (kind: StepKind, tag?: string): Plan => ({ ok: true, steps: [step(kind, id, tag)] });
  switch (action) {
    case 'open':
    case 'present':
      return { ok: true, steps: presentSteps(vm) };
    case 'focus':
      return vm.state?.presented === true ? one('surface.focus') : { ok: true, steps: presentSteps(vm) };
    case 'hide':
    case 'close':
      return one('surface.hide');
    case 'start':
      return one('vm.start');
    case 'stop':
      return one('vm.stop');
    case 'pause':
      return one('vm.pause');
    case 'resume':
      // A suspended VM resumes by starting from its saved state.
      return one(vm.state?.power === 'suspended' ? 'vm.start' : 'vm.resume');
    case 'suspend':
      return one('vm.suspend');
    case 'snapshot': {
      // Two snapshots within a second must not share a tag (saving under a tag replaces what it named).
      const base = snapshotTag(now);
      let tag = base;
      for (let n = 2; scene.objects.some((o) => o.id === snapshotObjectId(id, tag)); n++) tag = `${base}-${n}`;
      return one('vm.snapshot', tag);
    }
    case 'restore': {
      const latest = scene.objects.filter((o) => o.type === 'snapshot' && splitSnapshotId(o.id)?.vm === id).at(-1);
      const tag = latest === undefined ? null : splitSnapshotId(latest.id)?.tag;
      return tag ? one('vm.restore', tag) : { ok: false, message: `${vm.label} has no snapshot to go back to; "snapshot ${vm.label.toLowerCase()}" takes one.` };
    }
    case 'network_on':
      return one('vm.network.enable');
    case 'network_off':
      return one('vm.network.disable');
    case 'status':
    case 'inspect':
      return one('vm.describe');
    case 'explain':
      return one('intent.explain');
    case 'cancel':
      return one('intent.cancel');
    default:
      return { ok: false, message: `RayOS cannot ${action.replace('_', ' ')} ${vm.label} yet: its guest has no apps or windows of its own to ${action} (only the whole desktop).` };
  }
}

/** The steps for `action` on the object `targetId` of the scene; `replay` must already be rewritten to the action it repeats. */
export function planFor(action: IntentAction, targetId: string | null, scene: Scene, now: Date): Plan {
  if (action === 'cancel') return { ok: true, steps: [step('intent.cancel', targetId ?? '')] };
  const target = targetId === null ? undefined : scene.objects.find((o) => o.id === targetId);
  if (target === undefined) return { ok: false, message: `RayOS understood "${action}" but not what it should apply to; name the subsystem (e.g. "${action} linux").` };
  if (target.type === 'vm') return forVm(action, target, scene, now);
  if (target.type === 'snapshot') {
    const snapshot = splitSnapshotId(target.id);
    if (snapshot === null) return { ok: false, message: `The snapshot ${target.label} cannot be found.` };
    if (action === 'restore' || action === 'open') return { ok: true, steps: [step('vm.restore', snapshot.vm, snapshot.tag)] };
    if (action === 'inspect' || action === 'status') return { ok: true, steps: [step('vm.describe', snapshot.vm)] };
    return { ok: false, message: `A snapshot can be restored or inspected; "${action}" does not apply to ${target.label}.` };
  }
  return { ok: false, message: `RayOS cannot ${action.replace('_', ' ')} ${target.label} yet.` };
}
