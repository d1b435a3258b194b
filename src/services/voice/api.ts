// The voice service's public surface (optional offline speech: pocketsphinx in, espeak-ng out): the only file other folders import.
export { createVoiceService, openVoice, type VoiceControl, type VoiceOptions, type VoiceService, type VoiceStatus, type VoiceTranscript } from './voice-service.js';
export { buildGrammar, candidateWords, DEFAULT_NAMES, type BuiltGrammar, type GrammarInput } from './speech-grammar.js';
