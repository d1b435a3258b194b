// Owns asking any OpenAI-compatible chat-completions endpoint for a proposal, with a deadline and the reply checked like any untrusted input.
import { z } from 'zod';
import { parseProposal, proposalPrompt, proposalSchema, type LlmBackend } from './llm-proposal.js';

const CompletionSchema = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1) });

/** `url` is the server's base (".../v1" is added when missing); the key, if any, comes from the environment. */
export function openAiCompatibleBackend(options: { url: string; model: string; apiKey: string | null }): LlmBackend {
  const base = options.url.replace(/\/+$/, '');
  const endpoint = `${/\/v1$/.test(base) ? base : `${base}/v1`}/chat/completions`;
  return {
    name: `openai-compatible ${base}`,
    async propose(request, signal) {
      const { system, user } = proposalPrompt(request);
      const body = {
        model: options.model || 'default',
        temperature: 0,
        max_tokens: 200,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'rayos_intent', strict: true, schema: proposalSchema(request) } },
      };
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
          body: JSON.stringify(body),
          signal,
        });
      } catch (error) {
        return { ok: false, reason: signal.aborted ? 'it did not answer in time' : `it could not be reached (${(error as Error).message})` };
      }
      if (!response.ok) return { ok: false, reason: `it answered HTTP ${response.status}` };
      let untrustedReply: unknown;
      try {
        untrustedReply = await response.json();
      } catch {
        return { ok: false, reason: signal.aborted ? 'it did not answer in time' : 'its answer is not JSON' };
      }
      const completion = CompletionSchema.safeParse(untrustedReply);
      if (!completion.success) return { ok: false, reason: 'its answer is not a chat completion' };
      return parseProposal(completion.data.choices[0]!.message.content ?? '', request);
    },
  };
}
