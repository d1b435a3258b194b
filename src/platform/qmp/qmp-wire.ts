// Owns the QMP wire format: splitting the byte stream into bounded lines and classifying each line as greeting, reply, event or invalid.
import { z } from 'zod';
import { QemuVersionSchema } from './qmp-commands.js';
import { QmpEventMessageSchema, toQmpEvent, type QmpEvent } from './qmp-events.js';

/** Longest line accepted from QEMU; the largest real replies (query-qmp-schema) are well under 1 MiB. */
export const QMP_MAX_LINE_BYTES = 16 * 1024 * 1024;

export const QmpGreetingSchema = z.object({
  QMP: z.object({ version: QemuVersionSchema, capabilities: z.array(z.string()) }),
});
/** What QEMU says first: its version and the optional capabilities it offers (7.2 offers "oob"). */
export type QmpGreeting = z.infer<typeof QmpGreetingSchema>['QMP'];

const QmpErrorBodySchema = z.object({ class: z.string(), desc: z.string() });

export type QmpMessage =
  | { readonly kind: 'greeting'; readonly greeting: QmpGreeting }
  | { readonly kind: 'return'; readonly id: unknown; readonly untrustedValue: unknown }
  | { readonly kind: 'error'; readonly id: unknown; readonly errorClass: string; readonly desc: string }
  | { readonly kind: 'event'; readonly event: QmpEvent }
  | { readonly kind: 'invalid'; readonly why: string };

/** Classifies one line. Replies keep their id as sent back (unknown): only the caller knows which ids it issued. */
export function parseQmpLine(untrustedLine: string): QmpMessage {
  let untrusted: unknown;
  try {
    untrusted = JSON.parse(untrustedLine);
  } catch {
    return { kind: 'invalid', why: 'a line that is not JSON' };
  }
  if (typeof untrusted !== 'object' || untrusted === null || Array.isArray(untrusted)) {
    return { kind: 'invalid', why: 'a JSON value that is not an object' };
  }
  const has = (key: string): boolean => Object.hasOwn(untrusted, key);
  const id = (untrusted as { id?: unknown }).id;
  if (has('return')) {
    if (!has('id')) return { kind: 'invalid', why: 'a reply without an id' };
    return { kind: 'return', id, untrustedValue: (untrusted as { return: unknown }).return };
  }
  if (has('error')) {
    // QEMU leaves the id out only when it could not read the request, so the stream is out of step.
    if (!has('id')) return { kind: 'invalid', why: 'an error reply without an id' };
    const body = QmpErrorBodySchema.safeParse((untrusted as { error: unknown }).error);
    if (!body.success) return { kind: 'invalid', why: 'an error reply without a class and desc' };
    return { kind: 'error', id, errorClass: body.data.class, desc: body.data.desc };
  }
  if (has('event')) {
    const event = QmpEventMessageSchema.safeParse(untrusted);
    if (!event.success) return { kind: 'invalid', why: 'an event without a name, data object or timestamp' };
    return { kind: 'event', event: toQmpEvent(event.data) };
  }
  if (has('QMP')) {
    const greeting = QmpGreetingSchema.safeParse(untrusted);
    if (!greeting.success) return { kind: 'invalid', why: 'a greeting without a QEMU version and capabilities' };
    return { kind: 'greeting', greeting: greeting.data.QMP };
  }
  return { kind: 'invalid', why: 'a JSON object that is neither a reply, an event nor a greeting' };
}

/** Splits a byte stream into newline-terminated lines of at most maxBytes. */
export class QmpLineSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxBytes: number) {}

  /**
   * The complete lines in this chunk (without their newline). `overflow` says a line went over the limit:
   * the lines before it are still good, nothing after it is read.
   */
  push(chunk: Buffer): { lines: string[]; overflow: boolean } {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const part = chunk.subarray(start, nl);
      if (this.buffered + part.length > this.maxBytes) return { lines, overflow: true };
      // Splitting on 0x0a is safe in UTF-8: it never occurs inside a multi-byte character.
      const line = this.chunks.length === 0 ? part : Buffer.concat([...this.chunks, part]);
      this.chunks = [];
      this.buffered = 0;
      const text = line.toString('utf8');
      if (text.trim() !== '') lines.push(text);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.buffered += chunk.length - start;
      if (this.buffered > this.maxBytes) return { lines, overflow: true };
      this.chunks.push(chunk.subarray(start));
    }
    return { lines, overflow: false };
  }
}
