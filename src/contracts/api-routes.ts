// Owns the control API's route table: paths, methods and schemas, read by the server, the client and the OpenAPI document.
import { z } from 'zod';
import {
  DoctorReportSchema,
  EventsPageSchema,
  EventsQuerySchema,
  JournalPageSchema,
  JournalQuerySchema,
  NoteRequestSchema,
  NoteResponseSchema,
  StatusResponseSchema,
} from './api-types.js';

export const StopResponseSchema = z.object({ accepted: z.literal(true) });

export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly summary: string;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  /** HTTP status of success. */
  readonly status: number;
}

export const API_ROUTES = {
  status: { method: 'GET', path: '/v1/status', summary: 'Runtime state, services and their health, uptime, versions', response: StatusResponseSchema, status: 200 },
  doctor: { method: 'GET', path: '/v1/doctor', summary: 'Host readiness: QEMU, OVMF, swtpm, qemu-img, KVM or TCG, Chromium, disk space', response: DoctorReportSchema, status: 200 },
  events: { method: 'GET', path: '/v1/events', summary: 'Recent events after a sequence number', query: EventsQuerySchema, response: EventsPageSchema, status: 200 },
  journal: { method: 'GET', path: '/v1/journal', summary: 'Journal records, filtered by time, sequence or text', query: JournalQuerySchema, response: JournalPageSchema, status: 200 },
  appendNote: { method: 'POST', path: '/v1/journal', summary: 'Append a note to the journal; answered only once it is durable', body: NoteRequestSchema, response: NoteResponseSchema, status: 201 },
  stop: { method: 'POST', path: '/v1/runtime/stop', summary: 'Stop the runtime (services stop in reverse order)', response: StopResponseSchema, status: 202 },
} as const satisfies Record<string, RouteSpec>;

/** WebSocket streams. Each message is one JSON object: an EventEnvelope or a JournalRecord. */
export const STREAM_ROUTES = {
  events: { path: '/v1/events/stream', summary: 'Live events; ?afterSeq=N replays buffered events first' },
  journal: { path: '/v1/journal/stream', summary: 'Live journal records; ?afterSeq=N&grep=TEXT' },
} as const;

export const OPENAPI_PATH = '/v1/openapi.json';

/** Files the runtime keeps in its data directory that clients read. */
export const DATA_FILES = {
  socket: 'rayos.sock',
  token: 'api-token',
  runtimeInfo: 'runtime.json',
  lock: 'rayos.lock',
} as const;
