// The conductor service's public surface: the only file other folders import.
export { createConductorService, type AttentionSource, type ConductorControl, type ConductorService, type ResolveIntent } from './conductor-service.js';
export { evaluateIntents, type IntentEvalReport } from './intent-eval.js';
export { createLlmRefiner, type RefineIntent } from './llm-refiner.js';
