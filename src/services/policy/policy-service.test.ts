// Tests the policy service on a real data directory and the real storage service: start, apply, check, remove, hot reload, audit events and races.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigSchema } from '../../contracts/config.js';
import { RayosFailure } from '../../contracts/errors.js';
import type { RayosEvent } from '../../contracts/events.js';
import type { MarkerRecord } from '../../contracts/markers.js';
import type { PolicyDecision, PolicyRequest } from '../../contracts/policy.js';
import { EventBus } from '../../kernel/event-bus.js';
import { MarkerWriter } from '../../kernel/marker-writer.js';
import type { ServiceContext } from '../../kernel/service.js';
import { createStorageService, type StorageService } from '../storage/api.js';
import { createPolicyService, DEFAULT_POLICIES, type PolicyService } from './api.js';

const dirs: string[] = [];
const running: { stop(reason: string): Promise<void> }[] = [];
after(async () => {
  for (const service of running.splice(0).reverse()) await service.stop('test done');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Harness {
  readonly policyDir: string;
  readonly storage: StorageService;
  readonly policy: PolicyService;
  readonly ctx: ServiceContext;
  readonly markers: MarkerWriter;
  readonly bus: EventBus;
}

/** A data directory with the real storage service started on it, and the policy service created (not started). */
async function prepare(options: { watch?: boolean; files?: Record<string, string> } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rayos-policy-'));
  dirs.push(dataDir);
  const policyDir = join(dataDir, 'policy');
  if (options.files !== undefined) {
    mkdirSync(policyDir, { recursive: true });
    for (const [name, text] of Object.entries(options.files)) writeFileSync(join(policyDir, name), text);
  }
  const markers = new MarkerWriter({ write: null, historySize: 10_000 });
  const bus = new EventBus(100_000);
  const ctx: ServiceContext = {
    config: ConfigSchema.parse({ journal: { durability: 'none' }, policy: { watch: options.watch ?? false } }),
    dataDir,
    bus,
    markers,
    signal: new AbortController().signal,
  };
  const storage = createStorageService({ dataDir, version: 'test' });
  await storage.start(ctx);
  running.push(storage);
  const policy = createPolicyService({ storage });
  return { policyDir, storage, policy, ctx, markers, bus };
}

async function started(options: { watch?: boolean; files?: Record<string, string> } = {}): Promise<Harness> {
  const harness = await prepare(options);
  await harness.policy.start(harness.ctx);
  running.push(harness.policy);
  return harness;
}

/** Resolves with the next RAYOS_POLICY marker of this event (subscribe before causing it). */
function nextMarker(markers: MarkerWriter, event: string): Promise<MarkerRecord> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no RAYOS_POLICY:${event} marker within 10 s`));
    }, 10_000);
    const unsubscribe = markers.subscribe(
      (marker) => {
        if (marker.area !== 'RAYOS_POLICY' || marker.event !== event) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(marker);
      },
      { replay: false },
    );
  });
}

const policyMarkers = (markers: MarkerWriter): string[] => markers.emitted().filter((m) => m.area === 'RAYOS_POLICY').map((m) => m.line);

const owner = { kind: 'Person', id: 'owner' } as const;
const linux: PolicyRequest['resource'] = { kind: 'Vm', id: 'linux', attrs: { kind: 'linux', memoryMiB: 1024, vcpus: 2, diskMiB: 8192, network: false } };
const networkOn: PolicyRequest = { principal: owner, action: 'vm.network.enable', resource: linux };
const NET_ON = '@id("net-on")\n@reason("The owner may turn guest networking on.")\npermit (principal is Person, action == Action::"vm.network.enable", resource is Vm);\n';
const NET_ON_LINUX = '@id("net-on-linux")\n@reason("Only the linux subsystem may go online.")\npermit (principal is Person, action == Action::"vm.network.enable", resource is Vm) when { resource.kind == "linux" };\n';
const DEFAULT_WITHOUT_OWNER = DEFAULT_POLICIES.replace(/@id\("owner-changes-policy"\)[^;]*;/, '');

describe('start', () => {
  test('an empty policy folder gets the default set (owner-only file), loaded and announced', async () => {
    const { policy, policyDir, markers, bus } = await started();
    assert.deepEqual(readdirSync(policyDir), ['default.cedar']);
    assert.equal(readFileSync(join(policyDir, 'default.cedar'), 'utf8'), DEFAULT_POLICIES);
    assert.equal(statSync(join(policyDir, 'default.cedar')).mode & 0o777, 0o600);
    assert.deepEqual(policyMarkers(markers), ['RAYOS_POLICY:LOADED:1:13']);
    assert.deepEqual(bus.recent(0).filter((e) => e.type === 'policy.loaded').map((e) => e.data), [{ files: ['default.cedar'], policies: 13 }]);
    assert.equal(policy.health().status, 'ok');
    assert.match(policy.health().detail ?? '', /^13 policies from 1 files, loaded /);
    assert.equal(policy.show().files[0]?.policies.length, 13);
  });

  test('files already there are loaded as they are (no default added), in name order', async () => {
    const { policy, policyDir } = await started({ files: { 'b-net.cedar': NET_ON, 'a-base.cedar': DEFAULT_POLICIES } });
    assert.deepEqual(readdirSync(policyDir).sort(), ['a-base.cedar', 'b-net.cedar']);
    assert.deepEqual(
      policy.show().files.map((f) => f.name),
      ['a-base.cedar', 'b-net.cedar'],
    );
    assert.equal(policy.decide(networkOn).decision, 'allow');
  });

  test('an earlier default set nobody edited is replaced by the current one at start; an edited one is left as it is', async () => {
    // The default as RayOS wrote it before the Windows profile existed: it has no windows-profile permit.
    const earlier = readFileSync(new URL('../../../../src/services/policy/fixtures/default-before-windows.cedar', import.meta.url), 'utf8');
    assert.doesNotMatch(earlier, /windows-profile/);
    const windowsVm: PolicyRequest = { principal: owner, action: 'vm.create', resource: { kind: 'Vm', id: 'windows', attrs: { kind: 'windows', memoryMiB: 4096, vcpus: 2, diskMiB: 65536, network: false } } };
    const untouched = await started({ files: { 'default.cedar': earlier } });
    assert.equal(readFileSync(join(untouched.policyDir, 'default.cedar'), 'utf8'), DEFAULT_POLICIES);
    assert.deepEqual(policyMarkers(untouched.markers), ['RAYOS_POLICY:DEFAULT_UPGRADED:default.cedar', 'RAYOS_POLICY:LOADED:1:13']);
    assert.equal(untouched.policy.decide(windowsVm).decision, 'allow');

    const edited = `${earlier}\n// mine\n`;
    const kept = await started({ files: { 'default.cedar': edited } });
    assert.equal(readFileSync(join(kept.policyDir, 'default.cedar'), 'utf8'), edited);
    assert.ok(!policyMarkers(kept.markers).some((line) => line.includes('DEFAULT_UPGRADED')));
    assert.equal(kept.policy.decide(windowsVm).decision, 'deny');
  });

  test('an invalid file on disk fails the start with RAYOS_POLICY_INVALID naming file, line and column', async () => {
    const { policy, ctx } = await prepare({ files: { 'default.cedar': DEFAULT_POLICIES, 'typo.cedar': '@id("t")\npermit (principal, action == Action::"vm.strat", resource);\n' } });
    await assert.rejects(policy.start(ctx), (error: unknown) => {
      assert.ok(error instanceof RayosFailure);
      assert.equal(error.code, 'RAYOS_POLICY_INVALID');
      assert.match(error.message, /typo\.cedar:2:30: for policy `t`, unrecognized action `Action::"vm\.strat"`.* RayOS does not run without a valid policy/);
      assert.deepEqual([error.details?.['file'], error.details?.['line'], error.details?.['column']], ['typo.cedar', 2, 30]);
      return true;
    });
    assert.equal(policy.decide(networkOn).decision, 'deny');
    assert.equal(policy.health().status, 'failed');
  });

  test('a file name RayOS does not accept, or a set that locks the owner out, fails the start too', async () => {
    const badName = await prepare({ files: { 'My Policy.cedar': NET_ON } });
    await assert.rejects(badName.policy.start(badName.ctx), { code: 'RAYOS_POLICY_BAD_FILE_NAME' });
    const lockedOut = await prepare({ files: { 'default.cedar': DEFAULT_WITHOUT_OWNER } });
    await assert.rejects(lockedOut.policy.start(lockedOut.ctx), { code: 'RAYOS_POLICY_LOCKOUT' });
  });
});

describe('decide', () => {
  test('every decision is published as policy.decided; a deny also prints RAYOS_POLICY:DENIED with a marker-safe resource', async () => {
    const { policy, markers, bus } = await started();
    const seq = bus.lastSeq;
    const denied = policy.decide(networkOn);
    const allowed = policy.decide({ principal: owner, action: 'vm.pause', resource: linux });
    const deniedOdd = policy.decide({ ...networkOn, resource: { ...linux, id: 'win:11' } });
    assert.equal(denied.decision, 'deny');
    assert.equal(allowed.decision, 'allow');
    assert.deepEqual(
      bus.recent(seq).map((e: RayosEvent) => [e.type, e.data]),
      [
        ['policy.decided', { principal: 'Person::"owner"', action: 'vm.network.enable', resource: 'Vm::"linux"', ...denied }],
        ['policy.decided', { principal: 'Person::"owner"', action: 'vm.pause', resource: 'Vm::"linux"', ...allowed }],
        ['policy.decided', { principal: 'Person::"owner"', action: 'vm.network.enable', resource: 'Vm::"win:11"', ...deniedOdd }],
      ],
    );
    assert.deepEqual(policyMarkers(markers).slice(1), ['RAYOS_POLICY:DENIED:vm.network.enable:Vm.linux', 'RAYOS_POLICY:DENIED:vm.network.enable:Vm.win_11']);
  });

  test('after stop nothing is allowed', async () => {
    const { policy } = await started();
    await policy.stop('test');
    assert.deepEqual(policy.decide({ principal: owner, action: 'vm.pause', resource: linux }), { decision: 'deny', policies: [], reason: 'The policy service is not running, so nothing is allowed.' });
  });
});

describe('check, apply and remove', () => {
  test('check validates the resulting set and changes nothing', async () => {
    const { policy, policyDir, markers } = await started();
    assert.deepEqual(policy.check('net', NET_ON), { ok: true, value: { name: 'net.cedar', policies: 1, applied: false } });
    assert.deepEqual(readdirSync(policyDir), ['default.cedar']);
    assert.equal(policy.decide(networkOn).decision, 'deny');
    const bad = policy.check('net', 'permit (principal, action, resource) when { resource.x };');
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'RAYOS_POLICY_INVALID');
    assert.match(bad.error.message, /net\.cedar:1:\d+: .* The policy in force is unchanged\.$/);
    const locked = policy.check('default', DEFAULT_WITHOUT_OWNER);
    assert.ok(!locked.ok);
    assert.equal(locked.error.code, 'RAYOS_POLICY_LOCKOUT');
    assert.deepEqual(policyMarkers(markers), ['RAYOS_POLICY:LOADED:1:13', 'RAYOS_POLICY:DENIED:vm.network.enable:Vm.linux']);
  });

  test('apply writes the file durably, puts the new set in force at once and announces it', async () => {
    const { policy, policyDir, markers, bus } = await started();
    const before = policy.decide(networkOn);
    assert.equal(before.decision, 'deny');
    const applied = policy.apply('net.cedar', NET_ON);
    assert.deepEqual(applied, { ok: true, value: { name: 'net.cedar', policies: 1, applied: true } });
    assert.equal(readFileSync(join(policyDir, 'net.cedar'), 'utf8'), NET_ON);
    assert.equal(statSync(join(policyDir, 'net.cedar')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(policyDir).sort(), ['default.cedar', 'net.cedar'], 'no temp file is left');
    assert.deepEqual(policy.decide(networkOn), { decision: 'allow', policies: ['net-on'], reason: 'The owner may turn guest networking on.' });
    assert.ok(policyMarkers(markers).includes('RAYOS_POLICY:APPLIED:net.cedar'));
    assert.deepEqual(bus.recent(0).filter((e) => e.type === 'policy.applied').map((e) => e.data), [{ file: 'net.cedar', policies: 1 }]);
    // Replacing the file replaces its policies.
    assert.ok(policy.apply('net', NET_ON_LINUX).ok);
    assert.deepEqual(policy.decide(networkOn).policies, ['net-on-linux']);
    assert.equal(policy.decide({ ...networkOn, resource: { ...linux, id: 'win', attrs: { ...linux.attrs, kind: 'windows' } } }).decision, 'deny');
    assert.deepEqual(
      policy.explain('vm.network.enable').policies.map((p) => [p.id, p.file, p.effect, p.ask]),
      [
        ['ask-when-unsure', 'default.cedar', 'forbid', true],
        ['net-on-linux', 'net.cedar', 'permit', false],
      ],
    );
  });

  test('an invalid file is rejected with its location, REJECTED is printed, and nothing changes on disk or in force', async () => {
    const { policy, policyDir, markers, bus } = await started();
    const shownBefore = policy.show();
    const bad = policy.apply('net', `${NET_ON}\n@id("x") permit (principal, action == Action::"vm.start", resource is Vm) when { resource.memory > 1 };\n`);
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'RAYOS_POLICY_INVALID');
    assert.match(bad.error.message, /^The policy is not valid: net\.cedar:5:82: for policy `x`, attribute `memory` on entity type `Vm` not found/);
    assert.deepEqual(readdirSync(policyDir), ['default.cedar']);
    assert.deepEqual(policy.show(), shownBefore);
    assert.equal(policy.decide(networkOn).decision, 'deny');
    assert.ok(policyMarkers(markers).includes('RAYOS_POLICY:REJECTED:net.cedar:RAYOS_POLICY_INVALID'));
    assert.deepEqual(
      bus
        .recent(0)
        .filter((e): e is RayosEvent<'policy.rejected'> => e.type === 'policy.rejected')
        .map((e) => [e.data.file, e.data.code]),
      [['net.cedar', 'RAYOS_POLICY_INVALID']],
    );
  });

  test('a set that would lock the owner out is refused, naming the policies that block it; the running set is unchanged', async () => {
    const { policy, policyDir, markers } = await started();
    const freeze = '@id("freeze")\n@reason("Nobody changes policy.")\nforbid (principal, action == Action::"policy.apply", resource);\n';
    const refused = policy.apply('freeze', freeze);
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'RAYOS_POLICY_LOCKOUT');
    assert.deepEqual(refused.error.details?.['policies'], ['freeze']);
    assert.match(refused.error.message, /^Applying freeze\.cedar would lock the owner out of changing the policy: .*policy freeze would deny it \(Nobody changes policy\.\)\. Nothing was changed\.$/);
    assert.ok(policyMarkers(markers).includes('RAYOS_POLICY:REJECTED:freeze.cedar:RAYOS_POLICY_LOCKOUT'));
    // Replacing the default set with one that has no permit for it is a lockout too.
    const replaced = policy.apply('default', DEFAULT_WITHOUT_OWNER);
    assert.ok(!replaced.ok);
    assert.match(replaced.error.message, /no policy would permit it/);
    assert.deepEqual(readdirSync(policyDir), ['default.cedar']);
    assert.equal(readFileSync(join(policyDir, 'default.cedar'), 'utf8'), DEFAULT_POLICIES);
    assert.equal(policy.decide({ principal: owner, action: 'policy.apply', resource: { kind: 'PolicySet', id: 'active' } }).decision, 'allow');
  });

  test('file names: 1–64 of a-z, 0-9 and "-" (".cedar" optional); anything else is RAYOS_POLICY_BAD_FILE_NAME and REJECTED', async () => {
    const { policy, policyDir, markers } = await started();
    for (const name of ['', '.cedar', '../etc/x', 'a/b', 'Net', 'net.txt', 'net.cedar.cedar', '-net', 'a_b', 'a'.repeat(65), 'x:y', 'net\n']) {
      const result = policy.apply(name, NET_ON);
      assert.ok(!result.ok, JSON.stringify(name));
      assert.equal(result.error.code, 'RAYOS_POLICY_BAD_FILE_NAME', JSON.stringify(name));
    }
    assert.deepEqual(readdirSync(policyDir), ['default.cedar']);
    for (const line of policyMarkers(markers).filter((l) => l.includes('REJECTED'))) assert.match(line, /^RAYOS_POLICY:REJECTED:[A-Za-z0-9._-]+:RAYOS_POLICY_BAD_FILE_NAME$/);
    assert.ok(policy.apply('0-net-' + 'a'.repeat(58), NET_ON).ok);
  });

  test('remove takes a file out (with the same lockout rule); an unknown file is RAYOS_POLICY_FILE_NOT_FOUND', async () => {
    const { policy, policyDir, markers } = await started();
    assert.ok(policy.apply('net', NET_ON).ok);
    assert.deepEqual(policy.remove('net'), { ok: true, value: { name: 'net.cedar', policies: 1, applied: true } });
    assert.deepEqual(readdirSync(policyDir), ['default.cedar']);
    assert.equal(policy.decide(networkOn).decision, 'deny');
    assert.equal(policyMarkers(markers).filter((l) => l.startsWith('RAYOS_POLICY:LOADED')).at(-1), 'RAYOS_POLICY:LOADED:1:13');
    const missing = policy.remove('net');
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'RAYOS_POLICY_FILE_NOT_FOUND');
    const last = policy.remove('default');
    assert.ok(!last.ok);
    assert.equal(last.error.code, 'RAYOS_POLICY_LOCKOUT');
    assert.ok(existsSync(join(policyDir, 'default.cedar')));
  });

  test('what was applied is what a restarted service loads', async () => {
    const { policy, storage, ctx } = await started();
    assert.ok(policy.apply('net', NET_ON).ok);
    await policy.stop('restart');
    const again = createPolicyService({ storage });
    await again.start(ctx);
    running.push(again);
    assert.equal(again.decide(networkOn).decision, 'allow');
  });
});

describe('hot reload (policy.watch)', () => {
  test('a file added, changed or removed on disk is validated and put in force', async () => {
    const { policy, policyDir, markers } = await started({ watch: true });
    let loaded = nextMarker(markers, 'LOADED');
    writeFileSync(join(policyDir, 'net.cedar'), NET_ON);
    assert.equal((await loaded).line, 'RAYOS_POLICY:LOADED:2:14');
    assert.deepEqual(policy.decide(networkOn).policies, ['net-on']);

    loaded = nextMarker(markers, 'LOADED');
    writeFileSync(join(policyDir, 'net.cedar'), NET_ON_LINUX);
    await loaded;
    assert.deepEqual(policy.decide(networkOn).policies, ['net-on-linux']);

    loaded = nextMarker(markers, 'LOADED');
    rmSync(join(policyDir, 'net.cedar'));
    assert.equal((await loaded).line, 'RAYOS_POLICY:LOADED:1:13');
    assert.equal(policy.decide(networkOn).decision, 'deny');
  });

  test('an invalid edit on disk is rejected and the set in force stays; fixing it loads it', async () => {
    const { policy, policyDir, markers } = await started({ watch: true });
    let loaded = nextMarker(markers, 'LOADED');
    writeFileSync(join(policyDir, 'net.cedar'), NET_ON);
    await loaded;

    const rejected = nextMarker(markers, 'REJECTED');
    writeFileSync(join(policyDir, 'net.cedar'), NET_ON.replace('resource is Vm);', 'resource is Vm) when { resource.colour == "red" };'));
    assert.equal((await rejected).line, 'RAYOS_POLICY:REJECTED:net.cedar:RAYOS_POLICY_INVALID');
    assert.deepEqual(policy.decide(networkOn).policies, ['net-on'], 'the old set stays in force');
    assert.equal(policy.health().status, 'degraded');
    assert.match(policy.health().detail ?? '', /net\.cedar:3:\d+: .*colour/);

    const locked = nextMarker(markers, 'REJECTED');
    writeFileSync(join(policyDir, 'default.cedar'), DEFAULT_WITHOUT_OWNER);
    assert.equal((await locked).line, 'RAYOS_POLICY:REJECTED:net.cedar:RAYOS_POLICY_INVALID', 'net.cedar is still broken');

    loaded = nextMarker(markers, 'LOADED');
    const lockout = nextMarker(markers, 'REJECTED');
    writeFileSync(join(policyDir, 'net.cedar'), NET_ON_LINUX);
    assert.equal((await lockout).line, 'RAYOS_POLICY:REJECTED:default.cedar:RAYOS_POLICY_LOCKOUT');

    writeFileSync(join(policyDir, 'default.cedar'), DEFAULT_POLICIES);
    assert.equal((await loaded).line, 'RAYOS_POLICY:LOADED:2:14');
    assert.deepEqual(policy.decide(networkOn).policies, ['net-on-linux']);
    assert.equal(policy.health().status, 'ok');
  });

  test('apply does not make the watcher reload what is already in force', async () => {
    const { policy, markers } = await started({ watch: true });
    assert.ok(policy.apply('net', NET_ON).ok);
    // A second apply's marker arrives after any reload the first write could have caused.
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(policyMarkers(markers), ['RAYOS_POLICY:LOADED:1:13', 'RAYOS_POLICY:APPLIED:net.cedar']);
  });
});

describe('races', () => {
  test('decisions interleaved with applies and reloads are each wholly the old set\'s or the new set\'s, never an error', async () => {
    const { policy, policyDir } = await started({ watch: true });
    const request: PolicyRequest = { ...networkOn, context: { confidencePct: 100 } };
    assert.ok(policy.apply('net', NET_ON).ok);
    const allowed = policy.decide(request);
    assert.ok(policy.apply('net', '// nothing here\n').ok);
    const denied = policy.decide(request);
    assert.equal(allowed.decision, 'allow');
    assert.equal(denied.decision, 'deny');
    const answers = [allowed, denied];

    const seen: PolicyDecision[] = [];
    let applying = true;
    const decisions = new Promise<void>((resolve) => {
      const step = (): void => {
        for (let i = 0; i < 5; i++) seen.push(policy.decide(request));
        if (applying || seen.length < 2000) setImmediate(step);
        else resolve();
      };
      setImmediate(step);
    });
    const applies = new Promise<void>((resolve) => {
      let round = 0;
      const step = (): void => {
        round++;
        if (round % 10 === 0) writeFileSync(join(policyDir, 'net.cedar'), round % 20 === 0 ? NET_ON : '// off\n');
        else assert.ok(policy.apply('net', round % 2 === 0 ? NET_ON : '// nothing here\n').ok);
        if (round < 60) setImmediate(step);
        else {
          applying = false;
          resolve();
        }
      };
      setImmediate(step);
    });
    await Promise.all([decisions, applies]);
    assert.ok(seen.length >= 2000);
    const kinds = new Set<string>();
    for (const decided of seen) {
      const match = answers.find((answer) => JSON.stringify(answer) === JSON.stringify(decided));
      assert.ok(match !== undefined, `a decision from neither set: ${JSON.stringify(decided)}`);
      kinds.add(decided.decision);
    }
    assert.deepEqual([...kinds].sort(), ['allow', 'deny'], 'both sets were in force at some point');
  });
});
