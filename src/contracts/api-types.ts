// Owns the request and response shapes of the control API, shared by the runtime, the client and the CLI.
import { z } from 'zod';
import { EventEnvelopeSchema } from './events.js';

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'failed']),
  detail: z.string().optional(),
});
export type Health = z.infer<typeof HealthSchema>;

export const ServiceStateSchema = z.enum(['registered', 'starting', 'running', 'stopping', 'stopped', 'failed']);
export type ServiceState = z.infer<typeof ServiceStateSchema>;

export const ServiceStatusSchema = z.object({
  name: z.string(),
  state: ServiceStateSchema,
  dependsOn: z.array(z.string()),
  health: HealthSchema,
  startedAt: z.string().nullable(),
  startMs: z.number().nullable(),
});
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const StatusResponseSchema = z.object({
  state: z.enum(['booting', 'ready', 'stopping']),
  pid: z.number().int(),
  startedAt: z.string(),
  uptimeMs: z.number(),
  dataDir: z.string(),
  api: z.object({ socket: z.string(), url: z.string().nullable() }),
  versions: z.record(z.string(), z.string()),
  services: z.array(ServiceStatusSchema),
  bootCount: z.number().int(),
});
export type StatusResponse = z.infer<typeof StatusResponseSchema>;

export const DoctorCheckSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['ok', 'warn', 'missing']),
  detail: z.string(),
  /** What to do when status is not ok (an exact command where there is one). */
  fix: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

export const DoctorReportSchema = z.object({
  checkedAt: z.string(),
  accel: z.enum(['kvm', 'tcg', 'none']),
  checks: z.array(DoctorCheckSchema),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

/** `rayos windows check`: Windows 11's needs (TPM 2.0, Secure Boot, memory, CPUs, disk, acceleration) against RayOS's Windows profile and this host. */
export const WindowsCheckReportSchema = z.object({
  checkedAt: z.string(),
  accel: z.enum(['kvm', 'tcg', 'none']),
  profile: z.object({
    machine: z.string(),
    memoryMiB: z.number().int(),
    vcpus: z.number().int(),
    diskGiB: z.number().int(),
    diskBus: z.enum(['ahci', 'virtio']),
    firmware: z.string(),
    tpm: z.string(),
    network: z.boolean(),
  }),
  /** Where Windows VMs are kept: vm.windowsStorage, or the data directory's vm/ (setting null). */
  storage: z.object({ root: z.string(), setting: z.string().nullable() }),
  checks: z.array(DoctorCheckSchema),
});
export type WindowsCheckReport = z.infer<typeof WindowsCheckReportSchema>;

export const JournalRecordTypeSchema = z.enum(['event', 'marker', 'note']);
export const JournalRecordSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  type: JournalRecordTypeSchema,
  data: z.record(z.string(), z.unknown()),
});
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

/** POST /v1/journal: a note a person or tool asks RayOS to keep; acknowledged only once durable. */
export const NoteRequestSchema = z
  .object({
    source: z.string().min(1).max(64).regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
    message: z.string().min(1).max(8192),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type NoteRequest = z.infer<typeof NoteRequestSchema>;

export const NoteResponseSchema = z.object({ seq: z.number().int().positive(), at: z.string() });
export type NoteResponse = z.infer<typeof NoteResponseSchema>;

/** A runtime boot: 0 this one, -1 the one before, … (relative), or a boot id (1, 2, …: the Nth boot of the data directory). */
export const BootSelectorSchema = z.string().regex(/^(0|-[1-9][0-9]{0,8}|[1-9][0-9]{0,14})$/, 'must be 0 (this boot), -N (N boots back) or a boot id (a positive whole number)');

export const JournalQuerySchema = z
  .object({
    /** Epoch ms; records at or after it. */
    sinceMs: z.coerce.number().int().min(0).optional(),
    afterSeq: z.coerce.number().int().min(0).optional(),
    grep: z.string().max(256).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Only the records of that runtime boot (across restarts and reboots: the journal is on disk). */
    boot: BootSelectorSchema.optional(),
  })
  .strict();
export type JournalQuery = z.infer<typeof JournalQuerySchema>;

/** A recorded runtime boot and its span of the journal: sequences [firstSeq, endSeq). */
export const BootSpanSchema = z.object({
  id: z.number().int().positive(),
  startedAt: z.string(),
  readyAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  stopReason: z.string().nullable(),
  /** The runtime answering is this boot. */
  current: z.boolean(),
  /** null: the boot recorded no journal range (it failed before the journal opened, or predates RayOS recording it). */
  firstSeq: z.number().int().positive().nullable(),
  /** The next boot's first sequence; null while the boot is the last one. */
  endSeq: z.number().int().positive().nullable(),
});
export type BootSpan = z.infer<typeof BootSpanSchema>;

export const JournalPageSchema = z.object({ records: z.array(JournalRecordSchema), nextSeq: z.number().int(), boot: BootSpanSchema.optional() });
export type JournalPage = z.infer<typeof JournalPageSchema>;

export const EventsQuerySchema = z
  .object({ afterSeq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(10_000).default(200) })
  .strict();
export const EventsPageSchema = z.object({ events: z.array(EventEnvelopeSchema), lastSeq: z.number().int() });
export type EventsPage = z.infer<typeof EventsPageSchema>;

/** Written by the runtime into the data dir so clients can find it. */
export const RuntimeInfoSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  socket: z.string(),
  url: z.string().nullable(),
  version: z.string(),
});
export type RuntimeInfo = z.infer<typeof RuntimeInfoSchema>;
