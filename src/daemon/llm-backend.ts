// Owns choosing the conductor's optional LLM second opinion from the configuration (cognition.llm); off by default.
import type { RayosConfig } from '../contracts/config.js';
import { llamaLocalBackend } from '../platform/llm/llama-local.js';
import type { LlmBackend } from '../platform/llm/llm-proposal.js';
import { openAiCompatibleBackend } from '../platform/llm/openai-compatible.js';
import { createLlmRefiner, type RefineIntent, type ResolveIntent } from '../services/conductor/api.js';

/** The refiner, or null when off; `problem` says why a configured backend cannot be used (the embedded engine then works alone). */
export function llmRefinerFrom(config: RayosConfig, resolve: ResolveIntent, env: NodeJS.ProcessEnv): { refine: RefineIntent | null; label: string; problem: string | null } {
  const llm = config.cognition.llm;
  let backend: LlmBackend;
  switch (llm.backend) {
    case 'off':
      return { refine: null, label: 'off', problem: null };
    case 'openai': {
      if (!/^https?:\/\/[^\s]+$/.test(llm.url)) return { refine: null, label: 'openai', problem: 'cognition.llm.url must be an http(s) URL of an OpenAI-compatible server' };
      const apiKey = llm.apiKeyEnv === '' ? null : (env[llm.apiKeyEnv] ?? null);
      if (llm.apiKeyEnv !== '' && apiKey === null) return { refine: null, label: 'openai', problem: `the environment variable ${llm.apiKeyEnv} (cognition.llm.apiKeyEnv) is not set` };
      backend = openAiCompatibleBackend({ url: llm.url, model: llm.model, apiKey });
      break;
    }
    case 'llama':
      // A missing file or package is found on first use and reported in the decision's trace each time.
      backend = llamaLocalBackend({ modelPath: llm.modelPath });
      break;
  }
  return { refine: createLlmRefiner(backend, resolve, llm.timeoutMs), label: llm.backend, problem: null };
}
