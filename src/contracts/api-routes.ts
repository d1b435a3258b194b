// Owns the control API's route table: paths, methods and schemas, read by the server, the client and the OpenAPI document.
import { z } from 'zod';
import { COMPOSITOR_PATHS } from './compositor-wire.js';
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
import {
  EmptyRequestSchema,
  PngResponseSchema,
  SurfaceInputRequestSchema,
  SurfaceInputResponseSchema,
  SurfaceListSchema,
  SurfaceMoveRequestSchema,
  SurfaceParamsSchema,
  SurfacePresentRequestSchema,
  SurfaceViewSchema,
} from './display.js';
import { GuestClockSchema } from './guest-agent.js';
import { AttentionSnapshotSchema } from './intent.js';
import {
  AttentionSamplesSchema,
  IntentExplanationSchema,
  IntentHistoryQuerySchema,
  IntentHistorySchema,
  IntentIdParamsSchema,
  IntentOutcomeSchema,
  IntentRequestSchema,
} from './conductor.js';
import {
  AuditPageSchema,
  AuditQuerySchema,
  PolicyAnswerRequestSchema,
  PolicyDecisionSchema,
  PolicyExplainQuerySchema,
  PolicyExplainSchema,
  PolicyFileRequestSchema,
  PolicyFileResultSchema,
  PolicyQuestionListSchema,
  PolicyQuestionParamsSchema,
  PolicyQuestionSchema,
  PolicyRemoveRequestSchema,
  PolicyRequestSchema,
  PolicyShowSchema,
} from './policy.js';
import {
  VmExecRequestSchema,
  VmExecResponseSchema,
  VmListSchema,
  VmLogsQuerySchema,
  VmLogsSchema,
  VmNetworkRequestSchema,
  VmNameParamsSchema,
  VmResetRequestSchema,
  VmSnapshotListSchema,
  VmSnapshotRequestSchema,
  VmStopRequestSchema,
  VmViewSchema,
  WindowsProvisionRequestSchema,
  WindowsProvisionResultSchema,
} from './vm.js';

export const StopResponseSchema = z.object({ accepted: z.literal(true) });
export const AttentionAcceptedSchema = z.object({ accepted: z.number().int(), dropped: z.number().int() });

export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  /** `:name` segments are path parameters, validated by `params`. */
  readonly path: string;
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  /** HTTP status of success. */
  readonly status: number;
  /** How success travels: JSON (the default), raw image/png bytes, or raw audio/wav bytes. */
  readonly responseKind?: 'json' | 'png' | 'wav';
  /** How the body travels: JSON (the default) or raw audio/wav bytes (validated as a Uint8Array). */
  readonly bodyKind?: 'json' | 'wav';
  /** A tighter body limit than the API's default, in bytes. */
  readonly bodyLimitBytes?: number;
}

/** The input route takes at most this many bytes (MAX_INPUT_EVENTS events of typical size fit easily). */
export const INPUT_BODY_LIMIT_BYTES = 64 * 1024;

/** Voice (services/voice): a recording of up to 30 s at 48 kHz mono fits; the WAV reader enforces the 30 s. */
export const SPEECH_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** At most this many characters are spoken: one clarifying question, about half a minute. */
export const MAX_SPEECH_TEXT_CHARS = 400;
export const SpeechStatusSchema = z.object({
  /** pocketsphinx and its en-us model are installed. */
  transcribe: z.boolean(),
  /** espeak-ng is installed. */
  say: z.boolean(),
  /** Debian packages whose files are missing. */
  missing: z.array(z.string()),
  /** The apt-get line that installs them, or null when nothing is missing. */
  fix: z.string().nullable(),
});
export const WavBodySchema = z.instanceof(Uint8Array);
export const SpeechTranscriptSchema = z.object({
  /** The words from the command grammar, or '' when nothing in the grammar was said (see note). */
  text: z.string(),
  /** 0..1; null when there was no speech to score. */
  confidence: z.number().min(0).max(1).nullable(),
  /** The grammar's closest words even when they were not taken. */
  heard: z.string(),
  note: z.string().optional(),
});
export const SpeechSayRequestSchema = z.strictObject({ text: z.string().trim().min(1).max(MAX_SPEECH_TEXT_CHARS) });
export const WavResponseSchema = z.instanceof(Uint8Array);

export const API_ROUTES = {
  status: { method: 'GET', path: '/v1/status', summary: 'Runtime state, services and their health, uptime, versions', response: StatusResponseSchema, status: 200 },
  doctor: { method: 'GET', path: '/v1/doctor', summary: 'Host readiness: QEMU, OVMF, swtpm, qemu-img, KVM or TCG, Chromium, disk space', response: DoctorReportSchema, status: 200 },
  events: { method: 'GET', path: '/v1/events', summary: 'Recent events after a sequence number', query: EventsQuerySchema, response: EventsPageSchema, status: 200 },
  journal: { method: 'GET', path: '/v1/journal', summary: 'Journal records, filtered by time, sequence, text or runtime boot (?boot=0|-N|ID; the page then names the boot)', query: JournalQuerySchema, response: JournalPageSchema, status: 200 },
  appendNote: { method: 'POST', path: '/v1/journal', summary: 'Append a note to the journal; answered only once it is durable', body: NoteRequestSchema, response: NoteResponseSchema, status: 201 },
  stop: { method: 'POST', path: '/v1/runtime/stop', summary: 'Stop the runtime (services stop in reverse order)', response: StopResponseSchema, status: 202 },
  policyShow: { method: 'GET', path: '/v1/policy', summary: 'The policy set in force: files and their policies', response: PolicyShowSchema, status: 200 },
  policyCheck: { method: 'POST', path: '/v1/policy/check', summary: 'Validate a policy file against the schema and the set in force; changes nothing', body: PolicyFileRequestSchema, response: PolicyFileResultSchema, status: 200 },
  policyApply: { method: 'POST', path: '/v1/policy/apply', summary: 'Validate a policy file and put it in force (policy/<name>.cedar); an invalid one changes nothing', body: PolicyFileRequestSchema, response: PolicyFileResultSchema, status: 200 },
  policyRemove: { method: 'POST', path: '/v1/policy/remove', summary: 'Take a policy file out of force (the rest must stay valid and keep allowing policy changes)', body: PolicyRemoveRequestSchema, response: PolicyFileResultSchema, status: 200 },
  policyExplain: { method: 'GET', path: '/v1/policy/explain', summary: 'The policies that govern one action', query: PolicyExplainQuerySchema, response: PolicyExplainSchema, status: 200 },
  policyTest: { method: 'POST', path: '/v1/policy/test', summary: 'Decide a request against the set in force without acting or auditing it', body: PolicyRequestSchema, response: PolicyDecisionSchema, status: 200 },
  policyQuestions: { method: 'GET', path: '/v1/policy/questions', summary: 'Policy questions waiting for an answer', response: PolicyQuestionListSchema, status: 200 },
  policyAnswer: { method: 'POST', path: '/v1/policy/questions/:id', summary: 'Answer a policy question: allow or deny (the person only)', params: PolicyQuestionParamsSchema, body: PolicyAnswerRequestSchema, response: PolicyQuestionSchema, status: 200 },
  audit: { method: 'GET', path: '/v1/audit', summary: 'Audited policy decisions from the journal, filtered by time and decision', query: AuditQuerySchema, response: AuditPageSchema, status: 200 },
  vmList: { method: 'GET', path: '/v1/vms', summary: 'Every registered VM with its state', response: VmListSchema, status: 200 },
  vmShow: { method: 'GET', path: '/v1/vms/:name', summary: 'One VM: identity, state, process, guest', params: VmNameParamsSchema, response: VmViewSchema, status: 200 },
  vmStart: { method: 'POST', path: '/v1/vms/:name/start', summary: 'Start a VM (resumes saved state if it has one, else cold-boots its disk), hidden', params: VmNameParamsSchema, response: VmViewSchema, status: 200 },
  vmStop: { method: 'POST', path: '/v1/vms/:name/stop', summary: 'Ask the guest to power off, force after the deadline', params: VmNameParamsSchema, body: VmStopRequestSchema, response: VmViewSchema, status: 200 },
  vmPause: { method: 'POST', path: '/v1/vms/:name/pause', summary: 'Stop the vCPUs, keep RAM', params: VmNameParamsSchema, response: VmViewSchema, status: 200 },
  vmResume: { method: 'POST', path: '/v1/vms/:name/resume', summary: 'Continue a paused VM or resume a suspended one', params: VmNameParamsSchema, response: VmViewSchema, status: 200 },
  vmSuspend: { method: 'POST', path: '/v1/vms/:name/suspend', summary: 'Save the VM state into its disk and let QEMU exit', params: VmNameParamsSchema, response: VmViewSchema, status: 200 },
  vmSnapshots: { method: 'GET', path: '/v1/vms/:name/snapshots', summary: 'Named snapshots in the VM disk', params: VmNameParamsSchema, response: VmSnapshotListSchema, status: 200 },
  vmSnapshot: { method: 'POST', path: '/v1/vms/:name/snapshots', summary: 'Save a named snapshot (RAM and disk) of a running VM', params: VmNameParamsSchema, body: VmSnapshotRequestSchema, response: VmViewSchema, status: 201 },
  vmRestore: { method: 'POST', path: '/v1/vms/:name/restore', summary: 'Load a named snapshot into a running VM', params: VmNameParamsSchema, body: VmSnapshotRequestSchema, response: VmViewSchema, status: 200 },
  vmReset: { method: 'POST', path: '/v1/vms/:name/reset', summary: 'Destroy the VM disk and saved state and start fresh (needs confirm: true)', params: VmNameParamsSchema, body: VmResetRequestSchema, response: VmViewSchema, status: 200 },
  vmExec: { method: 'POST', path: '/v1/vms/:name/exec', summary: 'Run a command in the guest through the RayOS agent', params: VmNameParamsSchema, body: VmExecRequestSchema, response: VmExecResponseSchema, status: 200 },
  vmLogs: { method: 'GET', path: '/v1/vms/:name/logs', summary: 'The last lines of the VM serial console', params: VmNameParamsSchema, query: VmLogsQuerySchema, response: VmLogsSchema, status: 200 },
  vmClock: { method: 'GET', path: '/v1/vms/:name/clock', summary: 'The guest clock against the host (best of a few agent pings): offset and its uncertainty', params: VmNameParamsSchema, response: GuestClockSchema, status: 200 },
  vmNetwork: { method: 'POST', path: '/v1/vms/:name/network', summary: 'Turn guest networking on or off: hot-plugged while the VM runs, else at its next start', params: VmNameParamsSchema, body: VmNetworkRequestSchema, response: VmViewSchema, status: 200 },
  windowsProvision: { method: 'POST', path: '/v1/windows/provision', summary: 'Make the Windows VM once from an installation image (disk, Secure Boot variables, TPM 2.0), and boot its installer; replace needs confirm', body: WindowsProvisionRequestSchema, response: WindowsProvisionResultSchema, status: 201 },
  surfaceList: { method: 'GET', path: '/v1/surfaces', summary: 'The compositor: layout, focus and every surface (one per VM that has run)', response: SurfaceListSchema, status: 200 },
  surfacePresent: { method: 'POST', path: '/v1/surfaces/:vm/present', summary: 'Present, focus and raise the VM surface (policy surface.present); QEMU is not touched', params: SurfaceParamsSchema, body: SurfacePresentRequestSchema, response: SurfaceViewSchema, status: 200 },
  surfaceHide: { method: 'POST', path: '/v1/surfaces/:vm/hide', summary: 'Hide the VM surface (policy surface.hide); the VM keeps running', params: SurfaceParamsSchema, body: EmptyRequestSchema, response: SurfaceViewSchema, status: 200 },
  surfaceFocus: { method: 'POST', path: '/v1/surfaces/:vm/focus', summary: 'Give a presented surface the input focus and raise it', params: SurfaceParamsSchema, body: EmptyRequestSchema, response: SurfaceViewSchema, status: 200 },
  surfaceBlur: { method: 'POST', path: '/v1/surfaces/blur', summary: 'Take focus from every surface: keys go nowhere until one is focused again', body: EmptyRequestSchema, response: SurfaceListSchema, status: 200 },
  surfaceMove: { method: 'POST', path: '/v1/surfaces/:vm/move', summary: 'Set the surface rectangle (switches to the floating layout)', params: SurfaceParamsSchema, body: SurfaceMoveRequestSchema, response: SurfaceViewSchema, status: 200 },
  surfaceScreenshot: { method: 'GET', path: '/v1/surfaces/:vm/screenshot', summary: 'The VM screen as image/png (QMP screendump)', params: SurfaceParamsSchema, response: PngResponseSchema, status: 200, responseKind: 'png' },
  surfaceInput: { method: 'POST', path: '/v1/surfaces/:vm/input', summary: 'Key, pointer, text, key-combination and click events for the surface; delivered only when it is presented and focused', params: SurfaceParamsSchema, body: SurfaceInputRequestSchema, response: SurfaceInputResponseSchema, status: 200, bodyLimitBytes: INPUT_BODY_LIMIT_BYTES },
  intentDo: { method: 'POST', path: '/v1/intents', summary: 'Say what you want ({"text"}, optionally a gaze trace): the conductor resolves it, checks each step with policy, acts and says why; or answer its question', body: IntentRequestSchema, response: IntentOutcomeSchema, status: 200 },
  intentList: { method: 'GET', path: '/v1/intents', summary: 'What the conductor did lately, newest first', query: IntentHistoryQuerySchema, response: IntentHistorySchema, status: 200 },
  intentExplain: { method: 'GET', path: '/v1/intents/:id', summary: 'Why: the request, how it was read, every step and its policy decision (from the journal after a restart)', params: IntentIdParamsSchema, response: IntentExplanationSchema, status: 200 },
  attentionSamples: { method: 'POST', path: '/v1/attention/samples', summary: 'Gaze or pointer-as-gaze samples from the page (compositor pixels); only per-object attention ever leaves the runtime', body: AttentionSamplesSchema, response: AttentionAcceptedSchema, status: 200, bodyLimitBytes: INPUT_BODY_LIMIT_BYTES },
  attentionRead: { method: 'GET', path: '/v1/attention', summary: 'Where attention is now: per on-screen object probabilities from the live field (never raw gaze), for the attention overlay', response: AttentionSnapshotSchema, status: 200 },
  speechStatus: { method: 'GET', path: '/v1/speech', summary: 'Whether voice works here: transcription (pocketsphinx) and speech (espeak-ng), with the apt-get line when not', response: SpeechStatusSchema, status: 200 },
  speechTranscribe: { method: 'POST', path: '/v1/speech/transcribe', summary: 'Transcribe a recording (audio/wav, PCM 16-bit, at most 30 s, any rate) against the grammar of the command registry; send the text to POST /v1/intents', body: WavBodySchema, bodyKind: 'wav', response: SpeechTranscriptSchema, status: 200, bodyLimitBytes: SPEECH_BODY_LIMIT_BYTES },
  speechSay: { method: 'POST', path: '/v1/speech/say', summary: 'Speak a sentence with espeak-ng; answers audio/wav', body: SpeechSayRequestSchema, response: WavResponseSchema, status: 200, responseKind: 'wav' },
} as const satisfies Record<string, RouteSpec>;

/** WebSocket streams. Each message is one JSON object: an EventEnvelope or a JournalRecord. */
export const STREAM_ROUTES = {
  events: { path: '/v1/events/stream', summary: 'Live events; ?afterSeq=N replays buffered events first' },
  journal: { path: '/v1/journal/stream', summary: 'Live journal records; ?afterSeq=N&grep=TEXT' },
  surfaceVnc: { path: COMPOSITOR_PATHS.vnc, summary: 'The RFB (VNC) stream of a presented surface, binary frames (see contracts/compositor-wire.ts)' },
  input: { path: COMPOSITOR_PATHS.input, summary: 'Keyboard and pointer input for the focus-holding connection, JSON messages (see contracts/compositor-wire.ts)' },
} as const;

export const OPENAPI_PATH = '/v1/openapi.json';

/** Files the runtime keeps in its data directory that clients read. */
export const DATA_FILES = {
  socket: 'rayos.sock',
  token: 'api-token',
  runtimeInfo: 'runtime.json',
  lock: 'rayos.lock',
} as const;
