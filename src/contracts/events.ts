// Owns the typed events services publish on the bus (past tense) and their wire envelope.
import { z } from 'zod';
import type { IntentOutcome } from './conductor.js';

/** In-process payload of each event type. */
export interface EventPayloads {
  'runtime.started': { version: string; pid: number };
  'runtime.ready': { bootMs: number };
  'runtime.stopping': { reason: string };
  'service.starting': { service: string };
  'service.started': { service: string; durationMs: number };
  'service.failed': { service: string; code: string; message: string };
  'service.stopping': { service: string; reason: string };
  'service.stopped': { service: string; durationMs: number };
  'journal.truncated': { bytes: number; segment: string };
  'journal.corrupted': { segment: string; offset: number };
  'note.recorded': { source: string; message: string; seq: number };
  'vm.created': { vm: string; id: string; kind: string };
  'vm.state-changed': { vm: string; from: string; to: string; reason: string | null };
  'vm.reattached': { vm: string; pid: number };
  'vm.reattach-failed': { vm: string; pid: number; reason: string };
  'vm.snapshot-saved': { vm: string; tag: string };
  'vm.snapshot-restored': { vm: string; tag: string };
  'vm.reset': { vm: string };
  'guest.ready': { vm: string; bootId: string; uptimeMs: number; agentVersion: string };
  'vm.network-changed': { vm: string; enabled: boolean; reason: string };
  'policy.loaded': { files: string[]; policies: number };
  'policy.applied': { file: string; policies: number };
  'policy.rejected': { file: string; code: string; message: string };
  /** The audit trail: one per decision, whoever asked. */
  'policy.decided': { principal: string; action: string; resource: string; decision: string; policies: string[]; reason: string };
  'policy.question-asked': { id: string; principal: string; action: string; resource: string; reason: string; expiresAt: string };
  'policy.question-answered': { id: string; answer: 'allow' | 'deny'; by: string };
  'policy.question-expired': { id: string };
  'surface.created': { vm: string; width: number; height: number };
  'surface.unavailable': { vm: string };
  'surface.presented': { vm: string; layout: string };
  'surface.hidden': { vm: string; reason: string };
  'surface.focused': { vm: string | null };
  'surface.moved': { vm: string; x: number; y: number; width: number; height: number };
  /** The conductor finished a request (journaled whole, so "rayos explain" can answer after a restart). */
  'intent.handled': IntentOutcome;
}
export type EventType = keyof EventPayloads;

export interface RayosEvent<T extends EventType = EventType> {
  /** Monotonic within one runtime process, starting at 1. */
  readonly seq: number;
  /** ISO-8601 time the event was published. */
  readonly at: string;
  readonly type: T;
  readonly data: EventPayloads[T];
}

/** What crosses the wire (WebSocket, API): data is kept open so older clients read newer events. */
export const EventEnvelopeSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;
