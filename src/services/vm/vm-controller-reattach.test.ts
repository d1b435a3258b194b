// Tests reattach at runtime start under injected QMP faults: a live QEMU is reattached through whichever socket answers, or reported and left running, never killed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { FAKE_GREETING } from '../../platform/qmp/fake-qmp-peer.test-support.js';
import { allowLaunch, TEST_TIMEOUT_MS, useControllerBench } from './vm-controller.test-support.js';

const bench = useControllerBench();
const { spawnStandIn, stillRunning, instanceOf, registerVm, controllerFor, fakePeer, rawPeer, assertReportedAndLeftRunning } = bench;

describe('VmController.recover: reattach fails loudly and leaves QEMU running', () => {
  test('both QMP sockets accept but never greet (held by other clients)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('hang');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    const peers = [await fakePeer(run.controller.files.qmpSockets[0], { fault: 'no-greeting' }), await fakePeer(run.controller.files.qmpSockets[1], { fault: 'no-greeting' })];

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
    assert.deepEqual(
      peers.map((p) => p.connections()),
      [1, 1],
      'both sockets were tried',
    );
  });

  test('qmp-0 greets with a line that is not JSON, qmp-1 closes halfway through its greeting', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('malformed');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    const greeting = JSON.stringify(FAKE_GREETING);
    const peers = [
      await rawPeer(run.controller.files.qmpSockets[0], (conn) => conn.write('{"QMP": this is not json\r\n')),
      await rawPeer(run.controller.files.qmpSockets[1], (conn) => conn.end(greeting.slice(0, Math.floor(greeting.length / 2)))),
    ];

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
    assert.deepEqual(
      peers.map((p) => p.connections()),
      [1, 1],
    );
  });

  test('qmp-0 greets with JSON that is not a greeting, qmp-1 answers qmp_capabilities with garbage', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('bad-greeting');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'stopped' });
    const run = controllerFor(vm);
    await fakePeer(run.controller.files.qmpSockets[0], { fault: 'bad-greeting' });
    const second = await fakePeer(run.controller.files.qmpSockets[1], {
      answer: (request) => (request.execute === 'qmp_capabilities' ? { raw: 'this is not json {\r\n' } : undefined),
    });

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
    assert.deepEqual(
      second.requests.map((r) => r.execute),
      ['qmp_capabilities'],
    );
  });

  test('QEMU is alive but neither QMP socket exists', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('no-sockets');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);

    const result = await run.controller.recover(allowLaunch);

    assertReportedAndLeftRunning(run, vm, standIn, result);
  });
});

describe('VmController.recover: two QMP sockets', () => {
  test('qmp-0 held by a stuck client, qmp-1 answers: reattached through qmp-1', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('second-socket');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    const stuck = await fakePeer(run.controller.files.qmpSockets[0], { fault: 'no-greeting' });
    const good = await fakePeer(run.controller.files.qmpSockets[1], {
      answer: (request) => (request.execute === 'query-status' ? { return: { status: 'running', singlestep: false, running: true } } : undefined),
    });

    const result = await run.controller.recover(allowLaunch);
    try {
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(stuck.connections(), 1);
      assert.deepEqual(stuck.requests, []);
      assert.deepEqual(
        good.requests.map((r) => r.execute),
        ['qmp_capabilities', 'query-status'],
      );
      assert.ok(run.lines.includes(`RAYOS_VM:REATTACHED:${vm.record.name}:${standIn.pid}`), JSON.stringify(run.lines));
      assert.ok(!run.lines.some((line) => line.startsWith('RAYOS_VM:REATTACH_FAILED:')));
      assert.ok(run.events.some((e) => e.type === 'vm.reattached'));
      assert.equal(run.controller.lifecycle.state, 'running');
      assert.notEqual(run.controller.qmpClient, null);
      const stored = bench.registry.get(vm.record.id);
      assert.equal(stored.instance?.pid, standIn.pid);
      assert.equal(stored.observedState, 'running');
      assert.ok(stillRunning(standIn));
      assert.equal(existsSync(vm.launchLog), false);
    } finally {
      // Let go of the fake QEMU like a runtime stopping with keep-running, so closing the peer is not reported as a failure.
      await run.controller.detach();
    }
  });

  test('a paused QEMU is reattached as paused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const standIn = await spawnStandIn('paused');
    const vm = registerVm({ instance: instanceOf(standIn), desiredState: 'running' });
    const run = controllerFor(vm);
    await fakePeer(run.controller.files.qmpSockets[0]);
    await fakePeer(run.controller.files.qmpSockets[1]);

    const result = await run.controller.recover(allowLaunch);
    try {
      assert.ok(result.ok, JSON.stringify(result));
      // The fake reports status "prelaunch", running false, until it gets "cont".
      assert.equal(run.controller.lifecycle.state, 'paused');
      assert.ok(run.lines.includes(`RAYOS_VM:REATTACHED:${vm.record.name}:${standIn.pid}`));
    } finally {
      await run.controller.detach();
    }
  });
});
