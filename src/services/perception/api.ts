// The perception service's public surface (System 1): the only file other folders import. Raw gaze goes in; only per-object probabilities come out.
export { attentionForUtterance, deicticKernel } from './deixis.js';
export { AttentionField, HORIZON_MS, TAU_MS } from './attention-field.js';
export {
  createPerceptionService,
  type IngestResult,
  type PerceptionControl,
  type PerceptionOptions,
  type PerceptionService,
  type PerceptionStats,
} from './perception-service.js';
export { SampleBatchSchema, SignalSchema, SAMPLE_SOURCES, type PerceptionSignal, type SampleBatch, type SampleSource } from './perception-input.js';
