// Tests the VM lifecycle state machine exhaustively: every (state, event) pair is either in the table below or refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VM_LIFECYCLE_STATES } from '../../contracts/vm.js';
import {
  INITIAL_VM_STATE,
  VM_COMMAND_TYPES,
  VM_FACT_TYPES,
  allowedCommands,
  isVmCommand,
  transition,
  type VmEvent,
  type VmEventType,
  type VmLifecycleState,
  type VmState,
} from './vm-state.js';

/** One instance of every state; the live ones run pid 100 and are presented, so tests see what is kept. */
const SAMPLE: Record<VmLifecycleState, VmState> = {
  defined: { state: 'defined' },
  starting: { state: 'starting' },
  running: { state: 'running', pid: 100, presentation: 'presented' },
  paused: { state: 'paused', pid: 100, presentation: 'presented' },
  suspending: { state: 'suspending', pid: 100 },
  suspended: { state: 'suspended', tag: 't1' },
  resuming: { state: 'resuming', tag: 't1' },
  stopping: { state: 'stopping', pid: 100 },
  stopped: { state: 'stopped' },
  failed: { state: 'failed', reason: 'boom' },
};

const EVENT: Record<VmEventType, VmEvent> = {
  start: { type: 'start' },
  pause: { type: 'pause' },
  continue: { type: 'continue' },
  suspend: { type: 'suspend' },
  resume: { type: 'resume' },
  stop: { type: 'stop' },
  discard: { type: 'discard' },
  present: { type: 'present' },
  hide: { type: 'hide' },
  launched: { type: 'launched', pid: 200 },
  paused: { type: 'paused' },
  continued: { type: 'continued' },
  saved: { type: 'saved', tag: 't2' },
  'suspend-failed': { type: 'suspend-failed', reason: 'disk full' },
  exited: { type: 'exited', reason: 'signal 9' },
  failed: { type: 'failed', reason: 'qmp lost' },
  reattached: { type: 'reattached', pid: 300, paused: false },
};

const STARTING: VmState = { state: 'starting' };
const STOPPED: VmState = { state: 'stopped' };
const QMP_LOST: VmState = { state: 'failed', reason: 'qmp lost' };
const REATTACHED: VmState = { state: 'running', pid: 300, presentation: 'hidden' };

/** Every legal transition, written out independently of the implementation. Anything missing must be refused. */
const LEGAL: Record<VmLifecycleState, Partial<Record<VmEventType, VmState>>> = {
  defined: { start: STARTING, reattached: REATTACHED, failed: QMP_LOST },
  starting: {
    launched: { state: 'running', pid: 200, presentation: 'hidden' },
    exited: { state: 'failed', reason: 'QEMU exited while starting: signal 9' },
    failed: QMP_LOST,
  },
  running: {
    pause: { state: 'paused', pid: 100, presentation: 'presented' },
    paused: { state: 'paused', pid: 100, presentation: 'presented' },
    continued: SAMPLE.running,
    suspend: { state: 'suspending', pid: 100 },
    stop: { state: 'stopping', pid: 100 },
    present: SAMPLE.running,
    hide: { state: 'running', pid: 100, presentation: 'hidden' },
    exited: { state: 'failed', reason: 'QEMU exited while running: signal 9' },
    failed: QMP_LOST,
  },
  paused: {
    continue: SAMPLE.running,
    continued: SAMPLE.running,
    paused: SAMPLE.paused,
    suspend: { state: 'suspending', pid: 100 },
    stop: { state: 'stopping', pid: 100 },
    present: SAMPLE.paused,
    hide: { state: 'paused', pid: 100, presentation: 'hidden' },
    exited: { state: 'failed', reason: 'QEMU exited while paused: signal 9' },
    failed: QMP_LOST,
  },
  suspending: {
    saved: { state: 'suspended', tag: 't2' },
    'suspend-failed': { state: 'running', pid: 100, presentation: 'hidden' },
    paused: SAMPLE.suspending,
    continued: SAMPLE.suspending,
    exited: { state: 'failed', reason: 'QEMU exited while saving its state: signal 9' },
    failed: QMP_LOST,
  },
  suspended: { resume: { state: 'resuming', tag: 't1' }, discard: STOPPED, reattached: REATTACHED, failed: QMP_LOST },
  resuming: {
    launched: { state: 'running', pid: 200, presentation: 'hidden' },
    exited: { state: 'failed', reason: 'QEMU exited while resuming: signal 9' },
    failed: QMP_LOST,
  },
  stopping: { exited: STOPPED, stop: SAMPLE.stopping, paused: SAMPLE.stopping, continued: SAMPLE.stopping, failed: QMP_LOST },
  stopped: { start: STARTING, reattached: REATTACHED, failed: QMP_LOST },
  failed: { start: STARTING, stop: STOPPED, reattached: REATTACHED, exited: SAMPLE.failed, failed: QMP_LOST },
};

const STATES = Object.keys(SAMPLE) as VmLifecycleState[];
const EVENTS = Object.keys(EVENT) as VmEventType[];

test('the states are exactly the contract\'s lifecycle states, and the events are the commands plus the facts', () => {
  assert.deepEqual([...STATES].sort(), [...VM_LIFECYCLE_STATES].sort());
  assert.deepEqual([...EVENTS].sort(), [...VM_COMMAND_TYPES, ...VM_FACT_TYPES].sort());
  assert.deepEqual(INITIAL_VM_STATE, { state: 'defined' });
});

for (const state of STATES) {
  for (const type of EVENTS) {
    const expected = LEGAL[state][type];
    if (expected !== undefined) {
      test(`${state} --${type}--> ${expected.state}`, () => {
        const next = transition(SAMPLE[state], EVENT[type], 'linux');
        assert.ok(next.ok, next.ok ? '' : next.error.message);
        assert.deepEqual(next.value, expected);
      });
    } else {
      test(`${state} refuses ${type}`, () => {
        const next = transition(SAMPLE[state], EVENT[type], 'linux');
        assert.equal(next.ok, false, `${state} + ${type} should be refused`);
        if (next.ok) return;
        assert.equal(next.error.code, 'RAYOS_VM_ILLEGAL_TRANSITION');
        const word = state === 'defined' ? 'has never been started' : state === 'failed' ? 'has failed (boom)' : `is ${state}`;
        assert.ok(next.error.message.startsWith(`linux ${word}`), next.error.message);
        if (isVmCommand(EVENT[type])) {
          assert.match(next.error.message, new RegExp(`; ${type} needs a .+\\. [A-Z].+\\.$`));
        } else {
          assert.match(next.error.message, new RegExp(`"${type}" does not fit`));
        }
        assert.deepEqual(next.error.details, { state, event: type, allowedCommands: allowedCommands(state) });
      });
    }
  }
}

test('allowedCommands lists exactly the commands in the table, in a fixed order', () => {
  for (const state of STATES) {
    const legal = VM_COMMAND_TYPES.filter((c) => LEGAL[state][c] !== undefined);
    assert.deepEqual(allowedCommands(SAMPLE[state]), legal, state);
    assert.deepEqual(allowedCommands(state), legal, state);
  }
  assert.deepEqual(allowedCommands('running'), ['pause', 'suspend', 'stop', 'present', 'hide']);
});

test('refusals say what the VM is, what the command needs and what to do', () => {
  const cases: Array<[VmState, VmEvent, string]> = [
    [SAMPLE.stopped, EVENT.pause, 'linux is stopped; pause needs a running VM. Start it first.'],
    [SAMPLE.suspended, EVENT.start, 'linux is suspended; start needs a VM that is stopped, failed or has never been started. Resume it, or discard its saved state and then start it.'],
    [SAMPLE.running, EVENT.start, 'linux is running; start needs a VM that is stopped, failed or has never been started. It is already running.'],
    [SAMPLE.paused, EVENT.pause, 'linux is paused; pause needs a running VM. It is already paused.'],
    [SAMPLE.starting, EVENT.stop, 'linux is starting; stop needs a running, paused, stopping or failed VM. Wait until it is running.'],
    [SAMPLE.defined, EVENT.resume, 'linux has never been started; resume needs a suspended VM. It has no saved state; start it instead.'],
  ];
  for (const [state, event, message] of cases) {
    const next = transition(state, event, 'linux');
    assert.equal(next.ok ? 'accepted' : next.error.message, message);
  }
  const unnamed = transition(SAMPLE.stopped, EVENT.hide);
  assert.ok(!unnamed.ok && unnamed.error.message.startsWith('the VM is stopped;'));
});

test('a VM started paused, or found paused by a new runtime, is paused and hidden', () => {
  assert.deepEqual(transition(SAMPLE.starting, { type: 'launched', pid: 7, paused: true }), { ok: true, value: { state: 'paused', pid: 7, presentation: 'hidden' } });
  assert.deepEqual(transition(SAMPLE.resuming, { type: 'launched', pid: 7, paused: false }), { ok: true, value: { state: 'running', pid: 7, presentation: 'hidden' } });
  assert.deepEqual(transition(SAMPLE.stopped, { type: 'reattached', pid: 8, paused: true }), { ok: true, value: { state: 'paused', pid: 8, presentation: 'hidden' } });
});

test('a whole life: boot, present, pause, suspend, resume, stop, boot again', () => {
  const steps: Array<[VmEvent, VmState]> = [
    [{ type: 'start' }, { state: 'starting' }],
    [{ type: 'launched', pid: 41 }, { state: 'running', pid: 41, presentation: 'hidden' }],
    [{ type: 'present' }, { state: 'running', pid: 41, presentation: 'presented' }],
    [{ type: 'pause' }, { state: 'paused', pid: 41, presentation: 'presented' }],
    [{ type: 'paused' }, { state: 'paused', pid: 41, presentation: 'presented' }],
    [{ type: 'continue' }, { state: 'running', pid: 41, presentation: 'presented' }],
    [{ type: 'suspend' }, { state: 'suspending', pid: 41 }],
    [{ type: 'paused' }, { state: 'suspending', pid: 41 }],
    [{ type: 'saved', tag: 'rayos-1' }, { state: 'suspended', tag: 'rayos-1' }],
    [{ type: 'resume' }, { state: 'resuming', tag: 'rayos-1' }],
    [{ type: 'launched', pid: 42 }, { state: 'running', pid: 42, presentation: 'hidden' }],
    [{ type: 'stop' }, { state: 'stopping', pid: 42 }],
    [{ type: 'exited', reason: 'quit' }, { state: 'stopped' }],
    [{ type: 'start' }, { state: 'starting' }],
    [{ type: 'exited', reason: 'exit code 1' }, { state: 'failed', reason: 'QEMU exited while starting: exit code 1' }],
    [{ type: 'start' }, { state: 'starting' }],
  ];
  let state = INITIAL_VM_STATE;
  for (const [event, expected] of steps) {
    const next = transition(state, event, 'linux');
    assert.ok(next.ok, next.ok ? '' : next.error.message);
    assert.deepEqual(next.value, expected, `after ${event.type}`);
    state = next.value;
  }
});

test('transition never changes the state it is given', () => {
  const running = { state: 'running', pid: 1, presentation: 'hidden' } as const;
  const frozen = Object.freeze({ ...running });
  for (const type of EVENTS) transition(frozen, EVENT[type]);
  assert.deepEqual(frozen, running);
});
