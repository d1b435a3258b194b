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
//
// Additions stay optional, so either side may be older: ping's `realtimeUs` (the guest's CLOCK_REALTIME) came
// after 1.0.0 without a protocol change; an agent that lacks it cannot have its clock aligned (GuestClock).
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

export const PingResultSchema = z.object({
  uptimeMs: z.number().nonnegative(),
  served: z.number().int().nonnegative(),
  /** The guest's CLOCK_REALTIME when it handled the ping, in whole microseconds since the epoch (absent from older agents). */
  realtimeUs: z.number().int().nonnegative().optional(),
});
export type PingResult = z.infer<typeof PingResultSchema>;

/**
 * The guest clock against the host's, from the ping with the shortest round trip of a few. Host times are epoch ms
 * with sub-ms precision (performance.timeOrigin + performance.now()) taken just before sending and after the reply.
 * offsetMs = guest − host, so a guest timestamp g (epoch ms) happened at host time g − offsetMs, give or take
 * uncertaintyMs (half that round trip: the guest read its clock somewhere inside it).
 */
export const GuestClockSchema = z.object({
  hostBeforeMs: z.number(),
  hostAfterMs: z.number(),
  guestRealtimeMs: z.number(),
  offsetMs: z.number(),
  uncertaintyMs: z.number().nonnegative(),
  /** How many pings were taken; the figures are from the best one. */
  samples: z.number().int().positive(),
});
export type GuestClock = z.infer<typeof GuestClockSchema>;

/** What `rayos-agent --keylog COUNT TIMEOUT_MS` prints (run through exec): key presses with the guest kernel's time. */
export const KeylogResultSchema = z.object({
  /** Linux key codes (KEY_A = 30, …) in the order the presses were read, with the input core's CLOCK_REALTIME µs. */
  keys: z.array(z.object({ code: z.number().int().nonnegative(), us: z.number().int().nonnegative() })),
  timedOut: z.boolean(),
});
export type KeylogResult = z.infer<typeof KeylogResultSchema>;
/** Printed on the guest's /dev/console (the serial log) once the key logger has its devices open. */
export const KEYLOG_READY_MARKER = 'RAYOS_GUEST:KEYLOG_READY';

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
