// Owns the RayOS guest agent protocol: versioned line-JSON over the virtio-serial port "org.rayos.agent.0".
//
// One JSON object per line (UTF-8, '\n'-terminated, at most GUEST_AGENT_MAX_LINE bytes), in both directions.
// The host sends requests with a numeric id; the agent answers each with the same id, in any order it likes
// (the reference agent answers in order). The agent never sends anything unasked, so a host that (re)connects
// mid-stream simply starts with a fresh id and ignores replies whose id it does not know.
//
//   host → agent  {"v":1,"id":7,"op":"hello"}
//   agent → host  {"v":1,"id":7,"ok":true,"result":{"agentVersion":"1.0.0","protocol":1,"bootId":"…","uptimeMs":1234,"served":3}}
//   host → agent  {"v":1,"id":8,"op":"exec","argv":["uname","-a"],"timeoutMs":10000}
//   agent → host  {"v":1,"id":8,"ok":true,"result":{"exitCode":0,"stdout":"Linux …\n","stderr":"","truncated":false,"timedOut":false}}
//   agent → host  {"v":1,"id":9,"ok":false,"error":{"code":"EXEC_NOT_FOUND","message":"…"}}
//
// `served` counts the requests the agent answered since it started; it lives only in the agent's RAM, so a
// guest resumed from saved state continues it while a rebooted guest starts again from 0.
import { z } from 'zod';

export const GUEST_AGENT_PROTOCOL = 1;
export const GUEST_AGENT_PORT_NAME = 'org.rayos.agent.0';
/** Longest line either side may send; a longer one is a protocol error. */
export const GUEST_AGENT_MAX_LINE = 4 * 1024 * 1024;
/** Most bytes of stdout (and, separately, stderr) the agent returns from exec; the rest is cut, truncated=true. */
export const GUEST_EXEC_MAX_OUTPUT = 1024 * 1024;

export const AgentRequestSchema = z.discriminatedUnion('op', [
  z.object({ v: z.literal(GUEST_AGENT_PROTOCOL), id: z.number().int().nonnegative(), op: z.literal('hello') }),
  z.object({ v: z.literal(GUEST_AGENT_PROTOCOL), id: z.number().int().nonnegative(), op: z.literal('ping') }),
  z.object({
    v: z.literal(GUEST_AGENT_PROTOCOL),
    id: z.number().int().nonnegative(),
    op: z.literal('exec'),
    argv: z.array(z.string()).min(1).max(256),
    /** The agent kills the command (SIGKILL) after this long and answers timedOut=true. */
    timeoutMs: z.number().int().positive().max(3_600_000),
  }),
  z.object({ v: z.literal(GUEST_AGENT_PROTOCOL), id: z.number().int().nonnegative(), op: z.literal('shutdown'), mode: z.enum(['poweroff', 'reboot']) }),
]);
export type AgentRequest = z.infer<typeof AgentRequestSchema>;
export type AgentOp = AgentRequest['op'];

export const HelloResultSchema = z.object({
  agentVersion: z.string(),
  protocol: z.number().int(),
  /** /proc/sys/kernel/random/boot_id: changes on every guest boot, survives save/resume. */
  bootId: z.string().min(1),
  /** Guest uptime from /proc/uptime, in ms. */
  uptimeMs: z.number().nonnegative(),
  served: z.number().int().nonnegative(),
});
export type HelloResult = z.infer<typeof HelloResultSchema>;

export const PingResultSchema = z.object({ uptimeMs: z.number().nonnegative(), served: z.number().int().nonnegative() });
export type PingResult = z.infer<typeof PingResultSchema>;

export const ExecResultSchema = z.object({
  exitCode: z.number().int(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  timedOut: z.boolean(),
});
export type ExecResult = z.infer<typeof ExecResultSchema>;

export const ShutdownResultSchema = z.object({ accepted: z.literal(true) });

export const AgentResultSchemas = {
  hello: HelloResultSchema,
  ping: PingResultSchema,
  exec: ExecResultSchema,
  shutdown: ShutdownResultSchema,
} as const;

/** Error codes the agent may answer with. */
export const AgentErrorCodeSchema = z.enum(['BAD_REQUEST', 'UNKNOWN_OP', 'EXEC_NOT_FOUND', 'EXEC_FAILED', 'INTERNAL']);

export const AgentReplySchema = z.union([
  z.object({ v: z.literal(GUEST_AGENT_PROTOCOL), id: z.number().int().nonnegative(), ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.object({
    v: z.literal(GUEST_AGENT_PROTOCOL),
    id: z.number().int().nonnegative(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type AgentReply = z.infer<typeof AgentReplySchema>;
