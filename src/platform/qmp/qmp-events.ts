// Owns the typed QMP events: which events RayOS knows, their data schemas, and turning an untrusted event message into a QmpEvent.
import { z } from 'zod';
import { JobStatusSchema } from './qmp-commands.js';

const NoDataSchema = z.object({});
const ShutdownDataSchema = z.object({ guest: z.boolean(), reason: z.string() });

/** Data schemas of the events RayOS reacts to; QEMU sends STOP, RESUME, POWERDOWN and the like without data. */
export const QMP_EVENT_DATA_SCHEMAS = {
  STOP: NoDataSchema,
  RESUME: NoDataSchema,
  POWERDOWN: NoDataSchema,
  SUSPEND: NoDataSchema,
  WAKEUP: NoDataSchema,
  SHUTDOWN: ShutdownDataSchema,
  RESET: ShutdownDataSchema,
  JOB_STATUS_CHANGE: z.object({ id: z.string(), status: JobStatusSchema }),
  GUEST_PANICKED: z.object({ action: z.string(), info: z.record(z.string(), z.unknown()).optional() }),
} as const satisfies Record<string, z.ZodType>;

export type QmpEventName = keyof typeof QMP_EVENT_DATA_SCHEMAS;

/** When QEMU emitted the event (host wall clock). */
export interface QmpTimestamp {
  readonly seconds: number;
  readonly microseconds: number;
}

/** A known event whose data matched its schema. */
export interface QmpEventOf<N extends QmpEventName> {
  readonly known: true;
  readonly name: N;
  readonly data: z.infer<(typeof QMP_EVENT_DATA_SCHEMAS)[N]>;
  readonly timestamp: QmpTimestamp;
}

/**
 * Any other event, passed through as QEMU sent it (data unchecked). A known name whose data does not
 * match its schema also arrives this way, so `known: true` always means the data was checked.
 */
export interface QmpUnknownEvent {
  readonly known: false;
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly timestamp: QmpTimestamp;
}

export type QmpKnownEvent = { [N in QmpEventName]: QmpEventOf<N> }[QmpEventName];
/** Narrow with `event.known && event.name === 'SHUTDOWN'`, or with isQmpEvent(). */
export type QmpEvent = QmpKnownEvent | QmpUnknownEvent;

export function isQmpEvent<N extends QmpEventName>(event: QmpEvent, name: N): event is QmpEvent & QmpEventOf<N> {
  return event.known && event.name === name;
}

/** The wire form of an event; `data` is optional because QEMU leaves it out of data-less events. */
export const QmpEventMessageSchema = z.object({
  event: z.string().min(1),
  data: z.record(z.string(), z.unknown()).optional(),
  timestamp: z.object({ seconds: z.number(), microseconds: z.number() }),
});

/** Types one event message that QmpEventMessageSchema accepted. */
export function toQmpEvent(message: z.infer<typeof QmpEventMessageSchema>): QmpEvent {
  const untrustedData = message.data ?? {};
  const timestamp = { seconds: message.timestamp.seconds, microseconds: message.timestamp.microseconds };
  if (Object.hasOwn(QMP_EVENT_DATA_SCHEMAS, message.event)) {
    const name = message.event as QmpEventName;
    const parsed = QMP_EVENT_DATA_SCHEMAS[name].safeParse(untrustedData);
    if (parsed.success) return { known: true, name, data: parsed.data, timestamp } as QmpKnownEvent;
  }
  return { known: false, name: message.event, data: untrustedData, timestamp };
}
