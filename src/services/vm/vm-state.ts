// Owns the pure lifecycle state machine of one VM: which commands and observed facts move it from which state to which.
//
//   defined ─┐
//   stopped ─┼──start──▶ starting ──launched──▶ running ◀───────────────┐  present / hide: running and paused
//   failed ──┘                                   │   ▲                   │  only change `presentation`
//                                    pause (cmd) │   │ continue (cmd)    │
//                                 paused (fact)  ▼   │ continued (fact)  │
//                                               paused                   │
//   running | paused ──suspend──▶ suspending ──saved──▶ suspended ──resume──▶ resuming ──launched──┘
//                                 └──suspend-failed──▶ running (hidden)
//   running | paused ──stop──▶ stopping ──exited──▶ stopped        suspended ──discard──▶ stopped
//   failed ──stop──▶ stopped   (clean-up: the supervisor kills what is left first)
//   defined | stopped | failed | suspended ──reattached──▶ running | paused   (a new runtime found its QEMU alive)
//   starting | resuming | running | paused | suspending ──exited──▶ failed(reason)
//   any ──failed──▶ failed(reason)
//
// Commands are what a person or the supervisor asks for; facts are what the supervisor observed
// (QEMU launched or exited, QMP STOP/RESUME events, a save finished). A supervisor checks a command
// with transition() before acting and commits the returned state once the action succeeded.
// There is no "reattaching" state: a reattach is one synchronous probe (pid, config hash, QMP
// query-status), so the VM keeps its at-rest state until the `reattached` fact says where it is.
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import type { VM_LIFECYCLE_STATES } from '../../contracts/vm.js';

export type VmLifecycleState = (typeof VM_LIFECYCLE_STATES)[number];
export type VmPresentation = 'hidden' | 'presented';

/** The states with a live QEMU carry its pid. */
export type VmState =
  | { readonly state: 'defined' }
  | { readonly state: 'starting' }
  | { readonly state: 'running'; readonly pid: number; readonly presentation: VmPresentation }
  | { readonly state: 'paused'; readonly pid: number; readonly presentation: VmPresentation }
  | { readonly state: 'suspending'; readonly pid: number }
  | { readonly state: 'suspended'; readonly tag: string }
  | { readonly state: 'resuming'; readonly tag: string }
  | { readonly state: 'stopping'; readonly pid: number }
  | { readonly state: 'stopped' }
  | { readonly state: 'failed'; readonly reason: string };

export const VM_COMMAND_TYPES = ['start', 'pause', 'continue', 'suspend', 'resume', 'stop', 'discard', 'present', 'hide'] as const;
export type VmCommandType = (typeof VM_COMMAND_TYPES)[number];
export type VmCommand = { readonly type: VmCommandType };

export type VmFact =
  /** QEMU runs (a cold boot or a resume); paused when it was started with -S. */
  | { readonly type: 'launched'; readonly pid: number; readonly paused?: boolean }
  /** QMP STOP / RESUME: the vCPUs stopped or started, whoever caused it. */
  | { readonly type: 'paused' }
  | { readonly type: 'continued' }
  /** The state is saved under tag and QEMU has exited. */
  | { readonly type: 'saved'; readonly tag: string }
  /** The save failed but QEMU still runs. */
  | { readonly type: 'suspend-failed'; readonly reason: string }
  /** The QEMU process is gone. */
  | { readonly type: 'exited'; readonly reason: string }
  | { readonly type: 'failed'; readonly reason: string }
  | { readonly type: 'reattached'; readonly pid: number; readonly paused: boolean };
export type VmFactType = VmFact['type'];
export const VM_FACT_TYPES = ['launched', 'paused', 'continued', 'saved', 'suspend-failed', 'exited', 'failed', 'reattached'] as const satisfies readonly VmFactType[];

export type VmEvent = VmCommand | VmFact;
export type VmEventType = VmEvent['type'];

export const INITIAL_VM_STATE: VmState = { state: 'defined' };

type StateOf<S extends VmLifecycleState> = Extract<VmState, { state: S }>;
type EventOf<T extends VmEventType> = T extends VmCommandType ? VmCommand : Extract<VmFact, { type: T }>;
type Rules = { readonly [S in VmLifecycleState]: { readonly [T in VmEventType]?: (state: StateOf<S>, event: EventOf<T>) => VmState } };

const running = (pid: number, presentation: VmPresentation): VmState => ({ state: 'running', pid, presentation });
const paused = (pid: number, presentation: VmPresentation): VmState => ({ state: 'paused', pid, presentation });
const failed = (reason: string): VmState => ({ state: 'failed', reason });
const stopped: VmState = { state: 'stopped' };
const starting: VmState = { state: 'starting' };
// A VM that (re)appears is hidden until someone presents it.
const launched = (e: { pid: number; paused?: boolean }): VmState => (e.paused === true ? paused(e.pid, 'hidden') : running(e.pid, 'hidden'));
const reattached = (e: { pid: number; paused: boolean }): VmState => (e.paused ? paused(e.pid, 'hidden') : running(e.pid, 'hidden'));
const diedWhile = (what: string) => (_s: VmState, e: { reason: string }): VmState => failed(`QEMU exited while ${what}: ${e.reason}`);

// Missing entries are illegal. `failed` (the fact) is legal everywhere and handled before the table.
const RULES: Rules = {
  defined: { start: () => starting, reattached: (_s, e) => reattached(e) },
  starting: { launched: (_s, e) => launched(e), exited: diedWhile('starting') },
  running: {
    pause: (s) => paused(s.pid, s.presentation),
    paused: (s) => paused(s.pid, s.presentation),
    continued: (s) => s,
    suspend: (s) => ({ state: 'suspending', pid: s.pid }),
    stop: (s) => ({ state: 'stopping', pid: s.pid }),
    present: (s) => running(s.pid, 'presented'),
    hide: (s) => running(s.pid, 'hidden'),
    exited: diedWhile('running'),
  },
  paused: {
    continue: (s) => running(s.pid, s.presentation),
    continued: (s) => running(s.pid, s.presentation),
    paused: (s) => s,
    suspend: (s) => ({ state: 'suspending', pid: s.pid }),
    stop: (s) => ({ state: 'stopping', pid: s.pid }),
    present: (s) => paused(s.pid, 'presented'),
    hide: (s) => paused(s.pid, 'hidden'),
    exited: diedWhile('paused'),
  },
  suspending: {
    saved: (_s, e) => ({ state: 'suspended', tag: e.tag }),
    'suspend-failed': (s) => running(s.pid, 'hidden'),
    // snapshot-save stops and restarts the vCPUs itself: QMP STOP/RESUME are expected here.
    paused: (s) => s,
    continued: (s) => s,
    exited: diedWhile('saving its state'),
  },
  suspended: { resume: (s) => ({ state: 'resuming', tag: s.tag }), discard: () => stopped, reattached: (_s, e) => reattached(e) },
  resuming: { launched: (_s, e) => launched(e), exited: diedWhile('resuming') },
  stopping: {
    exited: () => stopped,
    // A second stop while stopping lets the supervisor escalate to a forced one.
    stop: (s) => s,
    paused: (s) => s,
    continued: (s) => s,
  },
  stopped: { start: () => starting, reattached: (_s, e) => reattached(e) },
  failed: {
    start: () => starting,
    stop: () => stopped,
    reattached: (_s, e) => reattached(e),
    // The exit of a QEMU that already failed adds nothing; keep the first reason.
    exited: (s) => s,
  },
};

type AnyRule = (state: VmState, event: VmEvent) => VmState;
const ruleFor = (state: VmLifecycleState, type: VmEventType): AnyRule | undefined =>
  (RULES[state] as Partial<Record<VmEventType, AnyRule>>)[type];

export function isVmCommand(event: VmEvent): event is VmCommand {
  return (VM_COMMAND_TYPES as readonly string[]).includes(event.type);
}

/** The commands a VM in this state accepts, in a fixed order (for menus, intent checks and error messages). */
export function allowedCommands(state: VmState | VmLifecycleState): VmCommandType[] {
  const name = typeof state === 'string' ? state : state.state;
  return VM_COMMAND_TYPES.filter((command) => ruleFor(name, command) !== undefined);
}

/** The next state, or RAYOS_VM_ILLEGAL_TRANSITION saying what the VM is and what the command needs. */
export function transition(state: VmState, event: VmEvent, vmName = 'the VM'): Result<VmState, RayosError> {
  if (event.type === 'failed') return ok(failed(event.reason));
  const rule = ruleFor(state.state, event.type);
  if (rule !== undefined) return ok(rule(state, event));
  const details = { state: state.state, event: event.type, allowedCommands: allowedCommands(state) };
  if (isVmCommand(event)) {
    const hint = hintFor(state.state, event.type);
    return err(rayosError('RAYOS_VM_ILLEGAL_TRANSITION', `${vmName} ${phrase(state)}; ${event.type} needs ${REQUIRES[event.type]}.${hint === '' ? '' : ` ${hint}`}`, details));
  }
  const fits = (Object.keys(RULES) as VmLifecycleState[]).filter((s) => ruleFor(s, event.type) !== undefined);
  return err(
    rayosError(
      'RAYOS_VM_ILLEGAL_TRANSITION',
      `${vmName} ${phrase(state)}, so "${event.type}" does not fit (it fits a VM that is ${fits.join(' or ')}); the supervisor's view of ${vmName} is out of date.`,
      details,
    ),
  );
}

const REQUIRES: Record<VmCommandType, string> = {
  start: 'a VM that is stopped, failed or has never been started',
  pause: 'a running VM',
  continue: 'a paused VM',
  suspend: 'a running or paused VM',
  resume: 'a suspended VM',
  stop: 'a running, paused, stopping or failed VM',
  discard: 'a suspended VM',
  present: 'a running or paused VM',
  hide: 'a running or paused VM',
};

function phrase(state: VmState): string {
  switch (state.state) {
    case 'defined':
      return 'has never been started';
    case 'failed':
      return `has failed (${state.reason})`;
    default:
      return `is ${state.state}`;
  }
}

/** What the person can do about it, from where the VM is now. */
function hintFor(state: VmLifecycleState, command: VmCommandType): string {
  switch (state) {
    case 'defined':
    case 'stopped':
      return command === 'resume' || command === 'discard' ? 'It has no saved state; start it instead.' : command === 'stop' ? 'It is not running.' : 'Start it first.';
    case 'failed':
      return command === 'resume' || command === 'discard' ? 'Start it again.' : 'Start it again first.';
    case 'starting':
    case 'resuming':
      return 'Wait until it is running.';
    case 'suspending':
      return 'Wait until its state is saved.';
    case 'stopping':
      return command === 'start' ? 'Wait until it has stopped, then start it.' : 'Wait until it has stopped.';
    case 'suspended':
      if (command === 'suspend') return 'It is already suspended.';
      return command === 'start' ? 'Resume it, or discard its saved state and then start it.' : command === 'stop' ? 'It is not running; discard its saved state to stop it for good.' : 'Resume it first.';
    case 'running':
      return command === 'discard' ? 'It has no saved state while it runs.' : 'It is already running.';
    case 'paused':
      return command === 'pause' ? 'It is already paused.' : command === 'start' || command === 'resume' ? 'It is paused; continue it instead.' : 'It has no saved state while it runs.';
  }
}
