// Owns the shapes of what perception accepts from outside (sample batches, signals) and their validation into RayosErrors.
import { z } from 'zod';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type ErrorCode, type RayosError } from '../../contracts/errors.js';
import { SceneSchema, TrackerSchema, type Scene, type Tracker } from '../../contracts/intent.js';

export const MAX_BATCH_SAMPLES = 2000;
export const MAX_SIGNAL_MS = 600_000;

/**
 * Where samples come from, best first: an eye tracker, webcam gaze estimation, or the pointer used as gaze (the UI's
 * "pointer as gaze"). A better source that spoke recently outranks a worse one (perception-service.ts).
 */
export const SAMPLE_SOURCES = ['tracker', 'webcam', 'pointer'] as const;
export type SampleSource = (typeof SAMPLE_SOURCES)[number];

/** The accuracy assumed for a source when its batch names no tracker: a webcam estimate is coarse, and the pointer is only near where the eyes are. */
export const SOURCE_ACCURACY_DEG: Record<SampleSource, number | null> = { tracker: null, webcam: 4, pointer: 2 };

/** null or NaN in a sample is "tracking lost" (blinks): counted and skipped, not an error. */
const Lost = z.union([z.number(), z.nan(), z.null()]);

/** [tMs, x, y] on the sender's clock, in screen (compositor) pixels. */
export const SampleBatchSchema = z.strictObject({
  source: z.enum(SAMPLE_SOURCES).default('tracker'),
  tracker: TrackerSchema.optional(),
  samples: z.array(z.tuple([Lost, Lost, Lost])).max(MAX_BATCH_SAMPLES),
});
export type SampleBatch = z.infer<typeof SampleBatchSchema>;

/** Speech-side signals for cognition, on the runtime clock: a silence (the person stopped talking) or a hesitation ("uh", a restart). */
export const SignalSchema = z.strictObject({
  kind: z.enum(['silence', 'hesitation']),
  t: z.number().finite(),
  durationMs: z.number().finite().min(0).max(MAX_SIGNAL_MS).default(0),
});
export type PerceptionSignal = z.infer<typeof SignalSchema>;

function parse<T>(schema: z.ZodType<T>, untrusted: unknown, code: ErrorCode, what: string, hint: string): Result<T, RayosError> {
  const parsed = schema.safeParse(untrusted);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || what;
  return err(rayosError(code, `The ${what} is not valid (${where}: ${issue?.message ?? 'wrong shape'}); ${hint}`));
}

export const parseBatch = (untrustedBatch: unknown): Result<SampleBatch, RayosError> =>
  parse(SampleBatchSchema, untrustedBatch, 'RAYOS_PERCEPTION_BAD_SAMPLES', 'sample batch',
    `send {"source": "tracker"|"webcam"|"pointer", "samples": [[tMs, x, y], …]} with at most ${MAX_BATCH_SAMPLES} samples.`);

export const parseSignal = (untrustedSignal: unknown): Result<PerceptionSignal, RayosError> =>
  parse(SignalSchema, untrustedSignal, 'RAYOS_PERCEPTION_BAD_SIGNAL', 'signal', 'send {"kind": "silence"|"hesitation", "t": ms, "durationMs": ms}.');

export const parseScene = (untrustedScene: unknown): Result<Scene, RayosError> =>
  parse(SceneSchema, untrustedScene, 'RAYOS_PERCEPTION_BAD_SCENE', 'scene', 'send {"screen": [w, h], "objects": [{"id", "type", "label", "rect": [x, y, w, h], "z"}, …]}.');

export const parseTracker = (untrustedTracker: unknown): Result<Tracker, RayosError> =>
  parse(TrackerSchema, untrustedTracker, 'RAYOS_PERCEPTION_BAD_TRACKER', 'tracker', 'send {"accuracyDeg": > 0, "pxPerDeg": > 0}.');
