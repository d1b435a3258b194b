// Owns the API's view of one VM (VmView): its record, lifecycle state and guest readiness, as one plain object.
import type { VmView } from '../../contracts/vm.js';
import type { QgaLink } from '../../platform/qga/qga-link.js';
import type { GuestLink } from './guest-link.js';
import type { VmFiles } from './vm-files.js';
import type { VmRecord } from './vm-registry.js';
import type { VmLifecycleState } from './vm-state.js';

/** What the view is made from: the controller's record, lifecycle state, files and live guest links. */
export interface VmViewSource {
  readonly record: VmRecord;
  readonly state: VmLifecycleState;
  readonly files: VmFiles;
  readonly guest: GuestLink | null;
  readonly qga: QgaLink | null;
}

export function vmView({ record: r, state, files, guest, qga }: VmViewSource): VmView {
  const hello = guest?.lastHello ?? null;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    state,
    presentation: state === 'running' || state === 'paused' ? 'hidden' : null,
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
    disks: r.config.disks.map((d) => ({ nodeName: d.nodeName, path: files.disk(d.file), format: d.format })),
    network: r.config.network === 'user',
    guest: {
      ready: guest?.ready ?? qga?.ready ?? false,
      agentVersion: hello?.agentVersion ?? null,
      bootId: hello?.bootId ?? null,
      uptimeMs: hello?.uptimeMs ?? null,
      served: hello?.served ?? null,
    },
  };
}
