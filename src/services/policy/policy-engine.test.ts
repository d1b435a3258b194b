// Tests deciding with the real Cedar engine: every default rule, the meaning of @ask, failing closed, and the lockout rule.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyDecision, PolicyRequest } from '../../contracts/policy.js';
import { DEFAULT_POLICIES, DEFAULT_POLICY_FILE } from './default-policies.js';
import { compilePolicySet, type PolicySource } from './policy-compiler.js';
import { checkLockout, decideWith, PolicyLoader, type LoadedPolicySet } from './policy-engine.js';

/** Loads a set with a loader of its own, so the sets of these tests never share Cedar's slots. */
function load(sources: PolicySource[]): LoadedPolicySet {
  const compiled = compilePolicySet(sources);
  assert.ok(compiled.ok, compiled.ok ? '' : compiled.error.message);
  const loader = new PolicyLoader();
  const loaded = loader.prepare(compiled.value);
  assert.ok(loaded.ok);
  loader.markInForce(loaded.value);
  return loaded.value;
}

const defaults = load([{ name: DEFAULT_POLICY_FILE, text: DEFAULT_POLICIES }]);
const reasonOf = (id: string): string => defaults.compiled.byId.get(id)?.reason ?? assert.fail(`no policy ${id}`);

const owner = { kind: 'Person', id: 'owner' } as const;
const api = { kind: 'ApiClient', id: 'token-1' } as const;
const conductor = { kind: 'Conductor', id: 'conductor' } as const;
const agent = { kind: 'GuestAgent', id: 'linux' } as const;
const linux = (attrs: Partial<{ memoryMiB: number; vcpus: number; diskMiB: number }> = {}): PolicyRequest['resource'] => ({
  kind: 'Vm',
  id: 'linux',
  attrs: { kind: 'linux', memoryMiB: 1024, vcpus: 2, diskMiB: 8192, network: false, ...attrs },
});
const surface: PolicyRequest['resource'] = { kind: 'Surface', id: 'linux-main', attrs: { vm: 'linux' } };
const runtime: PolicyRequest['resource'] = { kind: 'Runtime', id: 'rayos' };

interface Row {
  readonly what: string;
  readonly request: PolicyRequest;
  readonly decision: PolicyDecision['decision'];
  readonly policies: readonly string[];
  /** The @reason of this policy, or a pattern for a deny-by-default reason. */
  readonly reason: string | RegExp;
}

const rows: Row[] = [
  // Resource limits and the host-wide budget (vm-limits).
  { what: 'start within limits', request: { principal: owner, action: 'vm.start', resource: linux() }, decision: 'allow', policies: ['vm-limits'], reason: 'vm-limits' },
  { what: 'create at the limits exactly', request: { principal: api, action: 'vm.create', resource: linux({ memoryMiB: 2048, vcpus: 4, diskMiB: 65536 }) }, decision: 'allow', policies: ['vm-limits'], reason: 'vm-limits' },
  {
    what: 'start over the memory limit',
    request: { principal: owner, action: 'vm.start', resource: linux({ memoryMiB: 4096 }) },
    decision: 'deny',
    policies: [],
    reason: /^No policy permits vm\.start on Vm::"linux" for Person::"owner"\. The VM asks for 4096 MiB, 2 vCPUs and 8192 MiB of disk, with 0 MiB and 0 vCPUs already committed\. Not matched: vm-limits \(A subsystem/,
  },
  { what: 'start over the vCPU limit', request: { principal: owner, action: 'vm.start', resource: linux({ vcpus: 5 }) }, decision: 'deny', policies: [], reason: /No policy permits vm\.start/ },
  { what: 'create over the disk limit', request: { principal: owner, action: 'vm.create', resource: linux({ diskMiB: 65537 }) }, decision: 'deny', policies: [], reason: /No policy permits vm\.create/ },
  {
    what: 'start over the host memory budget',
    request: { principal: conductor, action: 'vm.start', resource: linux({ memoryMiB: 2048 }), context: { committedMemoryMiB: 6200 } },
    decision: 'deny',
    policies: [],
    reason: /with 6200 MiB and 0 vCPUs already committed/,
  },
  { what: 'start within the host budget', request: { principal: conductor, action: 'vm.start', resource: linux({ memoryMiB: 2048, vcpus: 4 }), context: { committedMemoryMiB: 6144, committedVcpus: 4 } }, decision: 'allow', policies: ['vm-limits'], reason: 'vm-limits' },
  { what: 'start over the host vCPU budget', request: { principal: owner, action: 'vm.start', resource: linux({ vcpus: 4 }), context: { committedVcpus: 5 } }, decision: 'deny', policies: [], reason: /No policy permits vm\.start/ },
  { what: 'a guest agent may not start a VM', request: { principal: agent, action: 'vm.start', resource: linux() }, decision: 'deny', policies: [], reason: /for GuestAgent::"linux"/ },

  // Lifecycle.
  ...(['vm.stop', 'vm.pause', 'vm.resume', 'vm.suspend', 'vm.snapshot', 'vm.restore', 'vm.reset', 'vm.exec', 'vm.network.disable'] as const).flatMap((action) =>
    [owner, api, conductor].map((principal): Row => ({ what: `${principal.kind} ${action}`, request: { principal, action, resource: linux() }, decision: 'allow', policies: ['vm-lifecycle'], reason: 'vm-lifecycle' })),
  ),
  { what: 'a guest agent may not stop a VM', request: { principal: agent, action: 'vm.stop', resource: linux() }, decision: 'deny', policies: [], reason: /No policy permits vm\.stop on Vm::"linux" for GuestAgent::"linux"\. Not matched: vm-lifecycle/ },

  // Guest network off.
  { what: 'network on is denied by default', request: { principal: owner, action: 'vm.network.enable', resource: linux() }, decision: 'deny', policies: [], reason: /^No policy permits vm\.network\.enable on Vm::"linux" for Person::"owner"\. No policy in force permits vm\.network\.enable at all\.$/ },
  { what: 'network on stays denied when unsure (a caution allows nothing)', request: { principal: conductor, action: 'vm.network.enable', resource: linux(), context: { confidencePct: 40 } }, decision: 'deny', policies: [], reason: /No policy permits vm\.network\.enable/ },

  // No device passthrough.
  { what: 'device passthrough', request: { principal: owner, action: 'vm.device.attach', resource: { kind: 'Device', id: 'usb-1-2', attrs: { class: 'usb' } } }, decision: 'deny', policies: ['no-device-passthrough'], reason: 'no-device-passthrough' },

  // Sharing.
  { what: 'clipboard between subsystems asks', request: { principal: conductor, action: 'clipboard.transfer', resource: runtime, context: { from: 'linux', to: 'windows' } }, decision: 'ask', policies: ['ask-before-sharing'], reason: 'ask-before-sharing' },
  { what: 'files between subsystems ask', request: { principal: owner, action: 'file.share', resource: linux(), context: { from: 'windows', to: 'linux' } }, decision: 'ask', policies: ['ask-before-sharing'], reason: 'ask-before-sharing' },
  { what: 'files from the host are never shared', request: { principal: owner, action: 'file.share', resource: linux(), context: { from: 'host', to: 'linux' } }, decision: 'deny', policies: ['no-host-file-sharing'], reason: 'no-host-file-sharing' },
  { what: 'files to the host are never shared', request: { principal: owner, action: 'file.share', resource: runtime, context: { from: 'linux', to: 'host' } }, decision: 'deny', policies: ['no-host-file-sharing'], reason: 'no-host-file-sharing' },
  { what: 'clipboard with no source is not a transfer', request: { principal: owner, action: 'clipboard.transfer', resource: runtime }, decision: 'deny', policies: [], reason: /No policy permits clipboard\.transfer/ },
  { what: 'a guest agent may not share', request: { principal: agent, action: 'clipboard.transfer', resource: runtime, context: { from: 'linux', to: 'windows' } }, decision: 'deny', policies: [], reason: /No policy permits/ },

  // Input.
  { what: 'input to the presented, focused surface', request: { principal: owner, action: 'input.route', resource: surface, context: { presented: true, focused: true } }, decision: 'allow', policies: ['input-route'], reason: 'input-route' },
  { what: 'input to a hidden surface', request: { principal: owner, action: 'input.route', resource: surface, context: { focused: true } }, decision: 'deny', policies: ['input-only-presented-focused'], reason: 'input-only-presented-focused' },
  { what: 'input to an unfocused surface', request: { principal: conductor, action: 'input.route', resource: surface, context: { presented: true } }, decision: 'deny', policies: ['input-only-presented-focused'], reason: 'input-only-presented-focused' },
  { what: 'a guest agent may not inject input', request: { principal: agent, action: 'input.route', resource: surface, context: { presented: true, focused: true } }, decision: 'deny', policies: [], reason: /No policy permits input\.route/ },

  // Surfaces: hidden at boot.
  { what: 'present a surface', request: { principal: owner, action: 'surface.present', resource: surface }, decision: 'allow', policies: ['owner-surfaces-runtime'], reason: 'owner-surfaces-runtime' },
  { what: 'present at boot', request: { principal: owner, action: 'surface.present', resource: surface, context: { atBoot: true } }, decision: 'deny', policies: ['boot-hidden'], reason: 'boot-hidden' },
  { what: 'hide a surface', request: { principal: api, action: 'surface.hide', resource: surface }, decision: 'allow', policies: ['owner-surfaces-runtime'], reason: 'owner-surfaces-runtime' },
  { what: 'the conductor presents a surface the person asked for', request: { principal: conductor, action: 'surface.present', resource: surface }, decision: 'allow', policies: ['conductor-surfaces'], reason: 'conductor-surfaces' },

  // Low confidence on risky actions asks.
  ...(['vm.stop', 'vm.reset', 'vm.restore'] as const).map(
    (action): Row => ({ what: `${action} when unsure`, request: { principal: conductor, action, resource: linux(), context: { confidencePct: 69 } }, decision: 'ask', policies: ['ask-when-unsure', 'vm-lifecycle'], reason: 'ask-when-unsure' }),
  ),
  { what: 'stop when sure enough', request: { principal: conductor, action: 'vm.stop', resource: linux(), context: { confidencePct: 70 } }, decision: 'allow', policies: ['vm-lifecycle'], reason: 'vm-lifecycle' },
  { what: 'pause when unsure is not risky', request: { principal: conductor, action: 'vm.pause', resource: linux(), context: { confidencePct: 10 } }, decision: 'allow', policies: ['vm-lifecycle'], reason: 'vm-lifecycle' },
  { what: 'a guest agent stays denied when unsure', request: { principal: agent, action: 'vm.stop', resource: linux(), context: { confidencePct: 10 } }, decision: 'deny', policies: [], reason: /No policy permits vm\.stop/ },

  // Runtime and policy.
  { what: 'the owner stops the runtime', request: { principal: owner, action: 'runtime.stop', resource: runtime }, decision: 'allow', policies: ['owner-surfaces-runtime'], reason: 'owner-surfaces-runtime' },
  { what: 'the conductor may not stop the runtime', request: { principal: conductor, action: 'runtime.stop', resource: runtime }, decision: 'deny', policies: [], reason: /No policy permits runtime\.stop/ },
  { what: 'the owner changes policy', request: { principal: owner, action: 'policy.apply', resource: { kind: 'PolicySet', id: 'active' } }, decision: 'allow', policies: ['owner-changes-policy'], reason: 'owner-changes-policy' },
  ...[api, conductor, agent].map(
    (principal): Row => ({ what: `${principal.kind} may not change policy`, request: { principal, action: 'policy.apply', resource: { kind: 'PolicySet', id: 'active' } }, decision: 'deny', policies: [], reason: /No policy permits policy\.apply/ }),
  ),

  // A request whose resource does not fit the action.
  { what: 'vm.start on a surface', request: { principal: owner, action: 'vm.start', resource: surface }, decision: 'deny', policies: [], reason: /^vm\.start applies to Vm, not to Surface::"linux-main"\.$/ },
];

describe('the default set decides as documented', () => {
  for (const row of rows) {
    test(row.what, () => {
      const decided = decideWith(defaults, row.request);
      assert.equal(decided.decision, row.decision, decided.reason);
      assert.deepEqual(decided.policies, row.policies);
      if (typeof row.reason === 'string') assert.equal(decided.reason, reasonOf(row.reason));
      else assert.match(decided.reason, row.reason);
    });
  }

  test('a kept decision is a copy: changing what decide returned changes nothing', () => {
    const request: PolicyRequest = { principal: owner, action: 'vm.start', resource: linux() };
    const first = decideWith(defaults, request);
    first.policies.push('tampered');
    first.reason = 'tampered';
    assert.deepEqual(decideWith(defaults, request), { decision: 'allow', policies: ['vm-limits'], reason: reasonOf('vm-limits') });
  });
});

describe('@ask', () => {
  test('an @ask permit asks on its own; any forbid still denies; a plain permit beside it still asks', () => {
    const set = load([
      { name: 'a.cedar', text: '@id("net-ask") @ask @reason("Networking needs a yes.") permit (principal is Person, action == Action::"vm.network.enable", resource);' },
      { name: 'b.cedar', text: '@id("no-windows-net") @reason("Windows stays offline.") forbid (principal, action == Action::"vm.network.enable", resource is Vm) when { resource.kind == "windows" };' },
      { name: 'c.cedar', text: '@id("net-on") permit (principal is Person, action == Action::"vm.network.enable", resource) when { context.confidencePct > 90 };' },
    ]);
    const request = (kind: 'linux' | 'windows', confidencePct = 100): PolicyRequest => ({
      principal: owner,
      action: 'vm.network.enable',
      resource: { kind: 'Vm', id: kind, attrs: { kind, memoryMiB: 1, vcpus: 1, diskMiB: 1, network: false } },
      context: { confidencePct },
    });
    assert.deepEqual(decideWith(set, request('linux', 50)), { decision: 'ask', policies: ['net-ask'], reason: 'Networking needs a yes.' });
    assert.deepEqual(decideWith(set, request('linux')), { decision: 'ask', policies: ['net-ask', 'net-on'], reason: 'Networking needs a yes.' });
    assert.deepEqual(decideWith(set, request('windows')), { decision: 'deny', policies: ['no-windows-net'], reason: 'Windows stays offline.' });
  });

  test('a caution (@ask forbid) asks only where something else permits, and a policy without @reason still explains itself', () => {
    const set = load([{ name: 'x.cedar', text: '@ask forbid (principal, action, resource) when { context.confidencePct < 50 };\npermit (principal is Person, action == Action::"vm.pause", resource);' }]);
    const pause = (confidencePct: number): PolicyRequest => ({ principal: owner, action: 'vm.pause', resource: linux(), context: { confidencePct } });
    assert.deepEqual(decideWith(set, pause(10)), { decision: 'ask', policies: ['x.cedar#1', 'x.cedar#2'], reason: 'Policy x.cedar#1 forbids it.' });
    assert.deepEqual(decideWith(set, pause(90)), { decision: 'allow', policies: ['x.cedar#2'], reason: 'Policy x.cedar#2 permits it.' });
    assert.equal(decideWith(set, { principal: owner, action: 'vm.stop', resource: linux(), context: { confidencePct: 10 } }).decision, 'deny');
  });
});

describe('failing closed', () => {
  test('a policy that errors (integer overflow) denies, naming the error, even when it is a forbid that would not have mattered', () => {
    const set = load([
      { name: 'base.cedar', text: '@id("pause") permit (principal, action == Action::"vm.pause", resource);' },
      { name: 'boom.cedar', text: '@id("overflow") forbid (principal, action == Action::"vm.pause", resource) when { context.now * context.now * context.now > 0 };' },
    ]);
    const decided = decideWith(set, { principal: owner, action: 'vm.pause', resource: linux(), context: { now: 2_000_000_000 } });
    assert.equal(decided.decision, 'deny');
    assert.deepEqual(decided.policies, ['overflow']);
    assert.match(decided.reason, /^The request could not be evaluated \(policy overflow: integer overflow .*\), so it is denied: RayOS fails closed\.$/);
    // Cedar itself skips a policy that errors, so on its own it would have allowed this; with no overflow the permit allows.
    assert.equal(decideWith(set, { principal: owner, action: 'vm.pause', resource: linux(), context: { now: 0 } }).decision, 'allow');
  });

  test('a value Cedar cannot read (a fraction where a Long belongs) denies, saying why', () => {
    const decided = decideWith(defaults, { principal: owner, action: 'vm.start', resource: linux({ memoryMiB: 1.5 }) });
    assert.equal(decided.decision, 'deny');
    assert.match(decided.reason, /could not be evaluated/);
  });

  test('an empty set denies everything', () => {
    const empty = load([]);
    assert.deepEqual(decideWith(empty, { principal: owner, action: 'runtime.stop', resource: runtime }), {
      decision: 'deny',
      policies: [],
      reason: 'No policy permits runtime.stop on Runtime::"rayos" for Person::"owner". No policy in force permits runtime.stop at all.',
    });
  });
});

describe('the lockout rule', () => {
  test('the default set lets the owner change policy', () => {
    assert.ok(checkLockout(defaults, 'The default set').ok);
  });

  test('a set that forbids policy.apply, or permits it only with a question, or not at all, is a lockout naming what blocks it', () => {
    const forbidding = load([
      { name: DEFAULT_POLICY_FILE, text: DEFAULT_POLICIES },
      { name: 'freeze.cedar', text: '@id("freeze") @reason("Policy is frozen.") forbid (principal, action == Action::"policy.apply", resource);' },
    ]);
    const locked = checkLockout(forbidding, 'Applying freeze.cedar');
    assert.ok(!locked.ok);
    assert.equal(locked.error.code, 'RAYOS_POLICY_LOCKOUT');
    assert.deepEqual(locked.error.details?.['policies'], ['freeze']);
    assert.match(locked.error.message, /^Applying freeze\.cedar would lock the owner out of changing the policy: .* but policy freeze would deny it \(Policy is frozen\.\)\. Nothing was changed\.$/);

    const asking = load([{ name: 'ask.cedar', text: '@id("ask-apply") @ask permit (principal is Person, action == Action::"policy.apply", resource);' }]);
    const asked = checkLockout(asking, 'x');
    assert.ok(!asked.ok);
    assert.match(asked.error.message, /policy ask-apply would make it ask/);

    const nothing = checkLockout(load([{ name: 'n.cedar', text: 'permit (principal, action == Action::"vm.pause", resource);' }]), 'x');
    assert.ok(!nothing.ok);
    assert.match(nothing.error.message, /no policy would permit it/);
  });
});

describe('only what the policies read crosses into Cedar', () => {
  test('per action: the context attributes and the resource attributes its policies read, and the answers stay right', () => {
    const set = load([
      { name: 'a.cedar', text: '@id("late-pause") permit (principal, action == Action::"vm.pause", resource) when { context has now && context.now > 5 };' },
      { name: 'b.cedar', text: '@id("no-windows") forbid (principal, action, resource) when { resource has kind && resource.kind == "windows" };' },
      { name: 'c.cedar', text: '@id("stop-all") permit (principal, action == Action::"vm.stop", resource) when { context == context };' },
    ]);
    assert.deepEqual(set.reads.get('vm.pause'), { context: ['now'], resource: true });
    assert.deepEqual(set.reads.get('vm.stop'), { context: null, resource: true });
    assert.deepEqual(set.reads.get('runtime.stop'), { context: [], resource: true });
    assert.deepEqual(defaults.reads.get('input.route'), { context: ['presented', 'focused'], resource: false });
    const windows: PolicyRequest['resource'] = { kind: 'Vm', id: 'w', attrs: { kind: 'windows', memoryMiB: 1, vcpus: 1, diskMiB: 1, network: false } };
    assert.equal(decideWith(set, { principal: owner, action: 'vm.pause', resource: linux(), context: { now: 10 } }).decision, 'allow');
    assert.equal(decideWith(set, { principal: owner, action: 'vm.pause', resource: linux(), context: { now: 1 } }).decision, 'deny');
    assert.deepEqual(decideWith(set, { principal: owner, action: 'vm.pause', resource: windows, context: { now: 10 } }).policies, ['no-windows']);
    assert.equal(decideWith(set, { principal: owner, action: 'vm.stop', resource: linux() }).decision, 'allow');
    assert.equal(decideWith(set, { principal: owner, action: 'runtime.stop', resource: runtime }).decision, 'deny');
  });
});
