// Owns reading an untrusted reply from the runtime: a success body checked against its schema, or the runtime's error.
import { z } from 'zod';
import { err, ok, type Result } from '../base/result.js';
import { rayosError, RayosErrorSchema, type ErrorCode, type RayosError } from '../contracts/errors.js';

/**
 * A newer runtime may answer with a code this client does not know yet (codes are added, never renamed);
 * it is still the runtime's answer, so it is passed on rather than called a protocol failure.
 */
const AnyRayosErrorSchema = z.object({
  code: z.string().regex(/^RAYOS_[A-Z0-9_]+$/),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export function parseJson(untrustedText: string): Result<unknown, string> {
  try {
    return ok(JSON.parse(untrustedText) as unknown);
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
}

/** The runtime's own error, if the value is one. */
export function asRayosError(untrustedValue: unknown): RayosError | null {
  const known = RayosErrorSchema.safeParse(untrustedValue);
  if (known.success) return known.data;
  const newer = AnyRayosErrorSchema.safeParse(untrustedValue);
  return newer.success ? { ...newer.data, code: newer.data.code as ErrorCode } : null;
}

export function protocolError(what: string, detail: string): RayosError {
  return rayosError('RAYOS_CLI_PROTOCOL', `The runtime's answer to ${what} is not what this CLI understands (${detail}); check that the CLI and the runtime are the same version.`);
}

/** First few zod issues as one short line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `}${issue.message}`)
    .join('; ');
}

export function readReply<T>(schema: z.ZodType<T>, reply: { status: number; untrustedText: string }, what: string): Result<T, RayosError> {
  const parsed = parseJson(reply.untrustedText);
  if (reply.status < 200 || reply.status > 299) {
    const error = parsed.ok ? asRayosError(parsed.value) : null;
    if (error !== null) return err(error);
    return err(protocolError(what, `HTTP ${reply.status} with ${parsed.ok ? 'a body that is not a RayOS error' : 'a body that is not JSON'}`));
  }
  if (!parsed.ok) return err(protocolError(what, `the body is not JSON: ${parsed.error}`));
  const checked = schema.safeParse(parsed.value);
  return checked.success ? ok(checked.data) : err(protocolError(what, describeIssues(checked.error)));
}
