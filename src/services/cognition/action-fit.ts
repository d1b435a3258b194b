// Owns how an action fits an object: which types it applies to (and what it becomes on another type: "start" an app is launch), and its preconditions on the object's state.
import type { IntentAction, SceneObject } from '../../contracts/intent.js';
import { specOf } from './command-registry.js';
import type { SceneIndex } from './referent-names.js';

export interface Fit {
  /** The action as it applies to this object (may differ from the words: "start firefox" is launch). */
  readonly action: IntentAction;
  /** 1: the natural object for it; lower: possible but less likely meant; 0: does not apply. */
  readonly factor: number;
  readonly why: string;
}

const DISPLAY_ACTIONS: ReadonlySet<IntentAction> = new Set(['present', 'hide', 'focus', 'move', 'resize']);

/** What an action becomes on a type it does not take itself (people say "start firefox", "show me the terminal app"). */
const REMAP: Readonly<Partial<Record<IntentAction, Partial<Record<SceneObject['type'], { action: IntentAction; factor: number }>>>>> = {
  start: { app: { action: 'launch', factor: 1 } },
  stop: { app: { action: 'close', factor: 0.9 }, file: { action: 'close', factor: 0.9 } },
  present: { app: { action: 'open', factor: 0.9 }, file: { action: 'open', factor: 0.9 } },
  focus: { app: { action: 'open', factor: 0.6 } },
  launch: { vm: { action: 'start', factor: 0.8 }, surface: { action: 'open', factor: 0.7 }, file: { action: 'open', factor: 0.9 } },
  restore: { surface: { action: 'present', factor: 0.4 } },
  open: {},
  hide: { app: { action: 'close', factor: 0.5 } },
};

export function fitOf(action: IntentAction, o: SceneObject): Fit {
  const spec = specOf(action);
  const machineLike = o.type === 'vm' || (o.type === 'surface' && o.subsystem !== undefined);
  if (spec.appliesTo.includes(o.type)) {
    if (spec.machineAction) {
      // Power, network and search act on the machine: a subsystem's window stands for it, but the VM itself is meant first.
      if (o.type === 'vm') return { action, factor: 1, why: `${action} acts on the machine` };
      return machineLike ? { action, factor: 0.6, why: `the window stands for the ${o.subsystem} machine` } : { action, factor: 0, why: 'not a machine' };
    }
    if (DISPLAY_ACTIONS.has(action)) {
      if (o.type === 'surface') return { action, factor: 1, why: 'a window' };
      if (o.type === 'vm') return { action, factor: 0.85, why: "the machine's desktop" };
      // Icons on screen can be moved; what is not on screen cannot.
      return o.rect !== undefined ? { action, factor: 0.8, why: 'an icon on screen' } : { action, factor: 0, why: 'not on screen' };
    }
    if (action === 'close' && o.type === 'vm') return { action, factor: 0.6, why: "closing the machine's window" };
    return { action, factor: 1, why: `${action} applies to a ${o.type}` };
  }
  const remap = REMAP[action]?.[o.type];
  if (remap !== undefined) return { action: remap.action, factor: remap.factor, why: `"${action}" on a ${o.type} means ${remap.action}` };
  return { action, factor: 0, why: `${action} does not apply to a ${o.type}` };
}

/** On screen means presented: a scene object with a rectangle is visible unless its state says otherwise. */
export function isPresented(o: SceneObject): boolean {
  return o.state?.presented ?? o.rect !== undefined;
}

/** The machine behind an object, for power state: the object itself, or the VM of its subsystem. */
/** The live scene says when a presented window lacks focus (eval scenes do not): then present/open still bring it forward. */
const lacksFocus = (o: SceneObject): boolean => o.state?.['focused'] === false;

function powerOf(o: SceneObject, index: SceneIndex): { power: string | undefined; network: string | undefined } {
  if (o.state?.power !== undefined || o.type === 'vm') return { power: o.state?.power, network: o.state?.network };
  const vm = o.subsystem === undefined ? undefined : index.objects.find((x) => x.type === 'vm' && (x.id === o.subsystem || x.subsystem === o.subsystem));
  return { power: vm?.state?.power, network: o.state?.network ?? vm?.state?.network };
}

/** Why the action cannot be done to the object now, in words a person understands; null when it can (or the state is unknown). */
export function checkPrecondition(action: IntentAction, o: SceneObject, index: SceneIndex): string | null {
  const name = o.label || o.id;
  const { power, network } = powerOf(o, index);
  switch (action) {
    case 'present':
      return isPresented(o) && o.type !== 'app' && !lacksFocus(o) ? `${name} is already on screen.` : null;
    case 'open':
      // Opening a machine is putting its desktop on screen and in front (README): nothing to do when it already is.
      return o.type === 'vm' && isPresented(o) && !lacksFocus(o) ? `${name} is already on screen.` : null;
    case 'hide':
      return !isPresented(o) ? `${name} is not on screen, so there is nothing to hide.` : null;
    case 'move':
    case 'resize':
      return !isPresented(o) ? `${name} is not on screen; show it first.` : null;
    case 'start':
      if (power === 'running') return `${name} is already running.`;
      if (power === 'paused') return `${name} is paused, not stopped — say "resume" to let it run.`;
      return null;
    case 'stop':
      return power === 'stopped' ? `${name} is already stopped.` : null;
    case 'pause':
      if (power === 'paused') return `${name} is already paused.`;
      if (power === 'stopped') return `${name} is not running, so it cannot be paused.`;
      if (power === 'suspended') return `${name} is suspended (saved to disk), so it cannot be paused.`;
      return null;
    case 'resume':
      if (power === 'running') return `${name} is already running.`;
      if (power === 'stopped') return `${name} is stopped, not paused — say "start" to boot it.`;
      return null;
    case 'suspend':
      if (power === 'suspended') return `${name} is already suspended.`;
      if (power === 'stopped') return `${name} is not running, so there is nothing to suspend.`;
      return null;
    case 'network_on':
      return network === 'on' ? `${name} already has its network on.` : null;
    case 'network_off':
      return network === 'off' ? `${name} already has its network off.` : null;
    default:
      return null;
  }
}

/**
 * Whether a failed precondition is a near miss — a related step was meant ("start" a paused machine: resume it; "resume"
 * a stopped one: start it; move a window that is not shown) — rather than asking for what is already so ("start" a
 * running machine). People often say the near step; they seldom ask for what already holds.
 */
export function nearMiss(action: IntentAction, o: SceneObject, index: SceneIndex): boolean {
  const { power } = powerOf(o, index);
  if (action === 'start') return power === 'paused' || power === 'suspended';
  if (action === 'resume') return power === 'stopped';
  return action === 'move' || action === 'resize';
}

/** Risk of an action, for the decision's margins. */
export const riskOf = (action: IntentAction) => specOf(action).risk;
