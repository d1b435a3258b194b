// Owns the Cedar schema of RayOS: the entity types, every action of POLICY_ACTIONS with what it applies to, and the request context.
import type { PolicyAction, PolicyResource, PrincipalKind } from '../../contracts/policy.js';

export type ResourceKind = PolicyResource['kind'];

export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['Person', 'Conductor', 'ApiClient', 'GuestAgent'];

/** What each action is about. The Record type makes a new action in POLICY_ACTIONS a compile error here until it is declared. */
export const ACTION_RESOURCES: Readonly<Record<PolicyAction, readonly ResourceKind[]>> = {
  'vm.create': ['Vm'],
  'vm.start': ['Vm'],
  'vm.stop': ['Vm'],
  'vm.pause': ['Vm'],
  'vm.resume': ['Vm'],
  'vm.suspend': ['Vm'],
  'vm.snapshot': ['Vm'],
  'vm.restore': ['Vm'],
  'vm.reset': ['Vm'],
  'vm.exec': ['Vm'],
  'vm.network.enable': ['Vm'],
  'vm.network.disable': ['Vm'],
  'vm.device.attach': ['Device'],
  'surface.present': ['Surface'],
  'surface.hide': ['Surface'],
  'input.route': ['Surface'],
  'clipboard.transfer': ['Vm', 'Surface', 'Runtime'],
  'file.share': ['Vm', 'Surface', 'Runtime'],
  'policy.apply': ['PolicySet'],
  'runtime.stop': ['Runtime'],
  'journal.note': ['Runtime'],
};

/**
 * Every context attribute is required: the policy service fills what the caller leaves out
 * (see `fillContext` in policy-engine.ts), so policies use them without `has`.
 */
const CONTEXT_TYPE = `type RequestContext = {
  // How sure System 2 was of the intent, 0-100; 100 for a typed CLI or API command.
  confidencePct: Long,
  // Whether the surface (or the VM's surface) is presented, and focused.
  presented: Bool,
  focused: Bool,
  // The runtime is bringing VMs back at start, not answering a person.
  atBoot: Bool,
  // Host-wide figures already committed to other running VMs.
  committedMemoryMiB: Long,
  committedVcpus: Long,
  // For clipboard.transfer and file.share: "host" or a VM name; "" when not applicable.
  from: String,
  to: String,
  // Seconds since the Unix epoch.
  now: Long,
};`;

const ENTITY_TYPES = `// Who asks: the person at the machine, the conductor acting on a resolved intent, a bearer-token API client, a guest agent.
entity Person;
entity Conductor;
entity ApiClient;
entity GuestAgent;
// What is asked about.
entity Vm = { kind: String, memoryMiB: Long, vcpus: Long, diskMiB: Long, network: Bool };
entity Surface = { vm: String };
entity Device = { class: String };
entity PolicySet;
entity Runtime;`;

function actionDeclarations(): string {
  const byResources = new Map<string, PolicyAction[]>();
  for (const [action, resources] of Object.entries(ACTION_RESOURCES) as [PolicyAction, readonly ResourceKind[]][]) {
    const key = resources.join(', ');
    byResources.set(key, [...(byResources.get(key) ?? []), action]);
  }
  return [...byResources]
    .map(([resources, actions]) => `action ${actions.map((a) => JSON.stringify(a)).join(', ')} appliesTo {\n  principal: [${PRINCIPAL_KINDS.join(', ')}],\n  resource: [${resources}],\n  context: RequestContext,\n};`)
    .join('\n');
}

/** The schema every policy file is validated against (strict mode). */
export const RAYOS_CEDAR_SCHEMA = `${CONTEXT_TYPE}\n\n${ENTITY_TYPES}\n\n${actionDeclarations()}\n`;
