// Owns saying why: an intent's outcome as lines a person reads ("rayos explain"), the choices of a question, and finding an old outcome in the journal.
import { IntentOutcomeSchema, type IntentExplanation, type IntentOutcome } from '../../contracts/conductor.js';
import { INTENT_ACTIONS, type IntentDecision, type Scene } from '../../contracts/intent.js';
import type { Storage } from '../storage/api.js';

const pct = (confidence: number): string => `${Math.round(confidence * 100)}%`;

export function explanationOf(outcome: IntentOutcome): IntentExplanation {
  const { decision } = outcome;
  const lines = [`At ${outcome.at} you said "${outcome.text}".`];
  if (decision.decision === 'execute' && decision.action !== null) {
    lines.push(`RayOS read it as ${decision.action}${decision.target === null ? '' : ` on ${decision.target}`} (confidence ${pct(decision.confidence)}).`);
  } else {
    lines.push(`RayOS decided to ${decision.decision === 'out_of_scope' ? 'treat it as out of scope' : decision.decision} (confidence ${pct(decision.confidence)}).`);
  }
  for (const step of decision.trace) lines.push(`  ${step.stage}: ${step.detail}`);
  for (const step of outcome.steps) {
    lines.push(`${step.kind} ${step.vm}${step.tag ? ` (${step.tag})` : ''}: ${step.status}${step.message ? ` — ${step.message}` : ''}${step.code ? ` [${step.code}]` : ''}`);
  }
  lines.push(`Outcome: ${outcome.outcome}. RayOS said: ${outcome.say}`);
  return { intentId: outcome.intentId, text: outcome.text, outcome: outcome.outcome, action: decision.action, target: decision.target, lines };
}

const isAction = (option: string): boolean => (INTENT_ACTIONS as readonly string[]).includes(option);

/** What each option of a question means to a person: an object's label, or an action with its target. */
export function choicesFor(decision: IntentDecision, scene: Scene): { option: string; label: string }[] {
  const labelOf = (id: string | null): string | null => (id === null ? null : (scene.objects.find((o) => o.id === id)?.label ?? id));
  return decision.options.map((option) => {
    if (isAction(option)) {
      const target = labelOf(decision.candidates.find((c) => c.action === option)?.target ?? decision.target);
      return { option, label: target === null ? option.replace('_', ' ') : `${option.replace('_', ' ')} ${target}` };
    }
    return { option, label: labelOf(option) ?? option };
  });
}

/** The outcome of intent `id` as journaled (`intent.handled`), or null; what is read back is checked, never trusted. */
export async function outcomeFromJournal(storage: Storage, id: string): Promise<IntentOutcome | null> {
  const records = await storage.readJournal({ grep: `"intentId":"${id}"`, limit: 100 });
  for (const record of records.reverse()) {
    if (record.type !== 'event' || record.data['type'] !== 'intent.handled') continue;
    const parsed = IntentOutcomeSchema.safeParse(record.data['data']);
    if (parsed.success && parsed.data.intentId === id) return parsed.data;
  }
  return null;
}

/** Whether an outcome did something to the VM (explanations and descriptions change nothing, so they do not count). */
export const didSomethingTo = (outcome: IntentOutcome, vm: string): boolean =>
  outcome.outcome === 'done' && outcome.steps.some((s) => s.vm === vm && s.status === 'done' && s.kind !== 'vm.describe' && s.kind !== 'intent.explain');

/** The newest journaled outcome that did something to the VM within `sinceMs`, or null ("why did you pause windows?" after a restart). */
export async function lastDoneFromJournal(storage: Storage, vm: string, sinceMs: number): Promise<IntentOutcome | null> {
  const records = await storage.readJournal({ grep: '"type":"intent.handled"', sinceMs, limit: 5000 });
  for (const record of records.reverse()) {
    if (record.type !== 'event' || record.data['type'] !== 'intent.handled') continue;
    const parsed = IntentOutcomeSchema.safeParse(record.data['data']);
    if (parsed.success && didSomethingTo(parsed.data, vm)) return parsed.data;
  }
  return null;
}
