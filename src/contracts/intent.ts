// Owns the shapes of intent resolution shared by perception, cognition, the conductor, the API, the CLI and the UI: scenes, gaze, history, decisions, and the eval scenario format (shared/eval/README.md).
import { z } from 'zod';

/** The canonical action names (shared/eval/README.md); the command registry (services/cognition) gives each its words, object types, preconditions and risk. */
export const INTENT_ACTIONS = [
  'open', 'present', 'hide', 'close', 'focus', 'start', 'stop', 'pause', 'resume', 'suspend', 'snapshot',
  'restore', 'inspect', 'replay', 'launch', 'move', 'resize', 'status', 'explain', 'search', 'network_on', 'network_off', 'cancel',
] as const;
export const IntentActionSchema = z.enum(INTENT_ACTIONS);
export type IntentAction = z.infer<typeof IntentActionSchema>;

export const OBJECT_TYPES = ['surface', 'vm', 'app', 'file', 'snapshot'] as const;
export const ObjectTypeSchema = z.enum(OBJECT_TYPES);
export type ObjectType = z.infer<typeof ObjectTypeSchema>;

const Id = z.string().min(1).max(128);
const Text = z.string().max(4096);
const Coord = z.number().finite().min(-100_000).max(100_000);

/** What preconditions read. Unknown keys are kept (a scene may say more than RayOS checks). */
export const ObjectStateSchema = z.looseObject({
  presented: z.boolean().optional(),
  power: z.enum(['running', 'paused', 'suspended', 'stopped']).optional(),
  network: z.enum(['on', 'off']).optional(),
});
export type ObjectState = z.infer<typeof ObjectStateSchema>;

/** One thing the person can mean. `rect` ([x, y, width, height] in screen px) only when on screen; higher `z` is on top. */
export const SceneObjectSchema = z.object({
  id: Id,
  type: ObjectTypeSchema,
  label: z.string().max(256),
  subsystem: z.string().max(128).optional(),
  rect: z.tuple([Coord, Coord, z.number().finite().min(0).max(100_000), z.number().finite().min(0).max(100_000)]).optional(),
  z: z.number().finite().optional(),
  state: ObjectStateSchema.optional(),
});
export type SceneObject = z.infer<typeof SceneObjectSchema>;

export const SceneSchema = z.object({
  screen: z.tuple([z.number().int().min(1).max(100_000), z.number().int().min(1).max(100_000)]),
  objects: z.array(SceneObjectSchema).max(10_000),
});
export type Scene = z.infer<typeof SceneSchema>;

/** The gaze tracker's accuracy: a floor on how precisely gaze can pick a target. */
export const TrackerSchema = z.object({
  accuracyDeg: z.number().finite().positive().max(30).default(1),
  pxPerDeg: z.number().finite().positive().max(1000).default(40),
});
export type Tracker = z.infer<typeof TrackerSchema>;
export const DEFAULT_TRACKER: Tracker = { accuracyDeg: 1, pxPerDeg: 40 };

/** A gaze sample: [tMs, x, y] in screen px, on the utterance's clock. Gaps, disorder and off-screen points are allowed (perception copes). */
export const GazeSampleSchema = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);
export type GazeSample = z.infer<typeof GazeSampleSchema>;

export const ResolvedIntentSchema = z.object({
  action: IntentActionSchema,
  target: Id.optional(),
  slots: z.record(z.string().max(64), z.string().max(1024)).optional(),
});
export type ResolvedIntent = z.infer<typeof ResolvedIntentSchema>;

/** An earlier turn (`text` + `resolved`) or an event (`event` + `target`), at an earlier time. */
export const HistoryEntrySchema = z.union([
  z.object({ t: z.number().finite(), text: Text, resolved: ResolvedIntentSchema.optional() }),
  z.object({ t: z.number().finite(), event: z.string().max(64), target: Id.optional() }),
]);
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const UtteranceSchema = z.object({ t: z.number().finite(), text: Text });
export type Utterance = z.infer<typeof UtteranceSchema>;

export const DECISIONS = ['execute', 'clarify', 'inform', 'out_of_scope'] as const;
export const DecisionKindSchema = z.enum(DECISIONS);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

/** One step of why: which stage said what (normalise, actions, referents, lattice, decision, llm). */
export const TraceStepSchema = z.object({ stage: z.string().max(32), detail: z.string().max(2048) });
export type TraceStep = z.infer<typeof TraceStepSchema>;

/** A scored reading of the utterance. */
export const IntentCandidateSchema = z.object({
  action: IntentActionSchema,
  target: Id.nullable(),
  slots: z.record(z.string(), z.string()),
  score: z.number(),
});
export type IntentCandidate = z.infer<typeof IntentCandidateSchema>;

/**
 * What cognition decided. execute: action + target (+ slots). clarify: `question` and `options` (object ids or action
 * names, best first). inform: `message` says which precondition failed. out_of_scope: `message` says what RayOS can do.
 */
export const IntentDecisionSchema = z.object({
  decision: DecisionKindSchema,
  action: IntentActionSchema.nullable(),
  target: Id.nullable(),
  slots: z.record(z.string(), z.string()),
  options: z.array(z.string()),
  question: z.string().nullable(),
  message: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  candidates: z.array(IntentCandidateSchema),
  trace: z.array(TraceStepSchema),
});
export type IntentDecision = z.infer<typeof IntentDecisionSchema>;

/** One eval scenario (shared/eval/README.md). */
export const ScenarioSchema = z.object({
  id: z.string().min(1).max(256),
  scene: SceneSchema,
  tracker: TrackerSchema.optional(),
  gaze: z.array(GazeSampleSchema).max(100_000).default([]),
  history: z.array(HistoryEntrySchema).max(1000).optional(),
  utterance: UtteranceSchema,
  expect: z.object({
    decision: DecisionKindSchema,
    action: IntentActionSchema.optional(),
    target: Id.optional(),
    slots: z.record(z.string(), z.string()).optional(),
    options: z.array(z.string()).optional(),
  }),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export const EvalResultSchema = z.object({
  id: z.string(),
  decision: DecisionKindSchema,
  action: IntentActionSchema.nullable(),
  target: z.string().nullable(),
  options: z.array(z.string()),
  ms: z.number(),
  correct: z.boolean(),
});
export const EvalSummarySchema = z.object({
  n: z.number().int(),
  accuracy: z.number(),
  confidentWrong: z.number(),
  clarifyRate: z.number(),
  clarifyPrecision: z.number(),
  outOfScopeRecall: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
});
export const EvalReportSchema = z.object({ results: z.array(EvalResultSchema), summary: EvalSummarySchema });
export type EvalReport = z.infer<typeof EvalReportSchema>;

/**
 * What perception tells cognition about where the person looked around a moment (raw gaze never leaves perception):
 * per on-screen object the probability it was attended, the share left on the background (nothing in particular),
 * and how much gaze evidence there was (0 = none: deixis cannot lean on gaze).
 */
export const AttentionSnapshotSchema = z.object({
  t: z.number(),
  objects: z.array(z.object({ id: Id, p: z.number().min(0).max(1) })),
  background: z.number().min(0).max(1),
  evidence: z.number().min(0).max(1),
});
export type AttentionSnapshot = z.infer<typeof AttentionSnapshotSchema>;
