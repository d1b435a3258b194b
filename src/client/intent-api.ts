// Owns the client's conductor calls: say something (with an optional gaze trace), answer a question, the history and explanations.
import { API_ROUTES } from '../contracts/api-routes.js';
import type { IntentExplanation, IntentOutcome, IntentRequest } from '../contracts/conductor.js';
import type { Call, ClientResult } from './rayos-client.js';

export interface IntentApi {
  say(request: Partial<IntentRequest> & { text: string }): ClientResult<IntentOutcome>;
  answer(intentId: string, option: string): ClientResult<IntentOutcome>;
  recent(limit?: number): ClientResult<{ intents: IntentOutcome[] }>;
  explain(intentId: string): ClientResult<IntentExplanation>;
}

/** A plan may start a VM (a cold boot under TCG) and wait for its desktop before presenting it. */
const DO_TIMEOUT_MS = 120_000;

export function intentApi(call: Call, timeoutMs: number): IntentApi {
  const long = Math.max(timeoutMs, DO_TIMEOUT_MS);
  return {
    say: (request) => call('intentDo', API_ROUTES.intentDo.response, { body: request, timeoutMs: long }),
    answer: (intentId, option) => call('intentDo', API_ROUTES.intentDo.response, { body: { answer: { intentId, option } }, timeoutMs: long }),
    recent: (limit = 50) => call('intentList', API_ROUTES.intentList.response, { query: { limit } }),
    explain: (intentId) => call('intentExplain', API_ROUTES.intentExplain.response, { params: { id: intentId } }),
  };
}
