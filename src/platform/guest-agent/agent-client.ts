// Owns RayOS's side of the guest agent protocol: one unix-socket connection to QEMU's agent chardev, typed requests, replies checked.
//
// QEMU side: -chardev socket,id=agent0,path=SOCK,server=on,wait=off -device virtio-serial-pci,id=vser0
//            -device virtserialport,bus=vser0.0,chardev=agent0,name=org.rayos.agent.0
// QEMU accepts the connection as soon as it runs, long before the guest agent opens its port; until then what
// we send waits (in the socket and QEMU) and is answered in a burst later. So every request has its own
// deadline, waitForHello keeps asking with fresh ids, and replies to ids we no longer wait for are ignored.
import { createConnection, type Socket } from 'node:net';
import { err, ok, type Result } from '../../base/result.js';
import { rayosError, type RayosError } from '../../contracts/errors.js';
import {
  AgentReplySchema,
  AgentRequestSchema,
  AgentResultSchemas,
  GUEST_AGENT_MAX_LINE,
  GUEST_AGENT_PROTOCOL,
  type AgentReply,
  type ExecResult,
  type HelloResult,
  type PingResult,
} from '../../contracts/guest-agent.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Per request, unless the call says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** exec waits this much longer than the command's own timeout (the agent kills it, then answers). */
export const EXEC_REPLY_MARGIN_MS = 5_000;
const CONNECT_RETRY_MS = 100;

export interface ConnectAgentOptions {
  /** How long to keep trying while the socket is missing or refuses (QEMU still starting). Default 5 s. */
  readonly connectTimeoutMs?: number;
}

export interface AgentCallOptions {
  /** How long to wait for the reply. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface AgentExecOptions {
  /** The agent kills the command (its whole process group) after this long and answers timedOut=true. */
  readonly timeoutMs: number;
  /** How long to wait for the reply; default timeoutMs + 5 s. */
  readonly replyTimeoutMs?: number;
}

export interface WaitForHelloOptions {
  /** Total time to keep asking, in ms from now. */
  readonly deadlineMs: number;
  /** How long each hello waits before the next is sent. Default 500 ms. */
  readonly intervalMs?: number;
}

export type ShutdownResult = { readonly accepted: true };

export interface AgentClient {
  hello(options?: AgentCallOptions): Promise<Result<HelloResult, RayosError>>;
  ping(options?: AgentCallOptions): Promise<Result<PingResult, RayosError>>;
  exec(argv: readonly string[], options: AgentExecOptions): Promise<Result<ExecResult, RayosError>>;
  /** The agent answers first, then syncs, unmounts /data and powers off or reboots the guest. */
  shutdown(mode: 'poweroff' | 'reboot', options?: AgentCallOptions): Promise<Result<ShutdownResult, RayosError>>;
  /**
   * Sends {v, id, op, ...fields} as is (no checks on our side) and returns the agent's reply, ok or not: for
   * ops this client does not know yet, and for tests of the agent's own checks. Fields may override v.
   */
  request(op: string, fields?: Readonly<Record<string, unknown>>, options?: AgentCallOptions): Promise<Result<AgentReply, RayosError>>;
  /** Asks hello until the guest answers (it may still be booting) or the deadline passes (RAYOS_GUEST_AGENT_TIMEOUT). */
  waitForHello(options: WaitForHelloOptions): Promise<Result<HelloResult, RayosError>>;
  /** Called once when the connection ends, whatever the reason (close() included). Returns an unsubscribe. */
  onClose(listener: (reason: RayosError) => void): () => void;
  /** Ends the connection; waiting requests fail with RAYOS_GUEST_AGENT_UNAVAILABLE. */
  close(): Promise<void>;
  readonly closed: boolean;
}

const unavailable = (message: string): RayosError => rayosError('RAYOS_GUEST_AGENT_UNAVAILABLE', message);

/** Connects to the agent chardev socket, retrying while it does not exist yet or refuses. */
export async function connectAgent(socketPath: string, options: ConnectAgentOptions = {}): Promise<Result<AgentClient, RayosError>> {
  const deadline = Date.now() + (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  let last = '';
  for (;;) {
    const attempt = await connectOnce(socketPath);
    if (attempt.ok) return ok(new SocketAgentClient(attempt.value));
    last = attempt.error.message;
    const retriable = attempt.error.code === 'ENOENT' || attempt.error.code === 'ECONNREFUSED' || attempt.error.code === 'EAGAIN';
    if (!retriable || Date.now() + CONNECT_RETRY_MS > deadline) break;
    await new Promise((r) => setTimeout(r, CONNECT_RETRY_MS));
  }
  return err(unavailable(`Cannot connect to the guest agent socket ${socketPath} (${last}); is the VM running with its agent port?`));
}

function connectOnce(path: string): Promise<Result<Socket, { code: string; message: string }>> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    const onError = (error: NodeJS.ErrnoException): void => {
      socket.destroy();
      resolve(err({ code: error.code ?? 'ERROR', message: error.message }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(ok(socket));
    });
  });
}

interface Pending {
  readonly op: string;
  readonly settle: (result: Result<AgentReply, RayosError>) => void;
  readonly timer: NodeJS.Timeout;
}

class SocketAgentClient implements AgentClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly closeListeners = new Set<(reason: RayosError) => void>();
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Inside a line longer than the protocol allows: drop bytes up to its newline. */
  private discarding = false;
  private endReason: RayosError | null = null;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.end(unavailable(`The guest agent connection failed: ${error.message}.`)));
    socket.on('close', () => this.end(unavailable('The guest agent connection closed (the VM stopped or its agent socket was reset).')));
  }

  get closed(): boolean {
    return this.endReason !== null;
  }

  async hello(options: AgentCallOptions = {}): Promise<Result<HelloResult, RayosError>> {
    return this.typed('hello', {}, options.timeoutMs);
  }

  async ping(options: AgentCallOptions = {}): Promise<Result<PingResult, RayosError>> {
    return this.typed('ping', {}, options.timeoutMs);
  }

  async exec(argv: readonly string[], options: AgentExecOptions): Promise<Result<ExecResult, RayosError>> {
    const checked = AgentRequestSchema.safeParse({ v: GUEST_AGENT_PROTOCOL, id: 0, op: 'exec', argv: [...argv], timeoutMs: options.timeoutMs });
    if (!checked.success) {
      return err(rayosError('RAYOS_GUEST_EXEC_FAILED', 'exec needs argv of 1 to 256 strings and timeoutMs a whole number of ms from 1 to 3600000.', { argv: [...argv], timeoutMs: options.timeoutMs }));
    }
    return this.typed('exec', { argv: [...argv], timeoutMs: options.timeoutMs }, options.replyTimeoutMs ?? options.timeoutMs + EXEC_REPLY_MARGIN_MS);
  }

  async shutdown(mode: 'poweroff' | 'reboot', options: AgentCallOptions = {}): Promise<Result<ShutdownResult, RayosError>> {
    return this.typed('shutdown', { mode }, options.timeoutMs);
  }

  async waitForHello(options: WaitForHelloOptions): Promise<Result<HelloResult, RayosError>> {
    const deadline = Date.now() + options.deadlineMs;
    const interval = Math.max(10, options.intervalMs ?? 500);
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const hello = await this.hello({ timeoutMs: Math.min(interval, left) });
      if (hello.ok || hello.error.code !== 'RAYOS_GUEST_AGENT_TIMEOUT') return hello;
    }
    return err(rayosError('RAYOS_GUEST_AGENT_TIMEOUT', `The guest agent did not answer hello within ${options.deadlineMs} ms (the guest may still be booting, or has no agent); see the VM's serial log.`));
  }

  request(op: string, fields: Readonly<Record<string, unknown>> = {}, options: AgentCallOptions = {}): Promise<Result<AgentReply, RayosError>> {
    if (this.endReason !== null) return Promise.resolve(err(this.endReason));
    const id = this.nextId++;
    const line = `${JSON.stringify({ v: GUEST_AGENT_PROTOCOL, id, op, ...fields })}\n`;
    if (Buffer.byteLength(line) > GUEST_AGENT_MAX_LINE) {
      return Promise.resolve(err(rayosError('RAYOS_GUEST_AGENT_PROTOCOL', `The ${op} request is longer than the protocol's ${GUEST_AGENT_MAX_LINE}-byte line limit.`)));
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    return new Promise((settle) => {
      const timer = setTimeout(() => {
        // Forget the id: a late reply to it is ignored like any other unknown id.
        this.pending.delete(id);
        settle(err(rayosError('RAYOS_GUEST_AGENT_TIMEOUT', `The guest agent did not answer ${op} within ${timeoutMs} ms.`, { op, id })));
      }, timeoutMs);
      this.pending.set(id, { op, settle, timer });
      this.socket.write(line);
    });
  }

  onClose(listener: (reason: RayosError) => void): () => void {
    if (this.endReason !== null) {
      const reason = this.endReason;
      queueMicrotask(() => listener(reason));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.end(unavailable('The guest agent connection was closed by RayOS.'));
  }

  private async typed<Op extends keyof typeof AgentResultSchemas>(
    op: Op,
    fields: Record<string, unknown>,
    timeoutMs: number | undefined,
  ): Promise<Result<ReturnType<(typeof AgentResultSchemas)[Op]['parse']>, RayosError>> {
    const reply = await this.request(op, fields, timeoutMs === undefined ? {} : { timeoutMs });
    if (!reply.ok) return reply;
    if (!reply.value.ok) {
      const { code, message } = reply.value.error;
      const execFailure = op === 'exec' && (code === 'EXEC_NOT_FOUND' || code === 'EXEC_FAILED' || code === 'INTERNAL');
      return err(rayosError(execFailure ? 'RAYOS_GUEST_EXEC_FAILED' : 'RAYOS_GUEST_AGENT_PROTOCOL', `The guest agent refused ${op}: ${code}: ${message}`, { agentCode: code, op }));
    }
    const parsed = AgentResultSchemas[op].safeParse(reply.value.result);
    if (!parsed.success) {
      return err(rayosError('RAYOS_GUEST_AGENT_PROTOCOL', `The guest agent answered ${op} with a result of the wrong shape.`, { op, issues: parsed.error.issues.slice(0, 5).map((i) => i.message) }));
    }
    return ok(parsed.data as ReturnType<(typeof AgentResultSchemas)[Op]['parse']>);
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      if (this.discarding) this.discarding = false;
      else {
        this.chunks.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.chunks);
        if (line.length <= GUEST_AGENT_MAX_LINE) this.onLine(line.toString('utf8'));
      }
      this.chunks = [];
      this.buffered = 0;
      start = nl + 1;
    }
    if (this.discarding || start >= chunk.length) return;
    this.chunks.push(chunk.subarray(start));
    this.buffered += chunk.length - start;
    if (this.buffered > GUEST_AGENT_MAX_LINE) {
      // Nothing in an over-long line can be trusted, its id included: the request it answers times out.
      this.discarding = true;
      this.chunks = [];
      this.buffered = 0;
    }
  }

  private onLine(untrustedLine: string): void {
    if (untrustedLine.trim() === '') return;
    let untrustedReply: unknown;
    try {
      untrustedReply = JSON.parse(untrustedLine);
    } catch {
      return; // not JSON: it cannot name a request, so there is nobody to tell
    }
    const untrustedId = (untrustedReply as { id?: unknown } | null)?.id;
    const pending = typeof untrustedId === 'number' ? this.pending.get(untrustedId) : undefined;
    if (pending === undefined) return; // an old id (an earlier attempt, an earlier connection) or none
    this.pending.delete(untrustedId as number);
    clearTimeout(pending.timer);
    const reply = AgentReplySchema.safeParse(untrustedReply);
    if (!reply.success) {
      pending.settle(err(rayosError('RAYOS_GUEST_AGENT_PROTOCOL', `The guest agent's reply to ${pending.op} is not a valid protocol message.`, { op: pending.op })));
      return;
    }
    pending.settle(ok(reply.data));
  }

  private end(reason: RayosError): void {
    if (this.endReason !== null) return;
    this.endReason = reason;
    this.socket.destroy();
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.settle(err(reason));
    }
    this.pending.clear();
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
  }
}
