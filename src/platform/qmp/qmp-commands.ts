// Owns the typed QMP commands RayOS uses (QEMU 7.2): each command's arguments as a TypeScript type and its result as a zod schema.
//
// Arguments come from RayOS's own code, so types suffice (QEMU checks them and answers GenericError);
// results come from QEMU, so each is validated before a caller sees it.
import { z } from 'zod';

/** A command that takes no arguments: `{}` or nothing. */
export type QmpNoArgs = Record<string, never>;

const EmptyResultSchema = z.object({});

export const QemuVersionSchema = z.object({
  qemu: z.object({ major: z.number().int(), minor: z.number().int(), micro: z.number().int() }),
  package: z.string(),
});
export type QemuVersion = z.infer<typeof QemuVersionSchema>;

/** QAPI JobStatus in QEMU 7.2. */
export const JobStatusSchema = z.enum([
  'undefined',
  'created',
  'running',
  'paused',
  'ready',
  'standby',
  'waiting',
  'pending',
  'aborting',
  'concluded',
  'null',
]);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobInfoSchema = z.object({
  id: z.string(),
  type: z.string(),
  status: JobStatusSchema,
  'current-progress': z.number(),
  'total-progress': z.number(),
  /** Present only when the job failed: QEMU's own sentence. */
  error: z.string().optional(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

/** QAPI KeyValue: a QKeyCode name ("a", "ret", "ctrl") or a raw number. */
export type QmpKeyValue = { type: 'qcode'; data: string } | { type: 'number'; data: number };
export type QmpInputButton = 'left' | 'middle' | 'right' | 'wheel-up' | 'wheel-down' | 'side' | 'extra';
export type QmpInputAxis = 'x' | 'y';

/** QAPI InputEvent; abs values run 0..0x7fff across the display. */
export type QmpInputEvent =
  | { type: 'key'; data: { down: boolean; key: QmpKeyValue } }
  | { type: 'btn'; data: { down: boolean; button: QmpInputButton } }
  | { type: 'rel'; data: { axis: QmpInputAxis; value: number } }
  | { type: 'abs'; data: { axis: QmpInputAxis; value: number } };

export interface SnapshotJobArgs {
  'job-id': string;
  tag: string;
  /** The block node that receives (or holds) the VM state. */
  vmstate: string;
  /** Block node names (not device ids) to snapshot. */
  devices: string[];
}

/** Arguments of every typed command. */
export interface QmpCommandArgs {
  qmp_capabilities: { enable?: 'oob'[] };
  'query-status': QmpNoArgs;
  'query-version': QmpNoArgs;
  'query-name': QmpNoArgs;
  'query-jobs': QmpNoArgs;
  stop: QmpNoArgs;
  cont: QmpNoArgs;
  quit: QmpNoArgs;
  system_powerdown: QmpNoArgs;
  system_reset: QmpNoArgs;
  /** `device` names a display device id (e.g. "video0"), not a file. */
  screendump: { filename: string; format?: 'png' | 'ppm'; device?: string; head?: number };
  /** `device` names the display the input devices are bound to, not an input device (see DESIGN.md). */
  'input-send-event': { device?: string; head?: number; events: QmpInputEvent[] };
  'job-dismiss': { id: string };
  'job-cancel': { id: string; force?: boolean };
  'human-monitor-command': { 'command-line': string; 'cpu-index'?: number };
  'snapshot-save': SnapshotJobArgs;
  'snapshot-load': SnapshotJobArgs;
  /** QEMU 7.2's snapshot-delete takes no vmstate (it rejects one). */
  'snapshot-delete': Omit<SnapshotJobArgs, 'vmstate'>;
}

/** The schema each typed command's `return` must match; a reply that does not is RAYOS_QMP_PROTOCOL. */
export const QMP_RESULT_SCHEMAS = {
  qmp_capabilities: EmptyResultSchema,
  'query-status': z.object({ running: z.boolean(), status: z.string() }),
  'query-version': QemuVersionSchema,
  'query-name': z.object({ name: z.string().optional() }),
  'query-jobs': z.array(JobInfoSchema),
  stop: EmptyResultSchema,
  cont: EmptyResultSchema,
  quit: EmptyResultSchema,
  system_powerdown: EmptyResultSchema,
  system_reset: EmptyResultSchema,
  screendump: EmptyResultSchema,
  'input-send-event': EmptyResultSchema,
  'job-dismiss': EmptyResultSchema,
  'job-cancel': EmptyResultSchema,
  'human-monitor-command': z.string(),
  'snapshot-save': EmptyResultSchema,
  'snapshot-load': EmptyResultSchema,
  'snapshot-delete': EmptyResultSchema,
} as const satisfies { [C in keyof QmpCommandArgs]: z.ZodType };

export type QmpCommandName = keyof QmpCommandArgs;
export type QmpArgs<C extends QmpCommandName> = QmpCommandArgs[C];
export type QmpResult<C extends QmpCommandName> = z.infer<(typeof QMP_RESULT_SCHEMAS)[C]>;
/** The command map: name → { args, result }. */
export type QmpCommands = { [C in QmpCommandName]: { args: QmpArgs<C>; result: QmpResult<C> } };
