// Owns the typed client: one method per API route and stream, each reply checked against the route's schema.
import type { GuestClock } from '../contracts/guest-agent.js';
import type { z } from 'zod';
import type { Result } from '../base/result.js';
import { API_ROUTES, STREAM_ROUTES, type StopResponseSchema } from '../contracts/api-routes.js';
import {
  JournalRecordSchema,
  type DoctorReport,
  type EventsPage,
  type JournalPage,
  type JournalRecord,
  type NoteRequest,
  type NoteResponse,
  type StatusResponse,
} from '../contracts/api-types.js';
import type { RayosError } from '../contracts/errors.js';
import type { ExecResult } from '../contracts/guest-agent.js';
import type { AuditPage } from '../contracts/policy.js';
import type { VmView, WindowsProvisionRequest, WindowsProvisionResult } from '../contracts/vm.js';
import { EventEnvelopeSchema, type EventEnvelope } from '../contracts/events.js';
import { HttpTransport, describeTarget, type ClientTarget } from './http-transport.js';
import { auditCall, policyApi, type AuditQueryInput, type PolicyApi } from './policy-api.js';
import { intentApi, type IntentApi } from './intent-api.js';
import { readReply } from './reply.js';
import { surfaceApi, type SurfaceApi } from './surface-api.js';
import { openStream, type StreamEnd } from './ws-stream.js';

export type StopResponse = z.infer<typeof StopResponseSchema>;

export interface EventsQueryInput {
  readonly afterSeq?: number;
  readonly limit?: number;
}

export interface JournalQueryInput {
  /** Epoch ms; records at or after it. */
  readonly sinceMs?: number;
  readonly afterSeq?: number;
  readonly grep?: string;
  readonly limit?: number;
  /** Only that runtime boot's records: "0" this boot, "-1" the one before, … or a boot id. */
  readonly boot?: string;
}

export interface ClientOptions {
  /** Deadline of one request; doctor gets at least DOCTOR_TIMEOUT_MS because it probes the host. */
  readonly timeoutMs?: number;
}

export type ClientResult<T> = Promise<Result<T, RayosError>>;

export interface RayosClient {
  /** The socket path or URL this client talks to, for messages. */
  readonly where: string;
  status(): ClientResult<StatusResponse>;
  doctor(): ClientResult<DoctorReport>;
  events(query?: EventsQueryInput): ClientResult<EventsPage>;
  journal(query?: JournalQueryInput): ClientResult<JournalPage>;
  appendNote(body: NoteRequest): ClientResult<NoteResponse>;
  stop(): ClientResult<StopResponse>;
  /** Calls onEvent for each event (after afterSeq, replayed first if still buffered) until signal aborts or the runtime closes the stream. */
  streamEvents(query: { afterSeq?: number }, onEvent: (event: EventEnvelope) => void, signal: AbortSignal): ClientResult<StreamEnd>;
  /** Calls onRecord for each journal record after afterSeq that matches grep, existing ones first, then live ones. */
  streamJournal(query: { afterSeq?: number; grep?: string }, onRecord: (record: JournalRecord) => void, signal: AbortSignal): ClientResult<StreamEnd>;
  vms: VmApi;
  /** The compositor: surfaces, presentation, screenshots and input. */
  surfaces: SurfaceApi;
  policy: PolicyApi;
  /** The conductor: say what you want, answer its questions, ask it why. */
  intents: IntentApi;
  audit(query?: AuditQueryInput): ClientResult<AuditPage>;
  /** Lets idle keep-alive connections go. */
  close(): void;
}

export interface VmApi {
  list(): ClientResult<{ vms: VmView[] }>;
  show(name: string): ClientResult<VmView>;
  /** Launching QEMU (and resuming saved state) takes seconds under TCG: these get VM_OPERATION_TIMEOUT_MS. */
  start(name: string): ClientResult<VmView>;
  stop(name: string, options?: { force?: boolean; timeoutMs?: number }): ClientResult<VmView>;
  pause(name: string): ClientResult<VmView>;
  resume(name: string): ClientResult<VmView>;
  suspend(name: string): ClientResult<VmView>;
  snapshots(name: string): ClientResult<{ snapshots: { tag: string; vmStateBytes: number; createdAt: string }[] }>;
  snapshot(name: string, tag: string): ClientResult<VmView>;
  restore(name: string, tag: string): ClientResult<VmView>;
  reset(name: string): ClientResult<VmView>;
  exec(name: string, argv: string[], options?: { timeoutMs?: number }): ClientResult<ExecResult>;
  logs(name: string, lines?: number): ClientResult<{ name: string; path: string; lines: string[] }>;
  /** The guest clock against the host's, through the agent. */
  clock(name: string): ClientResult<GuestClock>;
  /** Guest networking on or off: hot-plugged while the VM runs (seconds under TCG), else at its next start. */
  network(name: string, enabled: boolean): ClientResult<VmView>;
  /** Makes the Windows VM once from an installation image (paths absolute on the runtime's host) and boots its installer. */
  provisionWindows(request: WindowsProvisionRequest): ClientResult<WindowsProvisionResult>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const VM_OPERATION_TIMEOUT_MS = 180_000;
export const DOCTOR_TIMEOUT_MS = 60_000;

type RouteName = keyof typeof API_ROUTES;

export function createClient(target: ClientTarget, options: ClientOptions = {}): RayosClient {
  const transport = new HttpTransport(target);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call<T>(name: RouteName, schema: z.ZodType<T>, input: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; timeoutMs?: number } = {}): ClientResult<T> {
    const route = API_ROUTES[name];
    const withParams = route.path.replace(/:([A-Za-z]+)/g, (_match, key: string) => encodeURIComponent(input.params?.[key] ?? ''));
    const path = `${withParams}${queryString(input.query)}`;
    const reply = await transport.exchange({ method: route.method, path, body: input.body, timeoutMs: input.timeoutMs ?? timeoutMs });
    if (!reply.ok) return reply;
    return readReply(schema, reply.value, `${route.method} ${route.path}`);
  }

  return {
    where: describeTarget(target),
    status: () => call('status', API_ROUTES.status.response),
    doctor: () => call('doctor', API_ROUTES.doctor.response, { timeoutMs: Math.max(timeoutMs, DOCTOR_TIMEOUT_MS) }),
    events: (query = {}) => call('events', API_ROUTES.events.response, { query: { ...query } }),
    journal: (query = {}) => call('journal', API_ROUTES.journal.response, { query: { ...query } }),
    appendNote: (body) => call('appendNote', API_ROUTES.appendNote.response, { body }),
    stop: () => call('stop', API_ROUTES.stop.response),
    streamEvents: (query, onEvent, signal) =>
      openStream({ target, path: `${STREAM_ROUTES.events.path}${queryString(query)}`, schema: EventEnvelopeSchema, onMessage: onEvent, signal, handshakeTimeoutMs: timeoutMs }),
    streamJournal: (query, onRecord, signal) =>
      openStream({ target, path: `${STREAM_ROUTES.journal.path}${queryString(query)}`, schema: JournalRecordSchema, onMessage: onRecord, signal, handshakeTimeoutMs: timeoutMs }),
    vms: vmApi(call, timeoutMs),
    surfaces: surfaceApi(call, transport, timeoutMs),
    policy: policyApi(call),
    intents: intentApi(call, timeoutMs),
    audit: auditCall(call),
    close: () => transport.close(),
  };
}

export type Call = <T>(name: RouteName, schema: z.ZodType<T>, input?: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; timeoutMs?: number }) => ClientResult<T>;

function vmApi(call: Call, timeoutMs: number): VmApi {
  const slow = Math.max(timeoutMs, VM_OPERATION_TIMEOUT_MS);
  const on = (name: string) => ({ params: { name } });
  return {
    list: () => call('vmList', API_ROUTES.vmList.response),
    show: (name) => call('vmShow', API_ROUTES.vmShow.response, on(name)),
    start: (name) => call('vmStart', API_ROUTES.vmStart.response, { ...on(name), timeoutMs: slow }),
    stop: (name, options = {}) => call('vmStop', API_ROUTES.vmStop.response, { ...on(name), body: options, timeoutMs: slow + (options.timeoutMs ?? 0) }),
    pause: (name) => call('vmPause', API_ROUTES.vmPause.response, on(name)),
    resume: (name) => call('vmResume', API_ROUTES.vmResume.response, { ...on(name), timeoutMs: slow }),
    suspend: (name) => call('vmSuspend', API_ROUTES.vmSuspend.response, { ...on(name), timeoutMs: slow }),
    snapshots: (name) => call('vmSnapshots', API_ROUTES.vmSnapshots.response, on(name)),
    snapshot: (name, tag) => call('vmSnapshot', API_ROUTES.vmSnapshot.response, { ...on(name), body: { tag }, timeoutMs: slow }),
    restore: (name, tag) => call('vmRestore', API_ROUTES.vmRestore.response, { ...on(name), body: { tag }, timeoutMs: slow }),
    reset: (name) => call('vmReset', API_ROUTES.vmReset.response, { ...on(name), body: { confirm: true }, timeoutMs: slow }),
    exec: (name, argv, options = {}) =>
      call('vmExec', API_ROUTES.vmExec.response, { ...on(name), body: { argv, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }, timeoutMs: (options.timeoutMs ?? 30_000) + 60_000 }),
    logs: (name, lines) => call('vmLogs', API_ROUTES.vmLogs.response, { ...on(name), query: { lines } }),
    clock: (name) => call('vmClock', API_ROUTES.vmClock.response, on(name)),
    network: (name, enabled) => call('vmNetwork', API_ROUTES.vmNetwork.response, { ...on(name), body: { enabled }, timeoutMs: slow }),
    // Making the TPM state and the disks takes a few seconds, then the first boot as for start.
    provisionWindows: (request) => call('windowsProvision', API_ROUTES.windowsProvision.response, { body: request, timeoutMs: slow }),
  };
}

/** "?a=1&b=x" from the defined entries, or "" when there are none. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
