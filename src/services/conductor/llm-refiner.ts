// Owns the optional LLM second opinion: asked only when the embedded engine is unsure (clarify) or finds no command in words that have content; its proposal goes back through the embedded engine's own checks.
import type { AttentionSnapshot, IntentAction, IntentDecision, SceneObject } from '../../contracts/intent.js';
import { INTENT_ACTIONS } from '../../contracts/intent.js';
import type { LlmBackend, Proposal } from '../../platform/llm/llm-proposal.js';
import type { ResolveIntent } from './conductor-service.js';

type ResolveInput = Parameters<ResolveIntent>[0];
export type RefineIntent = (input: ResolveInput, attention: AttentionSnapshot | null, decision: IntentDecision) => Promise<IntentDecision>;

/** How the proposal is put back into words the embedded engine reads, so it meets the same preconditions, risk margins and referents. */
const PHRASE: Record<IntentAction, (label: string, slots: Record<string, string>) => string> = {
  open: (l) => `open ${l}`,
  present: (l) => `show ${l}`,
  hide: (l) => `hide ${l}`,
  close: (l) => `close ${l}`,
  focus: (l) => `focus ${l}`,
  start: (l) => `start ${l}`,
  stop: (l) => `stop ${l}`,
  pause: (l) => `pause ${l}`,
  resume: (l) => `resume ${l}`,
  suspend: (l) => `suspend ${l}`,
  snapshot: (l) => `take a snapshot of ${l}`,
  restore: (l) => `restore ${l}`,
  inspect: (l) => `inspect ${l}`,
  replay: () => 'do that again',
  launch: (l, s) => `launch ${s['app'] ?? l}`,
  move: (l) => `move ${l}`,
  resize: (l) => `resize ${l}`,
  status: (l) => `what is the status of ${l}`,
  explain: (l) => `why did you do that to ${l}`,
  search: (l, s) => `search ${l} for ${s['query'] ?? ''}`,
  network_on: (l) => `turn networking on for ${l}`,
  network_off: (l) => `turn networking off for ${l}`,
  cancel: () => 'cancel',
};

/** Words with something in them: two or more letters-words. A lone "hm" or an emoji is not worth a model call. */
const hasContent = (text: string): boolean => (text.match(/\p{L}{2,}/gu) ?? []).length >= 2;

const note = (decision: IntentDecision, detail: string): IntentDecision => ({ ...decision, trace: [...decision.trace, { stage: 'llm', detail }] });

export function createLlmRefiner(backend: LlmBackend, resolve: ResolveIntent, timeoutMs: number): RefineIntent {
  return async (input, attention, decision) => {
    const unsure = decision.decision === 'clarify' || (decision.decision === 'out_of_scope' && hasContent(input.utterance.text));
    if (!unsure) return decision;
    const objects = input.scene.objects.map((o: SceneObject) => ({ id: o.id, type: o.type, label: o.label, ...(o.state ? { state: { ...o.state } } : {}) }));
    const recent = (input.history ?? []).flatMap((h) => ('text' in h ? [h.text] : [`(${h.event} ${h.target ?? ''})`])).slice(-5);
    const attended = (attention?.objects ?? []).filter((o) => o.p >= 0.05).slice(0, 5);
    const signal = AbortSignal.timeout(timeoutMs);
    const answered = await backend.propose({ text: input.utterance.text, actions: INTENT_ACTIONS, objects, recent, attended }, signal);
    if (!answered.ok) return note(decision, `The LLM backend (${backend.name}) gave no answer: ${answered.reason}. The embedded engine's answer stands.`);
    const proposal: Proposal = answered.value;
    if (proposal.action === 'none') return note(decision, `The LLM backend also found no request for RayOS here.`);
    const action = proposal.action as IntentAction;
    const target = proposal.target === null ? null : input.scene.objects.find((o) => o.id === proposal.target);
    const words = PHRASE[action](target?.label ?? 'it', proposal.slots);
    const checked = resolve({ ...input, utterance: { ...input.utterance, text: words } }, attention);
    const agrees = checked.action === action && (proposal.target === null || checked.target === proposal.target);
    if (checked.decision === 'execute' && agrees) {
      return {
        ...checked,
        trace: [...decision.trace, { stage: 'llm', detail: `Unsure by itself, RayOS asked the LLM backend (${backend.name}), which read it as ${action}${proposal.target ? ` on ${proposal.target}` : ''}; checked as "${words}" by the embedded engine: ${checked.action} on ${checked.target ?? 'nothing'}.` }, ...checked.trace],
      };
    }
    if (checked.decision === 'inform' && agrees) return note({ ...checked, trace: [...decision.trace, ...checked.trace] }, `The LLM backend read it as ${action} on ${proposal.target ?? 'nothing'}, which RayOS cannot do now.`);
    return note(decision, `The LLM backend proposed ${action} on ${proposal.target ?? 'nothing'}, but RayOS's own checks did not confirm it (${checked.decision}); the embedded engine's answer stands.`);
  };
}
