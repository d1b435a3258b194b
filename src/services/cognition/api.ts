// Owns the public face of cognition (System 2): what other modules may import from it.
export { resolveIntent, type ResolveIntentInput } from './cognition.js';
export { listPhrases, type GrammarPhrase } from './registry-lexicon.js';
export { REGISTRY, RISK_THRESHOLDS, type ActionSpec, type Risk } from './command-registry.js';
