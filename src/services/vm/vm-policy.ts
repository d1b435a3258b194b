// Owns how the VM supervisor asks policy: a VM as a Cedar resource (its limits' figures) and the host's committed budget.
import type { PolicyAction, PolicyActor, PolicyRequest } from '../../contracts/policy.js';
import type { VmController } from './vm-controller.js';

/** States in which a VM holds host memory and vCPUs. */
const HOLDS_RESOURCES: ReadonlySet<string> = new Set(['starting', 'running', 'paused', 'resuming', 'suspending', 'stopping']);

/** The request for `action` on `vm` by `actor`; the budget counts every other VM that holds resources now. */
export function vmPolicyRequest(vm: VmController, others: Iterable<VmController>, action: PolicyAction, actor: PolicyActor): PolicyRequest {
  const record = vm.current();
  let committedMemoryMiB = 0;
  let committedVcpus = 0;
  for (const other of others) {
    if (other === vm || !HOLDS_RESOURCES.has(other.lifecycle.state)) continue;
    committedMemoryMiB += other.current().config.memoryMiB;
    committedVcpus += other.current().config.vcpus;
  }
  return {
    principal: actor.principal,
    action,
    resource: {
      kind: 'Vm',
      id: record.name,
      attrs: {
        kind: record.kind,
        memoryMiB: record.config.memoryMiB,
        vcpus: record.config.vcpus,
        diskMiB: record.config.disks.reduce((sum, disk) => sum + disk.sizeMiB, 0),
        network: record.config.network === 'user',
      },
    },
    context: { committedMemoryMiB, committedVcpus, ...actor.context },
  };
}
