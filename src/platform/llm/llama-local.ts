// Owns asking a local GGUF model through node-llama-cpp, with output constrained by a grammar made from the proposal's JSON schema.
import { existsSync } from 'node:fs';
import { parseProposal, proposalPrompt, proposalSchema, type LlmBackend } from './llm-proposal.js';

/** The subset of node-llama-cpp RayOS uses (it is an optional, user-installed package). */
interface LlamaModule {
  getLlama(): Promise<{
    loadModel(o: { modelPath: string }): Promise<{ createContext(): Promise<{ getSequence(): unknown }> }>;
    createGrammarForJsonSchema(schema: unknown): Promise<unknown>;
  }>;
  LlamaChatSession: new (o: { contextSequence: unknown; systemPrompt?: string }) => { prompt(text: string, o: { grammar: unknown; signal?: AbortSignal; maxTokens?: number }): Promise<string> };
}

export const LLAMA_PACKAGE = 'node-llama-cpp';

/**
 * Loads lazily on first use: the model file is the person's, and so is the package (npm install node-llama-cpp,
 * kept out of RayOS's own dependencies because its GPU builds weigh hundreds of megabytes).
 */
export function llamaLocalBackend(options: { modelPath: string }): LlmBackend {
  let session: Promise<{ ask: (system: string, user: string, schema: unknown, signal: AbortSignal) => Promise<string> } | string> | null = null;
  const open = async () => {
    if (options.modelPath === '' || !existsSync(options.modelPath)) return `the model file "${options.modelPath}" does not exist (set cognition.llm.modelPath to a GGUF file)`;
    let llamaModule: LlamaModule;
    try {
      llamaModule = (await import(LLAMA_PACKAGE)) as LlamaModule;
    } catch {
      return `the ${LLAMA_PACKAGE} package is not installed (npm install ${LLAMA_PACKAGE} in the RayOS folder)`;
    }
    const llama = await llamaModule.getLlama();
    const model = await llama.loadModel({ modelPath: options.modelPath });
    const context = await model.createContext();
    return {
      ask: async (system: string, user: string, schema: unknown, signal: AbortSignal) => {
        const chat = new llamaModule.LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: system });
        return chat.prompt(user, { grammar: await llama.createGrammarForJsonSchema(schema), signal, maxTokens: 200 });
      },
    };
  };
  return {
    name: `node-llama-cpp ${options.modelPath}`,
    async propose(request, signal) {
      session ??= open().catch((error: unknown) => `it failed to load (${(error as Error).message})`);
      const ready = await session;
      if (typeof ready === 'string') return { ok: false, reason: ready };
      const { system, user } = proposalPrompt(request);
      try {
        return parseProposal(await ready.ask(system, user, proposalSchema(request), signal), request);
      } catch (error) {
        return { ok: false, reason: signal.aborted ? 'it did not answer in time' : `it failed (${(error as Error).message})` };
      }
    },
  };
}
