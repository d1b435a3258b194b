// Owns what RayOS accepts from qemu-ga (the QEMU guest agent's QMP-style protocol): reply envelopes and the guest-exec results.
import { z } from 'zod';

/** A reply: {"return": …} or {"error": {class, desc}}, with the request's id echoed when it had one. */
// The error form is tried first: an object with no "return" key still satisfies z.unknown().
export const QgaReplySchema = z.union([
  z.object({ error: z.object({ class: z.string().optional(), desc: z.string() }), id: z.union([z.string(), z.number()]).optional() }),
  z.object({ return: z.unknown(), id: z.union([z.string(), z.number()]).optional() }),
]);
export type QgaReply = z.infer<typeof QgaReplySchema>;

/** guest-exec answers with the pid of the process it started. */
export const QgaExecStartedSchema = z.object({ pid: z.number().int().nonnegative() });

/** guest-exec-status: output comes base64-encoded, and only once the process has exited. */
export const QgaExecStatusSchema = z.object({
  exited: z.boolean(),
  exitcode: z.number().int().optional(),
  signal: z.number().int().optional(),
  'out-data': z.string().base64().optional(),
  'err-data': z.string().base64().optional(),
  'out-truncated': z.boolean().optional(),
  'err-truncated': z.boolean().optional(),
});
export type QgaExecStatus = z.infer<typeof QgaExecStatusSchema>;
