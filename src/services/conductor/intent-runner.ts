// Owns running one request: an answer to an open question or new words → a decision → (replay rewritten) → plan → dispatch, step by step, each through its service's policy check.
import { err, ok, type Result } from '../../base/result.js';
import type { IntentOutcome, IntentRequest, PlanStep } from '../../contracts/conductor.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import { INTENT_ACTIONS, type AttentionSnapshot, type IntentAction, type IntentDecision, type Scene } from '../../contracts/intent.js';
import type { PolicyActor } from '../../contracts/policy.js';
import type { DisplayControl } from '../display/api.js';
import type { VmSupervisor } from '../vm/api.js';
import { planFor } from './action-plan.js';
import type { ResolveIntent } from './conductor-service.js';
import type { DialogueHistory } from './dialogue-history.js';
import type { RefineIntent } from './llm-refiner.js';
import { choicesFor, didSomethingTo, explanationOf } from './intent-explainer.js';

/** A question RayOS asked and is waiting on; answered by picking an option, typing it, or saying something new. */
export interface PendingQuestion {
  readonly intentId: string;
  readonly text: string;
  readonly decision: IntentDecision;
  readonly scene: Scene;
}

export interface RunArgs {
  readonly request: IntentRequest;
  readonly intentId: string;
  readonly at: number;
  readonly scene: Scene;
  readonly attention: AttentionSnapshot | null;
  readonly history: DialogueHistory;
  readonly pending: Map<string, PendingQuestion>;
  readonly recentOutcomes: readonly IntentOutcome[];
  readonly resolve: ResolveIntent;
  /** The optional LLM second opinion (off by default). */
  readonly refine: RefineIntent | null;
  readonly vms: VmSupervisor;
  readonly display: DisplayControl;
  /** The newest journaled outcome that did something to the VM (for "why did you …" after a restart). */
  lastDoneInJournal(vm: string): Promise<IntentOutcome | null>;
}

/** How far back "why did you …?" looks in the journal. */
export const EXPLAIN_REACH_HOURS = 24;

/** How long a start may take before its surface is there to present (a cold boot under TCG plus the first screendump). */
const SURFACE_WAIT_MS = 60_000;
const REPLAYABLE = new Set<IntentAction>(INTENT_ACTIONS.filter((a) => !['replay', 'explain', 'status', 'inspect', 'cancel'].includes(a)));

const isAction = (option: string): option is IntentAction => (INTENT_ACTIONS as readonly string[]).includes(option);

/** The decision an option of a question stands for: the best candidate with that action or that target. */
function chosen(question: PendingQuestion, option: string): IntentDecision | null {
  const { decision } = question;
  if (!decision.options.includes(option)) return null;
  const best = decision.candidates.filter((c) => (isAction(option) ? c.action === option : c.target === option)).sort((a, b) => b.score - a.score)[0];
  const action = isAction(option) ? option : (best?.action ?? decision.action);
  const target = isAction(option) ? (best?.target ?? decision.target) : option;
  if (action === null) return null;
  return {
    ...decision,
    decision: 'execute',
    action,
    target,
    slots: best?.slots ?? decision.slots,
    confidence: 1,
    trace: [...decision.trace, { stage: 'answer', detail: `The person chose "${option}".` }],
  };
}

/** A typed reply to the latest question: an option's id or its label, as written. */
function typedOption(question: PendingQuestion, text: string): string | null {
  const said = text.trim().toLowerCase().replace(/^(the )/, '');
  if (said === '') return null;
  for (const { option, label } of choicesFor(question.decision, question.scene)) {
    if (said === option.toLowerCase() || said === label.toLowerCase()) return option;
  }
  return null;
}

/** "Do that again": the last thing done (on the same target, when one was named) becomes the action. */
function replayed(decision: IntentDecision, recent: readonly IntentOutcome[]): IntentDecision | null {
  for (let i = recent.length - 1; i >= 0; i--) {
    const past = recent[i]!;
    const { action, target } = past.decision;
    if (past.outcome !== 'done' || action === null || !REPLAYABLE.has(action)) continue;
    if (decision.target !== null && target !== decision.target) continue;
    return { ...decision, action, target, trace: [...decision.trace, { stage: 'replay', detail: `Repeating ${action} on ${target ?? 'nothing'} (intent ${past.intentId}).` }] };
  }
  return null;
}

const PAST: Partial<Record<PlanStep['kind'], string>> = {
  'vm.start': 'Started',
  'vm.stop': 'Stopped',
  'vm.pause': 'Paused',
  'vm.resume': 'Resumed',
  'vm.suspend': 'Suspended',
  'vm.network.enable': 'Turned networking on for',
  'vm.network.disable': 'Turned networking off for',
  'surface.present': 'Showing',
  'surface.hide': 'Hid',
  'surface.focus': 'Focused',
};

function describeVm(vms: VmSupervisor, name: string): Result<string, RayosError> {
  const shown = vms.show(name);
  if (!shown.ok) return shown;
  const vm = shown.value;
  const uptime = vm.guest.uptimeMs === null ? '' : `, up ${Math.round(vm.guest.uptimeMs / 60_000)} min`;
  return ok(`${vm.name} is ${vm.state}${vm.pid === null ? '' : ` (pid ${vm.pid})`}, ${vm.memoryMiB} MiB and ${vm.vcpus} vCPU${vm.vcpus === 1 ? '' : 's'}, ${vm.presentation ?? 'hidden'}, network ${vm.network ? 'on' : 'off'}${uptime}.`);
}

async function waitForSurface(display: DisplayControl, vm: string): Promise<void> {
  const until = Date.now() + SURFACE_WAIT_MS;
  while (Date.now() < until) {
    const surface = display.surface(vm);
    if (surface.ok && surface.value.available) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function dispatch(step: PlanStep, args: RunArgs, actor: PolicyActor): Promise<Result<string, RayosError>> {
  const { vms, display } = args;
  const done = (result: Result<unknown, RayosError>, message: string): Result<string, RayosError> => (result.ok ? ok(message) : result);
  const past = `${PAST[step.kind] ?? step.kind} ${step.vm}.`;
  switch (step.kind) {
    case 'vm.start':
      return done(await vms.start(step.vm, actor), past);
    case 'vm.stop':
      return done(await vms.stop(step.vm, { force: false, timeoutMs: 30_000 }, actor), past);
    case 'vm.pause':
      return done(await vms.pause(step.vm, actor), past);
    case 'vm.resume':
      return done(await vms.resume(step.vm, actor), past);
    case 'vm.suspend':
      return done(await vms.suspend(step.vm, actor), past);
    case 'vm.snapshot':
      return done(await vms.snapshot(step.vm, step.tag ?? '', actor), `Took snapshot ${step.tag} of ${step.vm}.`);
    case 'vm.restore':
      return done(await vms.restore(step.vm, step.tag ?? '', actor), `Restored ${step.vm} to snapshot ${step.tag}.`);
    case 'vm.network.enable':
    case 'vm.network.disable':
      return done(await vms.setNetwork(step.vm, step.kind === 'vm.network.enable', actor), past);
    case 'surface.present':
      await waitForSurface(display, step.vm);
      return done(await display.present(step.vm, {}, actor), past);
    case 'surface.hide':
      return done(await display.hide(step.vm, actor), past);
    case 'surface.focus':
      return done(display.focus(step.vm), past);
    case 'vm.describe':
      return describeVm(vms, step.vm);
    case 'intent.explain': {
      const last = [...args.recentOutcomes].reverse().find((o) => didSomethingTo(o, step.vm)) ?? (await args.lastDoneInJournal(step.vm));
      if (last === null || last === undefined) return ok(`RayOS has not done anything to ${step.vm} in the last ${EXPLAIN_REACH_HOURS} hours.`);
      return ok(explanationOf(last).lines.join('\n'));
    }
    case 'intent.cancel':
      args.pending.clear();
      return ok('Cancelled; nothing was done.');
  }
}

/** Runs the plan in order; the first step that does not succeed stops the rest (they are marked skipped). */
async function execute(decision: IntentDecision, args: RunArgs): Promise<{ outcome: IntentOutcome['outcome']; say: string; steps: PlanStep[] }> {
  const plan = planFor(decision.action!, decision.target, args.scene, new Date(args.at));
  if (!plan.ok) return { outcome: 'inform', say: plan.message, steps: [] };
  const actor: PolicyActor = { principal: { kind: 'Conductor', id: 'conductor' }, context: { confidencePct: Math.round(decision.confidence * 100) } };
  const steps: PlanStep[] = [];
  let failure: { outcome: 'denied' | 'failed'; say: string } | null = null;
  for (const step of plan.steps) {
    if (failure !== null) {
      steps.push({ ...step, status: 'skipped', message: 'not done: an earlier step did not succeed' });
      continue;
    }
    const result = await dispatch(step, args, actor);
    if (result.ok) {
      steps.push({ ...step, status: 'done', message: result.value });
      continue;
    }
    const denied = result.error.code === 'RAYOS_POLICY_DENIED' || result.error.code === 'RAYOS_POLICY_ASK_DECLINED';
    steps.push({ ...step, status: denied ? 'denied' : 'failed', message: result.error.message, code: result.error.code });
    failure = { outcome: denied ? 'denied' : 'failed', say: result.error.message };
  }
  if (failure !== null) return { ...failure, steps };
  return { outcome: 'done', say: steps.map((s) => s.message).join(' '), steps };
}

export async function runIntent(args: RunArgs): Promise<Result<IntentOutcome, RayosError>> {
  const { request, pending, scene } = args;
  let text = request.text;
  let decision: IntentDecision;
  const latest = [...pending.values()].at(-1);
  const typed = request.answer === undefined && latest !== undefined ? typedOption(latest, text) : null;
  if (request.answer !== undefined || typed !== null) {
    const question = request.answer !== undefined ? pending.get(request.answer.intentId) : latest;
    if (question === undefined) return err(rayosError('RAYOS_CONDUCTOR_NO_QUESTION', `There is no open question ${request.answer?.intentId ?? ''}; it was answered or cancelled. Say what you want again.`));
    const option = request.answer?.option ?? typed!;
    const picked = chosen(question, option);
    if (picked === null) return err(rayosError('RAYOS_CONDUCTOR_BAD_OPTION', `"${option.slice(0, 64)}" is not one of the options (${question.decision.options.join(', ')}).`));
    pending.delete(question.intentId);
    text = `${question.text} → ${option}`;
    decision = picked;
  } else {
    const input = { scene, history: args.history.relativeTo(args.at), utterance: { t: 0, text } };
    decision = args.resolve(input, args.attention);
    if (args.refine !== null) decision = await args.refine(input, args.attention, decision);
    // Saying something new instead of answering leaves the old question behind.
    pending.clear();
  }
  if (decision.decision === 'execute' && decision.action === 'replay') {
    const again = replayed(decision, args.recentOutcomes);
    decision = again ?? { ...decision, decision: 'inform', message: 'There is nothing RayOS did lately to do again.' };
  }
  args.history.turn(text, decision.decision === 'execute' && decision.action !== null ? { action: decision.action, ...(decision.target === null ? {} : { target: decision.target }) } : undefined);

  const base = { intentId: args.intentId, at: new Date(args.at).toISOString(), text, decision, choices: [] as IntentOutcome['choices'] };
  switch (decision.decision) {
    case 'clarify': {
      pending.set(args.intentId, { intentId: args.intentId, text, decision, scene });
      const choices = choicesFor(decision, scene);
      const say = decision.question ?? `Which do you mean: ${choices.map((c) => c.label).join(' or ')}?`;
      return ok({ ...base, outcome: 'clarify', say, steps: [], choices });
    }
    case 'inform':
      return ok({ ...base, outcome: 'inform', say: decision.message ?? 'That is already the case.', steps: [] });
    case 'out_of_scope':
      return ok({ ...base, outcome: 'out_of_scope', say: decision.message ?? 'That is not something RayOS can do. Try "show linux desktop", "pause it" or "snapshot linux".', steps: [] });
    case 'execute': {
      const ran = await execute(decision, args);
      return ok({ ...base, ...ran });
    }
  }
}
