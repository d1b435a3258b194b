// Owns the command registry: the single source of RayOS's vocabulary — per action its phrases, object types, risk, inverse and slots.
import { INTENT_ACTIONS, type IntentAction, type ObjectType } from '../../contracts/intent.js';

export type Risk = 'low' | 'medium' | 'high';
export type SlotName = 'app' | 'query';
/** Whether an action needs an object: 'none' (cancel), 'optional' (status: "what's running"), 'required'. */
export type TargetNeed = 'none' | 'optional' | 'required';

/**
 * A phrase is normalised words (lower case, base verb forms, no contractions). `*` stands for up to four words
 * (usually the object: "turn * off"), `+` for one to four ("is + on" needs something to be on). Weight: how surely the words mean the action; a generic verb ("show", "turn on")
 * is weaker than a specific one ("unhide", "power on"), so a specific reading wins when both match.
 */
export interface Phrase {
  readonly words: string;
  readonly weight: number;
  /** Only as the whole end of the request ("stop that" cancels; "stop that vm" does not). */
  readonly final?: boolean;
}

export interface ActionSpec {
  readonly action: IntentAction;
  /** What it does, in words for questions and explanations. */
  readonly gloss: string;
  readonly phrases: readonly Phrase[];
  /** Whole sentences (with `obj` for the object) that teach the fallback classifier phrasings the lexicon misses. */
  readonly examples: readonly string[];
  /** Object types the action applies to; the first ones are preferred when a name fits several objects. */
  readonly appliesTo: readonly ObjectType[];
  /** Whether a surface of a subsystem stands for its VM here (power, network and search act on the machine). */
  readonly machineAction: boolean;
  readonly target: TargetNeed;
  readonly risk: Risk;
  readonly inverse?: IntentAction;
  readonly slots?: readonly SlotName[];
}

const p = (weight: number, ...words: string[]): Phrase[] => words.map((w) => ({ words: w, weight }));
const final = (weight: number, ...words: string[]): Phrase[] => words.map((w) => ({ words: w, weight, final: true }));

/** Words for the network, combined with on/off verbs below (so "cut the wifi" and "enable networking" need no listing of their own). */
export const NETWORK_NOUNS = ['network', 'networking', 'internet', 'net', 'wifi', 'wi fi', 'connection', 'connectivity', 'ethernet', 'lan', 'web access', 'internet access', 'network access'];
const NET_ON_VERBS = ['turn on', 'enable', 'allow', 'give', 'restore', 'switch on', 'reconnect', 'bring back', 'reenable', 're enable', 'activate', 'open up', 'unblock', 'grant', 'let', 'need'];
const NET_OFF_VERBS = ['turn off', 'disable', 'cut', 'cut off', 'kill', 'block', 'remove', 'switch off', 'take away', 'pull', 'unplug', 'shut off', 'revoke', 'deny', 'disconnect', 'drop', 'stop', 'no more', 'no'];
const cross = (verbs: readonly string[], nouns: readonly string[], weight: number): Phrase[] =>
  verbs.flatMap((v) => nouns.flatMap((n) => [{ words: `${v} * ${n}`, weight }]));

const SPECS: readonly ActionSpec[] = [
  {
    action: 'open', gloss: 'open it (show and focus a window, launch an app, open a file)', machineAction: false, target: 'required', risk: 'low',
    phrases: [...p(1.1, 'open', 'open up', 'reopen', 're open'), ...p(0.8, 'i need', 'give me', 'get me', 'bring me'), ...p(0.7, 'access', 'go into', 'get into', 'load')],
    examples: ['open obj', 'open up obj', 'reopen obj', 'get obj open', 'i want obj open', 'go into obj'],
    appliesTo: ['surface', 'vm', 'app', 'file', 'snapshot'], inverse: 'close',
  },
  {
    action: 'present', gloss: 'put it on screen', machineAction: false, target: 'required', risk: 'low',
    phrases: [
      ...p(0.9, 'show', 'show me', 'see', 'view', 'let me see', 'i want to see'),
      // "let me look at windows": to see it, which for something not on screen is putting it there.
      ...p(1.2, 'let me look at', 'let me have a look at', 'let me view'),
      ...p(1.2, 'present', 'display', 'bring up', 'bring * up', 'pull up', 'pull * up', 'put up', 'put * up', 'reveal', 'unhide', 'un hide',
        'make * visible', 'put * on screen', 'put * on the screen', 'get * on screen', 'onto the screen', 'on screen', 'unminimize', 'un minimize', 'unminimise'),
    ],
    examples: ['show obj', 'show me obj', 'display obj', 'bring up obj', 'put obj on screen', 'make obj visible', 'let me see obj', 'unhide obj', 'i want to see obj'],
    appliesTo: ['surface', 'vm'], inverse: 'hide',
  },
  {
    action: 'hide', gloss: 'take it off the screen (it keeps running)', machineAction: false, target: 'required', risk: 'low',
    phrases: [
      ...p(1.3, 'hide', 'minimize', 'minimise', 'put away', 'put * away', 'tuck * away', 'tuck away', 'make * invisible', 'take * off screen', 'take * off the screen',
        'off screen', 'out of sight', 'out of the way', 'out of view', 'send * to the background', 'send * to background', 'stash', 'stow'),
      ...p(0.9, 'dismiss', 'get rid of', 'remove', 'put * aside'),
    ],
    examples: ['hide obj', 'minimize obj', 'put obj away', 'get obj out of the way', 'get obj off the screen', 'i do not want to see obj', 'tuck obj away'],
    appliesTo: ['surface', 'vm'], inverse: 'present',
  },
  {
    action: 'close', gloss: 'close it', machineAction: false, target: 'required', risk: 'medium',
    phrases: [...p(1.2, 'close', 'close out', 'close down', 'quit', 'exit', 'x out', 'shut'), ...p(0.8, 'get rid of', 'kill', 'terminate', 'end', 'dismiss')],
    examples: ['close obj', 'quit obj', 'exit obj', 'shut obj', 'i am done with obj', 'close obj out'],
    appliesTo: ['surface', 'app', 'file', 'vm'], inverse: 'open',
  },
  {
    action: 'focus', gloss: 'bring it to the front and give it the keyboard', machineAction: false, target: 'required', risk: 'low',
    phrases: [
      ...p(1.2, 'focus', 'focus on', 'switch to', 'switch over to', 'switch back to', 'go back to * window', 'jump to', 'bring * to the front', 'bring * to front', 'bring * forward', 'raise', 'activate',
        'give * focus', 'give * the focus', 'put * in front', 'put * on top', 'bring * on top', 'make * active', 'to the front', 'to front'),
      ...p(0.9, 'go to', 'select', 'change to', 'flip to', 'move to'),
    ],
    examples: ['focus obj', 'switch to obj', 'bring obj to the front', 'go to obj', 'make obj the active window', 'put obj on top'],
    appliesTo: ['surface', 'vm'],
  },
  {
    action: 'start', gloss: 'start the machine', machineAction: true, target: 'required', risk: 'medium', inverse: 'stop',
    phrases: [
      ...p(1.3, 'boot', 'boot up', 'boot * up', 'power on', 'power * on', 'power up', 'power * up', 'fire up', 'fire * up', 'spin up', 'spin * up',
        'start up', 'start * up', 'switch on', 'switch * on', 'cold boot', 'get * running', 'get * going', 'bring * online'),
      ...p(1.0, 'start', 'turn on', 'turn * on', 'kick off'),
      ...p(0.7, 'restart', 'reboot', 'run', 'launch'),
    ],
    examples: ['start obj', 'boot obj', 'power on obj', 'turn obj on', 'fire up obj', 'spin up obj', 'get obj running', 'bring obj up'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'stop', gloss: 'shut the machine down', machineAction: true, target: 'required', risk: 'high', inverse: 'start',
    phrases: [
      ...p(1.3, 'shut down', 'shutdown', 'shut * down', 'power off', 'power * off', 'power down', 'power * down', 'halt', 'pull the plug on', 'switch off', 'switch * off'),
      ...p(1.0, 'stop', 'turn off', 'turn * off', 'kill', 'terminate', 'bring down', 'bring * down', 'take down', 'take * down'),
    ],
    examples: ['stop obj', 'shut down obj', 'power off obj', 'turn obj off', 'kill obj', 'shut obj down', 'halt obj'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'pause', gloss: 'pause the machine where it is', machineAction: true, target: 'required', risk: 'medium', inverse: 'resume',
    phrases: [...p(1.3, 'pause', 'freeze', 'put * on hold', 'hold', 'pause execution'), ...p(0.8, 'halt * for a moment')],
    examples: ['pause obj', 'freeze obj', 'put obj on hold', 'hold obj for a moment', 'stop obj for a second'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'resume', gloss: 'let the machine run again', machineAction: true, target: 'required', risk: 'low', inverse: 'pause',
    phrases: [
      ...p(1.3, 'resume', 'unpause', 'un pause', 'unfreeze', 'un freeze', 'wake', 'wake up', 'wake * up', 'keep going', 'carry on', 'continue', 'let * run', 'let * continue', 'thaw'),
    ],
    examples: ['resume obj', 'unpause obj', 'continue obj', 'wake obj up', 'let obj run again', 'unfreeze obj', 'carry on with obj'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'suspend', gloss: 'save the machine to disk and stop it (resume later)', machineAction: true, target: 'required', risk: 'medium', inverse: 'resume',
    phrases: [...p(1.3, 'suspend', 'hibernate', 'put * to sleep', 'send * to sleep', 'sleep', 'park'), ...p(0.8, 'save * state and stop')],
    examples: ['suspend obj', 'hibernate obj', 'put obj to sleep', 'send obj to sleep', 'save obj to disk and stop it'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'snapshot', gloss: 'take a snapshot of the machine', machineAction: true, target: 'required', risk: 'medium', inverse: 'restore',
    phrases: [
      ...p(1.5, 'take a snapshot', 'take snapshot', 'make a snapshot', 'create a snapshot', 'save a snapshot', 'snapshot', 'checkpoint', 'take a checkpoint',
        'create a checkpoint', 'save a checkpoint', 'create a restore point', 'make a restore point', 'take a restore point', 'capture * state'),
      ...p(1.0, 'back up', 'back * up', 'backup', 'save * state'),
    ],
    examples: ['snapshot obj', 'take a snapshot of obj', 'checkpoint obj', 'save the state of obj', 'back up obj', 'make a restore point for obj'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'restore', gloss: 'go back to a snapshot', machineAction: false, target: 'required', risk: 'high', inverse: 'snapshot',
    phrases: [
      ...p(1.6, 'roll back', 'roll * back', 'rollback', 'revert', 'revert to', 'load * snapshot', 'restore * snapshot', 'restore * from', 'go back to * snapshot',
        'return to * snapshot', 'reset * to'),
      ...p(1.3, 'restore'),
      ...p(0.8, 'go back to'),
    ],
    examples: ['restore obj', 'roll back to obj', 'revert obj to the snapshot', 'go back to obj', 'load obj'],
    appliesTo: ['snapshot', 'vm'],
  },
  {
    action: 'inspect', gloss: 'show its details', machineAction: false, target: 'required', risk: 'low',
    phrases: [
      // No phrase holds "this"/"it": those are left for the referent resolver ("what is this" is inspect + deixis).
      ...p(1.5, 'inspect', 'details', 'detail', 'info', 'information', 'properties', 'tell me about', 'tell me more about', 'describe', 'examine', 'more about',
        'what is in', 'specs', 'specifications', 'look into', 'what version', 'which version', 'version of', 'what does + do'),
      ...p(1.0, 'take a look at', 'have a look at', 'look at', 'check out', 'what is'),
    ],
    examples: ['inspect obj', 'show details of obj', 'tell me about obj', 'what is obj', 'describe obj', 'info on obj', 'look at obj', 'give me details about obj'],
    appliesTo: ['surface', 'vm', 'app', 'file', 'snapshot'],
  },
  {
    action: 'replay', gloss: 'do the last action again', machineAction: false, target: 'optional', risk: 'medium',
    phrases: [...p(1.6, 'do * again', 'repeat', 'one more time', 'once more', 'redo', 're do', 'replay', 'same again', 'same thing again', 'do * over')],
    examples: ['do that again', 'repeat that', 'one more time', 'redo that', 'same thing again', 'do it once more'],
    appliesTo: ['surface', 'vm', 'app', 'file', 'snapshot'],
  },
  {
    action: 'launch', gloss: 'launch the app', machineAction: false, target: 'required', risk: 'low', slots: ['app'],
    phrases: [...p(1.3, 'launch', 'run', 'execute', 'relaunch', 'new instance of', 'another instance of'), ...p(0.8, 'load up', 'start')],
    examples: ['launch obj', 'run obj', 'start obj app', 'execute obj', 'fire up obj'],
    appliesTo: ['app'],
  },
  {
    action: 'move', gloss: 'move the window', machineAction: false, target: 'required', risk: 'low',
    phrases: [
      ...p(1.3, 'move', 'drag', 'slide', 'shift', 'dock', 'snap', 'reposition', 'to the left', 'to the right', 'to the top', 'to the bottom', 'to the left side',
        'to the right side', 'other monitor', 'other screen', 'to the corner', 'into the corner', 'put * on the left', 'put * on the right', 'put * in the corner',
        'put * at the top', 'put * at the bottom', 'over to', 'onto the other screen', 'put * next to', 'put * beside', 'put * near', 'put * over',
        'place * next to', 'place * beside'),
    ],
    examples: ['move obj to the left', 'put obj on the right', 'drag obj over there', 'move obj to the corner', 'snap obj left', 'shift obj over'],
    appliesTo: ['surface', 'vm', 'app', 'file'],
  },
  {
    action: 'resize', gloss: 'change the window size', machineAction: false, target: 'required', risk: 'low',
    phrases: [
      ...p(1.4, 'resize', 'make * bigger', 'make * smaller', 'make * larger', 'make * wider', 'make * taller', 'make * narrower', 'bigger', 'smaller', 'larger', 'wider',
        'enlarge', 'shrink', 'maximize', 'maximise', 'full screen', 'fullscreen', 'scale', 'stretch', 'half the screen', 'half screen', 'size'),
    ],
    examples: ['resize obj', 'make obj bigger', 'make obj smaller', 'maximize obj', 'make obj full screen', 'shrink obj'],
    appliesTo: ['surface', 'vm'],
  },
  {
    action: 'status', gloss: 'say how it is doing', machineAction: false, target: 'optional', risk: 'low',
    phrases: [
      ...p(1.5, 'status', 'what is running', 'what is + running', 'is + running', 'is + paused', 'is + stopped', 'is + suspended', 'is + up', 'is + on', 'is + off',
        'is + alive', 'is + awake', 'is + online', 'is + offline', 'is + connected', 'how is', 'how are + doing', 'state of', 'health', 'uptime', 'what is + doing',
        'check on', 'going on with', 'up with', 'overview', 'how much memory', 'how much cpu', 'is + ok', 'is + okay', 'is + working', 'still running', 'report on'),
      ...p(0.9, 'check', 'running'),
    ],
    examples: ['status of obj', 'is obj running', 'how is obj doing', 'what is the state of obj', 'check on obj', 'what is running', 'is obj up', 'what is obj doing'],
    appliesTo: ['vm', 'surface', 'app', 'snapshot', 'file'],
  },
  {
    action: 'explain', gloss: 'say why RayOS did something', machineAction: false, target: 'optional', risk: 'low',
    phrases: [...p(1.6, 'why', 'how come', 'explain', 'what happened', 'what caused', 'what did you do', 'what did you just do', 'what just happened', 'what was that', 'reason', 'who did', 'justify', 'what made', 'what led to', 'what triggered')],
    examples: ['why did obj stop', 'why is obj hidden', 'explain what happened to obj', 'what happened to obj', 'how come obj is paused', 'why did you do that'],
    appliesTo: ['surface', 'vm', 'app', 'file', 'snapshot'],
  },
  {
    action: 'search', gloss: 'search the machine for something', machineAction: true, target: 'required', risk: 'low', slots: ['query'],
    phrases: [...p(1.6, 'search', 'search for', 'look for', 'find', 'locate', 'hunt for', 'grep', 'look up', 'dig up', 'search through', 'search in', 'hunt down', 'track down', 'look through', 'go through', 'dig through', 'scan',
      'look in * for', 'look inside * for', 'look on * for', 'check * for', 'dig around * for', 'poke around * for')],
    examples: ['search obj for tax forms', 'find the budget on obj', 'look for photos in obj', 'search for invoices on obj', 'locate my notes on obj'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'network_on', gloss: 'connect the machine to the network', machineAction: true, target: 'required', risk: 'high', inverse: 'network_off',
    phrases: [
      ...cross(NET_ON_VERBS, NETWORK_NOUNS, 1.8),
      ...NETWORK_NOUNS.flatMap((n) => p(1.8, `turn * ${n} on`, `switch * ${n} on`, `turn * ${n} back on`, `${n} * back on`, `back on * ${n}`, `back onto * ${n}`)),
      // "network on" only ends a request: "networking on linux" is about where, not on/off.
      ...NETWORK_NOUNS.flatMap((n) => final(1.4, `${n} on`)),
      ...p(1.8, 'go online', 'bring * online', 'put * online', 'connect * to the internet', 'connect * to the network', 'let * online', 'let * on the internet', 'let * go online', 'plug * in'),
      ...p(1.0, 'online'),
      ...p(1.1, 'connect', 'reconnect'),
    ],
    examples: ['turn on the network for obj', 'connect obj to the internet', 'enable networking on obj', 'let obj go online', 'give obj internet access'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'network_off', gloss: 'disconnect the machine from the network', machineAction: true, target: 'required', risk: 'medium', inverse: 'network_on',
    phrases: [
      ...cross(NET_OFF_VERBS, NETWORK_NOUNS, 1.8),
      ...NETWORK_NOUNS.flatMap((n) => p(1.8, `turn * ${n} off`, `switch * ${n} off`)),
      ...NETWORK_NOUNS.flatMap((n) => p(1.4, `off the ${n}`, `from the ${n}`)),
      ...NETWORK_NOUNS.flatMap((n) => final(1.4, `${n} off`)),
      ...p(1.8, 'go offline', 'take * offline', 'put * offline', 'isolate', 'air gap', 'airgap'),
      ...p(1.0, 'offline'),
      ...p(1.3, 'disconnect', 'unplug'),
    ],
    examples: ['turn off the network for obj', 'disconnect obj from the internet', 'take obj offline', 'cut the wifi on obj', 'isolate obj from the network'],
    appliesTo: ['vm', 'surface'],
  },
  {
    action: 'cancel', gloss: 'drop what was asked', machineAction: false, target: 'none', risk: 'low',
    phrases: [
      ...p(1.6, 'cancel', 'never mind', 'nevermind', 'abort', 'disregard'),
      ...final(1.6, 'forget it', 'forget about it', 'scratch that', 'stop that', 'stop', 'forget that', 'do not do that', 'do not bother', 'no thanks', 'do not', 'cancel that'),
      ...final(1.0, 'wait', 'hold on', 'no', 'nope', 'not that', 'no no'),
    ],
    examples: ['cancel', 'never mind', 'forget it', 'scratch that', 'no do not', 'abort that'],
    appliesTo: [],
  },
];

/** Per action, its spec. Frozen at load: the registry is data, not state. */
export const REGISTRY: ReadonlyMap<IntentAction, ActionSpec> = new Map(SPECS.map((s) => [s.action, s]));

export function specOf(action: IntentAction): ActionSpec {
  const spec = REGISTRY.get(action);
  // Every action has a spec (checked by the registry test); this guards a future edit that forgets one.
  if (spec === undefined) throw new Error(`no registry entry for ${action}`);
  return spec;
}

/** Execution needs the best reading to be this likely and this far ahead of the next: riskier actions need more. */
export const RISK_THRESHOLDS: Readonly<Record<Risk, { minConfidence: number; margin: number }>> = {
  low: { minConfidence: 0.5, margin: 0.2 },
  medium: { minConfidence: 0.6, margin: 0.3 },
  high: { minConfidence: 0.7, margin: 0.4 },
};

/** History event names (shared/eval/README.md) as the action they record. */
export const EVENT_ACTIONS: Readonly<Record<string, IntentAction>> = {
  'vm.started': 'start',
  'vm.stopped': 'stop',
  'vm.paused': 'pause',
  'vm.resumed': 'resume',
  'vm.suspended': 'suspend',
  'vm.presented': 'present',
  'vm.hidden': 'hide',
  'vm.network_off': 'network_off',
  'vm.network_on': 'network_on',
  'surface.presented': 'present',
  'surface.hidden': 'hide',
  'surface.closed': 'close',
  'surface.focused': 'focus',
  'surface.moved': 'move',
  'surface.resized': 'resize',
  'snapshot.taken': 'snapshot',
  'snapshot.restored': 'restore',
  'app.launched': 'launch',
};

/**
 * Words whose action depends on what happened before (shared/eval/README.md, Conventions): "bring it back" undoes the
 * last thing that took it away (a hide → present, a pause → resume); "show me that again" looks again; "undo" reverses the
 * last action; a bare "again" repeats it. Same phrase syntax as above.
 */
export type TemporalFamily = 'return' | 'look_again' | 'undo' | 'replay';
export const TEMPORAL_PHRASES: Readonly<Record<TemporalFamily, readonly string[]>> = {
  return: ['bring * back', 'put * back', 'get * back', 'give * back', 'have * back', 'want * back', 'bring back', 'come back', 'back on screen', 'back up on screen'],
  look_again: ['show * again', 'see * again', 'view * again', 'look * again', 'display * again', 'another look', 'take another look', 'have another look', 'look again', 'second look'],
  undo: ['undo', 'undo that', 'reverse that', 'take that back', 'revert that', 'put it back how it was', 'put things back'],
  replay: ['again'],
};

/** What undoes what: "bring it back" after a hide presents, "undo" after a pause resumes. Close and snapshot have no single inverse. */
export const RETURN_OF: Readonly<Partial<Record<IntentAction, readonly IntentAction[]>>> = {
  hide: ['present'], close: ['restore', 'open'], pause: ['resume'], suspend: ['resume'], stop: ['start'], network_off: ['network_on'],
  move: ['move'], resize: ['resize'], present: ['present'], open: ['open'], start: ['start'], resume: ['resume'], focus: ['focus'],
};
export const LOOK_AGAIN_OF: Readonly<Partial<Record<IntentAction, readonly IntentAction[]>>> = {
  hide: ['present'], close: ['restore', 'inspect'], pause: ['resume'], suspend: ['resume'], stop: ['start'],
};
export const UNDO_OF: Readonly<Partial<Record<IntentAction, readonly IntentAction[]>>> = {
  present: ['hide'], hide: ['present'], open: ['close'], close: ['open'], pause: ['resume'], resume: ['pause'], suspend: ['resume'], start: ['stop'], stop: ['start'],
  network_on: ['network_off'], network_off: ['network_on'], launch: ['close'], move: ['move'], resize: ['resize'],
};

/** Every action in the canonical order. */
export const ALL_ACTIONS: readonly IntentAction[] = INTENT_ACTIONS;
