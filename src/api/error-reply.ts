// Owns turning every failure inside a request into {code: "RAYOS_…", message} with the right HTTP status.
import type { FastifyError } from 'fastify';
import type { z } from 'zod';
import { rayosError, type ErrorCode, type RayosError } from '../contracts/errors.js';

export const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  RAYOS_API_UNAUTHORIZED: 401,
  RAYOS_API_BAD_REQUEST: 400,
  RAYOS_API_BODY_TOO_LARGE: 413,
  RAYOS_API_NOT_FOUND: 404,
  RAYOS_API_RATE_LIMITED: 429,
  RAYOS_JOURNAL_RECORD_TOO_LARGE: 413,
  RAYOS_JOURNAL_CLOSED: 503,
  RAYOS_JOURNAL_BOOT_NOT_FOUND: 404,
  RAYOS_VM_NOT_FOUND: 404,
  RAYOS_VM_BAD_NAME: 400,
  RAYOS_VM_EXISTS: 409,
  RAYOS_VM_ILLEGAL_TRANSITION: 409,
  RAYOS_VM_BUSY: 409,
  RAYOS_VM_CONFIRM_REQUIRED: 400,
  RAYOS_VM_SNAPSHOT_NOT_FOUND: 404,
  RAYOS_VM_STORAGE_MISSING: 409,
  RAYOS_GUEST_AGENT_UNAVAILABLE: 503,
  RAYOS_GUEST_AGENT_TIMEOUT: 504,
  RAYOS_QMP_TIMEOUT: 504,
  RAYOS_QMP_CLOSED: 502,
  RAYOS_QMP_PROTOCOL: 502,
  RAYOS_QMP_COMMAND_FAILED: 502,
  RAYOS_QMP_JOB_FAILED: 502,
  RAYOS_GUEST_IMAGE_MISSING: 503,
  RAYOS_POLICY_DENIED: 403,
  RAYOS_POLICY_ASK_DECLINED: 403,
  RAYOS_POLICY_INVALID: 422,
  RAYOS_POLICY_LOCKOUT: 409,
  RAYOS_POLICY_BAD_FILE_NAME: 400,
  RAYOS_POLICY_FILE_NOT_FOUND: 404,
  RAYOS_POLICY_BAD_REQUEST: 400,
  RAYOS_POLICY_QUESTION_NOT_FOUND: 404,
  RAYOS_DISPLAY_SURFACE_NOT_FOUND: 404,
  RAYOS_DISPLAY_SURFACE_UNAVAILABLE: 409,
  RAYOS_DISPLAY_NOT_PRESENTED: 409,
  RAYOS_DISPLAY_SCREENSHOT_FAILED: 502,
  RAYOS_INPUT_UNKNOWN_KEY: 400,
  RAYOS_PERCEPTION_BAD_SAMPLES: 400,
  RAYOS_PERCEPTION_BAD_SCENE: 400,
  RAYOS_PERCEPTION_BAD_SIGNAL: 400,
  RAYOS_PERCEPTION_BAD_TRACKER: 400,
  RAYOS_CONDUCTOR_BAD_REQUEST: 400,
  RAYOS_CONDUCTOR_UNKNOWN_INTENT: 404,
  RAYOS_CONDUCTOR_NO_QUESTION: 409,
  RAYOS_CONDUCTOR_BAD_OPTION: 400,
  RAYOS_VOICE_UNAVAILABLE: 503,
  RAYOS_VOICE_BAD_AUDIO: 400,
  RAYOS_VOICE_AUDIO_TOO_LONG: 413,
  RAYOS_VOICE_BAD_TEXT: 400,
  RAYOS_VOICE_RECOGNIZER_FAILED: 502,
  RAYOS_VOICE_SYNTHESIS_FAILED: 502,
};

export const statusOf = (error: RayosError): number => STATUS_OF[error.code] ?? 500;

export function fromZod(where: string, issues: readonly z.core.$ZodIssue[]): RayosError {
  const first = issues[0];
  const path = first?.path.map(String).join('.') ?? '';
  const detail = first === undefined ? 'invalid' : `${path === '' ? '' : `${path}: `}${first.message}`;
  return rayosError('RAYOS_API_BAD_REQUEST', `The request ${where} is not valid — ${detail}. See /v1/openapi.json for the expected shape.`, { issues: issues.slice(0, 5).map((i) => ({ path: i.path.map(String), message: i.message })) });
}

/** Fastify's own errors (body parsing, limits, rate limiting) mapped to RayOS codes. */
export function fromFastify(error: FastifyError & { code?: string }): RayosError {
  if (typeof error.code === 'string' && error.code.startsWith('RAYOS_')) return rayosError(error.code as ErrorCode, error.message);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return rayosError('RAYOS_API_BODY_TOO_LARGE', 'The request body is larger than the API accepts (api.bodyLimitBytes); send less.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return rayosError('RAYOS_API_BAD_REQUEST', 'Send the body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return rayosError('RAYOS_API_BAD_REQUEST', `The request body is not valid JSON: ${error.message}`);
    default:
      if (error.statusCode === 429) return rayosError('RAYOS_API_RATE_LIMITED', 'Too many requests from this client; slow down and retry shortly.');
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return rayosError('RAYOS_API_BAD_REQUEST', error.message);
      return rayosError('RAYOS_API_INTERNAL', `The runtime failed while answering: ${error.message}. See rayos log show for details.`);
  }
}
