// Tests the policy engine end to end with a real runtime and QEMU (TCG): limits, apply, bad files, lockout, ask, test, audit.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PolicyDecisionSchema, PolicyShowSchema } from '../../src/contracts/policy.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, qemuPidsUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000;
const BIG_MIB = 3072; // over the default vm-limits (2048 MiB); TCG allocates guest RAM lazily, so this is cheap

describe('policy decides what RayOS does', () => {
  const { dir, cleanup } = tempDataDir('rayos-pol-');
  let runtime: RuntimeProcess;
  const { cli, show } = vmCli(dir);
  const file = (name: string, text: string): string => {
    const path = join(dir, 'work', name);
    writeFileSync(path, text);
    return path;
  };
  const policyCount = async (): Promise<number> => PolicyShowSchema.parse(JSON.parse((await cli(['policy', 'show', '--json'])).stdout)).files.flatMap((f) => f.policies).length;

  before(async () => {
    installGuestImage(dir);
    mkdirSync(join(dir, 'work'));
    // Someone allowed creating a big VM, but not starting one: the default limits still hold for vm.start.
    mkdirSync(join(dir, 'policy'), { recursive: true, mode: 0o700 });
    const { DEFAULT_POLICIES } = await import('../../src/services/policy/api.js');
    writeFileSync(join(dir, 'policy', 'default.cedar'), DEFAULT_POLICIES);
    writeFileSync(join(dir, 'policy', 'create-big.cedar'), `@id("create-big")\n@reason("Big VMs may be defined.")\npermit (principal is Person, action == Action::"vm.create", resource is Vm) when { resource.memoryMiB <= 4096 };\n`);
    runtime = startRuntime(dir, ['--set', `vm.linux.memoryMiB=${BIG_MIB}`, '--set', 'policy.askTimeoutMs=8000']);
    await runtime.waitFor('RAYOS_BOOT_MARKER:READY', 60_000);
  });
  after(async () => {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    cleanup();
  });

  test('a VM over its memory limit is not started at boot, and "vm start" is denied with the reason', async () => {
    assert.ok(runtime.lines.includes('RAYOS_VM:CREATED:linux'));
    assert.ok(runtime.lines.includes('RAYOS_POLICY:DENIED:vm.start:Vm.linux'));
    assert.deepEqual(qemuPidsUnder(dir), []);
    const vm = await show();
    assert.equal(vm.memoryMiB, BIG_MIB);
    assert.equal(vm.state, 'defined');
    const start = await cli(['vm', 'start', 'linux']);
    assert.equal(start.code, 1);
    assert.match(start.stderr, /RAYOS_POLICY_DENIED: Policy denies vm\.start on Vm::"linux"/);
    assert.match(start.stderr, /No policy permits vm\.start/);
    assert.deepEqual(qemuPidsUnder(dir), []);
  });

  test('a bad policy file is rejected with its line and column, and the set in force is unchanged', async () => {
    const before = await policyCount();
    const syntax = await cli(['policy', 'apply', file('broken.cedar', '@id("x")\npermit (principal, action, resource) when { resource.memoryMiB <= };\n')]);
    assert.equal(syntax.code, 1);
    assert.match(syntax.stderr, /RAYOS_POLICY_INVALID: .*broken\.cedar:2:\d+: /);
    const unknownAttr = await cli(['policy', 'check', file('attr.cedar', 'permit (principal, action == Action::"vm.start", resource is Vm) when { resource.colour == "red" };\n')]);
    assert.equal(unknownAttr.code, 1);
    assert.match(unknownAttr.stderr, /RAYOS_POLICY_INVALID: .*attr\.cedar:1:\d+: .*colour/);
    const unknownType = await cli(['policy', 'apply', file('type.cedar', 'permit (principal is Robot, action, resource);\n')]);
    assert.match(unknownType.stderr, /RAYOS_POLICY_INVALID: .*type\.cedar:1:\d+: .*Robot/);
    const lockout = await cli(['policy', 'apply', file('lockout.cedar', '@id("freeze")\nforbid (principal, action == Action::"policy.apply", resource);\n')]);
    assert.equal(lockout.code, 1);
    assert.match(lockout.stderr, /RAYOS_POLICY_LOCKOUT: .*freeze/);
    assert.ok(runtime.lines.includes('RAYOS_POLICY:REJECTED:lockout.cedar:RAYOS_POLICY_LOCKOUT'));
    assert.equal(await policyCount(), before);
    const missing = await cli(['policy', 'apply', join(dir, 'work', 'nope.cedar')]);
    assert.equal(missing.code, 2);
  });

  test('raising the limit in a policy file and applying it lets the VM start', async () => {
    const check = await cli(['policy', 'check', file('raise-limit.cedar', `@id("raise-limit")\n@reason("The Linux subsystem may use up to 4 GiB.")\npermit (principal is Person, action == Action::"vm.start", resource == Vm::"linux") when { resource.memoryMiB <= 4096 };\n`)]);
    assert.equal(check.code, 0, check.stderr);
    assert.equal((await show()).state, 'defined', 'check changes nothing');
    const applied = await cli(['policy', 'apply', join(dir, 'work', 'raise-limit.cedar')]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.ok(runtime.lines.includes('RAYOS_POLICY:APPLIED:raise-limit.cedar'));
    const from = runtime.lines.length;
    const start = await cli(['vm', 'start', 'linux']);
    assert.equal(start.code, 0, start.stderr);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS, from);
    const explained = await cli(['policy', 'explain', 'vm.start', '--json']);
    const ids = (JSON.parse(explained.stdout) as { policies: { id: string }[] }).policies.map((p) => p.id);
    assert.ok(ids.includes('raise-limit') && ids.includes('vm-limits'), ids.join(','));
  });

  test('an ask waits for the person: yes lets it run, no and silence do not', async () => {
    const applied = await cli(['policy', 'apply', file('ask-pause.cedar', '@id("ask-pause")\n@ask\n@reason("Pausing the Linux subsystem needs a yes.")\nforbid (principal, action == Action::"vm.pause", resource == Vm::"linux");\n')]);
    assert.equal(applied.code, 0, applied.stderr);

    let from = runtime.lines.length;
    const pausing = cli(['vm', 'pause', 'linux']);
    const asked = await runtime.waitFor(/^RAYOS_POLICY:ASK:q-[0-9a-f]+:vm\.pause:Vm\.linux$/, 30_000, from);
    const id = asked.split(':')[2]!;
    const listed = await cli(['policy', 'questions', '--json']);
    assert.ok((JSON.parse(listed.stdout) as { questions: { id: string }[] }).questions.some((q) => q.id === id));
    const yes = await cli(['policy', 'answer', id, 'yes']);
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal((await pausing).code, 0);
    assert.equal((await show()).state, 'paused');
    assert.equal((await cli(['vm', 'resume', 'linux'])).code, 0);

    from = runtime.lines.length;
    const declined = cli(['vm', 'pause', 'linux']);
    const second = (await runtime.waitFor(/^RAYOS_POLICY:ASK:/, 30_000, from)).split(':')[2]!;
    assert.equal((await cli(['policy', 'answer', second, 'no'])).code, 0);
    const no = await declined;
    assert.equal(no.code, 1);
    assert.match(no.stderr, /RAYOS_POLICY_ASK_DECLINED: .*the person said no/);
    assert.equal((await show()).state, 'running');

    from = runtime.lines.length;
    const silent = await cli(['vm', 'pause', 'linux']);
    assert.match(silent.stderr, /RAYOS_POLICY_ASK_DECLINED: .*nobody answered in time/);
    await runtime.waitFor(/^RAYOS_POLICY:EXPIRED:q-/, 5_000, from);
    assert.equal((await show()).state, 'running');
    const stale = await cli(['policy', 'answer', second, 'yes']);
    assert.match(stale.stderr, /RAYOS_POLICY_QUESTION_NOT_FOUND/);
  });

  test('policy test decides a request without acting; a malformed one is a clear error', async () => {
    const request = file('request.json', JSON.stringify({ principal: { kind: 'GuestAgent', id: 'linux' }, action: 'vm.stop', resource: { kind: 'Vm', id: 'linux', attrs: { kind: 'linux', memoryMiB: 256, vcpus: 1, diskMiB: 256, network: false } } }));
    const tested = await cli(['policy', 'test', request, '--json']);
    assert.equal(tested.code, 0, tested.stderr);
    assert.equal(PolicyDecisionSchema.parse(JSON.parse(tested.stdout)).decision, 'deny');
    assert.equal((await show()).state, 'running');
    const bad = await cli(['policy', 'test', file('bad.json', '{"principal": {"kind": "Robot", "id": "r2"}}')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /RAYOS_POLICY_BAD_REQUEST: .*principal\.kind/);
  });

  test('every decision is audited: who, what, on what, decision, policies, reason', async () => {
    const denies = await cli(['audit', '--decision', 'deny', '--json']);
    assert.equal(denies.code, 0, denies.stderr);
    const entries = denies.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { principal: string; action: string; resource: string; decision: string; reason: string });
    assert.ok(entries.every((e) => e.decision === 'deny'));
    assert.ok(entries.some((e) => e.action === 'vm.start' && e.resource === 'Vm::"linux"' && e.principal === 'Person::"owner"' && /No policy permits/.test(e.reason)));
    const recent = await cli(['audit', '--since', '10m', '--json']);
    const all = recent.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { action: string; decision: string });
    assert.ok(all.some((e) => e.action === 'vm.start' && e.decision === 'allow'));
    assert.ok(all.some((e) => e.action === 'vm.pause' && e.decision === 'ask'));
    const bad = await cli(['audit', '--decision', 'maybe']);
    assert.equal(bad.code, 2);
  });
});
