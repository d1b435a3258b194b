// Owns what RayOS asks an LLM and what it accepts back: a JSON schema whose enums are the registry's actions and the scene's object ids, and the zod check of the untrusted reply.
import { z } from 'zod';

/** What the model is told about the moment: the words, the objects (no raw gaze), recent turns. */
export interface ProposalRequest {
  readonly text: string;
  readonly actions: readonly string[];
  readonly objects: readonly { id: string; type: string; label: string; state?: Record<string, unknown> }[];
  readonly recent: readonly string[];
  /** The objects perception says the person was looking at, most likely first, with probabilities. */
  readonly attended: readonly { id: string; p: number }[];
}

/** The model's reading: an action and a target from the enums, or "none" when the words are not a request RayOS can serve. */
export interface Proposal {
  readonly action: string;
  readonly target: string | null;
  readonly slots: Record<string, string>;
}

export interface LlmBackend {
  readonly name: string;
  /** Resolves with the model's proposal (validated), or a reason it could not give one; never throws. */
  propose(request: ProposalRequest, signal: AbortSignal): Promise<{ ok: true; value: Proposal } | { ok: false; reason: string }>;
}

/** The JSON schema the model's output must follow (constrained decoding where the backend supports it). */
export function proposalSchema(request: ProposalRequest): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['action', 'target', 'slots'],
    properties: {
      action: { type: 'string', enum: [...request.actions, 'none'] },
      target: { anyOf: [{ type: 'string', enum: request.objects.map((o) => o.id) }, { type: 'null' }] },
      slots: {
        type: 'object',
        additionalProperties: false,
        required: [],
        properties: { app: { type: 'string', maxLength: 128 }, query: { type: 'string', maxLength: 256 } },
      },
    },
  };
}

/** The model's text, checked against the same enums: anything else is refused, whatever the model meant. */
export function parseProposal(untrustedText: string, request: ProposalRequest): { ok: true; value: Proposal } | { ok: false; reason: string } {
  let untrustedJson: unknown;
  try {
    untrustedJson = JSON.parse(untrustedText.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, reason: 'the model did not answer with JSON' };
  }
  const ids = request.objects.map((o) => o.id);
  const schema = z.strictObject({
    action: z.enum(['none', ...request.actions] as [string, ...string[]]),
    target: ids.length > 0 ? z.enum(ids as [string, ...string[]]).nullable() : z.null(),
    slots: z.strictObject({ app: z.string().max(128).optional(), query: z.string().max(256).optional() }).default({}),
  });
  const parsed = schema.safeParse(untrustedJson);
  if (!parsed.success) return { ok: false, reason: `the model's answer is outside what RayOS accepts (${parsed.error.issues[0]?.path.join('.') || 'answer'}: ${parsed.error.issues[0]?.message ?? 'wrong shape'})` };
  const slots: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.data.slots)) if (typeof v === 'string' && v !== '') slots[k] = v;
  return { ok: true, value: { action: parsed.data.action, target: parsed.data.target, slots } };
}

/** The instructions, the same for every backend. */
export function proposalPrompt(request: ProposalRequest): { system: string; user: string } {
  const system = [
    'You map what a person said to their computer (RayOS) to one action on one object, or "none".',
    'Answer with JSON only: {"action": one of the listed actions or "none", "target": one of the listed object ids or null, "slots": {"app"?: id, "query"?: text}}.',
    'Use "none" when the words are not a request to RayOS about these objects (chit-chat, general questions, other apps).',
    '"this"/"that" mean what the person was looking at (attended, most likely first); "it" means the most recent object in the conversation.',
  ].join('\n');
  const objects = request.objects.map((o) => `- ${o.id} (${o.type}) "${o.label}"${o.state ? ` ${JSON.stringify(o.state)}` : ''}`).join('\n');
  const attended = request.attended.length === 0 ? 'unknown' : request.attended.map((a) => `${a.id} ${Math.round(a.p * 100)}%`).join(', ');
  const user = `Actions: ${request.actions.join(', ')}\nObjects:\n${objects}\nLooking at: ${attended}\nRecent: ${request.recent.join(' | ') || 'nothing'}\nThe person says: ${JSON.stringify(request.text)}`;
  return { system, user };
}
