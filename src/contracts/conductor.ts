// Owns the conductor's shapes: what a person asks (`rayos do`, the intent bar), what RayOS did about it, and its explanations.
import { z } from 'zod';
import { GazeSampleSchema, IntentActionSchema, IntentDecisionSchema, TrackerSchema } from './intent.js';

/** Longest utterance the conductor reads; longer text is refused before anything else looks at it. */
export const MAX_UTTERANCE_CHARS = 2000;

/**
 * One request. `gaze`: a recorded trace (`rayos do --gaze`), on a clock whose "now" is `at` (default: the last sample's
 * time); without it the live attention field (the UI's gaze or pointer) is used. `answer`: picks an option of the open
 * question `intentId` instead of saying something new.
 */
export const IntentRequestSchema = z.strictObject({
  text: z.string().max(MAX_UTTERANCE_CHARS).default(''),
  gaze: z.array(GazeSampleSchema).max(100_000).optional(),
  tracker: TrackerSchema.optional(),
  at: z.number().finite().optional(),
  answer: z.strictObject({ intentId: z.string().min(1).max(64), option: z.string().min(1).max(256) }).optional(),
});
export type IntentRequest = z.infer<typeof IntentRequestSchema>;

export const STEP_KINDS = [
  'vm.start', 'vm.stop', 'vm.pause', 'vm.resume', 'vm.suspend', 'vm.snapshot', 'vm.restore', 'vm.network.enable', 'vm.network.disable',
  'surface.present', 'surface.hide', 'surface.focus', 'vm.describe', 'intent.explain', 'intent.cancel',
] as const;
export const StepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKindSchema>;

/** One typed action of a plan and what became of it. */
export const PlanStepSchema = z.object({
  kind: StepKindSchema,
  vm: z.string(),
  /** For vm.snapshot / vm.restore: the snapshot tag. */
  tag: z.string().optional(),
  status: z.enum(['planned', 'done', 'denied', 'failed', 'skipped']),
  /** What happened, for a person: the result, or the policy's reason, or the error with its code. */
  message: z.string(),
  code: z.string().optional(),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

export const OUTCOMES = ['done', 'denied', 'failed', 'clarify', 'inform', 'out_of_scope'] as const;

/** What RayOS did about one request; `say` is the one sentence the person sees (or hears). */
export const IntentOutcomeSchema = z.object({
  intentId: z.string(),
  at: z.string(),
  text: z.string(),
  outcome: z.enum(OUTCOMES),
  say: z.string(),
  decision: IntentDecisionSchema,
  steps: z.array(PlanStepSchema),
  /** Set when the outcome is clarify: the options to pick from, with what each would mean to a person. */
  choices: z.array(z.object({ option: z.string(), label: z.string() })),
});
export type IntentOutcome = z.infer<typeof IntentOutcomeSchema>;

export const IntentIdParamsSchema = z.strictObject({ id: z.string().min(1).max(64) });
export const IntentHistoryQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });
export const IntentHistorySchema = z.object({ intents: z.array(IntentOutcomeSchema) });

/** `rayos explain <id>`: the request, the reading of it, every step with why, in order. */
export const IntentExplanationSchema = z.object({
  intentId: z.string(),
  text: z.string(),
  outcome: z.enum(OUTCOMES),
  action: IntentActionSchema.nullable(),
  target: z.string().nullable(),
  lines: z.array(z.string()),
});
export type IntentExplanation = z.infer<typeof IntentExplanationSchema>;

/**
 * Live attention input from the page: gaze (or pointer-as-gaze) samples [tMs, x, y] in compositor pixels, on the
 * sender's clock (perception aligns it); x and y null while the tracker has lost the eyes (a blink).
 */
export const AttentionSamplesSchema = z.strictObject({
  source: z.enum(['pointer', 'webcam', 'tracker']),
  tracker: TrackerSchema.optional(),
  samples: z.array(z.tuple([z.number().finite(), z.number().finite().nullable(), z.number().finite().nullable()])).min(1).max(2000),
});
export type AttentionSamples = z.infer<typeof AttentionSamplesSchema>;
