// Tests the scene RayOS builds from its live state, the plans intents become, and the history cognition reads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SurfaceList } from '../../contracts/display.js';
import type { Scene } from '../../contracts/intent.js';
import type { VmView } from '../../contracts/vm.js';
import { planFor, snapshotTag } from './action-plan.js';
import { DialogueHistory, historyEventOf } from './dialogue-history.js';
import { buildScene, snapshotObjectId, splitSnapshotId } from './scene-builder.js';

const vm = (name: string, state: VmView['state'], extra: Partial<VmView> = {}): VmView =>
  ({ id: name, name, kind: 'linux', state, presentation: 'hidden', reason: null, desiredState: 'running', stopProfile: 'keep-running', pid: 1, accel: 'tcg', memoryMiB: 256, vcpus: 1, bootCount: 1, savedStateTag: null, createdAt: '', disks: [], network: false, guest: { ready: true, agentVersion: null, bootId: null, uptimeMs: null, served: null }, ...extra }) as VmView;

const surfaces: SurfaceList = {
  layout: 'floating',
  screen: { width: 1920, height: 1080 },
  focused: 'linux',
  surfaces: [
    { id: 'linux', vm: 'linux', x: 10, y: 20, width: 800, height: 600, frameWidth: 800, frameHeight: 600, z: 3, presented: true, focused: true, available: true },
    { id: 'work', vm: 'work', x: 0, y: 0, width: 640, height: 480, frameWidth: 640, frameHeight: 480, z: 1, presented: false, focused: false, available: true },
  ],
};

describe('the scene', () => {
  test('each VM is one object; a presented one is on screen with its window rectangle and z; snapshots are objects too', () => {
    const scene = buildScene([vm('linux', 'running', { network: true }), vm('work', 'paused'), vm('old', 'stopped')], surfaces, [{ vm: 'linux', tag: 'before-upgrade', createdAt: '' }]);
    assert.deepEqual(scene.screen, [1920, 1080]);
    const linux = scene.objects.find((o) => o.id === 'linux')!;
    assert.deepEqual([linux.type, linux.label, linux.rect, linux.z, linux.state], ['vm', 'Linux', [10, 20, 800, 600], 3, { power: 'running', presented: true, focused: true, network: 'on' }]);
    const work = scene.objects.find((o) => o.id === 'work')!;
    assert.equal(work.rect, undefined, 'a hidden surface is not on screen, so gaze cannot pick it');
    assert.equal(work.state?.power, 'paused');
    assert.equal(scene.objects.find((o) => o.id === 'old')?.state?.power, 'stopped');
    const snapshot = scene.objects.find((o) => o.type === 'snapshot')!;
    assert.equal(snapshot.id, snapshotObjectId('linux', 'before-upgrade'));
    assert.deepEqual(splitSnapshotId(snapshot.id), { vm: 'linux', tag: 'before-upgrade' });
    assert.equal(splitSnapshotId('no-at-sign'), null);
  });
});

describe('plans', () => {
  const scene: Scene = buildScene([vm('linux', 'running'), vm('work', 'stopped'), vm('sleepy', 'suspended')], surfaces, [{ vm: 'linux', tag: 'a', createdAt: '' }, { vm: 'linux', tag: 'b', createdAt: '' }]);
  const now = new Date('2026-12-01T20:30:15Z');
  const kinds = (action: Parameters<typeof planFor>[0], target: string | null) => {
    const plan = planFor(action, target, scene, now);
    return plan.ok ? plan.steps.map((s) => `${s.kind} ${s.vm}${s.tag ? ` ${s.tag}` : ''}`) : plan.message;
  };

  test('open presents a running VM, and starts a stopped or suspended one first', () => {
    assert.deepEqual(kinds('open', 'linux'), ['surface.present linux']);
    assert.deepEqual(kinds('present', 'work'), ['vm.start work', 'surface.present work']);
    assert.deepEqual(kinds('open', 'sleepy'), ['vm.start sleepy', 'surface.present sleepy']);
  });

  test('lifecycle words map to one step each; resume of a suspended VM starts it from its saved state', () => {
    assert.deepEqual(kinds('pause', 'linux'), ['vm.pause linux']);
    assert.deepEqual(kinds('resume', 'sleepy'), ['vm.start sleepy']);
    assert.deepEqual(kinds('hide', 'linux'), ['surface.hide linux']);
    assert.deepEqual(kinds('close', 'linux'), ['surface.hide linux']);
    assert.deepEqual(kinds('network_off', 'linux'), ['vm.network.disable linux']);
    assert.deepEqual(kinds('snapshot', 'linux'), [`vm.snapshot linux ${snapshotTag(now)}`]);
    assert.equal(snapshotTag(now), 'intent-20261201-203015');
    const taken = buildScene([vm('linux', 'running')], surfaces, [{ vm: 'linux', tag: snapshotTag(now), createdAt: '' }]);
    const again = planFor('snapshot', 'linux', taken, now);
    assert.equal(again.ok && again.steps[0]?.tag, 'intent-20261201-203015-2', 'a second snapshot in the same second gets its own tag');
  });

  test('restore takes the newest snapshot of a VM, or the snapshot named; nothing to restore says so', () => {
    assert.deepEqual(kinds('restore', 'linux'), ['vm.restore linux b']);
    assert.deepEqual(kinds('restore', 'linux@a'), ['vm.restore linux a']);
    assert.match(String(kinds('restore', 'work')), /no snapshot/);
  });

  test('what RayOS cannot do yet, or to nothing, is a sentence, not a step', () => {
    assert.match(String(kinds('launch', 'linux')), /cannot launch/);
    assert.match(String(kinds('pause', 'nosuch')), /not what it should apply to/);
    assert.match(String(kinds('pause', 'linux@a')), /restored or inspected/);
  });
});

describe('the dialogue history', () => {
  test('turns and events come back relative to a moment, oldest first, in the eval format', () => {
    let clock = 1000;
    const history = new DialogueHistory(() => clock);
    history.turn('show linux desktop', { action: 'present', target: 'linux' });
    clock = 3000;
    history.event('surface.hidden', 'linux');
    assert.deepEqual(history.relativeTo(5000), [
      { t: -4000, text: 'show linux desktop', resolved: { action: 'present', target: 'linux' } },
      { t: -2000, event: 'surface.hidden', target: 'linux' },
    ]);
  });

  test('bus events become the README event names', () => {
    const ev = (type: string, data: Record<string, unknown>) => ({ seq: 1, at: '', type, data }) as never;
    assert.deepEqual(historyEventOf(ev('vm.state-changed', { vm: 'linux', from: 'running', to: 'paused' })), { event: 'vm.paused', target: 'linux' });
    assert.deepEqual(historyEventOf(ev('vm.state-changed', { vm: 'linux', from: 'starting', to: 'running' })), { event: 'vm.started', target: 'linux' });
    assert.deepEqual(historyEventOf(ev('surface.hidden', { vm: 'linux', reason: 'requested' })), { event: 'surface.hidden', target: 'linux' });
    assert.deepEqual(historyEventOf(ev('vm.snapshot-saved', { vm: 'linux', tag: 't1' })), { event: 'snapshot.taken', target: 'linux@t1' });
    assert.equal(historyEventOf(ev('policy.loaded', { files: [] })), null);
  });
});
