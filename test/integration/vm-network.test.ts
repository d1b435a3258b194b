// Tests guest networking on demand with real QEMU (TCG): off by default; hot-plugged on and off; kept across suspend, cold boot and runtime restart.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EventEnvelopeSchema } from '../../src/contracts/events.js';
import { VmViewSchema, type VmView } from '../../src/contracts/vm.js';
import { startRuntime, stopRuntime, tempDataDir, type RuntimeProcess } from '../support/runtime-process.js';
import { installGuestImage, killQemusUnder, qemuPidsUnder, vmCli } from '../support/vm-support.js';

const BOOT_MS = 240_000; // a cold TCG boot on a busy 2-core machine
const BODY = `hello from the host ${process.pid}\n`;

describe('guest networking of the Linux subsystem', () => {
  const { dir, cleanup } = tempDataDir('rayos-net-');
  let runtime: RuntimeProcess;
  const { cli, show, exec } = vmCli(dir);
  // QEMU user-mode networking maps 10.0.2.2 to the host's loopback, so this is what the guest reaches there.
  let server: Server;
  let url = '';

  /** `rayos vm network linux on|off --json`, which must succeed. */
  async function network(state: 'on' | 'off'): Promise<VmView> {
    const from = runtime.lines.length;
    const set = await cli(['vm', 'network', 'linux', state, '--json']);
    assert.equal(set.code, 0, set.stderr);
    await runtime.waitFor(new RegExp(`^RAYOS_POLICY:NETWORK:linux:${state}:[A-Za-z0-9._-]+$`), 5_000, from);
    return VmViewSchema.parse(JSON.parse(set.stdout));
  }
  async function interfaces(): Promise<string[]> {
    return (await exec('ls', '/sys/class/net')).stdout.split(/\s+/).filter((s) => s !== '');
  }
  /** busybox wget; its -T timeout crashes busybox 1.35, and none is needed: an unreachable network fails at once. */
  async function fetchFromHost(): Promise<{ exitCode: number; stdout: string }> {
    const run = await cli(['vm', 'exec', 'linux', '--json', '--', 'wget', '-q', '-O', '-', url]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as { exitCode: number; stdout: string };
  }
  async function assertNetworkWorks(): Promise<void> {
    assert.ok((await interfaces()).includes('eth0'));
    const fetched = await fetchFromHost();
    assert.deepEqual({ exitCode: fetched.exitCode, stdout: fetched.stdout }, { exitCode: 0, stdout: BODY });
  }
  async function assertNoNetwork(): Promise<void> {
    assert.deepEqual(await interfaces(), ['lo']);
    assert.notEqual((await fetchFromHost()).exitCode, 0, 'the host cannot be reached without a NIC');
  }

  before(async () => {
    server = createServer((_req, res) => res.end(BODY));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://10.0.2.2:${(server.address() as AddressInfo).port}/`;
    installGuestImage(dir);
    runtime = startRuntime(dir);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS);
  });
  after(async () => {
    if (runtime) await stopRuntime(runtime);
    killQemusUnder(dir);
    server.close();
    cleanup();
  });

  test('a fresh VM has no network: only lo in the guest, network false', async () => {
    assert.equal((await show()).network, false);
    await assertNoNetwork();
  });

  test('the default policy keeps the network off: on is denied with the reason, and the guest still has no interface', async () => {
    const denied = await cli(['vm', 'network', 'linux', 'on']);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /RAYOS_POLICY_DENIED: Policy denies vm\.network\.enable on Vm::"linux"/);
    assert.ok(runtime.lines.includes('RAYOS_POLICY:DENIED:vm.network.enable:Vm.linux'));
    assert.equal((await show()).network, false);
    await assertNoNetwork();
    const audit = await cli(['audit', '--decision', 'deny', '--json']);
    assert.equal(audit.code, 0, audit.stderr);
    const entries = audit.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { action: string; resource: string; principal: string });
    assert.ok(entries.some((e) => e.action === 'vm.network.enable' && e.resource === 'Vm::"linux"' && e.principal === 'Person::"owner"'), audit.stdout);
  });

  test('a policy that permits it, applied: on is allowed', async () => {
    const file = join(dir, 'linux-network.cedar');
    writeFileSync(file, '@id("linux-network")\n@reason("The Linux subsystem may use the network.")\npermit (principal is Person, action == Action::"vm.network.enable", resource == Vm::"linux");\n');
    const applied = await cli(['policy', 'apply', file]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.ok(runtime.lines.includes('RAYOS_POLICY:APPLIED:linux-network.cedar'));
  });

  test('on: the NIC is hot-plugged, eth0 is configured and reaches the host; marker, event and view say so', async () => {
    const view = await network('on');
    assert.ok(runtime.lines.includes('RAYOS_POLICY:NETWORK:linux:on:policy.linux-network'));
    assert.equal(view.network, true);
    assert.equal(view.state, 'running');
    assert.equal((await show()).network, true);
    await assertNetworkWorks();
    const events = await cli(['events', '--json']);
    const changes = events.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => EventEnvelopeSchema.parse(JSON.parse(l)))
      .filter((e) => e.type === 'vm.network-changed');
    assert.deepEqual(changes.at(-1)?.data, { vm: 'linux', enabled: true, reason: 'policy.linux-network' });
    // The same choice again changes nothing (no second marker) and leaves the network working.
    const from = runtime.lines.length;
    assert.equal((await cli(['vm', 'network', 'linux', 'on'])).code, 0);
    assert.ok(!runtime.lines.slice(from).some((l) => l.startsWith('RAYOS_POLICY:NETWORK:')));
    await assertNetworkWorks();
  });

  test('bad input and illegal states: a clear error, nothing changes', async () => {
    const usage = await cli(['vm', 'network', 'linux', 'maybe']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /RAYOS_CLI_USAGE/);
    const unknown = await cli(['vm', 'network', 'nosuchvm', 'off']);
    assert.match(unknown.stderr, /RAYOS_VM_NOT_FOUND/);
    assert.equal((await cli(['vm', 'pause', 'linux'])).code, 0);
    const paused = await cli(['vm', 'network', 'linux', 'off']);
    assert.equal(paused.code, 1);
    assert.match(paused.stderr, /RAYOS_VM_ILLEGAL_TRANSITION.*paused.*rayos vm resume linux/);
    assert.equal((await cli(['vm', 'resume', 'linux'])).code, 0);
    assert.equal((await show()).network, true);
  });

  test('suspend, then start: the VM resumes (-loadvm) with its hot-plugged NIC, which still works; suspended, it cannot change', async () => {
    const before = await show();
    const suspended = await cli(['vm', 'suspend', 'linux']);
    assert.equal(suspended.code, 0, suspended.stderr);
    const refused = await cli(['vm', 'network', 'linux', 'off']);
    assert.match(refused.stderr, /RAYOS_VM_ILLEGAL_TRANSITION.*saved state/);
    const from = runtime.lines.length;
    const started = await cli(['vm', 'start', 'linux']);
    assert.equal(started.code, 0, started.stderr);
    await runtime.waitFor('RAYOS_VM:RESUMED:linux', 60_000, from);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', 60_000, from);
    const after = await show();
    assert.equal(after.guest.bootId, before.guest.bootId, 'the same boot, resumed');
    assert.equal(after.network, true);
    await assertNetworkWorks();
  });

  test('off: the NIC is unplugged, eth0 is gone and the host unreachable', async () => {
    const view = await network('off');
    assert.equal(view.network, false);
    await assertNoNetwork();
    // Each step is in the audit trail: the denied on, the allowed on (by the applied policy), the allowed off.
    const audit = await cli(['audit', '--json']);
    const steps = audit.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { action: string; decision: string; policies: string[] })
      .filter((e) => e.action.startsWith('vm.network.'))
      .map((e) => `${e.action} ${e.decision} ${e.policies.join(',')}`);
    assert.ok(steps.includes('vm.network.enable deny '), steps.join('\n'));
    assert.ok(steps.includes('vm.network.enable allow linux-network'), steps.join('\n'));
    assert.ok(steps.some((s) => s.startsWith('vm.network.disable allow ')), steps.join('\n'));
  });

  test('stopped: the choice is stored for the next start; a cold boot with the network on configures eth0 once the guest is ready', async () => {
    assert.equal((await cli(['vm', 'stop', 'linux'])).code, 0);
    const set = await cli(['vm', 'network', 'linux', 'on']);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /applies at its next start/);
    const stored = await show();
    assert.equal(stored.state, 'stopped');
    assert.equal(stored.network, true);
    const from = runtime.lines.length;
    assert.equal((await cli(['vm', 'start', 'linux'])).code, 0);
    await runtime.waitFor('RAYOS_LINUX:GUEST_READY', BOOT_MS, from);
    // eth0 is configured in the background after GUEST_READY: wait for the guest's default route.
    const deadline = Date.now() + 30_000;
    while (!(await exec('ip', 'route')).stdout.includes('default via 10.0.2.2')) {
      assert.ok(Date.now() < deadline, 'eth0 configured after the cold boot');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await assertNetworkWorks();
  });

  test('the choice survives a runtime restart: the QEMU is reattached with the network as it was set, on and then off', async () => {
    for (const state of ['on', 'off'] as const) {
      if ((await show()).network !== (state === 'on')) await network(state);
      const [pid] = qemuPidsUnder(dir);
      assert.equal(await stopRuntime(runtime), 0);
      runtime = startRuntime(dir);
      await runtime.waitFor(`RAYOS_VM:REATTACHED:linux:${pid}`, 60_000);
      await runtime.waitFor('RAYOS_LINUX:GUEST_READY', 60_000);
      assert.equal((await show()).network, state === 'on');
      if (state === 'on') await assertNetworkWorks();
      else await assertNoNetwork();
    }
  });
});
