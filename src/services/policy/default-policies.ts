// Owns the default policy set: written to <data>/policy/default.cedar on first start, and over an earlier default nobody edited (docs/POLICY.md explains each policy).
import { createHash } from 'node:crypto';

export const DEFAULT_POLICY_FILE = 'default.cedar';

/**
 * SHA-256 of every earlier default set exactly as RayOS wrote it. A default.cedar still byte-for-byte one of these was
 * never edited, so it is replaced by the current set at start (a data directory made before the Windows profile would
 * otherwise deny provisioning it forever). Add the hash of the outgoing set whenever DEFAULT_POLICIES changes.
 */
const EARLIER_DEFAULT_SHA256: ReadonlySet<string> = new Set([
  'd0211e1de75b5feed189bbb5502efb13aa13051810b228c86cd2bdf054de666b',
  '57f2e9441bd06dec1de5c3573e8c352e3bad5c711b2154b147b783598d6ae79f',
  '23aef5c5c1254d111dac1beabf18ad54920f0e79652948d36ec7b46c76afe9f2',
]);

/** True for an earlier default set nobody changed (never for the current one, nor for any edit). */
export function isUntouchedEarlierDefault(text: string): boolean {
  return EARLIER_DEFAULT_SHA256.has(createHash('sha256').update(text, 'utf8').digest('hex'));
}

export const DEFAULT_POLICIES = `// RayOS default policy set. RayOS wrote this file because the policy folder had none;
// edit it with "rayos policy apply default FILE" (or by hand: a watched folder reloads it after validating).
//
// How a decision is made: a forbid that matches denies. Otherwise a permit that matches allows,
// and if a matching permit is marked @ask, RayOS asks the person first. A forbid marked @ask is a
// caution: what would be allowed is asked first, and what nothing permits stays denied.
// Anything no permit allows is denied. docs/POLICY.md lists every policy here.
//
// Guest networking is off: no policy permits vm.network.enable. To allow it, apply a file with a
// permit for it, e.g. permit (principal is Person, action == Action::"vm.network.enable", resource is Vm);

@id("vm-limits")
@reason("A subsystem may be created or started with at most 2048 MiB of memory, 4 vCPUs and 65536 MiB of disk, while all running subsystems together stay within 8192 MiB and 8 vCPUs.")
permit (principal, action in [Action::"vm.create", Action::"vm.start"], resource is Vm)
when {
  (principal is Person || principal is ApiClient || principal is Conductor) &&
  resource.memoryMiB <= 2048 &&
  resource.vcpus <= 4 &&
  resource.diskMiB <= 65536 &&
  context.committedMemoryMiB + resource.memoryMiB <= 8192 &&
  context.committedVcpus + resource.vcpus <= 8
};

@id("windows-profile")
@reason("The Windows subsystem may be created or started with the Windows 11 profile (at most 4096 MiB of memory, 4 vCPUs and 65536 MiB of disk), while all running subsystems together stay within 8192 MiB and 8 vCPUs.")
permit (principal, action in [Action::"vm.create", Action::"vm.start"], resource is Vm)
when {
  (principal is Person || principal is ApiClient || principal is Conductor) &&
  resource.kind == "windows" &&
  resource.memoryMiB <= 4096 &&
  resource.vcpus <= 4 &&
  resource.diskMiB <= 65536 &&
  context.committedMemoryMiB + resource.memoryMiB <= 8192 &&
  context.committedVcpus + resource.vcpus <= 8
};

@id("vm-lifecycle")
@reason("The owner, API clients and the conductor may stop, pause, resume, suspend, snapshot, restore and reset a subsystem, run commands in it, and turn its network off.")
permit (
  principal,
  action in [
    Action::"vm.stop", Action::"vm.pause", Action::"vm.resume", Action::"vm.suspend", Action::"vm.snapshot",
    Action::"vm.restore", Action::"vm.reset", Action::"vm.exec", Action::"vm.network.disable"
  ],
  resource is Vm
)
when { principal is Person || principal is ApiClient || principal is Conductor };

@id("owner-surfaces-runtime")
@reason("The owner and API clients may present and hide surfaces, stop the runtime and add notes to its journal.")
permit (principal, action in [Action::"surface.present", Action::"surface.hide", Action::"runtime.stop", Action::"journal.note"], resource)
when { principal is Person || principal is ApiClient };

@id("conductor-surfaces")
@reason("The conductor may present and hide surfaces when the person asks for it in words.")
permit (principal is Conductor, action in [Action::"surface.present", Action::"surface.hide"], resource is Surface);

@id("owner-changes-policy")
@reason("Only the person at the machine may change the policy.")
permit (principal is Person, action == Action::"policy.apply", resource is PolicySet);

@id("input-route")
@reason("Input may go to a surface that is presented and focused.")
permit (principal, action == Action::"input.route", resource is Surface)
when { (principal is Person || principal is ApiClient || principal is Conductor) && context.presented && context.focused };

@id("input-only-presented-focused")
@reason("Input goes only to the surface that is presented and focused, never to a hidden or unfocused one.")
forbid (principal, action == Action::"input.route", resource)
unless { context.presented && context.focused };

@id("no-device-passthrough")
@reason("Host devices are never passed through to a subsystem.")
forbid (principal, action == Action::"vm.device.attach", resource);

@id("no-host-file-sharing")
@reason("Files are never shared between the host and a subsystem.")
forbid (principal, action == Action::"file.share", resource)
when { context.from == "host" || context.to == "host" };

@id("boot-hidden")
@reason("Subsystems come back hidden at boot: nothing is presented until the person asks for it.")
forbid (principal, action == Action::"surface.present", resource)
when { context.atBoot };

@id("ask-before-sharing")
@ask
@reason("Clipboard contents and files move between two different places only after the person says yes.")
permit (principal, action in [Action::"clipboard.transfer", Action::"file.share"], resource)
when {
  (principal is Person || principal is ApiClient || principal is Conductor) &&
  context.from != "" && context.to != "" && context.from != context.to
};

@id("ask-when-unsure")
@ask
@reason("RayOS is not sure enough of what was meant (under 70%) and this action is hard to undo, so it asks first.")
forbid (principal, action in [Action::"vm.stop", Action::"vm.reset", Action::"vm.restore", Action::"vm.network.enable"], resource)
when { context.confidencePct < 70 };
`;
